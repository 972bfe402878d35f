"""Render every printed document of an invented registry to PNG under docs/screenshots/.

Run from the checkout: `.venv/bin/python scripts/make_document_screenshots.py`. Uses `pdftoppm`
(Debian poppler-utils) when installed, else QtPdf from the app's own PySide6.

Besides one of each document, it shows the fitting rule at work (docs/design.md, "Printing:
fitting"): a receipt for a recipient, proxy and officer with long names and titles, a goods
receipt of 12 items, and a card sheet of long names.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from muba_desk.printing import sheets  # noqa: E402
from muba_desk.printing.cards import print_cards  # noqa: E402
from muba_desk.printing.receipts import build_receipt, render_receipt  # noqa: E402
from muba_desk.printing.sample import VILLAGE, approve, build_sample  # noqa: E402
from muba_desk.store import records  # noqa: E402
from muba_desk.store.db import connect  # noqa: E402
from muba_desk.store.registry import Registry  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
HOUSE = ROOT / "tests" / "data" / "photos" / "jpg_gps"


def portrait_jpeg() -> bytes:
    """A neutral head-and-shoulders silhouette on an ID-photo red ground (no real person)."""
    image = Image.new("RGB", (450, 600), (178, 34, 34))
    draw = ImageDraw.Draw(image)
    draw.ellipse((150, 110, 300, 290), fill=(226, 190, 160))
    draw.ellipse((60, 330, 390, 720), fill=(40, 60, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def to_png(pdf: Path, name: str, dpi: int) -> None:
    """The first page of `pdf` as docs/screenshots/`name`, on white."""
    target = OUT / name
    if shutil.which("pdftoppm"):
        stem = OUT / name.removesuffix(".png")
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", pdf, stem],
            check=True,
        )
    else:
        _qt_png(pdf, target, dpi)
    print(target)


def _qt_png(pdf: Path, target: Path, dpi: int) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtWidgets import QApplication

    _app = QApplication.instance() or QApplication([])
    document = QPdfDocument()
    document.load(str(pdf))
    points = document.pagePointSize(0)
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    image = document.render(0, size).convertToFormat(QImage.Format.Format_RGBA8888)
    data = bytes(image.constBits())[: image.bytesPerLine() * image.height()]
    page = Image.frombuffer(
        "RGBA", (image.width(), image.height()), data, "raw", "RGBA", image.bytesPerLine(), 1
    )
    white = Image.new("RGBA", page.size, "white")
    white.alpha_composite(page)
    white.convert("RGB").save(target, optimize=True)
    document.close()


LONG_NAMES = (
    "Prof. Dr. Hj. Raden Ayu Siti Nurhaliza Kartikasari Wulandari Puspitasari Anggraini, "
    "S.Kom., M.Kes.",
    "Drs. H. Muhammad Rizki Pratama Wijayakusuma Kartanegara Setiabudi, S.E., M.Si.",
    "Raden Mas Bagus Cokroaminoto Tjokrosuyoso Notonegoro Suryadiningrat Mangkubumi",
    "Hj. Nyimas Ratu Ayu Kemala Sari Dewi binti Kemas Haji Abdul Rahman Palembang",
)
GOODS = (
    ("Beras premium", 10, "kg"),
    ("Minyak goreng kemasan", 2, "liter"),
    ("Gula pasir", 2, "kg"),
    ("Telur ayam ras", 30, "butir"),
    ("Susu bubuk lansia rendah lemak", 2, "kotak"),
    ("Kursi roda lipat dengan sandaran kaki", 1, "unit"),
    ("Tongkat kaki empat aluminium", 1, "buah"),
    ("Alat bantu dengar digital", 1, "pasang"),
    ("Popok dewasa ukuran L", 3, "bungkus"),
    ("Selimut tebal", 2, "lembar"),
    ("Sabun mandi dan sampo", 6, "batang"),
    ("Makanan siap santap", 1_800, "porsi"),
)


def add_long_examples(db) -> tuple[str, str]:
    """A recipient, proxy and officer with long names (a Rp 7.777.777 tranche received by a
    proxy), a 12-item goods hand-over, and more long-name cards; returns the two hand-overs."""
    db.conn.execute(
        "UPDATE operator SET full_name = ? WHERE id = 'op-sample'",
        ("Ir. H. Muhammad Rizki Pratama Wijayakusuma, S.Kom., M.Si.",),
    )
    reg = Registry(db, operator_id="op-sample")
    with reg.transaction():
        ids = []
        for n, name in enumerate(LONG_NAMES, start=1):
            home = records.add_household(
                reg,
                village_code=VILLAGE,
                address="Jalan Lintas Sumatera Km 127, Gang Masjid Al-Ikhlas No. 45, Dusun III",
            )
            person = records.add_person(
                reg, name=name, sex="P", nik=f"160601450778{n:04d}", birth_date="1978-07-05",
                household_id=home["id"], relation="kepala",
            )  # fmt: skip
            umak = {"decile_source": "dtsen", "household_size": 4, "payment_channel": "tunai"}
            nia = {"aid_form": "tunai_barang", "lives_alone": True}
            enrolment = records.enrol(
                reg,
                program="PEDAS_NIA" if n == 2 else "BANTU_UMAK",
                data=nia if n == 2 else umak,
                person_id=person["id"],
                household_id=home["id"],
                village_code=VILLAGE,
            )
            approve(reg, enrolment["id"])
            ids.append(enrolment["id"])
        cash = records.record_handover(
            reg, enrolment_id=ids[0], handed_at="2026-09-15", confirmed_by="kuasa",
            amount=7_777_777, tranche="Tahap 3", period="Juli - September 2026",
            proxy_name="Raden Mas Bagus Cokroaminoto Tjokrosuyoso, S.H.", proxy_relation="anak",
        )  # fmt: skip
        items = [{"name": n, "quantity": q, "unit": u} for n, q, u in GOODS]
        goods = records.record_handover(
            reg, enrolment_id=ids[1], handed_at="2026-09-16", confirmed_by="tanda_tangan",
            items=items, period="September 2026",
        )  # fmt: skip
    return cash["id"], goods["id"]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db_path = work / "sample.db"
        db = connect(db_path)
        sample = build_sample(
            db,
            portrait=portrait_jpeg(),
            house_photos=[HOUSE / f"DSCN00{n}.jpg" for n in (10, 12, 21)],
        )
        print_cards(db_path, work / "sheet.pdf", layout="a4")
        print_cards(db_path, work / "card.pdf", person_id=sample.person_id, layout="card")
        receipt = build_receipt(db, sample.handover_proxy_id)
        render_receipt(receipt, work / "receipt-a4.pdf", layout="a4")
        render_receipt(build_receipt(db, sample.handover_cash_id), work / "r58.pdf", layout="58mm")
        sheets.render_bertani_sheet(db, sample.bertani_id, work / "bertani.pdf")
        sheets.render_kube_list(db, sample.kube_id, work / "kube.pdf")
        sheets.render_bakul_nasi_sheet(db, sample.bakul_id, work / "bakul.pdf")
        long_cash, twelve_goods = add_long_examples(db)
        print_cards(db_path, work / "long-sheet.pdf", layout="a4")
        render_receipt(build_receipt(db, long_cash), work / "long.pdf", layout="a4")
        render_receipt(build_receipt(db, twelve_goods), work / "goods.pdf", layout="a4")
        db.close()
        to_png(work / "sheet.pdf", "card-sheet.png", 100)
        to_png(work / "card.pdf", "card.png", 300)
        to_png(work / "receipt-a4.pdf", "receipt-a4.png", 100)
        to_png(work / "r58.pdf", "receipt-58mm.png", 200)
        to_png(work / "bertani.pdf", "bertani-sheet.png", 100)
        to_png(work / "kube.pdf", "kube-list.png", 100)
        to_png(work / "bakul.pdf", "bakul-nasi.png", 100)
        to_png(work / "long-sheet.pdf", "card-sheet-long-names.png", 100)
        to_png(work / "long.pdf", "receipt-long-names.png", 100)
        to_png(work / "goods.pdf", "receipt-goods-12-items.png", 100)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
