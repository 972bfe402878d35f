"""The append-only, hash-chained audit log: each device's entries form one chain.

A chain per device (not one per file) lets the office hold every laptop's entries as they were
written and still verify each chain end to end after merging.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from json.encoder import encode_basestring

GENESIS = "0" * 64

# One encoder for every call: `json.dumps` with these options builds a new JSONEncoder each time.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)

# The hashed fields of an entry, in the order the hash covers them.
FIELDS = (
    "seq",
    "at",
    "device_id",
    "operator_id",
    "action",
    "table_name",
    "row_id",
    "before",
    "after",
)

INSERT = (
    "INSERT INTO audit (seq, at, device_id, operator_id, action, table_name, row_id, "
    "before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)

# How `canonical` writes the values an entry's fields hold (text, an integer seq, NULL): the
# same bytes, without the encoder's generic machinery. Any other type takes the generic path.
_FAST_JSON = {str: encode_basestring, int: int.__repr__, type(None): lambda _value: "null"}


def canonical(value) -> str:
    return _CANONICAL.encode(value)


def fields_hash(prev_hash: str, fields) -> str:
    """The hash of an entry given its FIELDS values in order: `entry_hash` without a dict."""
    try:
        body = "[" + ",".join([_FAST_JSON[type(value)](value) for value in fields]) + "]"
    except KeyError:
        body = canonical(list(fields))
    return hashlib.sha256((prev_hash + "\n" + body).encode("utf-8")).hexdigest()


def entry_hash(prev_hash: str, entry: dict) -> str:
    """SHA-256 of the previous hash, a newline and the canonical JSON list of the FIELDS."""
    return fields_hash(prev_hash, [entry[name] for name in FIELDS])


def chain_head(conn, device_id: str) -> str:
    row = conn.execute(
        "SELECT hash FROM audit WHERE device_id = ? ORDER BY seq DESC LIMIT 1", (device_id,)
    ).fetchone()
    return row[0] if row else GENESIS


def next_seq(conn) -> int:
    """The seq the next entry of this file gets. Read it under the write lock (inside a
    `BEGIN IMMEDIATE` transaction): then no other connection can append before this one's
    entries are written."""
    return conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM audit").fetchone()[0]


def append(conn, *, prev_hash: str, entry: dict, seq: int | None = None) -> str:
    """Write one entry after `prev_hash`; returns its hash (the caller keeps the head).

    `seq` is the entry's number when the caller keeps count (see `next_seq`); by default the
    next one after the file's last entry."""
    if not conn.in_transaction:
        raise RuntimeError("audit entries are written only inside the change's transaction")
    if seq is None:
        seq = next_seq(conn)
    values = [seq, *(entry[name] for name in FIELDS[1:])]
    digest = fields_hash(prev_hash, values)
    conn.execute(INSERT, (*values, prev_hash, digest))
    return digest


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    device_id: str
    message: str


def verify_chain(conn) -> list[ChainProblem]:
    """Recompute every entry's hash and link; each problem names the audit row (`seq`)."""
    problems: list[ChainProblem] = []
    heads: dict[str, str] = {}
    cursor = conn.execute(
        "SELECT seq, at, device_id, operator_id, action, table_name, row_id, before, after, "
        "prev_hash, hash FROM audit ORDER BY seq"
    )
    for values in cursor:
        seq, device, prev_hash, digest = values[0], values[2], values[9], values[10]
        expected_prev = heads.get(device, GENESIS)
        if prev_hash != expected_prev:
            problems.append(
                ChainProblem(
                    seq,
                    device,
                    f"Baris audit {seq}: sambungannya ke entri sebelumnya dari perangkat "
                    f"{device} putus (ada entri yang dihapus, disisipkan, atau ditukar).",
                )
            )
        elif fields_hash(prev_hash, values[:9]) != digest:
            problems.append(
                ChainProblem(
                    seq,
                    device,
                    f"Baris audit {seq}: isinya tidak cocok dengan hash-nya "
                    "(baris ini diubah setelah ditulis).",
                )
            )
        heads[device] = digest
    return problems
