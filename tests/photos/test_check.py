"""`check` refuses exactly what `ingest` refuses, without making anything."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from muba_desk import photos
from muba_desk.photos import PhotoError, check, ingest

PHOTOS = Path(__file__).parents[1] / "data" / "photos"
SAMPLES = sorted(p for p in PHOTOS.rglob("*") if p.is_file() and p.name != "SOURCE.md")


def _verdict(fn, data: bytes) -> str:
    try:
        fn(data)
    except PhotoError:
        return "refused"
    return "ok"


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.relative_to(PHOTOS).as_posix())
def test_check_agrees_with_ingest_on_every_sample(path: Path) -> None:
    data = path.read_bytes()
    assert _verdict(check, data) == _verdict(ingest, data)


def test_check_returns_the_stored_size_of_a_large_photo() -> None:
    path = PHOTOS / "jpg_mobile" / "jolla.jpg"
    assert check(path) == (3264, 2448)
    assert check(ingest(path).jpeg) == (photos.MAX_SIDE, 1200)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_check_agrees_with_ingest_on_mutated_and_cut_jpegs() -> None:
    original = ingest(PHOTOS / "jpg_gps" / "DSCN0010.jpg").jpeg  # as a bundle carries them
    rng = random.Random(8)
    seen = set()
    for _ in range(120):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data) if rng.random() < 0.5 else 700)] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        verdict = _verdict(check, bytes(data))
        assert verdict == _verdict(ingest, bytes(data))
        seen.add(verdict)
    assert seen == {"ok", "refused"}


def test_check_refuses_like_ingest(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match="bukan foto"):
        check(b"not a photo at all")
    cut = ingest(PHOTOS / "jpg" / "Nikon_D70.jpg").jpeg
    with pytest.raises(PhotoError):
        check(cut[: len(cut) // 2])
