"""Which kind of registry a database is: the office's, a laptop's, or neither.

Asked by the office and sync plug-ins every time a registry opens, so it stays light: the
settings are read by name, without importing `sync.keys` (cryptography, pyrage, signing).
"""

from __future__ import annotations

OFFICE, LAPTOP = "office", "laptop"

# The settings `muba_desk.sync.keys` writes (OFFICE_SECRET, LAPTOP_AGE_IDENTITY); a test checks
# that the names agree.
OFFICE_SECRET = "sync_office_secret"
LAPTOP_AGE_IDENTITY = "sync_age_identity"


def registry_kind(db) -> str | None:
    """ "office" for a database with the office identity, "laptop" for a (provisioned or set
    up) laptop, None for anything else (the demo village, an old file)."""
    rows = db.conn.execute(
        "SELECT key, value FROM setting WHERE key IN (?, ?, 'mode')",
        (OFFICE_SECRET, LAPTOP_AGE_IDENTITY),
    ).fetchall()
    settings = dict(rows)
    if settings.get(OFFICE_SECRET) is not None:
        return OFFICE
    if settings.get(LAPTOP_AGE_IDENTITY) is not None or settings.get("mode") == "laptop":
        return LAPTOP
    return None
