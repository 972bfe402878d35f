"""Receipts for 58 mm and 80 mm thermal rolls: one narrow column, as long as it needs to be."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

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
from muba_desk.printing.images import draw_qr

MARGIN = 3 * mm  # thermal heads do not print the outer few millimetres
QR_SIZE = 30 * mm
SIGN_SPACE = 16 * mm


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        attempt = f"{current} {word}".strip()
        if current and stringWidth(attempt, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = attempt
    return [*lines, current] if current else lines


def _lines(receipt, width: float) -> list[tuple[str, str, float, str]]:
    """(text, font, size, align) for each printed line, wrapped to the roll."""
    register_fonts()  # widths are measured before the canvas exists
    row = receipt.row
    size = 7.5 if width < 70 * mm else 8.5
    usable = width - 2 * MARGIN
    out: list[tuple[str, str, float, str]] = []

    def add(text, font=CONDENSED, align="left", scale=1.0):
        for line in _wrap(text, font, size * scale, usable):
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
    else:
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
    confirmation = {
        "tanda_tangan": "Tanda tangan penerima:",
        "cap_jempol": "Cap jempol penerima:",
        "transfer_bank": "Dibayar lewat transfer bank:",
    }
    add(confirmation.get(row["confirmed_by"], "Tanda tangan kuasa:"))
    out.append(("", CONDENSED, size, "sign"))
    add(f"Petugas: {row['officer'] or '-'}")
    return out


def _advance(line) -> float:
    _, _, size, align = line
    if align == "sign":
        return SIGN_SPACE
    return size * 1.35


def thermal_height(receipt, width: float) -> float:
    return 2 * MARGIN + sum(_advance(line) for line in _lines(receipt, width)) + QR_SIZE + 6 * mm


def draw_thermal(canvas, receipt, width: float) -> None:
    y = canvas._pagesize[1] - MARGIN
    for line in _lines(receipt, width):
        text, font, size, align = line
        y -= _advance(line)
        canvas.setFont(font, size)
        if align == "center":
            canvas.drawCentredString(width / 2, y, text)
        elif align == "rule":
            canvas.setDash(2, 1.5)
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN, y + size / 2, width - MARGIN, y + size / 2)
            canvas.setDash()
        elif align == "sign":
            canvas.setLineWidth(0.5)
            canvas.line(MARGIN, y + 2 * mm, width / 2 + 10 * mm, y + 2 * mm)
        else:
            canvas.drawString(MARGIN, y, text)
    draw_qr(canvas, receipt.payload, (width - QR_SIZE) / 2, MARGIN + 4 * mm, QR_SIZE)
    canvas.setFont(CONDENSED, 6)
    canvas.drawCentredString(width / 2, MARGIN + 1.5 * mm, "Pindai untuk cek keaslian")
