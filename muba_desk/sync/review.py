"""Settling a sync conflict at the office, so both sides fast-forward to the decision."""

from __future__ import annotations

import json

from muba_desk.errors import UserError
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry, now_iso
from muba_desk.store.schema import BLOB_COLUMNS

KEEP_OFFICE = "kantor"
KEEP_INCOMING = "laptop"
MIXED = "gabungan"  # values chosen field by field by a clerk
AUTOMATIC = "otomatis"  # fields changed on one side only, settled at the import (no clerk)
# Managed by the Registry: an accepted laptop version brings its values, not its bookkeeping.
MANAGED = {"id", "rev", "base_rev", "created_at", "created_by", "updated_at", "updated_by"}


class ReviewProblem(UserError):
    """A conflict that cannot be settled as asked; str() is Indonesian."""


def resolve_conflict(db_path, conflict_id: int, keep: str, *, operator_id: str | None = None):
    """Keep the office's version or take the laptop's; returns the row as it now stands.

    Either way the laptop's rev is written into the office's history of the row, so the next
    return bundle lets the laptop fast-forward instead of keeping its losing edit forever.
    """
    if keep not in (KEEP_OFFICE, KEEP_INCOMING):
        raise ValueError(f"keep must be {KEEP_OFFICE!r} or {KEEP_INCOMING!r}")
    db = connect(db_path)
    try:
        reg = Registry(db, operator_id)
        with reg.transaction():
            found = db.conn.execute(
                "SELECT table_name, row_id, office_rev, incoming_rev, incoming, resolved_at "
                "FROM sync_conflict WHERE id = ?",
                (conflict_id,),
            ).fetchone()
            if found is None or found[5] is not None:
                raise ReviewProblem(f"Konflik {conflict_id} tidak ada atau sudah diselesaikan.")
            table, row_id, office_rev, incoming_rev, incoming = found[:5]
            current = reg.get(table, row_id)
            if current["rev"] != office_rev:
                raise ReviewProblem(
                    "Data kantor sudah berubah sejak konflik ini dicatat; muat ulang lalu ulangi."
                )
            if keep == KEEP_INCOMING:
                current = _take(reg, table, row_id, current, json.loads(incoming))
            db.conn.execute(
                "INSERT INTO change_log (table_name, row_id, rev, at) VALUES (?, ?, ?, ?)",
                (table, row_id, incoming_rev, now_iso()),
            )
            db.conn.execute(
                "UPDATE sync_conflict SET resolved_at = ?, resolution = ? WHERE id = ?",
                (now_iso(), keep, conflict_id),
            )
            reg.audit_event(
                "resolve_conflict",
                table,
                row_id,
                {"conflict": conflict_id, "keep": keep, "incoming_rev": incoming_rev},
            )
        return current
    finally:
        db.close()


def _take(reg: Registry, table: str, row_id: str, current: dict, incoming: dict) -> dict:
    if table in BLOB_COLUMNS:
        raise ReviewProblem("Konflik foto hanya dapat diselesaikan dengan versi kantor.")
    if current["deleted_at"] is not None:
        raise ReviewProblem("Data ini sudah dihapus di kantor; versi laptop tidak dapat dipakai.")
    if incoming.get("deleted_at") is not None:
        return reg.delete(table, row_id)
    changes = {
        k: v for k, v in incoming.items() if k not in MANAGED | {"deleted_at"} and current[k] != v
    }
    # An empty change still gets a new rev: the decision itself must travel to the laptop.
    return reg.update(table, row_id, changes or {"updated_at": now_iso()})


def settle(reg: Registry, conflict_id: int, values: dict, resolution: str = MIXED) -> dict:
    """Settle a conflict with `values` (column -> value to keep) written as an office edit on
    top of the office's row; returns the row as it stands. The laptop's rev goes into the
    row's history, as in `resolve_conflict`, so the next return bundle fast-forwards the
    laptop to the decision. Must run inside `reg.transaction()`."""
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
    hidden = MANAGED | {"pk", "deleted_at", "merged_into"}
    changes = {k: v for k, v in values.items() if k not in hidden and current.get(k) != v}
    # Our new rev must sort after the laptop's, whichever clock runs ahead.
    reg.observe(incoming_rev)
    # Even with no change a new rev is written: the decision itself must reach the laptop.
    row = reg.update(table, row_id, changes or {"updated_at": now_iso()}, current=current)
    conn.execute(
        "INSERT INTO change_log (table_name, row_id, rev, at) VALUES (?, ?, ?, ?)",
        (table, row_id, incoming_rev, now_iso()),
    )
    conn.execute(
        "UPDATE sync_conflict SET resolved_at = ?, resolution = ? WHERE id = ?",
        (now_iso(), resolution, conflict_id),
    )
    reg.audit_event(
        "resolve_conflict",
        table,
        row_id,
        {
            "conflict": conflict_id,
            "keep": resolution,
            "incoming_rev": incoming_rev,
            "fields": values,
        },
    )
    return row
