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
