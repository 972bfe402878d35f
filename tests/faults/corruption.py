"""Damaged bundles: bit flips, cuts, insertions, deletions and overwritten runs of a real
bundle, each imported into an office; every one must be refused (BundleError) and change
nothing. An accepted damaged bundle is a silent acceptance; any other exception a crash."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from tests.faults.campaign import OFFICE_PASSPHRASE, Tally, _copy_db, build_templates


def _mutate(data: bytes, rng: random.Random) -> tuple[str, bytes]:
    kind = rng.choice(("flip", "cut", "insert", "delete", "overwrite", "swap"))
    i = rng.randrange(len(data))
    if kind == "flip":
        out = bytearray(data)
        out[i] ^= 1 << rng.randrange(8)
        return kind, bytes(out)
    if kind == "cut":
        return kind, data[:i]
    if kind == "insert":
        return kind, data[:i] + bytes([rng.randrange(256)]) * rng.randint(1, 16) + data[i:]
    if kind == "delete":
        return kind, data[:i] + data[i + rng.randint(1, 16) :]
    if kind == "overwrite":
        n = rng.randint(1, 64)
        return kind, data[:i] + rng.randbytes(n) + data[i + n :]
    j = rng.randrange(len(data))
    a, b = sorted((i, j))
    return kind, data[:a] + data[b:] + data[a:b]


def corrupt_bundles(count: int, *, seed: int = 1, templates: Path | None = None) -> Tally:
    from muba_desk.store.db import connect, content_digest
    from muba_desk.sync import keys
    from muba_desk.sync.bundle import BundleError
    from muba_desk.sync.importer import import_bundle

    root = Path(tempfile.mkdtemp(prefix="muba-corrupt-"))
    try:
        templates = templates or build_templates(root)
        office_db = _copy_db(templates / "office.db", root / "office.db")
        db = connect(office_db)
        office = keys.unlock_office(db, OFFICE_PASSPHRASE)
        before = content_digest(db.conn)
        db.close()
        original = sorted((templates / "import-stick").glob("*.mubabundle"))[0]
        data = original.read_bytes()
        rng = random.Random(seed)
        tally = Tally()
        damaged = root / original.name
        for n in range(count):
            kind, mutated = _mutate(data, rng)
            if mutated == data:
                continue
            tally.tried += 1
            damaged.write_bytes(mutated)
            try:
                import_bundle(office_db, damaged, office=office)
            except BundleError:
                tally.survived += 1
            except Exception as exc:  # noqa: BLE001 - counted: the reader must only refuse
                tally.problems.append(f"{kind} at {n}: {type(exc).__name__}: {exc}")
                tally.half += 1
            else:
                tally.silent += 1
                tally.problems.append(f"{kind} at {n}: a damaged bundle was accepted")
                office_db = _copy_db(templates / "office.db", root / f"office-{n}.db")
            if n % 50 == 0 or n == count - 1:
                db = connect(office_db)
                changed = content_digest(db.conn) != before
                db.close()
                if changed:
                    tally.lost += 1
                    tally.problems.append(f"the office changed after a refused bundle ({n})")
                    office_db = _copy_db(templates / "office.db", root / f"office-{n}.db")
        return tally
    finally:
        shutil.rmtree(root, ignore_errors=True)
