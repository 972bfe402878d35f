"""The process that gets killed: `python -m tests.faults.child KIND WORKDIR SEED`.

It prints "ready" once set up, then one line per committed change (after the commit, before
the next change starts), so the parent knows exactly what must survive the kill.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _unlock(*paths: Path) -> None:
    from muba_desk.store import keys

    key = os.environ.get("MUBA_FAULT_KEY")
    if key:
        for path in paths:
            keys.remember(path, bytes.fromhex(key))


def save(work: Path, rng: random.Random) -> None:
    """Registrations, one household with two people per transaction, forever."""
    from muba_desk.store.db import connect
    from muba_desk.store.records import add_household, add_person
    from muba_desk.store.registry import Registry
    from tests.spelled import letters

    path = work / "registry.db"
    _unlock(path)
    db = connect(path)
    reg = Registry(db, operator_id="op-fault")
    say("ready")
    n = rng.randrange(10**9)
    while True:
        n += 1
        with reg.transaction():
            kk = f"160601010120{n % 9999 + 1:04d}"
            household = add_household(reg, village_code="16.06.01.1009", kk_number=kk)
            for i, relation in enumerate(("kepala", "anak")):
                add_person(
                    reg,
                    name=f"Warga Uji {letters(n)} {letters(i)}",
                    sex="LP"[i],
                    nik=f"160601010180{(n * 2 + i) % 9999 + 1:04d}",  # born 1 January 1980
                    household_id=household["id"],
                    relation=relation,
                    birth_date="1980-01-01",
                )
        say(household["id"])


def export(work: Path, rng: random.Random) -> None:
    """Add a few people, export a bundle; again and again."""
    from muba_desk.store.db import connect
    from muba_desk.store.records import add_household, add_person
    from muba_desk.store.registry import Registry
    from muba_desk.sync.export import export_bundle
    from tests.spelled import letters

    path = work / "L07.db"
    _unlock(path)
    say("ready")
    n = rng.randrange(10**6) * 1000
    while True:
        db = connect(path)
        try:
            reg = Registry(db, operator_id="op-fault")
            with reg.transaction():
                household = add_household(reg, village_code="16.06.01.1009")
                for _ in range(20):
                    n += 1
                    add_person(
                        reg,
                        name=f"Ekspor {letters(n)}",
                        sex="P",
                        household_id=household["id"],
                        relation="anak",
                        birth_date="1990-01-01",
                        no_nik_reason="belum punya NIK",
                    )
        finally:
            db.close()
        say(f"saved {household['id']}")
        bundle = export_bundle(path, work / "stick")
        say(f"bundle {bundle.name}")


def import_(work: Path, rng: random.Random) -> None:
    """The office imports the bundles on the stick, in order."""
    from muba_desk.store.db import connect
    from muba_desk.sync import keys
    from muba_desk.sync.importer import import_bundle

    office_db = work / "office.db"
    _unlock(office_db)
    db = connect(office_db)
    office = keys.unlock_office(db, os.environ["MUBA_FAULT_OFFICE_PASSPHRASE"])
    db.close()
    say("ready")
    for bundle in sorted((work / "stick").glob("*.mubabundle")):
        report = import_bundle(office_db, bundle, office=office)
        say(f"imported {report.sequence} {report.status}")
    say("done")


def migrate(work: Path, rng: random.Random) -> None:
    """Open a registry of an older version: the pending migrations run."""
    from muba_desk.store.db import connect

    path = work / "old.db"
    _unlock(path)
    say("ready")
    connect(path).close()
    say("done")


KINDS = {"save": save, "export": export, "import": import_, "migrate": migrate}


if __name__ == "__main__":
    kind, work, seed = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    KINDS[kind](work, random.Random(seed))
