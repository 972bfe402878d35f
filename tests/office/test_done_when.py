"""Issue 6's first Done-when: a merged office of three demo laptops, seeded problems, decisions."""

import shutil
from datetime import date

import pytest

from muba_desk import demo
from muba_desk.office.decisions import decide_many
from muba_desk.office.duplicates import candidates, find_duplicates, merge_people
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from muba_desk.sync import keys
from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import import_bundle
from muba_desk.sync.receive import import_return
from muba_desk.sync.returns import office_return
from muba_desk.sync.review import KEEP_OFFICE, resolve_conflict
from tests.office.helpers import person, submitted
from tests.sync.conftest import PASSPHRASE, SETUP, VILLAGE, VILLAGE_B, edit, query

CODES = ("L07", "L08", "L09")
DEMO = {"L07": (1000, 11), "L08": (1000, 12), "L09": (1000, 13)}
TODAY = date(2026, 3, 15)
SHARED_NIK = "1606014101950077"


def _numbers_taken_across(paths):
    """demo._numbers_taken over several files, so the laptops' made-up NIKs never collide."""
    original = demo._numbers_taken

    def taken(db):
        nik, kk = dict(original(db)[0]), dict(original(db)[1])
        for path in paths:
            other = connect(path)
            try:
                more_nik, more_kk = original(other)
            finally:
                other.close()
            for mine, more in ((nik, more_nik), (kk, more_kk)):
                for prefix, serial in more:
                    mine[prefix] = max(mine.get(prefix, 0), serial)
        return list(nik.items()), list(kk.items())

    return taken


def _provision(root):
    office_db = root / "office.db"
    keys.create_office(office_db, PASSPHRASE)
    db = connect(office_db)
    office = keys.unlock_office(db, PASSPHRASE)
    # The demo fills villages all over the regency; each laptop is registered for all of
    # them, so its made-up households are within its authority (sync.authority).
    everywhere = [v for (v,) in db.conn.execute("SELECT code FROM area_village ORDER BY code")]
    db.close()
    laptops = {}
    for code in CODES:
        prov = root / f"{code}.provision"
        keys.register_laptop(
            office_db,
            office,
            name=f"Laptop {code}",
            code=code,
            district_code="16.06.01",
            villages=everywhere,
            out_path=prov,
            setup_passphrase=SETUP,
        )
        laptops[code] = root / f"{code}.db"
        keys.apply_provisioning(laptops[code], prov, SETUP)
    return office_db, office, laptops


def _same_nik_pairs(path) -> set[frozenset]:
    """The demo's planted re-registrations: two live people of one file sharing a NIK."""
    rows = query(
        path,
        "SELECT a.id, b.id FROM person a JOIN person b ON a.nik = b.nik AND a.id < b.id "
        "WHERE a.deleted_at IS NULL AND b.deleted_at IS NULL",
    )
    return {frozenset(r) for r in rows}


def _same_name_and_birth(path) -> set[frozenset]:
    """Two households' people with one name and birth date: the importer queues each such pair,
    whether a planted re-registration spelled alike or two children who share a name."""
    rows = query(
        path,
        "SELECT a.id, b.id FROM person a JOIN person b ON lower(a.name) = lower(b.name) "
        "AND a.birth_date = b.birth_date AND a.id < b.id "
        "AND coalesce(a.household_id, '') != coalesce(b.household_id, '') "
        "WHERE a.deleted_at IS NULL AND b.deleted_at IS NULL",
    )
    return {frozenset(r) for r in rows}


def _sync(laptops, office_db, office, stick):
    for path in laptops.values():
        report = import_bundle(office_db, export_bundle(path, stick), office=office)
        assert report.status == "diimpor", report.summary()
    for code, path in laptops.items():
        report = import_return(path, office_return(office_db, code, stick, office=office))
        assert report.status == "diimpor", report.summary()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Three laptops of demo data plus seeded problems, two sync rounds, one duplicate scan."""
    root = tmp_path_factory.mktemp("office-done-when")
    stick = root / "stick"
    stick.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "SCRYPT_LOG_N", 10)
        office_db, office, laptops = _provision(root)
        for i, code in enumerate(CODES):
            mp.setattr(demo, "_numbers_taken", _numbers_taken_across(list(laptops.values())[:i]))
            db = connect(laptops[code])
            try:
                people, seed = DEMO[code]
                demo.create_demo(db, people=people, seed=seed, today=TODAY)
            finally:
                db.close()
            mp.undo()
            mp.setattr(keys, "SCRYPT_LOG_N", 10)
        planted = set().union(*(_same_nik_pairs(p) for p in laptops.values()))

        def register(name, nik=None, birth="1970-07-07", sex="L"):
            return lambda reg: person(reg, VILLAGE, name, sex, birth, nik)["id"]

        seeded = {
            "nik": frozenset(
                (
                    edit(laptops["L07"], register("Siti Aminah", SHARED_NIK, "1995-01-01", "P")),
                    edit(laptops["L08"], register("Siti Aminah Binti Ali", SHARED_NIK, None, "P")),
                )
            ),
            "similar": frozenset(
                (
                    edit(laptops["L07"], register("Muhammad Yusuf")),
                    edit(laptops["L08"], register("M. Yusuf")),
                )
            ),
        }

        def double_aid(reg):
            head = person(reg, VILLAGE_B, "Kepala Rangkap", "L", "1950-01-01")
            wife = person(
                reg,
                VILLAGE_B,
                "Istri Rangkap",
                "P",
                "1952-02-02",
                household_id=head["household_id"],
                relation="istri",
            )
            cash = submitted(
                reg, "BANTU_UMAK", head["id"], period_start="2026-01-01", period_end="2026-12-31"
            )
            aid = submitted(
                reg, "PEDAS_NIA", wife["id"], period_start="2026-06-01", period_end="2027-05-31"
            )
            return frozenset((cash["id"], aid["id"]))

        seeded["forbidden_pair"] = edit(laptops["L09"], double_aid)
        _sync(laptops, office_db, office, stick)

        # A concurrent edit: the office and L07 both rename one of L07's demo people.
        contested = query(laptops["L07"], "SELECT id FROM person ORDER BY id LIMIT 1")[0][0]
        edit(office_db, lambda reg: reg.update("person", contested, {"name": "Versi Kantor"}))
        edit(laptops["L07"], lambda reg: reg.update("person", contested, {"name": "Versi Laptop"}))
        _sync(laptops, office_db, office, stick)
        find_duplicates(office_db)
    return {
        "root": root,
        "office_db": office_db,
        "office": office,
        "laptops": laptops,
        "planted": planted,
        "seeded": seeded,
        "contested": contested,
    }


def _open_queue(office_db) -> dict[str, set[frozenset]]:
    db = connect(office_db)
    try:
        queue: dict[str, set[frozenset]] = {}
        for c in candidates(db):
            queue.setdefault(c.kind, set()).add(frozenset((c.row_a, c.row_b)))
        return queue
    finally:
        db.close()


def test_each_queue_holds_exactly_the_seeded_problems(world):
    office_db = world["office_db"]
    people = query(office_db, "SELECT count(*) FROM person WHERE deleted_at IS NULL")[0][0]
    assert people >= 3000
    # The demo plants a few parents typed twice with one NIK (about 0.15 %): those are expected.
    assert 0 < len(world["planted"]) < people // 100
    seeded = world["seeded"]
    alike = _same_name_and_birth(office_db)
    assert len(alike) < 5
    assert _open_queue(office_db) == {
        "nik": world["planted"] | {seeded["nik"]},
        "name_birth": alike,
        "similar": {seeded["similar"]},
        "forbidden_pair": {seeded["forbidden_pair"]},
    }
    conflicts = query(office_db, "SELECT table_name, row_id FROM sync_conflict")
    assert conflicts == [("person", world["contested"])]


@pytest.fixture
def copy(world, tmp_path):
    """The world's office and laptops copied, so decisions here leave the module's world alone."""
    laptops = {code: shutil.copy(p, tmp_path / p.name) for code, p in world["laptops"].items()}
    return {
        "office_db": shutil.copy(world["office_db"], tmp_path / "office.db"),
        "laptops": laptops,
        "stick": tmp_path,
    }


def test_decisions_reach_the_laptops_through_return_bundles(world, copy):
    office_db, laptops, office = copy["office_db"], copy["laptops"], world["office"]
    waiting = query(
        laptops["L07"], "SELECT id FROM enrolment WHERE status = 'TERKIRIM' ORDER BY id LIMIT 5"
    )
    approved = [r[0] for r in waiting]
    assert len(approved) == 5
    cash, aid = sorted(
        world["seeded"]["forbidden_pair"],
        key=lambda i: query(office_db, "SELECT program FROM enrolment WHERE id = ?", (i,))[0][0],
    )
    keep, other = sorted(
        world["seeded"]["nik"],
        key=lambda i: query(office_db, "SELECT name FROM person WHERE id = ?", (i,))[0][0],
    )
    (conflict_id,) = query(office_db, "SELECT id FROM sync_conflict")[0]

    db = connect(office_db)
    try:
        reg = Registry(db, operator_id="kantor")
        assert decide_many(reg, approved, True).moved == approved
        rejected = decide_many(reg, [aid], False, "Sudah menerima Bantu Umak")
        assert rejected.moved == [aid]
        with reg.transaction():
            merge_people(reg, keep, other, "NIK sama, orang yang sama")
    finally:
        db.close()
    resolve_conflict(office_db, conflict_id, KEEP_OFFICE, operator_id="kantor")
    for code, path in laptops.items():
        report = import_return(path, office_return(office_db, code, copy["stick"], office=office))
        assert report.status == "diimpor", report.summary()

    statuses = dict(query(laptops["L07"], "SELECT id, status FROM enrolment"))
    assert [statuses[i] for i in approved] == ["DISETUJUI"] * 5
    ((status, reason),) = query(
        laptops["L09"], "SELECT status, decision_reason FROM enrolment WHERE id = ?", (aid,)
    )
    assert (status, reason) == ("DITOLAK", "Sudah menerima Bantu Umak")
    assert query(laptops["L09"], "SELECT status FROM enrolment WHERE id = ?", (cash,)) == [
        ("TERKIRIM",)
    ]
    for code in ("L07", "L08"):
        merged = query(
            laptops[code], "SELECT merged_into, deleted_at FROM person WHERE id = ?", (other,)
        )
        assert merged[0][0] == keep and merged[0][1] is not None, code
    contested = world["contested"]
    name = query(laptops["L07"], "SELECT name FROM person WHERE id = ?", (contested,))
    assert name == [("Versi Kantor",)]
    # The next scan settles what the decisions settled and flags nothing new.
    find_duplicates(office_db)
    queue = _open_queue(office_db)
    assert queue == {
        "nik": world["planted"],
        "name_birth": _same_name_and_birth(world["office_db"]),
        "similar": {world["seeded"]["similar"]},
    }
