"""Photo ingest: random bytes and damaged real photos give a PhotoError or a clean JPEG."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from muba_desk.photos import MAX_SCANS, PhotoError, TooManyScans, ingest
from tests.fuzz.conftest import PROFILE
from tests.fuzz.test_bundle_reader import damaged

pytestmark = pytest.mark.filterwarnings("ignore:Corrupt EXIF:UserWarning")


def _sample_jpeg() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=Image.Exif())
    return buffer.getvalue()


def _sample_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (20, 30), (0, 0, 255, 128)).save(buffer, "PNG")
    return buffer.getvalue()


JPEG, PNG = _sample_jpeg(), _sample_png()


def _check(data: bytes) -> None:
    try:
        photo = ingest(data)
    except PhotoError:
        return
    assert photo.jpeg.startswith(b"\xff\xd8")
    assert b"Exif" not in photo.jpeg[:64]
    assert photo.width > 0 and photo.height > 0


@settings.get_profile(PROFILE)
@given(st.binary(max_size=2048))
def test_random_bytes(data):
    _check(data)


@settings.get_profile(PROFILE)
@given(st.one_of(damaged(JPEG), damaged(PNG)))
def test_damaged_photos(data):
    _check(data)


def _progressive_scans() -> tuple[bytes, list[bytes], bytes]:
    """A small progressive JPEG cut into its head, its scans and its end (EOI)."""
    buffer = io.BytesIO()
    Image.effect_noise((48, 32), 60).convert("RGB").save(buffer, "JPEG", progressive=True)
    data = buffer.getvalue()
    # Entropy-coded data never holds 0xFF 0xDA: each scan starts at one, the last ends at EOI.
    starts = [i for i in range(len(data) - 1) if data[i : i + 2] == b"\xff\xda"]
    eoi = data.rindex(b"\xff\xd9")
    ends = [*starts[1:], eoi]
    return data[: starts[0]], [data[s:e] for s, e in zip(starts, ends, strict=True)], data[eoi:]


HEAD, SCANS, END = _progressive_scans()


@settings.get_profile(PROFILE)
@given(st.lists(st.integers(0, len(SCANS) - 1), min_size=0, max_size=3 * MAX_SCANS))
def test_extra_scans_are_refused_past_the_limit_and_decoded_below_it(extra):
    data = HEAD + b"".join(SCANS) + b"".join(SCANS[i] for i in extra) + END
    if len(SCANS) + len(extra) > MAX_SCANS:
        with pytest.raises(TooManyScans):
            ingest(data)
    else:
        _check(data)
