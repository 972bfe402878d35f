"""The office desk's registry, budget and reports pages, and the office's first start."""

from __future__ import annotations

import re
import zipfile

from PySide6.QtWidgets import QDialog

from muba_desk.core import operations
from muba_desk.gui.first_start import FirstStartDialog
from muba_desk.gui.office import widgets
from muba_desk.gui.office.setup import office_db_path
from muba_desk.store.db import connect
from muba_desk.sync.keys import office_public
from tests.gui import office_world
from tests.gui.office_world import add_people, deliver, edit, query, send_enrolments


def test_first_start_offers_ini_kantor_and_makes_the_office(qtbot, _fast_sync_keys):
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    choice = dialog.office_choice
    assert choice.button.text() == "Ini kantor"
    choice.button.click()
    assert dialog.pages.currentWidget() is choice.page
    qtbot.keyClicks(choice.page.passphrase, "kata sandi kantor")
    qtbot.keyClicks(choice.page.repeat, "kata sandi lain")
    choice.page.next_button.click()
    assert choice.page.error.text() == "Kedua kata sandi tidak sama."
    choice.page.repeat.clear()
    qtbot.keyClicks(choice.page.repeat, "kata sandi kantor")
    choice.page.next_button.click()
    fields = choice.operator_page.fields
    qtbot.keyClicks(fields.username, "rina")
    qtbot.keyClicks(fields.full_name, "Rina Kusuma")
    qtbot.keyClicks(fields.password, "Sekayu-2026-kantor")
    qtbot.keyClicks(fields.repeat, "Sekayu-2026-kantor")
    with qtbot.waitSignal(dialog.finished, timeout=20_000):
        choice.operator_page.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen_path == office_db_path() and dialog.chosen_operator.username == "rina"
    db = connect(office_db_path())
    try:
        assert office_public(db) is not None
    finally:
        db.close()
    # Encrypted: the supervisor's password and the office passphrase (recovery) open it.
    from muba_desk.store import keys
    from muba_desk.store.db import is_plain_sqlite

    assert keys.usernames(office_db_path()) == ["rina"]
    assert not is_plain_sqlite(office_db_path())
    keys.forget_all()
    keys.unlock_with_passphrase(office_db_path(), "kata sandi kantor")


def test_the_merged_registry_filters_and_shows_a_history(qtbot, open_window, world):
    add_people(world["L07"], ["Siti Aminah", "Budi Santoso", "Ani Lestari"])
    add_people(world["L08"], ["Rahmat Hidayat"], nik_start=1606010101700001)
    deliver(world, "L07")
    deliver(world, "L08")
    window = open_window(world["office_db"])
    page = window.office_desk.registry
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.table.rowCount() == 4)
    assert page.count_label.text() == "1–4 dari 4 penduduk"
    page.laptop.setCurrentIndex(page.laptop.findData("L08"))
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 0).text() == "Rahmat Hidayat"
    page.laptop.setCurrentIndex(0)
    qtbot.keyClicks(page.text, "siti")
    qtbot.waitUntil(
        lambda: page.table.rowCount() == 1 and page.table.item(0, 0).text() == "Siti Aminah"
    )
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: "Riwayat" in page.details.toPlainText())
    assert "L07 Laptop L07" in page.details.toPlainText()


def test_the_registry_and_history_read_in_the_users_words(qtbot, open_window, world):
    siti, _budi = add_people(world["L07"], ["Siti Aminah", "Budi Santoso"])
    send_enrolments(world["L07"], [siti], "BANTU_UMAK")
    deliver(world, "L07")
    clerk = operations.Actor("op-kantor", side=operations.OFFICE)
    edit(
        world["office_db"],
        lambda reg: operations.edit_person(reg, clerk, siti, {"occupation": "petani"}),
        operator="op-kantor",
    )
    window = open_window(world["office_db"])
    page = window.office_desk.registry
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.table.rowCount() == 2)
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    row = next(r for r in range(2) if page.table.item(r, 0).text() == "Siti Aminah")
    cell = {h: page.table.item(row, c).text() for c, h in enumerate(headers)}
    # Registered on L07, changed last at the office: the column names the laptop that registered.
    assert cell["Laptop pendaftar"] == "L07 Laptop L07"
    assert cell["Didaftarkan pada"].endswith("WIB") and cell["Terakhir diubah pada"].endswith("WIB")
    assert cell["Program"] == "Bantu Umak"
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: "Riwayat" in page.details.toPlainText())
    shown = page.details.toPlainText()
    assert "Pekerjaan: – → Petani" in shown and "occupation" not in shown
    assert "Kantor Dinas Sosial · " in shown and "L07 Laptop L07 · " in shown
    assert "WIB" in shown and not re.search(r"\d{4}-\d\d-\d\dT", shown)  # local, not ISO UTC
    # A new search without Siti: the pane no longer shows her.
    qtbot.keyClicks(page.text, "budi")
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert "Siti" not in page.details.toPlainText()


def test_the_budget_year_is_saved(qtbot, open_window, world):
    window = open_window(world["office_db"])
    page = window.office_desk.budget
    window.office_desk.show_page(page)
    page.year.setValue(2027)
    qtbot.waitUntil(lambda: page.table.rowCount() > 0)
    row = next(
        r
        for r in range(page.table.rowCount())
        if page.table.item(r, 0).text() == "Bantu Umak"
        and page.table.item(r, 1).text() == "Besaran per orang per bulan"
    )
    # Rupiah, as the clerk reads and writes it; no configuration keys.
    assert page.table.item(row, 2).text() == "Rp 325.000"
    page.table.item(row, 2).setText("Rp 350.000")
    page.save_button.click()
    qtbot.waitUntil(lambda: "disimpan" in page.result.text())
    values = query(
        world["office_db"],
        "SELECT value FROM reference_data WHERE key = '2027.BANTU_UMAK.amount_per_person_month'",
    )
    assert values == [("350000",)]


def test_the_dashboard_exports_xlsx_and_pdf(qtbot, open_window, world, tmp_path, monkeypatch):
    people = add_people(world["L07"], ["Siti Aminah", "Budi Santoso"])
    send_enrolments(world["L07"], people)
    deliver(world, "L07")
    window = open_window(world["office_db"])
    page = window.office_desk.reports
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.figures is not None, timeout=10_000)
    assert "2" in page.tile_labels["Pendaftaran"].text()
    for suffix in (".xlsx", ".pdf"):
        out = tmp_path / f"laporan{suffix}"
        monkeypatch.setattr(widgets, "pick_save", lambda *_a, out=out: out)
        (page.xlsx_button if suffix == ".xlsx" else page.pdf_button).click()
        qtbot.waitUntil(lambda out=out: page.last_export == out, timeout=20_000)
    assert zipfile.ZipFile(tmp_path / "laporan.xlsx").testzip() is None
    assert (tmp_path / "laporan.pdf").read_bytes().startswith(b"%PDF")


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world
