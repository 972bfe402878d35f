"""Office identity, laptop provisioning and revocation; private keys at rest need a passphrase.

The office holds an Ed25519 signing key and an age X25519 identity, sealed in its database with
the office passphrase. For each laptop it makes the laptop's signing key (which becomes that
laptop's device key in `muba_desk.signing`, so bundles and printed QR codes share one key) and
an age identity for return bundles, and writes them into a provisioning file sealed with a
one-time setup passphrase: no private key is ever on a stick in the clear.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from muba_desk import signing
from muba_desk.domain.ids import uuid7
from muba_desk.domain.numbers import DEVICE_CODE
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.private_files import create_private
from muba_desk.store.db import connect
from muba_desk.store.registry import ensure_device, get_setting, now_iso, set_setting
from muba_desk.sync.bundle import canonical, key_id_of_recipient

PROVISION_MAGIC = b"MUBA-DESK-PROVISION 1\n"
OFFICE_PUBLIC = "sync_office"  # JSON of OfficePublic, on the office and on every laptop
OFFICE_SECRET = "sync_office_secret"  # office only: the sealed private keys
LAPTOP_AGE_IDENTITY = "sync_age_identity"  # laptop only: opens return bundles

# scrypt at 2**17 x 8 uses 128 MiB and about half a second: slow for a guesser, fine once a day.
# Tests lower it; the value used is stored with each sealed secret.
SCRYPT_LOG_N = 17
_SCRYPT_LOG_N_RANGE = range(10, 21)
MAX_PROVISION_BYTES = 64 * 1024


class KeyProblem(UserError):
    """A key, passphrase or provisioning file that cannot be used; str() is Indonesian."""


@dataclass(frozen=True)
class OfficePublic:
    """What every laptop knows of its office."""

    key_id: str  # of the Ed25519 signing key (signing.key_id_of)
    signing_public: bytes
    recipient: str  # age X25519 recipient, "age1..."
    recipient_key_id: str
    # A rehearsal office (`office init --rehearsal`) provisions only demo registries; a real
    # office's JSON leaves the field out, so files made before it existed read the same.
    rehearsal: bool = False

    def to_json(self) -> dict:
        value = {
            "key_id": self.key_id,
            "signing_public": self.signing_public.hex(),
            "recipient": self.recipient,
            "recipient_key_id": self.recipient_key_id,
        }
        if self.rehearsal:
            value["rehearsal"] = True
        return value

    @classmethod
    def from_json(cls, value: dict) -> OfficePublic:
        return cls(
            key_id=value["key_id"],
            signing_public=bytes.fromhex(value["signing_public"]),
            recipient=value["recipient"],
            recipient_key_id=value["recipient_key_id"],
            rehearsal=value.get("rehearsal") is True,
        )


@dataclass(frozen=True)
class OfficeKeys:
    """The office's unlocked private keys; keep one per session instead of re-deriving."""

    public: OfficePublic
    signing_key: Ed25519PrivateKey
    identity: pyrage.x25519.Identity


# -- sealing secrets with a passphrase ----------------------------------------------------
def seal_secret(plaintext: bytes, passphrase: str, purpose: str) -> bytes:
    """scrypt + ChaCha20-Poly1305; `purpose` is bound in, so one sealed kind cannot pose as
    another. (age's own passphrase mode fixes scrypt at 2**18+, too slow for the tests.)"""
    if not passphrase:
        raise KeyProblem("Kata sandi tidak boleh kosong.")
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _derive(passphrase, salt, SCRYPT_LOG_N)
    ciphertext = ChaCha20Poly1305(key).encrypt(nonce, plaintext, purpose.encode("utf-8"))
    return canonical(
        {
            "kdf": "scrypt",
            "log_n": SCRYPT_LOG_N,
            "salt": salt.hex(),
            "nonce": nonce.hex(),
            "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
        }
    )


def open_secret(sealed: bytes, passphrase: str, purpose: str) -> bytes:
    try:
        box = json.loads(sealed.decode("utf-8"))
        log_n = box["log_n"]
        if box["kdf"] != "scrypt" or type(log_n) is not int or log_n not in _SCRYPT_LOG_N_RANGE:
            raise ValueError(log_n)
        salt, nonce = bytes.fromhex(box["salt"]), bytes.fromhex(box["nonce"])
        ciphertext = base64.b64decode(box["ciphertext"], validate=True)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise KeyProblem("Berkas kunci rusak atau bukan berkas kunci muba-desk.") from None
    try:
        key = _derive(passphrase, salt, log_n)
        return ChaCha20Poly1305(key).decrypt(nonce, ciphertext, purpose.encode("utf-8"))
    except (InvalidTag, ValueError):
        raise KeyProblem("Kata sandi salah, atau berkas kunci rusak.") from None


def _derive(passphrase: str, salt: bytes, log_n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**log_n, r=8, p=1).derive(passphrase.encode("utf-8"))


# -- the office -----------------------------------------------------------------------------
def create_office(
    db_path, passphrase: str, *, name: str = "Dinas Sosial Musi Banyuasin", rehearsal: bool = False
):
    """Make the office identity once; refuses if this database already has one. A rehearsal
    office is marked in its public keys, which every provisioning file it writes carries."""
    db = connect(db_path)
    try:
        if get_setting(db, OFFICE_SECRET) is not None:
            raise KeyProblem("Basis data ini sudah memiliki identitas kantor.")
        signing_key = Ed25519PrivateKey.generate()
        identity = pyrage.x25519.Identity.generate()
        public = dataclasses.replace(_public_of(signing_key, identity), rehearsal=rehearsal)
        secret = canonical(
            {"signing_key": signing_key.private_bytes_raw().hex(), "identity": str(identity)}
        )
        sealed = seal_secret(secret, passphrase, "office")
        with db.conn:
            db.conn.execute("BEGIN IMMEDIATE")
            ensure_device(db)
            set_setting(db, OFFICE_SECRET, sealed.decode("ascii"))
            set_setting(db, OFFICE_PUBLIC, canonical(public.to_json()).decode("ascii"))
            set_setting(db, "mode", "office")
            set_setting(db, "device_name", name)
        return public
    finally:
        db.close()


def _public_of(signing_key: Ed25519PrivateKey, identity) -> OfficePublic:
    raw = signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    recipient = str(identity.to_public())
    return OfficePublic(
        key_id=signing.key_id_of(raw),
        signing_public=raw,
        recipient=recipient,
        recipient_key_id=key_id_of_recipient(recipient),
    )


def office_public(db) -> OfficePublic | None:
    value = get_setting(db, OFFICE_PUBLIC)
    return None if value is None else OfficePublic.from_json(json.loads(value))


def unlock_office(db, passphrase: str) -> OfficeKeys:
    sealed = get_setting(db, OFFICE_SECRET)
    if sealed is None:
        raise KeyProblem("Basis data ini bukan basis data kantor (belum ada identitas kantor).")
    secret = json.loads(open_secret(sealed.encode("ascii"), passphrase, "office"))
    signing_key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(secret["signing_key"]))
    identity = pyrage.x25519.Identity.from_str(secret["identity"])
    stored = office_public(db)
    public = dataclasses.replace(
        _public_of(signing_key, identity), rehearsal=stored is not None and stored.rehearsal
    )
    return OfficeKeys(public=public, signing_key=signing_key, identity=identity)


# -- laptops --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LaptopRecord:
    device_id: str
    code: str
    name: str
    key_id: str


def check_laptop_code(code: str) -> str:
    """The code, upper-cased, when card and receipt numbers can carry it (domain.numbers:
    `1606-01-L07-000123`, `BU/2026/L07/000045`); KeyProblem saying the form otherwise, so a
    laptop is never registered with a code its every later registration would fail on."""
    if not DEVICE_CODE.fullmatch(str(code).upper()):
        raise KeyProblem(
            _(
                "Kode laptop '{code}' tidak dapat dipakai untuk nomor kartu dan kuitansi: pakai "
                "satu huruf lalu 2 atau 3 angka, misalnya L07."
            ).format(code=code)
        )
    return str(code).upper()


def register_laptop(
    db_path,
    keys: OfficeKeys,
    *,
    name: str,
    code: str,
    district_code: str,
    villages: list[str],
    out_path,
    setup_passphrase: str,
) -> LaptopRecord:
    """Record a new laptop at the office and write its provisioning file to `out_path`."""
    check_laptop_code(code)
    laptop_key = Ed25519PrivateKey.generate()
    laptop_identity = pyrage.x25519.Identity.generate()
    raw = laptop_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    record = LaptopRecord(
        device_id=uuid7().replace("-", "")[-12:],
        code=code.upper(),
        name=name,
        key_id=signing.key_id_of(raw),
    )
    content = {
        "device_id": record.device_id,
        "code": record.code,
        "name": name,
        "district_code": district_code,
        "villages": list(villages),
        "signing_key": laptop_key.private_bytes_raw().hex(),
        "age_identity": str(laptop_identity),
        "office": keys.public.to_json(),
        "created_at": now_iso(),
    }
    sealed = PROVISION_MAGIC + seal_secret(canonical(content), setup_passphrase, "provision")
    db = connect(db_path)
    try:
        with db.conn:
            db.conn.execute("BEGIN IMMEDIATE")
            if db.conn.execute(
                "SELECT 1 FROM office_laptop WHERE code = ? OR name = ?", (record.code, name)
            ).fetchone():
                raise KeyProblem(f"Laptop dengan kode {record.code} atau nama '{name}' sudah ada.")
            db.conn.execute(
                "INSERT INTO office_laptop (device_id, code, name, district_code, villages, "
                "key_id, signing_public, age_recipient, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    record.device_id,
                    record.code,
                    name,
                    district_code,
                    json.dumps(list(villages)),
                    record.key_id,
                    raw.hex(),
                    str(laptop_identity.to_public()),
                    content["created_at"],
                ),
            )
            _trust(db, record.key_id, raw)
            # Written inside the transaction: if the stick fails, the laptop is not registered.
            _write_file(Path(out_path), sealed)
    finally:
        db.close()
    return record


def _write_file(path: Path, data: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        with create_private(partial) as f:  # the laptop's private keys: owner only
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    except OSError as exc:
        # The stick may be gone or unwritable: tidying up must not hide the first error.
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise KeyProblem(f"Berkas '{path}' tidak dapat ditulis: {exc.strerror or exc}.") from exc


def _trust(db, key_id: str, public: bytes) -> None:
    """Printed cards and receipts signed by this key now verify here too."""
    trusted = json.loads(get_setting(db, "trusted_keys", "{}"))
    trusted[key_id] = public.hex()
    set_setting(db, "trusted_keys", json.dumps(trusted, sort_keys=True))


def revoke_laptop(db_path, code: str, reason: str = "") -> None:
    """A stolen or retired laptop: every later bundle from it is refused."""
    db = connect(db_path)
    try:
        with db.conn:
            db.conn.execute("BEGIN IMMEDIATE")
            changed = db.conn.execute(
                "UPDATE office_laptop SET revoked_at = ?, revoked_reason = ? "
                "WHERE (code = ? OR name = ?) AND revoked_at IS NULL",
                (now_iso(), reason, code.upper(), code),
            ).rowcount
            if not changed:
                raise KeyProblem(f"Laptop '{code}' tidak terdaftar atau sudah dicabut.")
    finally:
        db.close()


def revocation_list(db, keys: OfficeKeys) -> bytes:
    """The revoked laptops' key ids, signed by the office, for return bundles to carry."""
    # The public key travels too, so a laptop that never knew the revoked one can still check
    # its documents dated before the revocation (signing.verify_payload).
    revoked = [
        {"device_id": d, "key_id": k, "public_key": public, "revoked_at": at}
        for d, k, public, at in db.conn.execute(
            "SELECT device_id, key_id, signing_public, revoked_at FROM office_laptop "
            "WHERE revoked_at IS NOT NULL ORDER BY device_id"
        )
    ]
    body = canonical({"kind": "revocations", "issued_at": now_iso(), "revoked": revoked})
    signature = keys.signing_key.sign(b"muba-desk revocations v1\n" + body)
    return body + b"\n" + signature.hex().encode("ascii") + b"\n"


# -- the laptop side of provisioning -------------------------------------------------------
def read_provisioning(path, passphrase: str) -> dict:
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_PROVISION_BYTES + 1)
    except OSError as exc:
        raise KeyProblem(
            f"Berkas '{path.name}' tidak dapat dibaca: {exc.strerror or exc}."
        ) from exc
    if not data.startswith(PROVISION_MAGIC) or len(data) > MAX_PROVISION_BYTES:
        raise KeyProblem(f"Berkas '{path.name}' bukan berkas penyiapan laptop muba-desk.")
    try:
        return json.loads(open_secret(data[len(PROVISION_MAGIC) :], passphrase, "provision"))
    except KeyProblem as exc:
        raise KeyProblem(f"Berkas '{path.name}': {exc}") from None


def apply_provisioning(db_path, path, passphrase: str) -> dict:
    """Make this laptop's database the laptop the office registered; returns the settings."""
    return apply_provisioned(db_path, read_provisioning(path, passphrase), Path(path).name)


def rehearsal_problem(mode: str | None, office: OfficePublic, file_name: str) -> str | None:
    """Why a registry of `mode` cannot take this office's file: a rehearsal office's laptops
    are demo registries only, and a demo registry never becomes a real office's laptop."""
    if office.rehearsal and mode != "demo":
        return _(
            "Berkas '{file}' dibuat oleh kantor latihan: hanya desa contoh yang dapat disiapkan "
            "dengannya (buka desa contoh, lalu Berkas → Buka berkas penyiapan…)."
        ).format(file=file_name)
    if not office.rehearsal and mode == "demo":
        return _(
            "Desa contoh hanya dapat disiapkan dengan berkas dari kantor latihan; berkas "
            "'{file}' berasal dari kantor sungguhan. Siapkan laptop sungguhan di registri laptop."
        ).format(file=file_name)
    return None


def apply_provisioned(db_path, content: dict, file_name: str = "") -> dict:
    """`apply_provisioning` for a file already opened (`read_provisioning`)."""
    office = OfficePublic.from_json(content["office"])
    db = connect(db_path)
    try:
        with db.conn:
            db.conn.execute("BEGIN IMMEDIATE")
            mode = get_setting(db, "mode")
            if problem := rehearsal_problem(mode, office, file_name):
                raise KeyProblem(problem)
            current = get_setting(db, "device_id")
            has_changes = db.conn.execute("SELECT 1 FROM change_log LIMIT 1").fetchone()
            # Rows already made under another device id would travel with the wrong identity.
            # A demo's made-up rows stay behind: only what is registered after travels.
            if current not in (None, content["device_id"]) and has_changes and mode != "demo":
                raise KeyProblem(
                    "Basis data ini sudah berisi data dari perangkat lain; siapkan laptop dengan "
                    "basis data baru."
                )
            key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(content["signing_key"]))
            raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
            for setting, value in {
                "device_id": content["device_id"],
                "device_code": content["code"],
                "device_name": content["name"],
                "district_code": content["district_code"],
                "villages": json.dumps(content["villages"]),
                # A rehearsal laptop stays a demo registry, marked as made-up everywhere.
                "mode": "demo" if office.rehearsal else "laptop",
                # The device key of muba_desk.signing: bundles and QR codes share it.
                signing._SETTING_KEY: content["signing_key"],
                signing._SETTING_KEY_ID: signing.key_id_of(raw),
                LAPTOP_AGE_IDENTITY: content["age_identity"],
                OFFICE_PUBLIC: canonical(office.to_json()).decode("ascii"),
            }.items():
                set_setting(db, setting, value)
            _trust(db, office.key_id, office.signing_public)
    finally:
        db.close()
    _office_recovery_copy(db_path, office.recipient)
    return {k: v for k, v in content.items() if k not in ("signing_key", "age_identity")}


def _office_recovery_copy(db_path, recipient: str) -> None:
    """An encrypted laptop registry's key, wrapped for the office too (its age recipient): the
    office can open a laptop brought in with every password lost."""
    from muba_desk.store import keys as db_keys

    if db_keys.is_encrypted(db_path) and db_keys.key_for(db_path) is not None:
        db_keys.add_office_recovery(db_path, recipient)
