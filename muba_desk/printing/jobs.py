"""The reads and the work behind the Cetak menu, free of Qt so they run on any thread and
from the command line.

Queries take the reader's connection (`fn(db)`) and return plain rows (the window words the
labels); the `*_document` functions open their own connection, because signing may create the
laptop's key and a card batch is long work.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from muba_desk.printing.data import rows
from muba_desk.progress import Progress

# The enrolments that concern a person (theirs, their household's, their KUBE group's) or
# every member of a household; :person and :household may be NULL.
_SCOPE = """
    e.deleted_at IS NULL AND (
        e.person_id IN (SELECT id FROM people)
        OR e.household_id = :household
        OR e.grp_id IN (SELECT grp_id FROM grp_member
                        WHERE deleted_at IS NULL AND person_id IN (SELECT id FROM people)))
"""
_PEOPLE = """
WITH people AS (
    SELECT id FROM person WHERE deleted_at IS NULL
      AND (id = :person OR (:whole_household AND household_id = :household)))
"""
SHEET_PROGRAMS = {"bertani": "BERTANI", "kube": "KUBE_UEP", "bakul_nasi": "BAKUL_NASI"}


def _scope(db, person_id: str | None, household_id: str | None) -> dict:
    """Query parameters: a person counts with their household, a household with its members."""
    if person_id:
        found = db.conn.execute(
            "SELECT household_id FROM person WHERE id = ?", (person_id,)
        ).fetchone()
        household = found[0] if found else None
        return {"person": person_id, "household": household, "whole_household": 0}
    return {"person": None, "household": household_id, "whole_household": 1}


def handovers_for(db, *, person_id=None, household_id=None) -> list[dict]:
    """Hand-overs of the person's or household's enrolments, newest first."""
    return rows(
        db,
        _PEOPLE
        + """SELECT ho.id, ho.receipt_number, ho.handed_at, ho.amount, ho.items, ho.tranche,
                    ho.period, ho.times_printed, e.program,
                    coalesce(p.name, g.name, i.name) AS recipient
             FROM handover ho
             JOIN enrolment e ON e.id = ho.enrolment_id
             LEFT JOIN person p ON p.id = e.person_id
             LEFT JOIN grp g ON g.id = e.grp_id
             LEFT JOIN institution i ON i.id = e.institution_id
             WHERE ho.deleted_at IS NULL AND """
        + _SCOPE
        + " ORDER BY ho.handed_at DESC, ho.receipt_number DESC",
        _scope(db, person_id, household_id),
    )


def enrolments_for(db, program: str, *, person_id=None, household_id=None) -> list[dict]:
    """Enrolments in `program` that concern the person or household, newest first."""
    params = {**_scope(db, person_id, household_id), "program": program}
    return rows(
        db,
        _PEOPLE
        + """SELECT e.id, e.program, e.card_number, e.status, e.period_start, e.period_end,
                    coalesce(p.name, g.name, i.name) AS who
             FROM enrolment e
             LEFT JOIN person p ON p.id = e.person_id
             LEFT JOIN grp g ON g.id = e.grp_id
             LEFT JOIN institution i ON i.id = e.institution_id
             WHERE e.program = :program AND """
        + _SCOPE
        + " ORDER BY e.created_at DESC",
        params,
    )


def cards_document(db_path, progress: Progress, **selection):
    """(cards.PrintedCards, PDF) for `selection` (village_code, person_id, …, layout)."""
    from muba_desk.printing.cards import print_cards

    with tempfile.TemporaryDirectory(prefix="muba-cards-") as folder:
        out = Path(folder) / "kartu.pdf"
        printed = print_cards(db_path, out, progress=progress, **selection)
        return printed, out.read_bytes()


def receipt_document(
    db_path,
    handover_id: str,
    layout: str,
    printable_mm: float | None = None,
    *,
    archive: bool = False,
):
    """(Receipt, PDF) of a hand-over; SALINAN when it was printed before. `printable_mm`: the
    laptop's thermal printer's printed width (thermal rolls only); `archive`: the record copy
    saved as a file, marked ARSIP."""
    from muba_desk.printing.receipts import build_receipt, receipt_pdf
    from muba_desk.store.db import connect

    db = connect(db_path)
    try:
        receipt = build_receipt(db, handover_id, archive=archive)
        return receipt, receipt_pdf(receipt, layout, printable_mm)
    finally:
        db.close()


def sheet_document(db_path, sheet: str, enrolment_id: str) -> bytes:
    """The PDF of a Bertani photo sheet, KUBE member list or Bakul Nasi delivery sheet."""
    from muba_desk.printing import sheets
    from muba_desk.store.db import connect

    render = {
        "bertani": sheets.render_bertani_sheet,
        "kube": sheets.render_kube_list,
        "bakul_nasi": sheets.render_bakul_nasi_sheet,
    }[sheet]
    db = connect(db_path)
    try:
        buffer = io.BytesIO()
        render(db, enrolment_id, buffer)
        return buffer.getvalue()
    finally:
        db.close()
