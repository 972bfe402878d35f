"""When and where a photo was taken is read from EXIF, and nothing of it stays in the picture."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageStat
from PIL.TiffImagePlugin import IFDRational

from muba_desk.photos import ingest

PHOTOS = Path(__file__).parents[1] / "data" / "photos"
GPS = ExifTags.GPS


def _jpeg(exif: Image.Exif | bytes | None = None, **params: object) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(
        data, "JPEG", exif=b"" if exif is None else exif, **params
    )
    return data.getvalue()


def _with_gps(block: dict[int, object]) -> bytes:
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(block)
    return _jpeg(exif)


def _with_times(date_time: str | None = None, original: str | None = None) -> bytes:
    exif = Image.Exif()
    if date_time is not None:
        exif[ExifTags.Base.DateTime] = date_time
    if original is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = original
    return _jpeg(exif)


# --- GPS ---------------------------------------------------------------------------------------

# Degrees, minutes and seconds as the cameras stored them (read once with Pillow's raw EXIF,
# converted by hand): DSCN0010 is 43 28' 2.814" N, 11 53' 6.456" E, in Tuscany.
KNOWN_GPS = {
    "jpg_gps/DSCN0010.jpg": (43 + 28 / 60 + 2.814 / 3600, 11 + 53 / 60 + 6.456 / 3600),
    "jpg_gps/DSCN0012.jpg": (43 + 28 / 60 + 1.764 / 3600, 11 + 53 / 60 + 7.422 / 3600),
    "jpg_gps/DSCN0021.jpg": (43 + 28 / 60 + 1.494 / 3600, 11 + 53 / 60 + 4.338 / 3600),
    "jpg_mobile/HMD_Nokia_8.3_5G.jpg": (60 + 8 / 60 + 48.14 / 3600, 24 + 54 / 60 + 24.38 / 3600),
}


@pytest.mark.parametrize("rel", sorted(KNOWN_GPS))
def test_gps_of_camera_and_phone_samples(rel: str) -> None:
    gps = ingest(PHOTOS / rel).gps
    assert gps is not None
    assert gps == pytest.approx(KNOWN_GPS[rel], abs=1e-6)


def test_dscn0010_is_where_the_sample_says() -> None:
    assert ingest(PHOTOS / "jpg_gps" / "DSCN0010.jpg").gps == pytest.approx(
        (43.467, 11.885), abs=1e-3
    )


@pytest.mark.parametrize(
    "rel", ["jpg/Canon_40D.jpg", "jpg_mobile/jolla.jpg", "heic_mobile/iphone_13_pro_max.HEIC"]
)
def test_photos_without_gps_have_none(rel: str) -> None:
    assert ingest(PHOTOS / rel).gps is None


def test_south_and_west_are_negative() -> None:
    block = {
        GPS.GPSLatitudeRef: "S",
        GPS.GPSLatitude: (2.0, 53.0, 30.0),
        GPS.GPSLongitudeRef: "W",
        GPS.GPSLongitude: (104.0, 6.0, 0.5),
    }
    assert ingest(_with_gps(block)).gps == pytest.approx(
        (-(2 + 53 / 60 + 30 / 3600), -(104 + 6 / 60 + 0.5 / 3600))
    )


def test_decimal_degrees_in_one_rational_are_read() -> None:
    block = {
        GPS.GPSLatitudeRef: "S",
        GPS.GPSLatitude: (2.9165,),
        GPS.GPSLongitudeRef: "E",
        GPS.GPSLongitude: (103.8333,),
    }
    assert ingest(_with_gps(block)).gps == pytest.approx((-2.9165, 103.8333))


_SEKAYU = {  # the regency seat, about 2.88 S 103.85 E
    GPS.GPSLatitudeRef: "S",
    GPS.GPSLatitude: (2.0, 52.0, 48.0),
    GPS.GPSLongitudeRef: "E",
    GPS.GPSLongitude: (103.0, 51.0, 0.0),
}


def test_the_well_formed_block_used_below_is_read() -> None:
    assert ingest(_with_gps(_SEKAYU)).gps == pytest.approx((-2.88, 103.85))


@pytest.mark.parametrize(
    ("label", "change"),
    [
        ("no latitude ref", {GPS.GPSLatitudeRef: None}),
        ("ref of the wrong axis", {GPS.GPSLatitudeRef: "E"}),
        ("zero denominator", {GPS.GPSLatitude: (IFDRational(2, 0), 52.0, 48.0)}),
        ("latitude over 90", {GPS.GPSLatitude: (95.0, 0.0, 0.0)}),
        ("75 minutes", {GPS.GPSLatitude: (2.0, 75.0, 48.0)}),
        ("four numbers", {GPS.GPSLatitude: (2.0, 52.0, 48.0, 1.0)}),
        ("no longitude", {GPS.GPSLongitude: None}),
        ("receiver void", {GPS.GPSStatus: "V"}),
        (
            "0,0 placeholder",
            {GPS.GPSLatitude: (0.0, 0.0, 0.0), GPS.GPSLongitude: (0.0, 0.0, 0.0)},
        ),
    ],
)
def test_malformed_gps_is_ignored_and_the_photo_kept(label: str, change: dict[int, object]) -> None:
    block = {**_SEKAYU, **change}
    photo = ingest(_with_gps({tag: value for tag, value in block.items() if value is not None}))
    assert photo.gps is None
    assert (photo.width, photo.height) == (40, 30)


def _raw_exif_with_gps_ifd(entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """EXIF written by hand, for blocks Pillow refuses to write: (tag, type, count, data)."""
    gps_at = 8 + 2 + 12 + 4
    data_at = gps_at + 2 + 12 * len(entries) + 4
    ifd0 = struct.pack("<H", 1) + struct.pack("<HHII", 0x8825, 4, 1, gps_at) + struct.pack("<I", 0)
    gps, extra = struct.pack("<H", len(entries)), b""
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            gps += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            gps += struct.pack("<HHII", tag, kind, count, data_at + len(extra))
            extra += value
    return b"Exif\0\0" + b"II*\0" + struct.pack("<I", 8) + ifd0 + gps + struct.pack("<I", 0) + extra


def test_gps_written_as_text_is_ignored() -> None:
    exif = _raw_exif_with_gps_ifd(
        [
            (GPS.GPSLatitudeRef, 2, 2, b"S\0"),
            (GPS.GPSLatitude, 2, 12, b"2 deg 52 min"),  # ASCII where rationals belong
            (GPS.GPSLongitudeRef, 2, 2, b"E\0"),
            (GPS.GPSLongitude, 5, 3, struct.pack("<6I", 103, 1, 51, 1, 0, 1)),
        ]
    )
    photo = ingest(_jpeg(exif))
    assert photo.gps is None and photo.width == 40


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")
def test_gps_pointer_past_the_end_is_ignored() -> None:
    exif = bytearray(_raw_exif_with_gps_ifd([(GPS.GPSLatitudeRef, 2, 2, b"S\0")]))
    exif[6 + 8 + 2 + 8 : 6 + 8 + 2 + 12] = struct.pack("<I", 0x7FFF0000)  # GPS IFD offset
    photo = ingest(_jpeg(bytes(exif)))
    assert photo.gps is None and photo.width == 40


def test_hand_written_exif_helper_is_read_when_well_formed() -> None:
    exif = _raw_exif_with_gps_ifd(
        [
            (GPS.GPSLatitudeRef, 2, 2, b"S\0"),
            (GPS.GPSLatitude, 5, 3, struct.pack("<6I", 2, 1, 52, 1, 48, 1)),
            (GPS.GPSLongitudeRef, 2, 2, b"E\0"),
            (GPS.GPSLongitude, 5, 3, struct.pack("<6I", 103, 1, 51, 1, 0, 1)),
        ]
    )
    assert ingest(_jpeg(exif)).gps == pytest.approx((-2.88, 103.85))


# --- time taken --------------------------------------------------------------------------------

KNOWN_TIMES = {
    "jpg/Canon_40D.jpg": "2008-05-30T15:56:01",
    "jpg/Nikon_D70.jpg": "2008-03-15T09:52:01",
    "jpg_gps/DSCN0010.jpg": "2008-10-22T16:28:39",
    "jpg_mobile/HMD_Nokia_8.3_5G.jpg": "2022-08-14T14:12:31",  # DateTimeOriginal only
    "jpg_mobile/jolla.jpg": "2014-09-21T16:00:56",
    "jpg_xmp/no_exif.jpg": "2014-09-22T10:56:35",  # IFD0 DateTime only
    "heic_mobile/iphone_13_pro_max.HEIC": "2022-02-16T12:55:41",
    "jpg_orientation/landscape_1.jpg": None,
    "jpg_invalid/image00971.jpg": None,
}


@pytest.mark.parametrize("rel", sorted(KNOWN_TIMES))
def test_taken_at_of_samples(rel: str) -> None:
    assert ingest(PHOTOS / rel).taken_at == KNOWN_TIMES[rel]


def test_original_time_wins_over_file_time() -> None:
    photo = ingest(_with_times("2024:06:01 08:00:00", original="2024:05:31 17:45:10"))
    assert photo.taken_at == "2024-05-31T17:45:10"


@pytest.mark.parametrize(
    "original",
    [
        "0000:00:00 00:00:00",
        "    :  :     :  :  ",
        "2024:13:06 07:08:09",
        "2024:02:30 07:08:09",
        "1970:01:01 00:00:00",
        "2999:01:01 00:00:00",
        "kemarin sore",
    ],
)
def test_absurd_original_time_falls_back_to_file_time(original: str) -> None:
    photo = ingest(_with_times("2024:06:01 08:00:00", original=original))
    assert photo.taken_at == "2024-06-01T08:00:00"


def test_absurd_times_everywhere_give_none() -> None:
    assert (
        ingest(_with_times("0000:00:00 00:00:00", original="2999:01:01 00:00:00")).taken_at is None
    )


def test_dashed_time_is_read() -> None:
    assert ingest(_with_times("2024-06-01 08:00:00")).taken_at == "2024-06-01T08:00:00"


# --- nothing of the source stays ---------------------------------------------------------------


@pytest.mark.parametrize(
    "rel",
    [
        "jpg_gps/DSCN0010.jpg",  # GPS
        "jpg_mobile/jolla.jpg",  # XMP
        "jpg_xmp/no_exif.jpg",  # ICC profile, Photoshop IPTC with a credit line
        "jpg_orientation/landscape_6.jpg",  # orientation tag
        "heic_mobile/iphone_13_pro_max.HEIC",
    ],
)
def test_kept_photo_and_thumbnail_carry_no_metadata(rel: str) -> None:
    photo = ingest(PHOTOS / rel)
    for data in (photo.jpeg, photo.thumbnail):
        im = Image.open(io.BytesIO(data))
        assert not set(im.info) & {"exif", "xmp", "icc_profile", "photoshop", "comment"}
        assert len(im.getexif()) == 0
        for marker in (b"Exif\0\0", b"http://ns.adobe.com/xap", b"ICC_PROFILE", b"Photoshop"):
            assert marker not in data


def test_jpeg_comment_is_not_copied() -> None:
    photo = ingest(_jpeg(comment=b"Budi Santoso, Desa Sungai Lilin, NIK 1606..."))
    assert b"Budi" not in photo.jpeg and b"Budi" not in photo.thumbnail


# --- colour ------------------------------------------------------------------------------------


def _mean_levels(data: bytes) -> list[float]:
    return ImageStat.Stat(Image.open(io.BytesIO(data)).convert("RGB")).mean


def test_colour_profile_is_applied_before_it_is_dropped() -> None:
    # landscape_2 carries Apple's "Generic RGB Profile"; landscape_1 is the same scene untagged.
    # Shown through their profiles the two look alike, so the kept JPEGs must too.
    untagged = _mean_levels(ingest(PHOTOS / "jpg_orientation" / "landscape_1.jpg").jpeg)
    tagged = PHOTOS / "jpg_orientation" / "landscape_2.jpg"
    kept = _mean_levels(ingest(tagged).jpeg)
    raw = ImageStat.Stat(Image.open(tagged).convert("RGB")).mean
    assert kept == pytest.approx(untagged, abs=3)
    assert max(abs(a - b) for a, b in zip(raw, untagged, strict=True)) > 10  # so it mattered


def test_display_p3_is_converted_to_srgb() -> None:
    p3 = pillow_heif.open_heif(PHOTOS / "heic_mobile" / "iphone_13_pro_max.HEIC").info[
        "icc_profile"
    ]
    colour = (200, 60, 40)

    def kept_colour(**params: object) -> tuple[int, ...]:
        data = io.BytesIO()
        Image.new("RGB", (32, 32), colour).save(data, "PNG", **params)
        return Image.open(io.BytesIO(ingest(data.getvalue()).jpeg)).getpixel((16, 16))

    assert kept_colour() == pytest.approx(colour, abs=3)
    converted = kept_colour(icc_profile=p3)
    assert converted[0] > colour[0] + 10 and converted[2] < colour[2] - 10  # more saturated


def test_broken_colour_profile_is_ignored() -> None:
    data = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 60, 40)).save(data, "PNG", icc_profile=b"not a profile")
    kept = Image.open(io.BytesIO(ingest(data.getvalue()).jpeg)).getpixel((16, 16))
    assert kept == pytest.approx((200, 60, 40), abs=3)
