"""The kill campaign: templates, the kills, the checks after each, and the table of figures.

After each SIGKILL the files are checked twice: by the app's own start-up check
(`muba_desk.safety.check_at_start`, the bundle reader) and by an independent deeper check here
(every committed change present, every household whole, bundles complete). A change the child
reported as committed and then missing is **data lost**; a change partly there is
**half-applied**; a damaged state the app's own checks passed is a **silent acceptance**.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = bytes(range(32))  # the test databases' key (every template is encrypted)
OFFICE_PASSPHRASE = "kantor-rahasia"
SETUP_PASSPHRASE = "kode-penyiapan"
VILLAGE = "16.06.01.1009"
IMPORT_BUNDLES, PEOPLE_PER_BUNDLE = 3, 30
KINDS = ("save", "export", "import", "migrate")


@dataclass
class Tally:
    tried: int = 0  # kills (a child that finished before its kill point is not counted)
    finished: int = 0
    survived: int = 0
    lost: int = 0
    half: int = 0
    silent: int = 0
    problems: list[str] = field(default_factory=list)


# -- templates -----------------------------------------------------------------------------------
def _encrypt(path: Path) -> None:
    from muba_desk.store import keys
    from muba_desk.store.db import encrypt_plain_database

    keys.create_key_file(path, recovery_passphrase=OFFICE_PASSPHRASE, key=KEY)
    encrypt_plain_database(path, KEY)


def _remember(*paths: Path) -> None:
    from muba_desk.store import keys

    for path in paths:
        keys.remember(path, KEY)


def build_templates(root: Path) -> Path:
    """registry.db, L07.db + office.db, a stick of bundles, an old-version database; all
    encrypted with KEY."""
    from muba_desk.store import keys as db_keys
    from muba_desk.store.db import connect
    from muba_desk.store.records import add_household, add_person
    from muba_desk.store.registry import Registry
    from muba_desk.store.schema import MIGRATIONS
    from muba_desk.sync import keys
    from muba_desk.sync.export import export_bundle
    from tests.spelled import letters

    keys.SCRYPT_LOG_N = 10
    db_keys.SCRYPT_LOG_N = 10
    t = root / "templates"
    t.mkdir(parents=True)
    db_keys.create_key_file(t / "registry.db", recovery_passphrase=OFFICE_PASSPHRASE, key=KEY)
    connect(t / "registry.db").close()

    office_db, laptop_db = t / "office.db", t / "L07.db"
    keys.create_office(office_db, OFFICE_PASSPHRASE)
    db = connect(office_db)
    office = keys.unlock_office(db, OFFICE_PASSPHRASE)
    db.close()
    keys.register_laptop(
        office_db,
        office,
        name="Laptop L07",
        code="L07",
        district_code="16.06.01",
        villages=[VILLAGE],
        out_path=t / "L07.provision",
        setup_passphrase=SETUP_PASSPHRASE,
    )
    keys.apply_provisioning(laptop_db, t / "L07.provision", SETUP_PASSPHRASE)
    _encrypt(office_db)
    _encrypt(laptop_db)

    # The import stick: bundles exported from a copy of the laptop.
    side = root / "side"
    side.mkdir()
    side_laptop = _copy_db(laptop_db, side / "L07.db")
    stick = t / "import-stick"
    stick.mkdir()
    for b in range(IMPORT_BUNDLES):
        db = connect(side_laptop)
        reg = Registry(db, operator_id="op-fault")
        with reg.transaction():
            household = add_household(reg, village_code=VILLAGE)
            for i in range(PEOPLE_PER_BUNDLE):
                add_person(
                    reg,
                    name=f"Impor {letters(b)} {letters(i)}",
                    sex="L",
                    household_id=household["id"],
                    relation="anak",
                    birth_date="1985-01-01",
                    no_nik_reason="belum punya NIK",
                )
        db.close()
        export_bundle(side_laptop, stick)

    # An older version's database with people in it: everything up to m005 pending.
    old = t / "old.db"
    db_keys.create_key_file(old, recovery_passphrase=OFFICE_PASSPHRASE, key=KEY)
    db = connect(old, migrate=False)
    MIGRATIONS.apply(db, stop_before="m005_office")
    reg = Registry(db, operator_id="op-fault")
    with reg.transaction():
        household = add_household(reg, village_code=VILLAGE)
        for i in range(200):
            add_person(
                reg,
                name=f"Lama {letters(i)}",
                sex="P",
                household_id=household["id"],
                no_nik_reason="belum punya NIK",
            )
    db.close()
    return t


def _copy_db(src: Path, dest: Path) -> Path:
    from muba_desk.store.keys import key_file_of

    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(src, dest)
    if key_file_of(src).exists():
        shutil.copy(key_file_of(src), key_file_of(dest))
    _remember(dest)
    return dest


def prepare(kind: str, templates: Path, work: Path) -> None:
    work.mkdir(parents=True)
    if kind == "save":
        _copy_db(templates / "registry.db", work / "registry.db")
    elif kind == "export":
        _copy_db(templates / "L07.db", work / "L07.db")
        _copy_db(templates / "office.db", work / "office.db")
        (work / "stick").mkdir()
    elif kind == "import":
        _copy_db(templates / "office.db", work / "office.db")
        shutil.copytree(templates / "import-stick", work / "stick")
    elif kind == "migrate":
        _copy_db(templates / "old.db", work / "old.db")
        _copy_db(templates / "registry.db", work / "fresh.db")


# -- one kill ------------------------------------------------------------------------------------
def run_child(
    kind: str, work: Path, seed: int, delay: float | None
) -> tuple[list[str], bool, float]:
    """Start the child, kill it `delay` s after it is ready (None: let it finish).
    Returns its committed lines, whether the kill came before it finished, and the seconds
    from ready to the end."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        MUBA_FAULT_KEY=KEY.hex(),
        MUBA_FAULT_OFFICE_PASSPHRASE=OFFICE_PASSPHRASE,
        QT_QPA_PLATFORM="offscreen",
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.child", kind, str(work), str(seed)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    first = child.stdout.readline().strip()
    if first != "ready":
        child.kill()
        raise RuntimeError(f"{kind} child did not start: {first} {child.stderr.read()[-2000:]}")
    ready = time.monotonic()
    if delay is None:
        out, err = child.communicate(timeout=300)
        if child.returncode != 0:
            raise RuntimeError(f"{kind} child failed: {err[-2000:]}")
        return out.splitlines(), False, time.monotonic() - ready
    time.sleep(delay)
    finished = child.poll() is not None
    if not finished:
        os.kill(child.pid, signal.SIGKILL)
    out, _err = child.communicate(timeout=30)
    return out.splitlines(), not finished, time.monotonic() - ready


def _app_says_ok(path: Path) -> bool:
    from muba_desk.safety import check_at_start

    try:
        return check_at_start(path).ok
    except Exception:  # noqa: BLE001 - an error is the app noticing
        return False


def _doctor(path: Path) -> list[str]:
    from muba_desk.store.db import connect
    from muba_desk.store.doctor import check

    db = connect(path, migrate=False)
    try:
        return [p.message for p in check(db)]
    finally:
        db.close()


def _query(path: Path, sql: str, params=()) -> list:
    from muba_desk.store.db import connect

    db = connect(path, migrate=False)
    try:
        return db.conn.execute(sql, params).fetchall()
    finally:
        db.close()


def check_save(work: Path, lines: list[str], tally: Tally) -> None:
    path = work / "registry.db"
    app_ok = _app_says_ok(path)
    problems = _doctor(path)
    present = {r[0] for r in _query(path, "SELECT id FROM household")}
    lost = [i for i in lines if i not in present]
    half = _query(
        path,
        "SELECT count(*) FROM household h WHERE head_person_id IS NULL OR "
        "(SELECT count(*) FROM person p WHERE p.household_id = h.id) != 2",
    )[0][0]
    # Usable again: one more save goes in.
    from muba_desk.store.db import connect
    from muba_desk.store.records import add_household
    from muba_desk.store.registry import Registry

    db = connect(path)
    reg = Registry(db, operator_id="op-check")
    with reg.transaction():
        add_household(reg, village_code=VILLAGE)
    db.close()
    _record(tally, problems, lost, half, app_ok)


def _bundle_ok(path: Path) -> bool:
    from muba_desk.sync.bundle import BundleError, parse

    try:
        parse(path.read_bytes(), path.name)
        return True
    except BundleError:
        return False


def check_export(work: Path, lines: list[str], tally: Tally) -> None:
    from muba_desk.store.db import connect
    from muba_desk.sync import keys
    from muba_desk.sync.export import export_bundle
    from muba_desk.sync.importer import import_bundle

    laptop, office_db, stick = work / "L07.db", work / "office.db", work / "stick"
    app_ok = _app_says_ok(laptop)
    problems = _doctor(laptop)
    present = {r[0] for r in _query(laptop, "SELECT household_id FROM person")}
    lost = [ln for ln in lines if ln.startswith("saved ") and ln[6:] not in present]
    visible = [p for p in stick.iterdir() if not p.name.endswith(".partial")]
    half = sum(not _bundle_ok(p) for p in visible)
    if half:
        app_ok = app_ok and False  # the reader refuses them: noticed, not silent
    # Recovery: export again, then everything the laptop holds must reach the office.
    export_bundle(laptop, stick)
    db = connect(office_db)
    office = keys.unlock_office(db, OFFICE_PASSPHRASE)
    db.close()
    for bundle in sorted(p for p in stick.glob("*.mubabundle") if _bundle_ok(p)):
        import_bundle(office_db, bundle, office=office)
    sent = {r[0] for r in _query(laptop, "SELECT id FROM person WHERE name LIKE 'Ekspor %'")}
    arrived = {r[0] for r in _query(office_db, "SELECT id FROM person WHERE name LIKE 'Ekspor %'")}
    missing = sent - arrived
    if missing:
        lost.append(f"{len(missing)} people never reached the office")
    _record(tally, problems, lost, half, app_ok)


def check_import(work: Path, lines: list[str], tally: Tally) -> None:
    from muba_desk.store.db import connect
    from muba_desk.sync import keys
    from muba_desk.sync.importer import import_bundle

    office_db = work / "office.db"
    app_ok = _app_says_ok(office_db)
    problems = _doctor(office_db)
    ledger = {r[0] for r in _query(office_db, "SELECT sequence FROM bundle_import")}
    lost = [ln for ln in lines if ln.startswith("imported ") and int(ln.split()[1]) not in ledger]
    people = _query(office_db, "SELECT count(*) FROM person WHERE name LIKE 'Impor %'")[0][0]
    half = int(people != PEOPLE_PER_BUNDLE * len(ledger))
    db = connect(office_db)
    office = keys.unlock_office(db, OFFICE_PASSPHRASE)
    db.close()
    for bundle in sorted((work / "stick").glob("*.mubabundle")):
        import_bundle(office_db, bundle, office=office)
    people = _query(office_db, "SELECT count(*) FROM person WHERE name LIKE 'Impor %'")[0][0]
    if people != PEOPLE_PER_BUNDLE * IMPORT_BUNDLES:
        lost.append(f"{people} people after importing everything again")
    _record(tally, problems, lost, half, app_ok)


def _schema(path: Path) -> list:
    return _query(path, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")


def check_migrate(work: Path, lines: list[str], tally: Tally) -> None:
    from muba_desk.store import keys
    from muba_desk.store.db import connect

    old = work / "old.db"
    app_ok = _app_says_ok(old)
    problems = _doctor(old)
    half = 0
    for bak in work.glob("old.db.before-*.bak"):
        _remember(bak)
        if keys.is_encrypted(bak) is False or _doctor(bak):
            half += 1
    connect(old).close()  # the migration finishes now
    problems += _doctor(old)
    if _schema(old) != _schema(work / "fresh.db"):
        half += 1
    people = _query(old, "SELECT count(*) FROM person")[0][0]
    lost = [] if people == 200 else [f"{people} of 200 people"]
    _record(tally, problems, lost, half, app_ok)


CHECKS = {
    "save": check_save,
    "export": check_export,
    "import": check_import,
    "migrate": check_migrate,
}


def _record(tally: Tally, problems: list[str], lost: list, half: int, app_ok: bool) -> None:
    tally.tried += 1
    bad = bool(problems or lost or half)
    tally.lost += len(lost)
    tally.half += half
    if bad and app_ok:
        tally.silent += 1
    if bad:
        tally.problems.append(f"problems={problems[:2]} lost={lost[:3]} half={half}")
    else:
        tally.survived += 1


# -- the campaign --------------------------------------------------------------------------------
def calibrate(kind: str, templates: Path, root: Path) -> float:
    """How long the child's work takes once it is ready, when nothing kills it: the kill
    points are spread over that span. Savers and exporters loop: a fixed span."""
    if kind in ("save", "export"):
        return {"save": 0.4, "export": 1.2}[kind]
    work = root / f"calibrate-{kind}"
    prepare(kind, templates, work)
    lines, _, elapsed = run_child(kind, work, 0, None)  # includes the interpreter's exit
    tally = Tally()
    CHECKS[kind](work, lines, tally)
    if tally.survived != 1:
        raise RuntimeError(f"{kind} without a kill already fails: {tally.problems}")
    shutil.rmtree(work, ignore_errors=True)
    return max(elapsed, 0.05)


def run_campaign(kills: dict[str, int], seed: int = 1, root: Path | None = None):
    """`kills[kind]` kills of each kind; returns {kind: Tally}."""
    rng = random.Random(seed)
    own = root is None
    root = Path(tempfile.mkdtemp(prefix="muba-faults-")) if own else root
    try:
        templates = root / "templates"
        if not templates.exists():
            templates = build_templates(root)
        tallies = {}
        for kind, count in kills.items():
            span = calibrate(kind, templates, root)
            tally = tallies[kind] = Tally()
            n = 0
            while tally.tried < count and n < 3 * count:
                n += 1
                work = root / f"{kind}-{n}"
                prepare(kind, templates, work)
                lines, killed, _ = run_child(kind, work, rng.randrange(10**9), rng.uniform(0, span))
                before = tally.survived
                try:
                    CHECKS[kind](work, lines, tally)
                except Exception as exc:  # noqa: BLE001 - a check that cannot run is a failure
                    tally.tried += 1
                    tally.problems.append(f"check failed: {type(exc).__name__}: {exc}")
                    tally.lost += 1
                if not killed and tally.survived > before:
                    # Finished before its kill point: checked, but not a fault.
                    tally.tried -= 1
                    tally.survived -= 1
                    tally.finished += 1
                shutil.rmtree(work, ignore_errors=True)
        return tallies
    finally:
        if own:
            shutil.rmtree(root, ignore_errors=True)


def table(rows: dict[str, Tally]) -> str:
    head = f"{'kind':<22}{'tried':>7}{'survived':>10}{'data lost':>11}{'half':>6}{'silent':>8}"
    lines = [head, "-" * len(head)]
    total = Tally()
    for kind, t in rows.items():
        lines.append(f"{kind:<22}{t.tried:>7}{t.survived:>10}{t.lost:>11}{t.half:>6}{t.silent:>8}")
        for name in ("tried", "survived", "lost", "half", "silent"):
            setattr(total, name, getattr(total, name) + getattr(t, name))
    lines.append("-" * len(head))
    lines.append(
        f"{'total':<22}{total.tried:>7}{total.survived:>10}{total.lost:>11}"
        f"{total.half:>6}{total.silent:>8}"
    )
    return "\n".join(lines)


def summary_counts(rows: dict[str, Tally]) -> Counter:
    c = Counter()
    for t in rows.values():
        c.update(tried=t.tried, survived=t.survived, lost=t.lost, half=t.half, silent=t.silent)
    return c
