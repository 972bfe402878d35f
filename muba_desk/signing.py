"""The device's Ed25519 key and the signed text payloads printed as QR codes on cards and receipts.

A payload reads `MD1.<body>.<signature>`: `body` is the document's fields joined by `|` in plain
ASCII (base64 of JSON would cost a third more and push the code past QR version 10), and the
signature is the base64url Ed25519 signature over `MD1.<body>`. Anyone holding the office's
public keys can check a printed document offline.

The private key sits in the database's `setting` table as hex for now; encryption at rest (a
later issue) will protect it together with the rest of the file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from muba_desk.domain.money import format_rupiah
from muba_desk.domain.numbers import PROGRAM_PREFIX
from muba_desk.errors import UserError

PREFIX = "MD1."
SEPARATOR = "|"
# QR version 10 at error correction M holds 213 bytes in byte mode; a payload must fit.
MAX_PAYLOAD_BYTES = 213
NAME_MAX = 30  # long names are cut: the number identifies the document, the name helps a reader

KIND_CARD = "K"
KIND_RECEIPT = "T"
KIND_LABELS = {KIND_CARD: "kartu peserta", KIND_RECEIPT: "tanda terima"}
# Short codes keep the payload small; the printed document and the check show the names.
PROGRAM_NAMES = {
    "PAKE_KELAMBU": "Pake Kelambu",
    "BANTU_UMAK": "Bantu Umak",
    "PEDAS_NIA": "Pedas Nia",
    "BERTANI": "Bertani",
    "KUBE_UEP": "KUBE / UEP",
    "BAKUL_NASI": "Bakul Nasi",
    "PKM": "PKM",
}
_CODE_PROGRAM = {short: program for program, short in PROGRAM_PREFIX.items()}
FIELDS = ("kind", "key_id", "number", "name", "programs", "amount", "date")

_SETTING_KEY = "signing_key"
_SETTING_KEY_ID = "signing_key_id"
_SETTING_TRUSTED = "trusted_keys"
# On a laptop: the laptops the office revoked, as its return bundles said (sync.receive),
# a JSON object key_id -> {"revoked_at": ISO time, "public": hex public key or null}.
SETTING_REVOKED = "revoked_keys"
# Revocation days are read on the office's clock: Sekayu is UTC+7 (WIB), and a document's
# date is the local day it was made.
_WIB = timedelta(hours=7)
_DATE = re.compile(r"^\d{8}$")


class InvalidPayload(UserError, ValueError):
    """A payload that is not a genuine muba-desk document; str() is an Indonesian sentence."""


@dataclass(frozen=True)
class DeviceKey:
    key_id: str  # 16 hex digits: the first 8 bytes of SHA-256 of the raw public key
    private: Ed25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Verified:
    """What a genuine payload covers."""

    kind: str  # KIND_CARD or KIND_RECEIPT
    key_id: str
    number: str  # card or receipt number
    name: str
    programs: tuple[str, ...]
    amount: int | None
    date: str  # ISO yyyy-mm-dd
    # Said when the signing laptop has since been revoked and the document is dated before it.
    note: str | None = None

    @property
    def program_names(self) -> list[str]:
        return [PROGRAM_NAMES.get(_CODE_PROGRAM.get(p, ""), p) for p in self.programs]

    def describe(self) -> list[str]:
        """Indonesian lines for the person checking the document."""
        day = f"{self.date[8:10]}/{self.date[5:7]}/{self.date[0:4]}"
        lines = [
            f"Jenis: {KIND_LABELS[self.kind]}",
            f"Nomor: {self.number}",
            f"Nama: {self.name}",
            f"Program: {', '.join(self.program_names)}",
        ]
        if self.amount is not None:
            lines.append(f"Jumlah: {format_rupiah(self.amount)}")
        lines.append(f"Tanggal: {day}")
        lines.append(f"Ditandatangani oleh perangkat dengan kunci {self.key_id}")
        if self.note:
            lines.append(self.note)
        return lines


@dataclass(frozen=True)
class Revocation:
    """A laptop the office revoked (lost, stolen, retired): its documents dated on or after
    `revoked_on` are refused, earlier ones still verify with a note."""

    revoked_on: str  # ISO yyyy-mm-dd, the day in WIB
    public: bytes | None  # its public key, when this database knows it


def revocation_day(revoked_at: str) -> str:
    """'2026-12-07T18:30:00Z' -> '2026-12-08': the local (WIB) day of a revocation time."""
    moment = datetime.fromisoformat(revoked_at.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta(0))
    return (moment + _WIB).date().isoformat()


def revocations(db) -> dict[str, Revocation]:
    """The revoked signing keys this database knows of: at the office its own register of
    laptops, on a laptop what the office's return bundles said (SETTING_REVOKED)."""
    found: dict[str, Revocation] = {}
    row = db.conn.execute("SELECT value FROM setting WHERE key = ?", (SETTING_REVOKED,)).fetchone()
    if row is not None:
        for key_id, entry in json.loads(row[0]).items():
            public = entry.get("public")
            found[key_id] = Revocation(
                revoked_day_of(entry["revoked_at"]), bytes.fromhex(public) if public else None
            )
    has_register = db.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'office_laptop'"
    ).fetchone()
    if has_register:
        for key_id, public, revoked_at in db.conn.execute(
            "SELECT key_id, signing_public, revoked_at FROM office_laptop "
            "WHERE revoked_at IS NOT NULL"
        ):
            found[key_id] = Revocation(revocation_day(revoked_at), bytes.fromhex(public))
    return found


def revoked_day_of(revoked_at: str) -> str:
    """The WIB day of a stored revocation time; a bare date is taken as it is."""
    return revoked_at if len(revoked_at) == 10 else revocation_day(revoked_at)


def _day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def key_id_of(public_bytes: bytes) -> str:
    return hashlib.sha256(public_bytes).digest()[:8].hex()


def device_key(db) -> DeviceKey:
    """This database's signing key, made on first use and kept in `setting`."""
    row = db.conn.execute("SELECT value FROM setting WHERE key = ?", (_SETTING_KEY,)).fetchone()
    if row is None:
        fresh = Ed25519PrivateKey.generate().private_bytes_raw().hex()
        public = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(fresh)).public_key()
        fresh_id = key_id_of(public.public_bytes(Encoding.Raw, PublicFormat.Raw))
        # OR IGNORE: if another connection made a key meanwhile, theirs wins and is read below.
        db.conn.execute(
            "INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)", (_SETTING_KEY, fresh)
        )
        row = db.conn.execute("SELECT value FROM setting WHERE key = ?", (_SETTING_KEY,)).fetchone()
        if row[0] == fresh:
            db.conn.execute(
                "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                (_SETTING_KEY_ID, fresh_id),
            )
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(row[0]))
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return DeviceKey(key_id=key_id_of(public), private=private)


def known_public_keys(db) -> dict[str, bytes]:
    """Keys whose documents this database accepts: its own, plus the `trusted_keys` setting
    (a JSON object key_id -> hex public key) that sync with the office will fill."""
    keys: dict[str, bytes] = {}
    row = db.conn.execute("SELECT value FROM setting WHERE key = ?", (_SETTING_KEY,)).fetchone()
    if row is not None:
        private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(row[0]))
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        keys[key_id_of(public)] = public
    trusted = db.conn.execute(
        "SELECT value FROM setting WHERE key = ?", (_SETTING_TRUSTED,)
    ).fetchone()
    if trusted is not None:
        for key_id, public_hex in json.loads(trusted[0]).items():
            keys[key_id] = bytes.fromhex(public_hex)
    return keys


def _clean(value) -> str:
    """ASCII without the separators, so a keyboard-wedge scanner types it back unchanged."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.replace(SEPARATOR, "/").split())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_payload(db, fields: dict, *, key: DeviceKey | None = None) -> str:
    """The QR text for a document. `fields`: kind (KIND_CARD/KIND_RECEIPT), number, name,
    programs (e.g. BANTU_UMAK), amount (int or None), date (ISO). ValueError if it would not fit.
    Batch callers pass `key` (from `device_key`) to skip reading it for every document."""
    key = key or device_key(db)
    kind = fields["kind"]
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown document kind {kind!r}")
    amount = fields.get("amount")
    parts = [
        kind,
        key.key_id,
        _clean(fields["number"]),
        _clean(fields["name"])[:NAME_MAX].strip(),
        ",".join(PROGRAM_PREFIX.get(p, _clean(p)) for p in fields.get("programs", ())),
        "" if amount is None else str(int(amount)),
        str(fields["date"])[:10].replace("-", ""),
    ]
    signed = PREFIX + SEPARATOR.join(parts)
    payload = f"{signed}.{_b64(key.private.sign(signed.encode('ascii')))}"
    if len(payload.encode("ascii")) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"QR payload of {len(payload)} bytes exceeds {MAX_PAYLOAD_BYTES}")
    return payload


def verify_payload(
    text: str,
    public_keys: dict[str, bytes],
    revoked: dict[str, Revocation] | None = None,
) -> Verified:
    """Check a scanned or typed payload; raise InvalidPayload saying why it is not genuine.

    `revoked` (from `revocations`): a document of a revoked laptop dated on or after the day
    of its revocation is refused with that day; an earlier one verifies with a note. The date
    is the one the document carries: a thief with the laptop's key could backdate one, which
    is why the note names the revocation on every earlier document too."""
    from muba_desk.i18n import _

    text = (text or "").strip()
    if not text.startswith(PREFIX):
        raise InvalidPayload("Kode ini bukan kode kartu atau tanda terima muba-desk.")
    signed, dot, signature_text = text.rpartition(".")
    parts = signed[len(PREFIX) :].split(SEPARATOR)
    try:
        signature = _unb64(signature_text)
        signed_bytes = signed.encode("ascii")
    except (binascii.Error, ValueError, UnicodeEncodeError):
        signature = b""
    # Re-encoding rejects a changed padding bit in the last character, which would otherwise
    # decode to the same signature and let an altered code pass.
    if not dot or len(signature) != 64 or _b64(signature) != signature_text:
        raise InvalidPayload("Kode rusak atau tidak lengkap: pindai atau ketik ulang.")
    if len(parts) != len(FIELDS):
        raise InvalidPayload("Kode rusak atau tidak lengkap: pindai atau ketik ulang.")
    values = dict(zip(FIELDS, parts, strict=True))
    if values["kind"] not in KIND_LABELS or not _DATE.match(values["date"]):
        raise InvalidPayload("Kode rusak atau tidak lengkap: pindai atau ketik ulang.")
    revocation = (revoked or {}).get(values["key_id"])
    public = public_keys.get(values["key_id"])
    if public is None and revocation is not None:
        public = revocation.public
    if public is None and revocation is not None:
        raise InvalidPayload(
            _(
                "Kode ditandatangani oleh laptop yang dicabut kantor pada {day} (kunci {key}); "
                "kuncinya tidak ada di sini, jadi keasliannya tidak dapat dipastikan."
            ).format(day=_day(revocation.revoked_on), key=values["key_id"])
        )
    if public is None:
        raise InvalidPayload(
            f"Kode ditandatangani oleh perangkat yang tidak dikenal (kunci {values['key_id']}); "
            "dokumen ini tidak dapat dipastikan asli di laptop ini."
        )
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, signed_bytes)
    except InvalidSignature:
        raise InvalidPayload(
            "Tanda tangan digital tidak cocok: isi kode telah diubah atau dokumen ini palsu."
        ) from None
    amount = values["amount"]
    if amount and not amount.isdigit():
        raise InvalidPayload("Kode rusak atau tidak lengkap: pindai atau ketik ulang.")
    day = values["date"]
    dated = f"{day[:4]}-{day[4:6]}-{day[6:]}"
    note = None
    if revocation is not None:
        if dated >= revocation.revoked_on:
            raise InvalidPayload(
                _(
                    "Laptop penanda tangan (kunci {key}) dicabut kantor pada {day}; "
                    "dokumen bertanggal {dated} dibuat sesudahnya dan tidak sah."
                ).format(key=values["key_id"], day=_day(revocation.revoked_on), dated=_day(dated))
            )
        note = _(
            "Catatan: laptop penanda tangan dicabut kantor pada {day}; dokumen ini bertanggal "
            "sebelumnya dan tetap sah."
        ).format(day=_day(revocation.revoked_on))
    return Verified(
        kind=values["kind"],
        key_id=values["key_id"],
        number=values["number"],
        name=values["name"],
        programs=tuple(p for p in values["programs"].split(",") if p),
        amount=int(amount) if amount else None,
        date=dated,
        note=note,
    )


@dataclass(frozen=True)
class Verdict:
    """The answer to one checked code, worded once for `muba-desk verify` and the check dialog."""

    genuine: bool
    headline: str  # "ASLI: …" or "TIDAK ASLI: <why>"
    lines: tuple[str, ...]  # what a genuine code covers; empty otherwise


@dataclass(frozen=True)
class CheckKeys:
    """What a check needs from a database: the keys it trusts and the laptops revoked."""

    public: dict[str, bytes]
    revoked: dict[str, Revocation]


def check_keys(db) -> CheckKeys:
    return CheckKeys(known_public_keys(db), revocations(db))


def check_code(text: str, keys: CheckKeys | dict[str, bytes]) -> Verdict:
    """Verify `text` and word the verdict; never raises for a bad code. `keys` from
    `check_keys` (a bare dict of public keys knows of no revocation)."""
    from muba_desk.i18n import _

    if not isinstance(keys, CheckKeys):
        keys = CheckKeys(dict(keys), {})
    try:
        verified = verify_payload(text, keys.public, keys.revoked)
    except InvalidPayload as exc:
        return Verdict(False, _("TIDAK ASLI: {reason}").format(reason=exc), ())
    headline = _("ASLI: kode ini ditandatangani oleh laptop yang dikenal.")
    return Verdict(True, headline, tuple(verified.describe()))
