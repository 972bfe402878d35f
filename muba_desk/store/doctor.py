"""Health checks of a database file: SQLite integrity, foreign keys, the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from muba_desk.store.audit import verify_chain

REQUIRED_TRIGGERS = ("audit_no_update", "audit_no_delete")


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str


def check(db) -> list[Problem]:
    """Every problem found, each an Indonesian sentence; an empty list means healthy."""
    conn = db.conn
    problems: list[Problem] = []
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems += [
            Problem("integrity", f"Struktur berkas rusak: {line}") for line in integrity[:20]
        ]
        # A damaged file cannot be trusted for the checks below.
        return problems
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check"):
        problems.append(
            Problem(
                "foreign_key",
                f"Tabel {table} baris {rowid} menunjuk ke {parent} yang tidak ada.",
            )
        )
    present = {
        row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    for trigger in REQUIRED_TRIGGERS:
        if trigger not in present:
            problems.append(
                Problem(
                    "audit",
                    f"Pelindung log audit '{trigger}' hilang: log audit bisa diubah tanpa jejak.",
                )
            )
    problems += [Problem("audit", p.message) for p in verify_chain(conn)]
    return problems
