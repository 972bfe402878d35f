"""A new office: its identity, its settings and its first supervisor, in one step.

The one function both doors call: the window's "Ini kantor" (gui/office/setup.py) and
`muba-desk office init` (sync/commands.py), so an office made either way holds the same
settings (`mode`, `device_name`), is encrypted the same way, and can be signed into at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from muba_desk.office.registry_query import OFFICE_NAME
from muba_desk.store import keys, operators
from muba_desk.store.db import connect
from muba_desk.sync.keys import OfficeKeys, OfficePublic, create_office, unlock_office


@dataclass(frozen=True)
class NewOffice:
    public: OfficePublic
    supervisor: operators.Operator | None
    encrypted: bool
    """The file was new and is now encrypted (its key wrapped by the office passphrase and
    the supervisor's password)."""
    keys: OfficeKeys | None = None
    """The office keys, unlocked, when asked for (the window keeps them for the session)."""


def found_office(
    path: Path,
    passphrase: str,
    supervisor: dict | None,
    *,
    unlock: bool = False,
    rehearsal: bool = False,
) -> NewOffice:
    """Make the office at `path` with `supervisor` (create_operator's fields) as its first
    operator. A new file is encrypted when encryption is on; if the identity cannot be made,
    the new key file is taken back so nothing half-made is left."""
    path = Path(path)
    encrypted = keys.encryption_enabled() and not path.exists() and not keys.is_encrypted(path)
    if encrypted:
        slots = (
            {operators.normalise_username(supervisor["username"]): supervisor["password"]}
            if supervisor
            else None
        )
        keys.create_key_file(path, operators=slots, recovery_passphrase=passphrase)
    try:
        public = create_office(path, passphrase, name=OFFICE_NAME, rehearsal=rehearsal)
    except BaseException:
        if encrypted:
            keys.forget(path)
            if not path.exists():
                keys.key_file_of(path).unlink(missing_ok=True)
        raise
    db = connect(path)
    try:
        made = operators.create_operator(db, **supervisor) if supervisor else None
        unlocked = unlock_office(db, passphrase) if unlock else None
    finally:
        db.close()
    return NewOffice(public, made, encrypted, unlocked)
