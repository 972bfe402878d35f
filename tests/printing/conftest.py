"""A small registry with one of each printed document, and helpers to read PDFs back."""

from pathlib import Path

import pytest

from muba_desk.printing.sample import build_sample

PHOTOS = Path(__file__).parent.parent / "data" / "photos"


@pytest.fixture
def sample(db):
    return build_sample(
        db,
        portrait=PHOTOS / "jpg" / "Canon_40D.jpg",
        house_photos=[PHOTOS / "jpg_gps" / f"DSCN00{n}.jpg" for n in (10, 12, 21)],
    )


def render_pages(pdf_path, dpi: int = 200):
    """Each page as a greyscale PIL image, rendered in-process by QtPdf."""
    from PIL import Image
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    assert document.load(str(pdf_path)) == QPdfDocument.Error.None_
    pages = []
    for page in range(document.pageCount()):
        points = document.pagePointSize(page)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        # QtPdf leaves unpainted paper transparent: laid on white, as it prints.
        image = document.render(page, size).convertToFormat(QImage.Format.Format_RGBA8888)
        data = bytes(image.constBits())[: image.bytesPerLine() * image.height()]
        rgba = Image.frombuffer(
            "RGBA", (image.width(), image.height()), data, "raw", "RGBA", image.bytesPerLine(), 1
        )
        paper = Image.new("RGBA", rgba.size, "white")
        pages.append(Image.alpha_composite(paper, rgba).convert("L"))
    document.close()
    return pages


def decode_qr(pages) -> list[str]:
    import zxingcpp

    texts = []
    for page in pages:
        for barcode in zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode):
            texts.append(barcode.text)
    return texts


def pdf_text(pdf_path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(pdf_path)).pages)
