"""Backups with the backup API, rotation, USB backups (always encrypted) and a restore that
checks the copy before replacing anything; the health check at start."""

import os
import sqlite3

import pytest

from muba_desk.cli import main as cli
from muba_desk.safety import check_at_start
from muba_desk.store import backup, keys
from muba_desk.store.db import connect, content_digest, is_plain_sqlite
from muba_desk.store.records import add_household
from muba_desk.store.registry import Registry
from tests.conftest import TEST_PASSPHRASE


def _add(path, count=1):
    db = connect(path)
    reg = Registry(db, operator_id="op-test")
    for _ in range(count):
        with reg.transaction():
            add_household(reg, village_code="16.06.01.1009")
    db.close()


def _digest(path):
    db = connect(path, migrate=False)
    try:
        return content_digest(db.conn)
    finally:
        db.close()


def test_rotating_backups_keep_the_newest_of_each_kind(db_path, monkeypatch):
    _add(db_path)
    made = []
    for n in range(4):
        monkeypatch.setattr(backup.time, "strftime", lambda _f, n=n: f"20260101-00000{n}")
        made.append(backup.rotate(db_path, reason="keluar", keep=2))
    backup.rotate(db_path, reason="harian", keep=2)
    kept = backup.list_backups(db_path)
    assert [b.path for b in kept if b.reason == "keluar"] == [made[3], made[2]]
    assert [b.reason for b in kept].count("harian") == 1
    for b in kept:
        assert keys.key_file_of(b.path).exists()  # each copy carries its key file
        assert _digest(b.path) == _digest(db_path)


def test_the_daily_backup_is_made_once_a_day(db_path):
    _add(db_path)
    assert backup.backup_if_due(db_path) is not None
    assert backup.backup_if_due(db_path) is None
    newest = backup.list_backups(db_path)[0].path
    day_old = newest.stat().st_mtime - 25 * 3600
    os.utime(newest, (day_old, day_old))
    assert backup.daily_due(db_path)


def test_a_backup_includes_what_is_still_in_the_wal(db_path, tmp_path):
    db = connect(db_path)
    reg = Registry(db, operator_id="op-test")
    with reg.transaction():
        add_household(reg, village_code="16.06.01.1009")
    # The connection stays open: the change is in the WAL, not yet in the main file.
    copy = backup.backup_database(db_path, tmp_path / "salinan.db")
    db.close()
    assert _digest(copy) == _digest(db_path)


def test_usb_restore_reproduces_the_registry_exactly(db_path, tmp_path, capsys):
    _add(db_path, 3)
    expected = _digest(db_path)
    usb = tmp_path / "usb"
    secret = tmp_path / "sandi.txt"
    secret.write_text(TEST_PASSPHRASE)
    assert (
        cli(["backup", "--db", str(db_path), "--to", str(usb), "--passphrase-file", str(secret)])
        == 0
    )
    (copy,) = usb.glob("*.db")
    _add(db_path, 2)  # work after the backup, undone by the restore
    keys.forget_all()
    new_laptop = tmp_path / "baru" / "registry.db"
    assert (
        cli(
            [
                "restore",
                "--db",
                str(new_laptop),
                "--from",
                str(copy),
                "--passphrase-file",
                str(secret),
            ]
        )
        == 0
    )
    assert _digest(new_laptop) == expected
    assert (
        cli(
            ["restore", "--db", str(db_path), "--from", str(copy), "--passphrase-file", str(secret)]
        )
        == 0
    )
    assert _digest(db_path) == expected
    # The replaced file was kept beside it.
    assert list(db_path.parent.glob("registry.db.before-restore-*.bak"))
    assert "dipulihkan" in capsys.readouterr().out


def test_a_plain_registry_goes_to_the_stick_encrypted(tmp_path):
    plain = tmp_path / "polos.db"
    _add(plain, 2)
    with pytest.raises(Exception, match="perlu kata sandi"):
        backup.backup_to_folder(plain, tmp_path / "usb")
    copy = backup.backup_to_folder(plain, tmp_path / "usb", passphrase="flashdisk-2026")
    assert not is_plain_sqlite(copy) and keys.is_encrypted(copy)
    keys.forget_all()
    restored = tmp_path / "pulih.db"
    backup.restore(restored, copy, passphrase="flashdisk-2026")
    assert _digest(restored) == _digest(plain)


def test_a_damaged_backup_is_refused_and_nothing_is_replaced(db_path, tmp_path):
    _add(db_path, 2)
    copy = backup.rotate(db_path)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF  # a flipped byte in an encrypted page fails its HMAC
    copy.write_bytes(bytes(data))
    _add(db_path)
    before = db_path.read_bytes(), _digest(db_path)
    with pytest.raises(backup.RestoreRefused):
        backup.restore(db_path, copy)
    assert (db_path.read_bytes(), _digest(db_path)) == before
    assert not list(tmp_path.glob("*.partial"))


def test_a_backup_with_a_broken_audit_chain_is_refused(tmp_path):
    plain = tmp_path / "polos.db"
    _add(plain, 2)
    copy = tmp_path / "salinan.db"
    backup.backup_database(plain, copy)
    conn = sqlite3.connect(copy)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET after = '{}' WHERE seq = 1")
    conn.commit()
    conn.close()
    target = tmp_path / "target.db"
    _add(target)
    before = _digest(target)
    with pytest.raises(backup.RestoreRefused, match="tidak lolos pemeriksaan"):
        backup.restore(target, copy)
    assert _digest(target) == before


def test_the_start_check_explains_damage_and_names_the_latest_backup(tmp_path):
    plain = tmp_path / "polos.db"
    _add(plain, 2)
    assert check_at_start(plain).ok
    good = backup.rotate(plain)
    conn = sqlite3.connect(plain)
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute("DELETE FROM audit WHERE seq = 1")
    conn.commit()
    conn.close()
    health = check_at_start(plain)
    assert not health.ok and health.latest_backup == good
    assert "Pulihkan dari cadangan terakhir" in health.message
    backup.restore(plain, health.latest_backup)
    assert check_at_start(plain).ok


def test_a_locked_registry_is_checked_after_sign_in(db_path):
    _add(db_path)
    keys.forget_all()
    health = check_at_start(db_path)
    assert health.ok and not health.checked
