"""Bundles signed with a real laptop key whose rows carry bad values, each refused naming the
row and writing nothing of it. A value no row may hold (a number SQLite cannot store, a float
where the schema has none, a line over 1 MB) is refused while the bundle is parsed, and the
whole file with it (`sync.jsonsafe`, `sync.bundle`). A value that breaks a rule of the domain
(`core.rules`) is held back alone at the office, with its reason naming the row and the field;
the honest rows of the same bundle land."""

import json
import random

import pytest

from muba_desk.sync.bundle import BundleError, build_payload, canonical
from muba_desk.sync.importer import import_bundle
from tests.sync.conftest import add_people, dump, query
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


# Values the rules of the domain refuse: the office holds the row back and lands the rest.
BREAKS_A_RULE = {
    "nik abc": person_with("nik", "abc"),
    "birth date kemarin": person_with("birth_date", "kemarin"),
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
    "amount 0": _handover(0),
}

# Values no row may hold: the parser refuses the whole file, naming what it can see.
UNSTORABLE = {
    "amount 10**30": (_handover(BIG), "terlalu besar", True),
    "amount float": (_handover(1_500_000.5), "pada kolom amount", True),
    # Hex text that does not compress, or the zip-bomb check would refuse it first. The line
    # is refused for its length before it is parsed, so the message names only the member.
    "a 10 MB name": (
        person_with("name", random.Random(3).randbytes(5_000_000).hex()),
        "memuat baris lebih dari 1 MB",
        False,
    ),
}


def _forged(laptop_db, path, mutate):
    named = {}

    def forged(manifest, members):
        payload, named["where"] = mutate(manifest, members)
        return payload

    return forge(laptop_db, path, forged), named["where"]


def _ids(db_path, table):
    return {row_id for (row_id,) in query(db_path, f"SELECT id FROM {table}")}


@pytest.mark.parametrize("mutate", BREAKS_A_RULE.values(), ids=BREAKS_A_RULE.keys())
def test_a_row_that_breaks_a_rule_is_held_back_naming_the_row(
    laptop_db, office_db, office, tmp_path, mutate
):
    add_people(laptop_db, 2)
    path, (table, row_id, field) = _forged(laptop_db, tmp_path / "nilai.mubabundle", mutate)
    report = import_bundle(office_db, path, office=office)
    assert report.refused == 1
    assert [p["row_id"] for p in report.problems] == [row_id]
    assert f"baris {table} {row_id}, isian {field}:" in report.problems[0]["reason"]
    assert row_id not in _ids(office_db, table)
    # The laptop's own rows (the bad value was forged into one of them, or beside them) land.
    for honest in ("household", "person"):
        assert _ids(office_db, honest) == _ids(laptop_db, honest) - {row_id}


@pytest.mark.parametrize("case", UNSTORABLE)
def test_a_value_no_row_may_hold_refuses_the_bundle_naming_where(
    laptop_db, office_db, office, tmp_path, case
):
    mutate, reason, names_the_row = UNSTORABLE[case]
    add_people(laptop_db, 2)
    path, (table, row_id, _field) = _forged(laptop_db, tmp_path / "nilai.mubabundle", mutate)
    before = dump(office_db)
    with pytest.raises(BundleError) as refused:
        import_bundle(office_db, path, office=office)
    message = str(refused.value)
    member = f"berkas 'rows/{table}.ndjson'"
    assert (member + f" baris 1 (data {table} {row_id})" if names_the_row else member) in message
    assert reason in message
    assert dump(office_db) == before


@pytest.mark.parametrize("literal", ["Infinity", "1e999", "-Infinity", "NaN"])
def test_a_handover_amount_that_is_not_a_finite_number_is_refused(
    laptop_db, office_db, office, tmp_path, literal
):
    add_people(laptop_db, 1)
    marker = 424242

    def forged(manifest, members):
        _payload, where = _handover(marker)(manifest, members)
        text = members["rows/handover.ndjson"].replace(str(marker).encode(), literal.encode())
        members["rows/handover.ndjson"] = text
        return build_payload(manifest, members), where

    path, (table, row_id, _field) = _forged(laptop_db, tmp_path / "tak-hingga.mubabundle", forged)
    before = dump(office_db)
    with pytest.raises(BundleError) as refused:
        import_bundle(office_db, path, office=office)
    # Refused while parsing: the member, its line and the row the line carries.
    message = str(refused.value)
    assert f"berkas 'rows/{table}.ndjson' baris 1 (data {table} {row_id})" in message
    assert literal in message and "paket ini tidak diimpor" in message
    assert dump(office_db) == before
