"""Database keys: a random key per database file, wrapped in a key file beside it.

`registry.db.keys` (JSON, written atomically) holds the database's 32-byte SQLCipher key wrapped
once per operator (by a key derived from their password), once with a recovery passphrase chosen
at set-up, and once for the office (age X25519, to the office's recipient from provisioning).
Nothing in it opens the database without one of those secrets, and it lists only user names.

`unlock()` / `unlock_with_passphrase()` put the unwrapped key into a process-wide table;
`store.db.connect(path)` takes it from there, so the rest of the app opens databases as before.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import tempfile
import threading
from pathlib import Path

from muba_desk.errors import UserError

FORMAT = "muba-desk-keys 1"
KEY_BYTES = 32
SUFFIX = ".keys"
# scrypt 2**15 x 8 (32 MiB, ~0.1 s): a guess costs a thief as much as a sign-in costs the
# operator. Stored with each slot, so it can be raised later; tests lower it.
SCRYPT_LOG_N = 15
_LOG_N_RANGE = range(10, 21)
_MAXMEM = 256 * 1024 * 1024
MAX_KEY_FILE_BYTES = 256 * 1024
# A demo registry holds made-up people, so its recovery passphrase is public: "demo" (the demo
# operator's password too) opens it on the command line (MUBA_DESK_PASSPHRASE=demo).
DEMO_PASSPHRASE = "demo"
# Every database the app creates is encrypted (see docs/design.md, Trust). MUBA_DESK_ENCRYPT=0
# turns that off, only for the benchmarks' plain baselines and tests of plain files.
ENCRYPT_ENV = "MUBA_DESK_ENCRYPT"


class KeyProblem(UserError):
    """A key file, password or passphrase that cannot be used; str() is Indonesian."""


class WrongSecret(KeyProblem):
    pass


def encryption_enabled() -> bool:
    """Whether databases made from now on are encrypted: yes, unless MUBA_DESK_ENCRYPT=0."""
    return os.environ.get(ENCRYPT_ENV, "1").strip().lower() not in ("0", "no", "off", "false")


def key_file_of(db_path: str | os.PathLike) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + SUFFIX)


def is_encrypted(db_path: str | os.PathLike) -> bool:
    """A database with a key file beside it is (or is about to be) encrypted."""
    return key_file_of(db_path).exists()


# -- the unlocked keys of this process ---------------------------------------------------------
_unlocked: dict[str, bytes] = {}
_lock = threading.Lock()


def _norm(db_path) -> str:
    return os.path.normcase(os.path.abspath(os.fspath(db_path)))


def remember(db_path, key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("database keys are 32 bytes")
    with _lock:
        _unlocked[_norm(db_path)] = bytes(key)


def key_for(db_path) -> bytes | None:
    with _lock:
        return _unlocked.get(_norm(db_path))


def forget(db_path) -> None:
    with _lock:
        _unlocked.pop(_norm(db_path), None)


def forget_all() -> None:
    with _lock:
        _unlocked.clear()


# -- wrapping ------------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(secret: str, salt: bytes, log_n: int) -> bytes:
    if log_n not in _LOG_N_RANGE:
        raise KeyProblem("Berkas kunci memakai parameter yang tidak dikenal.")
    return hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=2**log_n, r=8, p=1, maxmem=_MAXMEM, dklen=32
    )


def _aad(kind: str, name: str) -> bytes:
    return f"{FORMAT}|{kind}|{name}".encode()


def _wrap_with_secret(key: bytes, secret: str, kind: str, name: str) -> dict:
    # cryptography is imported when a key is wrapped or unwrapped, not when the app starts:
    # opening the window signed in already (or a plain registry) never needs it.
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _derive(secret, salt, SCRYPT_LOG_N)
    wrapped = ChaCha20Poly1305(kek).encrypt(nonce, key, _aad(kind, name))
    return {
        "kind": kind,
        "name": name,
        "kdf": "scrypt",
        "log_n": SCRYPT_LOG_N,
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
    }


def _unwrap_with_secret(slot: dict, secret: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    try:
        kek = _derive(secret, _unb64(slot["salt"]), int(slot["log_n"]))
        key = ChaCha20Poly1305(kek).decrypt(
            _unb64(slot["nonce"]), _unb64(slot["wrapped"]), _aad(slot["kind"], slot["name"])
        )
    except InvalidTag as exc:
        raise WrongSecret("Kata sandi salah.") from exc
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyProblem("Berkas kunci rusak.") from exc
    if len(key) != KEY_BYTES:
        raise KeyProblem("Berkas kunci rusak.")
    return key


def _wrap_for_office(key: bytes, recipient: str) -> dict:
    import pyrage

    sealed = pyrage.encrypt(key, [pyrage.x25519.Recipient.from_str(recipient)])
    return {"kind": "office", "name": recipient, "wrapped": _b64(sealed)}


def unwrap_for_office(slot: dict, identity) -> bytes:
    """The key from the office's recovery copy; `identity` is the office's age identity."""
    import pyrage

    try:
        key = pyrage.decrypt(_unb64(slot["wrapped"]), [identity])
    except Exception as exc:  # pyrage raises its own DecryptError
        raise WrongSecret("Salinan pemulihan ini bukan untuk kantor ini.") from exc
    if len(key) != KEY_BYTES:
        raise KeyProblem("Berkas kunci rusak.")
    return key


# -- the key file --------------------------------------------------------------------------------
def read_key_file(db_path) -> dict:
    path = key_file_of(db_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise KeyProblem(f"Berkas kunci '{path.name}' tidak ditemukan.") from exc
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyProblem(f"Berkas kunci '{path.name}' rusak.")
    try:
        content = json.loads(data)
    except ValueError as exc:
        raise KeyProblem(f"Berkas kunci '{path.name}' rusak.") from exc
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise KeyProblem(f"Berkas kunci '{path.name}' rusak atau dari versi lain.")
    if not isinstance(content.get("slots"), list):
        raise KeyProblem(f"Berkas kunci '{path.name}' rusak.")
    return content


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it (and fsync the
    folder), so a crash leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _write_key_file(db_path, content: dict) -> None:
    data = json.dumps(content, indent=1, sort_keys=True).encode("utf-8")
    write_atomically(key_file_of(db_path), data)


def key_check(key: bytes) -> str:
    """A short public fingerprint of the key: tells a wrong key from a damaged file."""
    return hashlib.blake2b(key, digest_size=8, person=b"muba-desk-db-key").hexdigest()


def create_key_file(
    db_path,
    *,
    operators: dict[str, str] | None = None,
    recovery_passphrase: str | None = None,
    office_recipient: str | None = None,
    key: bytes | None = None,
) -> bytes:
    """A new random key for `db_path` (which must not hold data yet, or be converted with
    `encrypt_plain_database`), wrapped for each operator and for recovery; it is unlocked."""
    if not (operators or recovery_passphrase or office_recipient):
        raise KeyProblem("Kunci basis data perlu paling sedikit satu kata sandi.")
    key = key or secrets.token_bytes(KEY_BYTES)
    slots = [
        _wrap_with_secret(key, password, "operator", username)
        for username, password in (operators or {}).items()
    ]
    if recovery_passphrase:
        slots.append(_wrap_with_secret(key, recovery_passphrase, "recovery", "passphrase"))
    if office_recipient:
        slots.append(_wrap_for_office(key, office_recipient))
    _write_key_file(db_path, {"format": FORMAT, "check": key_check(key), "slots": slots})
    remember(db_path, key)
    return key


def _unlocked_key(db_path) -> bytes:
    key = key_for(db_path)
    if key is None:
        raise KeyProblem("Basis data masih terkunci: masuk dulu.")
    return key


def set_operator_password(db_path, username: str, password: str) -> None:
    """Wrap the (unlocked) key for `username` with `password`, replacing an older slot."""
    key = _unlocked_key(db_path)
    content = read_key_file(db_path)
    content["slots"] = [
        s for s in content["slots"] if not (s.get("kind") == "operator" and s["name"] == username)
    ]
    content["slots"].append(_wrap_with_secret(key, password, "operator", username))
    _write_key_file(db_path, content)


def set_recovery_passphrase(db_path, passphrase: str) -> None:
    """Wrap the (unlocked) key with a recovery passphrase, replacing an older one."""
    key = _unlocked_key(db_path)
    content = read_key_file(db_path)
    content["slots"] = [s for s in content["slots"] if s.get("kind") != "recovery"]
    content["slots"].append(_wrap_with_secret(key, passphrase, "recovery", "passphrase"))
    _write_key_file(db_path, content)


def remove_operator(db_path, username: str) -> None:
    content = read_key_file(db_path)
    content["slots"] = [
        s for s in content["slots"] if not (s.get("kind") == "operator" and s["name"] == username)
    ]
    _write_key_file(db_path, content)


def add_office_recovery(db_path, recipient: str) -> None:
    key = _unlocked_key(db_path)
    content = read_key_file(db_path)
    content["slots"] = [s for s in content["slots"] if s.get("kind") != "office"]
    content["slots"].append(_wrap_for_office(key, recipient))
    _write_key_file(db_path, content)


def usernames(db_path) -> list[str]:
    """The operators who can open the database: read from the key file, not the database."""
    return sorted(s["name"] for s in read_key_file(db_path)["slots"] if s.get("kind") == "operator")


def _checked(content: dict, key: bytes) -> bytes:
    if content.get("check") not in (None, key_check(key)):
        raise KeyProblem("Berkas kunci tidak cocok dengan basis data ini.")
    return key


def unlock(db_path, username: str, password: str) -> bytes:
    """Unwrap the key with an operator's password and remember it; WrongSecret otherwise."""
    content = read_key_file(db_path)
    for slot in content["slots"]:
        if slot.get("kind") == "operator" and slot.get("name") == username:
            try:
                key = _checked(content, _unwrap_with_secret(slot, password))
            except WrongSecret as exc:
                raise WrongSecret("Nama pengguna atau kata sandi salah.") from exc
            remember(db_path, key)
            return key
    # Same cost for an unknown name, so timing does not tell which names exist.
    with contextlib.suppress(KeyProblem):
        _unwrap_with_secret(_wrap_with_secret(b"\0" * KEY_BYTES, "x", "operator", "x"), password)
    raise WrongSecret("Nama pengguna atau kata sandi salah.")


def unlock_with_passphrase(db_path, passphrase: str) -> bytes:
    """Unwrap with the recovery passphrase, or any operator's password (for the command line)."""
    content = read_key_file(db_path)
    slots = sorted(content["slots"], key=lambda s: s.get("kind") != "recovery")
    for slot in slots:
        if slot.get("kind") not in ("recovery", "operator"):
            continue
        try:
            key = _checked(content, _unwrap_with_secret(slot, passphrase))
        except WrongSecret:
            continue
        remember(db_path, key)
        return key
    raise WrongSecret(f"Kata sandi tidak membuka basis data '{Path(db_path).name}'.")


def unlock_with_office(db_path, identity) -> bytes:
    content = read_key_file(db_path)
    for slot in content["slots"]:
        if slot.get("kind") == "office":
            key = _checked(content, unwrap_for_office(slot, identity))
            remember(db_path, key)
            return key
    raise KeyProblem("Berkas kunci ini tidak punya salinan pemulihan untuk kantor.")


def copy_key_file(db_path, to_db_path) -> None:
    """The key file of `db_path` beside `to_db_path` (a backup), and its key unlocked there."""
    write_atomically(key_file_of(to_db_path), key_file_of(db_path).read_bytes())
    key = key_for(db_path)
    if key is not None:
        remember(to_db_path, key)
