"""Driving the enrolment dialogs from the keyboard in tests, and reading back what they saved."""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from muba_desk.gui.enrolment_form import EnrolmentForm, open_form


def open_program(qtbot, backend, program: str, **target) -> EnrolmentForm:
    form = open_form(program, backend, **target)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitUntil(lambda: form.target is not None)
    return form


def type_into(qtbot, form: EnrolmentForm, name: str, text: str) -> None:
    """Click into the field, select what is there, and type."""
    widget = form.inputs[name].focus_widget()
    widget.setFocus()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def choose(qtbot, form: EnrolmentForm, name: str, label: str) -> None:
    """Pick a drop-down row by typing the start of its label, as with the keyboard."""
    combo = form.inputs[name].focus_widget()
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    # Typing jumps to the first row starting with the word (a space would open the list);
    # the arrow key walks on to the wanted row.
    qtbot.keyClicks(combo, label.split()[0])
    for _step in range(combo.count()):
        if combo.currentText().startswith(label):
            break
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText().startswith(label), (name, combo.currentText())


def tick(qtbot, form: EnrolmentForm, name: str, value: str) -> None:
    box = form.inputs[name].boxes[value]
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()


def submit(qtbot, form: EnrolmentForm, draft: bool = False) -> dict:
    button = form.draft_button if draft else form.submit_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.result_row is not None or form.message.text().startswith("Gagal"))
    assert form.result_row is not None, form.message.text()
    return form.result_row


def query(path, sql: str, params=()) -> list[dict]:
    with sqlite3.connect(path) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(sql, params)]


def enrolment(path, enrolment_id: str) -> dict:
    row = query(path, "SELECT * FROM enrolment WHERE id = ?", (enrolment_id,))[0]
    row["data"] = json.loads(row["data"])
    row["history"] = query(
        path,
        "SELECT from_status, to_status, reason, created_by FROM enrolment_status "
        "WHERE enrolment_id = ? ORDER BY pk",
        (enrolment_id,),
    )
    return row
