"""Decisions (SK) and the enrolments each sets: the SQL of the office-local tables of m014.

Writes here are called only by `core.operations.make_sk` / `add_to_sk` (which check the
values and the side) inside the caller's `Registry.transaction()`; every enrolment added to an
SK also gets an audit entry on the enrolment, so its history names the SK.
"""

from __future__ import annotations

from dataclasses import dataclass

from muba_desk.domain.ids import uuid7
from muba_desk.store.registry import Registry, now_iso

SK_COLUMNS = (
    "id, number, decided_on, about, program, period, signatory_name, signatory_title, "
    "signatory_nip, created_at, created_by"
)
# Statuses an SK can set: approved at the office, or already receiving aid.
SETTABLE = ("DISETUJUI", "AKTIF")
SK_EVENT = "sk_add"


@dataclass(frozen=True)
class Sk:
    id: str
    number: str
    decided_on: str
    about: str
    program: str
    period: str
    signatory_name: str
    signatory_title: str
    signatory_nip: str | None
    created_at: str
    created_by: str | None
    people: int = 0


def _sk(values) -> Sk:
    return Sk(*values)


def insert_sk(reg: Registry, values: dict) -> Sk:
    """A new SK row from checked values; the caller has made sure the number is free."""
    reg._require_transaction()
    row = {"id": uuid7(), **values, "created_at": now_iso(), "created_by": reg.operator_id}
    names = ", ".join(row)
    marks = ", ".join("?" * len(row))
    reg.conn.execute(f"INSERT INTO sk ({names}) VALUES ({marks})", tuple(row.values()))
    reg.audit_event("sk_new", "sk", row["id"], {k: v for k, v in row.items() if k != "id"})
    return find_sk(reg.db, row["number"])


def link(reg: Registry, sk: Sk, enrolment_ids: list[str]) -> None:
    """Add checked enrolments to `sk` (none already in it), each with its history entry."""
    reg._require_transaction()
    at = now_iso()
    reg.conn.executemany(
        "INSERT INTO sk_enrolment (sk_id, enrolment_id, added_at, added_by) VALUES (?, ?, ?, ?)",
        [(sk.id, e, at, reg.operator_id) for e in enrolment_ids],
    )
    reason = f"Ditetapkan dalam SK nomor {sk.number} tanggal {sk.decided_on}"
    for enrolment_id in enrolment_ids:
        reg.audit_event(
            SK_EVENT,
            "enrolment",
            enrolment_id,
            {"sk": sk.number, "sk_date": sk.decided_on, "reason": reason},
        )


def find_sk(db, number: str) -> Sk | None:
    found = db.conn.execute(
        f"SELECT {SK_COLUMNS}, (SELECT count(*) FROM sk_enrolment WHERE sk_id = sk.id) "
        "FROM sk WHERE number = ?",
        (number,),
    ).fetchone()
    return _sk(found) if found else None


def list_sks(db) -> list[Sk]:
    """Every SK, newest decision first, with how many enrolments it sets."""
    return [
        _sk(values)
        for values in db.conn.execute(
            f"SELECT {SK_COLUMNS}, (SELECT count(*) FROM sk_enrolment WHERE sk_id = sk.id) "
            "FROM sk ORDER BY decided_on DESC, pk DESC"
        )
    ]


def sks_of_enrolment(db, enrolment_id: str) -> list[Sk]:
    """The SKs that set one enrolment, oldest first (an enrolment's details name them)."""
    return [
        _sk(values)
        for values in db.conn.execute(
            f"SELECT {SK_COLUMNS}, 0 FROM sk JOIN sk_enrolment ON sk_id = sk.id "
            "WHERE enrolment_id = ? ORDER BY decided_on, sk.pk",
            (enrolment_id,),
        )
    ]


def enrolment_facts(db, enrolment_ids: list[str]) -> dict[str, tuple]:
    """id -> (program, status, period_start, period_end) of enrolments that exist."""
    out: dict[str, tuple] = {}
    for start in range(0, len(enrolment_ids), 500):
        chunk = enrolment_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in db.conn.execute(
            f"SELECT id, program, status, period_start, period_end FROM enrolment "
            f"WHERE id IN ({marks}) AND deleted_at IS NULL",
            chunk,
        ):
            out[row[0]] = row[1:]
    return out


def other_sks(db, sk: Sk, enrolment_ids: list[str]) -> dict[str, str]:
    """enrolment id -> number of another SK of the same program and period that sets it."""
    out: dict[str, str] = {}
    for start in range(0, len(enrolment_ids), 500):
        chunk = enrolment_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for enrolment_id, number in db.conn.execute(
            f"SELECT l.enrolment_id, s.number FROM sk_enrolment l JOIN sk s ON s.id = l.sk_id "
            f"WHERE s.program = ? AND s.period = ? AND s.id != ? AND l.enrolment_id IN ({marks})",
            (sk.program, sk.period, sk.id, *chunk),
        ):
            out[enrolment_id] = number
    return out


def in_sk(db, sk: Sk) -> set[str]:
    found = db.conn.execute("SELECT enrolment_id FROM sk_enrolment WHERE sk_id = ?", (sk.id,))
    return {r for (r,) in found}


def settable(db, sk: Sk) -> list[str]:
    """Enrolments an SK may still set: its program, approved or active, within its period (or
    without one), and in no SK of that program and period yet; oldest first."""
    year = sk.period
    return [
        r
        for (r,) in db.conn.execute(
            """SELECT e.id FROM enrolment e
               WHERE e.program = ? AND e.status IN ('DISETUJUI', 'AKTIF') AND e.deleted_at IS NULL
                 AND (e.period_start IS NULL OR substr(e.period_start, 1, 4) <= ?)
                 AND (e.period_end IS NULL OR substr(e.period_end, 1, 4) >= ?)
                 AND NOT EXISTS (SELECT 1 FROM sk_enrolment l JOIN sk s ON s.id = l.sk_id
                                 WHERE l.enrolment_id = e.id AND s.program = e.program
                                   AND s.period = ?)
               ORDER BY e.pk""",
            (sk.program, year, year, year),
        )
    ]


def in_period(period: str, start: str | None, end: str | None) -> bool:
    """An enrolment's period covers the SK's year (an enrolment without one is not limited)."""
    return (start is None or start[:4] <= period) and (end is None or end[:4] >= period)
