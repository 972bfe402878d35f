"""Photo ingest: random bytes and damaged real photos give a PhotoError or a clean JPEG."""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from muba_desk.photos import PhotoError, ingest
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
