"""Crash safety at start: one instance per database (a lock file the OS releases when the
process dies, even by SIGKILL or a power cut), and a health check with a plain message."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

from muba_desk.errors import UserError


class AlreadyOpen(UserError):
    """Another muba-desk has this database open; str() is Indonesian."""


class InstanceLock:
    """An exclusive OS lock on `registry.db.lock` (flock / msvcrt.locking): released by the OS
    when the process ends however it ends, so a crash never leaves a stale lock behind. The
    file itself stays (it holds who locked it last, for the message)."""

    def __init__(self, db_path):
        db_path = Path(db_path)
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
        except OSError as exc:
            holder = _read_holder(fd)
            os.close(fd)
            raise AlreadyOpen(
                f"Registri '{self.path.name[:-5]}' sedang dibuka oleh muba-desk lain{holder}. "
                "Tutup jendela itu dulu, lalu coba lagi."
            ) from exc
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            try:
                _unlock(self._fd)
            finally:
                os.close(self._fd)
                self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode("utf-8", "replace").split()
    except OSError:
        return ""
    return f" (proses {text[0]})" if text else ""


if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


# -- health at start -------------------------------------------------------------------------
@dataclass
class Health:
    """The result of `check_at_start`: `ok`, or a message and what the user can do."""

    ok: bool
    message: str = ""
    problems: list = field(default_factory=list)
    latest_backup: Path | None = None
    checked: bool = True  # False: encrypted and locked, checked after sign-in


def check_at_start(db_path) -> Health:
    """integrity_check, foreign keys and the audit chain (store.doctor.check) before the window
    uses the file. A problem gives one plain Indonesian message with a way forward: restore the
    newest backup that passes, or open it read-only to copy data out, or call the office."""
    from muba_desk.store.backup import list_backups
    from muba_desk.store.db import DatabaseLocked, connect, db_errors
    from muba_desk.store.doctor import check
    from muba_desk.store.keys import is_encrypted, key_for

    db_path = Path(db_path)
    if not db_path.exists():
        return Health(ok=True)
    if is_encrypted(db_path) and key_for(db_path) is None:
        return Health(ok=True, checked=False)
    backups = list_backups(db_path)
    latest = backups[0].path if backups else None
    try:
        db = connect(db_path, migrate=False, readonly=True)
    except DatabaseLocked:
        return Health(ok=True, checked=False)
    # Any other DatabaseError (not a database, newer version) is raised for the caller's usual
    # message; a file that opens but fails the checks gets the message below.
    try:
        problems = check(db)
    except db_errors() as exc:
        problems = [str(exc)]
    finally:
        db.close()
    if not problems:
        return Health(ok=True, latest_backup=latest)
    way = (
        f"Pulihkan dari cadangan terakhir ({latest.name}): data sejak cadangan itu perlu diisi "
        "ulang."
        if latest
        else "Tidak ada cadangan di laptop ini: bawa laptop ke kantor, jangan isi data baru."
    )
    first = problems[0] if isinstance(problems[0], str) else problems[0].message
    message = (
        "Basis data registri ini tidak lolos pemeriksaan saat dibuka, mungkin karena listrik "
        f"padam atau laptop mati mendadak. {way} Yang ditemukan: {first}"
    )
    return Health(ok=False, message=message, problems=problems, latest_backup=latest)
