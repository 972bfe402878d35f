"""A small registry with one of each printed document, and helpers to read PDFs back."""

from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from muba_desk.printing import sheets
from muba_desk.printing.cards import print_cards
from muba_desk.printing.data import receipt_row
from muba_desk.printing.receipts import LAYOUTS, build_receipt, render_receipt
from muba_desk.printing.sample import build_sample
from muba_desk.store.db import connect
from tests.printing import longest

PHOTOS = Path(__file__).parent.parent / "data" / "photos"


@pytest.fixture
def sample(db):
    return build_sample(
        db,
        portrait=PHOTOS / "jpg" / "Canon_40D.jpg",
        house_photos=[PHOTOS / "jpg_gps" / f"DSCN00{n}.jpg" for n in (10, 12, 21)],
    )


@pytest.fixture(scope="session")
def documents(tmp_path_factory):
    """Every document rendered once to PDF from the registry `longest.build` makes."""
    from muba_desk.store import keys
    from muba_desk.sync import keys as sync_keys

    root = tmp_path_factory.mktemp("longest")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys, "SCRYPT_LOG_N", 10)
        patch.setattr(sync_keys, "SCRYPT_LOG_N", 10)
        field, enrolments, handovers = longest.build(root)
        out = {}
        for layout in ("a4", "card"):
            out[f"cards-{layout}"] = pdf = root / f"cards-{layout}.pdf"
            print_cards(field.laptop, pdf, village_code=longest.VILLAGE, layout=layout)
        with closing(connect(field.laptop)) as db:
            for key, handover_id in handovers.items():
                receipt = build_receipt(db, handover_id, copy_number=0)
                for layout in LAYOUTS:
                    out[f"receipt-{key}-{layout}"] = pdf = root / f"r-{key}-{layout}.pdf"
                    render_receipt(receipt, pdf, layout=layout)
            out["bertani"] = root / "bertani.pdf"
            sheets.render_bertani_sheet(db, enrolments["bertani"], out["bertani"])
            out["kube"] = root / "kube.pdf"
            sheets.render_kube_list(db, enrolments["kube"], out["kube"])
            for key in ("bakul_person", "bakul_institution"):
                out[key] = root / f"{key}.pdf"
                sheets.render_bakul_nasi_sheet(db, enrolments[key], out[key])
            out["bakul_july"] = root / "bakul_july.pdf"
            sheets.render_bakul_nasi_sheet(
                db, enrolments["bakul_institution"], out["bakul_july"], on=date(2026, 7, 15)
            )
            out["rows"] = {key: receipt_row(db, h) for key, h in handovers.items()}
        keys.forget_all()
    return out


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
