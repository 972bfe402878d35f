"""Backups with SQLite's backup API (never a file copy), rotation, and a restore that checks
the copy (integrity and the audit chain) before anything is replaced."""

from __future__ import annotations

import contextlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from muba_desk.store import keys as keystore
from muba_desk.store.db import (
    DatabaseError,
    DatabaseLocked,
    _export,
    _fsync,
    connect,
    content_digest,
    db_errors,
    raw_connect,
)
from muba_desk.store.schema import register_functions

KEEP = 10  # rotating backups kept beside a registry, for each reason (harian, keluar, ...)
DAILY_S = 24 * 3600
BACKUP_DIR = "cadangan"


_NAME = re.compile(r"-\d{8}-\d{6}-([a-z]+)(?:-\d+)?$")


class RestoreRefused(DatabaseError):
    """A backup that failed its checks; nothing was replaced."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: float  # seconds since the epoch (file time)
    encrypted: bool

    @property
    def reason(self) -> str:
        # registry-YYYYmmdd-HHMMSS-reason[-n].db
        match = _NAME.search(self.path.stem)
        return match.group(1) if match else ""


def backup_folder(db_path) -> Path:
    db_path = Path(db_path)
    return db_path.parent / BACKUP_DIR


def _source_key(db_path: Path) -> bytes | None:
    key = keystore.key_for(db_path)
    if key is None and keystore.is_encrypted(db_path):
        raise DatabaseLocked(f"Basis data '{db_path.name}' terkunci: masuk dulu.")
    return key


def backup_database(db_path, dest, *, key_for_copy: bytes | None = None) -> Path:
    """A consistent copy of `db_path` at `dest` (WAL included), written to `dest.partial`,
    checked, fsynced and renamed. An encrypted registry's copy keeps its key (and key file);
    with `key_for_copy` the copy is encrypted with that key instead (a plain registry's USB
    backup). Returns `dest`."""
    db_path, dest = Path(db_path), Path(dest)
    key = _source_key(db_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    target_key = key if key_for_copy is None else key_for_copy
    source = raw_connect(db_path, key=key)
    try:
        source.execute("PRAGMA busy_timeout = 5000")
        if target_key == key:
            target = raw_connect(partial, key=key)
            try:
                source.backup(target)
            finally:
                target.close()
        else:
            _export(_cipher_view(source, db_path, key), partial, target_key)
    finally:
        source.close()
    try:
        _verify_file(partial, target_key)
        _fsync(partial)
        if key is not None and key_for_copy is None:
            # The key file first: a copy never exists without the key file that opens it.
            keystore.copy_key_file(db_path, dest)
        os.replace(partial, dest)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return dest


def _cipher_view(conn, db_path: Path, key: bytes | None):
    """sqlcipher_export needs a SQLCipher connection; a plain one is reopened through it."""
    if key is not None:
        return conn
    import sqlcipher3.dbapi2 as cipher

    conn.close()
    view = cipher.connect(str(db_path), isolation_level=None)
    register_functions(view)  # as every connection of the app (the schema's triggers call it)
    return view


def _verify_file(path: Path, key: bytes | None) -> None:
    conn = raw_connect(path, key=key)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except db_errors() as exc:
        raise DatabaseError(f"Salinan '{path.name}' tidak dapat dibaca: {exc}") from exc
    finally:
        conn.close()
    if result != "ok":
        raise DatabaseError(f"Salinan '{path.name}' rusak: {result}")


def list_backups(db_path) -> list[BackupInfo]:
    """The rotating backups of `db_path`, newest first."""
    db_path = Path(db_path)
    folder = backup_folder(db_path)
    if not folder.is_dir():
        return []
    found = [
        BackupInfo(p, p.stat().st_mtime, keystore.is_encrypted(p))
        for p in folder.glob(f"{db_path.stem}-*.db")
    ]
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def rotate(db_path, *, reason: str = "manual", keep: int = KEEP) -> Path:
    """A new backup in the registry's `cadangan` folder; only the newest `keep` are kept."""
    db_path = Path(db_path)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    dest = backup_folder(db_path) / f"{db_path.stem}-{stamp}-{reason}.db"
    n = 1
    while dest.exists():
        n += 1
        dest = backup_folder(db_path) / f"{db_path.stem}-{stamp}-{reason}-{n}.db"
    backup_database(db_path, dest)
    same_reason = [b for b in list_backups(db_path) if b.reason == reason]
    for old in same_reason[keep:]:
        for path in (old.path, keystore.key_file_of(old.path)):
            path.unlink(missing_ok=True)
    return dest


def daily_due(db_path, *, now: float | None = None) -> bool:
    backups = list_backups(db_path)
    daily = [b for b in backups if b.reason == "harian"]
    return not daily or (now or time.time()) - daily[0].created >= DAILY_S


def backup_if_due(db_path) -> Path | None:
    """The daily backup, when the newest one is a day old (called at start and sign-out)."""
    return rotate(db_path, reason="harian") if daily_due(db_path) else None


def backup_to_folder(db_path, folder, *, passphrase: str | None = None) -> Path:
    """ "Back up to USB": always encrypted. An encrypted registry's copy keeps its key file
    (operators' passwords and the recovery copies open it), plus the passphrase when given;
    a plain registry's copy gets a new key wrapped by `passphrase` (required then)."""
    db_path, folder = Path(db_path), Path(folder)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    dest = folder / f"{db_path.stem}-cadangan-{stamp}.db"
    if keystore.is_encrypted(db_path):
        backup_database(db_path, dest)
        if passphrase:
            keystore.set_recovery_passphrase(dest, passphrase)
        return dest
    if not passphrase:
        raise DatabaseError(
            "Cadangan ke flashdisk perlu kata sandi (basis data ini tidak terenkripsi)."
        )
    new_key = os.urandom(keystore.KEY_BYTES)
    keystore.create_key_file(dest, recovery_passphrase=passphrase, key=new_key)
    try:
        backup_database(db_path, dest, key_for_copy=new_key)
    except BaseException:
        keystore.key_file_of(dest).unlink(missing_ok=True)
        raise
    return dest


# -- restore -----------------------------------------------------------------------------------
def check_backup(path, *, passphrase: str | None = None) -> bytes | None:
    """Open the backup at `path` (unlocking it with `passphrase` when it has a key file) and
    check it: integrity, foreign keys, audit chain, schema not newer. Returns its key (None for
    a plain backup); RestoreRefused with every problem otherwise."""
    from muba_desk.store.doctor import check

    path = Path(path)
    if not path.is_file():
        raise RestoreRefused(f"Berkas cadangan '{path}' tidak ditemukan.")
    key = None
    if keystore.is_encrypted(path):
        key = keystore.key_for(path)
        if key is None:
            if not passphrase:
                raise DatabaseLocked(f"Cadangan '{path.name}' terenkripsi: berikan kata sandinya.")
            try:
                key = keystore.unlock_with_passphrase(path, passphrase)
            except keystore.KeyProblem as exc:
                raise RestoreRefused(str(exc)) from exc
    try:
        db = connect(path, readonly=True, key=key)
    except DatabaseError as exc:
        raise RestoreRefused(str(exc)) from exc
    try:
        problems = check(db)
    except db_errors() as exc:
        raise RestoreRefused(f"Cadangan '{path.name}' tidak dapat diperiksa: {exc}") from exc
    finally:
        db.close()
    if problems:
        listed = "; ".join(p.message for p in problems[:5])
        raise RestoreRefused(f"Cadangan '{path.name}' tidak lolos pemeriksaan: {listed}")
    return key


def restore(db_path, source, *, passphrase: str | None = None) -> Path | None:
    """Replace `db_path` by the backup `source`, only after the backup passed `check_backup`
    and its restored copy matches it (dump). The current file is first backed up beside it
    (returned path). The registry must be closed (the caller holds the instance lock)."""
    db_path, source = Path(db_path), Path(source)
    key = check_backup(source, passphrase=passphrase)
    if db_path.exists() and keystore.is_encrypted(db_path):
        target_key = keystore.key_for(db_path)
        if target_key is None and passphrase:
            with contextlib.suppress(keystore.KeyProblem):
                target_key = keystore.unlock_with_passphrase(db_path, passphrase)
        if target_key is None:
            raise DatabaseLocked(f"Basis data '{db_path.name}' terkunci: masuk dulu.")
        key_file = None
    else:
        target_key = key
        key_file = keystore.key_file_of(source) if key is not None else None
    kept = None
    if db_path.exists():
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = backup_database(
            db_path, db_path.with_name(f"{db_path.name}.before-restore-{stamp}.bak")
        )
    db_path.parent.mkdir(parents=True, exist_ok=True)
    partial = db_path.with_name(db_path.name + ".restoring.partial")
    partial.unlink(missing_ok=True)
    src = raw_connect(source, key=key, readonly=True)
    try:
        expected = content_digest(src)
        if target_key == key:
            target = raw_connect(partial, key=key)
            try:
                src.backup(target)
            finally:
                target.close()
        else:
            src = _cipher_view(src, source, key)
            _export(src, partial, target_key)
    finally:
        src.close()
    try:
        check = raw_connect(partial, key=target_key)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            ok = ok and content_digest(check) == expected
            check.execute("PRAGMA journal_mode = WAL")
        finally:
            check.close()
        if not ok:
            raise RestoreRefused(
                "Salinan hasil pemulihan tidak sama dengan cadangan; tidak diubah."
            )
        _fsync(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if key_file is not None:
        keystore.write_atomically(keystore.key_file_of(db_path), key_file.read_bytes())
        keystore.remember(db_path, target_key)
    for suffix in ("-wal", "-shm"):
        db_path.with_name(db_path.name + suffix).unlink(missing_ok=True)
    os.replace(partial, db_path)
    return kept
