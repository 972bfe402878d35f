import hashlib

import pytest

from muba_desk.store import db as store_db
from muba_desk.store.db import DatabaseError, NewerDatabase, connect
from muba_desk.store.schema import MIGRATIONS, SYNCED_TABLES


def file_hash(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_connect_migrates_an_empty_file_with_durable_pragmas(db_path):
    db = connect(db_path)
    tables = set(db.table_names())
    assert set(SYNCED_TABLES) <= tables
    assert {"audit", "change_log", "person_search", "operator", "setting"} <= tables
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == store_db.BUSY_TIMEOUT_MS
    assert db.execute("SELECT count(*) FROM area_village").fetchone()[0] == 242
    assert db.execute("SELECT count(*) FROM area_district").fetchone()[0] == 15
    db.close()


def test_reopening_a_current_file_runs_no_migration_and_makes_no_backup(db_path):
    connect(db_path).close()
    connect(db_path).close()
    assert list(db_path.parent.glob("*.bak")) == []


def test_pending_migration_copies_the_file_aside_first(db_path, monkeypatch):
    db = connect(db_path)
    db.execute("INSERT INTO setting VALUES ('marker', 'before')")
    db.close()

    calls = []

    @MIGRATIONS(name="m999_test_only")
    def m999(database):
        calls.append(1)
        database.execute("UPDATE setting SET value = 'after' WHERE key = 'marker'")

    try:
        db = connect(db_path)
        assert calls == [1]
        assert db.execute("SELECT value FROM setting WHERE key='marker'").fetchone()[0] == "after"
        db.close()
        backups = list(db_path.parent.glob("registry.db.before-m999_test_only-*.bak"))
        assert len(backups) == 1
        # The copy is encrypted like the registry; its key file is copied beside it.
        copy = connect(backups[0], migrate=False, readonly=True).conn
        assert copy.execute("SELECT value FROM setting WHERE key='marker'").fetchone()[0] == (
            "before"
        )
        copy.close()
    finally:
        MIGRATIONS._migrations = [m for m in MIGRATIONS._migrations if m.name != "m999_test_only"]


def test_a_file_from_a_newer_version_is_refused_and_left_untouched(db_path):
    db = connect(db_path)
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('muba_desk', 'm900_from_the_future', '2030-01-01')"
    )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = file_hash(db_path)
    with pytest.raises(NewerDatabase) as excinfo:
        connect(db_path)
    message = str(excinfo.value)
    assert (
        "dibuat oleh versi muba-desk yang lebih baru" in message
        and "m900_from_the_future" in message
    )
    assert file_hash(db_path) == before


def test_a_file_that_is_not_a_database_is_refused_with_its_name(tmp_path):
    bogus = tmp_path / "catatan.db"
    bogus.write_text("ini bukan basis data\n" * 100)
    with pytest.raises(DatabaseError) as excinfo:
        connect(bogus)
    assert "catatan.db" in str(excinfo.value)
    assert bogus.read_text().startswith("ini bukan basis data")
