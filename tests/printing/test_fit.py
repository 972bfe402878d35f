"""The fitting rule (printing/fit.py): shrink to a floor, wrap to a line limit, reserved places."""

import io

import pytest

from muba_desk.domain.money import terbilang
from muba_desk.domain.programs import PROGRAMS
from muba_desk.printing.base import BOLD, ITALIC, REGULAR, new_canvas
from muba_desk.printing.fit import (
    ELLIPSIS,
    Overprint,
    Page,
    fit_block,
    fit_line,
    text_box,
    text_width,
    wrap_lines,
)
from muba_desk.printing.receipts import MARGIN_X, VALUE_X
from tests.printing.longest import longest_amount


def _canvas():
    return new_canvas(io.BytesIO(), (600, 800), "uji")


def test_a_line_shrinks_to_its_width_and_is_cut_below_the_floor():
    canvas = _canvas()
    text = "Prof. Dr. H. Muhammad Rizki Pratama Wijayakusuma, S.Kom., M.Si."
    natural = text_width(text, BOLD, 9)
    size = fit_line(canvas, text, BOLD, 9, 6, natural * 0.8, x=0, y=100)
    assert size == pytest.approx(9 * 0.8)
    assert fit_line(canvas, text, BOLD, 9, 6, natural * 0.5, x=0, y=100) == 6
    assert wrap_lines(text, BOLD, 9, natural * 0.5)  # and wrapping would keep every word


def test_wrapping_keeps_every_word_and_breaks_a_word_wider_than_the_line():
    lines = wrap_lines("satu dua 1234567890123456789012345678 tiga", REGULAR, 9, 60)
    assert all(text_width(line, REGULAR, 9) <= 60 for line in lines)
    assert "".join(lines).replace(" ", "") == "satudua1234567890123456789012345678tiga"


def test_a_block_shrinks_until_it_fits_its_lines_and_cuts_only_at_the_floor():
    text = " ".join(["Wijayakusuma"] * 12)
    size, lines = fit_block(text, REGULAR, 9, 6, 200, 3)
    assert len(lines) <= 3 and ELLIPSIS not in "".join(lines)
    size, lines = fit_block(text * 4, REGULAR, 9, 6, 200, 3)
    assert size == 6 and len(lines) == 3 and lines[-1].endswith(ELLIPSIS)


@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_terbilang_of_each_programs_largest_amount_fits_the_receipt_box(program):
    """The receipt's words box (A4 and A5: 135 mm less its padding, 3 lines, 9 down to 7 pt)
    holds the longest words of any amount the program allows, without cutting."""
    amount = longest_amount(PROGRAMS[program].max_handover)
    words = f"# {terbilang(amount).capitalize()} #"
    width = 595.28 - 2 * MARGIN_X - VALUE_X - 4 * 72 / 25.4
    size, lines = fit_block(words, ITALIC, 9, 7, width, 3)
    assert ELLIPSIS not in "".join(lines) and size >= 7
    assert " ".join(lines) == words


def test_a_text_entering_a_reserved_place_is_refused():
    canvas = _canvas()
    page = Page()
    page.reserve("qr", 100, 100, 170, 170)
    fit_line(canvas, "Petugas", REGULAR, 9, 7, 60, x=20, y=120, page=page)  # beside it
    with pytest.raises(Overprint, match="qr"):
        fit_line(canvas, "Petugas yang panjang", REGULAR, 9, 7, 200, x=20, y=120, page=page)
    fit_line(canvas, "Pindai", REGULAR, 6, 5, 60, x=110, y=105, page=page, owner="qr")


def test_a_text_box_is_what_a_pdf_reader_measures():
    box = text_box(10, 100, "Nama", REGULAR, 10)
    assert box.y1 - box.y0 == pytest.approx(10)
    assert box.y0 < 100 < box.y1 and box.x0 == 10
