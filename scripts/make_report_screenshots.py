"""Render the regent's PDF report of a demo registry to docs/screenshots/report-page-N.png.

Run from the checkout: `.venv/bin/python scripts/make_report_screenshots.py`. Renders in-process
with QtPdf (PySide6-Addons); no poppler needed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402

from muba_desk.demo import create_demo  # noqa: E402
from muba_desk.reports import figures  # noqa: E402
from muba_desk.reports.pdf import write_pdf  # noqa: E402
from muba_desk.store.db import connect  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PAGES = 2
WIDTH = 1240  # pixels across an A4 page: about 150 dpi


def render_pages(pdf: Path, pages: int = PAGES, width: int = WIDTH) -> list[QImage]:
    """The first `pages` pages of `pdf` as images `width` pixels wide."""
    document = QPdfDocument()
    document.load(str(pdf))
    if document.status() != QPdfDocument.Status.Ready:
        raise RuntimeError(f"QtPdf cannot read {pdf}: {document.error()}")
    images = []
    for page in range(min(pages, document.pageCount())):
        size = document.pagePointSize(page)
        height = round(width * size.height() / size.width())
        # QtPdf leaves the paper transparent: lay each page on white, as it prints.
        paper = QImage(width, height, QImage.Format.Format_RGB32)
        paper.fill(Qt.GlobalColor.white)
        painter = QPainter(paper)
        painter.drawImage(0, 0, document.render(page, QSize(width, height)))
        painter.end()
        images.append(paper)
    document.close()
    return images


def build_report(folder: Path, people: int = 3000) -> Path:
    """A demo registry of `people` (statuses and hand-overs included) and its PDF report."""
    db = connect(folder / "office.db")
    try:
        create_demo(db, people=people, seed=6, today=date(2026, 3, 15))
        return write_pdf(
            figures.compute(db), folder / "laporan.pdf", address="Jl. Kolonel Wahid Udin No. 1"
        )
    finally:
        db.close()


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication([])
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = build_report(Path(tmp))
        for number, image in enumerate(render_pages(pdf), start=1):
            target = OUT / f"report-page-{number}.png"
            if not image.save(str(target)):
                raise RuntimeError(f"cannot write {target}")
            print(target.relative_to(ROOT))
    del app


if __name__ == "__main__":
    main()
