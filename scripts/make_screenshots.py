"""Regenerate docs/screenshots/ from the real window, offscreen, on a fresh 2,000-person demo.

QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_screenshots.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1280, 800)


def wait_until(app, predicate: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run the event loop until `predicate()` holds; the reader answers on its own thread."""
    from PySide6.QtCore import QThread

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        QThread.msleep(10)


def settle(app, window) -> None:
    """Let layouts and repaints catch up before grabbing."""
    from PySide6.QtCore import QThread

    for _ in range(20):
        app.processEvents()
        QThread.msleep(5)
    window.repaint()


def pick(db_path: Path, sql: str) -> tuple:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        row = conn.execute(sql).fetchone()
    if row is None:
        raise RuntimeError(f"the demo registry has no row for: {sql}")
    return row


# A person with a portrait and an enrolment that already had hand-overs: the richest details.
PERSON_SQL = """
    SELECT p.id, p.name FROM person p
    JOIN enrolment e ON e.person_id = p.id AND e.deleted_at IS NULL
    JOIN handover h ON h.enrolment_id = e.id
    WHERE p.photo_id IS NOT NULL AND p.nik IS NOT NULL
    ORDER BY (SELECT count(*) FROM enrolment x WHERE x.person_id = p.id) DESC, p.pk LIMIT 1
"""
# A household with several members and at least one enrolment.
HOUSEHOLD_SQL = """
    SELECT h.id, h.kk_number FROM household h
    JOIN enrolment e ON e.household_id = h.id AND e.deleted_at IS NULL
    WHERE (SELECT count(*) FROM person m WHERE m.household_id = h.id) BETWEEN 4 AND 6
    GROUP BY h.id ORDER BY count(e.id) DESC, h.pk LIMIT 1
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--people", type=int, default=2000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scratch = Path(tempfile.mkdtemp(prefix="muba-screens-"))
    os.environ["MUBA_DESK_DATA"] = str(scratch / "data")  # never touch the user's own data
    sys.path.insert(0, str(ROOT))

    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from muba_desk.app import configure_application
    from muba_desk.gui.first_start import FirstStartDialog, build_demo, demo_db_path
    from muba_desk.gui.main_window import HOUSEHOLDS, PEOPLE, MainWindow
    from muba_desk.progress import Progress

    app = QApplication([])
    configure_application(app)
    args.out.mkdir(parents=True, exist_ok=True)

    def save(widget, name: str) -> None:
        settle(app, widget)
        widget.grab().save(str(args.out / name))
        print(args.out / name)

    dialog = FirstStartDialog()
    dialog.resize(640, 460)
    dialog.show()
    save(dialog, "first-start.png")
    dialog.close()

    print(f"building a demo registry of {args.people} people…", file=sys.stderr)
    demo = build_demo(demo_db_path(), Progress(), people=args.people)

    window = MainWindow(demo)
    window.resize(*SIZE)
    window.show()
    wait_until(app, lambda: not window.searching() and window.counts_label.text())
    save(window, "registry.png")

    QTest.keyClicks(window.search, "siti")
    wait_until(app, lambda: window.search.text() == "siti" and not window.searching())
    wait_until(app, lambda: not window._search_timer.isActive() and not window.searching())
    save(window, "search.png")

    person_id, name = pick(demo, PERSON_SQL)
    window.search.setText(name)
    window.run_search()
    wait_until(app, lambda: not window.searching())
    window.show_tab(PEOPLE)
    window.people_view.selectRow(window.people_model.row_of(person_id))
    wait_until(app, lambda: window.details.shown == ("person", person_id))
    save(window, "person.png")

    household_id, kk = pick(demo, HOUSEHOLD_SQL)
    window.search.setText(kk)
    window.run_search()
    wait_until(app, lambda: not window.searching())
    window.show_tab(HOUSEHOLDS)
    window.households_view.selectRow(window.households_model.row_of(household_id))
    wait_until(app, lambda: window.details.shown == ("household", household_id))
    save(window, "household.png")

    window.close()  # stops the reader thread before its folder goes
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
