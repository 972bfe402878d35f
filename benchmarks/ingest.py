"""Ingest one phone photo (`photos.ingest`: upright, sRGB, at most 1600 px, thumbnail, EXIF
time and GPS, no metadata kept) against Pillow decoding it at the reduced draft size, resizing
it to 1600 px (Lanczos) and saving it as a JPEG at the same quality."""

from __future__ import annotations

import io

from benchmarks.common import Row, Sizes, interleaved, median
from benchmarks.data import phone_jpeg

TARGET = 1.2


def minimal_ingest(data: bytes) -> bytes:
    from PIL import Image

    from muba_desk.photos import JPEG_QUALITY, MAX_SIDE

    with Image.open(io.BytesIO(data)) as im:
        w, h = im.size
        scale = min(1.0, MAX_SIDE / max(w, h))
        size = (round(w * scale), round(h * scale))
        im.draft("RGB", size)
        small = im.resize(size, Image.Resampling.LANCZOS) if im.size != size else im.convert("RGB")
    out = io.BytesIO()
    small.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def run(sizes: Sizes) -> list[Row]:
    from muba_desk.photos import ingest

    data = phone_jpeg(sizes.ingest_size)
    ingest(data), minimal_ingest(data)  # warm-up
    a, b = interleaved(sizes.ingest_rounds, lambda: ingest(data), lambda: minimal_ingest(data))
    mp = sizes.ingest_size[0] * sizes.ingest_size[1] / 1e6
    row = Row(f"ingest a {mp:.0f}-megapixel phone JPEG", median(a), median(b), TARGET)
    row.notes.append(
        f"ingest: the photo is {len(data) / 1e6:.1f} MB, "
        f"{sizes.ingest_size[0]} x {sizes.ingest_size[1]}"
    )
    return [row]
