"""Writes to travelling rows: ids, revisions, tombstones, audit and change log in one transaction.

Every change made anywhere in the app (window, demo generator, CLI, later a bundle import) goes
through `Registry`, so the audit chain and the change log sync reads can never miss a write, and
no row that breaks the domain's rules (`muba_desk.core.rules.check_row`) is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

from muba_desk.core import rules
from muba_desk.domain.ids import HybridClock, uuid7
from muba_desk.errors import UserError
from muba_desk.store import audit
from muba_desk.store.schema import BLOB_COLUMNS, SYNCED_TABLES

LOCAL_COLUMNS = ("pk",)


class StaleEdit(UserError):
    """The row changed since the form was opened; the message is for the user (Indonesian)."""


class RecordNotFound(UserError, LookupError):
    pass


def now_iso() -> str:
    """UTC time with milliseconds, as stored everywhere (shown in WIB by the interface)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# The highest rev merged here from another device (see `Registry.observe`).
CLOCK_SEEN = "clock_seen"


def _stamps(at: Sequence[str] | None, count: int) -> list[str]:
    """The writer's own stamps (`Registry.insert_many`'s `at`), checked: one a row, in the
    stored form, none in the future."""
    if at is None:
        return []
    stamps = list(at)
    if len(stamps) != count:
        raise ValueError(f"at: {len(stamps)} stamps for {count} rows")
    latest = now_iso()
    for stamp in stamps:
        if len(stamp) != len(latest) or not stamp.endswith("Z") or stamp > latest:
            raise ValueError(f"at: {stamp!r} is not a past UTC stamp like {latest!r}")
    return stamps


def get_setting(db, key: str, default: str | None = None) -> str | None:
    row = db.conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_setting(db, key: str, value: str) -> None:
    db.conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (key, value))


def set_settings(db, values: dict[str, str]) -> None:
    """Write several settings in one transaction of their own, all or nothing."""
    with db.conn:  # sqlite3's context manager: COMMIT, or ROLLBACK on an exception
        db.conn.execute("BEGIN IMMEDIATE")
        for key, value in values.items():
            set_setting(db, key, value)


def ensure_device(db) -> str:
    """This database's device id, made once on first use and never changed."""
    device = get_setting(db, "device_id")
    if device is None:
        # 12 hex digits of a UUIDv7's random part: short enough for revs, unique enough for
        # the few hundred devices a regency will ever have.
        device = uuid7().replace("-", "")[-12:]
        set_setting(db, "device_id", device)
    return device


_JSON_TYPES = (list, dict, tuple)
# Bound parameters per multi-row INSERT: SQLite's own limit before 3.32, so any build takes it.
MAX_VARIABLES = 999


# What `json.dumps(value, ensure_ascii=False, sort_keys=True)` uses, made once.
_VALUE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _encode(value):
    if isinstance(value, _JSON_TYPES):
        return _VALUE_JSON(value)
    return value


def _for_audit(table: str, row: dict | None) -> str | None:
    if row is None:
        return None
    blobs = BLOB_COLUMNS.get(table, ())
    if not blobs and not any(column in row for column in LOCAL_COLUMNS):
        return audit.canonical(row)  # a new row as inserted: nothing to leave out
    shown = {k: v for k, v in row.items() if k not in LOCAL_COLUMNS}
    for column in blobs:
        if shown.get(column) is not None:
            shown[column] = f"<{len(shown[column])} bytes>"
    return audit.canonical(shown)


def insert_rows(conn, table: str, names, rows) -> None:
    """INSERT `rows` (sequences of values for `names`, in order) with multi-row statements.

    A person's INSERT fires the trigger that writes the FTS5 index; SQLite wraps every statement
    that fires a trigger in a statement savepoint, and FTS5 (SQLite 3.40 and 3.53 alike)
    flushes its pending terms to a new segment at each savepoint. One statement per row thus
    writes (and later merges) one segment per person: 110 µs a row against 24 µs in
    statements of many rows (the FTS5 part alone, measured at 20,000 people), and the gap
    grows with the index. The rows go in in the order given."""
    width = len(names)
    per_statement = max(1, MAX_VARIABLES // max(1, width))
    columns = ", ".join(names)
    one = "(" + ", ".join("?" * width) + ")"
    rows = list(rows)
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        marks = ", ".join([one] * len(chunk))
        conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES {marks}",
            [value for row in chunk for value in row],
        )


# Column names by the table's CREATE TABLE text, for every connection of the process.
_COLUMNS_BY_SQL: dict[str, list[str]] = {}


# Columns the Registry stamps itself; an update may not set them.
MANAGED = frozenset({"id", "pk", "rev", "base_rev", "created_at", "created_by", "deleted_at"})


class Registry:
    """The writer of one connection, stamped with the signed-in operator."""

    def __init__(self, db, operator_id: str | None = None):
        self.db = db
        self.conn = db.conn
        self.operator_id = operator_id
        self.device_id = ensure_device(db)
        self.clock = HybridClock(self.device_id)
        seen = get_setting(db, CLOCK_SEEN)
        if seen is not None:
            self.clock.observe(seen)
        # Inside a transaction: the chain's last hash and the next audit seq, both read once
        # under the write lock, so no other connection can append in between.
        self._head: str | None = None
        self._seq: int | None = None
        self._columns: dict[str, list[str]] = {}
        self._column_sets: dict[str, frozenset[str]] = {}

    def observe(self, rev: str | None) -> None:
        """A rev merged here from another device: every later edit of this database sorts
        after it, in this Registry and (through the setting CLOCK_SEEN) any made later."""
        if rev is None or not self.clock.observe(rev):
            return
        seen = get_setting(self.db, CLOCK_SEEN)
        if seen is None or rev[:18] > seen[:18]:  # the clock part: 13 + 1 + 4 characters
            set_setting(self.db, CLOCK_SEEN, rev)

    # -- transactions -------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Registry]:
        """One all-or-nothing change; nests as a savepoint."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT registry")
            head, seq = self._head, self._seq
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK TO registry")
                self.conn.execute("RELEASE registry")
                self._head, self._seq = head, seq
                raise
            self.conn.execute("RELEASE registry")
            return
        # IMMEDIATE takes the write lock now, so two writers queue instead of deadlocking.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self._head = audit.chain_head(self.conn, self.device_id)
            self._seq = audit.next_seq(self.conn)
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            self._head = self._seq = None
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            # A COMMIT refused (a deferred foreign key, say) leaves the transaction open.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._head = self._seq = None

    def _require_transaction(self) -> None:
        if not self.conn.in_transaction or self._head is None:
            raise RuntimeError("write outside Registry.transaction()")

    # -- reading --------------------------------------------------------------------------
    def columns(self, table: str) -> list[str]:
        if table not in self._columns:
            # The window makes a Registry per write: the columns are kept per CREATE TABLE
            # text (which ALTER TABLE rewrites), a quarter of the cost of PRAGMA table_info.
            found = self.conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()
            known = _COLUMNS_BY_SQL.get(found[0]) if found else None
            if known is None:
                info = self.conn.execute(f"PRAGMA table_info({table})").fetchall()
                known = [c[1] for c in info]
                if found:
                    _COLUMNS_BY_SQL[found[0]] = known
            self._columns[table] = list(known)
            self._column_sets[table] = frozenset(known)
        return self._columns[table]

    def get(self, table: str, row_id: str) -> dict | None:
        cursor = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        values = cursor.fetchone()
        if values is None:
            return None
        return dict(zip([d[0] for d in cursor.description], values, strict=True))

    def get_many(self, table: str, row_ids) -> dict[str, dict]:
        """Rows by id, as `get` reads them (missing ids are left out)."""
        row_ids = list(row_ids)
        found: dict[str, dict] = {}
        for start in range(0, len(row_ids), MAX_VARIABLES):
            chunk = row_ids[start : start + MAX_VARIABLES]
            marks = ", ".join("?" * len(chunk))
            cursor = self.conn.execute(f"SELECT * FROM {table} WHERE id IN ({marks})", chunk)
            names = [d[0] for d in cursor.description]
            for values in cursor:
                row = dict(zip(names, values, strict=True))
                found[row["id"]] = row
        return found

    # -- writing --------------------------------------------------------------------------
    def insert(self, table: str, values: dict) -> dict:
        self._check_table(table)
        self._require_transaction()
        at = now_iso()
        row = rules.clean_row(table, self._new_row(table, values, at))
        rules.check_row(table, row, program=self._program_of(table, row))
        names = ", ".join(row)
        marks = ", ".join("?" * len(row))
        self.conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))
        self._record(table, row["id"], "insert", None, row, at)
        return row

    def insert_many(self, table: str, rows, *, at: Sequence[str] | None = None) -> list[dict]:
        """`insert` for many rows in one go, in order: the same rows, audit entries and change
        log as one `insert` each, written with a few multi-row statements (`insert_rows`)
        instead of three statements a row. For bulk writers (the demo generator).

        `at` (one UTC stamp a row, not after now) is for a writer that records work done
        earlier, the demo's made-up months: the rows' created/updated stamps and their audit
        and change-log times say when it happened. The audit chain, the revs and the order of
        the entries are still those of the writing, so `doctor` and sync see a normal file."""
        self._check_table(table)
        self._require_transaction()
        rows = list(rows)
        stamps, now = _stamps(at, len(rows)), now_iso()
        written = [
            rules.clean_row(table, self._new_row(table, values, stamps[i] if stamps else now))
            for i, values in enumerate(rows)
        ]
        if not written:
            return []
        for row in written:
            rules.check_row(table, row, program=self._program_of(table, row))
        entries = [
            (row["id"], None, _for_audit(table, row), row["rev"], row["created_at"])
            for row in written
        ]
        # All or nothing, like one `insert`: a failing row takes the rows before it back out.
        with self.transaction():
            start = 0
            while start < len(written):
                # Runs of rows with the same columns share one statement shape.
                names = tuple(written[start])
                end = start + 1
                while end < len(written) and tuple(written[end]) == names:
                    end += 1
                values = [tuple(row.values()) for row in written[start:end]]
                insert_rows(self.conn, table, names, values)
                start = end
            self._record_many(table, "insert", entries)
        return written

    def update(
        self,
        table: str,
        row_id: str,
        changes: dict,
        *,
        base_rev: str | None = None,
        current: dict | None = None,
    ):
        """Change some columns; with `base_rev`, refuse if someone else changed the row since.

        `current` is the whole row (as `get` returns it) when the caller has just read it in
        this transaction: it is not read again."""
        self._check_table(table)
        self._require_transaction()
        before = current if current is not None else self.get(table, row_id)
        if before is None or before["deleted_at"] is not None:
            raise RecordNotFound(f"{table} {row_id} tidak ditemukan")
        if base_rev is not None and before["rev"] != base_rev:
            raise StaleEdit(
                "Data ini sudah diubah orang lain sejak formulir dibuka. "
                "Muat ulang datanya, lalu ulangi perubahan Anda."
            )
        at = now_iso()
        changes = self._stamped(table, before, changes, at)
        assignments = ", ".join(f"{k} = ?" for k in changes)
        self.conn.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row_id)
        )
        after = {**before, **changes}
        self._record(table, row_id, "update", before, after, at)
        return after

    def _stamped(self, table: str, before: dict, changes: dict, at: str) -> dict:
        """`changes` as an update writes them: encoded, checked, with the new rev stamped."""
        changes = rules.clean_row(table, {k: _encode(v) for k, v in changes.items()})
        self._reject_unknown(table, changes)
        if MANAGED & changes.keys():
            raise ValueError(f"columns {sorted(MANAGED & changes.keys())} are managed here")
        checked = rules.changed_columns(table, before, changes)
        rules.check_row(table, checked, program=self._program_of(table, checked))
        changes.update(
            rev=self.clock.tick(),
            base_rev=before["rev"],
            updated_at=at,
            updated_by=self.operator_id,
        )
        return changes

    def update_many(self, table: str, updates, *, at: Sequence[str] | None = None) -> list[dict]:
        """`update` for many rows in one go, in order: `updates` holds (current, changes) pairs,
        `current` being the whole row as read (or written) in this transaction, each row once.
        The same rows, audit entries and change log as one `update` each, in a few statements.
        `at`: one stamp an update, as for `insert_many`."""
        self._check_table(table)
        self._require_transaction()
        updates = list(updates)
        stamps, now = _stamps(at, len(updates)), now_iso()
        afters, entries, statements = [], [], {}
        for index, (before, changes) in enumerate(updates):
            when = stamps[index] if stamps else now
            if before is None or before["deleted_at"] is not None:
                raise RecordNotFound(f"{table} {before and before['id']} tidak ditemukan")
            changes = self._stamped(table, before, changes, when)
            assignments = ", ".join(f"{k} = ?" for k in changes)
            sql = f"UPDATE {table} SET {assignments} WHERE id = ?"
            statements.setdefault(sql, []).append((*changes.values(), before["id"]))
            after = {**before, **changes}
            afters.append(after)
            audited = (_for_audit(table, before), _for_audit(table, after))
            entries.append((before["id"], *audited, after["rev"], when))
        if not entries:
            return []
        if len({row_id for row_id, *_ in entries}) != len(entries):
            raise ValueError("update_many changes each row once; call it again for the next change")
        with self.transaction():
            # Each row changes once, so running the statements grouped by shape gives the same.
            for sql, rows in statements.items():
                self.conn.executemany(sql, rows)
            self._record_many(table, "update", entries)
        return afters

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
    def _new_row(self, table: str, values: dict, at: str) -> dict:
        """`values` encoded, with the id (a new UUIDv7 unless given), rev and stamps."""
        row = {k: _VALUE_JSON(v) if isinstance(v, _JSON_TYPES) else v for k, v in values.items()}
        if "id" not in row:
            row["id"] = uuid7()
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
        return row

    def _record(self, table, row_id, action, before, after, at) -> None:
        self._append_audit(
            action, table, row_id, _for_audit(table, before), _for_audit(table, after), at
        )
        self.conn.execute(
            "INSERT INTO change_log (table_name, row_id, rev, at) VALUES (?, ?, ?, ?)",
            (table, row_id, after["rev"], at),
        )

    def _record_many(self, table: str, action: str, entries) -> None:
        """Audit entries and change-log rows for (row_id, before, after, rev, at) in order, as
        `_record` writes them one by one."""
        seq, head = self._seq, self._head
        audit_rows = []
        for row_id, before, after, _rev, at in entries:
            values = (
                seq,
                at,
                self.device_id,
                self.operator_id,
                action,
                table,
                row_id,
                before,
                after,
            )
            digest = audit.fields_hash(head, values)
            audit_rows.append((*values, head, digest))
            seq, head = seq + 1, digest
        self.conn.executemany(audit.INSERT, audit_rows)
        self.conn.executemany(
            "INSERT INTO change_log (table_name, row_id, rev, at) VALUES (?, ?, ?, ?)",
            [(table, row_id, rev, at) for row_id, _b, _a, rev, at in entries],
        )
        self._seq, self._head = seq, head

    def _append_audit(self, action, table, row_id, before, after, at) -> None:
        self._head = audit.append(
            self.conn,
            prev_hash=self._head,
            seq=self._seq,
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
        self._seq += 1

    def _program_of(self, table: str, row: dict) -> str | None:
        """A hand-over's program (for its amount's cap), read from its enrolment."""
        if table != "handover" or row.get("amount") is None:
            return None
        found = self.conn.execute(
            "SELECT program FROM enrolment WHERE id = ?", (row.get("enrolment_id"),)
        ).fetchone()
        return found[0] if found else None

    def _check_table(self, table: str) -> None:
        if table not in SYNCED_TABLES:
            raise ValueError(f"{table!r} is not a table the registry writes")

    def _reject_unknown(self, table: str, row: dict) -> None:
        known = self._column_sets.get(table)
        if known is None:
            self.columns(table)
            known = self._column_sets[table]
        if not known.issuperset(row):
            unknown = set(row) - known
            raise ValueError(f"unknown columns for {table}: {sorted(unknown)}")
