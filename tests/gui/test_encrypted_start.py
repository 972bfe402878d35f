"""Start on an encrypted registry: the sign-in unwraps the key before the window opens; with
the switch on, a plain registry with operators is converted at that sign-in. One instance."""

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from muba_desk import app
from muba_desk.gui.signin import SignInPanel
from muba_desk.store import keys, operators
from muba_desk.store.db import connect, is_plain_sqlite


def _registry_with_budi(path):
    db = connect(path)
    operators.create_operator(
        db, username="budi", full_name="Budi Santoso", role="supervisor", password="sandi-budi-01"
    )
    db.close()


@pytest.fixture
def type_in(qtbot, monkeypatch):
    """QDialog.exec fills the sign-in panel with `typed` and waits for the answer."""
    typed = {}

    def exec_(dialog):
        panel = dialog.findChild(SignInPanel)
        panel.username.setText(typed["username"])
        panel.password.setText(typed["password"])
        panel.submit()
        qtbot.waitUntil(lambda: panel.job is None, timeout=10000)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(QDialog, "exec", exec_)
    return typed


def test_an_encrypted_registry_asks_for_the_sign_in_before_the_window(
    qtbot, tmp_path, type_in, monkeypatch
):
    path = tmp_path / "laptop.db"
    keys.create_key_file(path, operators={"budi": "sandi-budi-01"})
    _registry_with_budi(path)
    keys.forget_all()
    type_in.update(username="budi", password="sandi-budi-01")
    window = app.open_first_window(path)
    qtbot.addWidget(window)
    assert window.operator.username == "budi"
    # A second muba-desk on the same registry is told, not let in.
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    assert app.open_first_window(path) is None
    assert "sedang dibuka" in warnings[0]
    window.instance_lock.release()


def test_a_wrong_password_leaves_it_closed(qtbot, tmp_path, type_in):
    path = tmp_path / "laptop.db"
    keys.create_key_file(path, operators={"budi": "sandi-budi-01"})
    _registry_with_budi(path)
    keys.forget_all()
    type_in.update(username="budi", password="salah-salah")
    assert app.open_first_window(path) is None
    assert keys.key_for(path) is None


def test_with_the_switch_on_a_plain_registry_is_converted_at_sign_in(
    qtbot, tmp_path, type_in, monkeypatch
):
    monkeypatch.setenv(keys.ENCRYPT_ENV, "1")
    path = tmp_path / "lama.db"
    _registry_with_budi(path)
    assert is_plain_sqlite(path)
    type_in.update(username="budi", password="sandi-budi-01")
    window = app.open_first_window(path)
    qtbot.addWidget(window)
    assert window.operator.username == "budi"
    assert keys.is_encrypted(path) and not is_plain_sqlite(path)
    assert keys.usernames(path) == ["budi"]
    window.instance_lock.release()


def test_the_others_are_told_they_need_a_new_password_after_a_conversion(
    qtbot, tmp_path, type_in, monkeypatch
):
    """Only the signer can unwrap a converted registry's key: the window says so, a sign-in by
    another operator says what to do, and a supervisor's new password gives them access."""
    from muba_desk.gui.signin import NO_KEY_SLOT, sign_in

    path = tmp_path / "lama.db"
    _registry_with_budi(path)
    db = connect(path)
    operators.create_operator(
        db, username="sari", full_name="Sari", role="operator", password="sandi-sari-01"
    )
    db.close()
    told = []
    monkeypatch.setattr(app, "_tell_later", lambda title, text: told.append(text))
    type_in.update(username="budi", password="sandi-budi-01")
    window = app.open_first_window(path)
    qtbot.addWidget(window)
    assert keys.usernames(path) == ["budi"] and "penyelia" in told[0]
    budi = window.operator
    keys.forget_all()
    refused = sign_in(path, "sari", "sandi-sari-01", 0.0, None)
    assert str(refused) == NO_KEY_SLOT
    keys.unlock(path, "budi", "sandi-budi-01")
    db = connect(path)
    operators.set_password(db, username="sari", password="sandi-sari-02", changed_by=budi.id)
    db.close()
    keys.forget_all()
    assert sign_in(path, "sari", "sandi-sari-02", 10.0, None).username == "sari"
    window.instance_lock.release()


def test_switching_to_a_locked_registry_signs_in_and_moves_the_lock(qtbot, tmp_path, type_in):
    from muba_desk import safety

    first, second = tmp_path / "satu.db", tmp_path / "dua.db"
    for path in (first, second):
        keys.create_key_file(path, operators={"budi": "sandi-budi-01"})
        _registry_with_budi(path)
    keys.forget_all()
    type_in.update(username="budi", password="sandi-budi-01")
    window = app.open_first_window(first)
    qtbot.addWidget(window)
    assert keys.key_for(second) is None
    assert app.switch_registry(window, second)
    assert window.db_path == second and window.operator.username == "budi"
    assert window.instance_lock.path == safety.InstanceLock(second).path
    safety.InstanceLock(first).acquire().release()  # the old registry is free again
    with pytest.raises(safety.AlreadyOpen):
        safety.InstanceLock(second).acquire()
    window.instance_lock.release()


def test_operators_added_in_the_window_can_open_the_encrypted_registry(
    qtbot, tmp_path, open_window
):
    path = tmp_path / "laptop.db"
    keys.create_key_file(path, operators={"budi": "sandi-budi-01"})
    _registry_with_budi(path)
    db = connect(path)
    budi = operators.authenticate(db, "budi", "sandi-budi-01", now=0.0)
    db.close()
    window = open_window(path, operator=budi)
    window.show_operators()
    dialog = window.operators_dialog
    fields = dialog.fields
    fields.username.setText("sari")
    fields.full_name.setText("Sari Wulandari")
    fields.password.setText("sandi-sari-01")
    fields.repeat.setText("sandi-sari-01")
    dialog.add_button.click()
    qtbot.waitUntil(lambda: dialog.job is None and dialog.list.count() == 2, timeout=10000)
    assert keys.usernames(path) == ["budi", "sari"]
    # A new password for the one chosen in the list wraps the key again.
    row = next(i for i in range(2) if "(sari)" in dialog.list.item(i).text())
    dialog.list.setCurrentRow(row)
    fields.password.setText("sandi-sari-02")
    fields.repeat.setText("sandi-sari-02")
    dialog.reset_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert fields.error.text() == ""
    keys.forget(path)
    keys.unlock(path, "sari", "sandi-sari-02")
