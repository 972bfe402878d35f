"""Drafts: what open forms hold, saved as JSON so a crash or a power cut loses no typing."""

from __future__ import annotations

import json
from dataclasses import dataclass

from muba_desk.store.registry import now_iso


@dataclass(frozen=True)
class Draft:
    id: str
    kind: str  # "household" or "person"
    title: str
    state: dict
    operator_id: str | None
    updated_at: str


def save_draft(
    db, draft_id: str, *, kind: str, title: str, state: dict, operator_id: str | None = None
) -> None:
    """Insert or replace one draft; a single statement, so it commits on its own."""
    at = now_iso()
    db.conn.execute(
        "INSERT INTO draft (id, kind, title, state, operator_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
        "title = excluded.title, state = excluded.state, operator_id = excluded.operator_id, "
        "updated_at = excluded.updated_at",
        (draft_id, kind, title, json.dumps(state, ensure_ascii=False), operator_id, at, at),
    )


def delete_draft(db, draft_id: str) -> None:
    db.conn.execute("DELETE FROM draft WHERE id = ?", (draft_id,))


def list_drafts(db) -> list[Draft]:
    """Every draft, the most recently typed first."""
    rows = db.conn.execute(
        "SELECT id, kind, title, state, operator_id, updated_at FROM draft "
        "ORDER BY updated_at DESC, rowid DESC"
    )
    return [
        Draft(
            id=r[0],
            kind=r[1],
            title=r[2],
            state=json.loads(r[3]),
            operator_id=r[4],
            updated_at=r[5],
        )
        for r in rows
    ]
