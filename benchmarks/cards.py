"""N beneficiary cards with photos and QR codes to one PDF (`print_cards`, ten per A4 sheet)
against a minimal ReportLab script drawing the same photos, the same five texts and the same
QR payloads (encoded with zxing-cpp) in the same places, with `drawImage` and `drawString`.

The baseline is handed the card rows and signed QR payloads ready-made; ours reads them from the
database, signs them and records the print in the audit log, as the Print menu does.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from benchmarks.common import Row, Sizes, interleaved, median
from benchmarks.data import card_registry, copy_db

TARGET = 1.5


def minimal_cards(cards: list[dict], payloads: list[str], out: Path) -> None:
    import zxingcpp
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from muba_desk.printing.cards import sheet_positions

    positions = sheet_positions()
    canvas = Canvas(str(out), pagesize=A4)
    for i, (card, payload) in enumerate(zip(cards, payloads, strict=True)):
        if i and i % len(positions) == 0:
            canvas.showPage()
        x, y = positions[i % len(positions)]
        canvas.drawImage(
            ImageReader(io.BytesIO(card["photo"])), x + 3.5 * mm, y + 13.5 * mm, 19.5 * mm, 26 * mm
        )
        canvas.setFont("Helvetica-Bold", 8.5)
        canvas.drawString(x + 25.5 * mm, y + 35.6 * mm, card["name"])
        canvas.setFont("Helvetica", 7)
        canvas.drawString(x + 25.5 * mm, y + 28.6 * mm, card["nik"] or "-")
        canvas.drawString(x + 25.5 * mm, y + 22.4 * mm, card["card_number"])
        canvas.drawString(x + 25.5 * mm, y + 16.2 * mm, f"{card['village']} / {card['district']}")
        canvas.drawString(x + 25.5 * mm, y + 10 * mm, "27 Nov 2026")
        qr = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
        image = qr.to_image(scale=1, add_quiet_zones=True)
        side = image.shape[0]
        pil = Image.frombuffer("L", (side, side), bytes(memoryview(image)), "raw", "L", 0, 1)
        canvas.drawImage(ImageReader(pil), x + 63.5 * mm, y + 9 * mm, 20 * mm, 20 * mm)
    canvas.save()


def run(sizes: Sizes) -> list[Row]:
    from muba_desk.printing.cards import card_payload, print_cards
    from muba_desk.printing.data import card_rows, today_wib
    from muba_desk.signing import device_key
    from muba_desk.store.db import connect

    source = card_registry(sizes)
    with tempfile.TemporaryDirectory(prefix="muba-bench-", dir=source.parent) as tmp:
        tmp = Path(tmp)
        path = copy_db(source, tmp / "cards.db")
        db = connect(path)
        try:
            cards = card_rows(db)
            key, issued = device_key(db), today_wib()
            payloads = [card_payload(db, card, issued, key) for card in cards]
        finally:
            db.close()
        if len(cards) != sizes.cards or not all(card["photo"] for card in cards):
            raise RuntimeError(f"{len(cards)} cards, expected {sizes.cards} with photos")

        def ours():
            count = print_cards(path, tmp / "ours.pdf").count
            assert count == sizes.cards, count

        def base():
            minimal_cards(cards, payloads, tmp / "base.pdf")

        ours(), base()  # warm-up: fonts, imports
        a, b = interleaved(sizes.card_rounds, ours, base, budget_s=45)
        sizes_kb = (
            (tmp / "ours.pdf").stat().st_size // 1024,
            (tmp / "base.pdf").stat().st_size // 1024,
        )
    row = Row(f"{sizes.cards:,} cards with photos and QR to one PDF", median(a), median(b), TARGET)
    row.notes.append(f"cards: PDF {sizes_kb[0]:,} kB ours, {sizes_kb[1]:,} kB baseline")
    return [row]
