"""A JPEG with too many progressive scans is refused from its bytes, before any decoding."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from muba_desk import photos
from muba_desk.photos import MAX_SCANS, PhotoError, TooManyScans, check, ingest
from muba_desk.photos._scans import count_scans

PHOTOS = Path(__file__).parents[1] / "data" / "photos"


def _jpeg(**options) -> bytes:
    image = Image.new("RGB", (96, 64))
    image.putdata([(x * 7 % 256, y * 3 % 256, (x ^ y) % 256) for y in range(64) for x in range(96)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, **options)
    return buffer.getvalue()


def _scans(data: bytes) -> list[bytes]:
    """Each scan (SOS to the next SOS or EOI). Entropy-coded data never holds 0xFF 0xDA, so a
    plain search finds them: independent of the walker under test."""
    starts = []
    at = data.find(b"\xff\xda")
    while at >= 0:
        starts.append(at)
        at = data.find(b"\xff\xda", at + 2)
    ends = starts[1:] + [data.rindex(b"\xff\xd9")]
    return [data[s:e] for s, e in zip(starts, ends, strict=True)]


def _repeated(scans: int) -> bytes:
    """A progressive JPEG whose last scan is repeated until it has `scans` scans: libjpeg
    decodes it (the repeats only refine what is there) with one pass per scan."""
    data = _jpeg(progressive=True)
    own = _scans(data)
    eoi = data.rindex(b"\xff\xd9")
    return data[:eoi] + own[-1] * (scans - len(own)) + data[eoi:]


def test_scans_are_counted_as_the_encoder_wrote_them() -> None:
    progressive = _jpeg(progressive=True)
    assert count_scans(progressive, stop_after=1000) == len(_scans(progressive)) == 10
    assert count_scans(_jpeg(), stop_after=1000) == 1
    # Restart markers and stuffed bytes inside the entropy-coded data end no scan.
    restarts = _jpeg(progressive=True, restart_marker_blocks=1)
    assert restarts.count(b"\xff\xd0") > 0
    assert count_scans(restarts, stop_after=1000) == 10
    assert count_scans(_repeated(500), stop_after=1000) == 500
    assert count_scans(_repeated(500), stop_after=MAX_SCANS) == MAX_SCANS + 1


@pytest.mark.parametrize("fn", [ingest, check])
def test_a_jpeg_repeating_one_scan_is_refused_without_decoding(fn, monkeypatch) -> None:
    def no_decoding(*_args, **_kwargs):
        raise AssertionError("the photo was handed to a decoder")

    monkeypatch.setattr(photos, "_decode", no_decoding)
    monkeypatch.setattr(photos, "_open_jpeg", no_decoding)
    with pytest.raises(TooManyScans) as refused:
        fn(_repeated(1000))
    assert refused.value.__cause__ is None
    assert f"lebih dari {MAX_SCANS} lapisan" in str(refused.value)


def test_the_refusal_names_the_file_and_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "ktp_ibu.jpg"
    path.write_bytes(_repeated(MAX_SCANS + 1))
    with pytest.raises(PhotoError, match="'ktp_ibu.jpg'.*Simpan ulang foto itu"):
        ingest(path)


@pytest.mark.parametrize("fn", [ingest, check])
def test_up_to_the_limit_a_progressive_jpeg_is_taken_in(fn) -> None:
    assert fn(_repeated(MAX_SCANS))
    assert fn(_jpeg(progressive=True))


def test_a_stored_photo_of_the_samples_passes_the_scan_count() -> None:
    # What laptops carry to the office: ingest's own output is baseline, one scan.
    stored = ingest(PHOTOS / "jpg_gps" / "DSCN0010.jpg").jpeg
    assert count_scans(stored, stop_after=MAX_SCANS) == 1
    assert check(stored)
