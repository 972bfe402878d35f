"""An office made on the command line can be signed into: `office init --supervisor` makes the
first supervisor, `operator add|reset|disable` manage the others with the office passphrase."""

from __future__ import annotations

import itertools
import time

from muba_desk.cli import main
from muba_desk.gui.signin import sign_in
from muba_desk.store import keys
from muba_desk.store.operators import Operator, SignInRefused

OFFICE_PASSPHRASE = "kantor-rahasia-uji-panjang"


def _secret(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _office(tmp_path, monkeypatch):
    monkeypatch.setenv("MUBA_DESK_PASSPHRASE", OFFICE_PASSPHRASE)
    db = tmp_path / "kantor.db"
    password = _secret(tmp_path, "penyelia.txt", "sandi-penyelia-1")
    status = main(
        ["office", "init", "--db", str(db), "--supervisor", "siti",
         "--supervisor-password-file", str(password)]
    )  # fmt: skip
    assert status == 0
    keys.forget_all()  # a new start of the app: the file is locked again
    return db


_later = itertools.count(1)


def _sign_in(db, name: str, password: str):
    """As the window's sign-in panel does, on a fresh start; each try an hour after the last,
    so the growing wait after a refused try does not refuse the next one."""
    keys.forget_all()
    now = time.monotonic() + 3600 * next(_later)
    return sign_in(db, name, password, now=now, action=None)


def test_office_init_makes_a_supervisor_who_signs_in_and_unlocks_the_registry(
    tmp_path, monkeypatch
):
    db = _office(tmp_path, monkeypatch)
    assert keys.is_encrypted(db)
    signed = _sign_in(db, "siti", "sandi-penyelia-1")
    assert isinstance(signed, Operator) and signed.is_supervisor
    assert keys.key_for(db) is not None  # the password itself unwrapped the database key
    assert isinstance(_sign_in(db, "siti", "salah-sandi-99"), SignInRefused)


def test_office_init_without_a_terminal_names_the_password_option(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MUBA_DESK_PASSPHRASE", OFFICE_PASSPHRASE)
    db = tmp_path / "kantor.db"
    assert main(["office", "init", "--db", str(db), "--supervisor", "siti"]) == 1
    err = capsys.readouterr().err.strip()
    assert "--supervisor-password-file" in err and "\n" not in err and "Traceback" not in err
    assert not db.exists()  # nothing half-made


def test_operator_add_makes_a_petugas_who_signs_in(tmp_path, monkeypatch):
    db = _office(tmp_path, monkeypatch)
    password = _secret(tmp_path, "budi.txt", "sandi-budi-123")
    assert main(["operator", "add", "--db", str(db), "--name", "budi",
                 "--password-file", str(password)]) == 0  # fmt: skip
    signed = _sign_in(db, "budi", "sandi-budi-123")
    assert isinstance(signed, Operator) and signed.role == "operator"


def test_operator_reset_changes_the_password(tmp_path, monkeypatch):
    db = _office(tmp_path, monkeypatch)
    new = _secret(tmp_path, "baru.txt", "sandi-baru-456")
    assert main(["operator", "reset", "--db", str(db), "--name", "siti",
                 "--password-file", str(new)]) == 0  # fmt: skip
    assert isinstance(_sign_in(db, "siti", "sandi-penyelia-1"), SignInRefused)
    assert isinstance(_sign_in(db, "siti", "sandi-baru-456"), Operator)


def test_operator_disable_stops_sign_in_but_keeps_the_last_supervisor(
    tmp_path, monkeypatch, capsys
):
    db = _office(tmp_path, monkeypatch)
    password = _secret(tmp_path, "budi.txt", "sandi-budi-123")
    main(["operator", "add", "--db", str(db), "--name", "budi", "--password-file", str(password)])
    assert main(["operator", "disable", "--db", str(db), "--name", "budi"]) == 0
    assert isinstance(_sign_in(db, "budi", "sandi-budi-123"), SignInRefused)
    capsys.readouterr()
    assert main(["operator", "disable", "--db", str(db), "--name", "siti"]) == 1
    assert "penyelia terakhir" in capsys.readouterr().err
    assert isinstance(_sign_in(db, "siti", "sandi-penyelia-1"), Operator)


def test_a_wrong_office_passphrase_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    db = _office(tmp_path, monkeypatch)
    password = _secret(tmp_path, "budi.txt", "sandi-budi-123")
    capsys.readouterr()
    for wrong in ("bukan-kata-sandi-kantor", "sandi-penyelia-1"):  # an operator's is not enough
        monkeypatch.setenv("MUBA_DESK_PASSPHRASE", wrong)
        keys.forget_all()
        status = main(["operator", "add", "--db", str(db), "--name", "budi",
                       "--password-file", str(password)])  # fmt: skip
        assert status == 1
        err = capsys.readouterr().err.strip()
        assert err and "\n" not in err and "Traceback" not in err
    assert isinstance(_sign_in(db, "budi", "sandi-budi-123"), SignInRefused)
