"""The duplicates queue as the clerk clears it: one row per pair with its names, score and
reasons before it is opened, what is left, and which record a merge keeps by default.

The scan and the decisions are in office/duplicates.py.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from muba_desk.domain.programs import PROGRAMS
from muba_desk.office.duplicates import (
    ENROLMENT_KINDS,
    compare,
    people_facts,
    village_districts,
)
from muba_desk.office.registry_query import device_names

# -- the clerk's queue: one row per pair ----------------------------------------------------
PEOPLE, AID = "people", "aid"
"""The two queues: people who may be one person, and double aid (enrolments)."""
_STRONGEST = {"nik": 0, "name_birth": 1, "similar": 2}


@dataclass(frozen=True)
class QueueItem:
    """One pair as the clerk's list shows it, before it is opened: the names, the score and the
    reasons stored when it was queued. `kind` is what the reasons say (so "Jenis" and the
    reason beside it agree); `ids` are every open entry of the pair (the importer and the scan
    may both have queued it), decided together."""

    id: int
    ids: tuple[int, ...]
    kind: str
    table_name: str
    row_a: str
    row_b: str
    name_a: str
    name_b: str
    score: float | None
    reasons: tuple[str, ...]


def kind_from_reasons(kind: str, reasons: Iterable[str]) -> str:
    """The kind a person pair's reasons show: the NIK, else an equal name and birth date, else
    alike. An entry queued as "one NIK" whose NIK was corrected since reads as alike."""
    if kind in ENROLMENT_KINDS:
        return kind
    reasons = list(reasons)
    if any(r.startswith("NIK sama (") for r in reasons):
        return "nik"
    equal_name = any(
        r == "nama sama persis" or r.startswith("beda huruf besar/kecil") for r in reasons
    )
    if equal_name and "tanggal lahir sama" in reasons:
        return "name_birth"
    return "similar"


def queue(db, which: str = PEOPLE) -> list[QueueItem]:
    """The open pairs of one queue, one row per pair, most likely first. The scan and the
    bundle importer store each entry's score and reasons; an entry an older version queued
    without them is scored here (not stored: a read writes nothing), so every row has its
    names, score and reasons."""
    table = "person" if which == PEOPLE else "enrolment"
    rows = db.conn.execute(
        "SELECT id, kind, row_a, row_b, score, reason, details FROM duplicate_candidate "
        "WHERE resolved_at IS NULL AND table_name = ? ORDER BY id",
        (table,),
    ).fetchall()
    pairs: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row in rows:
        pairs[(row[2], row[3])].append(row)
    ids = {r for key in pairs for r in key}
    names = _names(db, table, ids)
    device = device_names(db) if table == "person" else {}
    areas = village_districts(db) if table == "person" else {}
    items = []
    for (a, b), entries in pairs.items():
        entries.sort(key=lambda e: (_STRONGEST.get(e[1], 9), e[4] is None, e[0]))
        first = entries[0]
        score = first[4]
        reasons = tuple(json.loads(first[6]).get("reasons", [first[5]]) if first[6] else [first[5]])
        if score is None and table == "person":
            people = people_facts(db, (a, b))
            if len(people) == 2:
                score, found = compare(people[a], people[b], device, areas)
                reasons = tuple(found)
        items.append(
            QueueItem(
                id=first[0],
                ids=tuple(e[0] for e in entries),
                kind=kind_from_reasons(first[1], reasons),
                table_name=table,
                row_a=a,
                row_b=b,
                name_a=names.get(a, ""),
                name_b=names.get(b, ""),
                score=score,
                reasons=reasons,
            )
        )
    items.sort(key=lambda i: (i.score is None, -(i.score or 0), i.id))
    return items


def _names(db, table: str, ids: set[str]) -> dict[str, str]:
    """Person names; for enrolments, the enrolled person's name with the program's."""
    out: dict[str, str] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        marks = ",".join("?" * len(chunk))
        if table == "person":
            sql = f"SELECT id, name FROM person WHERE id IN ({marks})"
            out.update(db.conn.execute(sql, chunk))
        else:
            sql = (
                "SELECT e.id, coalesce(p.name, ''), e.program FROM enrolment e "
                f"LEFT JOIN person p ON p.id = e.person_id WHERE e.id IN ({marks})"
            )
            for row_id, name, program in db.conn.execute(sql, chunk):
                label = PROGRAMS[program].name if program in PROGRAMS else program
                out[row_id] = f"{name} ({label})" if name else label
    return out


def left(db) -> dict[str, int]:
    """How many pairs each queue still holds (what the clerk has left to clear)."""
    counts = dict.fromkeys((PEOPLE, AID), 0)
    for table, count in db.conn.execute(
        "SELECT table_name, count(DISTINCT row_a || ' ' || row_b) FROM duplicate_candidate "
        "WHERE resolved_at IS NULL GROUP BY table_name"
    ):
        counts[PEOPLE if table == "person" else AID] += count
    return counts


def default_keep(db, a: str, b: str) -> str:
    """Which of two people a merge keeps unless the clerk says otherwise: the one with a NIK,
    then the one with more live enrolments, then the one registered first."""

    def weight(person_id: str) -> tuple:
        row = db.conn.execute(
            "SELECT nik IS NOT NULL, (SELECT count(*) FROM enrolment e WHERE e.person_id = p.id "
            "AND e.deleted_at IS NULL), created_at FROM person p WHERE id = ?",
            (person_id,),
        ).fetchone()
        if row is None:
            return (0, 0, "~")
        return (-row[0], -row[1], row[2] or "~")

    return min((a, b), key=weight)
