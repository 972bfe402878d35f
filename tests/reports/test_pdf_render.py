"""Issue 6: the regent's PDF renders in-process with its charts drawn, not blank pages."""

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtPdf")
from PySide6.QtPdf import QPdfDocument  # noqa: E402

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_report_screenshots.py"
CHART_TITLES = (
    "Pendaftaran dan persetujuan per program",
    "Uang diserahkan per kecamatan (juta Rp)",
    "Perkembangan per bulan",
)


def _script():
    spec = importlib.util.spec_from_file_location("make_report_screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _variance(image) -> float:
    """Grey-level variance over a grid of pixels: 0 for a blank page."""
    values = [
        image.pixelColor(x, y).lightness()
        for y in range(0, image.height(), 7)
        for x in range(0, image.width(), 7)
    ]
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


def test_pdf_pages_render_with_their_charts(qapp, tmp_path):
    script = _script()
    pdf = script.build_report(tmp_path, people=600)
    pages = script.render_pages(pdf, pages=2, width=600)
    assert len(pages) == 2
    # The chart region of page 1 (below the summary box) holds drawn bars.
    first = pages[0]
    charts = first.copy(0, first.height() // 3, first.width(), first.height() // 2)
    assert _variance(charts) > 200
    assert all(_variance(page) > 200 for page in pages)
    document = QPdfDocument()
    document.load(str(pdf))
    text = " ".join(document.getAllText(i).text() for i in range(document.pageCount()))
    document.close()
    for title in CHART_TITLES:
        assert title in text.replace("\n", " "), title
