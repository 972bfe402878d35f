"""What every printed document shares: embedded fonts, the office letterhead, QR images, dates."""

from __future__ import annotations

import functools
import json
import os
from datetime import date, datetime

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from muba_desk.paths import resource
from muba_desk.signing import PROGRAM_NAMES

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
CONDENSED = "DejaVuSansCondensed"
CONDENSED_BOLD = "DejaVuSansCondensed-Bold"
FONTS = (REGULAR, BOLD, ITALIC, CONDENSED, CONDENSED_BOLD)

INK = HexColor("#1a1a1a")
GREY = HexColor("#6b6b6b")
RULE = HexColor("#9a9a9a")
OFFICE_GREEN = HexColor("#0b6e4f")  # the regency's green, used sparingly on cards
WATERMARK = Color(0.75, 0.1, 0.1, alpha=0.18)

GOVERNMENT = "PEMERINTAH KABUPATEN MUSI BANYUASIN"
OFFICE = "DINAS SOSIAL"
DEFAULT_ADDRESS = (
    "Kompleks Perkantoran Pemerintah Kabupaten Musi Banyuasin, Sekayu 30711, Sumatera Selatan"
)
DEFAULT_PLACE = "Sekayu"

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


@functools.cache
def register_fonts() -> None:
    """Register the shipped DejaVu TTFs once per process: parsing them costs ~50 ms each."""
    for name in FONTS:
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", f"{name}.ttf"))))


def new_canvas(target, pagesize, title: str) -> Canvas:
    register_fonts()
    if isinstance(target, os.PathLike):
        target = os.fspath(target)  # ReportLab takes str paths or file objects only
    canvas = Canvas(target, pagesize=pagesize, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor("Dinas Sosial Kabupaten Musi Banyuasin")
    canvas.setCreator("muba-desk")
    return canvas


def program_name(code: str) -> str:
    return PROGRAM_NAMES.get(code, code)


def choice_label(choices, code) -> str:
    """A stored code as its Indonesian label on paper (the window's `gui.format` does the same
    on screen, in the user's language); an unknown code reads as words, "ternak_kambing" ->
    "Ternak kambing", never as a code."""
    if code is None or code == "":
        return "-"
    for choice in choices:
        if choice.value == code:
            return choice.label("id")
    return str(code).replace("_", " ").capitalize()


def relation_label(code) -> str:
    """A proxy's relation to the recipient: "orang_tua" -> "Orang tua"."""
    from muba_desk.domain.programs.base import RELATIONS

    return choice_label(RELATIONS, code)


def long_date(value: str | date | None) -> str:
    """2026-03-15 -> "15 Maret 2026", as letters and receipts write dates."""
    if not value:
        return "...................."
    day = value if isinstance(value, date) else datetime.fromisoformat(str(value)[:10]).date()
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(value: str | date | None) -> str:
    if not value:
        return "-"
    day = value if isinstance(value, date) else datetime.fromisoformat(str(value)[:10]).date()
    return day.strftime("%d/%m/%Y")


def masked_nik(nik: str | None) -> str:
    """Birth date and sex hidden (domain.nik.Nik.masked), without re-validating old data."""
    if not nik or len(nik) != 16:
        return "-"
    return f"{nik[:6]}{'*' * 6}{nik[12:]}"


def office_settings(db) -> dict:
    """The letterhead's address and the place written on documents (reference data wins)."""
    rows = db.conn.execute(
        "SELECT key, value FROM reference_data WHERE deleted_at IS NULL AND key IN "
        "('office.address', 'office.place', 'receipt.meterai_threshold', "
        "'receipt.meterai_amount')"
    ).fetchall()
    values = {key: json.loads(value) for key, value in rows}
    return {
        "address": values.get("office.address", DEFAULT_ADDRESS),
        "place": values.get("office.place", DEFAULT_PLACE),
        "meterai_threshold": int(values.get("receipt.meterai_threshold", 5_000_000)),
        "meterai_amount": int(values.get("receipt.meterai_amount", 10_000)),
    }


def draw_fitted(canvas: Canvas, x, y, text, font, size, width, align="left") -> None:
    """One line within `width`: shrunk down to 60 % of `size`, cut with an ellipsis below
    that (`printing.fit.fit_line`, the rule of every document)."""
    from muba_desk.printing.fit import fit_line  # fit measures with the fonts registered here

    fit_line(canvas, text, font, size, size * 0.6, width, x=x, y=y, align=align)


def draw_letterhead(canvas: Canvas, left: float, right: float, top: float, address: str) -> float:
    """The kop surat: government, office, address, a thick-thin double rule. Returns the y
    below it."""
    centre = (left + right) / 2
    canvas.setFillColor(INK)
    draw_fitted(canvas, centre, top - 5 * mm, GOVERNMENT, BOLD, 12, right - left, "center")
    draw_fitted(canvas, centre, top - 11.5 * mm, OFFICE, BOLD, 16, right - left, "center")
    _draw_address(canvas, centre, top, address, right - left)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(1.6)
    canvas.line(left, top - 18.5 * mm, right, top - 18.5 * mm)
    canvas.setLineWidth(0.5)
    canvas.line(left, top - 19.3 * mm, right, top - 19.3 * mm)
    return top - 19.3 * mm


def _draw_address(canvas: Canvas, centre: float, top: float, address: str, width: float) -> None:
    """The office's address (reference data, up to 500 characters): one line down to 6.5 pt,
    else two lines between the office's name and the double rule."""
    from muba_desk.printing.fit import draw_block, fit_block, fit_line, fit_size

    if fit_size(address, REGULAR, 8, 6.5, width) is not None:
        fit_line(canvas, address, REGULAR, 8, 6.5, width, x=centre, y=top - 16 * mm,
                 align="center")  # fmt: skip
        return
    size, lines = fit_block(address, REGULAR, 6.8, 4.5, width, 2)
    first = top - 13 * mm - 0.77 * size
    draw_block(canvas, lines, REGULAR, size, x=centre, y=first, align="center")


def draw_copy_watermark(canvas: Canvas, cx: float, cy: float, label: str, size=60) -> None:
    """A diagonal SALINAN over the content, visible but leaving the text readable."""
    canvas.saveState()
    canvas.setFillColor(WATERMARK)
    canvas.translate(cx, cy)
    canvas.rotate(30)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(0, -size / 3, label)
    canvas.restoreState()
