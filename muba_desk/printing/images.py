"""Photos and QR codes placed as PDF image objects without ReportLab decoding them.

`Canvas.drawImage` decodes every ImageReader to RGB just to name it, which costs more than the
rest of a card; here a JPEG from the database goes into the PDF as it is (DCTDecode), named by
the caller's key, and a QR code goes in as its 1-pixel-per-module, 1-bit bitmap. Both rely on
ReportLab's document internals (`_doc`, `_code`, `_formsinuse`), which have been stable for
many years; tests/printing renders the result to catch a change.
"""

from __future__ import annotations

import hashlib
import io
import zlib

import zxingcpp
from PIL import Image
from reportlab.pdfbase import pdfdoc, pdfutils
from reportlab.pdfgen.canvas import Canvas

QR_MAX_VERSION = 10
QUIET_MODULES = 4


class _Image(pdfdoc.PDFImageXObject):
    """An image XObject whose stream is given ready-made."""

    def __init__(self, name, width, height, colour_space, stream, filters, bits=8):
        self.name = name
        self.width, self.height = width, height
        self.bitsPerComponent = bits
        self.colorSpace = colour_space
        self.streamContent = stream
        self._filters = filters
        self.mask = None


def _place(canvas: Canvas, key: str, make, x, y, width, height) -> None:
    """Draw the image registered under `key`, creating it with `make()` the first time."""
    doc = canvas._doc
    reg_name = doc.getXObjectName(key)
    if doc.idToObject.get(reg_name) is None:
        image = make()
        doc.Reference(image, reg_name)
        doc.addForm(key, image)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas._code.append(f"/{reg_name} Do")
    canvas.restoreState()
    canvas._formsinuse.append(key)
    canvas._currentPageHasImages = 1


def jpeg_size(data: bytes) -> tuple[int, int, int]:
    """(width, height, components) from the JPEG header, without decoding."""
    width, height, components = pdfutils.readJPEGInfo(io.BytesIO(data))[:3]
    return width, height, components


def draw_jpeg(canvas: Canvas, key: str, data: bytes, x, y, width, height, *, size=None) -> None:
    """The JPEG as it is; `size` is jpeg_size(data) when the caller has already read it."""

    def make():
        w, h, components = size or jpeg_size(data)
        space = {1: "DeviceGray", 3: "DeviceRGB"}.get(components, "DeviceCMYK")
        return _Image(key, w, h, space, data, ("DCTDecode",))

    _place(canvas, f"jpeg{key}", make, x, y, width, height)


def draw_jpeg_cover(canvas: Canvas, key: str, data: bytes, x, y, width, height) -> None:
    """Fill the box with the photo, cropped by a clip path rather than by re-encoding."""
    size = jpeg_size(data)
    image_w, image_h, _ = size
    scale = max(width / image_w, height / image_h)
    draw_w, draw_h = image_w * scale, image_h * scale
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(x, y, width, height)
    canvas.clipPath(path, stroke=0, fill=0)
    draw_jpeg(
        canvas,
        key,
        data,
        x + (width - draw_w) / 2,
        y + (height - draw_h) / 2,
        draw_w,
        draw_h,
        size=size,
    )
    canvas.restoreState()


def qr_bitmap(payload: str) -> tuple[int, bytes]:
    """(side in modules with quiet zone, rows of 1-bit pixels, 1 = white) of a QR code at error
    correction M. One bit a module makes the image 8 times smaller, so compressing it into the
    PDF costs little next to encoding it."""
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    view = memoryview(barcode.to_image(scale=1, add_quiet_zones=True))
    side = view.shape[0]
    version = (side - 2 * QUIET_MODULES - 17) // 4
    if version > QR_MAX_VERSION:
        raise ValueError(f"QR version {version} exceeds {QR_MAX_VERSION}")
    grey = Image.frombuffer("L", (side, side), view.tobytes(), "raw", "L", 0, 1)
    return side, grey.convert("1", dither=Image.Dither.NONE).tobytes()


def qr_side(payload: str) -> int:
    """The QR code's side in modules, quiet zone included (what `qr_bitmap` draws)."""
    return qr_bitmap(payload)[0]


def draw_qr(canvas: Canvas, payload: str, x, y, size) -> None:
    """A QR code, quiet zone included, as a size x size square (no interpolation: the scaled
    modules stay sharp)."""

    def make():
        side, pixels = qr_bitmap(payload)
        stream = zlib.compress(pixels)
        return _Image(key, side, side, "DeviceGray", stream, ("FlateDecode",), bits=1)

    key = "qr" + hashlib.sha256(payload.encode()).hexdigest()[:24]
    _place(canvas, key, make, x, y, size, size)
