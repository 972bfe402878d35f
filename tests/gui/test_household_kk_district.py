"""A KK issued in another district is pointed out at the field, as a warning that still saves."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from muba_desk.gui.household_form import HouseholdForm
from tests.gui.test_registration_forms import open_signed_in, rows, shortcut, wait_form


@pytest.fixture
def signed_in(qtbot, open_window):
    return lambda path: open_signed_in(qtbot, open_window, path)


def _open_form(qtbot, window):
    shortcut(qtbot, window, Qt.Key.Key_N)
    return wait_form(qtbot, window, HouseholdForm)


def test_a_kk_from_another_district_is_a_warning_at_the_field(qtbot, signed_in, tmp_path):
    path = tmp_path / "laptop.db"
    window, _operator = signed_in(path)
    form = _open_form(qtbot, window)
    message = form.fields["kk_number"].message
    qtbot.keyClicks(form.kk, "1671011201100009")  # Palembang, Ilir Barat Dua
    assert message.isVisible() and message.level == "warning"
    assert "di luar Musi Banyuasin" in message.text() and "Ilir Barat Dua" in message.text()

    form.kk.clear()
    qtbot.keyClicks(form.kk, "1606021201100009")  # Lais
    assert not message.isVisible() or message.level != "warning"  # in the regency: no word yet
    qtbot.keyClick(form.kk, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "Sekayu")
    assert form.district.value() == "16.06.01"
    assert message.isVisible() and message.level == "warning"
    assert message.text() == (
        "Nomor KK ini terbit di Kec. Lais (160602), bukan di Kec. Sekayu yang dipilih. Periksa "
        "nomor dan kecamatannya; bila keluarga sudah pindah, boleh disimpan."
    )

    # People move: the warning does not stop the save.
    for text in ("Kayu", "Jl. Lintas Timur 5"):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClicks(QApplication.focusWidget(), text)
    assert form.check()
    shortcut(qtbot, form, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: rows(path, "SELECT kk_number FROM household") != [])
    assert rows(path, "SELECT kk_number FROM household") == [("1606021201100009",)]


def test_a_kk_of_the_chosen_district_gets_no_warning(qtbot, signed_in, tmp_path):
    window, _operator = signed_in(tmp_path / "laptop.db")
    form = _open_form(qtbot, window)
    form.district.set_value("16.06.02")
    qtbot.keyClicks(form.kk, "1606021201100009")
    message = form.fields["kk_number"].message
    assert not (message.isVisible() and message.level == "warning")


def test_the_warning_is_english_in_english():
    from muba_desk import i18n
    from muba_desk.gui.household_form import kk_elsewhere

    i18n.set_language("en")
    try:
        (text,) = kk_elsewhere("160602", "16.06.01")
    finally:
        i18n.set_language("id")
    assert text.startswith("This KK number was issued in Lais district (160602), not in Sekayu")
