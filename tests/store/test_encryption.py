"""Encryption at rest: SQLCipher with a random key per file, wrapped per operator and for
recovery in `registry.db.keys`; no name or NIK in clear on disk; a wrong password opens nothing."""

import json
import sqlite3
import subprocess
import sys

import pytest

from muba_desk.cli import main as cli
from muba_desk.store import keys
from muba_desk.store.db import (
    DatabaseError,
    DatabaseLocked,
    connect,
    decrypt_to,
    encrypt_plain_database,
    is_plain_sqlite,
)
from muba_desk.store.records import add_household, add_person
from muba_desk.store.registry import Registry
from muba_desk.store.search import search_people
from tests.conftest import TEST_PASSPHRASE

NAME, NIK = "Siti Aminah Rahasia", "1606014107850003"


def _add_siti(path):
    db = connect(path)
    reg = Registry(db, operator_id="op-test")
    with reg.transaction():
        household = add_household(reg, village_code="16.06.01.1009", kk_number="1606010101080001")
        add_person(
            reg,
            name=NAME,
            sex="P",
            nik=NIK,
            household_id=household["id"],
            relation="kepala",
            birth_date="1985-07-01",
        )
    return db


def _clear_text_in(folder) -> list[str]:
    found = []
    needles = [NAME.encode(), NIK.encode(), NAME.encode("utf-16-le"), b"Aminah"]
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n!r}" for n in needles if n in data]
    return found


def test_sqlcipher_has_fts5_and_search_works_on_an_encrypted_registry(db_path):
    db = _add_siti(db_path)
    try:
        assert db.conn.execute("PRAGMA cipher_version").fetchone()[0]
        assert [hit.name for hit in search_people(db, "siti ami")] == [NAME]
    finally:
        db.close()


def test_no_name_or_nik_in_clear_in_any_file_left_on_disk(db_path, tmp_path):
    from muba_desk.store.backup import backup_to_folder, rotate

    db = _add_siti(db_path)
    # While open too: the WAL holds encrypted pages.
    assert _clear_text_in(tmp_path) == []
    db.close()
    rotate(db_path, reason="keluar")
    backup_to_folder(db_path, tmp_path / "usb", passphrase="flashdisk rahasia")
    assert not is_plain_sqlite(db_path)
    assert _clear_text_in(tmp_path) == []
    key_file = json.loads(keys.key_file_of(db_path).read_text())
    assert {slot["kind"] for slot in key_file["slots"]} == {"operator", "recovery"}


def test_a_wrong_password_opens_nothing(db_path):
    _add_siti(db_path).close()
    keys.forget_all()
    with pytest.raises(DatabaseLocked):
        connect(db_path)
    with pytest.raises(keys.WrongSecret):
        keys.unlock(db_path, "op-test", "salah sekali")
    with pytest.raises(keys.WrongSecret):
        keys.unlock(db_path, "tidak-ada", TEST_PASSPHRASE)
    with pytest.raises(keys.WrongSecret):
        keys.unlock_with_passphrase(db_path, "salah sekali")
    # A wrong key given directly: refused with a message, never opened as empty.
    with pytest.raises(DatabaseError, match="kunci salah"):
        connect(db_path, key=b"\x01" * 32)
    # Plain SQLite sees noise.
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db_path).execute("SELECT * FROM sqlite_master").fetchall()
    assert keys.key_for(db_path) is None
    keys.unlock(db_path, "op-test", TEST_PASSPHRASE)
    db = connect(db_path)
    assert db.execute("SELECT name FROM person").fetchall() == [(NAME,)]
    db.close()


def test_operators_are_listed_from_the_key_file_and_passwords_can_be_added(db_path):
    connect(db_path).close()
    keys.set_operator_password(db_path, "budi", "kata sandi budi")
    assert keys.usernames(db_path) == ["budi", "op-test"]
    keys.forget_all()
    keys.unlock(db_path, "budi", "kata sandi budi")
    connect(db_path).close()
    keys.remove_operator(db_path, "budi")
    keys.forget_all()
    with pytest.raises(keys.WrongSecret):
        keys.unlock(db_path, "budi", "kata sandi budi")


def test_driver_errors_are_caught_as_sqlite3_errors(db_path):
    db = _add_siti(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.conn.execute("DELETE FROM audit")
        with pytest.raises(sqlite3.OperationalError):
            db.conn.execute("SELECT * FROM no_such_table")
    finally:
        db.close()


def test_office_recovery_copy_opens_with_the_office_identity(db_path):
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    connect(db_path).close()
    keys.add_office_recovery(db_path, str(identity.to_public()))
    keys.forget_all()
    keys.unlock_with_office(db_path, identity)
    connect(db_path).close()
    keys.forget_all()
    with pytest.raises(keys.WrongSecret):
        keys.unlock_with_office(db_path, pyrage.x25519.Identity.generate())


def test_a_plain_registry_is_converted_with_a_verified_copy(tmp_path):
    plain = tmp_path / "lama.db"
    _add_siti(plain).close()
    assert is_plain_sqlite(plain)
    key = keys.create_key_file(plain, operators={"op-test": TEST_PASSPHRASE})
    encrypt_plain_database(plain, key)
    assert not is_plain_sqlite(plain)
    assert not (tmp_path / "lama.db.plain-backup").exists()
    assert _clear_text_in(tmp_path) == []
    keys.forget_all()
    keys.unlock(plain, "op-test", TEST_PASSPHRASE)
    db = connect(plain)
    assert db.execute("SELECT nik FROM person").fetchall() == [(NIK,)]
    db.close()


def test_a_failed_conversion_leaves_the_plain_registry(tmp_path, monkeypatch):
    from muba_desk.store import db as store_db

    plain = tmp_path / "lama.db"
    _add_siti(plain).close()
    before = plain.read_bytes()
    key = keys.create_key_file(plain, operators={"op-test": TEST_PASSPHRASE})
    monkeypatch.setattr(store_db, "content_digest", lambda conn: str(id(conn)))  # never equal
    with pytest.raises(DatabaseError, match="gagal diperiksa"):
        encrypt_plain_database(plain, key)
    assert is_plain_sqlite(plain) and plain.read_bytes() == before


def test_decrypt_writes_a_plain_copy_only_with_the_right_passphrase(db_path, tmp_path, capsys):
    _add_siti(db_path).close()
    keys.forget_all()
    secret = tmp_path / "sandi.txt"
    secret.write_text("salah sekali\n")
    out = tmp_path / "polos.db"
    assert (
        cli(["decrypt", "--db", str(db_path), "--out", str(out), "--passphrase-file", str(secret)])
        == 1
    )
    assert not out.exists()
    secret.write_text(TEST_PASSPHRASE + "\n")
    assert (
        cli(["decrypt", "--db", str(db_path), "--out", str(out), "--passphrase-file", str(secret)])
        == 0
    )
    assert sqlite3.connect(out).execute("SELECT name FROM person").fetchall() == [(NAME,)]
    assert "TIDAK terenkripsi" in capsys.readouterr().out


def test_the_cli_encrypts_a_plain_registry_and_other_commands_unlock_it(tmp_path, monkeypatch):
    plain = tmp_path / "lama.db"
    _add_siti(plain).close()
    monkeypatch.setenv("MUBA_DESK_PASSPHRASE", "pemulihan kantor 2026")
    assert cli(["encrypt", "--db", str(plain)]) == 0
    keys.forget_all()
    assert cli(["doctor", "--db", str(plain)]) == 0
    keys.forget_all()
    monkeypatch.setenv("MUBA_DESK_PASSPHRASE", "bukan ini")
    assert cli(["doctor", "--db", str(plain)]) == 1


def test_decrypt_refuses_to_overwrite(db_path, tmp_path):
    connect(db_path).close()
    out = tmp_path / "ada.db"
    out.write_bytes(b"x")
    with pytest.raises(DatabaseError, match="sudah ada"):
        decrypt_to(db_path, out)


def test_the_demo_is_encrypted_with_the_switch_on_and_opens_with_demo_demo(tmp_path, monkeypatch):
    from muba_desk.gui.first_start import build_demo
    from muba_desk.progress import Progress

    monkeypatch.setenv(keys.ENCRYPT_ENV, "1")
    target = tmp_path / "demo.db"
    build_demo(target, Progress(), people=20)
    assert keys.is_encrypted(target) and not is_plain_sqlite(target)
    assert not list(tmp_path.glob("*.partial*"))
    keys.forget_all()
    assert keys.usernames(target) == ["demo"]
    keys.unlock(target, "demo", "demo")
    connect(target).close()


def test_sign_in_unwraps_the_key_before_opening(db_path, monkeypatch):
    from muba_desk.gui.signin import sign_in
    from muba_desk.store import operators
    from muba_desk.store.operators import SignInRefused

    db = connect(db_path)
    operators.create_operator(
        db, username="budi", full_name="Budi", role="supervisor", password="sandi-budi-01"
    )
    db.close()
    keys.set_operator_password(db_path, "budi", "sandi-budi-01")
    keys.forget_all()
    refused = sign_in(db_path, "budi", "salah-salah", 1000.0, "sign_in")
    assert isinstance(refused, SignInRefused) and keys.key_for(db_path) is None
    again = sign_in(db_path, "budi", "sandi-budi-01", 1000.5, "sign_in")
    assert isinstance(again, SignInRefused) and "Coba lagi" in str(again)  # the wait
    operator = sign_in(db_path, "budi", "sandi-budi-01", 1010.0, "sign_in")
    assert operator.username == "budi"


def test_a_killed_process_never_leaves_the_instance_lock_held(tmp_path):
    from muba_desk.safety import AlreadyOpen, InstanceLock

    path = tmp_path / "registry.db"
    code = (
        "import sys, time; from muba_desk.safety import InstanceLock; "
        f"InstanceLock({str(path)!r}).acquire(); print('held', flush=True); time.sleep(60)"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyOpen, match="sedang dibuka"):
            InstanceLock(path).acquire()
    finally:
        child.kill()
        child.wait()
    with InstanceLock(path) as lock:
        assert lock.held


def test_a_conversion_interrupted_after_the_key_file_is_finished_at_the_next_open(tmp_path):
    plain = tmp_path / "lama.db"
    _add_siti(plain).close()
    keys.create_key_file(plain, operators={"op-test": TEST_PASSPHRASE})  # then the power cut
    keys.forget_all()
    keys.unlock(plain, "op-test", TEST_PASSPHRASE)
    db = connect(plain)
    assert db.execute("SELECT nik FROM person").fetchall() == [(NIK,)]
    db.close()
    assert not is_plain_sqlite(plain)


def test_encryption_is_on_unless_switched_off_for_a_plain_baseline(monkeypatch):
    monkeypatch.delenv(keys.ENCRYPT_ENV, raising=False)
    assert keys.encryption_enabled()
    monkeypatch.setenv(keys.ENCRYPT_ENV, "0")
    assert not keys.encryption_enabled()


def test_operators_added_or_given_a_new_password_can_unlock(db):
    from muba_desk.store import operators

    path = db_path_of(db)
    made = operators.create_operator(
        db, username="rina", full_name="Rina", role="supervisor", password="sandi-rina-01"
    )
    with pytest.raises(operators.OperatorError):  # a refused name never replaces a key slot
        operators.create_operator(
            db, username="rina", full_name="Lain", role="operator", password="sandi-lain-01"
        )
    keys.forget_all()
    keys.unlock(path, "rina", "sandi-rina-01")
    operators.set_password(db, username="rina", password="sandi-rina-02", changed_by=made.id)
    keys.forget_all()
    with pytest.raises(keys.WrongSecret):
        keys.unlock(path, "rina", "sandi-rina-01")
    keys.unlock(path, "rina", "sandi-rina-02")
    assert operators.authenticate(db, "rina", "sandi-rina-02", now=0.0).id == made.id


def db_path_of(db):
    return db.conn.execute("PRAGMA database_list").fetchone()[2]


def test_cli_demo_office_init_and_setup_make_encrypted_files(tmp_path, monkeypatch, capsys):
    from muba_desk.sync import keys as sync_keys

    monkeypatch.setattr(sync_keys, "SCRYPT_LOG_N", 10)
    monkeypatch.delenv(keys.ENCRYPT_ENV, raising=False)
    demo = tmp_path / "demo.db"
    monkeypatch.delenv("MUBA_DESK_PASSPHRASE", raising=False)
    assert cli(["demo", "--db", str(demo), "--people", "5"]) == 0
    assert keys.is_encrypted(demo) and not is_plain_sqlite(demo)
    keys.forget_all()
    monkeypatch.setattr("muba_desk.passphrase.getpass.getpass", _no_terminal)
    assert cli(["doctor", "--db", str(demo)]) == 1
    assert "MUBA_DESK_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("MUBA_DESK_PASSPHRASE", keys.DEMO_PASSPHRASE)
    assert cli(["doctor", "--db", str(demo)]) == 0

    office = tmp_path / "kantor.db"
    monkeypatch.setenv("MUBA_DESK_PASSPHRASE", "kantor rahasia 2026")
    assert cli(["office", "init", "--db", str(office)]) == 0
    assert keys.is_encrypted(office) and not is_plain_sqlite(office)
    keys.forget_all()
    setup_file = tmp_path / "setup.txt"
    setup_file.write_text("kode penyiapan 07")
    provision = tmp_path / "L07.provision"
    assert (
        cli(
            ["office", "add-laptop", "--db", str(office), "--name", "Laptop 7", "--code", "L07"]
            + ["--district", "16.06.01", "--village", "16.06.01.1009", "--out", str(provision)]
            + ["--setup-passphrase-file", str(setup_file)]
        )
        == 0
    )
    laptop = tmp_path / "L07.db"
    monkeypatch.setenv("MUBA_DESK_PASSPHRASE", "kode penyiapan 07")
    assert cli(["setup", "--db", str(laptop), "--provision", str(provision)]) == 0
    assert keys.is_encrypted(laptop) and not is_plain_sqlite(laptop)
    # Provisioning added the office's recovery copy: the office identity opens the laptop.
    keys.forget_all()
    keys.unlock_with_passphrase(office, "kantor rahasia 2026")
    db = connect(office)
    identity = sync_keys.unlock_office(db, "kantor rahasia 2026").identity
    db.close()
    keys.unlock_with_office(laptop, identity)
    connect(laptop).close()


def _no_terminal(prompt=""):
    raise EOFError
