"""The laptop's side of field verification, at the keyboard: View -> "Hanya yang perlu
diverifikasi" lists the people an office list brought in, and the ordinary person form records
what the worker found (here: died), which takes the person off the list."""

import pytest

from muba_desk.core import operations
from muba_desk.gui.person_form import PersonForm
from muba_desk.lists.apply import apply_plan
from muba_desk.lists.mapping import mapping_for
from muba_desk.lists.plan import plan_import
from muba_desk.lists.read import read_list
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from tests.gui.test_registration_forms import open_signed_in, wait_form
from tests.lists import shapes


@pytest.fixture
def signed_in(qtbot, open_window):
    return lambda path: open_signed_in(qtbot, open_window, path)


def _import_p3ke(path, folder) -> dict:
    """The P3KE file of tests/lists/shapes.py imported by the office's own code path."""
    sheet = read_list(shapes.p3ke_xlsx(folder / "p3ke.xlsx")[0])
    db = connect(path)
    try:
        reg = Registry(db, operator_id="op-kantor")
        with reg.transaction():
            plan = plan_import(reg, sheet, mapping_for(sheet, "P3KE 2025"))
            apply_plan(reg, operations.Actor("op-kantor", side=operations.OFFICE), plan)
        rows = db.conn.execute(
            "SELECT name, id FROM person WHERE verify_state = 'to_verify'"
        ).fetchall()
        return dict(rows)
    finally:
        db.close()


def _state(path, person_id):
    db = connect(path)
    try:
        return db.conn.execute(
            "SELECT verify_state FROM person WHERE id = ?", (person_id,)
        ).fetchone()[0]
    finally:
        db.close()


def _listed(window) -> set[str]:
    model = window.people_model
    return {model.hit(row).name for row in range(model.rowCount())}


def test_the_worker_lists_people_to_verify_and_marks_one_died(qtbot, signed_in, sample, tmp_path):
    path, ids = sample
    imported = _import_p3ke(path, tmp_path)
    assert {"SITI AMINAH", "DEWI", "NENEK IJAH"} <= imported.keys()
    window, _operator = signed_in(path)
    qtbot.waitUntil(lambda: getattr(window, "verify_action", None) is not None)

    window.verify_action.trigger()
    qtbot.waitUntil(lambda: not window.searching() and _listed(window) == imported.keys())
    assert "perlu diverifikasi" in window.result_label.text()
    assert "Siti Aminah" not in _listed(window)  # registered in the field: nothing to verify

    # A person registered in the field: the form asks nothing about verification.
    window.show_person(ids["siti"])
    qtbot.waitUntil(lambda: window.selected_person_id() == ids["siti"])
    qtbot.waitUntil(lambda: "Siti Aminah" in window.details.toPlainText())
    assert "Verifikasi lapangan" not in window.details.toPlainText()
    window.edit_selected()
    ordinary = wait_form(qtbot, window, PersonForm)
    assert not ordinary.verifying and not ordinary.form.isRowVisible(
        ordinary.fields["verify_state"]
    )
    ordinary.discard()
    qtbot.waitUntil(lambda: window.forms == [])

    ijah = imported["NENEK IJAH"]
    window.show_person(ijah)
    qtbot.waitUntil(lambda: window.selected_person_id() == ijah)
    qtbot.waitUntil(lambda: "NENEK IJAH" in window.details.toPlainText())
    assert "Verifikasi lapangan" in window.details.toPlainText()
    assert "Belum diverifikasi" in window.details.toPlainText()
    window.edit_selected()
    form = wait_form(qtbot, window, PersonForm)
    assert form.verifying and form.form.isRowVisible(form.fields["verify_state"])
    assert form.verify_state.value() == "to_verify"
    form.verify_state.set_value("died")  # no consent asked of someone who died
    form.save()
    qtbot.waitUntil(lambda: window.forms == [])
    assert _state(path, ijah) == "died"
    qtbot.waitUntil(lambda: "Meninggal" in window.details.toPlainText())  # shown once saved
    qtbot.waitUntil(lambda: not window.searching() and "NENEK IJAH" not in _listed(window))
    assert _listed(window) == imported.keys() - {"NENEK IJAH"}

    window.verify_action.trigger()  # off: the whole registry again
    qtbot.waitUntil(lambda: not window.searching() and "Siti Aminah" in _listed(window))
