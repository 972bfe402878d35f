"""The office desk's laptops page: set up, register a laptop, import bundles, revoke."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from muba_desk.gui.office import widgets
from muba_desk.sync.export import export_bundle
from muba_desk.sync.keys import read_provisioning
from tests.gui import office_world
from tests.gui.office_world import PASSPHRASE, add_people, query


def unlock_if_asked(qtbot, desk) -> None:
    """Type the office passphrase into the dialog the first action opens."""
    qtbot.waitUntil(lambda: desk.session.dialog is not None and desk.session.dialog.isVisible())
    qtbot.keyClicks(desk.session.dialog.passphrase, PASSPHRASE)
    desk.session.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_the_office_registry_opens_on_its_laptops(qtbot, open_window, world):
    window = open_window(world["office_db"])
    desk = window.office_desk
    assert desk is not None and window.work_tabs.currentWidget() is desk.laptops
    qtbot.waitUntil(lambda: desk.laptops.table.rowCount() == 2)
    assert [desk.laptops.table.item(r, 0).text() for r in range(2)] == ["L07", "L08"]


def test_register_a_laptop_and_write_its_provisioning_file(qtbot, open_window, world, monkeypatch):
    stick = world["stick"]
    monkeypatch.setattr(widgets, "pick_folder", lambda *_a: stick)
    window = open_window(world["office_db"])
    page = window.office_desk.laptops
    page.register_button.click()
    dialog = page.dialog
    qtbot.keyClicks(dialog.name, "Laptop Sungai Lilin")
    qtbot.keyClicks(dialog.code, "l09")
    dialog.check_village(dialog.villages.item(0).data(Qt.ItemDataRole.UserRole))
    qtbot.keyClicks(dialog.setup, "penyiapan-09")
    qtbot.keyClicks(dialog.setup_again, "penyiapan-09")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    unlock_if_asked(qtbot, window.office_desk)
    qtbot.waitUntil(lambda: "terdaftar" in page.report.toPlainText(), timeout=10_000)
    written = stick / "muba-L09.provision"
    assert written.exists()
    assert read_provisioning(written, "penyiapan-09")["code"] == "L09"
    qtbot.waitUntil(lambda: page.table.rowCount() == 3)


def test_import_a_folder_of_bundles_and_read_the_report(qtbot, open_window, world, monkeypatch):
    add_people(world["L07"], ["Siti Aminah", "Budi Santoso"])
    export_bundle(world["L07"], world["stick"])
    (world["stick"] / "rusak.mubabundle").write_bytes(b"bukan paket")
    monkeypatch.setattr(widgets, "pick_folder", lambda *_a: world["stick"])
    window = open_window(world["office_db"])
    page = window.office_desk.laptops
    page.import_folder_button.click()
    unlock_if_asked(qtbot, window.office_desk)
    qtbot.waitUntil(lambda: "diperiksa" in page.report.toPlainText(), timeout=10_000)
    report = page.report.toPlainText()
    assert "2 paket diperiksa: 1 diterima, 1 ditolak." in report
    assert "diimpor dari laptop L07 (paket 1): " in report
    assert "rusak.mubabundle: DITOLAK." in report
    assert query(world["office_db"], "SELECT count(*) FROM person") == [(2,)]
    # The laptop now shows its last bundle and one acknowledgement still owed.
    qtbot.waitUntil(lambda: page.table.item(0, 4).text() == "1")
    assert page.table.item(0, 6).text() == "1"


def test_revoke_asks_first(qtbot, open_window, world):
    window = open_window(world["office_db"])
    page = window.office_desk.laptops
    qtbot.waitUntil(lambda: page.table.rowCount() == 2)
    page.select("L08")
    page.revoke_button.click()
    box = page.confirm_box
    assert "L08" in box.text()
    next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.YesRole).click()
    qtbot.waitUntil(
        lambda: "DICABUT" in (page.table.item(1, 7).text() if page.table.rowCount() > 1 else "")
    )
    assert query(
        world["office_db"], "SELECT revoked_at IS NOT NULL FROM office_laptop WHERE code = 'L08'"
    ) == [(1,)]


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world
