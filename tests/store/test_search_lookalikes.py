"""Search finds a name whatever look-alike letters or invisible characters it was typed with:
the index holds the folded name (m011) and the typed text is folded the same way."""

import sqlite3

import pytest
import sqlite_utils

from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from muba_desk.store.schema import MIGRATIONS
from muba_desk.store.search import number_prefix, search_households, search_people
from muba_desk.sync.rows import write_row

M011 = "m011_search_folded_names"
# "Sіti Аminah" with a Ukrainian і, a Cyrillic А and a zero-width space inside "Aminah".
DISGUISED = "S\u0456ti \u0410mi\u200bnah"
VILLAGE = "16.06.01.1009"


def _add(registry, name, kk="1606011201100003"):
    with registry.transaction():
        household = registry.insert("household", {"village_code": VILLAGE, "kk_number": kk})
        person = registry.insert(
            "person",
            {
                "household_id": household["id"],
                "name": name,
                "sex": "P",
                "relation": "kepala",
                "no_nik_reason": "lansia terlantar",
            },
        )
        registry.update("household", household["id"], {"head_person_id": person["id"]})
    return household, person


def _found(db, text):
    return [hit.id for hit in search_people(db, text)]


def test_a_disguised_name_is_found_by_typing_it_plainly(db, registry):
    # The Registry cleans what this device writes: the zero-width space goes, the look-alike
    # letters stay (they are letters, and a person may be written in them).
    _household, person = _add(registry, DISGUISED)
    cleaned = DISGUISED.replace("\u200b", "")
    assert registry.get("person", person["id"])["name"] == cleaned
    for typed in ("siti aminah", "Siti Amin", "si am", "SITI"):
        assert _found(db, typed) == [person["id"]], typed
    assert [h.head_name for h in search_households(db, "siti aminah")] == [cleaned]

    # A row from a bundle is stored as it arrived (`sync.rows.write_row`), invisible characters
    # and all: it is found the same way.
    arrived = {**registry.get("person", person["id"]), "name": DISGUISED}
    write_row(db.conn, "person", arrived, exists=True)
    assert registry.get("person", person["id"])["name"] == DISGUISED
    for typed in ("siti aminah", "Siti Amin", "si am", "SITI"):
        assert _found(db, typed) == [person["id"]], typed
    # And shown as it arrived: search folds only what it compares.
    assert [h.head_name for h in search_households(db, "siti aminah")] == [DISGUISED]


def test_a_plain_name_is_found_by_typing_it_with_lookalikes(db, registry):
    _household, person = _add(registry, "Siti Aminah")
    for typed in (DISGUISED, "\uff33\uff49\uff54\uff49", "S\u0456t\u00ad\u0456 \u0410m"):
        assert _found(db, typed) == [person["id"]], typed


def test_renames_and_household_changes_keep_the_folded_name(db, registry):
    household, person = _add(registry, "Rohani")
    with registry.transaction():
        registry.update("person", person["id"], {"name": DISGUISED})
    assert _found(db, "siti aminah") == [person["id"]]
    assert _found(db, "rohani") == []
    with registry.transaction():
        registry.update("household", household["id"], {"kk_number": "1606011201100099"})
    assert _found(db, "siti aminah") == [person["id"]]


def test_m011_folds_the_names_already_in_the_index(tmp_path):
    path = tmp_path / "lama.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    MIGRATIONS.apply(sqlite_utils.Database(conn), stop_before=M011)
    _household, person = _add(Registry(sqlite_utils.Database(conn), "op-lama"), DISGUISED)
    conn.close()

    db = connect(path)  # the app's door: migrates to this version
    try:
        assert M011 in {r[0] for r in db.conn.execute("SELECT name FROM _sqlite_migrations")}
        assert _found(db, "siti aminah") == [person["id"]]
        live = db.conn.execute("SELECT count(*) FROM person WHERE deleted_at IS NULL").fetchone()
        assert db.conn.execute("SELECT count(*) FROM person_search").fetchone() == live
    finally:
        db.close()


def test_a_connection_without_the_fold_functions_cannot_write_people(tmp_path):
    # A script's own connection must register it (store.schema.register_functions): it is
    # refused outright rather than leaving a person out of the search index.
    path = tmp_path / "registry.db"
    db = connect(path)
    _add(Registry(db, "op-test"), "Siti Aminah")
    db.close()
    plain = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="muba_fold_name|muba_name_key"):
            plain.execute("UPDATE person SET name = 'Siti Aminah Hasan'")
        assert plain.execute("SELECT name FROM person").fetchall() == [("Siti Aminah",)]
    finally:
        plain.close()


def test_a_number_typed_in_full_width_digits_walks_the_nik_index(db, registry):
    with registry.transaction():
        household = registry.insert("household", {"village_code": VILLAGE})
        person = registry.insert(
            "person",
            {
                "household_id": household["id"],
                "name": "Siti",
                "sex": "P",
                "nik": "1606014506780001",
            },
        )
    wide = "".join(chr(0xFF10 + int(d)) for d in "16060145")  # "１６０６０１４５"
    assert number_prefix(wide) == ("16060145", "16060146")
    assert _found(db, wide) == [person["id"]]
