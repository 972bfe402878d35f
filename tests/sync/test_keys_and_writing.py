"""Provisioning keeps private keys sealed; a failed write leaves no bundle and loses nothing."""

import os

import pytest

from muba_desk import signing
from muba_desk.store.db import connect
from muba_desk.store.registry import get_setting
from muba_desk.sync import keys
from muba_desk.sync.bundle import BundleError
from muba_desk.sync.export import export_bundle, pending_changes
from muba_desk.sync.importer import import_bundle
from tests.sync.conftest import PASSPHRASE, SETUP, add_people


def test_provisioning_file_holds_no_private_key_in_the_clear(office_db, office, tmp_path):
    path = tmp_path / "L10.provision"
    keys.register_laptop(
        office_db,
        office,
        name="Laptop L10",
        code="L10",
        district_code="16.06.01",
        villages=[],
        out_path=path,
        setup_passphrase=SETUP,
    )
    content = keys.read_provisioning(path, SETUP)
    raw = path.read_bytes()
    assert content["signing_key"].encode() not in raw
    assert content["age_identity"].encode() not in raw
    assert b"AGE-SECRET-KEY" not in raw
    with pytest.raises(keys.KeyProblem, match="Kata sandi salah"):
        keys.read_provisioning(path, "tebakan")


def test_provisioned_laptop_signs_with_the_office_issued_device_key(laptop_db, office_db):
    db = connect(laptop_db)
    laptop_key = signing.device_key(db).key_id
    code = get_setting(db, "device_code")
    db.close()
    db = connect(office_db)
    (registered,) = db.conn.execute(
        "SELECT key_id FROM office_laptop WHERE code = ?", (code,)
    ).fetchone()
    db.close()
    assert registered == laptop_key


def test_office_keys_need_the_passphrase(office_db):
    db = connect(office_db)
    try:
        with pytest.raises(keys.KeyProblem, match="Kata sandi salah"):
            keys.unlock_office(db, "salah")
        assert keys.unlock_office(db, PASSPHRASE).public == keys.office_public(db)
        assert "PRIVATE" not in get_setting(db, keys.OFFICE_SECRET).upper()
    finally:
        db.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_destination_leaves_no_file_and_the_outbox_intact(
    laptop_db, office_db, office, stick
):
    _read_only_case(laptop_db, office_db, office, stick)


def test_a_failed_write_leaves_no_file_and_the_outbox_intact(
    laptop_db, office_db, office, stick, monkeypatch
):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    add_people(laptop_db, 3)
    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(Exception, match="tidak dapat ditulis"):
        export_bundle(laptop_db, stick)
    monkeypatch.undo()
    assert list(stick.iterdir()) == []
    db = connect(laptop_db)
    assert pending_changes(db) > 0
    db.close()
    # The next export carries the same rows. No file of sequence 1 ever got its name (the
    # sequence is reserved just before the rename), so it is sequence 1 again.
    path = export_bundle(laptop_db, stick)
    report = import_bundle(office_db, path, office=office)
    assert report.sequence == 1 and report.tables["person"] == 3


def test_a_bundle_that_got_its_name_keeps_its_sequence_even_if_the_read_back_fails(
    laptop_db, office_db, office, stick, monkeypatch
):
    from muba_desk.sync import export

    add_people(laptop_db, 3)
    monkeypatch.setattr(export, "_read_back_sha256", lambda path: "0" * 64)
    with pytest.raises(BundleError, match="berbeda dari yang ditulis"):
        export_bundle(laptop_db, stick)
    monkeypatch.undo()
    # The file may be on the stick: its sequence is spent, and the next bundle is number 2.
    (stick / next(stick.iterdir()).name).unlink()
    report = import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert report.sequence == 2 and report.tables["person"] == 3


def _read_only_case(laptop_db, office_db, office, stick):
    add_people(laptop_db, 2)
    stick.chmod(0o500)
    try:
        with pytest.raises(Exception, match="tidak dapat ditulis"):
            export_bundle(laptop_db, stick)
    finally:
        stick.chmod(0o700)
    assert list(stick.iterdir()) == []
    report = import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert report.tables["person"] == 2
