"""Bertani: the house assessment with before/after photos, and the side-by-side view."""

from __future__ import annotations

import pytest

from muba_desk.gui import enrolment_backend
from muba_desk.gui.bertani import HousePhotosDialog
from tests.gui.enrolment_helpers import choose, enrolment, open_program, query, submit, type_into
from tests.gui.enrolment_people import OPERATOR, PHOTOS, make


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "bertani.db"
    return path, make(path)


@pytest.fixture
def backend(registry, qtbot):
    path, _ids = registry
    backend = enrolment_backend.threaded(path, OPERATOR, "Rina Operator")
    yield backend
    backend.close()


def assess(qtbot, form) -> None:
    for name, label in (
        ("roof_material", "Seng"),
        ("roof_condition", "Rusak berat"),
        ("wall_material", "Papan"),
        ("wall_condition", "Rusak sedang"),
        ("floor_material", "Tanah"),
        ("floor_condition", "Rusak berat"),
        ("toilet", "Tidak ada"),
        ("land_evidence", "Surat"),
        ("land_disputed", "Tidak"),
        ("had_housing_aid", "Tidak"),
    ):
        choose(qtbot, form, name, label)
    type_into(qtbot, form, "floor_area", "18,5")
    type_into(qtbot, form, "occupants", "4")


def test_bertani_house_with_before_and_after_photos(qtbot, registry, backend):
    path, ids = registry
    form = open_program(qtbot, backend, "BERTANI", person_id=ids["rahmat"])
    assess(qtbot, form)
    text = form.eligibility_text()
    assert "Rumah tidak layak huni" in text and "4,6 m² per orang" in text
    assert "✗" not in text
    form.slots["house_before"].add_file(PHOTOS / "jpg_orientation" / "landscape_1.jpg")
    form.slots["house_after"].add_file(PHOTOS / "jpg_gps" / "DSCN0010.jpg")
    qtbot.waitUntil(lambda: all(s.photo for k, s in form.slots.items() if k != "house_during"))
    # The after photo carries GPS: the worker takes it for the house with one click.
    gps = form.slots["house_after"].gps_button
    assert gps.isVisible()
    qtbot.mouseClick(gps, qtbot_button())
    assert form.inputs["gps_lat"].raw().startswith("43,4674")
    row = submit(qtbot, form)
    saved = enrolment(path, row["id"])
    assert saved["status"] == "DIAJUKAN"
    assert saved["data"]["floor_area"] == 18.5 and saved["data"]["occupants"] == 4
    assert saved["data"]["gps_lat"] == pytest.approx(43.467448)
    photos = query(
        path,
        "SELECT kind, width, height, gps_lat, created_by FROM photo "
        "WHERE owner_table = 'enrolment' AND owner_id = ? ORDER BY kind",
        (row["id"],),
    )
    assert [(p["kind"], p["width"], p["height"]) for p in photos] == [
        ("house_after", 640, 480),
        ("house_before", 600, 450),
    ]
    assert photos[0]["gps_lat"] == pytest.approx(43.4674, abs=1e-3)
    household = query(path, "SELECT gps_lat, gps_lon FROM household WHERE id = ?",
                      (ids["rahmat_household"],))[0]  # fmt: skip
    assert household["gps_lat"] == pytest.approx(43.4674, abs=1e-3)

    dialog = HousePhotosDialog(backend, row["id"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.loaded)
    assert dialog.view.pictures["house_before"].pixmap().width() > 0
    assert dialog.view.pictures["house_after"].pixmap().width() > 0
    assert "22/10/2008" in dialog.view.captions["house_after"].text()
    # A new "during" photo and a replaced "after" photo are stored in one save.
    dialog.slots["house_during"].add_file(PHOTOS / "jpg_orientation" / "landscape_3.jpg")
    dialog.slots["house_after"].add_file(PHOTOS / "jpg_orientation" / "portrait_6.jpg")
    qtbot.waitUntil(lambda: not any(s.busy for s in dialog.slots.values()))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.loaded and "disimpan" in dialog.message.text())
    kinds = query(
        path,
        "SELECT kind, height FROM photo WHERE owner_id = ? AND deleted_at IS NULL ORDER BY kind",
        (row["id"],),
    )
    assert [k["kind"] for k in kinds] == ["house_after", "house_before", "house_during"]
    assert kinds[0]["height"] > 450  # the portrait replaced the landscape


def test_submitting_without_a_before_photo_is_refused(qtbot, registry, backend):
    _path, ids = registry
    form = open_program(qtbot, backend, "BERTANI", person_id=ids["rahmat"])
    assess(qtbot, form)
    form.submit_button.click()
    assert "Foto rumah sebelum" in form.message.text()
    assert form.result_row is None


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
