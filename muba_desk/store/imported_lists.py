"""Reads an imported list's plan needs, and the office's ledger of imported lists (`list_import`,
`list_row`: office-local tables, not travelling rows, so written here and not by the Registry)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from muba_desk.domain.ids import uuid7
from muba_desk.store.registry import MAX_VARIABLES, now_iso

IMPORT_CACHE_KIB = 262_144  # 256 MB of page cache while a list is written


@contextmanager
def large_cache(conn) -> Iterator[None]:
    """A list writes into every index of the registry at random places (NIK, name, birth date,
    the search index) in one transaction: with SQLite's default 2 MB cache the changed pages
    spill to the WAL and are read back again and again. The import's connection gets a larger
    cache for the length of the import, then its own again."""
    size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(size)}")


_PERSON = (
    "id, household_id, nik, name, sex, birth_place, birth_date, relation, phone, occupation, "
    "disability, nik_confirmed_at, rev"
)


def _chunks(values: list, size: int = MAX_VARIABLES):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def imported_before(db, sha256: str, sheet: str, mapping_json: str) -> str | None:
    """When the same file (bytes), sheet and mapping were imported, or None."""
    found = db.conn.execute(
        "SELECT imported_at FROM list_import WHERE sha256 = ? AND sheet = ? AND mapping = ?",
        (sha256, sheet, mapping_json),
    ).fetchone()
    return found[0] if found else None


def people_by_nik(db, niks: Iterable[str]) -> dict[str, dict]:
    """Live, unmerged people by NIK (the first registered when a NIK is held twice)."""
    found: dict[str, dict] = {}
    for chunk in _chunks(sorted(set(niks))):
        marks = ", ".join("?" * len(chunk))
        cursor = db.conn.execute(
            f"SELECT {_PERSON} FROM person WHERE nik IN ({marks}) AND deleted_at IS NULL "
            "AND merged_into IS NULL ORDER BY pk",
            chunk,
        )
        for row in _dicts(cursor):
            found.setdefault(row["nik"], row)
    return found


def people_named_and_born(db, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list]:
    """(birth date, folded name) -> ids of live people born that day whose name folds
    (`domain.names.fold_name`, the SQL function `muba_fold_name`) to that name, as the bundle
    import finds likely duplicates. The keys go into a temporary table and SQLite walks the
    birth-date index for each: only the matches come back to Python."""
    conn = db.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS list_wanted (day TEXT, folded TEXT)")
    conn.execute("DELETE FROM temp.list_wanted")
    conn.executemany("INSERT INTO temp.list_wanted (day, folded) VALUES (?, ?)", sorted(set(keys)))
    found: dict[tuple[str, str], list] = defaultdict(list)
    try:
        for day, folded, person_id in conn.execute(
            "SELECT w.day, w.folded, p.id FROM temp.list_wanted w "
            "JOIN person p ON p.birth_date = w.day "
            "WHERE p.deleted_at IS NULL AND p.merged_into IS NULL "
            "AND muba_fold_name(p.name) = w.folded"
        ):
            found[(day, folded)].append(person_id)
    finally:
        conn.execute("DELETE FROM temp.list_wanted")
    return found


def household_with_kk(db, kk_number: str) -> str | None:
    found = db.conn.execute(
        "SELECT id FROM household WHERE kk_number = ? AND deleted_at IS NULL ORDER BY pk LIMIT 1",
        (kk_number,),
    ).fetchone()
    return found[0] if found else None


def household(db, household_id: str) -> dict | None:
    """The household's row, with `members`: how many live people it holds."""
    cursor = db.conn.execute(
        "SELECT h.*, (SELECT count(*) FROM person p WHERE p.household_id = h.id "
        "AND p.deleted_at IS NULL) AS members FROM household h WHERE h.id = ?",
        (household_id,),
    )
    rows = _dicts(cursor)
    return rows[0] if rows else None


def enrolments_of(db, person_ids: Iterable[str], household_ids: Iterable[str]) -> list[dict]:
    """Live enrolments of these people or households, as the eligibility rules read them."""
    found: dict[str, dict] = {}
    columns = "id, program, status, person_id, household_id, period_start, period_end"
    for column, ids in (("person_id", person_ids), ("household_id", household_ids)):
        for chunk in _chunks(sorted(set(ids))):
            marks = ", ".join("?" * len(chunk))
            cursor = db.conn.execute(
                f"SELECT {columns} FROM enrolment WHERE {column} IN ({marks}) "
                "AND deleted_at IS NULL",
                chunk,
            )
            for row in _dicts(cursor):
                found[row["id"]] = row
    return list(found.values())


def households_by_kk(db, kk_numbers: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(set(kk_numbers))):
        marks = ", ".join("?" * len(chunk))
        for household_id, kk in db.conn.execute(
            f"SELECT id, kk_number FROM household WHERE kk_number IN ({marks}) "
            "AND deleted_at IS NULL ORDER BY pk",
            chunk,
        ):
            found.setdefault(kk, household_id)
    return found


# -- the ledger (written inside the import's transaction) ------------------------------------
def record_import(conn, source, operator_id: str | None, counts: dict) -> str:
    """The `list_import` row of an import; sqlite3.IntegrityError when it came in before."""
    import_id = uuid7()
    conn.execute(
        "INSERT INTO list_import (id, file_name, sha256, sheet, mapping_name, mapping, "
        "imported_at, imported_by, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            import_id,
            source.file_name,
            source.sha256,
            source.sheet,
            source.mapping_name,
            source.mapping_json,
            now_iso(),
            operator_id,
            json.dumps(counts, sort_keys=True),
        ),
    )
    return import_id


def record_rows(conn, import_id: str, rows: list[tuple]) -> None:
    """(row_number, fate, person_id, household_id, reason) of each outcome of each row."""
    conn.executemany(
        "INSERT INTO list_row (import_id, row_number, fate, person_id, household_id, reason) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(import_id, *row) for row in rows],
    )


def queue_pairs(conn, device_id: str, pairs: list[tuple[str, str, str]]) -> int:
    """Pairs of people (a, b, reason) probably the same, into the office's review queue
    (`duplicate_candidate`, kind `name_birth`, as the bundle import queues them)."""
    at = now_iso()
    queued = 0
    for a, b, reason in pairs:
        first, second = sorted((a, b))
        queued += conn.execute(
            "INSERT OR IGNORE INTO duplicate_candidate (kind, table_name, row_a, row_b, reason, "
            "device_id, sequence, created_at) VALUES ('name_birth', 'person', ?, ?, ?, ?, 0, ?)",
            (first, second, reason, device_id, at),
        ).rowcount
    return queued


def import_history(db, person_id: str) -> list[dict]:
    """The lists a person came in or was matched by: file, sheet, row, fate, when."""
    cursor = db.conn.execute(
        "SELECT i.file_name, i.sheet, i.sha256, i.mapping_name, i.imported_at, r.row_number, "
        "r.fate, r.reason FROM list_row r JOIN list_import i ON i.id = r.import_id "
        "WHERE r.person_id = ? ORDER BY i.imported_at, r.row_number",
        (person_id,),
    )
    return _dicts(cursor)
