"""The one place that opens database connections: pragmas, migrations, refusal of newer files."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from muba_desk import __version__
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.private_files import create_private
from muba_desk.store import keys as keystore
from muba_desk.store.schema import MIGRATIONS, known_migration_names, register_functions

BUSY_TIMEOUT_MS = 5000


class Database:
    """A connection as the app uses it, standing in for sqlite-utils' `Database`.

    The app itself needs only `conn`, `execute`, `executescript` and `close`; anything else
    (`db["table"]`, `db.table_names()`, `db.atomic()`, …) builds a real
    `sqlite_utils.Database` on the same connection the first time it is asked for. So opening
    a registry (the window's, the reader's, each job's connection) never imports sqlite_utils,
    whose package pulls in click, dateutil, pluggy and tabulate (0.15-0.2 s at start).

    Like sqlite-utils' Database, the connection has `recursive_triggers` on (set by `connect`
    and `memory_db`), so a REPLACE fires the delete triggers either way.
    """

    __slots__ = ("conn", "_full")

    def __init__(self, conn):
        self.conn = conn
        self._full = None

    @property
    def full(self):
        """The `sqlite_utils.Database` on this connection (made once, on first use)."""
        if self._full is None:
            import sqlite_utils

            self._full = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._full

    def execute(self, sql: str, parameters=None):
        # The connection is in autocommit mode, so sqlite-utils' execute() would do just this.
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def executescript(self, sql: str):
        if self.conn.in_transaction:
            # sqlite3's executescript() would commit first; sqlite-utils runs it statement
            # by statement inside the transaction.
            return self.full.executescript(sql)
        return self.conn.executescript(sql)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getitem__(self, table: str):
        return self.full[table]

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.full, name)

    def __repr__(self) -> str:
        return f"<muba_desk Database {self.conn!r}>"


class DatabaseError(UserError):
    """A database the app cannot use as it is; the message is for the user (Indonesian)."""


class NewerDatabase(DatabaseError):
    pass


class DatabaseLocked(DatabaseError):
    """An encrypted database whose key has not been unlocked in this process."""


def _driver(encrypted: bool):
    if encrypted:
        import sqlcipher3.dbapi2 as driver

        return driver
    return sqlite3


# sqlcipher3 is a copy of the sqlite3 module with its own exception classes, so the app's
# (and sqlite-utils') `except sqlite3.IntegrityError` would miss them. Its connections are made
# with the subclasses below, which re-raise each error as a class deriving from both modules'
# class of the same name: existing callers keep working unchanged.
_cipher_classes: dict | None = None


def _cipher():
    global _cipher_classes
    if _cipher_classes is not None:
        return _cipher_classes
    import sqlcipher3.dbapi2 as cipher

    names = (
        "Warning",
        "Error",
        "InterfaceError",
        "DatabaseError",
        "DataError",
        "OperationalError",
        "IntegrityError",
        "InternalError",
        "ProgrammingError",
        "NotSupportedError",
    )
    both = {}
    for name in names:
        bases = [getattr(sqlite3, name), getattr(cipher, name)]
        both[getattr(cipher, name)] = type(name, tuple(bases), {"__module__": __name__})

    def translate(exc: BaseException) -> BaseException:
        cls = both.get(type(exc))
        if cls is None:
            return exc
        new = cls(*exc.args)
        for attr in ("sqlite_errorcode", "sqlite_errorname"):
            if hasattr(exc, attr):
                setattr(new, attr, getattr(exc, attr))
        return new

    class Cursor(cipher.Cursor):
        def execute(self, *args, **kwargs):
            try:
                return super().execute(*args, **kwargs)
            except cipher.Error as exc:
                raise translate(exc) from None

        def executemany(self, *args, **kwargs):
            try:
                return super().executemany(*args, **kwargs)
            except cipher.Error as exc:
                raise translate(exc) from None

        def executescript(self, *args, **kwargs):
            try:
                return super().executescript(*args, **kwargs)
            except cipher.Error as exc:
                raise translate(exc) from None

        def fetchone(self):
            try:
                return super().fetchone()
            except cipher.Error as exc:
                raise translate(exc) from None

        def fetchmany(self, *args, **kwargs):
            try:
                return super().fetchmany(*args, **kwargs)
            except cipher.Error as exc:
                raise translate(exc) from None

        def fetchall(self):
            try:
                return super().fetchall()
            except cipher.Error as exc:
                raise translate(exc) from None

        def __next__(self):
            try:
                return super().__next__()
            except cipher.Error as exc:
                raise translate(exc) from None

    class Connection(cipher.Connection):
        def cursor(self, factory=Cursor):
            return super().cursor(factory)

        def execute(self, sql, parameters=(), /):
            return self.cursor().execute(sql, parameters)

        def executemany(self, sql, parameters, /):
            return self.cursor().executemany(sql, parameters)

        def executescript(self, script, /):
            return self.cursor().executescript(script)

        def commit(self):
            try:
                return super().commit()
            except cipher.Error as exc:
                raise translate(exc) from None

        def iterdump(self):
            from sqlite3.dump import _iterdump  # pure Python in the standard library

            return _iterdump(self)

        def backup(self, target, **kwargs):
            try:
                return super().backup(target, **kwargs)
            except cipher.Error as exc:
                raise translate(exc) from None

    _cipher_classes = {"connection": Connection, "errors": both, "module": cipher}
    return _cipher_classes


def db_errors() -> tuple[type[BaseException], ...]:
    """The DatabaseError classes of both drivers, for `except`: sqlcipher3's are not sqlite3's."""
    import sqlcipher3.dbapi2 as cipher

    return (sqlite3.DatabaseError, cipher.DatabaseError)


def _key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def raw_connect(path, *, key: bytes | None, readonly: bool = False):
    """A bare driver connection (autocommit), keyed when `key` is given; no pragmas else."""
    driver = _driver(key is not None)
    extra = {"factory": _cipher()["connection"]} if key is not None else {}
    if readonly:
        uri = f"file:{Path(path).as_posix()}?mode=ro"
        conn = driver.connect(uri, uri=True, isolation_level=None, **extra)
    else:
        conn = driver.connect(str(path), isolation_level=None, **extra)
    if key is not None:
        # The key before anything else reads the file; sqlcipher defaults (v4) otherwise.
        conn.execute(_key_pragma(key))
    register_functions(conn)
    return conn


def connect(
    path: str | os.PathLike,
    *,
    migrate: bool = True,
    readonly: bool = False,
    key: bytes | None = None,
):
    """Open `path` as a `Database` with the app's pragmas, migrated to this version.

    Every connection in the app comes from here (the window's, each worker's, the CLI's), so
    durability settings and encryption at rest live in one place. The connection is in driver
    autocommit mode: writers open their own `BEGIN IMMEDIATE` transactions.

    Encryption: with `key`, or a key unlocked for `path` in this process (`store.keys.unlock`),
    the file is opened through SQLCipher. A file with a key file beside it and no unlocked key
    raises DatabaseLocked. A new file is encrypted when the switch is on and a key was made for
    it (the caller makes the key file first, with the passwords that wrap it).
    """
    path = Path(path)
    if key is None:
        key = keystore.key_for(path)
    if key is None and keystore.is_encrypted(path):
        raise DatabaseLocked(
            f"Basis data '{path.name}' terenkripsi: masuk dengan akun petugas atau berikan "
            "kata sandi pemulihan untuk membukanya."
        )
    if readonly:
        if not path.exists():
            raise DatabaseError(f"Berkas basis data '{path}' tidak ditemukan.")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        if key is not None and keystore.is_encrypted(path) and is_plain_sqlite(path):
            # A conversion was interrupted after the key file was written: finish it.
            encrypt_plain_database(path, key)
    conn = raw_connect(path, key=key, readonly=readonly)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        _check_is_sqlite(conn, path, encrypted=key is not None)
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit survives a power cut, not only an application crash.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils' Database sets it
        db = Database(conn)
        refuse_newer(db, path)
        if migrate and not readonly:
            migrate_database(db, path, key=key)
    except BaseException:
        conn.close()
        raise
    return db


def memory_db():
    """A migrated in-memory database, for tests and throwaway work."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    register_functions(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA recursive_triggers = ON")
    db = Database(conn)
    MIGRATIONS.apply(db)
    return db


def _check_is_sqlite(conn, path: Path, *, encrypted: bool = False) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except db_errors() as exc:
        if encrypted:
            raise DatabaseError(
                f"Basis data '{path.name}' tidak dapat dibuka dengan kunci ini (kunci salah, "
                "atau berkas rusak). Pulihkan dari cadangan bila kata sandinya benar."
            ) from exc
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
            _(
                "Basis data '{file}' dibuat oleh versi muba-desk yang lebih baru (perubahan skema "
                "{names} tidak dikenal versi {version} ini). Perbarui aplikasi ini; berkasnya "
                "tidak diubah."
            ).format(file=path, names=", ".join(unknown), version=__version__)
        )


def migrate_database(db, path: Path, *, key: bytes | None = None) -> Path | None:
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
        # Written under a temporary name and renamed: a crash never leaves a half copy that
        # looks like a backup.
        partial = backup.with_name(backup.name + ".partial")
        target = raw_connect(partial, key=key if key is not None else keystore.key_for(path))
        try:
            # The backup API copies a consistent snapshot, WAL included; a file copy would not.
            db.conn.backup(target)
        finally:
            target.close()
        _fsync(partial)
        if keystore.is_encrypted(path):
            # The key file first: a copy never exists without the key file that opens it.
            keystore.copy_key_file(path, backup)
        os.replace(partial, backup)
    MIGRATIONS.apply(db)
    return backup


# -- encryption: converting a plain file, writing a plain copy ----------------------------------
def is_plain_sqlite(path) -> bool:
    """The file starts with SQLite's plain header (an encrypted file looks like noise)."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _export(source_conn, target: Path, target_key: bytes | None) -> None:
    """sqlcipher_export of the open `source_conn` into a new file `target`."""
    key_sql = f"x'{target_key.hex()}'" if target_key is not None else ""
    source_conn.execute(f'ATTACH DATABASE ? AS export KEY "{key_sql}"', (str(target),))
    try:
        source_conn.execute("SELECT sqlcipher_export('export')")
        version = source_conn.execute("PRAGMA main.user_version").fetchone()[0]
        source_conn.execute(f"PRAGMA export.user_version = {int(version)}")
    finally:
        source_conn.execute("DETACH DATABASE export")


def content_digest(conn) -> str:
    """A hash of the schema and every row of every table (order-independent within a table):
    equal digests mean the same database content. sqlcipher3 has no iterdump()."""
    import hashlib

    digest = hashlib.sha256()
    tables = conn.execute(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name"
    ).fetchall()
    for kind, name, sql in tables:
        digest.update(f"{kind}\0{name}\0{sql}\0".encode())
        if kind != "table" or sql.upper().startswith("CREATE VIRTUAL"):
            continue
        quoted = '"' + name.replace('"', '""') + '"'
        rows = sorted(repr(tuple(row)) for row in conn.execute(f"SELECT * FROM {quoted}"))
        for row in rows:
            digest.update(row.encode() + b"\n")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    digest.update(f"user_version={version}".encode())
    return digest.hexdigest()


def encrypt_plain_database(path, key: bytes) -> Path:
    """Convert the plain database at `path` to one encrypted with `key`, in place.

    The plain file is copied aside first (`.plain-backup`, backup API); the encrypted copy is
    written beside, checked (integrity and the same dump as the plain file), and only then
    renamed over the original. The plain copy is deleted once the new file has passed; a crash
    at any step leaves either the plain file or the verified encrypted one in place. Returns
    the path (unchanged)."""
    import sqlcipher3.dbapi2 as cipher

    path = Path(path)
    if not is_plain_sqlite(path):
        raise DatabaseError(f"Berkas '{path.name}' bukan basis data biasa (tidak terenkripsi).")
    kept = path.with_name(path.name + ".plain-backup")
    partial = path.with_name(path.name + ".encrypting.partial")
    for leftover in (partial,):
        leftover.unlink(missing_ok=True)
    plain = cipher.connect(str(path), isolation_level=None)
    register_functions(plain)  # sqlcipher_export only copies rows, but no trigger may fail
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        copy = cipher.connect(str(kept), isolation_level=None)
        try:
            plain.backup(copy)
        finally:
            copy.close()
        expected = content_digest(plain)
        _export(plain, partial, key)
    finally:
        plain.close()
    check = raw_connect(partial, key=key)
    try:
        if (
            check.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
            or content_digest(check) != expected
        ):
            raise DatabaseError("Konversi ke basis data terenkripsi gagal diperiksa; tidak diubah.")
        check.execute("PRAGMA journal_mode = WAL")
    finally:
        check.close()
    _fsync(partial)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(partial, path)
    keystore.remember(path, key)
    kept.unlink()
    return path


def decrypt_to(path, out, *, key: bytes | None = None) -> Path:
    """A plain copy of the encrypted database `path` at `out` (for an audit or an analyst)."""
    path, out = Path(path), Path(out)
    key = key if key is not None else keystore.key_for(path)
    if key is None:
        raise DatabaseLocked(f"Basis data '{path.name}' terkunci.")
    if out.exists():
        raise DatabaseError(f"Berkas '{out}' sudah ada; pilih nama lain.")
    partial = out.with_name(out.name + ".partial")
    # Made empty and owner-only first: SQLite then fills it (and gives its journal the same
    # mode), so the plain copy is never readable by other accounts, not even for a moment.
    create_private(partial).close()
    try:
        conn = raw_connect(path, key=key, readonly=True)
        try:
            _check_is_sqlite(conn, path, encrypted=True)
            _export(conn, partial, None)
        finally:
            conn.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, out)
    return out


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())
