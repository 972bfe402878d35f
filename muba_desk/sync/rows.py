"""Rows as they travel in bundles, for both sides: reading NDJSON lines, checking a record's
shape, and writing a row exactly as it arrived. The office's import (`sync/importer.py`) and
the laptop's receive (`sync/receive.py`) share these, so neither imports the other's module."""

from __future__ import annotations

import re

from muba_desk.core import rules
from muba_desk.i18n import _
from muba_desk.store.schema import SYNCED_TABLES
from muba_desk.sync.bundle import BundleError, Payload, canonical, refuse
from muba_desk.sync.jsonsafe import real_columns

_REV = re.compile(r"^[0-9]{13}\.[0-9]{4}\.([0-9a-z]{1,32})$")
MAX_ANCESTORS = 10_000
_RECORD_KEYS = frozenset({"row", "ancestors"})
# A row's values: None, text, integers and reals (bool is not int here: type, not isinstance).
_PLAIN_TYPES = frozenset({type(None), str, int, float})

# What each travelling row points at: (column, parent table).
PARENTS = {
    "person": (("household_id", "household"), ("institution_id", "institution")),
    "grp_member": (("grp_id", "grp"), ("person_id", "person")),
    "enrolment": (
        ("person_id", "person"),
        ("household_id", "household"),
        ("grp_id", "grp"),
        ("institution_id", "institution"),
    ),
    "enrolment_status": (("enrolment_id", "enrolment"),),
    "handover": (("enrolment_id", "enrolment"),),
}
_PHOTO_OWNERS = frozenset({"household", "institution", "person", "grp", "enrolment", "handover"})


def parents(table: str, row: dict):
    """(column, parent table) for each row this row points at."""
    if table == "photo":
        owner = row.get("owner_table")
        return (("owner_id", owner),) if owner in _PHOTO_OWNERS else ()
    return PARENTS.get(table, ())


# Photos stay where they were taken and at the office: the field needs names and numbers to
# catch duplicates, and a laptop's share of photos would make every return bundle huge.
RETURN_TABLES = tuple(t for t in SYNCED_TABLES if t != "photo")


def record_line(row: dict | bytes, ancestors: list[str]) -> bytes:
    """The one encoder of a bundle's row line, both sides: `{"ancestors":[...],"row":{...}}`
    as `bundle.canonical` writes it (keys sorted, no spaces, UTF-8). `row` is a dict, or its
    canonical JSON already made (the export has SQLite's json_object make it, the same bytes:
    see `sync/export._changed_lines`). Revs are plain ASCII (`_REV`), so their list is joined
    without the JSON encoder: a tenth of an export's time went there."""
    made = row if isinstance(row, bytes) else canonical(row)
    if all(map(_REV.match, ancestors)):
        revs = ("[" + ",".join(f'"{rev}"' for rev in ancestors) + "]").encode("ascii")
    else:
        revs = canonical(ancestors)
    return b'{"ancestors":%b,"row":%b}' % (revs, made)


def _ndjson(db, payload: Payload, table: str, limit: int, name: str) -> list[dict]:
    """The table's rows in the bundle, parsed as they inflate (`Payload.records`): no more
    than `limit`, no number SQLite cannot hold, floats only in the table's REAL columns."""
    return payload.records(
        f"rows/{table}.ndjson",
        name,
        limit=limit,
        reals=real_columns(db.conn, table),
        table=table,
    )


def _columns(db, table: str) -> set[str]:
    return {c[1] for c in db.conn.execute(f"PRAGMA table_info({table})")} - {"pk"}


def _check_record(
    record: dict, table: str, columns: set[str], device: str | None, name: str
) -> dict:
    """One NDJSON line: known columns, plain values, sane id and revs; with `device`, a rev
    made there (a laptop sends only its own edits; the office sends anyone's)."""

    # Made only when needed: thousands of rows pass.
    def bad() -> BundleError:
        return refuse(name, f"baris {table} di dalam paket tidak sah.")

    if record.keys() != _RECORD_KEYS or not isinstance(record["row"], dict):
        raise bad()
    row, ancestors = record["row"], record["ancestors"]
    if not row.keys() <= columns or "id" not in row or "rev" not in row:
        raise bad()
    if not _PLAIN_TYPES.issuperset(map(type, row.values())):
        raise bad()
    row_id = row["id"]
    if not isinstance(row_id, str) or not 0 < len(row_id) <= 64 or not row_id.isprintable():
        raise bad()
    rev = _REV.match(row["rev"]) if isinstance(row["rev"], str) else None
    # A laptop sends only its own edits: a rev naming another device would be a forgery.
    if rev is None or (device is not None and rev.group(1) != device):
        raise refuse(
            name, f"baris {table} {row_id} membawa revisi dari perangkat lain.", alarm=True
        )
    if (
        not isinstance(ancestors, list)
        or len(ancestors) > MAX_ANCESTORS
        or not all(isinstance(a, str) and _REV.match(a) for a in ancestors)
    ):
        raise bad()
    return record


def _stored_program(db):
    def stored_program(enrolment_id):
        found = db.conn.execute(
            "SELECT program FROM enrolment WHERE id = ?", (enrolment_id,)
        ).fetchone()
        return found[0] if found else None

    return stored_program


def hold_back(rows: dict[str, list[dict]], problems: dict[tuple[str, str], str]) -> dict:
    """`problems` (table, id) -> reason, grown by every row that points at a held row, and
    those rows taken out of `rows` (in place). Tables come parents first (SYNCED_TABLES)."""
    held = dict(problems)
    for table in SYNCED_TABLES:
        records = rows.get(table)
        if not records:
            continue
        kept = []
        for record in records:
            row = record["row"]
            key = (table, row["id"])
            if key not in held:
                for column, parent in parents(table, row):
                    if (parent, row.get(column)) in held:
                        held[key] = _(
                            "baris {table} {id}: baris {parent} yang dirujuknya ditahan."
                        ).format(table=table, id=row["id"], parent=parent)
                        break
            if key not in held:
                kept.append(record)
        rows[table] = kept
    return held


def rule_problems(db, rows: dict[str, list[dict]]) -> dict[tuple[str, str], str]:
    """The domain's rules on every row of a laptop's bundle: (table, id) -> the reason, naming
    the row and the field, for each row the office holds back (`sync.authority.Judge`)."""
    return rules.bundle_row_problems(rows, _stored_program(db))


def write_row(conn, table: str, row: dict, *, exists: bool) -> None:
    """Store a row exactly as it arrived (every column, its own rev): insert, or overwrite."""
    if not exists:
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))
        return
    changes = {k: v for k, v in row.items() if k != "id"}
    assignments = ", ".join(f"{k} = ?" for k in changes)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*changes.values(), row["id"]))
