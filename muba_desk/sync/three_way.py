"""Three-way merge of a row edited at the office and on a laptop since one common version.

The common version (the base) is the row at the newest of the incoming row's ancestors that
the office knows; its values come from an audit log (the office's own, or a laptop's entries
imported here), which holds every version as written. Against the base each field is
unchanged, changed on one side, or changed on both: only the last needs a clerk.
"""

from __future__ import annotations

import json

# Bookkeeping no one chooses between (the Registry stamps it on every write).
BOOKKEEPING = frozenset(
    {"id", "rev", "base_rev", "created_at", "created_by", "updated_at", "updated_by", "pk"}
)
# Changes that are never merged silently: a deletion, a merge of people, or a status move (its
# history rows travel separately, and decisions are the office's) is the clerk's call.
NEVER_AUTOMATIC = frozenset({"deleted_at", "merged_into", "status", "decision_reason"})

OFFICE_SIDE = "kantor"
LAPTOP_SIDE = "laptop"
BOTH_SIDES = "keduanya"


def base_of(conn, table: str, row_id: str, ancestors: list[str]) -> dict | None:
    """The row at the newest of `ancestors` that the office held (its change log names it)
    and an audit log here holds; None when the office never saw any of them."""
    held = {
        rev
        for (rev,) in conn.execute(
            "SELECT rev FROM change_log WHERE table_name = ? AND row_id = ?", (table, row_id)
        )
    }
    # A rev starts with its clock ({ms:13}.{counter:4}): newer sorts higher.
    for rev in sorted((r for r in ancestors if r in held), key=lambda r: r[:18], reverse=True):
        for log in ("audit", "audit_import"):
            found = conn.execute(
                f"SELECT after FROM {log} WHERE table_name = ? AND row_id = ? "
                "AND after IS NOT NULL AND json_extract(after, '$.rev') = ? LIMIT 1",
                (table, row_id, rev),
            ).fetchone()
            if found is not None:
                return json.loads(found[0])
    return None


def changed_by(base: dict | None, office: dict, laptop: dict, column: str) -> str | None:
    """Which side changed `column` since the base (None: neither, or no base to tell)."""
    if base is None:
        return None
    was = base.get(column)
    office_changed = office.get(column) != was
    laptop_changed = laptop.get(column) != was
    if office_changed and laptop_changed:
        return BOTH_SIDES if office.get(column) != laptop.get(column) else OFFICE_SIDE
    if laptop_changed:
        return LAPTOP_SIDE
    return OFFICE_SIDE if office_changed else None


def merged_without_clerk(
    base: dict | None, office: dict, laptop: dict, skip: frozenset = frozenset()
) -> dict | None:
    """The laptop's one-sided changes to apply on top of the office's row, when no field was
    changed differently on both sides; None when a clerk must look (no base, a field changed
    on both sides, a deletion or merge on either side)."""
    if base is None:
        return None
    taken = {}
    for column in sorted(office.keys() | laptop.keys()):
        if column in BOOKKEEPING or column in skip:
            continue
        side = changed_by(base, office, laptop, column)
        if side is None or side == OFFICE_SIDE:
            continue
        if side == BOTH_SIDES or column in NEVER_AUTOMATIC:
            return None
        taken[column] = laptop.get(column)
    if office.get("deleted_at") is not None or office.get("merged_into") is not None:
        return None
    return taken
