"""The office routine, continued: Cancel on the report export and on a laptop's return bundle
stops the work and leaves nothing half written or recorded.

Cancel is pressed the moment the job starts (`job.cancel()`, what the progress dialog's Batal
calls), so the work meets it at its first look however fast the machine is."""

from __future__ import annotations

import pytest

from muba_desk.core import operations
from muba_desk.gui.jobs import BackgroundJob
from muba_desk.gui.office import widgets
from muba_desk.sync.export import export_bundle
from tests.gui import office_world
from tests.gui.office_world import add_people, deliver, edit, query, send_enrolments
from tests.gui.test_office_laptops import unlock_if_asked


@pytest.mark.parametrize("suffix", [".xlsx", ".pdf"])
def test_a_cancelled_report_export_writes_no_file(
    qtbot, open_window, world, tmp_path, monkeypatch, suffix
):
    people = add_people(world["L07"], ["Siti Aminah", "Budi Santoso"])
    send_enrolments(world["L07"], people)
    deliver(world, "L07")
    window = open_window(world["office_db"])
    page = window.office_desk.reports
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.figures is not None, timeout=10_000)
    folder = tmp_path / "laporan"
    folder.mkdir()
    out = folder / f"laporan{suffix}"
    monkeypatch.setattr(widgets, "pick_save", lambda *_a: out)
    start = BackgroundJob.start
    monkeypatch.setattr(BackgroundJob, "start", lambda job: start(job.cancel() or job))
    (page.xlsx_button if suffix == ".xlsx" else page.pdf_button).click()
    qtbot.waitUntil(lambda: "dibatalkan" in page.status.text(), timeout=20_000)
    assert page.last_export is None
    assert list(folder.iterdir()) == []


def test_a_cancelled_return_bundle_is_neither_written_nor_recorded(
    qtbot, open_window, world, monkeypatch
):
    add_people(world["L07"], ["Siti Aminah"])
    deliver(world, "L07")
    for old in world["stick"].iterdir():
        old.unlink()
    monkeypatch.setattr(widgets, "pick_folder", lambda *_a: world["stick"])
    window = open_window(world["office_db"])
    page = window.office_desk.laptops
    qtbot.waitUntil(lambda: page.table.rowCount() == 2)
    page.select("L07")
    start = BackgroundJob.start
    monkeypatch.setattr(BackgroundJob, "start", lambda job: start(job.cancel() or job))
    page.return_button.click()
    unlock_if_asked(qtbot, window.office_desk)
    qtbot.waitUntil(lambda: "Dibatalkan" in page.report.toPlainText(), timeout=10_000)
    assert "L07" in page.report.toPlainText()
    assert list(world["stick"].iterdir()) == []
    assert query(world["office_db"], "SELECT count(*) FROM return_out") == [(0,)]
    assert query(world["office_db"], "SELECT count(*) FROM return_sent") == [(0,)]


def test_the_import_log_names_conflicts_settled_automatically(
    qtbot, open_window, world, monkeypatch
):
    (siti,) = add_people(world["L07"], ["Siti Aminah"])
    deliver(world, "L07")
    for old in world["stick"].iterdir():
        old.unlink()
    # The office corrects her phone; the laptop, meanwhile, her occupation.
    clerk = operations.Actor("op-kantor", side=operations.OFFICE)
    worker = operations.Actor("op-1")
    edit(
        world["office_db"],
        lambda reg: operations.edit_person(reg, clerk, siti, {"phone": "081299990000"}),
        operator="op-kantor",
    )
    edit(
        world["L07"],
        lambda reg: operations.edit_person(reg, worker, siti, {"occupation": "Nelayan"}),
    )
    export_bundle(world["L07"], world["stick"])
    monkeypatch.setattr(widgets, "pick_folder", lambda *_a: world["stick"])
    window = open_window(world["office_db"])
    page = window.office_desk.laptops
    page.import_folder_button.click()
    unlock_if_asked(qtbot, window.office_desk)
    qtbot.waitUntil(lambda: "diperiksa" in page.report.toPlainText(), timeout=10_000)
    shown = page.report.toPlainText()
    assert "0 diperbarui, 1 konflik diselesaikan otomatis," in shown, shown
    assert "0 konflik," in shown, shown
    assert query(world["office_db"], "SELECT occupation, phone FROM person") == [
        ("Nelayan", "081299990000")
    ]


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world
