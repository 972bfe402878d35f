"""Signed QR payloads: compact enough for QR version 10-M, and any change is detected."""

import pytest

from muba_desk.printing.images import qr_bitmap
from muba_desk.signing import (
    MAX_PAYLOAD_BYTES,
    InvalidPayload,
    device_key,
    known_public_keys,
    sign_payload,
    verify_payload,
)

LONGEST = {
    "kind": "T",
    "number": "BU/2026/L999/999999",
    "name": "Raden Mas Muhammad Abdurrahman Wahid Hasyim Asy'ari",
    "programs": ["BANTU_UMAK"],
    "amount": 999_999_999_999,
    "date": "2026-12-31",
}


def test_device_key_is_made_once_and_kept(db):
    first, again = device_key(db), device_key(db)
    assert first.key_id == again.key_id and len(first.key_id) == 16
    stored = dict(db.conn.execute("SELECT key, value FROM setting").fetchall())
    assert stored["signing_key_id"] == first.key_id
    assert known_public_keys(db) == {first.key_id: first.public_bytes}


def test_longest_payload_fits_qr_version_10_at_level_m(db):
    payload = sign_payload(db, LONGEST)
    assert len(payload.encode()) <= MAX_PAYLOAD_BYTES
    side, _ = qr_bitmap(payload)
    assert (side - 8 - 17) // 4 <= 10


def test_genuine_payload_verifies_with_what_it_covers(db):
    payload = sign_payload(db, {**LONGEST, "name": "Siti Aminah", "amount": 1_950_000})
    verified = verify_payload(payload, known_public_keys(db))
    assert (verified.number, verified.name, verified.amount) == (
        "BU/2026/L999/999999",
        "Siti Aminah",
        1_950_000,
    )
    assert "Jumlah: Rp 1.950.000" in verified.describe()
    assert "Program: Bantu Umak" in verified.describe()


def test_every_single_character_change_is_rejected(db):
    payload = sign_payload(db, {**LONGEST, "amount": 1_950_000})
    keys = known_public_keys(db)
    for index, char in enumerate(payload):
        for replacement in {"A", "9", "_"} - {char}:
            altered = payload[:index] + replacement + payload[index + 1 :]
            with pytest.raises(InvalidPayload):
                verify_payload(altered, keys)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("https://example.com", "bukan kode"),
        ("MD1.T|abc", "rusak"),
    ],
)
def test_foreign_or_damaged_codes_say_why(db, text, reason):
    with pytest.raises(InvalidPayload, match=reason):
        verify_payload(text, known_public_keys(db))


def test_code_from_an_unknown_laptop_is_not_accepted(db, tmp_path):
    from muba_desk.store.db import connect

    other = connect(tmp_path / "other.db")
    payload = sign_payload(other, LONGEST)
    other.close()
    with pytest.raises(InvalidPayload, match="tidak dikenal"):
        verify_payload(payload, known_public_keys(db))


def test_trusted_keys_setting_accepts_another_laptop(db, tmp_path):
    import json

    from muba_desk.store.db import connect

    other = connect(tmp_path / "other.db")
    payload, key = sign_payload(other, LONGEST), device_key(other)
    other.close()
    db.conn.execute(
        "INSERT INTO setting VALUES ('trusted_keys', ?)",
        (json.dumps({key.key_id: key.public_bytes.hex()}),),
    )
    assert verify_payload(payload, known_public_keys(db)).key_id == key.key_id
