"""Photos are taken in upright, small and safe, and anything else is refused in Indonesian."""

from __future__ import annotations

import hashlib
import io
import random
import struct
import subprocess
import sys
import warnings
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFile, ImageStat, JpegImagePlugin, features

from muba_desk import photos
from muba_desk.photos import IngestedPhoto, PhotoError, ingest

PHOTOS = Path(__file__).parents[1] / "data" / "photos"
SAMPLES = sorted(p for p in PHOTOS.rglob("*") if p.is_file() and p.name != "SOURCE.md")

# Every sample and what must happen to it. A new file fails test_every_sample_is_classified
# until someone decides here what it should do.
EXPECTED = {
    "heic_mobile/iphone_13_pro_max.HEIC": "ok",
    "jpg/Canon_40D.jpg": "ok",
    "jpg/Nikon_D70.jpg": "ok",
    # Damaged entropy data near the end: libjpeg paints the last rows flat grey and reports no
    # error, so Pillow cannot tell it from a good photo. Accepted on purpose: the picture is
    # otherwise whole and the worker sees the grey band in the preview (see the test below).
    "jpg/corrupted.jpg": "ok",
    "jpg_gps/DSCN0010.jpg": "ok",
    "jpg_gps/DSCN0012.jpg": "ok",
    "jpg_gps/DSCN0021.jpg": "ok",
    # Malformed EXIF, sound pixels: the photo is kept, the metadata is not.
    "jpg_invalid/image00971.jpg": "ok",
    "jpg_invalid/image01088.jpg": "ok",
    "jpg_mobile/HMD_Nokia_8.3_5G.jpg": "ok",
    "jpg_mobile/jolla.jpg": "ok",
    **{
        f"jpg_orientation/{kind}_{n}.jpg": "ok"
        for kind in ("landscape", "portrait")
        for n in range(1, 9)
    },
    "jpg_xmp/no_exif.jpg": "ok",
}


def _rel(path: Path) -> str:
    return path.relative_to(PHOTOS).as_posix()


def _decode(data: bytes) -> Image.Image:
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


def _assert_refused(excinfo: pytest.ExceptionInfo[PhotoError], name: str, *words: str) -> None:
    """The error is exactly PhotoError, names the file, and says what to do, in Indonesian."""
    assert type(excinfo.value) is PhotoError
    message = str(excinfo.value)
    assert name in message
    assert any(hint in message for hint in ("Pilih", "Ambil ulang", "Periksa", "coba lagi"))
    for word in words:
        assert word in message


# --- every sample ------------------------------------------------------------------------------


def test_every_sample_is_classified() -> None:
    assert {_rel(p) for p in SAMPLES} == set(EXPECTED)


@pytest.mark.parametrize("path", SAMPLES, ids=_rel)
def test_sample_is_ingested_or_refused_as_expected(path: Path) -> None:
    expected = EXPECTED.get(_rel(path))
    assert expected is not None, f"{_rel(path)}: add it to EXPECTED"
    if expected == "refused":
        with pytest.raises(PhotoError) as excinfo:
            ingest(path)
        _assert_refused(excinfo, f"'{path.name}'")
        return
    photo = ingest(path)
    assert isinstance(photo, IngestedPhoto)
    assert photo.sha256 == hashlib.sha256(photo.jpeg).hexdigest()
    kept = _decode(photo.jpeg)
    assert (kept.format, kept.mode, kept.size) == ("JPEG", "RGB", (photo.width, photo.height))
    assert max(kept.size) <= photos.MAX_SIDE
    thumbnail = _decode(photo.thumbnail)
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) == min(photos.THUMBNAIL_SIDE, max(kept.size))
    # Same shape as the photo, to within rounding of the short side.
    assert abs(thumbnail.width / thumbnail.height - kept.width / kept.height) < 0.05


def test_path_str_and_bytes_give_the_same_photo() -> None:
    path = PHOTOS / "jpg_gps" / "DSCN0010.jpg"
    from_path = ingest(path)
    assert ingest(str(path)) == from_path
    assert ingest(path.read_bytes()) == from_path
    assert ingest(bytearray(path.read_bytes())) == from_path


def test_ingested_photo_is_frozen() -> None:
    photo = ingest(PHOTOS / "jpg" / "Canon_40D.jpg")
    with pytest.raises(AttributeError):
        photo.width = 1  # type: ignore[misc]


def test_large_photos_are_shrunk_to_1600_and_small_ones_are_not_enlarged() -> None:
    nokia = ingest(PHOTOS / "jpg_mobile" / "HMD_Nokia_8.3_5G.jpg")  # 4608 x 1976
    assert (nokia.width, nokia.height) == (1600, 686)
    assert _decode(nokia.thumbnail).size == (256, 110)
    canon = ingest(PHOTOS / "jpg" / "Canon_40D.jpg")  # 100 x 68
    assert (canon.width, canon.height) == (100, 68)
    assert _decode(canon.thumbnail).size == (100, 68)


def test_corrupted_sample_is_accepted_with_its_grey_band() -> None:
    kept = _decode(ingest(PHOTOS / "jpg" / "corrupted.jpg").jpeg).convert("L")
    bottom = ImageStat.Stat(kept.crop((0, kept.height - 4, kept.width, kept.height)))
    middle = ImageStat.Stat(kept.crop((0, kept.height // 2, kept.width, kept.height // 2 + 4)))
    assert abs(bottom.mean[0] - 128) < 3 and bottom.stddev[0] < 3  # libjpeg's grey fill
    assert middle.stddev[0] > 20  # and a real picture above it


# --- upright -----------------------------------------------------------------------------------


def _difference(a: bytes, b: bytes) -> float:
    """Mean grey-level difference of two photos of the same size, compared at 64 px."""
    first, second = _decode(a), _decode(b)
    assert first.size == second.size
    small = (64, 64 * first.height // first.width)
    first = first.convert("L").resize(small, Image.Resampling.BOX)
    second = second.convert("L").resize(small, Image.Resampling.BOX)
    return ImageStat.Stat(ImageChops.difference(first, second)).mean[0]


UPRIGHT_TOLERANCE = 5.0  # measured: 0.7-1.3 when upright, 30-61 for any wrong turn or mirror


@pytest.mark.parametrize("kind", ["landscape", "portrait"])
@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_comes_out_upright(kind: str, orientation: int) -> None:
    reference = ingest(PHOTOS / "jpg_orientation" / f"{kind}_1.jpg").jpeg
    photo = ingest(PHOTOS / "jpg_orientation" / f"{kind}_{orientation}.jpg")
    assert _difference(photo.jpeg, reference) < UPRIGHT_TOLERANCE


def test_upright_comparison_can_tell_a_wrong_turn() -> None:
    reference = ingest(PHOTOS / "jpg_orientation" / "landscape_1.jpg").jpeg
    for method in (Image.Transpose.ROTATE_180, Image.Transpose.FLIP_LEFT_RIGHT):
        turned = io.BytesIO()
        _decode(reference).transpose(method).save(turned, "JPEG")
        assert _difference(turned.getvalue(), reference) > 4 * UPRIGHT_TOLERANCE


# --- draft mode --------------------------------------------------------------------------------


@pytest.fixture
def draft_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Each JPEG draft() call as (mode, requested box, size decoded after it)."""
    calls: list[tuple[object, ...]] = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self: JpegImagePlugin.JpegImageFile, mode: str | None, size: object) -> object:
        result = original(self, mode, size)  # type: ignore[arg-type]
        calls.append((mode, size, self.size))
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    return calls


def test_phone_jpeg_is_decoded_at_half_size_with_an_aspect_correct_draft(
    draft_calls: list[tuple[object, ...]],
) -> None:
    photo = ingest(PHOTOS / "jpg_mobile" / "HMD_Nokia_8.3_5G.jpg")  # 4608 x 1976
    # (1600, 1600) would make Pillow decode all 9 MP; this box gets libjpeg's 1/2 scale.
    assert draft_calls == [("RGB", (1600, 686), (2304, 988))]
    assert (photo.width, photo.height) == (1600, 686)


def test_rotated_12_mp_jpeg_drafts_on_its_stored_size_then_turns_upright(
    draft_calls: list[tuple[object, ...]],
) -> None:
    stored = Image.new("RGB", (4000, 3000), "white")
    ImageDraw.Draw(stored).rectangle((0, 0, 800, 600), fill="red")  # stored top-left
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: the viewer must rotate 90 degrees clockwise
    data = io.BytesIO()
    stored.save(data, "JPEG", quality=90, exif=exif)

    photo = ingest(data.getvalue())

    assert draft_calls == [("RGB", (1600, 1200), (2000, 1500))]
    assert (photo.width, photo.height) == (1200, 1600)
    kept = _decode(photo.jpeg)
    red, _green, _blue = kept.getpixel((kept.width - 20, 20))  # now the top-right corner
    assert red > 200 and kept.getpixel((20, 20)) == pytest.approx((255, 255, 255), abs=8)


def test_draft_box_rounding_never_forfeits_the_half_scale(
    draft_calls: list[tuple[object, ...]],
) -> None:
    # 2403 * 1600 / 3200 = 1201.5: rounded up to 1202, 2403 // 1202 == 1 and Pillow would decode
    # all 7.7 MP; floored to 1201 it keeps the 1/2 scale.
    data = io.BytesIO()
    Image.new("RGB", (3200, 2403), "gray").save(data, "JPEG")
    ingest(data.getvalue())
    assert draft_calls == [("RGB", (1600, 1201), (1600, 1202))]


# --- other formats -----------------------------------------------------------------------------


def _png(im: Image.Image, **params: object) -> bytes:
    data = io.BytesIO()
    im.save(data, "PNG", **params)
    return data.getvalue()


def test_png_transparency_is_laid_on_white() -> None:
    im = Image.new("RGBA", (40, 20), (255, 0, 0, 0))  # invisible red: must not show
    im.paste((0, 0, 255, 255), (20, 0, 40, 20))
    kept = _decode(ingest(_png(im)).jpeg)
    assert kept.getpixel((5, 10)) == pytest.approx((255, 255, 255), abs=4)
    assert kept.getpixel((35, 10)) == pytest.approx((0, 0, 255), abs=6)


def test_palette_png_with_a_transparent_index_is_laid_on_white() -> None:
    im = Image.new("P", (40, 20), 0)
    im.putpalette([0, 0, 0, 0, 128, 0] + [0] * 762)  # index 0 black, 1 green
    im.paste(1, (20, 0, 40, 20))
    kept = _decode(ingest(_png(im, transparency=0)).jpeg)
    assert kept.getpixel((5, 10)) == pytest.approx((255, 255, 255), abs=4)
    assert kept.getpixel((35, 10)) == pytest.approx((0, 128, 0), abs=6)


def test_sixteen_bit_grey_png_keeps_its_tones() -> None:
    im = Image.new("I;16", (32, 32), 32768)  # mid grey, not the white Pillow's convert gives
    kept = _decode(ingest(_png(im)).jpeg)
    assert kept.getpixel((16, 16)) == pytest.approx((128, 128, 128), abs=3)


def test_iphone_heic_is_ingested() -> None:
    photo = ingest(PHOTOS / "heic_mobile" / "iphone_13_pro_max.HEIC")  # 3024 x 4032
    assert (photo.width, photo.height) == (1200, 1600)
    assert _decode(photo.thumbnail).size == (192, 256)
    assert photo.taken_at == "2022-02-16T12:55:41"
    assert ImageStat.Stat(_decode(photo.jpeg).convert("L")).stddev[0] > 20  # a real picture


def test_importing_photos_does_not_load_pillow_heif() -> None:
    code = "import sys, muba_desk.photos; print('pillow_heif' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_without_pillow_heif_jpegs_still_work_and_heic_is_refused() -> None:
    code = f"""
import sys
sys.modules["pillow_heif"] = None  # import fails, as in a broken install
from muba_desk.photos import PhotoError, ingest
ingest({str(PHOTOS / "jpg" / "Canon_40D.jpg")!r})
try:
    ingest({str(PHOTOS / "heic_mobile" / "iphone_13_pro_max.HEIC")!r})
except PhotoError as exc:
    print(exc)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "'iphone_13_pro_max.HEIC' bukan foto yang bisa dibaca" in result.stdout
    assert "pillow-heif is not installed" in result.stderr  # logged for the developer


# --- refusals ----------------------------------------------------------------------------------


def test_text_file_named_jpg_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "foto_ktp.jpg"
    path.write_text("Ini bukan foto, hanya catatan.\n")
    with pytest.raises(PhotoError) as excinfo:
        ingest(path)
    _assert_refused(excinfo, "'foto_ktp.jpg'", "bukan foto yang bisa dibaca")


def test_jpeg_cut_in_half_is_refused(tmp_path: Path) -> None:
    whole = (PHOTOS / "jpg_gps" / "DSCN0010.jpg").read_bytes()
    path = tmp_path / "terpotong.jpg"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(PhotoError) as excinfo:
        ingest(path)
    _assert_refused(excinfo, "'terpotong.jpg'", "rusak atau terpotong")
    assert isinstance(excinfo.value.__cause__, OSError)  # the developer's cause is chained


def test_random_bytes_are_refused() -> None:
    with pytest.raises(PhotoError) as excinfo:
        ingest(random.Random(7).randbytes(5000))
    _assert_refused(excinfo, "Berkas foto", "bukan foto yang bisa dibaca")


def test_empty_bytes_are_refused() -> None:
    with pytest.raises(PhotoError) as excinfo:
        ingest(b"")
    _assert_refused(excinfo, "Berkas foto", "kosong")


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kosong.jpg"
    path.touch()
    with pytest.raises(PhotoError) as excinfo:
        ingest(path)
    _assert_refused(excinfo, "'kosong.jpg'", "kosong")


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PhotoError) as excinfo:
        ingest(tmp_path / "hilang.jpg")
    _assert_refused(excinfo, "'hilang.jpg'", "tidak ditemukan")
    folder = tmp_path / "album.jpg"
    folder.mkdir()
    with pytest.raises(PhotoError) as excinfo:
        ingest(folder)
    _assert_refused(excinfo, "'album.jpg'", "folder")


def test_file_over_the_byte_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(photos, "MAX_FILE_BYTES", 1000)
    with pytest.raises(PhotoError) as excinfo:
        ingest((PHOTOS / "jpg_gps" / "DSCN0010.jpg").read_bytes())
    _assert_refused(excinfo, "Berkas foto", "terlalu besar")


@pytest.mark.parametrize(
    "fmt",
    [
        "GIF",
        "BMP",
        "TIFF",
        pytest.param(
            "WEBP",
            marks=pytest.mark.skipif(
                not features.check("webp"), reason="this Pillow cannot write WebP"
            ),
        ),
    ],
)
def test_formats_other_than_jpeg_png_heic_are_refused(fmt: str) -> None:
    data = io.BytesIO()
    Image.new("RGB", (32, 32), "green").save(data, fmt)
    with pytest.raises(PhotoError) as excinfo:
        ingest(data.getvalue())
    _assert_refused(excinfo, "Berkas foto", "JPEG, PNG", "HEIC")


def test_memory_exhaustion_becomes_a_photo_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def out_of_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(Image.Image, "resize", out_of_memory)
    with pytest.raises(PhotoError) as excinfo:
        ingest(PHOTOS / "jpg_mobile" / "jolla.jpg")
    _assert_refused(excinfo, "'jolla.jpg'", "Memori")


# --- pixel caps and decompression bombs ---------------------------------------------------------


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _blank_png(width: int, height: int) -> bytes:
    """A valid black 1-bit PNG: a few KB on disk for any size, so a bomb costs nothing to make."""
    row = bytes(1 + (width + 7) // 8)  # filter byte 0, then zero bits
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def _jpeg_declaring(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header claims `width` x `height`."""
    data = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(data, "JPEG")
    jpeg = bytearray(data.getvalue())
    at = 2
    while jpeg[at + 1] not in (0xC0, 0xC1, 0xC2):  # walk the segments to the frame header
        at += 2 + int.from_bytes(jpeg[at + 2 : at + 4], "big")
    jpeg[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(jpeg)


class _Decoded(BaseException):
    """Raised by the spy below; a BaseException so ingest cannot wrap it into a PhotoError."""


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test, at once and without decoding, if any image's pixels are loaded."""

    def spy(self: ImageFile.ImageFile) -> None:
        raise _Decoded(f"pixels of a {self.size} image were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)


@pytest.mark.parametrize(
    ("label", "make"),
    [
        ("png bomb 20000x20000 (Pillow's error)", lambda: _blank_png(20_000, 20_000)),
        ("png 10000x10000 (Pillow's warning)", lambda: _blank_png(10_000, 10_000)),
        ("png 7100x7100 (over our 50 MP cap)", lambda: _blank_png(7_100, 7_100)),
        ("jpeg declaring 20000x20000", lambda: _jpeg_declaring(20_000, 20_000)),
    ],
)
@pytest.mark.usefixtures("no_decoding")
def test_oversized_images_are_refused_before_decoding(
    label: str, make: Callable[[], bytes]
) -> None:
    data = make()
    assert len(data) < 300_000  # the point of a bomb: tiny file, huge picture
    max_pixels, filters = Image.MAX_IMAGE_PIXELS, list(warnings.filters)

    with pytest.raises(PhotoError) as excinfo:
        ingest(data)

    _assert_refused(excinfo, "Berkas foto", "terlalu besar", "50 megapiksel")
    assert max_pixels == Image.MAX_IMAGE_PIXELS  # nothing global was loosened or left behind
    assert warnings.filters == filters


@pytest.mark.usefixtures("no_decoding")
def test_pillow_bomb_warning_is_an_error_even_above_our_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The second lock: were MAX_PIXELS ever raised past Pillow's 89 MP warning, the warning
    # must still refuse the picture rather than let it decode.
    monkeypatch.setattr(photos, "MAX_PIXELS", 10**12)
    with pytest.raises(PhotoError) as excinfo:
        ingest(_blank_png(10_000, 10_000))
    _assert_refused(excinfo, "Berkas foto", "terlalu besar")
    assert isinstance(excinfo.value.__cause__, Image.DecompressionBombWarning)


def test_size_is_named_when_the_cap_refuses(tmp_path: Path) -> None:
    path = tmp_path / "panorama.png"
    path.write_bytes(_blank_png(7_100, 7_100))
    with pytest.raises(PhotoError) as excinfo:
        ingest(path)
    _assert_refused(excinfo, "'panorama.png'", "7100 x 7100 piksel")


# --- fuzz --------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow grumbles about the broken EXIF
def test_mutated_jpegs_are_ingested_or_refused_never_crash() -> None:
    original = (PHOTOS / "jpg" / "Canon_40D.jpg").read_bytes()  # small, with EXIF and makernote
    rng = random.Random(20240601)
    outcomes = {"ok": 0, "refused": 0}
    for _ in range(200):
        data = bytearray(original)
        for _ in range(rng.randint(1, 12)):
            # Mostly the headers and EXIF, where the parsers are; sometimes the pixel data.
            limit = 4096 if rng.random() < 0.7 else len(data)
            data[rng.randrange(limit)] = rng.randrange(256)
        if rng.random() < 0.1:
            data = data[: rng.randrange(len(data))]
        try:
            photo = ingest(bytes(data))
        except PhotoError as exc:
            assert type(exc) is PhotoError and "Berkas foto" in str(exc)
            outcomes["refused"] += 1
        else:
            assert max(photo.width, photo.height) <= photos.MAX_SIDE
            outcomes["ok"] += 1
    # Both paths were exercised, so the loop proved something about each.
    assert outcomes["ok"] > 20 and outcomes["refused"] > 5, outcomes
