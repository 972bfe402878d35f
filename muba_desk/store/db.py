"""The one place that opens database connections: pragmas, migrations, refusal of newer files."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import sqlite_utils

from muba_desk.store.schema import MIGRATIONS, known_migration_names

BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """A database the app cannot use as it is; the message is for the user (Indonesian)."""


class NewerDatabase(DatabaseError):
    pass


def connect(path: str | os.PathLike, *, migrate: bool = True, readonly: bool = False):
    """Open `path` as a sqlite-utils Database with the app's pragmas, migrated to this version.

    Every connection in the app comes from here (the window's, each worker's, the CLI's), so
    durability settings and, later, encryption at rest live in one place. The connection is in
    driver autocommit mode: writers open their own `BEGIN IMMEDIATE` transactions.
    """
    path = Path(path)
    if readonly:
        if not path.exists():
            raise DatabaseError(f"Berkas basis data '{path}' tidak ditemukan.")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        _check_is_sqlite(conn, path)
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit survives a power cut, not only an application crash.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        db = sqlite_utils.Database(conn, execute_plugins=False)
        refuse_newer(db, path)
        if migrate and not readonly:
            migrate_database(db, path)
    except BaseException:
        conn.close()
        raise
    return db


def memory_db():
    """A migrated in-memory database, for tests and throwaway work."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    db = sqlite_utils.Database(conn, execute_plugins=False)
    MIGRATIONS.apply(db)
    return db


def _check_is_sqlite(conn: sqlite3.Connection, path: Path) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"Berkas '{path}' bukan basis data muba-desk atau rusak. "
            "Pilih berkas lain, atau pulihkan dari cadangan."
        ) from exc


def applied_migrations(db) -> list[str]:
    return [m.name for m in MIGRATIONS.applied(db)]


def refuse_newer(db, path: Path) -> None:
    """A file written by a newer muba-desk is refused before anything touches it."""
    unknown = [name for name in applied_migrations(db) if name not in known_migration_names()]
    if unknown:
        raise NewerDatabase(
            f"Basis data '{path}' dibuat oleh muba-desk versi yang lebih baru "
            f"(perubahan skema {', '.join(unknown)} tidak dikenal). Perbarui aplikasi ini; "
            "berkasnya tidak diubah."
        )


def migrate_database(db, path: Path) -> Path | None:
    """Apply pending migrations; an existing file is first copied aside with the backup API.

    Returns the path of the copy, or None when nothing was pending or the file was new.
    """
    pending = MIGRATIONS.pending(db)
    if not pending:
        return None
    backup = None
    if applied_migrations(db):
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.name}.before-{pending[0].name}-{stamp}.bak")
        target = sqlite3.connect(str(backup))
        try:
            # The backup API copies a consistent snapshot, WAL included; a file copy would not.
            db.conn.backup(target)
        finally:
            target.close()
    MIGRATIONS.apply(db)
    return backup
