"""Beneficiary cards (ID-1, 85.6 x 54 mm): one per page for card printers or ten per A4 sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from muba_desk.i18n import _
from muba_desk.printing.base import (
    BOLD,
    CONDENSED,
    CONDENSED_BOLD,
    GREY,
    INK,
    OFFICE_GREEN,
    REGULAR,
    draw_fitted,
    masked_nik,
    new_canvas,
    program_name,
    short_date,
)
from muba_desk.printing.data import card_rows, cards_awaiting_office, today_wib
from muba_desk.printing.fit import draw_block, fit_block, fit_line, fit_size
from muba_desk.printing.images import draw_jpeg_cover, draw_qr
from muba_desk.progress import Progress, SilentProgress
from muba_desk.signing import KIND_CARD, device_key, sign_payload

CARD_W = 85.6 * mm
CARD_H = 54 * mm
COLUMNS, ROWS = 2, 5
# The grid is centred on A4, so a back side printed in duplex lands on the same cards.
SHEET_LEFT = (A4[0] - COLUMNS * CARD_W) / 2
SHEET_BOTTOM = (A4[1] - ROWS * CARD_H) / 2
CUT_MARK = 6 * mm
CUT_GAP = 1.5 * mm
LAYOUTS = ("a4", "card")
_FRAME = "cardframe"


def sheet_positions() -> list[tuple[float, float]]:
    """Lower-left corners of the ten cards, row by row from the top of the sheet."""
    return [
        (SHEET_LEFT + col * CARD_W, SHEET_BOTTOM + (ROWS - 1 - row) * CARD_H)
        for row in range(ROWS)
        for col in range(COLUMNS)
    ]


def _define_frame(canvas) -> None:
    """What every card shares, drawn once as a form the PDF reuses (smaller and faster)."""
    canvas.beginForm(_FRAME, 0, 0, CARD_W, CARD_H)
    canvas.setFillColor(OFFICE_GREEN)
    canvas.rect(0, CARD_H - 11 * mm, CARD_W, 11 * mm, stroke=0, fill=1)
    canvas.rect(0, 0, CARD_W, 5 * mm, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont(BOLD, 5.6)
    canvas.drawString(4 * mm, CARD_H - 4.6 * mm, "PEMERINTAH KABUPATEN MUSI BANYUASIN")
    canvas.setFont(BOLD, 9)
    canvas.drawString(4 * mm, CARD_H - 8.9 * mm, "DINAS SOSIAL")
    canvas.setFont(BOLD, 6)
    canvas.drawRightString(CARD_W - 3.5 * mm, CARD_H - 4.6 * mm, "KARTU PESERTA")
    canvas.setFont(REGULAR, 4.4)
    canvas.drawCentredString(
        CARD_W / 2,
        1.9 * mm,
        "Kartu ini milik Pemda Musi Banyuasin. Bila menemukannya, serahkan ke Dinas Sosial.",
    )
    canvas.setFillColor(GREY)
    canvas.setFont(REGULAR, 4.6)
    for label, y in (
        ("Nama", 39.3),
        ("NIK", 31.8),
        ("Nomor kartu", 25.6),
        ("Desa / Kecamatan", 19.4),
        ("Tanggal terbit", 13.2),
    ):
        canvas.drawString(25.5 * mm, y * mm, label)
    canvas.drawCentredString(73.5 * mm, 7.3 * mm, "Pindai untuk cek keaslian")
    canvas.endForm()


def draw_card(canvas, card: dict, payload: str, issued: date) -> None:
    """One card at the current origin (the caller translates)."""
    canvas.doForm(_FRAME)
    canvas.setFillColor(white)
    draw_fitted(
        canvas,
        CARD_W - 3.5 * mm,
        CARD_H - 8.9 * mm,
        program_name(card["program"]).upper(),
        BOLD,
        8,
        40 * mm,
        "right",
    )
    photo_box = (3.5 * mm, 13.5 * mm, 19.5 * mm, 26 * mm)
    if card["photo"]:
        draw_jpeg_cover(canvas, card["person_id"], card["photo"], *photo_box)
    else:
        canvas.setFillColor(GREY)
        canvas.setFont(REGULAR, 5)
        canvas.drawCentredString(13.25 * mm, 26 * mm, "tanpa foto")
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.3)
    canvas.rect(*photo_box, stroke=1, fill=0)
    canvas.setFillColor(INK)
    width = 37 * mm
    _draw_name(canvas, card["name"])
    draw_fitted(canvas, 25.5 * mm, 28.6 * mm, masked_nik(card["nik"]), CONDENSED, 7, width)
    draw_fitted(canvas, 25.5 * mm, 22.4 * mm, card["card_number"], CONDENSED_BOLD, 7, width)
    area = " / ".join(part for part in (card["village"], card["district"]) if part) or "-"
    draw_fitted(canvas, 25.5 * mm, 16.2 * mm, area, CONDENSED, 6.5, width)
    draw_fitted(canvas, 25.5 * mm, 10 * mm, short_date(issued), CONDENSED, 6.5, width)
    draw_qr(canvas, payload, 63.5 * mm, 9 * mm, 20 * mm)


# The name's box: above the QR, so it may take the card's whole width right of the photo, and
# between the "Nama" and "NIK" labels. One line when it fits at 7 pt or more, else two lines
# from 7.2 down to 5.2 pt: a name at the rules' 100-character limit, titles included.
NAME_BOX = (25.5 * mm, 33.2 * mm, CARD_W - 3.5 * mm, 38.8 * mm)


def _draw_name(canvas, name: str) -> None:
    x0, y0, x1, y1 = NAME_BOX
    width = x1 - x0
    if fit_size(name, CONDENSED_BOLD, 8.5, 7, width) is not None:
        fit_line(canvas, name, CONDENSED_BOLD, 8.5, 7, width, x=x0, y=35.6 * mm)
        return
    size, lines = fit_block(name, CONDENSED_BOLD, 7.2, 5.2, width, 2)
    first = y1 - size * 0.77  # the glyph box rises 0.764 of the size above the baseline
    draw_block(canvas, lines, CONDENSED_BOLD, size, x=x0, y=first)


def _cut_marks(canvas) -> None:
    """Marks in the margins on every card edge, where the guillotine or scissors go."""
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.3)
    right = SHEET_LEFT + COLUMNS * CARD_W
    top = SHEET_BOTTOM + ROWS * CARD_H
    for col in range(COLUMNS + 1):
        x = SHEET_LEFT + col * CARD_W
        canvas.line(x, top + CUT_GAP, x, top + CUT_GAP + CUT_MARK)
        canvas.line(x, SHEET_BOTTOM - CUT_GAP, x, SHEET_BOTTOM - CUT_GAP - CUT_MARK)
    for row in range(ROWS + 1):
        y = SHEET_BOTTOM + row * CARD_H
        canvas.line(SHEET_LEFT - CUT_GAP - CUT_MARK, y, SHEET_LEFT - CUT_GAP, y)
        canvas.line(right + CUT_GAP, y, right + CUT_GAP + CUT_MARK, y)


def card_payload(db, card: dict, issued: date, key) -> str:
    fields = {
        "kind": KIND_CARD,
        "number": card["card_number"],
        "name": card["name"],
        "programs": [card["program"]],
        "amount": None,
        "date": issued.isoformat(),
    }
    return sign_payload(db, fields, key=key)


def render_cards(db, cards: list[dict], target, *, layout="a4", progress: Progress | None = None):
    """Write `cards` (rows from data.card_rows) as a PDF to `target` (path or file object)."""
    if layout not in LAYOUTS:
        raise ValueError(f"Tata letak kartu '{layout}' tidak dikenal: pilih a4 atau card.")
    progress = progress or SilentProgress()
    key = device_key(db)
    issued = today_wib()
    pagesize = A4 if layout == "a4" else (CARD_W, CARD_H)
    canvas = new_canvas(target, pagesize, "Kartu peserta - Dinas Sosial Musi Banyuasin")
    _define_frame(canvas)
    positions = sheet_positions() if layout == "a4" else [(0.0, 0.0)]
    per_page = len(positions)
    for index, card in enumerate(cards):
        slot = index % per_page
        if slot == 0 and index:
            canvas.showPage()
        if slot == 0 and layout == "a4":
            _cut_marks(canvas)
        x, y = positions[slot]
        canvas.saveState()
        canvas.translate(x, y)
        draw_card(canvas, card, card_payload(db, card, issued, key), issued)
        canvas.restoreState()
        if layout == "a4":
            # A hairline outline at the exact card size guides scissors in the village and
            # lets a test measure the cards from the PDF.
            canvas.setStrokeColorRGB(0.8, 0.8, 0.8)
            canvas.setLineWidth(0.1)
            canvas.rect(x, y, CARD_W, CARD_H, stroke=1, fill=0)
        if index % 50 == 0:
            progress.update(index, len(cards), "Menyusun kartu")
    if not cards:
        canvas.setFont(REGULAR, 10)
        canvas.drawString(20 * mm, pagesize[1] - 20 * mm, "Tidak ada kartu untuk dicetak.")
    canvas.save()
    progress.update(len(cards), len(cards), "Kartu selesai disusun")


@dataclass(frozen=True)
class PrintedCards:
    """What a card batch made: `count` cards; `awaiting_office` enrolments left out because
    the office has not approved them yet."""

    count: int
    awaiting_office: int

    def left_out_note(self) -> str:
        """The Indonesian sentence naming the left-out enrolments, or "" when none were."""
        if not self.awaiting_office:
            return ""
        return _("{count} pendaftaran belum disetujui kantor tidak dicetak.").format(
            count=self.awaiting_office
        )


def print_cards(
    db_path,
    out_path,
    *,
    village_code: str | None = None,
    enrolment_ids: list[str] | None = None,
    person_id: str | None = None,
    layout: str = "a4",
    progress: Progress | None = None,
) -> PrintedCards:
    """Long work: the cards of a village (or of chosen enrolments / one person) into one PDF.

    Opens its own connection, so it can run on a worker thread; records one 'print' audit
    entry naming the enrolments whose cards were made. Only approved or active enrolments
    get a card; the others of the selection are counted in the result.
    """
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry

    db = connect(db_path)
    try:
        selection = {
            "village_code": village_code,
            "enrolment_ids": enrolment_ids,
            "person_id": person_id,
        }
        cards = card_rows(db, **selection)
        awaiting = cards_awaiting_office(db, **selection)
        out_path = Path(out_path)
        partial = out_path.with_name(out_path.name + ".partial")
        try:
            render_cards(db, cards, str(partial), layout=layout, progress=progress)
        except BaseException:
            partial.unlink(missing_ok=True)  # a cancelled batch leaves no half-written file
            raise
        partial.replace(out_path)
        registry = Registry(db)
        with registry.transaction():
            registry.audit_event(
                "print",
                "enrolment",
                village_code or person_id or "*",
                {
                    "document": "kartu",
                    "layout": layout,
                    "count": len(cards),
                    "enrolments": [card["enrolment_id"] for card in cards],
                    "awaiting_office": awaiting,
                },
            )
        return PrintedCards(len(cards), awaiting)
    finally:
        db.close()
