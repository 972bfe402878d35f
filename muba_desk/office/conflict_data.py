"""Sync conflicts field by field, and settling one with values chosen per field.

`sync.review.resolve_conflict` keeps one whole version ("kantor" or "laptop"). A choice per
field is settled here in one Registry transaction: the chosen values become an office edit of
the row (a new rev on top of the office's), the laptop's rev is recorded in the row's history
as resolve_conflict does, so the next return bundle fast-forwards the laptop to the decision,
and the conflict is marked "gabungan".
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from muba_desk.office.registry_query import device_names
from muba_desk.store.registry import Registry, now_iso
from muba_desk.sync.review import MANAGED, ReviewProblem

MIXED = "gabungan"
# Bookkeeping a clerk never chooses between.
HIDDEN = MANAGED | {"pk", "deleted_at", "merged_into"}


@dataclass(frozen=True)
class Conflict:
    id: int
    table_name: str
    row_id: str
    laptop: str
    sequence: int
    created_at: str
    label: str
    office_rev: str
    fields: tuple[tuple[str, object, object], ...]
    """(column, office value, laptop value) for every column that differs."""
    reason: str | None = None
    """Why the import held the row back, when it was beyond the laptop's authority."""


def open_conflicts(db) -> list[Conflict]:
    """Unresolved conflicts, oldest first, with the differing columns."""
    names = device_names(db)
    out = []
    for cid, table, row_id, office_rev, incoming, device, seq, at, reason in db.conn.execute(
        "SELECT id, table_name, row_id, office_rev, incoming, device_id, sequence, created_at, "
        "reason FROM sync_conflict WHERE resolved_at IS NULL ORDER BY id"
    ).fetchall():
        cursor = db.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        values = cursor.fetchone()
        current = dict(zip([d[0] for d in cursor.description], values or (), strict=False))
        theirs = json.loads(incoming)
        fields = tuple(
            (column, current.get(column), theirs.get(column))
            for column in sorted(current.keys() | theirs.keys())
            if column not in HIDDEN and current.get(column) != theirs.get(column)
        )
        label = current.get("name") or theirs.get("name") or row_id
        out.append(
            Conflict(
                cid,
                table,
                row_id,
                names.get(device, device),
                seq,
                at,
                str(label),
                office_rev,
                fields,
                reason,
            )
        )
    return out


def resolve_by_fields(reg: Registry, conflict_id: int, values: dict[str, object]) -> dict:
    """Settle a conflict with `values` (column -> value to keep); returns the row as it stands.

    Must run inside `reg.transaction()` (the window's `submit_write` does that).
    """
    conn = reg.conn
    found = conn.execute(
        "SELECT table_name, row_id, office_rev, incoming_rev, resolved_at FROM sync_conflict "
        "WHERE id = ?",
        (conflict_id,),
    ).fetchone()
    if found is None or found[4] is not None:
        raise ReviewProblem(f"Konflik {conflict_id} tidak ada atau sudah diselesaikan.")
    table, row_id, office_rev, incoming_rev, _ = found
    current = reg.get(table, row_id)
    if current is None or current["rev"] != office_rev:
        raise ReviewProblem(
            "Data kantor sudah berubah sejak konflik ini dicatat; muat ulang lalu ulangi."
        )
    if current["deleted_at"] is not None:
        raise ReviewProblem(
            "Data ini sudah dihapus di kantor; pilihan per kolom tidak dapat dipakai."
        )
    changes = {k: v for k, v in values.items() if k not in HIDDEN and current.get(k) != v}
    # Even with no change a new rev is written: the decision itself must reach the laptop.
    row = reg.update(table, row_id, changes or {"updated_at": now_iso()})
    conn.execute(
        "INSERT INTO change_log (table_name, row_id, rev, at) VALUES (?, ?, ?, ?)",
        (table, row_id, incoming_rev, now_iso()),
    )
    conn.execute(
        "UPDATE sync_conflict SET resolved_at = ?, resolution = ? WHERE id = ?",
        (now_iso(), MIXED, conflict_id),
    )
    reg.audit_event(
        "resolve_conflict",
        table,
        row_id,
        {"conflict": conflict_id, "keep": MIXED, "incoming_rev": incoming_rev, "fields": values},
    )
    return row
