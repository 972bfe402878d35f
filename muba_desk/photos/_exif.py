"""When and where a photo was taken, from its EXIF; a malformed block gives None, not an error."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

from PIL import ExifTags, Image

_DATETIME = re.compile(r"(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
# Cameras reset to factory clocks report 1970 or 2000; nothing in this registry predates digital
# cameras, so anything before 1990 is a dead clock rather than a date.
_EARLIEST = datetime(1990, 1, 1)
# A laptop clock a little behind the phone's is normal; years ahead is a wrong camera clock.
_FUTURE_SLACK = timedelta(days=2)


def read_exif(im: Image.Image) -> Image.Exif | None:
    """The EXIF of an open image, or None when it cannot be parsed."""
    try:
        return im.getexif()
    except Exception:  # Pillow's TIFF parser raises many types on bad EXIF
        return None


def read_orientation(exif: Image.Exif | None) -> int:
    """The EXIF orientation 1-8 (Pillow also fills it from XMP); 1 when absent or nonsense."""
    if exif is None:
        return 1
    value = exif.get(ExifTags.Base.Orientation)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def read_taken_at(exif: Image.Exif | None) -> str | None:
    """When the photo was taken as naive ISO "YYYY-MM-DDTHH:MM:SS", or None if unknown or absurd."""
    if exif is None:
        return None
    for value in (_original_datetime(exif), exif.get(ExifTags.Base.DateTime)):
        parsed = _parse_datetime(value)
        if parsed is not None:
            return parsed.isoformat(timespec="seconds")
    return None


def read_gps(exif: Image.Exif | None) -> tuple[float, float] | None:
    """(latitude, longitude) in degrees, south and west negative; None if missing or malformed."""
    if exif is None:
        return None
    try:
        block = exif.get_ifd(ExifTags.IFD.GPSInfo)
        status = _text(block.get(ExifTags.GPS.GPSStatus))
        lat = _coordinate(
            block.get(ExifTags.GPS.GPSLatitude), block.get(ExifTags.GPS.GPSLatitudeRef), "NS"
        )
        lon = _coordinate(
            block.get(ExifTags.GPS.GPSLongitude), block.get(ExifTags.GPS.GPSLongitudeRef), "EW"
        )
    except Exception:  # a damaged GPS block must not cost the photo
        return None
    if status == "V" or lat is None or lon is None:  # "V": the receiver had no fix
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    # Phones without a fix often write 0/0; nobody in the registry lives in the Gulf of Guinea.
    if lat == 0.0 and lon == 0.0:
        return None
    return lat, lon


def _original_datetime(exif: Image.Exif) -> object:
    try:
        return exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal)
    except Exception:  # fall back to IFD0's DateTime
        return None


def _parse_datetime(value: object) -> datetime | None:
    match = _DATETIME.match(_text(value))
    if match is None:
        return None
    try:
        parsed = datetime(*(int(part) for part in match.groups()))
    except ValueError:  # "2008:13:45 25:00:00", "0000:00:00 00:00:00"
        return None
    if not _EARLIEST <= parsed <= datetime.now() + _FUTURE_SLACK:
        return None
    return parsed


def _coordinate(value: object, ref: object, hemispheres: str) -> float | None:
    """Degrees from 1-3 rationals (d, m, s); `hemispheres` is "NS" or "EW", positive first."""
    letter = _text(ref)[:1]
    sign = 1.0 if letter == hemispheres[0] else -1.0 if letter == hemispheres[1] else None
    # Without its reference the hemisphere is a guess, and for Musi Banyuasin (about 2.5 S) a
    # guess of "N" would put the house in the wrong hemisphere.
    if sign is None:
        return None
    parts = value if isinstance(value, tuple | list) else (value,)
    if not 1 <= len(parts) <= 3:
        return None
    numbers = [float(part) for part in parts]  # type: ignore[arg-type]
    if not all(math.isfinite(n) and n >= 0.0 for n in numbers):  # x/0 rationals are nan
        return None
    if any(n >= 60.0 for n in numbers[1:]):
        return None
    return sign * sum(n / 60.0**i for i, n in enumerate(numbers))


def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip("\x00 ").upper() if isinstance(value, str) else ""
