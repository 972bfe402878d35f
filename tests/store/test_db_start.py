"""Opening a registry stays light: sqlite-utils is built on first use, migrations are read with
one query, and the `_sqlite_migrations` rows are the ones sqlite-utils itself writes."""

import subprocess
import sys

import sqlite_utils
from sqlite_utils.migrations import Migrations as SqliteUtilsMigrations

from muba_desk.store.db import Database, applied_migrations, connect, memory_db
from muba_desk.store.schema import MIGRATIONS, known_migration_names


def test_connect_gives_a_light_database_whose_sqlite_utils_side_works_on_demand(db_path):
    db = connect(db_path)
    try:
        assert isinstance(db, Database)
        assert db.execute("SELECT count(*) FROM area_district").fetchone()[0] == 15
        assert db.execute("SELECT ? + ?", (2, 3)).fetchone()[0] == 5
        # Anything else is sqlite-utils' Database on the same connection.
        assert isinstance(db.full, sqlite_utils.Database) and db.full.conn is db.conn
        assert db["area_district"].count == 15
        assert "person" in db.table_names()
    finally:
        db.close()


def test_recursive_triggers_are_on_as_sqlite_utils_sets_them(db_path):
    db = connect(db_path)
    try:
        assert db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    finally:
        db.close()
    assert memory_db().execute("PRAGMA recursive_triggers").fetchone()[0] == 1


def test_executescript_inside_a_transaction_does_not_commit_it():
    db = memory_db()
    db.execute("BEGIN")
    db.executescript("INSERT INTO setting VALUES ('a', '1'); INSERT INTO setting VALUES ('b', '2')")
    assert db.conn.in_transaction
    db.execute("ROLLBACK")
    assert db.execute("SELECT count(*) FROM setting WHERE key IN ('a', 'b')").fetchone()[0] == 0


def test_the_migration_rows_are_the_ones_sqlite_utils_reads(db_path):
    db = connect(db_path)
    try:
        ours = MIGRATIONS.applied(db)
        theirs = SqliteUtilsMigrations("muba_desk").applied(db.full)
        assert [(m.name, m.applied_at) for m in ours] == [(m.name, m.applied_at) for m in theirs]
        assert applied_migrations(db) == [m.name for m in MIGRATIONS._migrations]
        assert set(applied_migrations(db)) == known_migration_names()
        assert MIGRATIONS.pending(db) == []
        columns = [row[1] for row in db.execute("PRAGMA table_info(_sqlite_migrations)")]
        assert columns == ["id", "migration_set", "name", "applied_at"]
    finally:
        db.close()


def test_a_new_file_has_no_applied_migrations_until_migrated(tmp_path):
    db = connect(tmp_path / "new.db", migrate=False)
    try:
        assert MIGRATIONS.applied(db) == []
        assert [m.name for m in MIGRATIONS.pending(db)] == [m.name for m in MIGRATIONS._migrations]
    finally:
        db.close()


OPEN_UP_TO_DATE = """
import sys
from muba_desk.store.db import connect
db = connect(sys.argv[1])
db.execute("SELECT count(*) FROM person").fetchone()
db.close()
print(" ".join(m for m in ("sqlite_utils", "click", "cryptography") if m in sys.modules))
"""


def test_opening_an_up_to_date_registry_imports_neither_sqlite_utils_nor_cryptography(db_path):
    connect(db_path).close()  # migrated (and encrypted, with its key file) once
    from muba_desk.store import keys

    key = keys.key_for(db_path)
    script = OPEN_UP_TO_DATE
    if key is not None:  # the child unlocks the key as the window's sign-in would have
        script = (
            f"from muba_desk.store import keys\nkeys.remember({str(db_path)!r}, "
            f"bytes.fromhex({key.hex()!r}))\n" + script
        )
    result = subprocess.run(
        [sys.executable, "-c", script, str(db_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
