"""m013: the imported-list ledger and the provenance columns, held by SQL and by the core."""

import sqlite3
from datetime import date

import pytest

from muba_desk.core import operations, rules
from muba_desk.core.operations import Actor
from muba_desk.core.rules import RuleError
from muba_desk.store.schema import VERIFY_STATES

SEKAYU = "16.06.01.1009"


def test_the_core_knows_the_same_verify_states_as_the_schema():
    assert frozenset(VERIFY_STATES) == rules.VERIFY_STATES


def test_decile_year_travels_through_the_core_and_is_checked(registry):
    actor = Actor("op-test")
    with registry.transaction():
        made = operations.register_household(
            registry,
            actor,
            village_code=SEKAYU,
            welfare_decile=2,
            decile_source="p3ke",
            decile_year=2025,
        )
    assert registry.get("household", made.id)["decile_year"] == 2025
    next_year = date.today().year + 1
    for bad in (1999, next_year + 1, "2025", 2025.0, True):
        with pytest.raises(RuleError, match="Tahun desil") as caught, registry.transaction():
            operations.edit_household(registry, actor, made.id, {"decile_year": bad})
        assert caught.value.field == "decile_year"
    with registry.transaction():
        operations.edit_household(registry, actor, made.id, {"decile_year": next_year})
    assert registry.get("household", made.id)["decile_year"] == next_year


def test_verify_state_and_source_note_on_a_person(registry):
    actor = Actor("op-test")
    with registry.transaction():
        household = operations.register_household(registry, actor, village_code=SEKAYU)
        person = operations.register_person(
            registry,
            actor,
            household_id=household.id,
            name="Siti Aminah",
            sex="P",
            no_nik_reason="Belum punya NIK",
            verify_state="to_verify",
            source_note="  p3ke.xlsx, lembar Data, baris 7  ",
        )
    stored = registry.get("person", person.id)
    assert stored["verify_state"] == "to_verify"
    assert stored["source_note"] == "p3ke.xlsx, lembar Data, baris 7"
    with pytest.raises(RuleError, match="Status verifikasi"), registry.transaction():
        operations.edit_person(registry, actor, person.id, {"verify_state": "gone"})


def test_sql_itself_refuses_a_bad_state_or_year_and_a_second_identical_import(db):
    with pytest.raises(sqlite3.IntegrityError):
        _insert_person(db, verify_state="gone")
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute(
            "INSERT INTO household (id, rev, created_at, updated_at, village_code, decile_year)"
            " VALUES ('h1', '0000000000000.0000.x', 'a', 'a', ?, 1990)",
            (SEKAYU,),
        )
    ledger = (
        "INSERT INTO list_import (id, file_name, sha256, sheet, mapping_name, mapping, "
        "imported_at) VALUES (?, 'a.xlsx', 'abc', 'Data', 'P3KE 2025', '{}', 'now')"
    )
    db.conn.execute(ledger, ("i1",))
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute(ledger, ("i2",))
    with pytest.raises(sqlite3.IntegrityError):
        db.conn.execute(
            "INSERT INTO list_row (import_id, row_number, fate) VALUES ('i1', 2, 'lost')"
        )


def _insert_person(db, **values):
    db.conn.execute(
        "INSERT INTO person (id, rev, created_at, updated_at, name, sex, no_nik_reason, "
        "verify_state) VALUES ('p1', '0000000000000.0000.x', 'a', 'a', 'Ani', 'P', 'x', ?)",
        (values["verify_state"],),
    )
