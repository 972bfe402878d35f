"""Return bundles: the office's answers reach the laptop whole, once, and only that laptop."""

import json

import pytest

from muba_desk import signing
from muba_desk.office.decisions import decide
from muba_desk.store.db import connect
from muba_desk.store.records import enrol, set_reference, set_status
from muba_desk.sync.bundle import BundleError
from muba_desk.sync.export import export_bundle, pending_changes
from muba_desk.sync.importer import STATUS_ALREADY, import_bundle
from muba_desk.sync.keys import revoke_laptop
from muba_desk.sync.receive import STATUS_OUTDATED, import_return
from muba_desk.sync.returns import office_return
from muba_desk.sync.review import KEEP_INCOMING, KEEP_OFFICE, resolve_conflict
from tests.program_data import DATA
from tests.sync.conftest import VILLAGE_B, add_people, dump, edit, query


def _outbox_empty(db_path) -> bool:
    db = connect(db_path)
    try:
        unacknowledged = db.conn.execute(
            "SELECT count(*) FROM bundle_out WHERE acknowledged_at IS NULL"
        ).fetchone()[0]
        return pending_changes(db) == 0 and unacknowledged == 0
    finally:
        db.close()


def _sync(laptop_db, office_db, office, stick, code="L07"):
    """Laptop exports, the office imports and answers, the laptop imports the answer."""
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    return import_return(laptop_db, office_return(office_db, code, stick, office=office))


def _row(db_path, table, row_id, columns="*"):
    return query(db_path, f"SELECT {columns} FROM {table} WHERE id = ?", (row_id,))


def test_decisions_and_reference_data_arrive_and_the_outbox_empties(
    laptop_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    enrolment = edit(
        laptop_db,
        lambda reg: set_status(
            reg,
            enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)["id"],
            "DIAJUKAN",
        ),
    )
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert not _outbox_empty(laptop_db)
    # The export moved it to Terkirim, and it arrived so.
    assert _row(office_db, "enrolment", enrolment["id"], "status") == [("TERKIRIM",)]
    edit(office_db, lambda reg: decide(reg, enrolment["id"], False, "Sudah menerima"))
    edit(office_db, lambda reg: set_reference(reg, "amount.BANTU_UMAK", 600_000))

    report = import_return(laptop_db, office_return(office_db, "L07", stick, office=office))

    assert report.acknowledged == 1 and _outbox_empty(laptop_db)
    assert _row(laptop_db, "enrolment", enrolment["id"], "status, decision_reason") == [
        ("DITOLAK", "Sudah menerima")
    ]
    history = query(
        laptop_db,
        "SELECT to_status, reason FROM enrolment_status WHERE enrolment_id = ? ORDER BY rev",
        (enrolment["id"],),
    )
    assert history[-1] == ("DITOLAK", "Sudah menerima")
    assert query(laptop_db, "SELECT value FROM reference_data WHERE key = 'amount.BANTU_UMAK'") == [
        ("600000",)
    ]
    # Rows that came from the office are not this laptop's changes: nothing new to send.
    assert _outbox_empty(laptop_db)


def test_laptop_edits_on_top_of_an_arrived_version_fast_forward_at_the_office(
    laptop_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    edit(office_db, lambda reg: reg.update("person", pid, {"occupation": "Petani"}))
    _sync(laptop_db, office_db, office, stick)
    # Two edits between bundles: the office must still see its own version as an ancestor.
    edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Dua"}))
    edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Tiga"}))
    report = import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert (report.updated, report.conflicts) == (1, 0)
    assert _row(office_db, "person", pid, "name, occupation") == [("Tiga", "Petani")]


def test_a_return_bundle_imported_twice_or_late_changes_nothing(
    laptop_db, office_db, office, stick
):
    add_people(laptop_db, 4)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    first = office_return(office_db, "L07", stick, office=office)
    second = office_return(office_db, "L07", stick, office=office)
    assert import_return(laptop_db, second).status == "diimpor"
    before = dump(laptop_db)
    again = import_return(laptop_db, second)
    assert again.status == STATUS_ALREADY and "sudah pernah diimpor" in again.summary()
    late = import_return(laptop_db, first)
    assert late.status == STATUS_OUTDATED and "lebih lama" in late.summary()
    assert dump(laptop_db) == before


def test_the_area_registry_comes_back_but_not_other_areas(
    laptop_db, laptop8_db, laptop9_db, office_db, office, stick
):
    mine = add_people(laptop_db, 4, prefix="Tujuh")
    neighbours = add_people(laptop8_db, 4, nik_start=1606010101700001, prefix="Delapan")
    elsewhere = add_people(
        laptop9_db, 4, nik_start=1606010101600001, village=VILLAGE_B, prefix="Sembilan"
    )
    import_bundle(office_db, export_bundle(laptop8_db, stick), office=office)
    import_bundle(office_db, export_bundle(laptop9_db, stick), office=office)
    report = _sync(laptop_db, office_db, office, stick)
    people = {pid for (pid,) in query(laptop_db, "SELECT id FROM person")}
    assert people == set(mine) | set(neighbours)
    assert not people & set(elsewhere)
    assert report.new == 4 + 1  # L08's people and their household
    # They arrived from the office: they are not L07's to send.
    assert _outbox_empty(laptop_db)


def test_a_laptop_edit_not_yet_sent_is_kept_then_settled_at_the_office(
    laptop_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    edit(office_db, lambda reg: reg.update("person", pid, {"name": "Versi Kantor"}))
    edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Versi Laptop"}))
    report = import_return(laptop_db, office_return(office_db, "L07", stick, office=office))
    assert report.kept == 1
    assert _row(laptop_db, "person", pid, "name") == [("Versi Laptop",)]
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    ((conflict_id,),) = query(office_db, "SELECT id FROM sync_conflict")

    resolve_conflict(office_db, conflict_id, KEEP_OFFICE)

    report = import_return(laptop_db, office_return(office_db, "L07", stick, office=office))
    assert report.conflicts_resolved == 1 and report.updated == 1
    assert _row(laptop_db, "person", pid, "name") == [("Versi Kantor",)]
    assert _outbox_empty(laptop_db)
    # Both sides agree on the row and on its rev.
    assert _row(laptop_db, "person", pid, "rev") == _row(office_db, "person", pid, "rev")


def test_taking_the_laptop_version_travels_back_as_a_new_office_rev(
    laptop_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    edit(office_db, lambda reg: reg.update("person", pid, {"name": "Versi Kantor"}))
    edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Versi Laptop"}))
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    ((conflict_id,),) = query(office_db, "SELECT id FROM sync_conflict")
    resolve_conflict(office_db, conflict_id, KEEP_INCOMING)
    assert _row(office_db, "person", pid, "name") == [("Versi Laptop",)]
    import_return(laptop_db, office_return(office_db, "L07", stick, office=office))
    assert _row(laptop_db, "person", pid, "name, rev") == _row(
        office_db, "person", pid, "name, rev"
    )
    assert _outbox_empty(laptop_db)


def test_revocations_and_trusted_keys_travel_to_the_laptop(
    laptop_db, laptop8_db, office_db, office, stick
):
    db = connect(laptop8_db)
    l08_key = signing.device_key(db).key_id
    db.close()
    add_people(laptop_db, 1)
    _sync(laptop_db, office_db, office, stick)
    trusted = json.loads(
        query(laptop_db, "SELECT value FROM setting WHERE key = 'trusted_keys'")[0][0]
    )
    assert l08_key in trusted and office.public.key_id in trusted

    revoke_laptop(office_db, "L08", "dicuri")
    report = import_return(laptop_db, office_return(office_db, "L07", stick, office=office))

    assert report.revoked == 1
    trusted = json.loads(
        query(laptop_db, "SELECT value FROM setting WHERE key = 'trusted_keys'")[0][0]
    )
    assert l08_key not in trusted and office.public.key_id in trusted
    with pytest.raises(BundleError, match="dicabut"):
        office_return(office_db, "L08", stick, office=office)


def test_misdirected_return_bundles_are_refused_and_change_nothing(
    laptop_db, laptop8_db, office_db, office, stick
):
    add_people(laptop_db, 1)
    laptop_bundle = export_bundle(laptop_db, stick)
    for_l08 = office_return(office_db, "L08", stick, office=office)
    before = dump(laptop_db)
    with pytest.raises(BundleError, match="laptop lain"):
        import_return(laptop_db, for_l08)
    with pytest.raises(BundleError, match="hanya diimpor di kantor"):
        import_return(laptop_db, laptop_bundle)
    assert dump(laptop_db) == before
    office_before = dump(office_db)
    with pytest.raises(BundleError, match="paket balasan"):
        import_bundle(office_db, for_l08, office=office)
    assert dump(office_db) == office_before


def test_a_return_bundle_from_another_office_is_refused(templates, laptop_db, tmp_path, stick):
    # The other office forges a return for L07 with its own key, encrypted to L07.
    import shutil

    from muba_desk.sync.keys import OFFICE_PUBLIC

    other_db = shutil.copy(templates["other_db"], tmp_path / "other.db")
    l07 = query(templates["office_db"], "SELECT * FROM office_laptop WHERE code = 'L07'")[0]
    db = connect(other_db)
    with db.conn:
        db.conn.execute("INSERT INTO office_laptop VALUES (?,?,?,?,?,?,?,?,?,?,?)", l07)
    db.close()
    forged = office_return(other_db, "L07", stick, office=templates["other"])
    before = dump(laptop_db)
    with pytest.raises(BundleError, match="tidak berasal dari kantor") as refused:
        import_return(laptop_db, forged)
    assert refused.value.alarm
    assert dump(laptop_db) == before
    assert query(laptop_db, "SELECT 1 FROM setting WHERE key = ?", (OFFICE_PUBLIC,))


def test_damaged_return_bundles_are_refused_with_a_reason(laptop_db, office_db, office, stick):
    add_people(laptop_db, 2)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    good = office_return(office_db, "L07", stick, office=office)
    data = good.read_bytes()
    before = dump(laptop_db)
    damaged = stick / "rusak.mubabundle"
    # A stride keeps this quick; every byte is covered for laptop bundles in test_faults.
    for index in range(0, len(data), 61):
        damaged.write_bytes(data[:index])
        with pytest.raises(BundleError, match="rusak.mubabundle"):
            import_return(laptop_db, damaged)
        flipped = bytearray(data)
        flipped[index] ^= 0x10
        damaged.write_bytes(bytes(flipped))
        with pytest.raises(BundleError, match="rusak.mubabundle"):
            import_return(laptop_db, damaged)
    assert dump(laptop_db) == before
    assert import_return(laptop_db, good).acknowledged == 1
