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
    CONDENSED_BOLD,
    GREY,
    INK,
    ITALIC,
    REGULAR,
    draw_copy_watermark,
    draw_letterhead,
    long_date,
    masked_nik,
    new_canvas,
    office_settings,
    program_name,
    relation_label,
)
from muba_desk.printing.data import CannotPrint, receipt_row
from muba_desk.printing.fit import Page, draw_block, fit_block, fit_line, leading
from muba_desk.printing.images import draw_qr
from muba_desk.printing.thermal import (
    PRINTABLE_LIMITS_MM,
    PRINTABLE_MM,
    draw_thermal,
    thermal_height,
)
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
    # A PDF kept on the laptop or sent to the office as a record: marked ARSIP, never an
    # original, and not counted as a print (issue 16: saving used the original up).
    archive: bool = False

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
        if self.archive:
            return "ARSIP - bukan kuitansi asli"
        return f"SALINAN ke-{self.copy_number}" if self.copy_number else ""

    @property
    def watermark(self) -> str:
        """The diagonal word over a copy that is not the original ("" for the original)."""
        if self.archive:
            return "ARSIP"
        return "SALINAN" if self.copy_number else ""

    def item_lines(self) -> list[str]:
        return [item_line(item) for item in self.row["items"]]


def build_receipt(
    db, handover_id: str, *, copy_number: int | None = None, archive: bool = False
) -> Receipt:
    """The receipt of a hand-over; `copy_number` defaults to how often it was printed before;
    `archive` makes the record copy saved as a file (marked ARSIP, not counted)."""
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
    return Receipt(row, sign_payload(db, fields), copies, office_settings(db), archive)


def _check_amount(row: dict) -> None:
    """CannotPrint, before anything is drawn or counted, for an amount no receipt may carry:
    Rp 0 or less, a fraction, or more than the program's largest hand-over (`max_handover`,
    the bound `core.rules` keeps for new hand-overs; a row stored before it is caught here),
    so the terbilang box is sized for the largest amount a program allows."""
    amount = row["amount"]
    if amount is None:
        return
    from muba_desk.domain.programs import PROGRAMS
    from muba_desk.domain.programs.base import MAX_HANDOVER_ANY

    spec = PROGRAMS.get(row.get("program") or "")
    cap = spec.max_handover if spec else MAX_HANDOVER_ANY
    if type(amount) is not int or not 0 < amount <= cap:
        raise CannotPrint(
            _(
                "Kuitansi {number} tidak dapat dicetak: jumlah uangnya ({amount}) harus lebih "
                "dari Rp 0 dan paling banyak {cap}. Perbaiki jumlah pada serah terima itu."
            ).format(number=row["receipt_number"], amount=amount, cap=format_rupiah(cap))
        )


def printable_width(layout: str, printable_mm: float | None) -> float:
    """The thermal band in points: the laptop's setting, else the roll's default; a setting
    outside PRINTABLE_LIMITS_MM or wider than the roll is refused with what to do."""
    if printable_mm is None:
        return PRINTABLE_MM[layout] * mm
    low, high = PRINTABLE_LIMITS_MM
    roll = ROLL_WIDTHS[layout] / mm
    if not (low <= printable_mm <= min(high, roll)):
        raise CannotPrint(
            _(
                "Lebar cetak printer termal {value} mm tidak mungkin untuk kertas {roll:g} mm: "
                "isi antara {low:g} dan {high:g} mm (lihat buku petunjuk printernya; "
                "umumnya 48 mm untuk kertas 58 mm, 72 mm untuk kertas 80 mm)."
            ).format(value=printable_mm, roll=roll, low=low, high=min(high, roll))
        )
    return printable_mm * mm


def render_receipt(
    receipt: Receipt, target, *, layout: str = "a4", printable_mm: float | None = None
) -> None:
    """Write the receipt as a PDF in one of LAYOUTS to `target` (a path or a file object).
    `printable_mm`: how wide the thermal printer's head prints (thermal.PRINTABLE_MM by
    default); the other layouts ignore it."""
    if layout not in LAYOUTS:
        raise ValueError(f"Tata letak '{layout}' tidak dikenal: pilih a4, a5, 58mm atau 80mm.")
    title = f"{receipt.title} {receipt.row['receipt_number']}"
    if layout in ROLL_WIDTHS:
        width = ROLL_WIDTHS[layout]
        printable = printable_width(layout, printable_mm)
        canvas = new_canvas(target, (width, thermal_height(receipt, width, printable)), title)
        draw_thermal(canvas, receipt, width, printable)
    elif layout == "a5":
        # Landscape A5 is exactly one half of the A4 layout: the same receipt, one copy.
        page = landscape(A5)
        canvas = new_canvas(target, page, title)
        render_pages(canvas, receipt, page[0], page[1], [("", True)])
    else:
        canvas = new_canvas(target, A4, title)
        # The stamped copy is the one the payer (Dinas Sosial) keeps as its proof of payment.
        copies = [("Lembar untuk penerima", False), ("Lembar untuk Dinas Sosial", True)]
        render_pages(canvas, receipt, A4[0], A4[1], copies)
    canvas.save()


def receipt_pdf(receipt: Receipt, layout: str = "a4", printable_mm: float | None = None) -> bytes:
    buffer = io.BytesIO()
    render_receipt(receipt, buffer, layout=layout, printable_mm=printable_mm)
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


def issue_receipt(
    registry, handover_id: str, target, *, layout: str = "a4", printable_mm: float | None = None
) -> Receipt:
    """Render the receipt (SALINAN when printed before) and count the print, in that order,
    so a failed render is never counted."""
    receipt = build_receipt(registry.db, handover_id)
    render_receipt(receipt, target, layout=layout, printable_mm=printable_mm)
    record_print(registry, receipt, layout)
    return receipt


# -- the A4 and A5 layouts: measured rows, then placed; what does not fit continues ------------
MARGIN_X = 15 * mm
TOP = 6 * mm
HEADER_H = 45.3 * mm  # top margin, letterhead, title and number, down to the first row
CONTINUED_H = 22 * mm  # the heading of a continuation page
BOTTOM = 6 * mm
SIGN_GAP = 1 * mm  # below the last row's step, above the date line
SIGN_NAMES = 31.5 * mm  # from the date line down to the first name's baseline
QR_BELOW = 34.5 * mm  # from the date line down to below the QR's caption
VALUE_X = 45 * mm
ROW_STEP = 5.5 * mm
ITEM_STEP = 4.5 * mm
QR_SIZE = 24 * mm
NAME_FONT, NAME_SIZE, NAME_FLOOR, NAME_LINES = CONDENSED_BOLD, 9, 6.5, 3


@dataclass(frozen=True)
class _Row:
    """One label with its value already wrapped to the value column."""

    label: str
    lines: list[str]
    font: str
    size: float
    shaded: bool = False  # the terbilang box
    step: float = ROW_STEP  # a goods line is closer to the next

    @property
    def height(self) -> float:
        extra = 2 * mm if self.shaded else 0
        return (len(self.lines) - 1) * leading(self.size) + self.step + extra


def _rows(receipt: Receipt, value_width: float) -> list[_Row]:
    """The body of a receipt: who pays, the money (figures and words) and the goods, what for,
    who receives and where; long values wrap (names and addresses up to 3 lines)."""
    row = receipt.row

    def value(label, text, font=REGULAR, lines=3, floor=7.5, shaded=False, step=ROW_STEP):
        width = value_width - (4 * mm if shaded else 0)
        fitted, wrapped = fit_block(text or "-", font, 9, floor, width, lines)
        return _Row(label, wrapped, font, fitted, shaded, step)

    out = [value("Sudah terima dari", "Dinas Sosial Kabupaten Musi Banyuasin")]
    if row["amount"] is not None:
        out.append(value("Uang sejumlah", format_rupiah(row["amount"]), BOLD, lines=1))
        words = f"# {terbilang(row['amount']).capitalize()} #"
        out.append(value("Terbilang", words, ITALIC, lines=3, floor=7, shaded=True))
    if row["items"]:
        out.append(value("Barang", f"{len(row['items'])} jenis, yaitu:"))
        for number, text in enumerate(receipt.item_lines(), start=1):
            out.append(value("", f"{number}. {text}", lines=2, step=ITEM_STEP))
    out.append(value("Untuk", receipt.purpose))
    out.append(value("Penerima", row["recipient"], BOLD))
    if row["nik"]:
        out.append(value("NIK", masked_nik(row["nik"]), lines=1))
    area = ", ".join(
        part
        for part in (
            row["address"],
            f"Desa {row['village']}" if row["village"] else None,
            f"Kec. {row['district']}" if row["district"] else None,
        )
        if part
    )
    out.append(value("Alamat", area))
    if row["confirmed_by"] == "kuasa":
        relation = f" ({relation_label(row['proxy_relation'])})" if row["proxy_relation"] else ""
        out.append(value("Diterima oleh kuasa", f"{row['proxy_name']}{relation}"))
    return out


def render_pages(canvas, receipt: Receipt, page_w: float, page_h: float, copies) -> None:
    """`copies` is [(label, stamped)]: two halves of one sheet when a copy fits half the page
    height, else each copy on its own page(s), its rows continuing on the next page."""
    left, right = MARGIN_X, page_w - MARGIN_X
    rows = _rows(receipt, right - left - VALUE_X)
    body = sum(r.height for r in rows)
    half = page_h / len(copies)
    if HEADER_H + body + SIGN_GAP + _sign_height(receipt, page_w) + BOTTOM <= half:
        for index, (label, stamped) in enumerate(copies):
            bottom = page_h - (index + 1) * half
            _draw_copy(canvas, receipt, rows, bottom, page_w, half, label, stamped)
        for index in range(1, len(copies)):
            _cut_line(canvas, page_h - index * half, page_w)
        return
    for index, (label, stamped) in enumerate(copies):
        if index:
            canvas.showPage()
        _draw_paged(canvas, receipt, rows, page_w, page_h, label, stamped)


def _header(canvas, receipt: Receipt, page: Page, width: float, top: float, label: str) -> float:
    """Letterhead, title, number, copy label; returns the first row's baseline."""
    left, right = MARGIN_X, width - MARGIN_X
    y = draw_letterhead(canvas, left, right, top, receipt.office["address"]) - 8 * mm
    canvas.setFillColor(INK)
    fit_line(canvas, receipt.title, BOLD, 13, 10, 90 * mm, x=width / 2, y=y, align="center",
             page=page)  # fmt: skip
    number = f"Nomor: {receipt.row['receipt_number']}"
    fit_line(canvas, number, REGULAR, 9, 7, 90 * mm, x=width / 2, y=y - 5 * mm, align="center",
             page=page)  # fmt: skip
    if label:
        canvas.setFillColor(GREY)
        fit_line(canvas, label, ITALIC, 7.5, 6, 40 * mm, x=right, y=y, align="right", page=page)
    if receipt.copy_label:
        canvas.setFillColorRGB(0.7, 0.1, 0.1)
        fit_line(canvas, receipt.copy_label, BOLD, 9, 7, 40 * mm, x=right, y=y - 5 * mm,
                 align="right", page=page)  # fmt: skip
    canvas.setFillColor(INK)
    return y - 12 * mm


def _continued(canvas, receipt: Receipt, page: Page, width: float, top: float, n: int) -> float:
    """The heading of a continuation page: which receipt, which page."""
    canvas.setFillColor(INK)
    text = f"{receipt.title} Nomor {receipt.row['receipt_number']} (lanjutan, halaman {n})"
    fit_line(canvas, text, BOLD, 10, 7, width - 2 * MARGIN_X, x=MARGIN_X, y=top - 6 * mm,
             page=page)  # fmt: skip
    if receipt.copy_label:
        canvas.setFillColorRGB(0.7, 0.1, 0.1)
        fit_line(canvas, receipt.copy_label, BOLD, 9, 7, 60 * mm, x=MARGIN_X, y=top - 11 * mm,
                 page=page)  # fmt: skip
        canvas.setFillColor(INK)
    return top - CONTINUED_H + 8 * mm


def _draw_copy(canvas, receipt: Receipt, rows, bottom, width, height, label, stamped) -> None:
    """One copy filling the box from `bottom` up `height` (the caller checked it fits)."""
    page = Page()
    top = bottom + height - TOP
    y = _header(canvas, receipt, page, width, top, label)
    first = y
    for row in rows:
        y = _draw_row(canvas, row, page, y, width)
    if receipt.watermark:
        draw_copy_watermark(canvas, width / 2, (first + y) / 2, receipt.watermark, size=48)
    # The signatures follow the body, so a short receipt leaves no empty half page.
    _draw_signatures(canvas, receipt, page, width, y - SIGN_GAP, stamped and receipt.needs_meterai)


def _draw_paged(canvas, receipt: Receipt, rows, width, height, label, stamped) -> None:
    """One copy over as many pages as its rows need; the signatures follow the last row, on
    a page of their own when they do not fit under it."""
    page = Page()
    y = first = _header(canvas, receipt, page, width, height - TOP, label)
    number = 1

    def next_page():
        nonlocal page, y, first, number
        if receipt.watermark:
            draw_copy_watermark(canvas, width / 2, (first + y) / 2, receipt.watermark, size=48)
        canvas.showPage()
        number += 1
        page = Page()
        y = first = _continued(canvas, receipt, page, width, height, number)

    for row in rows:
        if y - row.height < BOTTOM and y < first:
            next_page()
        y = _draw_row(canvas, row, page, y, width)
    if y - SIGN_GAP - _sign_height(receipt, width) < BOTTOM:
        next_page()
    elif receipt.watermark:
        draw_copy_watermark(canvas, width / 2, (first + y) / 2, receipt.watermark, size=48)
    _draw_signatures(canvas, receipt, page, width, y - SIGN_GAP, stamped and receipt.needs_meterai)


def _draw_row(canvas, row: _Row, page: Page, y: float, width: float) -> float:
    """Label, colon and value lines at baseline `y`; returns the next row's baseline."""
    left, right = MARGIN_X, width - MARGIN_X
    if row.shaded:
        y -= 1 * mm
        lines_h = (len(row.lines) - 1) * leading(row.size)
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.5)
        canvas.setFillColorRGB(0.95, 0.95, 0.95)
        canvas.rect(left + VALUE_X, y - lines_h - 2.2 * mm, right - left - VALUE_X,
                    lines_h + 7 * mm, stroke=1, fill=1)  # fmt: skip
    canvas.setFillColor(INK)
    if row.label:
        fit_line(canvas, row.label, REGULAR, 9, 7, VALUE_X - 4 * mm, x=left, y=y, page=page)
        canvas.drawString(left + VALUE_X - 3 * mm, y, ":")
    x = left + VALUE_X + (2 * mm if row.shaded else 0)
    draw_block(canvas, row.lines, row.font, row.size, x=x, y=y, page=page)
    return y - row.height + (1 * mm if row.shaded else 0)


def _columns(width: float, signers: int) -> tuple[tuple[float, float], list[tuple[float, float]]]:
    """(officer column, recipient columns) as x ranges; the QR goes in the gap between them."""
    left, right = MARGIN_X, width - MARGIN_X
    if signers == 1:
        return (left, left + 58 * mm), [(right - 64 * mm, right)]
    return (left, left + 50 * mm), [(left + 80 * mm, left + 128 * mm), (right - 48 * mm, right)]


def _signers(receipt: Receipt, width: float):
    """[(column, role, name)]: the officer first, then who signs for the recipient."""
    row = receipt.row
    officer, columns = _columns(width, len(row["signatories"]))
    everyone = [(officer, "Petugas / Pendamping,", row["officer"] or "")]
    pairs = zip(columns, row["signatories"], strict=True)
    return everyone + [(column, role, name) for column, (role, name) in pairs]


def _name_block(name: str, column) -> tuple[float, list[str]]:
    text = name or "(..............................)"
    width = column[1] - column[0] - 2 * mm
    return fit_block(text, NAME_FONT, NAME_SIZE, NAME_FLOOR, width, NAME_LINES)


def _sign_height(receipt: Receipt, width: float) -> float:
    """From the date line down to below the longest name (1 to 3 lines)."""
    lowest = 0.0
    for column, _role, name in _signers(receipt, width):
        size, lines = _name_block(name, column)
        lowest = max(lowest, (len(lines) - 1) * leading(size) + 0.3 * size)
    return max(SIGN_NAMES + lowest, QR_BELOW)


def _draw_signatures(canvas, receipt: Receipt, page: Page, width, top, meterai: bool) -> None:
    """Officer on the left, the recipient's signatories on the right (with the meterai box in
    the first one's signing space when the amount needs it), the QR between them. Each
    signing space, the QR and the meterai are reserved: no text enters them."""
    row = receipt.row
    everyone = _signers(receipt, width)
    officer, columns = everyone[0][0], [column for column, _, _ in everyone[1:]]
    role_y = top - 4.5 * mm
    space_top = role_y - 2.5 * mm
    line_y = space_top - 21 * mm
    centre = (columns[0][0] + columns[-1][1]) / 2
    canvas.setFillColor(INK)
    place = f"{receipt.place}, {long_date(row['handed_at'])}"
    fit_line(canvas, place, REGULAR, 9, 7, columns[-1][1] - columns[0][0], x=centre, y=top,
             align="center", page=page)  # fmt: skip
    qr_x = (officer[1] + columns[0][0]) / 2 - QR_SIZE / 2
    qr_y = line_y - 3 * mm  # its top at the signing space's, its caption below the line
    page.reserve("qr", qr_x, qr_y - 3 * mm, qr_x + QR_SIZE, qr_y + QR_SIZE)
    for index, ((x0, x1), _role, _name) in enumerate(everyone):
        page.reserve(f"tanda tangan {index}", x0, line_y + 0.5 * mm, x1, space_top)
    first = columns[0]
    if row["confirmed_by"] == "cap_jempol":
        box = page.reserve("cap jempol", first[1] - 21 * mm, line_y + 1 * mm, first[1] - 1 * mm,
                           space_top)  # fmt: skip
        canvas.setStrokeColor(GREY)
        canvas.setLineWidth(0.6)
        canvas.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0)
        canvas.setFillColor(GREY)
        fit_line(canvas, "cap jempol kiri", REGULAR, 6, 5, 19 * mm, x=(box.x0 + box.x1) / 2,
                 y=box.y0 + 1.5 * mm, align="center", page=page,
                 owner=("cap jempol", "tanda tangan 1"))  # fmt: skip
    if meterai:
        # The duty stamp sits where the recipient signs, so the signature crosses it.
        box = page.reserve("meterai", first[0] + 1 * mm, line_y + 1.5 * mm, first[0] + 23 * mm,
                           line_y + 19.5 * mm)  # fmt: skip
        canvas.saveState()
        canvas.setStrokeColorRGB(0.7, 0.1, 0.1)
        canvas.setDash(2, 1.5)
        canvas.setLineWidth(0.7)
        canvas.rect(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0)
        canvas.setFillColorRGB(0.7, 0.1, 0.1)
        mid = (box.x0 + box.x1) / 2
        fit_line(canvas, "METERAI", BOLD, 7, 6, 20 * mm, x=mid, y=box.y0 + 10 * mm,
                 align="center", page=page, owner=("meterai", "tanda tangan 1"))  # fmt: skip
        amount = format_rupiah(receipt.office["meterai_amount"])
        fit_line(canvas, amount, REGULAR, 6.5, 5, 20 * mm, x=mid, y=box.y0 + 6 * mm,
                 align="center", page=page, owner=("meterai", "tanda tangan 1"))  # fmt: skip
        canvas.restoreState()
    for (x0, x1), role, name in everyone:
        mid = (x0 + x1) / 2
        canvas.setFillColor(INK)
        fit_line(canvas, role, REGULAR, 9, 7, x1 - x0, x=mid, y=role_y, align="center", page=page)
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(INK)
        canvas.line(x0 + 2 * mm, line_y, x1 - 2 * mm, line_y)
        size, lines = _name_block(name, (x0, x1))
        draw_block(canvas, lines, NAME_FONT, size, x=mid, y=line_y - 3.5 * mm, align="center",
                   page=page)  # fmt: skip
    draw_qr(canvas, receipt.payload, qr_x, qr_y, QR_SIZE)
    canvas.setFillColor(GREY)
    fit_line(canvas, "Pindai untuk cek keaslian", REGULAR, 5.5, 5, QR_SIZE + 6 * mm,
             x=qr_x + QR_SIZE / 2, y=qr_y - 2.2 * mm, align="center", page=page,
             owner="qr")  # fmt: skip


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
