"""A photo cut short (a copy interrupted, a stick pulled out) is refused, never half stored."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from muba_desk.photos import PhotoError, check, ingest

PHOTOS = Path(__file__).parents[1] / "data" / "photos"
HEIC = PHOTOS / "heic_mobile" / "iphone_13_pro_max.HEIC"


def _cuts(data: bytes) -> list[int]:
    return [len(data) // 2, len(data) * 9 // 10, len(data) - 1000]


@pytest.mark.parametrize("cut", _cuts(HEIC.read_bytes()))
def test_a_cut_heic_is_refused_naming_the_file(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "IMG_0042.HEIC"
    path.write_bytes(HEIC.read_bytes()[:cut])
    for take_in in (ingest, check):
        with pytest.raises(PhotoError) as excinfo:
            take_in(path)
        message = str(excinfo.value)
        assert "'IMG_0042.HEIC'" in message and "terpotong" in message
        assert "Ambil ulang fotonya" in message


def test_a_cut_heic_whose_data_box_runs_to_the_end_is_refused_by_its_item_table() -> None:
    """`mdat` may say "to the end of the file" (size 0): then the iloc's extents tell."""
    data = bytearray(HEIC.read_bytes())
    at = data.index(b"mdat") - 4
    data[at : at + 4] = bytes(4)
    ingest(bytes(data))  # whole: still a photo
    with pytest.raises(PhotoError, match="terpotong"):
        ingest(bytes(data[: len(data) * 3 // 4]))


def test_the_whole_heic_is_still_taken_in() -> None:
    assert check(HEIC) == (3024, 4032)


def _encoded(fmt: str, **options) -> bytes:
    with Image.open(PHOTOS / "jpg_gps" / "DSCN0010.jpg") as im:
        buffer = io.BytesIO()
        im.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data",
    [
        ("foto.jpg", (PHOTOS / "jpg_gps" / "DSCN0010.jpg").read_bytes()),
        ("hp.jpg", next((PHOTOS / "jpg_mobile").glob("*.jpg")).read_bytes()),
        ("progresif.jpg", _encoded("JPEG", progressive=True)),
        ("gambar.png", _encoded("PNG")),
    ],
)
def test_a_cut_jpeg_or_png_is_refused_naming_the_file(tmp_path: Path, name: str, data) -> None:
    for cut in _cuts(data):
        path = tmp_path / name
        path.write_bytes(data[:cut])
        for take_in in (ingest, check):
            with pytest.raises(PhotoError, match=f"'{name}'.*terpotong"):
                take_in(path)


def test_a_hostile_item_table_is_read_in_time_proportional_to_its_size() -> None:
    """Extents of zero bytes each, 65,535 of them per item, must not be walked one by one."""
    import time

    from muba_desk.photos import _heif

    items = 20_000
    body = bytes([0, 0, 0, 0, 0x00, 0x00]) + items.to_bytes(2, "big")
    body += (b"\x00\x01" + b"\x00\x00" + b"\xff\xff") * items  # id, data ref, 65,535 extents
    iloc = (8 + len(body)).to_bytes(4, "big") + b"iloc" + body
    meta = (12 + len(iloc)).to_bytes(4, "big") + b"meta" + bytes(4) + iloc
    data = b"\x00\x00\x00\x10ftypheic\x00\x00\x00\x00" + meta
    started = time.perf_counter()
    assert not _heif.is_truncated(data)
    assert time.perf_counter() - started < 1.0
