"""The duplicate scan runs as a background job: the window keeps working, shows progress, and
Cancel leaves the queue as it was."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer

from muba_desk.gui.office import duplicates_page
from muba_desk.office.duplicates import find_duplicates
from tests.gui import office_world
from tests.gui.office_world import add_people, deliver

NIK = 1606016001750001


def _queue_size(db_path) -> int:
    from muba_desk.store.db import connect

    db = connect(db_path)
    try:
        return db.execute(
            "SELECT count(*) FROM duplicate_candidate WHERE resolved_at IS NULL"
        ).fetchone()[0]
    finally:
        db.close()


def _slow_scan(release: threading.Event):
    """The real scan, preceded by steady progress reports until the test releases it."""

    def scan(path, progress):
        step = 0
        while not release.wait(0.02):
            step += 1
            progress.update(step % 100, 100, "memeriksa")
        return find_duplicates(path, progress)

    return scan


def _ticking(qtbot):
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    return timer, ticks


def test_the_scan_keeps_the_window_responsive_and_shows_progress(
    qtbot, open_window, world, monkeypatch
):
    add_people(world["L07"], ["Siti Aminah"], nik_start=NIK)
    add_people(world["L08"], ["Siti Aminah"], nik_start=NIK)
    deliver(world, "L07")
    deliver(world, "L08")
    release = threading.Event()
    monkeypatch.setattr(duplicates_page, "find_duplicates", _slow_scan(release))
    window = open_window(world["office_db"])
    page = window.office_desk.duplicates
    window.office_desk.show_page(page)
    timer, ticks = _ticking(qtbot)
    page.scan_button.click()
    assert not page.scan_button.isEnabled()
    # The progress dialog appears after its delay, while the UI thread keeps ticking.
    qtbot.waitUntil(lambda: page.job is not None and page.job._dialog is not None, timeout=5000)
    qtbot.waitUntil(lambda: len(ticks) >= 50, timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: page.scan_button.isEnabled(), timeout=20000)
    timer.stop()
    qtbot.waitUntil(lambda: page.list.rowCount() >= 1)


def test_cancel_stops_the_scan_and_leaves_the_queue_unchanged(
    qtbot, open_window, world, monkeypatch
):
    add_people(world["L07"], ["Siti Aminah"], nik_start=NIK)
    add_people(world["L08"], ["Siti Aminah"], nik_start=NIK)
    deliver(world, "L07")
    deliver(world, "L08")
    before = _queue_size(world["office_db"])
    never = threading.Event()
    monkeypatch.setattr(duplicates_page, "find_duplicates", _slow_scan(never))
    window = open_window(world["office_db"])
    page = window.office_desk.duplicates
    window.office_desk.show_page(page)
    page.scan_button.click()
    qtbot.waitUntil(lambda: page.job is not None and page.job._dialog is not None, timeout=5000)
    page.job._dialog.reject()  # the dialog's Cancel / Escape
    qtbot.waitUntil(lambda: page.scan_button.isEnabled(), timeout=10000)
    assert _queue_size(world["office_db"]) == before


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world
