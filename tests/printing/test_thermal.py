"""Thermal rolls as a 203-dpi head prints them: ink inside the head's width, and a QR code
that still decodes after the driver dithers the page to black and white."""

import pytest
from PIL import Image

from muba_desk.printing.data import CannotPrint
from muba_desk.printing.receipts import build_receipt, render_receipt
from muba_desk.printing.thermal import DOT, PRINTABLE_MM, Band, qr_dots
from tests.printing.conftest import decode_qr, render_pages

DPI = 203
DOTS_PER_MM = DPI / 25.4


def _ink_width_mm(page: Image.Image) -> float:
    """From the leftmost to the rightmost dot a head would burn (grey below half)."""
    black = page.point(lambda v: 255 if v < 128 else 0)
    left, _top, right, _bottom = black.getbbox()
    return (right - left) / DOTS_PER_MM


def _dithered(page: Image.Image) -> Image.Image:
    # What a driver sends a 1-bit head: Floyd-Steinberg error diffusion of the grey page.
    return page.convert("1", dither=Image.Dither.FLOYDSTEINBERG).convert("L")


@pytest.mark.parametrize("layout", ["58mm", "80mm"])
@pytest.mark.parametrize("which", ["handover_cash_id", "handover_goods_id", "handover_proxy_id"])
def test_the_ink_stays_on_the_head_and_the_code_decodes_dithered(
    db, sample, tmp_path, layout, which
):
    receipt = build_receipt(db, getattr(sample, which))
    out = tmp_path / f"{layout}.pdf"
    render_receipt(receipt, out, layout=layout)
    (page,) = render_pages(out, dpi=DPI)
    assert _ink_width_mm(page) <= PRINTABLE_MM[layout]
    assert decode_qr([_dithered(page)]) == [receipt.payload]


def test_a_laptops_own_printed_width_is_kept_and_a_wrong_one_refused(db, sample, tmp_path):
    receipt = build_receipt(db, sample.handover_goods_id)
    out = tmp_path / "narrow.pdf"
    render_receipt(receipt, out, layout="80mm", printable_mm=64)
    (page,) = render_pages(out, dpi=DPI)
    assert _ink_width_mm(page) <= 64
    assert decode_qr([_dithered(page)]) == [receipt.payload]
    with pytest.raises(CannotPrint, match="antara 30 dan 58 mm"):
        render_receipt(receipt, tmp_path / "wide.pdf", layout="58mm", printable_mm=60)


@pytest.mark.parametrize("layout", ["58mm", "80mm"])
def test_every_module_is_a_whole_number_of_printer_dots(db, sample, layout):
    from reportlab.lib.units import mm

    receipt = build_receipt(db, sample.handover_cash_id)
    band = Band(int(layout[:2]) * mm, PRINTABLE_MM[layout] * mm)
    per_module, side = qr_dots(receipt.payload, band)
    assert per_module >= 2
    modules = side / DOT / per_module
    assert modules == pytest.approx(round(modules))
    assert (band.left / DOT) == pytest.approx(round(band.left / DOT))
    assert side <= band.width
