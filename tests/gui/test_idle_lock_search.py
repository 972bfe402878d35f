"""The lock screen shows nothing of the work behind it: no search, no list, no details."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

from tests.gui.test_registration_forms import PASSWORD, open_signed_in, shortcut


def _readable_texts(window) -> list[str]:
    """Every text on the window a passer-by could read (widgets on screen) or find."""
    texts = [window.windowTitle()]
    for cls in (QLabel, QLineEdit, QAbstractButton):
        texts += [w.text() for w in window.findChildren(cls)]
    texts.append(window.statusBar().currentMessage())
    return texts


def test_locking_hides_the_search_and_unlocking_brings_it_back(qtbot, open_window, sample):
    path, _ids = sample
    window, _operator = open_signed_in(qtbot, open_window, path)
    qtbot.keyClicks(window.search, "Aminah")
    window.run_search()
    qtbot.waitUntil(lambda: not window.searching())
    assert window.people_model.rowCount() >= 1
    window.people_view.setFocus()
    window.people_view.selectRow(0)
    qtbot.waitUntil(lambda: window.selected_person_id() is not None)
    assert any("Aminah" in t for t in _readable_texts(window))

    shortcut(qtbot, window, Qt.Key.Key_L)  # Ctrl+L
    assert window.locked
    qtbot.wait(300)  # let any answer still on its way arrive
    assert window.search.text() == ""
    assert window.people_model.rowCount() == 0 and window.households_model.rowCount() == 0
    assert window.selected_person_id() is None
    assert not any("Aminah" in t for t in _readable_texts(window))

    qtbot.keyClicks(window.signin.password, PASSWORD)
    qtbot.keyClick(window.signin.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked)
    qtbot.waitUntil(lambda: not window.searching())
    assert window.search.text() == "Aminah"
    assert window.people_model.rowCount() >= 1
    assert "Aminah" in window.result_label.text()


def test_the_idle_lock_hides_the_search_too(qtbot, open_window, sample):
    path, _ids = sample
    window, _operator = open_signed_in(qtbot, open_window, path)
    qtbot.keyClicks(window.search, "Siti")
    window.run_search()
    qtbot.waitUntil(lambda: not window.searching())
    window.idle.set_interval(200)  # ten minutes in real use
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert window.search.text() == "" and window.people_model.rowCount() == 0
    assert not any("Siti" in t for t in _readable_texts(window))
