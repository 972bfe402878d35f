import json
import re

import pytest

from muba_desk.store.audit import verify_chain
from muba_desk.store.registry import RecordNotFound, Registry, StaleEdit

UUID7 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def add_household(registry, **extra):
    with registry.transaction():
        return registry.insert("household", {"village_code": "16.06.01.2003", **extra})


def test_insert_stamps_id_rev_operator_and_times(registry):
    row = add_household(registry, kk_number="1606012003090001")
    assert UUID7.match(row["id"])
    assert row["rev"].endswith("." + registry.device_id)
    assert row["base_rev"] is None
    assert row["created_by"] == row["updated_by"] == "op-test"
    assert row["created_at"].endswith("Z")


def test_update_keeps_the_previous_rev_as_base_rev(registry):
    row = add_household(registry)
    with registry.transaction():
        updated = registry.update("household", row["id"], {"rt": "003"})
    stored = registry.get("household", row["id"])
    assert stored["rt"] == "003"
    assert stored["base_rev"] == row["rev"]
    assert stored["rev"] == updated["rev"] > row["rev"]


def test_an_edit_from_a_stale_form_is_refused(registry):
    row = add_household(registry)
    with registry.transaction():
        registry.update("household", row["id"], {"rt": "001"})
    with pytest.raises(StaleEdit, match="sudah diubah"), registry.transaction():
        registry.update("household", row["id"], {"rt": "002"}, base_rev=row["rev"])
    assert registry.get("household", row["id"])["rt"] == "001"


def test_delete_leaves_a_tombstone_that_can_travel(registry):
    row = add_household(registry)
    with registry.transaction():
        registry.delete("household", row["id"])
    stored = registry.get("household", row["id"])
    assert stored["deleted_at"] is not None
    with pytest.raises(RecordNotFound), registry.transaction():
        registry.update("household", row["id"], {"rt": "1"})


def test_no_write_outside_a_transaction(registry):
    with pytest.raises(RuntimeError, match="outside"):
        registry.insert("household", {"village_code": "16.06.01.2003"})


def test_a_failed_transaction_leaves_no_row_audit_or_change_log(registry, db):
    with pytest.raises(ZeroDivisionError), registry.transaction():
        registry.insert("household", {"village_code": "16.06.01.2003"})
        1 / 0  # noqa: B018
    for table in ("household", "audit", "change_log"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0


def test_every_change_is_audited_and_logged_for_sync(registry, db):
    row = add_household(registry)
    with registry.transaction():
        registry.update("household", row["id"], {"rt": "007"})
        registry.delete("household", row["id"])
    actions = [r[0] for r in db.execute("SELECT action FROM audit ORDER BY seq")]
    assert actions == ["insert", "update", "delete"]
    before, after = db.execute("SELECT before, after FROM audit WHERE seq = 2").fetchone()
    assert json.loads(before)["rt"] is None and json.loads(after)["rt"] == "007"
    logged = db.execute("SELECT table_name, row_id FROM change_log").fetchall()
    assert logged == [("household", row["id"])] * 3
    assert verify_chain(db.conn) == []


def test_nested_transaction_rolls_back_only_its_part(registry, db):
    with registry.transaction():
        registry.insert("household", {"village_code": "16.06.01.2003", "rt": "1"})
        with pytest.raises(ValueError), registry.transaction():
            registry.insert("household", {"village_code": "16.06.01.2003", "rt": "2"})
            raise ValueError("batal")
        registry.insert("household", {"village_code": "16.06.01.2003", "rt": "3"})
    assert [r[0] for r in db.execute("SELECT rt FROM household ORDER BY pk")] == ["1", "3"]
    assert verify_chain(db.conn) == []


def test_the_audit_log_refuses_updates_and_deletes(registry, db):
    add_household(registry)
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit SET operator_id = 'someone-else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit")


def test_unknown_columns_and_tables_are_refused(registry):
    with pytest.raises(ValueError, match="unknown columns"), registry.transaction():
        registry.insert("household", {"village_code": "x", "colour": "red"})
    with pytest.raises(ValueError, match="not a table"), registry.transaction():
        registry.insert("audit", {})


def test_device_id_is_made_once_per_database(db):
    assert Registry(db).device_id == Registry(db).device_id
