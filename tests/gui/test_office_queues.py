"""The office desk's queues: duplicates merged, enrolments decided, a conflict settled per field."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from muba_desk.sync.receive import import_return
from muba_desk.sync.returns import office_return
from tests.gui import office_world
from tests.gui.office_world import add_people, deliver, edit, query, send_enrolments

NIK = 1606016001750001


def say_yes(page) -> None:
    box = page.confirm_box
    next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.YesRole).click()


def test_a_nik_clash_from_two_laptops_is_queued_and_merged(qtbot, open_window, world):
    (first,) = add_people(world["L07"], ["Siti Aminah"], nik_start=NIK)
    (second,) = add_people(world["L08"], ["Siti Aminah"], nik_start=NIK)
    send_enrolments(world["L08"], [second])
    deliver(world, "L07")
    deliver(world, "L08")
    window = open_window(world["office_db"])
    desk = window.office_desk
    page = desk.duplicates
    desk.show_page(page)
    # The same NIK, and the same name and birth date in two households: the importer queued
    # both; the list shows the pair once, its kind agreeing with the first reason.
    qtbot.waitUntil(lambda: page.list.rowCount() == 1)
    assert page.list.item(0, 2).text() == "NIK sama"
    assert page.list.item(0, 5).text().startswith(f"NIK sama ({NIK})")
    assert {page.list.item(0, 3).text(), page.list.item(0, 4).text()} == {"Siti Aminah"}
    qtbot.waitUntil(lambda: page.pair.rowCount() > 0)  # the first pair opens by itself
    cells = {
        page.pair.item(r, 0).text(): page.pair.item(r, 1).text()
        for r in range(page.pair.rowCount())
    }
    assert cells["NIK"] == str(NIK)
    laptops = {
        page.pair.item(r, c).text()
        for r in range(page.pair.rowCount())
        for c in (1, 2)
        if page.pair.item(r, 0).text() == "Laptop"
    }
    assert laptops == {"L07 Laptop L07", "L08 Laptop L08"}
    keep = 0 if page.people[0] == first else 1
    page.keep.setCurrentIndex(keep)  # keep L07's record, take L08's enrolment over
    assert page.kept.text() == "Yang dipertahankan: Siti Aminah (Kayu Ara, L07 Laptop L07)"
    page.merge_button.click()
    assert "Yang dipertahankan: Siti Aminah (Kayu Ara, L07 Laptop L07)" in page.prompt.text()
    qtbot.keyClicks(page.reason, "KTP diperiksa: orang yang sama")
    page.save_button.click()
    qtbot.waitUntil(lambda: "Digabung" in page.result.text())
    assert page.result.text().startswith(
        "Digabung ke Siti Aminah (Kayu Ara, L07 Laptop L07): 1 pendaftaran dipindahkan."
    )
    qtbot.waitUntil(lambda: page.list.rowCount() == 0)
    assert query(world["office_db"], "SELECT merged_into FROM person WHERE id = ?", (second,)) == [
        (first,)
    ]
    assert query(
        world["office_db"], "SELECT count(*) FROM enrolment WHERE person_id = ?", (first,)
    ) == [(1,)]


def test_two_enrolments_are_approved_in_bulk(qtbot, open_window, world):
    people = add_people(world["L07"], ["Siti Aminah", "Budi Santoso", "Ani Lestari"])
    enrolments = send_enrolments(world["L07"], people[:2])
    deliver(world, "L07")
    window = open_window(world["office_db"])
    page = window.office_desk.decisions
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.table.rowCount() == 2)
    assert page.count_label.text() == "2 pendaftaran menunggu keputusan"
    page.all_button.click()
    qtbot.keyClicks(page.reason, "Memenuhi syarat")
    page.approve_button.click()
    assert page.confirm_box.text() == "Setujui 2 pendaftaran?"
    say_yes(page)
    qtbot.waitUntil(lambda: "disetujui" in page.result.text())
    assert page.result.text() == (
        "2 pendaftaran disetujui.\nSejak jendela dibuka: 2 disetujui, 0 ditolak."
    )
    qtbot.waitUntil(lambda: page.table.rowCount() == 0)
    statuses = query(
        world["office_db"],
        "SELECT status, decision_reason FROM enrolment WHERE id IN (?, ?)",
        tuple(enrolments),
    )
    assert statuses == [("DISETUJUI", "Memenuhi syarat")] * 2


def test_rejecting_needs_a_reason(qtbot, open_window, world):
    (pid,) = add_people(world["L07"], ["Siti Aminah"])
    send_enrolments(world["L07"], [pid])
    deliver(world, "L07")
    window = open_window(world["office_db"])
    page = window.office_desk.decisions
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    page.table.selectRow(0)
    page.reject_button.click()
    assert page.result.text() == "Tuliskan alasan penolakan."


def test_a_conflict_is_settled_field_by_field_and_reaches_the_laptop(qtbot, open_window, world):
    (pid,) = add_people(world["L07"], ["Siti Aminah"])
    deliver(world, "L07")
    edit(
        world["office_db"],
        lambda reg: reg.update("person", pid, {"name": "Siti Aminah Kantor", "phone": "0811111"}),
    )
    edit(
        world["L07"],
        lambda reg: reg.update("person", pid, {"name": "Siti Aminah Laptop", "phone": "0822222"}),
    )
    deliver(world, "L07")
    window = open_window(world["office_db"])
    page = window.office_desk.conflicts
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.list.rowCount() == 1)
    page.list.selectRow(0)
    qtbot.waitUntil(lambda: page.fields.rowCount() == 2)
    rows = {page.fields.item(r, 0).text(): r for r in range(2)}
    assert page.reason.text() == ""  # an ordinary concurrent edit: nothing beyond authority
    # Fields in the users' words, with the value both sides started from.
    assert page.fields.item(rows["Nama"], 1).text() == "Siti Aminah"
    assert page.fields.item(rows["Nama"], 2).text() == "Siti Aminah Kantor"
    assert page.fields.item(rows["Nama"], 3).text() == "Siti Aminah Laptop"
    assert page.fields.item(rows["Nama"], 4).text() == "Keduanya"
    page.choices[rows["Nomor HP"]].setCurrentIndex(1)  # the laptop's phone number
    page.choices[rows["Nama"]].setCurrentIndex(2)  # and a name written by the clerk
    page.values[rows["Nama"]].clear()
    qtbot.keyClicks(page.values[rows["Nama"]], "Siti Aminah binti Ahmad")
    page.save_button.click()
    qtbot.waitUntil(lambda: "diselesaikan" in page.result.text())
    qtbot.waitUntil(lambda: page.list.rowCount() == 0)
    office = query(world["office_db"], "SELECT name, phone, rev FROM person WHERE id = ?", (pid,))
    assert office[0][:2] == ("Siti Aminah binti Ahmad", "0822222")
    assert query(world["office_db"], "SELECT resolution FROM sync_conflict") == [("gabungan",)]
    # The decision travels back: the laptop fast-forwards to the office's row.
    report = import_return(
        world["L07"],
        office_return(world["office_db"], "L07", world["stick"], office=world["office"]),
    )
    assert report.conflicts_resolved == 1
    assert query(world["L07"], "SELECT name, phone, rev FROM person WHERE id = ?", (pid,)) == office


def test_whole_version_buttons_use_resolve_conflict(qtbot, open_window, world):
    (pid,) = add_people(world["L07"], ["Siti Aminah"])
    deliver(world, "L07")
    edit(world["office_db"], lambda reg: reg.update("person", pid, {"name": "Versi Kantor"}))
    edit(world["L07"], lambda reg: reg.update("person", pid, {"name": "Versi Laptop"}))
    deliver(world, "L07")
    window = open_window(world["office_db"])
    page = window.office_desk.conflicts
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.list.rowCount() == 1)
    page.list.selectRow(0)
    page.laptop_button.click()
    qtbot.waitUntil(lambda: page.list.rowCount() == 0)
    assert query(world["office_db"], "SELECT name FROM person WHERE id = ?", (pid,)) == [
        ("Versi Laptop",)
    ]


def test_a_row_held_beyond_a_laptops_authority_shows_why(qtbot, open_window, world):
    (pid,) = add_people(world["L07"], ["Siti Aminah"])
    deliver(world, "L07")
    office = world["office"]
    import_return(
        world["L08"], office_return(world["office_db"], "L08", world["stick"], office=office)
    )
    edit(world["L08"], lambda reg: reg.delete("person", pid))  # L08 did not make this person
    deliver(world, "L08")
    window = open_window(world["office_db"])
    page = window.office_desk.conflicts
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.list.rowCount() == 1)
    page.list.selectRow(0)
    qtbot.waitUntil(lambda: page.reason.text() != "")
    assert page.reason.text().startswith(
        "Ditahan saat impor: di luar kewenangan laptop L08: menghapus person"
    )
    assert query(world["office_db"], "SELECT deleted_at FROM person WHERE id = ?", (pid,)) == [
        (None,)
    ]


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world
