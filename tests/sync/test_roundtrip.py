"""A laptop's bundle reaches the office whole: rows, a tombstone, a photo and the audit chain."""

import json

import pytest

from muba_desk.photos import ingest
from muba_desk.store.audit import verify_chain
from muba_desk.store.db import connect
from muba_desk.store.records import add_photo
from muba_desk.store.registry import Registry
from muba_desk.sync.bundle import BundleError
from muba_desk.sync.export import export_bundle, mark_acknowledged, pending_changes
from muba_desk.sync.importer import STATUS_ALREADY, import_bundle
from tests.sync.conftest import add_people, dump


def _edit(db_path, fn):
    db = connect(db_path)
    try:
        reg = Registry(db, operator_id="op-1")
        with reg.transaction():
            return fn(reg)
    finally:
        db.close()


def _query(db_path, sql, params=()):
    db = connect(db_path)
    try:
        return db.conn.execute(sql, params).fetchall()
    finally:
        db.close()


def test_round_trip_of_a_few_hundred_rows_with_a_tombstone_and_a_photo(
    laptop_db, office_db, office, stick, photos_dir
):
    ids = add_people(laptop_db, 300)
    photo = ingest(photos_dir / "jpg" / "Canon_40D.jpg")
    _edit(
        laptop_db,
        lambda reg: add_photo(reg, photo, kind="portrait", owner_table="person", owner_id=ids[0]),
    )
    _edit(laptop_db, lambda reg: reg.delete("person", ids[5]))
    _edit(laptop_db, lambda reg: reg.update("person", ids[6], {"name": "Nama Diubah"}))

    path = export_bundle(laptop_db, stick)
    assert path.exists() and not list(stick.glob("*.partial"))
    report = import_bundle(office_db, path, office=office)

    assert (report.new, report.updated, report.conflicts) == (300 + 75 + 1, 0, 0)
    assert report.laptop == "L07" and report.sequence == 1
    people = dict(_query(office_db, "SELECT id, name FROM person"))
    assert len(people) == 300 and people[ids[6]] == "Nama Diubah"
    assert _query(
        office_db, "SELECT deleted_at IS NOT NULL FROM person WHERE id = ?", (ids[5],)
    ) == [(1,)]
    stored = _query(
        office_db,
        "SELECT jpeg, sha256, photo_id IS NOT NULL FROM photo "
        "JOIN person ON person.photo_id = photo.id",
    )
    assert stored == [(photo.jpeg, photo.sha256, 1)]
    # Laptop and office rows agree column for column (except the local pk).
    laptop_rows = _query(laptop_db, "SELECT * FROM person ORDER BY id")
    office_rows = _query(office_db, "SELECT * FROM person ORDER BY id")
    assert [r[1:] for r in laptop_rows] == [r[1:] for r in office_rows]
    # The laptop's audit chain arrived whole and the office's own chain still verifies.
    laptop_audit = _query(laptop_db, "SELECT hash FROM audit ORDER BY seq")
    office_copy = _query(office_db, "SELECT hash FROM audit_import ORDER BY device_seq")
    assert office_copy == laptop_audit
    db = connect(office_db)
    assert verify_chain(db.conn) == []
    db.close()


def test_same_bundle_twice_changes_nothing_and_says_so(laptop_db, office_db, office, stick):
    add_people(laptop_db, 8)
    path = export_bundle(laptop_db, stick)
    import_bundle(office_db, path, office=office)
    before = dump(office_db)
    again = import_bundle(office_db, path, office=office)
    assert again.status == STATUS_ALREADY
    assert "sudah pernah diimpor" in again.summary()
    assert dump(office_db) == before


def test_export_before_acknowledgement_carries_everything_unacknowledged(
    laptop_db, office_db, office, stick
):
    first_ids = add_people(laptop_db, 4)
    first = export_bundle(laptop_db, stick)
    add_people(laptop_db, 4, nik_start=1606010101800001)
    second = export_bundle(laptop_db, stick)
    # The office never got the first stick: the second bundle alone brings all eight people.
    report = import_bundle(office_db, second, office=office)
    assert report.sequence == 2 and report.tables["person"] == 8
    # The first one arriving late is harmless.
    late = import_bundle(office_db, first, office=office)
    assert late.new == 0 and late.conflicts == 0 and late.unchanged == late.tables["person"] + 1
    db = connect(laptop_db)
    mark_acknowledged(db, 2)
    assert pending_changes(db) == 0
    db.close()
    _edit(laptop_db, lambda reg: reg.update("person", first_ids[0], {"name": "Baru"}))
    third = export_bundle(laptop_db, stick)
    report = import_bundle(office_db, third, office=office)
    assert (report.tables["person"], report.updated) == (1, 1)


def test_rows_edited_twice_between_bundles_fast_forward_instead_of_conflicting(
    laptop_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    _edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Dua"}))
    _edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Tiga"}))
    report = import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert (report.updated, report.conflicts) == (1, 0)
    assert _query(office_db, "SELECT name FROM person WHERE id = ?", (pid,)) == [("Tiga",)]


def test_concurrent_edit_becomes_a_conflict_kept_side_by_side(laptop_db, office_db, office, stick):
    (pid,) = add_people(laptop_db, 1)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    _edit(office_db, lambda reg: reg.update("person", pid, {"name": "Versi Kantor"}))
    _edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Versi Laptop"}))
    report = import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert (report.updated, report.conflicts) == (0, 1)
    assert _query(office_db, "SELECT name FROM person WHERE id = ?", (pid,)) == [("Versi Kantor",)]
    ((incoming,),) = _query(
        office_db, "SELECT incoming FROM sync_conflict WHERE row_id = ?", (pid,)
    )
    assert json.loads(incoming)["name"] == "Versi Laptop"


def test_same_nik_from_two_laptops_is_queued_as_a_likely_duplicate(
    laptop_db, laptop8_db, office_db, office, stick
):
    add_people(laptop_db, 1, nik_start=1606015505800009)
    add_people(laptop8_db, 1, nik_start=1606015505800009)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    report = import_bundle(office_db, export_bundle(laptop8_db, stick), office=office)
    assert report.duplicates >= 1
    kinds = {k for (k,) in _query(office_db, "SELECT kind FROM duplicate_candidate")}
    assert "nik" in kinds


def test_an_unprovisioned_laptop_cannot_export(tmp_path, stick):
    add_people(tmp_path / "fresh.db", 1)
    with pytest.raises(BundleError, match="belum disiapkan"):
        export_bundle(tmp_path / "fresh.db", stick)
