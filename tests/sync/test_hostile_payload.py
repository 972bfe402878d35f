"""Payloads built with the real keys (valid signature and encryption) but a hostile zip inside:
each is refused with a reason and the office database stays byte-for-byte the same."""

import io
import json
import struct
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
from muba_desk.sync.bundle import GENESIS, build_payload, canonical, seal, sha256_hex
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
