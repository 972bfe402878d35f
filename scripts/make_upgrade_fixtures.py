"""Make the files a released version leaves in the field, for tests/test_upgrades.py.

    PYTHONPATH=$PWD python scripts/make_upgrade_fixtures.py   # makes tests/data/upgrade/<version>

Run it once per release, from the release's own checkout (its code makes the files), and commit
the new folder. It drives the app's command line (office init, office add-laptop, setup, bundle
export/import, office return) and, where the command line has no door (registering people,
deciding), the same store and office operations the window calls. What it leaves:

- office.db (+ .keys): an office that imported the laptop's first bundle, decided, and answered;
- laptop.db (+ .keys): laptop L01 after that answer, a hand-over and a new person, with its
  second bundle exported and not yet imported anywhere;
- the second laptop bundle, and a return bundle the office wrote after importing it (so the
  laptop file above can import it: it acknowledges the second bundle);
- L01.provision, README.md (passphrases, test-only) and fixture.json (the names, for the test).

Every secret is made with scrypt 2^10 (the work factor is stored with each secret, so the files
open the same way as real ones; tests stay fast).
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OFFICE_PASSPHRASE = "uji-kantor-rahasia"
SETUP_PASSPHRASE = "uji-penyiapan-laptop"
OPERATOR = ("petugas1", "Petugas Satu", "uji-petugas-satu")
LAPTOP_CODE = "L01"
DISTRICT = "16.06.01"
VILLAGE = "16.06.01.1009"


def _cli(*argv: str) -> None:
    from muba_desk.cli import main

    code = main([str(a) for a in argv])
    if code != 0:
        raise SystemExit(f"muba-desk {' '.join(map(str, argv))}: exit {code}")


def _photo(seed: int):
    """A small made-up photo, through the app's own ingest."""
    from PIL import Image

    from muba_desk.photos import ingest

    image = Image.new("RGB", (48, 64), (40 * seed % 256, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return ingest(buffer.getvalue())


def _only(folder: Path, before: set[Path]) -> Path:
    from muba_desk.sync.export import BUNDLE_SUFFIX

    (made,) = set(folder.glob(f"*{BUNDLE_SUFFIX}")) - before
    return made


def _register(db_path: Path, operator_id: str) -> dict:
    """Laptop work of the first visit: a household of three, a portrait, two submissions."""
    from muba_desk.domain.status import Status
    from muba_desk.store.db import connect
    from muba_desk.store.records import add_household, add_person, add_photo, enrol, set_status
    from muba_desk.store.registry import Registry

    db = connect(db_path)
    try:
        reg = Registry(db, operator_id=operator_id)
        with reg.transaction():
            household = add_household(reg, village_code=VILLAGE, kk_number="1606010101200001")
            people = [
                add_person(
                    reg,
                    name=name,
                    sex=sex,
                    nik=nik,
                    household_id=household["id"],
                    relation=relation,
                    birth_date=born,
                )
                for name, sex, nik, relation, born in (
                    ("Siti Aminah", "P", "1606014101800001", "kepala", "1980-01-01"),
                    ("Ahmad Fauzi", "L", "1606010202050002", "anak", "2005-02-02"),
                    ("Rina Wati", "P", "1606014303100003", "anak", "2010-03-03"),
                )
            ]
            add_photo(
                reg, _photo(1), kind="portrait", owner_table="person", owner_id=people[0]["id"]
            )
            enrolments = []
            for person in people[:2]:
                enrolment = enrol(
                    reg,
                    program="PAKE_KELAMBU",
                    # Complete, as the window asks: a submitted enrolment must be (0.1.0's
                    # fixtures were made with `data={}`, which today's rules refuse).
                    data={
                        "occupation": "petani",
                        "monthly_income": 1_200_000,
                        "cover": ["jkk", "jkm"],
                        "heir_name": "Rina Wati",
                        "heir_relation": "anak" if person is people[0] else "saudara",
                    },
                    person_id=person["id"],
                    village_code=VILLAGE,
                )
                # The export moves them on to Terkirim (0.1.0's fixtures were moved by hand:
                # that release had no such step).
                set_status(reg, enrolment["id"], Status.DIAJUKAN)
                enrolments.append(enrolment["id"])
        return {"household": household["id"], "enrolments": enrolments}
    finally:
        db.close()


def _decide(db_path: Path, approve: str, reject: str) -> None:
    from muba_desk.office.decisions import decide
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry

    db = connect(db_path)
    try:
        decide(Registry(db), approve, True)
        decide(Registry(db), reject, False, "Sudah menerima kelambu tahun ini.")
    finally:
        db.close()


def _second_visit(db_path: Path, operator_id: str, made: dict) -> None:
    """After the answer: the approved enrolment's hand-over, and a newborn with a portrait."""
    from muba_desk.store.db import connect
    from muba_desk.store.records import add_person, add_photo, hand_over
    from muba_desk.store.registry import Registry

    db = connect(db_path)
    try:
        reg = Registry(db, operator_id=operator_id)
        with reg.transaction():
            approved = made["enrolments"][0]
            hand_over(
                reg,
                enrolment_id=approved,
                handed_at="2026-11-20T09:00:00+07:00",
                confirmed_by="tanda_tangan",
                items=[{"name": "Kelambu", "quantity": 2}],
            )
            baby = add_person(
                reg,
                name="Nur Hidayah",
                sex="P",
                nik="1606014404260004",
                household_id=made["household"],
                relation="anak",
                birth_date="2026-04-04",
            )
            add_photo(reg, _photo(2), kind="portrait", owner_table="person", owner_id=baby["id"])
    finally:
        db.close()


def make(folder: Path) -> dict:
    from muba_desk.store import keys as store_keys
    from muba_desk.store.db import connect
    from muba_desk.store.operators import create_operator
    from muba_desk.sync import keys as sync_keys

    store_keys.SCRYPT_LOG_N = 10
    sync_keys.SCRYPT_LOG_N = 10
    folder.mkdir(parents=True)
    office_db, laptop_db = folder / "office.db", folder / "laptop.db"
    provision = folder / f"{LAPTOP_CODE}.provision"
    with tempfile.TemporaryDirectory(prefix="muba-upgrade-") as tmp:
        tmp = Path(tmp)
        office_pass, setup_pass = tmp / "office.pass", tmp / "setup.pass"
        office_pass.write_text(OFFICE_PASSPHRASE, encoding="utf-8")
        setup_pass.write_text(SETUP_PASSPHRASE, encoding="utf-8")
        stick = tmp / "stick"
        stick.mkdir()
        office = ("--passphrase-file", office_pass)

        _cli("office", "init", "--db", office_db, *office)
        _cli(
            "office", "add-laptop", "--db", office_db, "--name", "Laptop Uji", "--code",
            LAPTOP_CODE, "--district", DISTRICT, "--village", VILLAGE, "--out", provision,
            "--setup-passphrase-file", setup_pass, *office,
        )  # fmt: skip
        _cli("setup", "--db", laptop_db, "--provision", provision, "--passphrase-file", setup_pass)
        db = connect(laptop_db)
        try:
            username, full_name, password = OPERATOR
            operator = create_operator(
                db, username=username, full_name=full_name, role="supervisor", password=password
            )
        finally:
            db.close()

        made = _register(laptop_db, operator.id)
        before = set(stick.iterdir())
        _cli("bundle", "export", "--db", laptop_db, "--to", stick)
        first = _only(stick, before)
        _cli("bundle", "import", "--db", office_db, first, *office)
        _decide(office_db, *made["enrolments"])
        before = set(stick.iterdir())
        _cli("office", "return", "--db", office_db, "--laptop", LAPTOP_CODE, "--to", stick, *office)
        _cli("bundle", "import", "--db", laptop_db, _only(stick, before))

        _second_visit(laptop_db, operator.id, made)
        before = set(folder.iterdir())
        _cli("bundle", "export", "--db", laptop_db, "--to", folder)
        laptop_bundle = _only(folder, before)

        # The answer to the second bundle comes from a copy: the office file stays as it was
        # before that bundle, so the test can import it there.
        answered = tmp / "answered"
        answered.mkdir()
        copy = answered / office_db.name
        shutil.copy(office_db, copy)
        shutil.copy(store_keys.key_file_of(office_db), store_keys.key_file_of(copy))
        _cli("bundle", "import", "--db", copy, laptop_bundle, *office)
        before = set(folder.iterdir())
        _cli("office", "return", "--db", copy, "--laptop", LAPTOP_CODE, "--to", folder, *office)
        return_bundle = _only(folder, before)

    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(("-wal", "-shm", ".lock"))]
    if leftovers:
        raise SystemExit(f"files left open: {leftovers}")
    return {
        "office_db": office_db.name,
        "laptop_db": laptop_db.name,
        "provision": provision.name,
        "laptop_bundle": laptop_bundle.name,
        "return_bundle": return_bundle.name,
        "laptop_code": LAPTOP_CODE,
        "office_passphrase": OFFICE_PASSPHRASE,
        "setup_passphrase": SETUP_PASSPHRASE,
        "operator": {"username": OPERATOR[0], "password": OPERATOR[2]},
    }


README = """# Upgrade fixtures of muba-desk {version} (TEST ONLY)

Made by `scripts/make_upgrade_fixtures.py` with muba-desk {version}; `tests/test_upgrades.py`
opens, migrates and imports copies of them with the current code. Never edit them by hand: a
new release adds its own folder with the same script.

Every passphrase here is public and for tests only; these files hold made-up people.

- `{office_db}` (+ `{office_db}.keys`): the office registry; it imported the laptop's first
  bundle, decided both submissions and wrote its answer. Opens with the office passphrase
  `{office_passphrase}`.
- `{laptop_db}` (+ `{laptop_db}.keys`): laptop {laptop_code} after importing that answer,
  recording a hand-over and a new person with a photo, and exporting its second bundle. Opens
  with the setup passphrase `{setup_passphrase}` or operator `{username}` / `{password}`.
- `{provision}`: the provisioning file of {laptop_code}; setup passphrase `{setup_passphrase}`.
- `{laptop_bundle}`: the laptop's second bundle, not imported into `{office_db}`.
- `{return_bundle}`: the office's answer to that bundle (written by a copy of the office that
  imported it), not imported into `{laptop_db}`.

Secrets are sealed with scrypt 2^10 (stored with each secret) so the tests stay fast.
"""


def main() -> int:
    from muba_desk import __version__

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=__version__, help="folder name (bawaan: versi ini)")
    parser.add_argument("--root", type=Path, default=ROOT / "tests" / "data" / "upgrade")
    args = parser.parse_args()
    folder = args.root / args.version
    if folder.exists():
        print(f"{folder} sudah ada; fixture sebuah rilis tidak ditimpa.", file=sys.stderr)
        return 1
    try:
        names = make(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    names["version"] = args.version
    (folder / "fixture.json").write_text(json.dumps(names, indent=2) + "\n", encoding="utf-8")
    readme = README.format(**names, **names["operator"])
    (folder / "README.md").write_text(readme, encoding="utf-8")
    total = sum(p.stat().st_size for p in folder.iterdir())
    print(f"{folder}: {len(list(folder.iterdir()))} berkas, {total // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
