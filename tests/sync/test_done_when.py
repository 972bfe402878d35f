"""Issue 5's round trip: an office and three laptops, edits everywhere, two full sync rounds."""

import json

from muba_desk.store.db import connect
from muba_desk.store.records import add_household, add_person, enrol, set_reference, set_status
from muba_desk.sync.export import export_bundle, pending_changes
from muba_desk.sync.importer import import_bundle
from muba_desk.sync.receive import import_return
from muba_desk.sync.returns import RETURN_TABLES, office_return
from tests.program_data import DATA
from tests.sync.conftest import VILLAGE, VILLAGE_B, add_people, edit, query

PEOPLE = 700
ENROLMENTS = 40
NIK_START = {"L07": 1606010101100001, "L08": 1606010101200001, "L09": 1606010101300001}
SHARED_NIK = "1606014101950077"


def _enrol_first(db_path, people):
    """Enrol the first people in Pake Kelambu and submit them (the export sends them)."""

    def write(reg):
        ids = []
        for pid in people[:ENROLMENTS]:
            enrolment = enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)
            set_status(reg, enrolment["id"], "DIAJUKAN")
            ids.append(enrolment["id"])
        return ids

    return edit(db_path, write)


def _register_nik(db_path, village, name):
    def write(reg):
        household = add_household(reg, village_code=village, kk_number="1606010101990001")
        return add_person(
            reg, name=name, sex="P", nik=SHARED_NIK, household_id=household["id"], relation="kepala"
        )["id"]

    return edit(db_path, write)


def _rows(db_path, table):
    db = connect(db_path)
    try:
        cursor = db.conn.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cursor.description]
        rows = {}
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            del row["pk"]
            rows[row["id"]] = row
        return rows
    finally:
        db.close()


def _outbox_empty(db_path) -> bool:
    db = connect(db_path)
    try:
        waiting = db.conn.execute(
            "SELECT count(*) FROM bundle_out WHERE acknowledged_at IS NULL"
        ).fetchone()[0]
        return pending_changes(db) == 0 and waiting == 0
    finally:
        db.close()


def _sync_round(laptops, office_db, office, stick):
    for path in laptops.values():
        report = import_bundle(office_db, export_bundle(path, stick), office=office)
        assert report.status == "diimpor", report.summary()
    for code, path in laptops.items():
        report = import_return(path, office_return(office_db, code, stick, office=office))
        assert report.status == "diimpor", report.summary()


def test_office_and_three_laptops_hold_exactly_what_they_should(
    laptop_db, laptop8_db, laptop9_db, office_db, office, stick
):
    laptops = {"L07": laptop_db, "L08": laptop8_db, "L09": laptop9_db}
    villages = {"L07": VILLAGE, "L08": VILLAGE, "L09": VILLAGE_B}
    people, enrolments = {}, {}
    for code, path in laptops.items():
        people[code] = add_people(
            path, PEOPLE, nik_start=NIK_START[code], village=villages[code], prefix=code
        )
        enrolments[code] = _enrol_first(path, people[code])

    _sync_round(laptops, office_db, office, stick)
    assert all(_outbox_empty(path) for path in laptops.values())

    # -- edits on every side ------------------------------------------------------------
    both, deleted, crossed, office_only = people["L07"][1:5]
    approved = enrolments["L07"][:10]
    rejected = enrolments["L09"][0]

    def decide(reg):
        for enrolment_id in approved:
            set_status(reg, enrolment_id, "DISETUJUI")
        set_status(reg, rejected, "DITOLAK", "Rumah sudah menerima kelambu tahun lalu")
        set_reference(reg, "amount.BANTU_UMAK", 600_000)
        reg.update("person", both, {"name": "Versi Kantor"})
        reg.update("person", office_only, {"occupation": "Petani karet"})

    edit(office_db, decide, operator="kantor")
    edit(laptop_db, lambda reg: reg.update("person", both, {"name": "Versi Laptop"}))
    edit(laptop_db, lambda reg: reg.delete("person", deleted))
    # L08 corrects a neighbour registered by L07, a row it only has from a return bundle.
    edit(laptop8_db, lambda reg: reg.update("person", crossed, {"phone": "081234567890"}))
    edit(laptop9_db, lambda reg: reg.update("person", people["L09"][0], {"name": "Sembilan"}))
    first = _register_nik(laptop_db, VILLAGE, "Siti Aminah")
    second = _register_nik(laptop8_db, VILLAGE, "Siti Aminah Binti Ali")

    _sync_round(laptops, office_db, office, stick)

    # -- the office ---------------------------------------------------------------------
    conflicts = query(
        office_db, "SELECT table_name, row_id, incoming, resolved_at FROM sync_conflict"
    )
    assert len(conflicts) == 1
    table, row_id, incoming, resolved = conflicts[0]
    assert (table, row_id, json.loads(incoming)["name"], resolved) == (
        "person",
        both,
        "Versi Laptop",
        None,
    )
    duplicates = query(office_db, "SELECT kind, row_a, row_b FROM duplicate_candidate")
    assert duplicates == [("nik", *sorted((first, second)))]
    office_people = _rows(office_db, "person")
    assert len(office_people) == 3 * PEOPLE + 2
    assert office_people[both]["name"] == "Versi Kantor"
    assert office_people[deleted]["deleted_at"] is not None
    assert office_people[crossed]["phone"] == "081234567890"
    assert office_people[office_only]["occupation"] == "Petani karet"
    assert office_people[people["L09"][0]]["name"] == "Sembilan"
    # Every row any laptop made is at the office, as the laptop last had it or later.
    for table in RETURN_TABLES:
        at_office = _rows(office_db, table)
        for path in laptops.values():
            assert set(_rows(path, table)) <= set(at_office), table

    # -- each laptop: its area's registry exactly as the office holds it -----------------
    area = {
        "L07": {VILLAGE},
        "L08": {VILLAGE},
        "L09": {VILLAGE_B},
    }
    households = _rows(office_db, "household")
    for code, path in laptops.items():
        expected = {
            pid: row
            for pid, row in office_people.items()
            if households[row["household_id"]]["village_code"] in area[code]
        }
        held = _rows(path, "person")
        if code == "L07":
            # Its losing edit stays until a person at the office settles the conflict.
            assert held.pop(both)["name"] == "Versi Laptop"
            expected.pop(both)
        assert held == expected, code
        for table in ("household", "enrolment", "enrolment_status", "reference_data"):
            mine = _rows(path, table)
            at_office = _rows(office_db, table)
            assert all(at_office[i] == row for i, row in mine.items()), (code, table)
        assert _outbox_empty(path), code

    statuses = {i: r["status"] for i, r in _rows(laptop_db, "enrolment").items()}
    assert [statuses[i] for i in approved] == ["DISETUJUI"] * 10
    assert _rows(laptop9_db, "enrolment")[rejected]["decision_reason"].startswith("Rumah sudah")
    assert len(_rows(laptop9_db, "person")) == PEOPLE
    assert len(_rows(laptop_db, "person")) == 2 * PEOPLE + 2
