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

import contextlib
import functools
import hashlib
import io
import json
import logging
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.store.schema import SYNCED_TABLES
from muba_desk.sync import jsonsafe

log = logging.getLogger(__name__)
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
# The caps on text bound the memory an import takes beyond the file's own size. NDJSON is
# parsed as it inflates, one line at a time; what the parsed lines take is counted as they
# are kept and refused past MAX_PARSED_BYTES (parsed, a byte of JSON can take from 1 to over
# 20 bytes: only the count is a bound). A bundle of 9,375 rows (1,875 households, 7,500
# people and their audit entries: 15.8 MB of NDJSON) takes 57 MB parsed.
MAX_MEMBERS = 50_000
MAX_MANIFEST_BYTES = 8 * 1024 * 1024  # also each other JSON member (about 110 bytes a member)
MAX_ROWS_BYTES = 64 * 1024 * 1024  # all NDJSON members of a bundle together
MAX_LINES = 250_000  # all NDJSON lines of a bundle together
MAX_LINE_BYTES = 1024 * 1024
# What the parsed lines of a bundle may take together, counted by `_parsed_size`.
MAX_PARSED_BYTES = 224 * 1024 * 1024


@dataclass(frozen=True)
class TextCaps:
    """The caps on a payload's NDJSON: bytes and lines of all members, and what the parsed
    lines may take (see above)."""

    rows_bytes: int
    lines: int
    parsed_bytes: int


LAPTOP_CAPS = TextCaps(MAX_ROWS_BYTES, MAX_LINES, MAX_PARSED_BYTES)
# A return bundle holds the whole current state of a laptop's villages, far more than one
# laptop's changes: the laptop keeps the caps it had (512 MB of NDJSON), now streamed.
RETURN_CAPS = TextCaps(512 * 1024 * 1024, 4_000_000, 2 * 1024 * 1024 * 1024)
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


class BundleError(UserError):
    """A bundle that was refused; str() is an Indonesian sentence naming the file.

    `alarm` marks what looks like tampering or a reused sequence, not mere damage.
    """

    def __init__(self, message: str, *, alarm: bool = False):
        super().__init__(message)
        self.alarm = alarm


def refuse(name: str, reason: str, *, alarm: bool = False) -> BundleError:
    return BundleError(f"Berkas '{name}' ditolak: {reason}", alarm=alarm)


def unreadable(name: str, exc: Exception) -> str:
    """The reason given for a file whose import failed other than by a refusal (a fault of
    ours met by one odd file); the trace goes to the log, the file is reported refused."""
    log.exception("import of %s failed", name)
    return _("berkas {file} tidak dapat dibaca: {error}").format(
        file=name, error=f"{type(exc).__name__}: {exc}"[:300]
    )


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
    ciphertext = encrypt_payload(payload, recipient)
    head = make_head(
        header=header,
        ciphertext_length=len(ciphertext),
        ciphertext_sha256=sha256_hex(ciphertext),
        signing_key=signing_key,
    )
    return head + ciphertext


def encrypt_payload(payload: bytes, recipient: pyrage.x25519.Recipient) -> bytes:
    return pyrage.encrypt(payload, [recipient])


def make_head(
    *,
    header: dict,
    ciphertext_length: int,
    ciphertext_sha256: str,
    signing_key: Ed25519PrivateKey,
) -> bytes:
    """The file's first part: magic, the signed header (with the ciphertext's length and hash)
    and the signature. Its length does not depend on the hash's value (64 hex digits), so a
    writer can put the ciphertext in place first and the head before it once hashed."""
    header = {
        **header,
        "format": FORMAT,
        "version": VERSION,
        "ciphertext_length": ciphertext_length,
        "ciphertext_sha256": ciphertext_sha256,
    }
    if set(header) != HEADER_FIELDS:
        raise ValueError(f"header fields {sorted(set(header) ^ HEADER_FIELDS)} wrong")
    header_bytes = canonical(header)
    signature = signing_key.sign(SIGNATURE_CONTEXT + header_bytes)
    return MAGIC + header_bytes + b"\n" + signature.hex().encode("ascii") + b"\n"


def build_payload(
    manifest: dict,
    members: dict[str, bytes],
    digests: dict[str, str] | None = None,
) -> bytes:
    """The zip inside the bundle; the manifest gets every member's size and SHA-256.

    `digests` gives members' SHA-256 already known (a photo is named by it), so they are not
    hashed again; the office checks every member against the manifest when it opens it.
    """
    digests = digests or {}
    writer = PayloadWriter()
    for name, data in members.items():
        writer.add(name, data, digests.get(name))
    return writer.finish(manifest)


class PayloadWriter:
    """The zip inside the bundle, member by member, then the manifest listing them all.

    The manifest is the zip's last member, so members can be written as they are read; the
    reader finds it by name. Photos are stored (JPEG deflates no further), the rest deflated.
    """

    def __init__(self):
        self._buffer = io.BytesIO()
        self._zip = zipfile.ZipFile(self._buffer, "w", compression=zipfile.ZIP_DEFLATED)
        self._listing: dict[str, dict] = {}

    def add(self, name: str, data: bytes, digest: str | None = None) -> None:
        if name in self._listing or name == MANIFEST:
            raise ValueError(f"member {name!r} given twice")
        self._listing[name] = {"size": len(data), "sha256": digest or sha256_hex(data)}
        kind = zipfile.ZIP_STORED if name.startswith("photos/") else zipfile.ZIP_DEFLATED
        self._zip.writestr(name, data, compress_type=kind)

    def finish(self, manifest: dict) -> bytes:
        self._zip.writestr(MANIFEST, canonical({**manifest, "members": self._listing}))
        self._zip.close()
        return self._buffer.getvalue()


# -- reading ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Envelope:
    """The parts of a bundle file before the signature is checked."""

    header: dict
    header_bytes: bytes
    signature: bytes
    ciphertext: bytes | memoryview  # `parse` gives a view into the file's bytes
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
        # pyrage's streaming call: a fifth faster than `decrypt` on 200 MB (no whole-file
        # buffers inside), and it returns to Python between chunks, so other threads run
        # meanwhile. A reader over bytes shares them; a view is copied.
        plaintext = io.BytesIO()
        try:
            pyrage.decrypt_io(io.BytesIO(self.ciphertext), plaintext, [identity])
            return plaintext.getvalue()
        # DecryptError for a wrong key, OSError ("decryption error") for a chunk that fails
        # its tag: both mean the office cannot open it.
        except (pyrage.DecryptError, OSError):
            raise refuse(
                name, "isinya tidak dapat dibuka dengan kunci kantor ini (kunci salah atau rusak)."
            ) from None


def _sha256_hex_of(parts: tuple[bytes, ...]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


HEAD_READ_BYTES = len(MAGIC) + MAX_HEADER_BYTES + 1 + 128 + 1  # enough to hold any head


def head_length(data: bytes) -> int | None:
    """Where the ciphertext starts in a file beginning with `data` (magic, header line and
    signature line); None when that shape is not there, for `parse` to say why."""
    if not data.startswith(MAGIC):
        return None
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES + 1)
    sig_end = end + 1 + 128
    if end < 0 or data[sig_end : sig_end + 1] != b"\n":
        return None
    return sig_end + 1


def parse(data: bytes, name: str, *, rest: bytes | None = None) -> Envelope:
    """Split a bundle file into its parts and check their shape (not yet the signature).

    `rest`, when given, is the file after `data`, which then ends with the signature line: a
    file read in two (see `head_length`) hands its ciphertext to the decryption as it was
    read, without a 200 MB copy."""
    damaged = "bukan paket muba-desk yang utuh (terpotong atau rusak)."
    if not data.startswith(MAGIC):
        raise refuse(name, "bukan paket data muba-desk (tanda awal berkas tidak dikenal).")
    cut = head_length(data)
    if cut is None or (rest is not None and len(data) != cut):
        raise refuse(name, damaged)
    end = cut - 1 - 128 - 1  # the header line's newline
    header_bytes = data[len(MAGIC) : end]
    signature_hex = data[end + 1 : cut - 1]
    if not _SIGNATURE.match(signature_hex):
        raise refuse(name, damaged)
    header = _parse_header(header_bytes, name)
    # Its own bytes, or a view: not a copy of the 200 MB.
    ciphertext = rest if rest is not None else memoryview(data)[cut:]
    if len(ciphertext) != header["ciphertext_length"]:
        raise refuse(
            name,
            f"ukurannya tidak sesuai ({len(ciphertext)} bita isi, seharusnya "
            f"{header['ciphertext_length']}); berkas terpotong atau tersambung dengan data lain.",
        )
    # The file's hash on another thread meanwhile: hashlib lets go of the GIL.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="file-sha256") as pool:
        file_sha256 = pool.submit(_sha256_hex_of, (data, rest or b""))
        # Cheap and before any database is opened: damage shows here, forgery at the signature.
        if sha256_hex(ciphertext) != header["ciphertext_sha256"]:
            raise refuse(name, "isi berkas rusak (hash tidak cocok dengan kepala berkas).")
        envelope = Envelope(
            header=header,
            header_bytes=header_bytes,
            signature=bytes.fromhex(signature_hex.decode("ascii")),
            ciphertext=ciphertext,
            file_sha256=file_sha256.result(),
        )
    object.__setattr__(envelope, "ciphertext_checked", True)
    return envelope


def _parse_header(header_bytes: bytes, name: str) -> dict:
    bad = refuse(name, "kepala berkas rusak atau tidak dikenal.")
    try:
        header = jsonsafe.loads(header_bytes)
    except ValueError:  # UnicodeDecodeError and jsonsafe's refusals are ValueErrors
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
    members: dict[str, bytes]  # every member except the manifest, hash-checked (but see below)
    # Members `open_payload` was asked to leave for later (`defer`): in `members` as views into
    # the zip, not yet checked. Each function here checks its member as reading it would have
    # (CRC, then SHA-256 against the manifest) and raises the same BundleError.
    unverified: dict[str, Callable[[], None]] = field(default_factory=dict)
    # Members `open_payload` was asked to `stream`: not in `members`; each function gives the
    # member's lines as they inflate, checked as read (size, CRC, then SHA-256 at its end).
    streamed: dict[str, Callable[[], Iterator[bytes]]] = field(default_factory=dict)
    # What `records` may still hold parsed, in bytes, for all members together.
    caps: TextCaps = LAPTOP_CAPS
    room: list[int] = field(default_factory=list)

    def __post_init__(self):
        if not self.room:
            self.room.append(self.caps.parsed_bytes)

    def records(
        self,
        member: str,
        name: str,
        *,
        limit: int,
        reals: frozenset[str] | None = None,
        table: str | None = None,
    ) -> list[dict]:
        """The NDJSON member's lines, each a JSON object parsed with `jsonsafe`'s checks; no
        more than `limit` (what the manifest counts), refused at the first line past it. A
        float is taken only as a value of a row's column in `reals` (its REAL columns), when
        `reals` is given; everything refused names the member, the line and, when known, the
        row (`table` and its id)."""
        if type(limit) is not int:  # the manifest's count, not yet checked by every caller
            raise refuse(name, "jumlah data di manifest tidak sah.")
        if member in self.streamed:
            lines: Iterable[bytes] = self.streamed[member]()
        else:
            lines = bytes(self.members.get(member, b"")).split(b"\n")
        return _records(lines, member, name, limit, reals, table, self.room, self.caps)


def highest_rev(rows: dict[str, list[dict]]) -> str | None:
    """The highest rev of a bundle's checked records (table -> records), for the receiving
    Registry to `observe`; None when there are none."""
    return max((r["row"]["rev"] for records in rows.values() for r in records), default=None)


_ROW_ID = re.compile(r'(?<!\\)"id"\s*:\s*"([0-9A-Za-z._-]{1,64})"')


def _records(lines, member, name, limit, reals, table, room: list[int], caps) -> list[dict]:
    parser = jsonsafe.Parser(floats=reals is not None)
    parse = parser.parse
    out: list[dict] = []
    append = out.append
    number = 0
    for number, line in enumerate(lines, 1):  # noqa: B007  (the number names a bad line)
        if not line:
            continue
        if len(out) >= limit:
            raise refuse(
                name,
                _(
                    "berkas '{member}' di dalam paket memuat lebih dari {count} baris yang "
                    "dinyatakan manifest."
                ).format(member=member, count=limit),
            )
        floats = parser.floats
        try:
            value = parse(line.decode("utf-8"))
        except jsonsafe.UnsafeJSON as exc:
            raise _bad_line(name, member, number, line, table, exc.reason) from None
        except ValueError:  # UnicodeDecodeError included
            raise _damaged_line(name, member, number) from None
        if type(value) is not dict:
            raise _damaged_line(name, member, number)
        # An escaped lone surrogate parses, but no UTF-8 text (nor SQLite) can hold it. What
        # our exports write has no such escape (they write text as UTF-8), so only a line
        # with one is looked at.
        escaped = b"\\" in line and b"\\u" in line  # the first a memchr, the second not
        if escaped and (b"\\ud" in line or b"\\uD" in line) and not _encodable(value):
            reason = _("teks memuat karakter yang tidak sah (surrogate tunggal)")
            raise _bad_line(name, member, number, line, table, reason)
        if parser.floats != floats:
            _check_floats(value, parser.floats - floats, reals, name, member, number, table)
        size = _parsed_size(value, len(line), escaped or not line.isascii(), table is not None)
        if size is None:
            reason = _("susunan data baris ini tidak sah")
            raise _bad_line(name, member, number, line, table, reason)
        room[0] -= size
        if room[0] < 0:
            raise refuse(
                name,
                _(
                    "isi paket lebih dari {limit} MB setelah dibaca (sampai baris {line} berkas "
                    "'{member}'). Laporkan ke pengelola data."
                ).format(limit=caps.parsed_bytes // 2**20, line=number, member=member),
            )
        append(value)
    return out


_SCALARS = frozenset({type(None), str, int, float, bool})
_TEXT = frozenset({str})


def _parsed_size(value: dict, length: int, wide: bool, record: bool) -> int | None:
    """At least the bytes the parsed line (`length` bytes) takes; None when it is not of a
    bundle line's shape: a record is {"row": {column: scalar}, "ancestors": [text]}, any other line
    {key: scalar}. Checked line by line, so that no line of another shape (a million empty
    lists take 64 MB from a 3 MB line) is held before it is refused.

    Counted, not measured (sys.getsizeof of every value doubled the parse): each key and
    value at most PER_ITEM_BYTES beside its characters, each ancestor PER_TEXT_BYTES, and
    each character at most the byte it came from, or 4 bytes when `wide`, a line with any
    non-ASCII byte or a \\u escape (Python keeps a text with one character beyond U+FFFF at
    4 bytes a character)."""
    data = 4 * length if wide else length
    if not record:
        if not _SCALARS.issuperset(map(type, value.values())):
            return None
        return LINE_BYTES + PER_ITEM_BYTES * len(value) + data
    row, ancestors = value.get("row"), value.get("ancestors")
    if (
        len(value) != 2
        or type(row) is not dict
        or type(ancestors) is not list
        or not _SCALARS.issuperset(map(type, row.values()))
        or not _TEXT.issuperset(map(type, ancestors))
    ):
        return None
    return 2 * LINE_BYTES + PER_ITEM_BYTES * len(row) + PER_TEXT_BYTES * len(ancestors) + data


# Upper bounds, from sys.getsizeof on CPython 3.11 (64-bit): a dict and its keys' objects (a
# dict slot is 24 to 72 bytes as it grows, a text object 49 bytes before its characters, an
# integer 28 to 36, a float 24); a list slot (8, and a quarter more while it grows) and a text.
LINE_BYTES = 400
PER_ITEM_BYTES = 72 + 49 + 49
PER_TEXT_BYTES = 10 + 49


def _encodable(value) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _damaged_line(name: str, member: str, number: int) -> BundleError:
    return refuse(
        name,
        _("berkas '{member}' di dalam paket rusak (baris {line}).").format(
            member=member, line=number
        ),
    )


def _bad_line(name, member, number, line: bytes, table, reason: str, row_id=None) -> BundleError:
    if row_id is None and table is not None:
        found = _ROW_ID.search(line.decode("utf-8", "replace"))
        row_id = found.group(1) if found else None
    row = (
        _(" (data {table} {id})").format(table=table, id=row_id)
        if table is not None and row_id is not None
        else ""
    )
    return refuse(
        name,
        _(
            "berkas '{member}' baris {line}{row}: {reason}; paket ini tidak diimpor. "
            "Laporkan ke pengelola data."
        ).format(member=member, line=number, row=row, reason=reason),
    )


def _check_floats(value: dict, count: int, reals, name, member, number, table) -> None:
    """A line had `count` floats: all must be values of the row's REAL columns."""
    row = value.get("row")
    if type(row) is dict:
        placed = [(c, v) for c, v in row.items() if type(v) is float]
        wrong = [(c, v) for c, v in placed if c not in reals]
        if not wrong and len(placed) == count:
            return
        column, number_value = wrong[0] if wrong else ("?", "?")
        row_id = row.get("id") if isinstance(row.get("id"), str) else None
    else:
        column, number_value, row_id = "?", "?", None
    reason = _("angka pecahan {value} pada kolom {column}, yang tidak menerima angka pecahan")
    raise _bad_line(
        name,
        member,
        number,
        b"",
        table,
        reason.format(value=number_value, column=column),
        row_id=row_id,
    )


def _stream_lines(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, listed: dict, name: str, budget: list[int]
) -> Iterator[bytes]:
    """The member's lines as it inflates, never more than its declared size, none longer than
    MAX_LINE_BYTES, and no more than `budget[0]` lines (shared by the members of a payload)."""
    declared, digest, size, rest = listed["size"], hashlib.sha256(), 0, b""
    damaged = refuse(name, f"berkas '{info.filename}' di dalam paket rusak.")
    try:
        with zf.open(info) as stream:
            while True:
                chunk = stream.read(min(1024 * 1024, declared + 1 - size))
                if not chunk:
                    break
                size += len(chunk)
                if size > declared:
                    break
                digest.update(chunk)
                lines = (rest + chunk).split(b"\n") if rest else chunk.split(b"\n")
                rest = lines.pop()
                if len(rest) > MAX_LINE_BYTES or max(map(len, lines), default=0) > MAX_LINE_BYTES:
                    raise refuse(
                        name,
                        _(
                            "berkas '{member}' di dalam paket memuat baris lebih dari {limit} MB."
                        ).format(member=info.filename, limit=MAX_LINE_BYTES // 2**20),
                    )
                budget[0] -= len(lines)
                if budget[0] < 0:
                    raise refuse(
                        name,
                        _("isi paket memuat lebih dari {limit} baris data.").format(
                            limit=budget[1]
                        ),
                    )
                yield from lines
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error):
        raise damaged from None
    if rest:
        yield rest
    if size != declared:
        raise refuse(
            name, f"berkas '{info.filename}' di dalam paket tidak sesuai ukuran yang dinyatakan."
        )
    if digest.hexdigest() != listed["sha256"]:
        raise refuse(name, f"berkas '{info.filename}' di dalam paket tidak cocok dengan hash-nya.")


def open_payload(
    data: bytes,
    name: str,
    allowed: re.Pattern = _MEMBER,
    on_member: Callable[[str, bytes, Callable[[], None] | None], object] | None = None,
    defer: Callable[[str], bool] | None = None,
    stream: Callable[[str], bool] | None = None,
    caps: TextCaps = LAPTOP_CAPS,
) -> Payload:
    """Read the zip by allow-listed names with size caps; never extracts to disk.

    `on_member(name, data, verify)` is called with each member once its size and hash are
    checked (`verify` is None), so a caller can start slow checks of its own (photo decoding)
    while the rest is read. Members for which `defer(name)` is true and that are stored
    plainly are not copied or checked here: `data` is a view into the zip and `verify` the
    check still to make (also in `Payload.unverified`), which the caller must run, on another
    thread if it likes, before trusting them. Members for which `stream(name)` is true are
    not read here at all: `Payload.records` parses them line by line as they inflate, so
    neither the inflated member nor its text is ever held whole.
    """
    damaged = refuse(name, "isi paket (zip) rusak.")
    view = memoryview(data)
    try:
        zf = zipfile.ZipFile(_ViewFile(view))
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
    # With members to stream, the zip stays open for `Payload.records` (it holds no file of
    # the system: it reads the view).
    with zf if stream is None else contextlib.nullcontext():
        _check_listing(infos, name, allowed, caps)
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
        members: dict[str, bytes] = {}
        unverified: dict[str, Callable[[], None]] = {}
        streamed: dict[str, Callable[[], Iterator[bytes]]] = {}
        budget = [caps.lines, caps.lines]  # left, and the cap
        for member in sorted(present):
            info = by_name[member]
            same_size = listed[member]["size"] == info.file_size
            if stream is not None and stream(member):
                if not same_size:
                    raise refuse(name, f"ukuran berkas '{member}' tidak sesuai manifest.")
                streamed[member] = functools.partial(
                    _stream_lines, zf, info, listed[member], name, budget
                )
                continue
            span = _stored_span(view, info) if same_size else None
            if span is None:
                members[member] = _read_member(zf, info, listed[member], name)
            elif defer is not None and defer(member):
                members[member] = span  # type: ignore[assignment]  # a view, checked later
                unverified[member] = functools.partial(
                    _verify_span, span, info, listed[member], name
                )
            else:
                _verify_span(span, info, listed[member], name)
                members[member] = bytes(span)
            if on_member is not None:
                on_member(member, members[member], unverified.get(member))
    return Payload(
        manifest=manifest, members=members, unverified=unverified, streamed=streamed, caps=caps
    )


def _check_listing(
    infos: list[zipfile.ZipInfo], name: str, allowed: re.Pattern, caps: TextCaps = LAPTOP_CAPS
) -> None:
    if len(infos) > MAX_MEMBERS:
        raise refuse(name, f"isi paket memuat terlalu banyak berkas ({len(infos)}).")
    seen: set[str] = set()
    total = text = 0
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
        if info.file_size > _cap(member, caps):
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
        text += info.file_size if member.endswith(".ndjson") else 0
    if total > MAX_TOTAL_BYTES:
        raise refuse(name, "isi paket terlalu besar setelah dibuka.")
    if text > caps.rows_bytes:
        raise refuse(
            name,
            _(
                "isi paket memuat {size} MB data baris, lebih dari batas {limit} MB sebuah "
                "paket. Laporkan ke pengelola data."
            ).format(size=text // 2**20, limit=caps.rows_bytes // 2**20),
        )


def _cap(member: str, caps: TextCaps) -> int:
    if member.startswith("rows/") or member.endswith(".ndjson"):
        return caps.rows_bytes
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
    return _checked(b"".join(chunks), info, listed, name)


def _checked(data: bytes, info: zipfile.ZipInfo, listed: dict | None, name: str) -> bytes:
    declared = info.file_size if listed is None else listed["size"]
    if len(data) != declared:
        raise refuse(
            name, f"berkas '{info.filename}' di dalam paket tidak sesuai ukuran yang dinyatakan."
        )
    if listed is not None and sha256_hex(data) != listed["sha256"]:
        raise refuse(name, f"berkas '{info.filename}' di dalam paket tidak cocok dengan hash-nya.")
    return data


class _ViewFile(io.RawIOBase):
    """A read-only file over a buffer without copying it (io.BytesIO copies a bytearray)."""

    def __init__(self, view: memoryview):
        super().__init__()
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        # As io.BytesIO: a negative absolute position is an error, a relative one stops at 0.
        if whence == io.SEEK_SET and offset < 0:
            raise ValueError(f"negative seek value {offset}")
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._pos + size
        data = bytes(self._view[self._pos : end])
        self._pos += len(data)
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


_LOCAL_HEADER = struct.Struct(zipfile.structFileHeader)


def _stored_span(view: memoryview, info: zipfile.ZipInfo) -> memoryview | None:
    """A stored member's bytes as a view straight into the zip (a photo: no stream, no
    chunks, no copy), when zipfile itself would read exactly these bytes; else None, and the
    member is read through zipfile, whose verdict stands. The CRC is left to `_verify_span`."""
    if (
        info.compress_type != zipfile.ZIP_STORED
        or info.compress_size != info.file_size
        or info.flag_bits & 0x61  # encrypted, patched, strong encryption
    ):
        return None
    offset = info.header_offset
    raw = view[offset : offset + _LOCAL_HEADER.size]
    if len(raw) != _LOCAL_HEADER.size:
        return None
    fields = _LOCAL_HEADER.unpack(raw)
    if fields[0] != zipfile.stringFileHeader:
        return None
    name_length, extra_length = fields[10], fields[11]
    start = offset + _LOCAL_HEADER.size
    try:
        if view[start : start + name_length] != info.orig_filename.encode("ascii"):
            return None
    except UnicodeEncodeError:
        return None
    start += name_length + extra_length
    span = view[start : start + info.file_size]
    return span if len(span) == info.file_size else None


def _verify_span(span: memoryview, info: zipfile.ZipInfo, listed: dict, name: str) -> None:
    """What reading `span` through zipfile, then `_checked`, would have refused."""
    if zlib.crc32(span) != info.CRC:  # zipfile's "Bad CRC-32", as `_read_member` words it
        raise refuse(name, f"berkas '{info.filename}' di dalam paket rusak.")
    if sha256_hex(span) != listed["sha256"]:
        raise refuse(name, f"berkas '{info.filename}' di dalam paket tidak cocok dengan hash-nya.")


def _parse_manifest(data: bytes, name: str, allowed: re.Pattern) -> dict:
    bad = refuse(name, "manifest.json di dalam paket rusak.")
    try:
        manifest = jsonsafe.loads(data)
    except jsonsafe.UnsafeJSON as exc:
        raise refuse(
            name, _("manifest.json di dalam paket rusak: {reason}.").format(reason=exc.reason)
        ) from None
    except ValueError:
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
