"""Damaged, replayed, forged and misaddressed bundles are refused and change nothing."""

import shutil

import pytest

from muba_desk.sync import keys
from muba_desk.sync.bundle import BundleError
from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import STATUS_REFUSED, import_bundle, import_many
from tests.sync.conftest import add_people, dump


@pytest.fixture
def small_bundle(laptop_db, stick):
    add_people(laptop_db, 1)
    return export_bundle(laptop_db, stick)


def test_truncation_at_every_byte_and_a_bit_flip_at_every_byte_are_refused(
    small_bundle, office_db, office, tmp_path
):
    data = small_bundle.read_bytes()
    assert len(data) < 4000  # keeps this test quick: about two imports per byte
    before = dump(office_db)
    damaged = tmp_path / "rusak.mubabundle"
    accepted = []
    for cut in range(len(data)):
        damaged.write_bytes(data[:cut])
        try:
            import_bundle(office_db, damaged, office=office)
            accepted.append(("cut", cut))
        except BundleError as exc:
            assert "rusak.mubabundle" in str(exc)
    for index in range(len(data)):
        flipped = bytearray(data)
        flipped[index] ^= 1 << (index % 8)
        damaged.write_bytes(bytes(flipped))
        try:
            import_bundle(office_db, damaged, office=office)
            accepted.append(("flip", index))
        except BundleError:
            pass
    assert accepted == []
    assert dump(office_db) == before
    # The undamaged file still goes in, so the refusals were about the damage.
    assert import_bundle(office_db, small_bundle, office=office).new == 2


def test_extra_bytes_after_the_bundle_are_refused(small_bundle, office_db, office, tmp_path):
    longer = tmp_path / "panjang.mubabundle"
    longer.write_bytes(small_bundle.read_bytes() + b"\0")
    with pytest.raises(BundleError, match="ukurannya tidak sesuai"):
        import_bundle(office_db, longer, office=office)


def test_unknown_laptop_is_refused(templates, tmp_path, small_bundle, stick):
    # An office that never registered L07 (the other office's registry, given our key).
    other_db = shutil.copy(templates["other_db"], tmp_path / "other.db")
    before = dump(other_db)
    with pytest.raises(BundleError, match="kantor lain"):
        import_bundle(other_db, small_bundle, office=templates["other"])
    assert dump(other_db) == before


def test_laptop_unknown_to_this_office_is_refused_even_with_the_right_key(
    office_db, office, small_bundle
):
    import sqlite3

    conn = sqlite3.connect(office_db)
    conn.execute("DELETE FROM office_laptop WHERE code = 'L07'")
    conn.commit()
    conn.close()
    with pytest.raises(BundleError, match="tidak terdaftar") as caught:
        import_bundle(office_db, small_bundle, office=office)
    assert caught.value.alarm


def test_revoked_laptop_is_refused(office_db, office, small_bundle):
    keys.revoke_laptop(office_db, "L07", "dicuri")
    before = dump(office_db)
    with pytest.raises(BundleError, match="sudah dicabut"):
        import_bundle(office_db, small_bundle, office=office)
    assert dump(office_db) == before


def test_wrong_office_key_cannot_open_a_bundle(office_db, templates, small_bundle):
    # Right registry, wrong private key: refused before decryption is even tried.
    before = dump(office_db)
    with pytest.raises(BundleError, match="kantor lain"):
        import_bundle(office_db, small_bundle, office=templates["other"])
    assert dump(office_db) == before


def test_an_old_sequence_with_new_content_raises_an_alarm(
    laptop_db, office_db, office, stick, tmp_path
):
    import sqlite3

    add_people(laptop_db, 1)
    first = export_bundle(laptop_db, stick)
    import_bundle(office_db, first, office=office)
    # A laptop restored from an old backup forgets bundle 1 and writes another "bundle 1".
    conn = sqlite3.connect(laptop_db)
    conn.execute("DELETE FROM outbox_item")
    conn.execute("DELETE FROM bundle_out")
    conn.commit()
    conn.close()
    add_people(laptop_db, 1, nik_start=1606010101700001)
    other_stick = tmp_path / "stick2"
    other_stick.mkdir()
    reused = export_bundle(laptop_db, other_stick)
    assert reused.name == first.name
    before = dump(office_db)
    with pytest.raises(BundleError, match="PERINGATAN") as caught:
        import_bundle(office_db, reused, office=office)
    assert caught.value.alarm
    assert dump(office_db) == before


def test_import_many_reports_each_file_and_keeps_the_good_ones(
    laptop_db, laptop8_db, office_db, office, stick, tmp_path
):
    add_people(laptop_db, 2)
    add_people(laptop8_db, 2, nik_start=1606010101600001)
    good = export_bundle(laptop_db, stick)
    also_good = export_bundle(laptop8_db, stick)
    bad = tmp_path / "bad.mubabundle"
    bad.write_bytes(good.read_bytes()[:-10])
    reports = import_many(office_db, [bad, good, also_good], office=office)
    assert [r.status for r in reports] == [STATUS_REFUSED, "diimpor", "diimpor"]
    assert "bad.mubabundle" in reports[0].reason


@pytest.mark.parametrize("where", ["first chunk", "last chunk", "cut short"])
def test_age_data_that_fails_its_tag_is_refused_by_the_decryption_itself(where):
    """A ciphertext whose hash the header does match (a laptop that signed broken bytes): the
    decryption is the check left, and it refuses with the office's message, not a crash."""
    import hashlib
    import os

    import pyrage

    from muba_desk.sync.bundle import Envelope

    identity = pyrage.x25519.Identity.generate()
    good = pyrage.encrypt(os.urandom(200_000), [identity.to_public()])
    bad = bytearray(good)
    if where == "first chunk":
        bad[len(good) - 200_000] ^= 1  # inside the payload's first 64 KiB chunk
    elif where == "last chunk":
        bad[-5] ^= 1
    else:
        del bad[-70_000:]
    envelope = Envelope(
        header={"ciphertext_sha256": hashlib.sha256(bad).hexdigest()},
        header_bytes=b"",
        signature=b"",
        ciphertext=bytes(bad),
        file_sha256="",
    )
    with pytest.raises(BundleError, match="tidak dapat dibuka dengan kunci kantor ini"):
        envelope.decrypt(identity, "muba-L07-x-000001.mubabundle")
    assert Envelope(
        header={"ciphertext_sha256": hashlib.sha256(good).hexdigest()},
        header_bytes=b"",
        signature=b"",
        ciphertext=good,
        file_sha256="",
    ).decrypt(identity, "x") == pyrage.decrypt(good, [identity])
