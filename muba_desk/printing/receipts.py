"""Receipts (kuitansi / tanda terima) for a hand-over: A4 with two copies, A5, and thermal rolls."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm

from muba_desk.domain.goods import item_line
from muba_desk.domain.money import format_rupiah, terbilang
from muba_desk.i18n import _
from muba_desk.printing.base import (
    BOLD,
    GREY,
    INK,
    ITALIC,
    REGULAR,
    draw_copy_watermark,
    draw_fitted,
    draw_letterhead,
    long_date,
    masked_nik,
    new_canvas,
    office_settings,
    program_name,
    relation_label,
)
from muba_desk.printing.data import CannotPrint, receipt_row
from muba_desk.printing.images import draw_qr
from muba_desk.printing.thermal import draw_thermal, thermal_height
from muba_desk.signing import KIND_RECEIPT, sign_payload

LAYOUTS = ("a4", "a5", "58mm", "80mm")
ROLL_WIDTHS = {"58mm": 58 * mm, "80mm": 80 * mm}
CONFIRMATIONS = {
    "tanda_tangan": "tanda tangan",
    "cap_jempol": "cap jempol",
    "kuasa": "kuasa",
    "transfer_bank": "transfer bank",
}


@dataclass(frozen=True)
class Receipt:
    """Everything a receipt shows, whatever its layout."""

    row: dict
    payload: str
    copy_number: int  # 0 for the original, n for the n-th reprint (SALINAN)
    office: dict

    @property
    def needs_meterai(self) -> bool:
        # UU 10/2020: the duty is owed on documents of MORE THAN the threshold (Rp 5.000.000).
        amount = self.row["amount"]
        return amount is not None and amount > self.office["meterai_threshold"]

    @property
    def title(self) -> str:
        return "KUITANSI" if self.row["amount"] is not None else "TANDA TERIMA BARANG"

    @property
    def purpose(self) -> str:
        row = self.row
        parts = [f"Bantuan program {program_name(row['program'])}"]
        parts += [part for part in (row["tranche"], row["period"]) if part]
        return ", ".join(parts)

    @property
    def place(self) -> str:
        return self.row["village"] or self.office["place"]

    @property
    def copy_label(self) -> str:
        return f"SALINAN ke-{self.copy_number}" if self.copy_number else ""

    def item_lines(self) -> list[str]:
        return [item_line(item) for item in self.row["items"]]


def build_receipt(db, handover_id: str, *, copy_number: int | None = None) -> Receipt:
    """The receipt of a hand-over; `copy_number` defaults to how often it was printed before."""
    row = receipt_row(db, handover_id)
    _check_amount(row)
    fields = {
        "kind": KIND_RECEIPT,
        "number": row["receipt_number"],
        "name": row["recipient"],
        "programs": [row["program"]],
        "amount": row["amount"],
        "date": row["handed_at"][:10],
    }
    copies = row["times_printed"] if copy_number is None else copy_number
    return Receipt(row, sign_payload(db, fields), copies, office_settings(db))


def _check_amount(row: dict) -> None:
    """CannotPrint, before anything is drawn or counted, for an amount no receipt can carry in
    words (negative, a fraction, 1000 triliun or more): a receipt's amount is read in words."""
    if row["amount"] is None:
        return
    try:
        terbilang(row["amount"])
    except (TypeError, ValueError):
        raise CannotPrint(
            _(
                "Kuitansi {number} tidak dapat dicetak: jumlah uangnya ({amount}) di luar batas "
                "yang dapat ditulis dengan huruf. Perbaiki jumlah pada serah terima itu."
            ).format(number=row["receipt_number"], amount=row["amount"])
        ) from None


def render_receipt(receipt: Receipt, target, *, layout: str = "a4") -> None:
    """Write the receipt as a PDF in one of LAYOUTS to `target` (a path or a file object)."""
    if layout not in LAYOUTS:
        raise ValueError(f"Tata letak '{layout}' tidak dikenal: pilih a4, a5, 58mm atau 80mm.")
    title = f"{receipt.title} {receipt.row['receipt_number']}"
    if layout in ROLL_WIDTHS:
        width = ROLL_WIDTHS[layout]
        canvas = new_canvas(target, (width, thermal_height(receipt, width)), title)
        draw_thermal(canvas, receipt, width)
    elif layout == "a5":
        # Landscape A5 is exactly one half of the A4 layout: the same receipt, one copy.
        page = landscape(A5)
        canvas = new_canvas(target, page, title)
        _draw_copy(canvas, receipt, 0, page[0], page[1], "", stamped=True)
    else:
        canvas = new_canvas(target, A4, title)
        half = A4[1] / 2
        # The stamped copy is the one the payer (Dinas Sosial) keeps as its proof of payment.
        _draw_copy(canvas, receipt, half, A4[0], half, "Lembar untuk penerima", stamped=False)
        _draw_copy(canvas, receipt, 0, A4[0], half, "Lembar untuk Dinas Sosial", stamped=True)
        _cut_line(canvas, half, A4[0])
    canvas.save()


def receipt_pdf(receipt: Receipt, layout: str = "a4") -> bytes:
    buffer = io.BytesIO()
    render_receipt(receipt, buffer, layout=layout)
    return buffer.getvalue()


def record_print(registry, receipt: Receipt, layout: str) -> int:
    """Count a print of the receipt (handover.times_printed) and audit it; returns the count."""
    row = receipt.row
    with registry.transaction():
        current = registry.get("handover", row["id"])["times_printed"]
        registry.update("handover", row["id"], {"times_printed": current + 1})
        registry.audit_event(
            "print",
            "handover",
            row["id"],
            {
                "document": "kuitansi",
                "receipt_number": row["receipt_number"],
                "layout": layout,
                "copy": receipt.copy_number,
            },
        )
    return current + 1


def issue_receipt(registry, handover_id: str, target, *, layout: str = "a4") -> Receipt:
    """Render the receipt (SALINAN when printed before) and count the print, in that order,
    so a failed render is never counted."""
    receipt = build_receipt(registry.db, handover_id)
    render_receipt(receipt, target, layout=layout)
    record_print(registry, receipt, layout)
    return receipt


def _cut_line(canvas, y: float, width: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(GREY)
    canvas.setDash(3, 2)
    canvas.setLineWidth(0.5)
    canvas.line(8 * mm, y, width - 8 * mm, y)
    canvas.setFillColor(GREY)
    canvas.setFont(REGULAR, 7)
    canvas.drawString(8 * mm, y + 1.2 * mm, "\u2702  gunting di sini")
    canvas.restoreState()


def _draw_copy(canvas, receipt: Receipt, bottom, width, height, label, *, stamped: bool):
    """One copy of the receipt filling the box from `bottom` up `height`; `stamped` copies carry
    the meterai box when the amount needs one."""
    row = receipt.row
    left, right = 15 * mm, width - 15 * mm
    top = bottom + height - 8 * mm
    y = draw_letterhead(canvas, left, right, top, receipt.office["address"]) - 8 * mm
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 13)
    canvas.drawCentredString(width / 2, y, receipt.title)
    canvas.setFont(REGULAR, 9)
    canvas.drawCentredString(width / 2, y - 5 * mm, f"Nomor: {row['receipt_number']}")
    if label:
        canvas.setFont(ITALIC, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawRightString(right, y, label)
    if receipt.copy_label:
        canvas.setFont(BOLD, 9)
        canvas.setFillColorRGB(0.7, 0.1, 0.1)
        canvas.drawRightString(right, y - 5 * mm, receipt.copy_label)
    title_y = y
    y -= 12 * mm
    y = _draw_body(canvas, receipt, left, right, y)
    if receipt.copy_number:
        draw_copy_watermark(canvas, width / 2, (title_y + y) / 2, "SALINAN", size=48)
    # The signatures follow the body at a fixed height, so an A5 page is not half empty space.
    meterai = stamped and receipt.needs_meterai
    _draw_signatures(canvas, receipt, left, right, y, max(bottom + 9 * mm, y - 36 * mm), meterai)


def _line(canvas, left, y, label, value, *, bold=False, value_x=45 * mm, width=None) -> None:
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR, 9)
    canvas.drawString(left, y, label)
    canvas.drawString(left + value_x - 3 * mm, y, ":")
    draw_fitted(canvas, left + value_x, y, value, BOLD if bold else REGULAR, 9, width or 120 * mm)


def _draw_body(canvas, receipt: Receipt, left, right, y) -> float:
    row = receipt.row
    value_width = right - left - 45 * mm
    _line(canvas, left, y, "Sudah terima dari", "Dinas Sosial Kabupaten Musi Banyuasin",
          width=value_width)  # fmt: skip
    y -= 5.5 * mm
    if row["amount"] is not None:
        _line(canvas, left, y, "Uang sejumlah", format_rupiah(row["amount"]), bold=True)
        y -= 6.5 * mm
        words = f"# {terbilang(row['amount']).capitalize()} #"
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.5)
        canvas.setFillColorRGB(0.95, 0.95, 0.95)
        canvas.rect(left + 45 * mm, y - 2.2 * mm, value_width, 7 * mm, stroke=1, fill=1)
        canvas.setFillColor(INK)
        canvas.setFont(REGULAR, 9)
        canvas.drawString(left, y, "Terbilang")
        canvas.drawString(left + 42 * mm, y, ":")
        draw_fitted(canvas, left + 47 * mm, y, words, ITALIC, 9, value_width - 4 * mm)
        y -= 7.5 * mm
    else:
        _line(canvas, left, y, "Barang", f"{len(row['items'])} jenis, yaitu:")
        y -= 5 * mm
        for number, text in enumerate(receipt.item_lines(), start=1):
            draw_fitted(canvas, left + 45 * mm, y, f"{number}. {text}", REGULAR, 9, value_width)
            y -= 4.5 * mm
        y -= 1 * mm
    _line(canvas, left, y, "Untuk", receipt.purpose, width=value_width)
    y -= 5.5 * mm
    _line(canvas, left, y, "Penerima", row["recipient"], bold=True, width=value_width)
    y -= 5.5 * mm
    if row["nik"]:
        _line(canvas, left, y, "NIK", masked_nik(row["nik"]))
        y -= 5.5 * mm
    area = ", ".join(
        part
        for part in (
            row["address"],
            f"Desa {row['village']}" if row["village"] else None,
            f"Kec. {row['district']}" if row["district"] else None,
        )
        if part
    )
    _line(canvas, left, y, "Alamat", area or "-", width=value_width)
    y -= 5.5 * mm
    if row["confirmed_by"] == "kuasa":
        relation = f" ({relation_label(row['proxy_relation'])})" if row["proxy_relation"] else ""
        _line(canvas, left, y, "Diterima oleh kuasa", f"{row['proxy_name']}{relation}",
              width=value_width)  # fmt: skip
        y -= 5.5 * mm
    return y


def _draw_signatures(canvas, receipt: Receipt, left, right, top, bottom, meterai: bool) -> None:
    """Officer on the left, recipient on the right (with the meterai box when required), the
    QR between them."""
    row = receipt.row
    officer_x = left + 25 * mm
    recipient_x = right - 30 * mm
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR, 9)
    canvas.drawCentredString(recipient_x, top, f"{receipt.place}, {long_date(row['handed_at'])}")
    y = top - 4.5 * mm
    canvas.drawCentredString(officer_x, y, "Petugas / Pendamping,")
    who = {
        "tanda_tangan": "Penerima,",
        "cap_jempol": "Penerima (cap jempol),",
        "kuasa": "Kuasa penerima,",
        "transfer_bank": "Penerima (transfer bank),",
    }
    canvas.drawCentredString(recipient_x, y, who[row["confirmed_by"]])
    box_top = y - 2 * mm
    box_bottom = bottom + 6 * mm
    if row["confirmed_by"] == "cap_jempol":
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.6)
        canvas.rect(recipient_x - 10 * mm, box_bottom, 20 * mm, box_top - box_bottom)
        canvas.setFont(REGULAR, 6)
        canvas.setFillColor(GREY)
        canvas.drawCentredString(recipient_x, box_bottom + 1.5 * mm, "cap jempol kiri")
    if meterai:
        # The duty stamp is fixed where the recipient signs, so the signature crosses it.
        canvas.saveState()
        canvas.setStrokeColorRGB(0.7, 0.1, 0.1)
        canvas.setDash(2, 1.5)
        canvas.setLineWidth(0.7)
        box_x = recipient_x - 40 * mm
        canvas.rect(box_x, box_bottom + 1 * mm, 24 * mm, 18 * mm)
        canvas.setFillColorRGB(0.7, 0.1, 0.1)
        canvas.setFont(BOLD, 7)
        canvas.drawCentredString(box_x + 12 * mm, box_bottom + 11 * mm, "METERAI")
        canvas.setFont(REGULAR, 6.5)
        amount = format_rupiah(receipt.office["meterai_amount"])
        canvas.drawCentredString(box_x + 12 * mm, box_bottom + 7 * mm, amount)
        canvas.restoreState()
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 9)
    officer = row["officer"] or "(..............................)"
    recipient = row["proxy_name"] if row["confirmed_by"] == "kuasa" else row["recipient"]
    canvas.drawCentredString(officer_x, bottom + 2 * mm, officer)
    canvas.drawCentredString(recipient_x, bottom + 2 * mm, recipient)
    for x in (officer_x, recipient_x):
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(INK)
        canvas.line(x - 25 * mm, bottom + 1 * mm, x + 25 * mm, bottom + 1 * mm)
    qr_size = 24 * mm
    qr_x = (officer_x + recipient_x) / 2 - qr_size / 2 - (6 * mm if meterai else 0)
    if meterai:
        qr_x = officer_x + 27 * mm
    draw_qr(canvas, receipt.payload, qr_x, bottom + 2 * mm, qr_size)
    canvas.setFont(REGULAR, 5.5)
    canvas.setFillColor(GREY)
    canvas.drawCentredString(qr_x + qr_size / 2, bottom, "Pindai untuk cek keaslian")
