"""Photos from cameras and phones, opened safely and kept as upright, metadata-free JPEGs."""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import struct
import warnings
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

from PIL import Image, JpegImagePlugin

from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.photos import _colour, _exif, _heif
from muba_desk.photos._scans import count_scans

__all__ = [
    "ACCEPTED_FORMATS",
    "MAX_FILE_BYTES",
    "MAX_PIXELS",
    "MAX_SCANS",
    "MAX_SIDE",
    "THUMBNAIL_SIDE",
    "IngestedPhoto",
    "PhotoError",
    "TooManyScans",
    "check",
    "ingest",
]

MAX_SIDE = 1600  # long side of the kept photo: sharp on a printed card, small in a bundle
THUMBNAIL_SIDE = 256
JPEG_QUALITY = 85
# A 50 MP phone mode (8160 x 6120) still fits; a decompression bomb does not.
MAX_PIXELS = 50_000_000
MAX_FILE_BYTES = 100 * 1024 * 1024
# Scans of a progressive JPEG: libjpeg's standard progression has 10 (6 for grey), phones and
# cameras write baseline JPEGs (1 scan). Each scan is a pass over the whole picture even when
# it carries a dozen bytes: at our pixel cap, 100 scans decode in about 0.6 s (0.45 s for the
# usual 10, measured on a 48 MP picture), 1,000 take seconds and a 10 MB file of them minutes.
# Ten times the usual leaves room for unusual encoders and none for a denial of service.
MAX_SCANS = 100
# Only what phones and cameras produce: every other decoder is attack surface with no user.
ACCEPTED_FORMATS = ("JPEG", "PNG", "HEIF")

_log = logging.getLogger(__name__)

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_ALPHA_MODES = frozenset({"RGBA", "LA", "PA", "RGBa"})
_JPEG_START = b"\xff\xd8\xff"  # what Pillow's JPEG plugin accepts


class PhotoError(UserError, ValueError):
    """A photo that cannot be taken in; str() is one Indonesian sentence naming the file."""


class TooManyScans(PhotoError):
    """A JPEG with more than MAX_SCANS scans: refused from its bytes, before any decoding."""


@dataclass(frozen=True)
class IngestedPhoto:
    """A photo ready to store: `jpeg` is upright, at most MAX_SIDE px, with no metadata at all."""

    jpeg: bytes
    thumbnail: bytes  # JPEG, long side THUMBNAIL_SIDE (smaller photos are not enlarged)
    width: int  # of `jpeg`
    height: int
    taken_at: str | None  # naive local "YYYY-MM-DDTHH:MM:SS" from EXIF, None if unknown
    gps: tuple[float, float] | None  # (lat, lon), south and west negative
    sha256: str  # hex digest of `jpeg`


def ingest(source: str | PathLike[str] | bytes) -> IngestedPhoto:
    """Open an untrusted photo (a path or its bytes) and make the JPEG and thumbnail to keep.

    JPEG, PNG and HEIC are accepted. Anything else, damaged, or too large raises PhotoError,
    never another exception; the developer's cause stays chained.
    """
    subject = _subject(source)
    return _guarded(_ingest, _read(source, subject), subject)


def check(source: str | PathLike[str] | bytes) -> tuple[int, int]:
    """Only check that a photo would be taken in: the same refusals as `ingest` (format, size,
    damage), for a fraction of its cost. Returns the stored (width, height).

    For photos that were ingested already and only travel (a bundle's): a JPEG is decoded at
    the smallest draft scale (1/8), which still entropy-decodes every block, so truncated or
    broken data fails as in a full decode; nothing is resized or encoded.
    """
    subject = _subject(source)
    return _guarded(_check, _read(source, subject), subject)


def _guarded(fn, data: bytes, subject: str):
    try:
        return fn(data, subject)
    except PhotoError:
        raise
    except MemoryError as exc:
        raise PhotoError(
            f"Memori komputer tidak cukup untuk membuka {_lower(subject)}. "
            "Tutup aplikasi lain lalu coba lagi."
        ) from exc
    except Exception as exc:
        # Decoders fed hostile bytes raise OSError, SyntaxError, struct.error, ValueError,
        # EOFError, IndexError, RuntimeError and more; to the user they all mean one thing.
        raise PhotoError(
            f"{subject} bukan foto yang bisa dibaca (rusak atau terpotong). "
            "Ambil ulang fotonya atau pilih berkas lain."
        ) from exc


def _refuse_costly(data: bytes, subject: str) -> None:
    """A JPEG whose decoding would cost far more than its size promises is refused unread."""
    if data.startswith(_JPEG_START) and count_scans(data, stop_after=MAX_SCANS) > MAX_SCANS:
        raise TooManyScans(
            _(
                "{subject} berisi lebih dari {limit} lapisan gambar (pindaian JPEG progresif); "
                "membukanya bisa membuat aplikasi macet. Simpan ulang foto itu sebagai JPEG "
                "biasa dengan aplikasi kamera atau penyunting foto, atau ambil ulang fotonya."
            ).format(subject=subject, limit=MAX_SCANS)
        )


def _refuse_cut_heic(data: bytes, subject: str) -> None:
    """A HEIC cut short decodes without an error, its missing part green: refused from its
    bytes instead (a cut JPEG or PNG already fails in its decoder, see `_guarded`)."""
    if _heif.looks_like_heif(data) and _heif.is_truncated(data):
        raise PhotoError(
            _(
                "{subject} terpotong: sebagian isi fotonya tidak ada, sehingga gambarnya hanya "
                "setengah. Ambil ulang fotonya, atau salin ulang foto itu dari HP atau kamera "
                "(jangan cabut kabel atau flashdisk sebelum selesai)."
            ).format(subject=subject)
        )


def _check(data: bytes, subject: str) -> tuple[int, int]:
    _refuse_costly(data, subject)
    _refuse_cut_heic(data, subject)
    im = _open_jpeg(data, subject) if data.startswith(_JPEG_START) else None
    if im is None:  # not a JPEG, or its headers are broken: as `ingest` opens it
        size: list[tuple[int, int]] = []
        _decode(data, subject, side=1, stored_size=size)
        return size[0]
    with im:
        size = im.size
        try:
            # Left in YCbCr, as coded: no colour conversion, a fifth less time. libjpeg's
            # entropy decoding, where damage shows, is the same whatever the output colours.
            _load_draft(im, data, "YCbCr")
            return size
        except Exception:
            pass
    # A JPEG that fails so gets the verdict of the usual decode (it may be coded in another
    # colour space, which libjpeg converts to RGB but not to YCbCr).
    with _open_jpeg(data, subject) as im:
        _load_draft(im, data, "RGB")
    return size


def _open_jpeg(data: bytes, subject: str) -> Image.Image | None:
    """What `Image.open(…, formats=ACCEPTED_FORMATS)` gives for a JPEG, with the same
    refusals as `_decode`, but safe to call from several threads at once: it needs no
    warnings filter (those are process-wide). Pillow's decompression-bomb check is made
    here by hand, and our own cap, lower, right after. None if the JPEG plugin gives up on
    the headers (Image.open would try the other formats then)."""
    try:
        im = JpegImagePlugin.jpeg_factory(io.BytesIO(data))
    except (SyntaxError, IndexError, TypeError, struct.error):
        return None
    pixels = im.width * im.height
    bomb = Image.MAX_IMAGE_PIXELS
    if bomb is not None and pixels > bomb:
        im.close()
        raise PhotoError(_too_many_pixels(subject))  # as Pillow's error or warning says it
    if pixels > MAX_PIXELS:
        im.close()
        raise PhotoError(_too_many_pixels(subject, im.size))
    return im


def _load_draft(im: Image.Image, data: bytes, mode: str) -> None:
    im.draft(mode, _draft_box(im.size, 1))
    # The whole file in one decoder call (Pillow's default is 64 KiB a call): each call lets
    # go of the GIL and must win it back, which costs a thread-switch interval when another
    # thread is busy in Python (the importer's checks).
    im.decodermaxblock = max(im.decodermaxblock, len(data))
    im.load()


def _ingest(data: bytes, subject: str) -> IngestedPhoto:
    _refuse_costly(data, subject)
    _refuse_cut_heic(data, subject)
    im = _decode(data, subject)
    exif = _exif.read_exif(im)
    # Shrink before turning upright (the long side is the same either way): the turn then
    # moves fewer pixels.
    picture = _fit(_flatten(im), MAX_SIDE)
    picture = _upright(picture, _exif.read_orientation(exif))
    picture = _colour.to_srgb(picture, im.info.get("icc_profile"))
    jpeg = _encode(picture)
    return IngestedPhoto(
        jpeg=jpeg,
        thumbnail=_encode(_fit(picture, THUMBNAIL_SIDE)),
        width=picture.width,
        height=picture.height,
        taken_at=_exif.read_taken_at(exif),
        gps=_exif.read_gps(exif),
        sha256=hashlib.sha256(jpeg).hexdigest(),
    )


def _decode(data: bytes, subject: str, side: int = MAX_SIDE, stored_size=None) -> Image.Image:
    """The photo's pixels, a JPEG at the smallest draft scale that keeps `side` pixels on its
    long side; refused first if too large. `stored_size` (a list) gets the size before draft."""
    formats = _openable_formats()
    with warnings.catch_warnings():
        # Pillow only warns between 89 and 179 MP. Our cap below is lower and is the real guard;
        # this is the second lock. Only this category: a blanket "error" filter would break
        # unrelated code, since catch_warnings is process-wide and not thread-safe.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            opened = Image.open(io.BytesIO(data), formats=formats)
        except Image.UnidentifiedImageError as exc:
            raise PhotoError(
                f"{subject} bukan foto yang bisa dibaca: berkasnya rusak atau bukan JPEG, PNG, "
                "maupun HEIC. Pilih berkas lain atau ambil ulang fotonya."
            ) from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoError(_too_many_pixels(subject)) from exc
        with opened as im:
            if im.width * im.height > MAX_PIXELS:  # from the header, before any decoding
                raise PhotoError(_too_many_pixels(subject, im.size))
            if stored_size is not None:
                stored_size.append(im.size)
            im.draft("RGB", _draft_box(im.size, side))
            im.load()
    return im


def _draft_box(size: tuple[int, int], side: int = MAX_SIDE) -> tuple[int, int]:
    """The size to ask `Image.draft` for so that a JPEG decodes small but still >= `side`.

    libjpeg scales by 1/2, 1/4 or 1/8 and Pillow picks the scale from the tighter of width and
    height, so the box keeps the photo's own aspect ratio: asking (1600, 1600) of a 4000 x 3000
    photo decodes it whole, (1600, 1200) decodes it at 2000 x 1500. The size is the stored one,
    before the EXIF orientation turns it.
    """
    width, height = size
    long_side = max(width, height)
    if long_side <= side:
        return width, height
    # Flooring the short side keeps it from becoming the tighter ratio through rounding.
    if width >= height:
        return side, max(1, height * side // long_side)
    return max(1, width * side // long_side), side


def _flatten(im: Image.Image) -> Image.Image:
    """`im` in mode RGB, transparency laid on white (a PNG cut-out prints on white paper)."""
    if im.mode == "RGB":
        return im
    if im.mode in _ALPHA_MODES or "transparency" in im.info:
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if im.mode == "I" or im.mode.startswith("I;16"):
        # 16-bit grey PNG: Pillow's convert clips at 255 and would return a white picture.
        return im.convert("I").point(lambda v: v / 256).convert("L").convert("RGB")
    return im.convert("RGB")


def _fit(im: Image.Image, side: int) -> Image.Image:
    width, height = im.size
    if max(width, height) <= side:
        return im  # never enlarged
    if width >= height:
        size = side, max(1, round(height * side / width))
    else:
        size = max(1, round(width * side / height)), side
    # reducing_gap=1: box-reduce to under twice the target, then Lanczos, as draft() does for
    # a JPEG. Measured 44-45 dB from a full Lanczos at a third to a half of the time.
    return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=1.0)


def _upright(im: Image.Image, orientation: int) -> Image.Image:
    # The table of ImageOps.exif_transpose, which is not called itself: it would also rewrite
    # EXIF and XMP that are about to be dropped, and re-read an EXIF block that may be broken.
    method = _TRANSPOSE.get(orientation)
    return im if method is None else im.transpose(method)


def _encode(im: Image.Image) -> bytes:
    # Nothing from the source may ride along: Pillow's JPEG writer copies a comment from
    # im.info, and GPS is personal data kept apart, in the database, not in the picture.
    im.info = {}
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
    return buffer.getvalue()


@functools.cache
def _openable_formats() -> tuple[str, ...]:
    """ACCEPTED_FORMATS, registering the HEIF opener the first time a photo is opened.

    Here, not at import: pillow_heif loads libheif, which most callers never need.
    """
    try:
        import pillow_heif
    except ImportError:  # a broken install should cost HEIC photos, not every photo
        _log.warning("pillow-heif is not installed: HEIC photos will be refused")
        return tuple(f for f in ACCEPTED_FORMATS if f != "HEIF")
    # Depth maps and Apple's HDR gain map are never used; thumbnails stay on for draft().
    pillow_heif.register_heif_opener(depth_images=False, aux_images=False)
    return ACCEPTED_FORMATS


def _subject(source: object) -> str:
    if isinstance(source, bytes | bytearray | memoryview):
        return "Berkas foto"
    return f"Berkas '{Path(source).name}'"  # type: ignore[arg-type]


def _read(source: str | PathLike[str] | bytes, subject: str) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        data = _read_file(Path(source), subject)
    if not data:
        raise PhotoError(f"{subject} kosong (0 bita). Pilih berkas lain atau salin ulang fotonya.")
    if len(data) > MAX_FILE_BYTES:
        raise PhotoError(
            f"{subject} terlalu besar (lebih dari {MAX_FILE_BYTES // (1024 * 1024)} MB). "
            "Pilih foto lain atau perkecil dulu fotonya."
        )
    return data


def _read_file(path: Path, subject: str) -> bytes:
    try:
        if path.is_dir():  # Windows reports a folder as "permission denied"
            raise PhotoError(f"{subject} adalah folder, bukan foto. Pilih berkas fotonya.")
        with path.open("rb") as file:
            # One byte over the cap is enough to refuse, whatever the file's real size.
            return file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise PhotoError(f"{subject} tidak ditemukan. Periksa lokasinya lalu pilih lagi.") from exc
    except PermissionError as exc:
        raise PhotoError(
            f"{subject} tidak boleh dibaca (tidak ada izin). "
            "Salin fotonya ke folder Dokumen lalu pilih lagi."
        ) from exc
    except OSError as exc:
        raise PhotoError(
            f"{subject} tidak bisa dibaca dari disk. "
            "Periksa flashdisk atau foldernya lalu coba lagi."
        ) from exc


def _too_many_pixels(subject: str, size: tuple[int, int] | None = None) -> str:
    limit = f"batasnya {MAX_PIXELS // 1_000_000} megapiksel"
    actual = f"{size[0]} x {size[1]} piksel, " if size else ""
    return (
        f"{subject} terlalu besar ({actual}{limit}). "
        "Ambil ulang fotonya dengan ukuran biasa atau perkecil dulu fotonya."
    )


def _lower(subject: str) -> str:
    return subject[:1].lower() + subject[1:]
