"""m008 makes the audit table again without the index on `hash`: every entry kept as it was,
the chain still verifies, the append-only guards still hold."""

import sqlite3

import pytest
import sqlite_utils

from muba_desk.store.audit import verify_chain
from muba_desk.store.registry import Registry
from muba_desk.store.schema import MIGRATIONS

M008 = "m008_audit_hash_not_indexed"


def audit_indexes(conn):
    return sorted(
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit'"
        )
    )


def test_a_file_made_before_m008_keeps_every_entry_and_its_chain(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    db = sqlite_utils.Database(conn)
    MIGRATIONS.apply(db, stop_before=M008)
    assert "sqlite_autoindex_audit_1" in audit_indexes(conn)
    reg = Registry(db, "op-lama")
    with reg.transaction():
        rows = reg.insert_many("household", [{"village_code": "16.06.01.2003"}] * 5)
        reg.update("household", rows[0]["id"], {"rt": "004"})
    before = conn.execute("SELECT * FROM audit ORDER BY seq").fetchall()

    MIGRATIONS.apply(db)

    assert conn.execute("SELECT * FROM audit ORDER BY seq").fetchall() == before
    assert audit_indexes(conn) == ["audit_device", "audit_row"]
    assert verify_chain(conn) == []
    with reg.transaction():
        reg.insert("household", {"village_code": "16.06.01.2003"})
    assert [r[0] for r in conn.execute("SELECT seq FROM audit ORDER BY seq")] == list(range(1, 8))
    assert verify_chain(conn) == []
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit SET operator_id = 'pemalsu'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
