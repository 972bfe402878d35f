"""Render every printed document of an invented registry to PNG under docs/screenshots/.

Run from the checkout: `.venv/bin/python scripts/make_document_screenshots.py`. Needs
`pdftoppm` (Debian poppler-utils).
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
from muba_desk.printing.sample import build_sample  # noqa: E402
from muba_desk.store.db import connect  # noqa: E402

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
    stem = OUT / name.removesuffix(".png")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", pdf, stem],
        check=True,
    )
    print(OUT / name)


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm tidak ada: apt-get install poppler-utils", file=sys.stderr)
        return 1
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
        db.close()
        to_png(work / "sheet.pdf", "card-sheet.png", 100)
        to_png(work / "card.pdf", "card.png", 300)
        to_png(work / "receipt-a4.pdf", "receipt-a4.png", 100)
        to_png(work / "r58.pdf", "receipt-58mm.png", 200)
        to_png(work / "bertani.pdf", "bertani-sheet.png", 100)
        to_png(work / "kube.pdf", "kube-list.png", 100)
        to_png(work / "bakul.pdf", "bakul-nasi.png", 100)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
