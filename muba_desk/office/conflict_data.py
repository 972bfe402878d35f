"""Sync conflicts field by field, and settling one with values chosen per field.

Each field carries the value both sides started from (`sync_conflict.base`, m017) and which
side changed it. Conflicts where only the laptop changed fields the office left alone never
reach this page: the import settles them itself (`sync.three_way`). `sync.review
.resolve_conflict` keeps one whole version ("kantor" or "laptop"); a choice per field is
settled here (`sync.review.settle`): the chosen values become an office edit of the row, the
laptop's rev is recorded in the row's history so the next return bundle fast-forwards the
laptop to the decision, and the conflict is marked "gabungan".
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from muba_desk.office.field_labels import field_label, table_label
from muba_desk.office.registry_query import device_names
from muba_desk.store.registry import Registry
from muba_desk.sync.review import MANAGED, MIXED, settle
from muba_desk.sync.three_way import LAPTOP_SIDE, changed_by

# Bookkeeping a clerk never chooses between.
HIDDEN = MANAGED | {"pk", "deleted_at", "merged_into"}


@dataclass(frozen=True)
class ConflictField:
    column: str
    label: str
    """The field in the users' words (`office.field_labels`)."""
    base: object
    """The value both sides started from (None also when that version is not known)."""
    office: object
    laptop: object
    changed_by: str | None
    """`three_way.OFFICE_SIDE`, `LAPTOP_SIDE`, `BOTH_SIDES`, or None (no base to tell)."""

    @property
    def laptop_by_default(self) -> bool:
        """Changed on the laptop only: its value is the one kept unless the clerk says no."""
        return self.changed_by == LAPTOP_SIDE


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
    fields: tuple[ConflictField, ...]
    """Every field whose office and laptop values differ."""
    reason: str | None = None
    """Why the import held the row back, when it was beyond the laptop's authority."""
    base_known: bool = False

    @property
    def table_label(self) -> str:
        return table_label(self.table_name)


def open_conflicts(db) -> list[Conflict]:
    """Unresolved conflicts, oldest first, with the differing fields and where each changed."""
    names = device_names(db)
    out = []
    for cid, table, row_id, office_rev, incoming, device, seq, at, reason, base in db.conn.execute(
        "SELECT id, table_name, row_id, office_rev, incoming, device_id, sequence, created_at, "
        "reason, base FROM sync_conflict WHERE resolved_at IS NULL ORDER BY id"
    ).fetchall():
        cursor = db.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        values = cursor.fetchone()
        current = dict(zip([d[0] for d in cursor.description], values or (), strict=False))
        theirs = json.loads(incoming)
        started = None if base is None else json.loads(base)
        fields = tuple(
            ConflictField(
                column,
                field_label(table, column),
                None if started is None else started.get(column),
                current.get(column),
                theirs.get(column),
                changed_by(started, current, theirs, column),
            )
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
                started is not None,
            )
        )
    return out


def resolve_by_fields(reg: Registry, conflict_id: int, values: dict[str, object]) -> dict:
    """Settle a conflict with `values` (column -> value to keep); returns the row as it stands.

    Must run inside `reg.transaction()` (the window's `submit_write` does that).
    """
    return settle(reg, conflict_id, values, MIXED)
