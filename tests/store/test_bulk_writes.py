"""Bulk writes (`insert_many`, `update_many` and the records built on them) write what the
one-row calls write; the audit seq kept by the Registry stays right; the hash keeps its bytes."""

import hashlib
import json
import sqlite3

import pytest

from muba_desk.store import audit, records
from muba_desk.store.audit import GENESIS, entry_hash, verify_chain
from muba_desk.store.db import connect
from muba_desk.store.registry import RecordNotFound, Registry, set_setting
from muba_desk.store.search import search_people
from tests.spelled import spelled

VILLAGE = "16.06.01.2003"


def first_format_hash(prev_hash: str, entry: dict) -> str:
    """entry_hash as first shipped: every chain in the field was made with these bytes."""
    fields = [
        entry["seq"],
        entry["at"],
        entry["device_id"],
        entry["operator_id"],
        entry["action"],
        entry["table_name"],
        entry["row_id"],
        entry["before"],
        entry["after"],
    ]
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + "\n" + text).encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"operator_id": None, "before": None},
        {"after": '{"name":"Siti \\"Bu\\" Aminah","note":"baris\\nbaru\\u0001 é 𝄞"}'},
        {"row_id": 'quote " backslash \\ tab \t nul \x00 del \x7f', "at": "é\u2028\u2029"},
        {"seq": 2**62},
        {"seq": True},
        {"seq": 3.5},
        {"operator_id": ["a", {"b": 1}]},
    ],
)
def test_the_hash_keeps_the_bytes_of_the_first_format(changes):
    entry = {
        "seq": 7,
        "at": "2026-03-15T01:02:03.456Z",
        "device_id": "0123456789ab",
        "operator_id": "op-1",
        "action": "insert",
        "table_name": "person",
        "row_id": "0190f4c2-0000-7000-8000-000000000000",
        "before": None,
        "after": '{"name":"Siti"}',
        **changes,
    }
    assert entry_hash(GENESIS, entry) == first_format_hash(GENESIS, entry)


def test_a_field_of_a_type_json_refuses_still_raises_type_error():
    entry = dict.fromkeys(audit.FIELDS, "x") | {"seq": b"1"}
    with pytest.raises(TypeError):
        entry_hash(GENESIS, entry)


def people(household_id, count, start=0):
    return [
        {
            "name": f"Warga {spelled(n)}",
            "sex": "L" if n % 2 else "P",
            "nik": f"1606014506780{n + 1:03d}",
            "household_id": household_id,
            "relation": "anak",
            "disability": ["netra"] if n == start else [],
        }
        for n in range(start, start + count)
    ]


def audit_rows(db, table=None):
    sql = "SELECT seq, action, table_name, row_id, before, after FROM audit"
    if table:
        sql += f" WHERE table_name = '{table}'"
    return db.conn.execute(sql + " ORDER BY seq").fetchall()


def test_insert_many_writes_rows_audit_change_log_and_search_in_order(registry, db):
    with registry.transaction():
        household = registry.insert(
            "household", {"village_code": VILLAGE, "kk_number": "1606011201100003"}
        )
        rows = registry.insert_many("person", people(household["id"], 60))
    stored = registry.get_many("person", [r["id"] for r in rows])
    assert [stored[r["id"]]["name"] for r in rows] == [f"Warga {spelled(n)}" for n in range(60)]
    assert stored[rows[0]["id"]]["disability"] == '["netra"]'
    assert [r[0] for r in db.conn.execute("SELECT pk FROM person ORDER BY pk")] == list(
        range(1, 61)
    )
    entries = audit_rows(db, "person")
    assert [e[3] for e in entries] == [r["id"] for r in rows]
    for entry, row in zip(entries, rows, strict=True):
        assert entry[1] == "insert" and entry[4] is None
        assert json.loads(entry[5]) == row
    logged = db.conn.execute(
        "SELECT row_id, rev FROM change_log WHERE table_name = 'person' ORDER BY seq"
    ).fetchall()
    assert logged == [(r["id"], r["rev"]) for r in rows]
    assert len({r["rev"] for r in rows}) == 60
    assert [s for s, *_ in audit_rows(db)] == list(range(1, 62))
    assert {hit.id for hit in search_people(db, "warga", limit=100)} == {r["id"] for r in rows}
    assert verify_chain(db.conn) == []


def test_insert_many_writes_what_insert_writes(db):
    single, bulk = Registry(db, "op-a"), Registry(db, "op-b")
    with single.transaction():
        household = single.insert("household", {"village_code": VILLAGE})
        one = [single.insert("person", values) for values in people(household["id"], 3)]
    with bulk.transaction():
        many = bulk.insert_many("person", people(household["id"], 3))

    def comparable(row):
        managed = ("id", "rev", "created_at", "updated_at", "created_by", "updated_by")
        return {k: v for k, v in row.items() if k not in managed}

    assert [comparable(r) for r in one] == [comparable(r) for r in many]
    afters = [json.loads(e[5]) for e in audit_rows(db, "person")]
    assert [comparable(a) for a in afters[:3]] == [comparable(a) for a in afters[3:]]


def test_a_failing_insert_many_leaves_none_of_its_rows(registry, db):
    with registry.transaction():
        household = registry.insert("household", {"village_code": VILLAGE})
        bad = people(household["id"], 50)
        bad[45]["consent_by"] = "X"  # the CHECK refuses it, in the second statement of rows
        with pytest.raises(sqlite3.IntegrityError):
            registry.insert_many("person", bad)
        registry.insert("household", {"village_code": VILLAGE})
    assert db.conn.execute("SELECT count(*) FROM person").fetchone()[0] == 0
    assert [s for s, *_ in audit_rows(db)] == [1, 2]
    assert verify_chain(db.conn) == []


def test_insert_many_refuses_unknown_columns_and_writes_nothing_for_no_rows(registry, db):
    with registry.transaction():
        assert registry.insert_many("household", []) == []
        with pytest.raises(ValueError, match="unknown columns"):
            registry.insert_many("household", [{"village_code": VILLAGE, "colour": "red"}])
    assert audit_rows(db) == []


def test_update_many_writes_what_update_writes(registry, db):
    with registry.transaction():
        a, b = registry.insert_many("household", [{"village_code": VILLAGE, "rt": "1"}] * 2)
    with registry.transaction():
        one = registry.update("household", a["id"], {"rt": "2"})
        (many,) = registry.update_many(
            "household", [(registry.get("household", b["id"]), {"rt": "2"})]
        )
    assert registry.get("household", b["id"])["rt"] == "2"
    assert many["base_rev"] == b["rev"] and many["rev"] > b["rev"]
    (first, second) = audit_rows(db)[2:]
    for entry in (first, second):
        assert entry[1] == "update"
    same = ("rev", "id", "updated_at", "created_at", "base_rev")

    def comparable(text):
        return {k: v for k, v in json.loads(text).items() if k not in same}

    assert comparable(first[4]) == comparable(second[4])
    assert comparable(first[5]) == comparable(second[5])
    assert set(one) == set(many)
    assert verify_chain(db.conn) == []


def test_update_many_changes_each_row_once_and_never_a_tombstone(registry):
    with registry.transaction():
        row = registry.insert("household", {"village_code": VILLAGE})
    current = registry.get("household", row["id"])
    with pytest.raises(ValueError, match="once"), registry.transaction():
        registry.update_many("household", [(current, {"rt": "1"}), (current, {"rt": "2"})])
    with registry.transaction():
        registry.delete("household", row["id"])
    with pytest.raises(RecordNotFound), registry.transaction():
        registry.update_many("household", [(registry.get("household", row["id"]), {"rt": "3"})])


def test_the_seq_counts_on_after_another_connection_wrote(db_path):
    first, second = connect(db_path), connect(db_path)
    try:
        mine, theirs = Registry(first, "op-a"), Registry(second, "op-b")
        with mine.transaction():
            mine.insert("household", {"village_code": VILLAGE})
        with theirs.transaction():
            theirs.insert_many("household", [{"village_code": VILLAGE}] * 3)
        with mine.transaction():
            mine.insert("household", {"village_code": VILLAGE})
            mine.audit_event("view", "household", "x", {})
        seqs = [r[0] for r in first.conn.execute("SELECT seq FROM audit ORDER BY seq")]
        assert seqs == [1, 2, 3, 4, 5, 6]
        assert verify_chain(first.conn) == []
    finally:
        first.close()
        second.close()


def test_a_rolled_back_savepoint_gives_its_seqs_back(registry, db):
    with registry.transaction():
        registry.insert("household", {"village_code": VILLAGE})
        with pytest.raises(ZeroDivisionError), registry.transaction():
            registry.insert_many("household", [{"village_code": VILLAGE}] * 2)
            1 / 0  # noqa: B018
        registry.insert("household", {"village_code": VILLAGE})
    assert [s for s, *_ in audit_rows(db)] == [1, 2]
    assert verify_chain(db.conn) == []


def test_a_refused_commit_rolls_the_transaction_back(registry, db):
    with pytest.raises(sqlite3.IntegrityError), registry.transaction():
        db.conn.execute("PRAGMA defer_foreign_keys = ON")
        registry.insert(
            "person", {"name": "Yatim", "sex": "L", "nik": "1606014506780001", "household_id": "x"}
        )
    assert not db.conn.in_transaction
    assert audit_rows(db) == []
    with registry.transaction():
        registry.insert("household", {"village_code": VILLAGE})
    assert verify_chain(db.conn) == []


# -- records ---------------------------------------------------------------------------------
def test_serials_reserved_in_a_block_follow_on_from_single_ones(registry):
    with registry.transaction():
        assert records.next_serial(registry, "card") == 1
        assert list(records.reserve_serials(registry, "card", 3)) == [2, 3, 4]
        assert list(records.reserve_serials(registry, "card", 0)) == []
        assert records.next_serial(registry, "card") == 5


UMAK = {"decile_source": "dtsen", "household_size": 3, "payment_channel": "tunai"}
V = VILLAGE


def test_bulk_enrolments_statuses_and_handovers_match_the_one_by_one_calls(registry, db):
    set_setting(db, "device_code", "L07")
    with registry.transaction():
        household = registry.insert("household", {"village_code": VILLAGE})
        a, b = registry.insert_many("person", people(household["id"], 2))
        single = records.enrol(registry, program="BANTU_UMAK", data=UMAK, person_id=a["id"])
        single = records.set_status(registry, single["id"], "DIAJUKAN")
        single = records.set_status(registry, single["id"], "TERKIRIM")
        single = records.set_status(registry, single["id"], "DITOLAK", "Kuota penuh.")
        (bulk,) = records.enrol_many(
            registry,
            [{"program": "BANTU_UMAK", "data": UMAK, "person_id": b["id"], "village_code": V}],
        )
        bulk = registry.get("enrolment", bulk["id"])
        (bulk,) = records.set_statuses(registry, [(bulk, "DIAJUKAN", None)])
        (bulk,) = records.set_statuses(registry, [(bulk, "TERKIRIM", None)])
        (bulk,) = records.set_statuses(registry, [(bulk, "DITOLAK", "Kuota penuh.")])
        handed = {"handed_at": "2026-03-02", "confirmed_by": "cap_jempol", "amount": 5}
        first = records.record_handover(registry, enrolment_id=single["id"], **handed)
        second, third = records.record_handovers(registry, [(bulk, handed), (bulk, handed)])
    stored = registry.get("enrolment", bulk["id"])
    assert stored["household_id"] == household["id"]
    assert stored["card_number"] == "1606-01-L07-000001"
    for row in (single, bulk, stored):
        assert (row["status"], row["decision_reason"]) == ("DITOLAK", "Kuota penuh.")
    history = db.conn.execute(
        "SELECT enrolment_id, from_status, to_status, reason FROM enrolment_status ORDER BY pk"
    ).fetchall()
    assert [h[1:] for h in history if h[0] == single["id"]] == [
        h[1:] for h in history if h[0] == bulk["id"]
    ]
    assert [h["receipt_number"] for h in (first, second, third)] == [
        "BU/2026/L07/000001",
        "BU/2026/L07/000002",
        "BU/2026/L07/000003",
    ]
    assert second["operator_id"] == "op-test"
    with pytest.raises(ValueError, match="jumlah uang"), registry.transaction():
        records.record_handovers(registry, [(bulk, {**handed, "amount": None})])
    assert verify_chain(db.conn) == []


def test_a_column_added_later_is_known_to_the_next_registry(db):
    assert "colour" not in Registry(db).columns("household")
    db.conn.execute("ALTER TABLE household ADD COLUMN colour TEXT")
    reg = Registry(db)
    with reg.transaction():
        row = reg.insert("household", {"village_code": VILLAGE, "colour": "merah"})
    assert reg.get("household", row["id"])["colour"] == "merah"


def test_a_bulk_writer_may_stamp_its_rows_with_past_times_never_future_ones(registry, db):
    """`at`: for the demo, which writes a year of made-up work at once."""
    past = ["2025-02-03T01:00:00.000Z", "2025-04-05T01:30:00.000Z"]
    with registry.transaction():
        rows = registry.insert_many("household", [{"village_code": VILLAGE}] * 2, at=past)
        (moved,) = registry.update_many("household", [(rows[0], {"rt": "4"})], at=[past[1]])
        with pytest.raises(ValueError, match="2 stamps for 1 rows"):
            registry.insert_many("household", [{"village_code": VILLAGE}], at=past)
        with pytest.raises(ValueError, match="not a past UTC stamp"):
            registry.insert_many(
                "household", [{"village_code": VILLAGE}], at=["2999-01-01T01:00:00.000Z"]
            )
        with pytest.raises(ValueError, match="not a past UTC stamp"):
            registry.insert_many("household", [{"village_code": VILLAGE}], at=["2025-02-03"])
    assert [r["created_at"] for r in rows] == past and moved["updated_at"] == past[1]
    stamps = db.conn.execute("SELECT at FROM audit WHERE table_name = 'household' ORDER BY seq")
    assert [at for (at,) in stamps] == [*past, past[1]]
    logged = db.conn.execute(
        "SELECT at FROM change_log WHERE table_name = 'household' ORDER BY seq"
    )
    assert [at for (at,) in logged] == [*past, past[1]]
    assert verify_chain(db.conn) == []
