"""The append-only, hash-chained audit log: each device's entries form one chain.

A chain per device (not one per file) lets the office hold every laptop's entries as they were
written and still verify each chain end to end after merging.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, entry: dict) -> str:
    fields = [
        entry["seq"],
        entry["at"],
        entry["device_id"],
        entry["operator_id"],
        entry["action"],
        entry["table_name"],
        entry["row_id"],
        entry["before"],
        entry["after"],
    ]
    return hashlib.sha256((prev_hash + "\n" + canonical(fields)).encode("utf-8")).hexdigest()


def chain_head(conn, device_id: str) -> str:
    row = conn.execute(
        "SELECT hash FROM audit WHERE device_id = ? ORDER BY seq DESC LIMIT 1", (device_id,)
    ).fetchone()
    return row[0] if row else GENESIS


def append(conn, *, prev_hash: str, entry: dict) -> str:
    """Write one entry after `prev_hash`; returns its hash (the caller keeps the head)."""
    if not conn.in_transaction:
        raise RuntimeError("audit entries are written only inside the change's transaction")
    seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM audit").fetchone()[0]
    entry = {**entry, "seq": seq}
    digest = entry_hash(prev_hash, entry)
    conn.execute(
        "INSERT INTO audit (seq, at, device_id, operator_id, action, table_name, row_id, "
        "before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            seq,
            entry["at"],
            entry["device_id"],
            entry["operator_id"],
            entry["action"],
            entry["table_name"],
            entry["row_id"],
            entry["before"],
            entry["after"],
            prev_hash,
            digest,
        ),
    )
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
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        entry = dict(zip(columns, values, strict=True))
        device = entry["device_id"]
        expected_prev = heads.get(device, GENESIS)
        if entry["prev_hash"] != expected_prev:
            problems.append(
                ChainProblem(
                    entry["seq"],
                    device,
                    f"Baris audit {entry['seq']}: sambungannya ke entri sebelumnya dari perangkat "
                    f"{device} putus (ada entri yang dihapus, disisipkan, atau ditukar).",
                )
            )
        elif entry_hash(entry["prev_hash"], entry) != entry["hash"]:
            problems.append(
                ChainProblem(
                    entry["seq"],
                    device,
                    f"Baris audit {entry['seq']}: isinya tidak cocok dengan hash-nya "
                    "(baris ini diubah setelah ditulis).",
                )
            )
        heads[device] = entry["hash"]
    return problems
