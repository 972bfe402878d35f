"""The laptop's sync page: send to a folder, see the outbox, take the office's return bundle."""

from __future__ import annotations

from muba_desk.gui.office import widgets
from muba_desk.gui.sync_page import removable_drives
from muba_desk.sync.importer import import_bundle
from muba_desk.sync.returns import office_return
from tests.gui import office_world
from tests.gui.office_world import add_people


def test_send_to_a_folder_then_receive_the_return(qtbot, open_window, world, monkeypatch):
    add_people(world["L07"], ["Siti Aminah", "Budi Santoso"])
    stick = world["stick"]
    monkeypatch.setattr(widgets, "pick_folder", lambda *_a: stick)
    window = open_window(world["L07"])
    page = window.sync_page
    assert window.office_desk is None and page is not None
    window.work_tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: "menunggu" in page.pending_label.text())
    assert page.table.rowCount() == 0
    page.target.setCurrentIndex(page.target.findData(None))  # "Pilih folder…"
    page.send_button.click()
    qtbot.waitUntil(lambda: page.last_written is not None, timeout=10_000)
    assert page.last_written.parent == stick and page.last_written.exists()
    assert "Paket ditulis" in page.report.toPlainText()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 4).text() == "belum"  # not yet acknowledged
    assert "menunggu tanda terima" in page.pending_label.text()

    import_bundle(world["office_db"], page.last_written, office=world["office"])
    office_return(world["office_db"], "L07", stick, office=world["office"])
    page.receive_button.click()  # the stick is still the chosen destination
    qtbot.waitUntil(lambda: bool(page.last_reports), timeout=10_000)
    assert len(page.last_reports) == 1  # the laptop's own bundle on the stick is left alone
    assert "kantor menerima paket sampai nomor 1" in page.report.toPlainText()
    qtbot.waitUntil(lambda: page.pending_label.text() == "Semua perubahan sudah diterima kantor.")
    assert page.table.item(0, 4).text() != "belum"


def test_an_unprovisioned_laptop_is_told_why_it_cannot_send(
    qtbot, open_window, tmp_path, monkeypatch
):
    from muba_desk.gui.laptop_setup import write_laptop_settings

    path = write_laptop_settings(
        tmp_path / "plain.db", device_name="Laptop", district_code="16.06.01", villages=[]
    )
    monkeypatch.setattr(widgets, "pick_folder", lambda *_a: tmp_path)
    window = open_window(path)
    page = window.sync_page
    page.target.setCurrentIndex(page.target.findData(None))
    page.send_button.click()
    qtbot.waitUntil(lambda: "belum disiapkan" in page.report.toPlainText(), timeout=10_000)


def test_only_removable_looking_mounts_are_offered():
    for _label, root in removable_drives():
        assert str(root).startswith(("/media/", "/run/media/", "/mnt/", "/Volumes/"))


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world


def _laptop(tmp_path):
    from muba_desk.gui.laptop_setup import write_laptop_settings

    return write_laptop_settings(
        tmp_path / "plain.db", device_name="Laptop", district_code="16.06.01", villages=[]
    )


def test_find_stick_says_when_there_is_none_and_what_to_do(
    qtbot, open_window, tmp_path, monkeypatch
):
    from muba_desk.gui import sync_page

    monkeypatch.setattr(sync_page, "removable_drives", lambda: [])
    window = open_window(_laptop(tmp_path))
    page = window.sync_page
    assert page.report.toPlainText() == ""  # opening the page says nothing
    page.refresh_drives_button.click()
    text = page.report.toPlainText()
    assert text.startswith("Tidak ada flashdisk yang ditemukan.")
    assert "Colokkan flashdisk" in text and "Pilih folder" in text
    assert page.target.count() == 1 and page.target.currentData() is None  # "Pilih folder…"


def test_find_stick_names_the_stick_it_found_and_chooses_it(
    qtbot, open_window, tmp_path, monkeypatch
):
    from muba_desk.gui import sync_page

    window = open_window(_laptop(tmp_path))
    page = window.sync_page
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    monkeypatch.setattr(sync_page, "removable_drives", lambda: [("KINGSTON (/media/k)", stick)])
    page.refresh_drives_button.click()
    assert page.report.toPlainText().startswith("Flashdisk ditemukan: KINGSTON (/media/k).")
    assert page.target.currentData() == str(stick)
