"""The bundle file: a signed header without personal data, then an age-encrypted zip payload.

Layout, byte for byte:

    MUBA-DESK-BUNDLE 1\\n
    <header: canonical JSON>\\n
    <Ed25519 signature over SIGNATURE_CONTEXT + header, 128 lowercase hex digits>\\n
    <age ciphertext, exactly header["ciphertext_length"] bytes>

The signature covers the ciphertext through its length and SHA-256 in the header, so a flipped
bit anywhere is caught before anything is decrypted. Everything read here is untrusted: every
refusal is a `BundleError` whose message is one Indonesian sentence naming the file.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from muba_desk.store.schema import SYNCED_TABLES

MAGIC = b"MUBA-DESK-BUNDLE 1\n"
FORMAT = "muba-desk-bundle"
VERSION = 1
# Domain separation: a signature made for a bundle header can never pass as anything else.
SIGNATURE_CONTEXT = b"muba-desk bundle header v1\n"
GENESIS = "0" * 64
KIND_LAPTOP = "laptop"  # laptop -> office: its changes
KIND_OFFICE = "office"  # office -> laptop: a return bundle
KINDS = (KIND_LAPTOP, KIND_OFFICE)

MAX_HEADER_BYTES = 4096
# The payload is decrypted in memory; a regency's busiest laptop sends far less than this.
MAX_CIPHERTEXT_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 200_000
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_ROWS_BYTES = 512 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
# NDJSON deflates about 10:1; a member claiming far more is a bomb, refused before inflating.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024

HEADER_FIELDS = frozenset(
    {
        "format",
        "version",
        "kind",
        "device_id",
        "key_id",
        "sequence",
        "previous_sha256",
        "schema",
        "created_at",
        "ciphertext_length",
        "ciphertext_sha256",
        "recipient_key_id",
    }
)
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX16 = re.compile(r"^[0-9a-f]{16}$")
_DEVICE = re.compile(r"^[0-9a-z]{1,32}$")
_SCHEMA = re.compile(r"^m[0-9]{3}_[a-z0-9_]{1,60}$")
_SIGNATURE = re.compile(rb"^[0-9a-f]{128}$")
_TIME = re.compile(r"^[0-9T:.\-+Z]{10,40}$")
_ROWS = r"rows/(" + "|".join(SYNCED_TABLES) + r")\.ndjson"
_MEMBER = re.compile(r"^(manifest\.json|audit\.ndjson|photos/[0-9a-f]{64}\.jpg|" + _ROWS + r")$")
# A return bundle carries no photos and no audit chain, but the office's answers.
RETURN_MEMBER = re.compile(
    r"^(manifest\.json|acknowledgements\.json|revocations\.signed|trusted_keys\.json|"
    r"resolutions\.ndjson|" + _ROWS + r")$"
)
MANIFEST = "manifest.json"


class BundleError(Exception):
    """A bundle that was refused; str() is an Indonesian sentence naming the file.

    `alarm` marks what looks like tampering or a reused sequence, not mere damage.
    """

    def __init__(self, message: str, *, alarm: bool = False):
        super().__init__(message)
        self.alarm = alarm


def refuse(name: str, reason: str, *, alarm: bool = False) -> BundleError:
    return BundleError(f"Berkas '{name}' ditolak: {reason}", alarm=alarm)


_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
).encode


def canonical(value) -> bytes:
    return _CANONICAL(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_id_of_recipient(recipient: str) -> str:
    """A short id for an age recipient, so a header can say which office it is for."""
    return hashlib.sha256(recipient.encode("ascii")).digest()[:8].hex()


# -- writing ------------------------------------------------------------------------------
def seal(
    *,
    header: dict,
    payload: bytes,
    signing_key: Ed25519PrivateKey,
    recipient: pyrage.x25519.Recipient,
) -> bytes:
    """The whole bundle file: `header` gets the ciphertext's length and hash added here."""
    head, ciphertext = seal_parts(
        header=header, payload=payload, signing_key=signing_key, recipient=recipient
    )
    return head + ciphertext


def seal_parts(
    *,
    header: dict,
    payload: bytes,
    signing_key: Ed25519PrivateKey,
    recipient: pyrage.x25519.Recipient,
) -> tuple[bytes, bytes]:
    """`seal`'s file as its two parts (magic, header and signature; then the ciphertext), so
    a large bundle is written without first being copied into one bytes object."""
    ciphertext = pyrage.encrypt(payload, [recipient])
    header = {
        **header,
        "format": FORMAT,
        "version": VERSION,
        "ciphertext_length": len(ciphertext),
        "ciphertext_sha256": sha256_hex(ciphertext),
    }
    if set(header) != HEADER_FIELDS:
        raise ValueError(f"header fields {sorted(set(header) ^ HEADER_FIELDS)} wrong")
    header_bytes = canonical(header)
    signature = signing_key.sign(SIGNATURE_CONTEXT + header_bytes)
    head = MAGIC + header_bytes + b"\n" + signature.hex().encode("ascii") + b"\n"
    return head, ciphertext


def build_payload(
    manifest: dict, members: dict[str, bytes], digests: dict[str, str] | None = None
) -> bytes:
    """The zip inside the bundle; the manifest gets every member's size and SHA-256.

    `digests` gives members' SHA-256 already known (a photo is named by it), so they are not
    hashed again; the office checks every member against the manifest when it opens it.
    """
    digests = digests or {}
    listing = {
        name: {"size": len(data), "sha256": digests.get(name) or sha256_hex(data)}
        for name, data in members.items()
    }
    manifest = {**manifest, "members": listing}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, canonical(manifest))
        for name, data in members.items():
            # Photos are JPEG already: deflating them again costs time and saves nothing.
            kind = zipfile.ZIP_STORED if name.startswith("photos/") else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


# -- reading ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Envelope:
    """The parts of a bundle file before the signature is checked."""

    header: dict
    header_bytes: bytes
    signature: bytes
    ciphertext: bytes
    file_sha256: str
    # Set by `parse` once the ciphertext's hash matched the header: `decrypt` need not hash
    # 200 MB again. Not an init field, so an Envelope made any other way (dataclasses.replace
    # included) is checked in `decrypt` as before.
    ciphertext_checked: bool = field(default=False, init=False, repr=False, compare=False)

    def verify(self, public_key: bytes, name: str) -> None:
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(
                self.signature, SIGNATURE_CONTEXT + self.header_bytes
            )
        except InvalidSignature:
            raise refuse(
                name,
                "tanda tangan digital tidak cocok (berkas diubah, rusak, atau palsu).",
                alarm=True,
            ) from None

    def decrypt(self, identity: pyrage.x25519.Identity, name: str) -> bytes:
        # Checked here (unless `parse` just did) so no caller can decrypt bytes the signed
        # header does not cover.
        if (
            not self.ciphertext_checked
            and sha256_hex(self.ciphertext) != self.header["ciphertext_sha256"]
        ):
            raise refuse(name, "isi berkas rusak (hash tidak cocok dengan kepala berkas).")
        try:
            return pyrage.decrypt(self.ciphertext, [identity])
        except pyrage.DecryptError:
            raise refuse(
                name, "isinya tidak dapat dibuka dengan kunci kantor ini (kunci salah atau rusak)."
            ) from None


def parse(data: bytes, name: str) -> Envelope:
    """Split a bundle file into its parts and check their shape (not yet the signature)."""
    damaged = "bukan paket muba-desk yang utuh (terpotong atau rusak)."
    if not data.startswith(MAGIC):
        raise refuse(name, "bukan paket data muba-desk (tanda awal berkas tidak dikenal).")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES + 1)
    if end < 0:
        raise refuse(name, damaged)
    header_bytes = data[len(MAGIC) : end]
    sig_end = end + 1 + 128
    signature_hex = data[end + 1 : sig_end]
    if not _SIGNATURE.match(signature_hex) or data[sig_end : sig_end + 1] != b"\n":
        raise refuse(name, damaged)
    header = _parse_header(header_bytes, name)
    ciphertext = data[sig_end + 1 :]
    if len(ciphertext) != header["ciphertext_length"]:
        raise refuse(
            name,
            f"ukurannya tidak sesuai ({len(ciphertext)} bita isi, seharusnya "
            f"{header['ciphertext_length']}); berkas terpotong atau tersambung dengan data lain.",
        )
    # Cheap and before any database is opened: damage shows here, forgery at the signature.
    if sha256_hex(ciphertext) != header["ciphertext_sha256"]:
        raise refuse(name, "isi berkas rusak (hash tidak cocok dengan kepala berkas).")
    envelope = Envelope(
        header=header,
        header_bytes=header_bytes,
        signature=bytes.fromhex(signature_hex.decode("ascii")),
        ciphertext=ciphertext,
        file_sha256=sha256_hex(data),
    )
    object.__setattr__(envelope, "ciphertext_checked", True)
    return envelope


def _parse_header(header_bytes: bytes, name: str) -> dict:
    bad = refuse(name, "kepala berkas rusak atau tidak dikenal.")
    try:
        header = json.loads(header_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad from None
    # Canonical only: one header has one byte form, so the signed bytes are what was parsed.
    if not isinstance(header, dict) or set(header) != HEADER_FIELDS:
        raise bad
    try:
        if canonical(header) != header_bytes:
            raise bad
    except ValueError:
        raise bad from None
    if header["format"] != FORMAT or header["kind"] not in KINDS:
        raise bad
    if header["version"] != VERSION:
        raise refuse(name, f"versi format paket {header['version']!r} tidak dikenal aplikasi ini.")
    checks = (
        _is_int(header["sequence"], 1, 10**9),
        _is_int(header["ciphertext_length"], 1, MAX_CIPHERTEXT_BYTES),
        _matches(_DEVICE, header["device_id"]),
        _matches(_HEX16, header["key_id"]),
        _matches(_HEX16, header["recipient_key_id"]),
        _matches(_HEX64, header["previous_sha256"]),
        _matches(_HEX64, header["ciphertext_sha256"]),
        _matches(_SCHEMA, header["schema"]),
        _matches(_TIME, header["created_at"]),
    )
    if not all(checks):
        raise bad
    return header


def _is_int(value, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def _matches(pattern: re.Pattern, value) -> bool:
    return isinstance(value, str) and pattern.match(value) is not None


@dataclass(frozen=True)
class Payload:
    manifest: dict
    members: dict[str, bytes]  # every member except the manifest, hash-checked


def open_payload(
    data: bytes,
    name: str,
    allowed: re.Pattern = _MEMBER,
    on_member: Callable[[str, bytes], object] | None = None,
) -> Payload:
    """Read the zip by allow-listed names with size caps; never extracts to disk.

    `on_member(name, data)` is called with each member once its size and hash are checked,
    so a caller can start slow checks of its own (photo decoding) while the rest is read.
    """
    damaged = refuse(name, "isi paket (zip) rusak.")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        ValueError,
        EOFError,
        # zipfile refuses a header claiming a newer zip version this way (found by fuzzing).
        NotImplementedError,
    ):
        raise damaged from None
    with zf:
        _check_listing(infos, name, allowed)
        by_name = {info.filename: info for info in infos}
        if MANIFEST not in by_name:
            raise refuse(name, "isi paket tidak memiliki manifest.json.")
        manifest_bytes = _read_member(zf, by_name[MANIFEST], None, name)
        manifest = _parse_manifest(manifest_bytes, name, allowed)
        listed = manifest["members"]
        present = set(by_name) - {MANIFEST}
        if set(listed) != present:
            missing = sorted(set(listed) - present)[:3]
            extra = sorted(present - set(listed))[:3]
            raise refuse(
                name, f"isi paket tidak sesuai manifest (hilang {missing}, tambahan {extra})."
            )
        members = {}
        for member in sorted(present):
            members[member] = _read_member(zf, by_name[member], listed[member], name)
            if on_member is not None:
                on_member(member, members[member])
    return Payload(manifest=manifest, members=members)


def _check_listing(infos: list[zipfile.ZipInfo], name: str, allowed: re.Pattern) -> None:
    if len(infos) > MAX_MEMBERS:
        raise refuse(name, f"isi paket memuat terlalu banyak berkas ({len(infos)}).")
    seen: set[str] = set()
    total = 0
    for info in infos:
        member = info.filename
        # orig_filename is what the archive says; `filename` is cut at a NUL byte.
        raw = info.orig_filename
        parts = raw.replace("\\", "/").split("/")
        if raw.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", raw):
            raise refuse(name, f"isi paket memuat nama berkas mutlak '{raw[:80]}'.", alarm=True)
        if ".." in parts:
            raise refuse(
                name, f"isi paket memuat nama berkas '{raw[:80]}' yang keluar folder.", alarm=True
            )
        if member in seen:
            raise refuse(name, f"isi paket memuat nama berkas ganda '{member[:80]}'.", alarm=True)
        seen.add(member)
        if raw != member or not allowed.match(member):
            raise refuse(name, f"isi paket memuat berkas tak dikenal '{raw[:80]}'.", alarm=True)
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise refuse(
                name, f"berkas '{member}' di dalam paket memakai format yang tidak didukung."
            )
        if info.file_size > _cap(member):
            raise refuse(
                name, f"berkas '{member}' di dalam paket terlalu besar ({info.file_size} bita)."
            )
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
            1, info.compress_size
        ):
            raise refuse(
                name, f"berkas '{member}' di dalam paket adalah bom dekompresi.", alarm=True
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise refuse(name, "isi paket terlalu besar setelah dibuka.")


def _cap(member: str) -> int:
    if member.startswith("rows/") or member.endswith(".ndjson"):
        return MAX_ROWS_BYTES
    if member.startswith("photos/"):
        return MAX_PHOTO_BYTES
    return MAX_MANIFEST_BYTES


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, listed: dict | None, name: str
) -> bytes:
    declared = info.file_size if listed is None else listed["size"]
    if declared != info.file_size:
        raise refuse(name, f"ukuran berkas '{info.filename}' tidak sesuai manifest.")
    chunks, size = [], 0
    try:
        with zf.open(info) as stream:
            # Never more than declared + 1: a member that inflates past its size stops here.
            while size <= declared:
                chunk = stream.read(min(1024 * 1024, declared + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        # zlib.error: a damaged deflate stream (found by tests/fuzz).
        raise refuse(name, f"berkas '{info.filename}' di dalam paket rusak.") from None
    data = b"".join(chunks)
    if len(data) != declared:
        raise refuse(
            name, f"berkas '{info.filename}' di dalam paket tidak sesuai ukuran yang dinyatakan."
        )
    if listed is not None and sha256_hex(data) != listed["sha256"]:
        raise refuse(name, f"berkas '{info.filename}' di dalam paket tidak cocok dengan hash-nya.")
    return data


def _parse_manifest(data: bytes, name: str, allowed: re.Pattern) -> dict:
    bad = refuse(name, "manifest.json di dalam paket rusak.")
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise bad from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("members"), dict):
        raise bad
    for member, entry in manifest["members"].items():
        if (
            not isinstance(entry, dict)
            or set(entry) != {"size", "sha256"}
            or not _is_int(entry["size"], 0, MAX_TOTAL_BYTES)
            or not _matches(_HEX64, entry["sha256"])
            or not allowed.match(member)
        ):
            raise bad
    return manifest
