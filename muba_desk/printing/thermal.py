"""Receipts for 58 mm and 80 mm thermal rolls: one narrow column, as long as it needs to be.

The page is the roll's width; everything is drawn inside the band the print head reaches,
centred on it: 48 mm of a 58 mm roll (a 384-dot head at 203 dpi) and 72 mm of an 80 mm roll
(576 dots), or what the laptop's printer setting says (`printable`). The QR code is drawn at a
whole number of printer dots per module, from a whole dot, so a 203-dpi head prints every
module the same width and a dithering driver has nothing to blur (docs/design.md, Printing).
"""

from __future__ import annotations

from reportlab.lib.units import mm

from muba_desk.domain.money import format_rupiah, terbilang
from muba_desk.printing.base import (
    BOLD,
    CONDENSED,
    CONDENSED_BOLD,
    ITALIC,
    long_date,
    masked_nik,
    register_fonts,
    relation_label,
)
from muba_desk.printing.fit import wrap_lines
from muba_desk.printing.images import draw_qr, qr_side

MARGIN = 3 * mm  # above and below: the cutter and the feed
QR_SIZE = 30 * mm  # the most a code may take; it is drawn at whole dots up to this
SIGN_SPACE = 16 * mm
DPI = 203  # nearly every receipt printer's head: 8 dots a millimetre
DOT = 72 / DPI  # one printer dot, in points
# What the head reaches of each roll, by default (a laptop may set its printer's own).
PRINTABLE_MM = {"58mm": 48.0, "80mm": 72.0}
PRINTABLE_LIMITS_MM = (30.0, 80.0)


class Band:
    """The printable band of a roll: `left` and `width` in points, on whole printer dots."""

    def __init__(self, paper: float, printable: float):
        printable = min(printable, paper)
        # A dot short at each edge: a driver rounds the page onto its dots, and a line's or a
        # glyph's anti-aliased edge must not reach past the head.
        dots = int(printable / DOT) - 2
        self.width = dots * DOT
        self.left = round((paper - self.width) / 2 / DOT) * DOT
        self.paper = paper

    @property
    def centre(self) -> float:
        return self.left + self.width / 2


def qr_dots(payload: str, band: Band) -> tuple[int, float]:
    """(dots per module, side in points) of the largest whole-dot QR code no bigger than
    QR_SIZE and the band."""
    side = qr_side(payload)
    most = min(QR_SIZE, band.width)
    per_module = max(1, int(most / DOT) // side)
    return per_module, side * per_module * DOT


def _lines(receipt, band: Band) -> list[tuple[str, str, float, str]]:
    """(text, font, size, align) for each printed line, wrapped to the printable band."""
    register_fonts()  # widths are measured before the canvas exists
    row = receipt.row
    size = 7.5 if band.width < 60 * mm else 8.5
    usable = band.width
    out: list[tuple[str, str, float, str]] = []

    def add(text, font=CONDENSED, align="left", scale=1.0):
        for line in wrap_lines(text, font, size * scale, usable):
            out.append((line, font, size * scale, align))

    add("PEMERINTAH KAB. MUSI BANYUASIN", CONDENSED_BOLD, "center")
    add("DINAS SOSIAL", BOLD, "center", 1.3)
    add(receipt.office["place"], CONDENSED, "center")
    out.append(("-" * 80, CONDENSED, size, "rule"))
    add(receipt.title, CONDENSED_BOLD, "center", 1.15)
    add(row["receipt_number"], CONDENSED, "center")
    if receipt.copy_label:
        add(f"*** {receipt.copy_label} ***", CONDENSED_BOLD, "center")
    out.append(("-" * 80, CONDENSED, size, "rule"))
    add(f"Program: {receipt.purpose.removeprefix('Bantuan program ')}")
    add(f"Penerima: {row['recipient']}", CONDENSED_BOLD)
    if row["nik"]:
        add(f"NIK: {masked_nik(row['nik'])}")
    if row["village"]:
        add(f"Desa: {row['village']}")
    if row["amount"] is not None:
        add(f"Jumlah: {format_rupiah(row['amount'])}", CONDENSED_BOLD, scale=1.15)
        add(f"Terbilang: {terbilang(row['amount'])}", ITALIC)
    if row["items"]:  # goods, alone or with the cash (a Bertani stage of funds and materials)
        add("Barang:")
        for number, text in enumerate(receipt.item_lines(), start=1):
            add(f"{number}. {text}")
    if row["confirmed_by"] == "kuasa":
        relation = f" ({relation_label(row['proxy_relation'])})" if row["proxy_relation"] else ""
        add(f"Diterima kuasa: {row['proxy_name']}{relation}")
    if receipt.needs_meterai:
        # A roll prints one copy: the stamp goes on it, where the recipient signs.
        stamp = format_rupiah(receipt.office["meterai_amount"])
        add(f"Wajib meterai {stamp}: tempel pada kuitansi ini; penerima menandatangani di "
            "atas meterai.", CONDENSED_BOLD)  # fmt: skip
    add(f"{receipt.place}, {long_date(row['handed_at'])}")
    if row["person_id"] or row["confirmed_by"] == "kuasa":
        confirmation = {
            "tanda_tangan": "Tanda tangan penerima:",
            "cap_jempol": "Cap jempol penerima:",
            "transfer_bank": "Dibayar lewat transfer bank:",
        }
        add(confirmation.get(row["confirmed_by"], "Tanda tangan kuasa:"))
        out.append(("", CONDENSED, size, "sign"))
    else:  # a group signs by its chair and treasurer, an institution by its head
        for role, name in row["signatories"]:
            add(f"Tanda tangan {role.rstrip(',').lower()}:")
            out.append(("", CONDENSED, size, "sign"))
            add(name or "(..............................)", CONDENSED_BOLD)
    add(f"Petugas: {row['officer'] or '-'}")
    return out


def _advance(line) -> float:
    _, _, size, align = line
    if align == "sign":
        return SIGN_SPACE
    return size * 1.35


def thermal_height(receipt, width: float, printable: float | None = None) -> float:
    band = Band(width, printable or width)
    qr = qr_dots(receipt.payload, band)[1]
    return 2 * MARGIN + sum(_advance(line) for line in _lines(receipt, band)) + qr + 6 * mm


def draw_thermal(canvas, receipt, width: float, printable: float | None = None) -> None:
    """The receipt on a roll `width` wide, inside the centred band `printable` wide (points;
    the whole roll when None)."""
    band = Band(width, printable or width)
    left, right = band.left, band.left + band.width
    y = canvas._pagesize[1] - MARGIN
    for line in _lines(receipt, band):
        text, font, size, align = line
        y -= _advance(line)
        canvas.setFont(font, size)
        if align == "center":
            canvas.drawCentredString(band.centre, y, text)
        elif align == "rule":
            canvas.setDash(2, 1.5)
            canvas.setLineWidth(0.5)
            canvas.line(left, y + size / 2, right, y + size / 2)
            canvas.setDash()
        elif align == "sign":
            canvas.setLineWidth(0.5)
            canvas.line(left, y + 2 * mm, min(right, band.centre + 10 * mm), y + 2 * mm)
        else:
            canvas.drawString(left, y, text)
    _, side = qr_dots(receipt.payload, band)
    # From a whole dot of the band, so each module covers the same dots of the head.
    x = band.left + round((band.width - side) / 2 / DOT) * DOT
    bottom = round((MARGIN + 4 * mm) / DOT) * DOT
    draw_qr(canvas, receipt.payload, x, bottom, side)
    canvas.setFont(CONDENSED, 6)
    canvas.drawCentredString(band.centre, MARGIN + 1.5 * mm, "Pindai untuk cek keaslian")
