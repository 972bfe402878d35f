"""Signing in, the growing wait after wrong passwords, and the idle lock that keeps typing."""

import pytest
from PySide6.QtCore import Qt

from muba_desk.gui.person_form import PersonForm
from tests.gui.test_registration_forms import (
    PASSWORD,
    add_operator,
    open_signed_in,
    rows,
    sign_in,
    wait_form,
)


@pytest.fixture
def signed_in(qtbot, open_window):
    return lambda path: open_signed_in(qtbot, open_window, path)


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def test_a_registry_with_operators_shows_only_the_sign_in(qtbot, open_window, sample):
    path, _ids = sample
    add_operator(path)
    window = open_window(path)
    assert window.pages.currentWidget() is window.signin
    assert window.operator is None
    assert not window.new_household_action.isEnabled()
    assert window.signin.title.text() == "Masuk"


def test_wrong_passwords_make_the_sign_in_wait_longer_each_time(qtbot, open_window, sample):
    path, _ids = sample
    operator = add_operator(path)
    clock = Clock()
    window = open_window(path, clock=clock)
    panel = window.signin
    for wait in (1, 2, 4):
        sign_in(qtbot, window, password="salah-sekali")
        qtbot.waitUntil(lambda: panel.job is None)
        assert panel.message.text() == "Nama pengguna atau kata sandi salah."
        assert not panel.button.isEnabled()
        assert panel.button.text() == f"Tunggu {wait} detik"
        clock.now += wait - 0.5
        panel.update_countdown()
        assert not panel.button.isEnabled() and panel.button.text() == "Tunggu 1 detik"
        clock.now += 0.5
        panel.update_countdown()
        assert panel.button.isEnabled()
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: window.operator is not None)
    assert window.operator.id == operator.id
    assert window.pages.currentIndex() == 0
    actions = rows(path, "SELECT action FROM audit WHERE operator_id = ?", (operator.id,))
    assert actions[-1] == ("sign_in",)


def test_while_waiting_even_the_right_password_is_refused(qtbot, open_window, sample):
    path, _ids = sample
    add_operator(path)
    clock = Clock()
    window = open_window(path, clock=clock)
    sign_in(qtbot, window, password="salah-sekali")
    qtbot.waitUntil(lambda: window.signin.job is None)
    window.signin.retry_at = 0  # pretend the button was not disabled: the store still refuses
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: window.signin.job is None)
    assert window.operator is None
    assert window.signin.message.text().startswith("Terlalu banyak percobaan yang salah.")


def test_the_idle_lock_keeps_a_half_typed_form(qtbot, signed_in, sample):
    path, ids = sample
    window, operator = signed_in(path)
    window.idle.set_interval(300)  # ten minutes in real use
    window.add_person(ids["household"])
    form = wait_form(qtbot, window, PersonForm)
    qtbot.keyClicks(form.name, "Budi Sant")
    qtbot.keyClicks(form.nik, "160601")
    qtbot.waitUntil(lambda: window.locked, timeout=5000)  # nobody touches anything
    assert not form.isVisible()
    assert window.pages.currentWidget() is window.signin
    assert window.signin.title.text() == "Layar terkunci"
    assert window.signin.username.text() == "ani" and window.signin.username.isReadOnly()
    assert not window.new_household_action.isEnabled()
    qtbot.keyClicks(window.signin.password, PASSWORD)
    qtbot.keyClick(window.signin.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked)
    assert form.isVisible() and window.forms == [form]
    assert form.name.text() == "Budi Sant" and form.nik.text() == "160601"
    qtbot.keyClicks(form.name, "oso")
    assert form.name.text() == "Budi Santoso"
    actions = [
        a for (a,) in rows(path, "SELECT action FROM audit WHERE operator_id = ?", (operator.id,))
    ]
    assert actions[-2:] == ["lock", "unlock"]
