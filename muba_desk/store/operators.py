"""Operators: scrypt password hashes, sign-in with a growing wait after failures, audit events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from muba_desk.domain.ids import uuid7
from muba_desk.errors import UserError
from muba_desk.store.registry import Registry, now_iso

ROLES = ("operator", "supervisor")
# scrypt at n=2**14, r=8, p=1 costs about 16 MB and 50 ms: slow for a guesser, fine for a login.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
_SCRYPT_MAXMEM = 64 * 1024 * 1024
_KEY_BYTES = 32
MIN_PASSWORD = 8
MAX_WAIT_S = 300.0
DEMO_USERNAME = DEMO_PASSWORD = "demo"
_USERNAME = re.compile(r"^[a-z0-9._-]{3,32}$")


@dataclass(frozen=True)
class Operator:
    id: str
    username: str
    full_name: str
    role: str

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"


class OperatorError(UserError, ValueError):
    """A new operator that cannot be made as typed; str() is one Indonesian sentence."""


class SignInRefused(UserError):
    """A refused sign-in; `retry_at` is when (on the caller's clock) the next try is allowed."""

    def __init__(self, message: str, retry_at: float):
        super().__init__(message)
        self.retry_at = retry_at


# -- passwords -------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$key`: the parameters travel with the hash so they can be raised later."""
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(
        password.encode("utf-8"),
        salt=salt,
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=_SCRYPT_MAXMEM,
        dklen=_KEY_BYTES,
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str | None) -> bool:
    try:
        scheme, n, r, p, salt, key = (stored or "").split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=_SCRYPT_MAXMEM,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


_DUMMY_HASH: str | None = None


def _burn_time(password: str) -> None:
    """Hash anyway for an unknown user, so the time taken does not tell which names exist."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    verify_password(password, _DUMMY_HASH)


def password_problem(password: str, username: str = "") -> str | None:
    """Why this password may not be used (Indonesian), or None."""
    if len(password) < MIN_PASSWORD:
        return f"Kata sandi paling sedikit {MIN_PASSWORD} karakter."
    if username and password.lower() == username.lower():
        return "Kata sandi tidak boleh sama dengan nama pengguna."
    return None


def password_strength(password: str) -> int:
    """0 (weak) to 3 (strong): length and the kinds of characters used."""
    kinds = sum(
        bool(re.search(pattern, password))
        for pattern in ("[a-z]", "[A-Z]", "[0-9]", "[^a-zA-Z0-9]")
    )
    if len(password) < MIN_PASSWORD:
        return 0
    if len(password) >= 12 and kinds >= 3:
        return 3
    return 2 if kinds >= 2 or len(password) >= 12 else 1


def normalise_username(username: str) -> str:
    return username.strip().lower()


def username_problem(username: str) -> str | None:
    if not _USERNAME.match(normalise_username(username)):
        return (
            "Nama pengguna 3 sampai 32 karakter: huruf kecil, angka, titik, garis bawah "
            "atau tanda hubung, tanpa spasi."
        )
    return None


# -- operators -------------------------------------------------------------------------------
def _operator(row) -> Operator:
    return Operator(id=row[0], username=row[1], full_name=row[2], role=row[3])


def list_operators(db) -> list[Operator]:
    rows = db.conn.execute(
        "SELECT id, username, full_name, role FROM operator WHERE disabled = 0 ORDER BY username"
    )
    return [_operator(row) for row in rows]


def has_operators(db) -> bool:
    """A registry with operators asks for a sign-in before showing anything."""
    return (
        db.conn.execute("SELECT 1 FROM operator WHERE disabled = 0 LIMIT 1").fetchone() is not None
    )


def create_operator(
    db, *, username: str, full_name: str, role: str, password: str, created_by: str | None = None
) -> Operator:
    """A new operator, audited as made by `created_by` (None for the first one)."""
    username = normalise_username(username)
    full_name = " ".join(full_name.split())
    problem = username_problem(username) or password_problem(password, username)
    if problem:
        raise OperatorError(problem)
    if not full_name:
        raise OperatorError("Isi nama lengkap petugas.")
    if role not in ROLES:
        raise OperatorError(f"Peran '{role}' tidak dikenal.")
    password_hash = hash_password(password)  # slow: outside the write lock
    operator = Operator(uuid7(), username, full_name, role)
    reg = Registry(db, created_by or operator.id)
    with reg.transaction():
        taken = db.conn.execute("SELECT 1 FROM operator WHERE username = ?", (username,)).fetchone()
        if taken:
            raise OperatorError(f"Nama pengguna '{username}' sudah dipakai.")
        db.conn.execute(
            "INSERT INTO operator (id, username, full_name, role, password_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (operator.id, username, full_name, role, password_hash, now_iso()),
        )
        reg.audit_event(
            "operator_add", "operator", operator.id, {"username": username, "role": role}
        )
    _wrap_key_for(db, username, password)
    return operator


def _db_path(db):
    """The file behind a sqlite-utils Database ('' for memory)."""
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else None


def _wrap_key_for(db, username: str, password: str) -> None:
    """On an encrypted registry, the operator's password wraps the database key too
    (store/keys.py), in the same action that sets it: the key file is written after the
    operator's row is committed, so a refused row never replaces someone's key slot."""
    from muba_desk.store import keys

    path = _db_path(db)
    if path and keys.is_encrypted(path):
        keys.set_operator_password(path, username, password)


def _active(db, username: str) -> tuple:
    """(id, username, full_name, role) of the active operator `username`, or OperatorError."""
    row = db.conn.execute(
        "SELECT id, username, full_name, role FROM operator WHERE username = ? AND disabled = 0",
        (username,),
    ).fetchone()
    if row is None:
        raise OperatorError(f"Petugas '{username}' tidak ditemukan.")
    return row


def set_password(db, *, username: str, password: str, changed_by: str) -> Operator:
    """A supervisor sets a new password for an operator (forgotten, or after a plain registry
    was converted, when only the signer could open it); audited, and wrapped into the key file."""
    username = normalise_username(username)
    problem = password_problem(password, username)
    if problem:
        raise OperatorError(problem)
    password_hash = hash_password(password)
    reg = Registry(db, changed_by)
    with reg.transaction():
        row = _active(db, username)
        db.conn.execute(
            "UPDATE operator SET password_hash = ? WHERE id = ?", (password_hash, row[0])
        )
        db.conn.execute("DELETE FROM signin_throttle WHERE username = ?", (username,))
        reg.audit_event("operator_password", "operator", row[0], {"username": username})
    _wrap_key_for(db, username, password)
    return _operator(row)


def ensure_demo_password(db) -> bool:
    """The demo generator leaves the demo operator without a password: give it "demo"."""
    row = db.conn.execute(
        "SELECT id FROM operator WHERE username = ? AND password_hash IS NULL", (DEMO_USERNAME,)
    ).fetchone()
    if row is None:
        return False
    db.conn.execute(
        "UPDATE operator SET password_hash = ? WHERE id = ? AND password_hash IS NULL",
        (hash_password(DEMO_PASSWORD), row[0]),
    )
    return True


# -- signing in ------------------------------------------------------------------------------
def wait_after(failures: int) -> float:
    """Seconds to wait after `failures` failed tries in a row: 1, 2, 4, 8 … up to 5 minutes."""
    return min(2.0 ** (failures - 1), MAX_WAIT_S) if failures > 0 else 0.0


def _throttle(db, username: str) -> tuple[int, float]:
    row = db.conn.execute(
        "SELECT failures, blocked_until FROM signin_throttle WHERE username = ?", (username,)
    ).fetchone()
    return (row[0], row[1]) if row else (0, 0.0)


def authenticate(db, username: str, password: str, *, now: float) -> Operator:
    """The operator for these credentials, or SignInRefused; `now` is the caller's clock (s).

    Every failure (also for an unknown name) doubles the wait before the next try for that name.
    """
    username = normalise_username(username)
    failures, blocked_until = _throttle(db, username)
    if now < blocked_until:
        raise SignInRefused(_wait_message(blocked_until - now), blocked_until)
    row = db.conn.execute(
        "SELECT id, username, full_name, role, password_hash FROM operator "
        "WHERE username = ? AND disabled = 0",
        (username,),
    ).fetchone()
    if row is None:
        _burn_time(password)
        ok = False
    else:
        ok = verify_password(password, row[4])
    if ok:
        db.conn.execute("DELETE FROM signin_throttle WHERE username = ?", (username,))
        return _operator(row)
    failures += 1
    retry_at = now + wait_after(failures)
    db.conn.execute(
        "INSERT OR REPLACE INTO signin_throttle (username, failures, blocked_until) "
        "VALUES (?, ?, ?)",
        (username, failures, retry_at),
    )
    raise SignInRefused("Nama pengguna atau kata sandi salah.", retry_at)


def _wait_message(seconds: float) -> str:
    return f"Terlalu banyak percobaan yang salah. Coba lagi dalam {max(1, round(seconds))} detik."


def record_event(db, operator: Operator, action: str, **detail) -> None:
    """A sign-in, sign-out, lock or unlock in the audit log, stamped with the operator."""
    reg = Registry(db, operator.id)
    with reg.transaction():
        reg.audit_event(action, "operator", operator.id, {"username": operator.username, **detail})


def disable_operator(db, *, username: str, disabled_by: str) -> Operator:
    """No more sign-in for `username`: the row stays (the audit log names it), its key slot is
    removed. The last supervisor cannot be disabled: nobody could manage operators then."""
    username = normalise_username(username)
    reg = Registry(db, disabled_by)
    with reg.transaction():
        row = _active(db, username)
        if row[3] == "supervisor":
            others = db.conn.execute(
                "SELECT COUNT(*) FROM operator WHERE role = 'supervisor' AND disabled = 0 "
                "AND id != ?",
                (row[0],),
            ).fetchone()[0]
            if not others:
                raise OperatorError(
                    f"'{username}' adalah penyelia terakhir; tambahkan penyelia lain dulu."
                )
        db.conn.execute("UPDATE operator SET disabled = 1 WHERE id = ?", (row[0],))
        reg.audit_event("operator_disable", "operator", row[0], {"username": username})
    path = _db_path(db)
    from muba_desk.store import keys

    if path and keys.is_encrypted(path):
        keys.remove_operator(path, username)
    return _operator(row)
