"""A laptop's authority at the office import (docs/design.md, "Authority: what a laptop may
change"). A forged bundle here is one exported and signed with a real provisioned laptop's key
whose registry holds hostile content: the office queues it as a conflict or refuses the row,
never applies it; the honest laptop's data and the next return bundle stay as they were."""

import time

from muba_desk.office.decisions import decide
from muba_desk.store.db import connect
from muba_desk.store.records import enrol, hand_over, record_handover, set_reference, set_status
from muba_desk.store.registry import get_setting
from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import import_bundle
from muba_desk.sync.receive import import_return
from muba_desk.sync.returns import office_return
from tests.program_data import DATA
from tests.sync.conftest import VILLAGE, add_people, edit, query

PERSON = "SELECT name, nik, deleted_at, rev FROM person WHERE id = ?"


def _send(laptop_db, office_db, office, stick):
    return import_bundle(office_db, export_bundle(laptop_db, stick), office=office)


def _answer(laptop_db, office_db, office, stick, code):
    return import_return(laptop_db, office_return(office_db, code, stick, office=office))


def _copy_rows(source_db, target_db, table, ids):
    """Put rows of `source_db` into `target_db` as they are (a hostile laptop's hand-made
    copy of rows it was never sent), with their revs noted as arrived."""
    source = connect(source_db)
    target = connect(target_db)
    try:
        cursor = source.conn.execute(
            f"SELECT * FROM {table} WHERE id IN ({', '.join('?' for _ in ids)})", ids
        )
        names = [d[0] for d in cursor.description if d[0] != "pk"]
        rows = [dict(zip([d[0] for d in cursor.description], r, strict=True)) for r in cursor]
        with target.conn:
            for row in rows:
                target.conn.execute(
                    f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                    f"({', '.join('?' for _ in names)})",
                    [row[n] for n in names],
                )
                target.conn.execute(
                    "INSERT INTO sync_arrival (table_name, row_id, rev) VALUES (?, ?, ?)",
                    (table, row["id"], row["rev"]),
                )
    finally:
        source.close()
        target.close()


def _plant_person(owner_db, hostile_db, person_id):
    (household,) = query(owner_db, "SELECT household_id FROM person WHERE id = ?", (person_id,))[0]
    _copy_rows(owner_db, hostile_db, "household", [household])
    _copy_rows(owner_db, hostile_db, "person", [person_id])


def _conflict_reasons(office_db):
    return [r for (r,) in query(office_db, "SELECT reason FROM sync_conflict")]


def _owner_unaffected(owner_db, office_db, office, stick, person_id, before):
    """The office still holds the owner's version, and so does the owner after its return."""
    assert query(office_db, PERSON, (person_id,)) == before
    _answer(owner_db, office_db, office, stick, "L07")
    assert query(owner_db, PERSON, (person_id,)) == before


def test_another_laptops_person_with_a_claimed_ancestor_is_a_conflict_not_an_overwrite(
    laptop_db, laptop8_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    _send(laptop_db, office_db, office, stick)
    before = query(office_db, PERSON, (pid,))
    # L08 serves the same village but was never sent this person: it copies it by hand and
    # rewrites name and NIK; its export names L07's rev as the ancestor.
    _plant_person(laptop_db, laptop8_db, pid)
    edit(
        laptop8_db,
        lambda reg: reg.update("person", pid, {"name": "Palsu", "nik": "1606010101900999"}),
    )

    report = _send(laptop8_db, office_db, office, stick)

    assert (report.updated, report.conflicts) == (0, 1)
    assert report.alarm
    (reason,) = _conflict_reasons(office_db)
    assert "di luar kewenangan laptop L08" in reason
    assert "di luar kewenangan laptop L08" in report.summary()
    _owner_unaffected(laptop_db, office_db, office, stick, pid, before)


def test_a_deletion_of_another_laptops_person_is_held_for_review(
    laptop_db, laptop8_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    _send(laptop_db, office_db, office, stick)
    before = query(office_db, PERSON, (pid,))
    # This time L08 was really sent the person (same village): it may edit it, not delete it.
    _answer(laptop8_db, office_db, office, stick, "L08")
    edit(laptop8_db, lambda reg: reg.delete("person", pid))

    report = _send(laptop8_db, office_db, office, stick)

    assert report.conflicts == 1
    (reason,) = _conflict_reasons(office_db)
    assert reason.startswith("di luar kewenangan laptop L08: menghapus person")
    _owner_unaffected(laptop_db, office_db, office, stick, pid, before)


def test_a_person_of_another_area_is_not_changed_by_a_laptop_that_was_never_sent_it(
    laptop_db, laptop9_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    _send(laptop_db, office_db, office, stick)
    _answer(laptop9_db, office_db, office, stick, "L09")  # its own area's share: not this one
    assert query(laptop9_db, "SELECT id FROM person WHERE id = ?", (pid,)) == []
    before = query(office_db, PERSON, (pid,))
    _plant_person(laptop_db, laptop9_db, pid)
    edit(laptop9_db, lambda reg: reg.update("person", pid, {"name": "Pindah Desa"}))

    report = _send(laptop9_db, office_db, office, stick)

    assert report.conflicts == 1 and report.updated == 0
    (reason,) = _conflict_reasons(office_db)
    assert "tidak dibuat laptop ini dan tidak pernah dikirim kepadanya" in reason
    _owner_unaffected(laptop_db, office_db, office, stick, pid, before)


def test_a_new_household_outside_the_laptops_villages_is_refused_with_its_people(
    laptop9_db, office_db, office, stick
):
    add_people(laptop9_db, 2, village=VILLAGE)  # L09 serves VILLAGE_B only

    report = _send(laptop9_db, office_db, office, stick)

    assert (report.new, report.refused) == (0, 3)
    assert query(office_db, "SELECT count(*) FROM person") == [(0,)]
    reasons = [p["reason"] for p in report.problems]
    assert f"desa {VILLAGE} di luar wilayah laptop L09" in reasons[0]
    assert all("yang dirujuknya ditolak" in r for r in reasons[1:])


def test_a_self_approval_is_refused_and_the_office_keeps_the_submission(
    laptop_db, laptop8_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    submitted = edit(
        laptop_db,
        lambda reg: set_status(
            reg,
            enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)["id"],
            "DIAJUKAN",
        ),
    )
    _send(laptop_db, office_db, office, stick)

    def approve_itself(reg):
        reg.update("enrolment", submitted["id"], {"status": "DISETUJUI", "decision_reason": "ok"})
        reg.insert(
            "enrolment_status",
            {"enrolment_id": submitted["id"], "from_status": "TERKIRIM", "to_status": "DISETUJUI"},
        )
        fresh = enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)
        reg.update("enrolment", fresh["id"], {"status": "DISETUJUI"})
        return fresh

    fresh = edit(laptop_db, approve_itself)

    report = _send(laptop_db, office_db, office, stick)

    assert report.refused == 4 and report.alarm  # two enrolments, two status rows
    assert query(office_db, "SELECT status FROM enrolment WHERE id = ?", (submitted["id"],)) == [
        ("TERKIRIM",)
    ]
    assert query(office_db, "SELECT id FROM enrolment WHERE id = ?", (fresh["id"],)) == []
    assert query(
        office_db, "SELECT count(*) FROM enrolment_status WHERE to_status = 'DISETUJUI'"
    ) == [(0,)]
    assert any("hanya diputuskan di kantor" in p["reason"] for p in report.problems)
    # Another laptop of the village learns the office's state, not the forged one.
    _answer(laptop8_db, office_db, office, stick, "L08")
    assert query(laptop8_db, "SELECT status FROM enrolment") == [("TERKIRIM",)]


def test_reference_data_and_budgets_from_a_laptop_are_refused(
    laptop_db, laptop8_db, office_db, office, stick
):
    key = "2027.BANTU_UMAK.amount_per_person_month"
    edit(office_db, lambda reg: set_reference(reg, key, 300_000))
    _answer(laptop_db, office_db, office, stick, "L07")
    add_people(laptop_db, 1)  # an honest row in the same bundle

    def rewrite_budget(reg):
        set_reference(reg, key, 9_000_000)
        set_reference(reg, "2027.PKM.quota", 100_000)

    edit(laptop_db, rewrite_budget)

    report = _send(laptop_db, office_db, office, stick)

    assert report.refused == 2 and report.new == 2
    assert query(office_db, "SELECT key, value FROM reference_data") == [(key, "300000")]
    _answer(laptop8_db, office_db, office, stick, "L08")
    assert query(laptop8_db, "SELECT key, value FROM reference_data") == [(key, "300000")]


def test_a_change_without_an_audit_entry_is_refused_and_the_honest_rows_land(
    laptop_db, office_db, office, stick
):
    ids = add_people(laptop_db, 2)
    _send(laptop_db, office_db, office, stick)
    before = query(office_db, PERSON, (ids[0],))
    more = add_people(laptop_db, 1, nik_start=1606010101900500, prefix="Jujur")
    db = connect(laptop_db)
    try:
        device = get_setting(db, "device_id")
        rev = f"{int(time.time() * 1000) + 5000:013d}.0000.{device}"
        with db.conn:  # written past the Registry: no audit entry
            db.conn.execute(
                "UPDATE person SET name = 'Diam-diam', base_rev = rev, rev = ? WHERE id = ?",
                (rev, ids[0]),
            )
            db.conn.execute(
                "INSERT INTO change_log (table_name, row_id, rev, at) VALUES ('person', ?, ?, ?)",
                (ids[0], rev, "2026-01-01T00:00:00"),
            )
    finally:
        db.close()

    report = _send(laptop_db, office_db, office, stick)

    assert report.refused == 1 and report.alarm
    assert "tidak ada catatan audit" in report.problems[0]["reason"]
    assert query(office_db, PERSON, (ids[0],)) == before
    assert query(office_db, "SELECT name FROM person WHERE id = ?", (more[0],)) == [("Jujur Nol",)]


# -- what a laptop may do ------------------------------------------------------------------
def test_a_laptop_editing_its_own_row_twice_between_bundles_fast_forwards(
    laptop_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    _send(laptop_db, office_db, office, stick)
    edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Sekali"}))
    edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Dua Kali"}))

    report = _send(laptop_db, office_db, office, stick)

    assert (report.updated, report.conflicts, report.refused) == (1, 0, 0)
    assert not report.alarm and report.problems == []
    assert query(office_db, "SELECT name FROM person WHERE id = ?", (pid,)) == [("Dua Kali",)]


def test_a_laptop_editing_a_row_the_office_sent_it_fast_forwards_and_reaches_the_owner(
    laptop_db, laptop8_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    _send(laptop_db, office_db, office, stick)
    _answer(laptop8_db, office_db, office, stick, "L08")
    edit(laptop8_db, lambda reg: reg.update("person", pid, {"name": "Dibetulkan Delapan"}))

    report = _send(laptop8_db, office_db, office, stick)

    assert (report.updated, report.conflicts, report.refused) == (1, 0, 0)
    assert query(office_db, "SELECT name FROM person WHERE id = ?", (pid,)) == [
        ("Dibetulkan Delapan",)
    ]
    _answer(laptop_db, office_db, office, stick, "L07")
    assert query(laptop_db, "SELECT name FROM person WHERE id = ?", (pid,)) == [
        ("Dibetulkan Delapan",)
    ]


def test_the_offices_decision_travels_back_and_the_laptop_may_hand_over_after_it(
    laptop_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)

    def submit(reg):
        enrolment = enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)
        return set_status(reg, enrolment["id"], "DIAJUKAN")  # the export sends it (Terkirim)

    enrolment = edit(laptop_db, submit)
    _send(laptop_db, office_db, office, stick)
    edit(office_db, lambda reg: decide(reg, enrolment["id"], True), operator="kantor")
    _answer(laptop_db, office_db, office, stick, "L07")
    assert query(laptop_db, "SELECT status FROM enrolment") == [("DISETUJUI",)]

    def give(reg):
        hand_over(
            reg,
            enrolment_id=enrolment["id"],
            handed_at="2026-03-01",
            confirmed_by="cap_jempol",
            items=[{"name": "kelambu", "quantity": 2}],
        )

    edit(laptop_db, give)
    report = _send(laptop_db, office_db, office, stick)

    assert (report.conflicts, report.refused) == (0, 0), report.summary()
    assert query(office_db, "SELECT status, decision_reason FROM enrolment") == [("AKTIF", None)]
    assert query(office_db, "SELECT count(*) FROM handover") == [(1,)]


def test_an_ancestor_the_laptop_was_never_sent_is_no_fast_forward(
    laptop_db, laptop8_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)
    _send(laptop_db, office_db, office, stick)
    _answer(laptop8_db, office_db, office, stick, "L08")  # L08 receives L07's first version
    edit(laptop_db, lambda reg: reg.update("person", pid, {"name": "Versi Kedua"}))
    _send(laptop_db, office_db, office, stick)
    before = query(office_db, PERSON, (pid,))
    # L08 claims the second version as its base, though no return bundle carried it there.
    db = connect(laptop8_db)
    try:
        with db.conn:
            db.conn.execute(
                "INSERT INTO sync_arrival (table_name, row_id, rev) VALUES ('person', ?, ?)",
                (pid, before[0][3]),
            )
    finally:
        db.close()
    edit(laptop8_db, lambda reg: reg.update("person", pid, {"name": "Timpa"}))

    report = _send(laptop8_db, office_db, office, stick)

    assert (report.updated, report.conflicts) == (0, 1)
    (reason,) = _conflict_reasons(office_db)
    assert "yang tidak pernah diterima laptop ini" in reason
    _owner_unaffected(laptop_db, office_db, office, stick, pid, before)


def test_a_return_records_each_sent_rev_once(laptop_db, laptop8_db, office_db, office, stick):
    first, _ = add_people(laptop_db, 2)
    _send(laptop_db, office_db, office, stick)
    sent = "SELECT table_name, row_id, rev, sequence FROM return_sent WHERE device_id = ?"
    device = query(office_db, "SELECT device_id FROM office_laptop WHERE code = 'L08'")[0][0]
    office_return(office_db, "L08", stick, office=office)
    once = query(office_db, sent, (device,))
    assert sorted(t for t, *_ in once) == ["household", "person", "person"]
    office_return(office_db, "L08", stick, office=office)  # the same share again: nothing new
    assert query(office_db, sent, (device,)) == once
    edit(laptop_db, lambda reg: reg.update("person", first, {"name": "Baru"}))
    _send(laptop_db, office_db, office, stick)
    office_return(office_db, "L08", stick, office=office)
    (added,) = set(query(office_db, sent, (device,))) - set(once)
    assert added[:2] == ("person", first) and added[3] == 3


def test_after_the_upgrade_a_laptop_still_hands_over_on_a_decision_an_older_return_carried(
    laptop_db, laptop8_db, office_db, office, stick
):
    (pid,) = add_people(laptop_db, 1)

    def submit(reg):
        enrolment = enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)
        return set_status(reg, enrolment["id"], "DIAJUKAN")  # the export sends it (Terkirim)

    enrolment = edit(laptop_db, submit)
    _send(laptop_db, office_db, office, stick)
    edit(office_db, lambda reg: decide(reg, enrolment["id"], True), operator="kantor")
    _answer(laptop_db, office_db, office, stick, "L07")
    _answer(laptop8_db, office_db, office, stick, "L08")
    db = connect(office_db)
    try:
        with db.conn:  # as an office before m010 left its returns: nothing recorded
            db.conn.execute("DELETE FROM return_sent")
    finally:
        db.close()
    edit(
        laptop_db,
        lambda reg: hand_over(
            reg,
            enrolment_id=enrolment["id"],
            handed_at="2026-03-01",
            confirmed_by="cap_jempol",
            items=[{"name": "kelambu", "quantity": 2}],
        ),
    )
    edit(laptop8_db, lambda reg: reg.update("person", pid, {"name": "Dari Delapan"}))

    own = _send(laptop_db, office_db, office, stick)
    other = _send(laptop8_db, office_db, office, stick)

    # The laptop's own enrolment was in every return it got: its move lands (the hand-over and
    # the status row are new, the enrolment updated).
    assert (own.new, own.updated, own.conflicts, own.refused) == (2, 1, 0, 0), own.summary()
    assert query(office_db, "SELECT status FROM enrolment") == [("AKTIF",)]
    # Another laptop's person, sent by a return nobody recorded: held, never overwritten.
    assert (other.updated, other.conflicts) == (0, 1)
    assert query(office_db, "SELECT name FROM person WHERE id = ?", (pid,)) == [("Warga Nol",)]


def test_a_hand_over_before_the_offices_approval_is_refused(laptop_db, office_db, office, stick):
    (pid,) = add_people(laptop_db, 1)

    def pay_at_once(reg):
        enrolment = enrol(reg, program="PAKE_KELAMBU", data=DATA["PAKE_KELAMBU"], person_id=pid)
        set_status(reg, enrolment["id"], "DIAJUKAN")
        record_handover(
            reg,
            enrolment_id=enrolment["id"],
            handed_at="2026-03-01",
            confirmed_by="cap_jempol",
            items=[{"name": "kelambu", "quantity": 2}],
        )

    edit(laptop_db, pay_at_once)

    report = _send(laptop_db, office_db, office, stick)

    assert report.refused == 1 and report.alarm
    assert "sebelum pendaftarannya disetujui kantor" in report.problems[0]["reason"]
    assert query(office_db, "SELECT count(*) FROM handover") == [(0,)]
    assert query(office_db, "SELECT status FROM enrolment") == [("TERKIRIM",)]
