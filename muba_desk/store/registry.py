"""Writes to travelling rows: ids, revisions, tombstones, audit and change log in one transaction.

Every change made anywhere in the app (window, demo generator, CLI, later a bundle import) goes
through `Registry`, so the audit chain and the change log sync reads can never miss a write.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from muba_desk.domain.ids import HybridClock, uuid7
from muba_desk.store import audit
from muba_desk.store.schema import BLOB_COLUMNS, SYNCED_TABLES

LOCAL_COLUMNS = ("pk",)


class StaleEdit(Exception):
    """The row changed since the form was opened; the message is for the user (Indonesian)."""


class RecordNotFound(LookupError):
    pass


def now_iso() -> str:
    """UTC time with milliseconds, as stored everywhere (shown in WIB by the interface)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def get_setting(db, key: str, default: str | None = None) -> str | None:
    row = db.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_setting(db, key: str, value: str) -> None:
    db.conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, value))


def ensure_device(db) -> str:
    """This database's device id, made once on first use and never changed."""
    device = get_setting(db, "device_id")
    if device is None:
        # 12 hex digits of a UUIDv7's random part: short enough for revs, unique enough for
        # the few hundred devices a regency will ever have.
        device = uuid7().replace("-", "")[-12:]
        set_setting(db, "device_id", device)
    return device


def _encode(value):
    if isinstance(value, (list, dict, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _for_audit(table: str, row: dict | None) -> str | None:
    if row is None:
        return None
    shown = {k: v for k, v in row.items() if k not in LOCAL_COLUMNS}
    for column in BLOB_COLUMNS.get(table, ()):
        if shown.get(column) is not None:
            shown[column] = f"<{len(shown[column])} bytes>"
    return audit.canonical(shown)


class Registry:
    """The writer of one connection, stamped with the signed-in operator."""

    def __init__(self, db, operator_id: str | None = None):
        self.db = db
        self.conn = db.conn
        self.operator_id = operator_id
        self.device_id = ensure_device(db)
        self.clock = HybridClock(self.device_id)
        self._head: str | None = None
        self._columns: dict[str, list[str]] = {}

    # -- transactions -------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Registry]:
        """One all-or-nothing change; nests as a savepoint."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT registry")
            head = self._head
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK TO registry")
                self.conn.execute("RELEASE registry")
                self._head = head
                raise
            self.conn.execute("RELEASE registry")
            return
        # IMMEDIATE takes the write lock now, so two writers queue instead of deadlocking.
        self.conn.execute("BEGIN IMMEDIATE")
        self._head = audit.chain_head(self.conn, self.device_id)
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._head = None
            raise
        self.conn.execute("COMMIT")
        self._head = None

    def _require_transaction(self) -> None:
        if not self.conn.in_transaction or self._head is None:
            raise RuntimeError("write outside Registry.transaction()")

    # -- reading --------------------------------------------------------------------------
    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            info = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
            self._columns[table] = [c[1] for c in info]
        return self._columns[table]

    def get(self, table: str, row_id: str) -> dict | None:
        cursor = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        values = cursor.fetchone()
        if values is None:
            return None
        return dict(zip([d[0] for d in cursor.description], values, strict=True))

    # -- writing --------------------------------------------------------------------------
    def insert(self, table: str, values: dict) -> dict:
        self._check_table(table)
        self._require_transaction()
        at = now_iso()
        row = {k: _encode(v) for k, v in values.items()}
        row.setdefault("id", uuid7())
        row.update(
            rev=self.clock.tick(),
            base_rev=None,
            created_at=at,
            created_by=self.operator_id,
            updated_at=at,
            updated_by=self.operator_id,
            deleted_at=None,
        )
        self._reject_unknown(table, row)
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))
        self._record(table, row["id"], "insert", None, row, at)
        return row

    def update(self, table: str, row_id: str, changes: dict, *, base_rev: str | None = None):
        """Change some columns; with `base_rev`, refuse if someone else changed the row since."""
        self._check_table(table)
        self._require_transaction()
        before = self.get(table, row_id)
        if before is None or before["deleted_at"] is not None:
            raise RecordNotFound(f"{table} {row_id} tidak ditemukan")
        if base_rev is not None and before["rev"] != base_rev:
            raise StaleEdit(
                "Data ini sudah diubah orang lain sejak formulir dibuka. "
                "Muat ulang datanya, lalu ulangi perubahan Anda."
            )
        at = now_iso()
        changes = {k: _encode(v) for k, v in changes.items()}
        self._reject_unknown(table, changes)
        protected = {"id", "pk", "rev", "base_rev", "created_at", "created_by", "deleted_at"}
        if protected & changes.keys():
            raise ValueError(f"columns {sorted(protected & changes.keys())} are managed here")
        changes.update(
            rev=self.clock.tick(),
            base_rev=before["rev"],
            updated_at=at,
            updated_by=self.operator_id,
        )
        assignments = ", ".join(f"{k} = ?" for k in changes)
        self.conn.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id)
        )
        after = {**before, **changes}
        self._record(table, row_id, "update", before, after, at)
        return after

    def delete(self, table: str, row_id: str) -> dict:
        """A tombstone: the row stays so the deletion can travel; it is hidden everywhere."""
        self._check_table(table)
        self._require_transaction()
        before = self.get(table, row_id)
        if before is None or before["deleted_at"] is not None:
            raise RecordNotFound(f"{table} {row_id} tidak ditemukan")
        at = now_iso()
        changes = {
            "rev": self.clock.tick(),
            "base_rev": before["rev"],
            "updated_at": at,
            "updated_by": self.operator_id,
            "deleted_at": at,
        }
        assignments = ", ".join(f"{k} = ?" for k in changes)
        self.conn.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id)
        )
        after = {**before, **changes}
        self._record(table, row_id, "delete", before, after, at)
        return after

    def audit_event(self, action: str, table: str, row_id: str, detail: dict) -> None:
        """An entry that changes no travelling row (a sign-in, a print, a viewed record)."""
        self._require_transaction()
        self._append_audit(action, table, row_id, None, audit.canonical(detail), now_iso())

    # -- bookkeeping ----------------------------------------------------------------------
    def _record(self, table, row_id, action, before, after, at) -> None:
        self._append_audit(
            action, table, row_id, _for_audit(table, before), _for_audit(table, after), at
        )
        self.conn.execute(
            "INSERT INTO change_log (table_name, row_id, rev, at) VALUES (?, ?, ?, ?)",
            (table, row_id, after["rev"], at),
        )

    def _append_audit(self, action, table, row_id, before, after, at) -> None:
        self._head = audit.append(
            self.conn,
            prev_hash=self._head,
            entry={
                "at": at,
                "device_id": self.device_id,
                "operator_id": self.operator_id,
                "action": action,
                "table_name": table,
                "row_id": row_id,
                "before": before,
                "after": after,
            },
        )

    def _check_table(self, table: str) -> None:
        if table not in SYNCED_TABLES:
            raise ValueError(f"{table!r} is not a table the registry writes")

    def _reject_unknown(self, table: str, row: dict) -> None:
        unknown = set(row) - set(self.columns(table))
        if unknown:
            raise ValueError(f"unknown columns for {table}: {sorted(unknown)}")
