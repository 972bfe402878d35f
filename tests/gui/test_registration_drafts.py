"""Drafts: a form's typing survives the app being killed and is offered back at the next start."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from muba_desk.gui.person_form import PersonForm
from tests.gui.test_registration_forms import rows, wait_form

ROOT = Path(__file__).resolve().parents[2]

# Opens the window offscreen, types half a person and keeps running until it is killed.
TYPIST = """
import sys
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from muba_desk.gui.main_window import MainWindow

app = QApplication([])
window = MainWindow(sys.argv[1])
window.show()
window.add_person(sys.argv[2])
while not window.forms:
    app.processEvents()
form = window.forms[0]
QTest.keyClicks(form.nik, "1606011505800003")
QTest.keyClicks(form.name, "Muhammad Ridwan")
QTest.keyClicks(form.phone, "0812 7777 8888")
print("typed", flush=True)
app.exec()
"""


def saved_draft(path: Path) -> dict | None:
    """The typist's draft once its last field reached the file (it may hold the lock a moment)."""
    try:
        found = rows(path, "SELECT state FROM draft")
    except Exception:
        return None
    state = json.loads(found[0][0]) if found else None
    return state if state and state["fields"].get("phone") == "0812 7777 8888" else None


def test_a_killed_app_offers_the_draft_back_and_restores_it(qtbot, open_window, sample, tmp_path):
    path, ids = sample
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    typist = subprocess.Popen(
        [sys.executable, "-c", TYPIST, str(path), ids["household"]],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        qtbot.waitUntil(lambda: saved_draft(path) is not None, timeout=30000)
        state = saved_draft(path)
    finally:
        typist.send_signal(signal.SIGKILL)
        typist.wait(10)
    assert typist.returncode == -signal.SIGKILL
    assert state["kind"] == "person" and state["context"]["household_id"] == ids["household"]

    window = open_window(path)
    qtbot.waitUntil(lambda: window.draft_offer is not None and window.draft_offer.isVisible())
    offer = window.draft_offer
    assert offer.findChild(type(offer.list)).count() == 1
    assert "Lanjutkan isian yang belum disimpan?" in [
        label.text() for label in offer.findChildren(type(window.result_label))
    ]
    offer.continue_button.click()
    form = wait_form(qtbot, window, PersonForm)
    assert form.nik.text() == "1606011505800003"
    assert form.name.text() == "Muhammad Ridwan"
    assert form.phone.text() == "0812 7777 8888"
    assert form.birth_date.text() == "15/05/1980"  # filled from the NIK before the crash
    assert form.fields["nik"].message.text().startswith("Menurut NIK")


def test_discarding_the_offered_drafts_deletes_them(qtbot, open_window, sample):
    from muba_desk.store.db import connect
    from muba_desk.store.drafts import save_draft

    path, ids = sample
    db = connect(path)
    try:
        save_draft(
            db,
            "d1",
            kind="person",
            title="Anggota baru",
            state={
                "kind": "person",
                "context": {"household_id": ids["household"]},
                "fields": {"name": "Budi"},
            },
        )
    finally:
        db.close()
    window = open_window(path)
    qtbot.waitUntil(lambda: window.draft_offer is not None and window.draft_offer.isVisible())
    window.draft_offer.discard_button.click()
    qtbot.waitUntil(lambda: rows(path, "SELECT count(*) FROM draft") == [(0,)])
    assert not window.forms
