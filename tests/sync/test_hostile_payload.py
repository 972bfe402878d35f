"""Payloads built with the real keys (valid signature and encryption) but a hostile zip inside:
each is refused with a reason and the office database stays byte-for-byte the same."""

import io
import json
import struct
import sys
import threading
import warnings
import zipfile

import pyrage
import pytest

from muba_desk.photos import ingest
from muba_desk.signing import device_key
from muba_desk.store.db import applied_migrations, connect
from muba_desk.store.records import add_photo
from muba_desk.store.registry import Registry, get_setting, now_iso
from muba_desk.sync import export
from muba_desk.sync.bundle import (
    GENESIS,
    BundleError,
    build_payload,
    canonical,
    seal,
    sha256_hex,
)
from muba_desk.sync.importer import import_bundle
from muba_desk.sync.keys import office_public
from tests.sync.conftest import add_people, dump


def forge(laptop_db, path, mutate):
    """Sign and encrypt `mutate(manifest, members) -> zip bytes` exactly as the laptop would."""
    db = connect(laptop_db)
    try:
        device = get_setting(db, "device_id")
        snapshot = export._snapshot(db, device)
        manifest = {**snapshot["manifest"], "sequence": 1, "schema": applied_migrations(db)[-1]}
        payload = mutate(manifest, dict(snapshot["members"]))
        key = device_key(db)
        office = office_public(db)
        header = {
            "kind": "laptop",
            "device_id": device,
            "key_id": key.key_id,
            "sequence": 1,
            "previous_sha256": GENESIS,
            "schema": manifest["schema"],
            "created_at": now_iso(),
            "recipient_key_id": office.recipient_key_id,
        }
        recipient = pyrage.x25519.Recipient.from_str(office.recipient)
        path.write_bytes(
            seal(header=header, payload=payload, signing_key=key.private, recipient=recipient)
        )
        return path
    finally:
        db.close()


def raw_zip(entries, manifest_members=None):
    """A zip written member by member, names unchecked; the manifest lists `manifest_members`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def with_manifest(manifest, members):
    listing = {n: {"size": len(d), "sha256": sha256_hex(d)} for n, d in members.items()}
    return canonical({**manifest, "members": listing})


def evil_name(name):
    def mutate(manifest, members):
        entries = [("manifest.json", with_manifest(manifest, members)), *members.items()]
        return raw_zip([*entries, (name, b"x")])

    return mutate


def duplicate_member(manifest, members):
    entries = [("manifest.json", with_manifest(manifest, members)), *members.items()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about exactly what this test wants
        return raw_zip([*entries, ("rows/person.ndjson", members["rows/person.ndjson"])])


def zip_bomb(manifest, members):
    members["rows/person.ndjson"] = b" " * (40 * 1024 * 1024)  # deflates about 1000:1
    return build_payload(manifest, members)


def manifest_understates(manifest, members):
    listing_members = dict(members)
    listing_members["rows/person.ndjson"] = members["rows/person.ndjson"][:10]
    entries = [("manifest.json", with_manifest(manifest, listing_members)), *members.items()]
    return raw_zip(entries)


def zip_header_understates(manifest, members):
    """The zip's own directory says a member is 10 bytes; it inflates to far more."""
    target = "rows/person.ndjson"
    honest = members[target]
    fake = dict(members)
    fake[target] = honest[:10]
    data = bytearray(raw_zip([("manifest.json", with_manifest(manifest, fake)), *members.items()]))
    name = target.encode()
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, at + size_at, 10)
            at = data.find(signature, at + 4)
    return bytes(data)


def unknown_member(manifest, members):
    members["rows/operator.ndjson"] = b'{"id":"x"}\n'
    return build_payload(manifest, members)


def foreign_rev(manifest, members):
    lines = members["rows/person.ndjson"].decode().splitlines()
    record = json.loads(lines[0])
    record["row"]["rev"] = record["row"]["rev"].rsplit(".", 1)[0] + ".abcdefabcdef"
    lines[0] = canonical(record).decode()
    members["rows/person.ndjson"] = ("\n".join(lines) + "\n").encode()
    return build_payload(manifest, members)


def giant_photo(manifest, members):
    """A JPEG whose header claims 60000 x 60000 pixels: a decompression bomb for Pillow."""
    row = json.loads(members["rows/photo.ndjson"])["row"]
    old = f"photos/{row['jpeg']}.jpg"
    jpeg = bytearray(members[old])
    sof = jpeg.find(b"\xff\xc0")
    struct.pack_into(">HH", jpeg, sof + 5, 60000, 60000)
    new = sha256_hex(bytes(jpeg))
    del members[old]
    members[f"photos/{new}.jpg"] = bytes(jpeg)
    old_digest = old[len("photos/") : -len(".jpg")]
    text = members["rows/photo.ndjson"].decode().replace(old_digest, new)
    members["rows/photo.ndjson"] = text.encode()
    return build_payload(manifest, members)


def _photo(members):
    return next(name for name in members if name.startswith("photos/"))


def stored_zip(manifest_bytes, members):
    """A zip as `build_payload` writes it (photos stored, the rest deflated), any manifest."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", manifest_bytes)
        for name, data in members.items():
            kind = zipfile.ZIP_STORED if name.startswith("photos/") else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


def photo_changed_after_hashing(manifest, members):
    """A photo's bytes differ from the SHA-256 the manifest gives (same size)."""
    listing = with_manifest(manifest, members)
    name = _photo(members)
    spoiled = bytearray(members[name])
    spoiled[len(spoiled) // 2] ^= 0xFF
    return stored_zip(listing, {**members, name: bytes(spoiled)})


def photo_with_wrong_crc(manifest, members):
    """The zip's directory gives a stored photo another CRC-32."""
    data = bytearray(build_payload(manifest, members))
    name = _photo(members).encode()
    at = data.find(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.find(b"PK\x01\x02", at + 4)
    data[at + 16] ^= 0xFF  # the CRC-32 field of its central directory entry
    return bytes(data)


def _replace_photo(manifest, members, jpeg: bytes):
    name = _photo(members)
    old = name[len("photos/") : -len(".jpg")]
    new = sha256_hex(jpeg)
    del members[name]
    members[f"photos/{new}.jpg"] = jpeg
    text = members["rows/photo.ndjson"].decode().replace(old, new)
    members["rows/photo.ndjson"] = text.encode()
    return build_payload(manifest, members)


def photo_cut_short(manifest, members):
    """A photo cut in the middle of its picture data, with hashes that match the cut."""
    jpeg = members[_photo(members)]
    return _replace_photo(manifest, members, jpeg[: len(jpeg) * 2 // 3])


def photo_not_a_jpeg(manifest, members):
    return _replace_photo(manifest, members, b"GIF89a" + bytes(500))


CASES = {
    "dotdot": (evil_name("../../evil.txt"), "keluar folder"),
    "absolute": (evil_name("/etc/cron.d/evil"), "mutlak"),
    "windows_absolute": (evil_name("C:/Windows/evil.dll"), "mutlak"),
    "duplicate": (duplicate_member, "ganda"),
    "zip_bomb": (zip_bomb, "bom dekompresi"),
    "manifest_understates": (manifest_understates, "tidak sesuai manifest"),
    "zip_header_understates": (zip_header_understates, "rows/person.ndjson"),
    "unknown_member": (unknown_member, "tak dikenal"),
    "foreign_rev": (foreign_rev, "perangkat lain"),
    "giant_photo": (giant_photo, "foto"),
    "photo_changed_after_hashing": (photo_changed_after_hashing, "tidak cocok dengan hash-nya"),
    "photo_with_wrong_crc": (photo_with_wrong_crc, "di dalam paket rusak"),
    "photo_cut_short": (photo_cut_short, "tidak sah: Berkas foto bukan foto yang bisa dibaca"),
    "photo_not_a_jpeg": (photo_not_a_jpeg, "bukan JPEG"),
}


@pytest.fixture
def laptop_with_photo(laptop_db, photos_dir):
    (pid,) = add_people(laptop_db, 1)
    photo = ingest(photos_dir / "jpg" / "Canon_40D.jpg")
    db = connect(laptop_db)
    reg = Registry(db, operator_id="op-1")
    with reg.transaction():
        add_photo(reg, photo, kind="portrait", owner_table="person", owner_id=pid)
    db.close()
    return laptop_db


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_payload_is_refused_and_nothing_changes(
    case, laptop_with_photo, office_db, office, tmp_path
):
    mutate, reason = CASES[case]
    path = forge(laptop_with_photo, tmp_path / f"{case}.mubabundle", mutate)
    before = dump(office_db)
    with pytest.raises(Exception) as caught:
        import_bundle(office_db, path, office=office)
    assert type(caught.value).__name__ == "BundleError", caught.value
    assert reason in str(caught.value) and path.name in str(caught.value)
    assert dump(office_db) == before


def test_the_forging_helper_makes_bundles_the_office_accepts(
    laptop_with_photo, office_db, office, tmp_path
):
    # Without this, every refusal above could be the helper's own mistake.
    path = forge(laptop_with_photo, tmp_path / "honest.mubabundle", build_payload)
    report = import_bundle(office_db, path, office=office)
    assert report.new == 3 and report.photos >= 1


def test_an_import_leaves_no_photo_thread_and_the_switch_interval_as_it_was(
    laptop_with_photo, office_db, office, tmp_path
):
    # The importer checks photos on a thread and shortens the interpreter's thread switch
    # interval meanwhile; neither may outlive it, whether the bundle is refused or imported.
    before = sys.getswitchinterval()
    refused = forge(laptop_with_photo, tmp_path / "cut.mubabundle", photo_cut_short)
    with pytest.raises(BundleError):
        import_bundle(office_db, refused, office=office)
    assert sys.getswitchinterval() == before
    assert not [t for t in threading.enumerate() if t.name == "photo-check"]
    honest = forge(laptop_with_photo, tmp_path / "honest.mubabundle", build_payload)
    assert import_bundle(office_db, honest, office=office).photos >= 1
    assert sys.getswitchinterval() == before
    assert not [t for t in threading.enumerate() if t.name == "photo-check"]
