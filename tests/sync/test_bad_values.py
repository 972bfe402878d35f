"""Bundles signed with a real laptop key whose rows carry values the rules refuse: the office
import refuses each bundle naming the row (table, id, field), and writes nothing."""

import json
import random

import pytest

from muba_desk.sync.bundle import BundleError, build_payload, canonical
from muba_desk.sync.importer import import_bundle
from tests.sync.conftest import add_people, dump
from tests.sync.test_hostile_payload import forge

BIG = 10**30


def _lines(members, table):
    data = members.get(f"rows/{table}.ndjson", b"")
    return [json.loads(line) for line in data.decode().splitlines() if line]


def _put(manifest, members, table, records):
    members[f"rows/{table}.ndjson"] = b"".join(canonical(r) + b"\n" for r in records)
    manifest["counts"] = {**manifest["counts"], table: len(records)}


def person_with(field, value):
    def mutate(manifest, members):
        records = _lines(members, "person")
        records[0]["row"][field] = value
        _put(manifest, members, "person", records)
        return build_payload(manifest, members), ("person", records[0]["row"]["id"], field)

    return mutate


def new_row(table, field, **values):
    """A new row of `table` beside the laptop's people, stamped with the laptop's own rev."""

    def mutate(manifest, members):
        person = _lines(members, "person")[0]["row"]
        row = {
            "id": f"0190aaaa-0000-7000-8000-{table[:4].ljust(12, '0')}",
            "rev": person["rev"],
            "created_at": person["created_at"],
            "updated_at": person["updated_at"],
            **values,
        }
        if "person_id" in values:
            row["person_id"] = person["id"]
        _put(manifest, members, table, [*_lines(members, table), {"row": row, "ancestors": []}])
        return build_payload(manifest, members), (table, row["id"], field)

    return mutate


def _handover(amount):
    return new_row(
        "handover",
        "amount",
        enrolment_id="0190aaaa-0000-7000-8000-000000000001",
        amount=amount,
        items="[]",
        handed_at="2026-03-01",
        receipt_number="PKM/2026/L07/000001",
        confirmed_by="tanda_tangan",
    )


BAD = {
    "nik abc": person_with("nik", "abc"),
    "birth date kemarin": person_with("birth_date", "kemarin"),
    # Hex text that does not compress, or the zip-bomb check would refuse it first.
    "a 10 MB name": person_with("name", random.Random(3).randbytes(5_000_000).hex()),
    "emoji in a name": person_with("name", "Siti 😀"),
    "unknown program": new_row(
        "enrolment", "program", program="BANSOS_X", data="{}", status="DRAF", person_id=True
    ),
    "broken program data": new_row(
        "enrolment",
        "data.household_size",
        program="BANTU_UMAK",
        data='{"household_size": "tiga"}',
        status="DRAF",
        person_id=True,
    ),
    "amount 10**30": _handover(BIG),
    "amount float": _handover(1_500_000.5),
    "amount 0": _handover(0),
}


@pytest.mark.parametrize("mutate", BAD.values(), ids=BAD.keys())
def test_a_bundle_with_a_bad_value_is_refused_naming_the_row(
    laptop_db, office_db, office, tmp_path, mutate
):
    add_people(laptop_db, 2)
    named = {}

    def forged(manifest, members):
        payload, named["where"] = mutate(manifest, members)
        return payload

    path = forge(laptop_db, tmp_path / "nilai.mubabundle", forged)
    before = dump(office_db)
    with pytest.raises(BundleError) as refused:
        import_bundle(office_db, path, office=office)
    table, row_id, field = named["where"]
    assert f"baris {table} {row_id}, isian {field}:" in str(refused.value)
    assert dump(office_db) == before


@pytest.mark.parametrize("literal", ["Infinity", "1e999", "-Infinity", "NaN"])
def test_a_handover_amount_that_is_not_a_finite_number_is_refused(
    laptop_db, office_db, office, tmp_path, literal
):
    add_people(laptop_db, 1)
    marker = 424242

    def forged(manifest, members):
        payload_and_where = _handover(marker)(manifest, members)
        text = members["rows/handover.ndjson"].replace(str(marker).encode(), literal.encode())
        members["rows/handover.ndjson"] = text
        return build_payload(manifest, members), payload_and_where[1]

    named = {}

    def outer(manifest, members):
        payload, named["where"] = forged(manifest, members)
        return payload

    path = forge(laptop_db, tmp_path / "tak-hingga.mubabundle", outer)
    before = dump(office_db)
    with pytest.raises(BundleError) as refused:
        import_bundle(office_db, path, office=office)
    table, row_id, _field = named["where"]
    assert f"baris {table} {row_id}" in str(refused.value)
    assert dump(office_db) == before
