"""The laptop's outbox: changes not yet in a bundle, and the bundles written, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from muba_desk.sync.export import pending_changes


@dataclass(frozen=True)
class Outbox:
    pending: int
    bundles: list[tuple]
    """(sequence, file name, created, written, acknowledged, counts) newest first."""


def outbox(db) -> Outbox:
    bundles = db.conn.execute(
        "SELECT sequence, file_name, created_at, written_at, acknowledged_at, counts "
        "FROM bundle_out ORDER BY sequence DESC LIMIT 50"
    ).fetchall()
    return Outbox(pending_changes(db), bundles)
