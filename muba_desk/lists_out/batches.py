"""The files the office handed on (`payout_batch`) and their rows (`payout_line`), migration
m015: office-local bookkeeping that never travels in a bundle. Reads and writes of these two
tables live here only; the hand-overs an answer confirms go through `core.operations`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.store.registry import now_iso

_PERIOD = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
LINE_COLUMNS = (
    "enrolment_id",
    "nik",
    "name",
    "account_number",
    "amount",
    "change",
    "change_reason",
)


def reference_for(db, period: str) -> dict:
    """The office's reference data for a month: the budget year's values
    (`"{year}.{PROGRAM}.{field}"`, set on the budget page) over the plain ones."""
    from muba_desk.store.records import reference

    ref = reference(db)
    prefix = f"{period[:4]}."
    for key, value in list(ref.items()):
        if key.startswith(prefix):
            ref[key[len(prefix) :]] = value
    return ref


def check_period(period: str) -> tuple[date, date]:
    """A period YYYY-MM: (its first day, its last day), or UserError."""
    match = _PERIOD.fullmatch(period or "")
    if not match:
        raise UserError(
            _("Periode harus berbentuk TTTT-BB (misalnya 2026-03), bukan “{value}”.").format(
                value=str(period)[:20]
            )
        )
    year, month = int(match.group(1)), int(match.group(2))
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


@dataclass(frozen=True)
class Batch:
    id: int
    kind: str
    program: str
    period: str
    tranche: int
    made_at: str
    file_name: str | None
    rows: int
    total: int


def _batch(row) -> Batch:
    return Batch(*row)


_BATCH_SELECT = (
    "SELECT id, kind, program, period, tranche, made_at, file_name, rows, total FROM payout_batch"
)


def batches(db, kind: str | None = None) -> list[Batch]:
    """Every file handed on, newest first."""
    where, args = ("WHERE kind = ?", (kind,)) if kind else ("", ())
    return [
        _batch(r)
        for r in db.conn.execute(f"{_BATCH_SELECT} {where} ORDER BY period DESC, id DESC", args)
    ]


def find_batch(db, kind: str, program: str, period: str, tranche: int) -> Batch | None:
    row = db.conn.execute(
        f"{_BATCH_SELECT} WHERE kind = ? AND program = ? AND period = ? AND tranche = ?",
        (kind, program, period, tranche),
    ).fetchone()
    return _batch(row) if row else None


def next_tranche(db, kind: str, program: str, period: str) -> int:
    (last,) = db.conn.execute(
        "SELECT max(tranche) FROM payout_batch WHERE kind = ? AND program = ? AND period = ?",
        (kind, program, period),
    ).fetchone()
    return (last or 0) + 1


def record_batch(
    db,
    *,
    kind: str,
    program: str,
    period: str,
    tranche: int,
    layout: str,
    file_name: str,
    lines: list[dict],
    made_by: str | None,
) -> Batch:
    """Store a file handed on with its rows (each a dict of LINE_COLUMNS), in one transaction."""
    conn = db.conn
    total = sum(line.get("amount") or 0 for line in lines if line.get("change") != "berhenti")
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN IMMEDIATE")
    try:
        cursor = conn.execute(
            "INSERT INTO payout_batch (kind, program, period, tranche, made_at, made_by, layout, "
            "file_name, rows, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind,
                program,
                period,
                tranche,
                now_iso(),
                made_by,
                layout,
                file_name,
                len(lines),
                total,
            ),  # fmt: skip
        )
        batch_id = cursor.lastrowid
        conn.executemany(
            f"INSERT INTO payout_line (batch_id, number, {', '.join(LINE_COLUMNS)}) "
            f"VALUES (?, ?, {', '.join('?' * len(LINE_COLUMNS))})",
            [
                (batch_id, number, *(line.get(c) for c in LINE_COLUMNS))
                for number, line in enumerate(lines, start=1)
            ],
        )
        if own:
            conn.execute("COMMIT")
    except BaseException:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    found = conn.execute(f"{_BATCH_SELECT} WHERE id = ?", (batch_id,)).fetchone()
    return _batch(found)


def lines_of(db, batch_id: int) -> list[dict]:
    cursor = db.conn.execute(
        f"SELECT {', '.join(LINE_COLUMNS)}, outcome, outcome_reason, reference, handover_id "
        "FROM payout_line WHERE batch_id = ? ORDER BY number",
        (batch_id,),
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor]


def unsettled_in_period(db, kind: str, program: str, period: str) -> set[str]:
    """Enrolments already in a file of this period that has not failed for them: listed
    again, they would be paid twice."""
    return {
        r[0]
        for r in db.conn.execute(
            "SELECT l.enrolment_id FROM payout_line l JOIN payout_batch b ON b.id = l.batch_id "
            "WHERE b.kind = ? AND b.program = ? AND b.period = ? "
            "AND (l.outcome IS NULL OR l.outcome NOT IN ('gagal', 'ditolak'))",
            (kind, program, period),
        )
    }


def lines_for_answer(db, kind: str, period: str | None, niks: set[str]) -> dict:
    """(nik, period) -> the line of a `kind` file an answer for that person and period is
    about: the newest one still waiting for an answer, else the newest (a payment that failed
    in tranche 1 and was listed again in tranche 2 is answered on tranche 2's line). With
    `period` None, every period."""
    out: dict = {}
    where_period, args = ("AND b.period = ?", (period,)) if period else ("", ())
    found = []
    wanted = sorted(niks)
    for start in range(0, len(wanted), 500):  # well under SQLite's limit on parameters
        chunk = wanted[start : start + 500]
        cursor = db.conn.execute(
            "SELECT l.batch_id, l.enrolment_id, l.nik, l.name, l.amount, l.outcome, "
            "l.reference, l.handover_id, l.change, b.period, b.tranche, b.program "
            "FROM payout_line l JOIN payout_batch b ON b.id = l.batch_id "
            f"WHERE b.kind = ? AND l.nik IN ({', '.join('?' * len(chunk))}) {where_period}",
            (kind, *chunk, *args),
        )
        names = [d[0] for d in cursor.description]
        found += [dict(zip(names, r, strict=True)) for r in cursor]
    for line in sorted(found, key=lambda item: item["batch_id"]):  # oldest file first
        key = (line["nik"], line["period"])
        if key not in out or line["outcome"] is None or out[key]["outcome"] is not None:
            out[key] = line
    return out


def set_outcome(
    db,
    batch_id: int,
    enrolment_id: str,
    *,
    outcome: str,
    reason: str | None,
    reference: str | None = None,
    handover_id: str | None = None,
) -> None:
    db.conn.execute(
        "UPDATE payout_line SET outcome = ?, outcome_reason = ?, reference = ?, "
        "handover_id = coalesce(?, handover_id), answered_at = ? "
        "WHERE batch_id = ? AND enrolment_id = ?",
        (outcome, reason, reference, handover_id, now_iso(), batch_id, enrolment_id),
    )


def open_lines(db, kind: str, outcome: str | None) -> list[dict]:
    """Rows waiting for an answer (`outcome` None) or answered with `outcome` ('gagal')."""
    cond = "l.outcome IS NULL" if outcome is None else "l.outcome = ?"
    args = (kind,) if outcome is None else (kind, outcome)
    cursor = db.conn.execute(
        "SELECT b.program, b.period, b.tranche, l.nik, l.name, l.amount, l.outcome_reason, "
        "l.enrolment_id FROM payout_line l JOIN payout_batch b ON b.id = l.batch_id "
        f"WHERE b.kind = ? AND {cond} AND coalesce(l.change, '') != 'berhenti' "
        # listed again in a later file of the same period: that one is followed instead
        "AND NOT EXISTS (SELECT 1 FROM payout_line l2 JOIN payout_batch b2 ON b2.id = l2.batch_id "
        "WHERE l2.enrolment_id = l.enrolment_id AND b2.kind = b.kind AND b2.period = b.period "
        "AND b2.id > b.id) "
        "ORDER BY b.period, b.tranche, l.name",
        args,
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor]
