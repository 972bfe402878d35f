"""`check` refuses exactly what `ingest` refuses, without making anything."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image

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


@pytest.mark.parametrize("kind", ["rgb-coded", "grey", "cmyk", "ycbcr"])
def test_check_takes_jpegs_of_every_colour_space_that_ingest_takes(kind: str) -> None:
    # `check` decodes a YCbCr JPEG without converting its colours; the others must not be
    # refused for that (libjpeg cannot turn an RGB-coded JPEG into YCbCr).
    picture = Image.open(PHOTOS / "jpg_gps" / "DSCN0010.jpg").convert("RGB").reduce(4)
    buffer = io.BytesIO()
    if kind == "rgb-coded":
        picture.save(buffer, "JPEG", keep_rgb=True)
    elif kind == "grey":
        picture.convert("L").save(buffer, "JPEG")
    elif kind == "cmyk":
        picture.convert("CMYK").save(buffer, "JPEG")
    else:
        picture.save(buffer, "JPEG")
    data = buffer.getvalue()
    assert _verdict(ingest, data) == "ok"
    assert check(data) == picture.size


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_check_refuses_a_photo_cut_anywhere_in_its_picture_data() -> None:
    # What a bundle carries: a 1600 px photo. Cut anywhere after its headers, it is refused by
    # the full decode and by `check` alike, although `check` decodes at an eighth of the size.
    data = ingest(PHOTOS / "jpg_mobile" / "jolla.jpg").jpeg
    scan = data.index(b"\xff\xda")  # start of scan: the entropy-coded data follows
    for cut in range(scan + 20, len(data) - 2, (len(data) - scan) // 23):
        assert _verdict(check, data[:cut]) == _verdict(ingest, data[:cut]) == "refused"


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_check_agrees_with_ingest_on_garbage_in_the_picture_data() -> None:
    data = ingest(PHOTOS / "jpg_mobile" / "jolla.jpg").jpeg
    scan = data.index(b"\xff\xda")
    rng = random.Random(3)
    for _ in range(30):
        at = rng.randrange(scan + 20, len(data) - 600)
        garbage = bytes(rng.randrange(256) for _ in range(rng.randint(1, 500)))
        spoiled = data[:at] + garbage + data[at + len(garbage) :]
        assert _verdict(check, spoiled) == _verdict(ingest, spoiled)
