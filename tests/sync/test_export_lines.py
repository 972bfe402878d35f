"""The export's fast paths give the bytes the plain ones would: audit lines made by SQLite are
`canonical` JSON, and a photo named by its stored hash is named by the hash of its bytes."""

import io
import json
import zipfile

import pytest

from muba_desk.store.db import memory_db
from muba_desk.sync.bundle import build_payload, canonical, sha256_hex
from muba_desk.sync.export import AUDIT_COLUMNS, AUDIT_JSON

AWKWARD = [
    "",
    "plain",
    'quote " and backslash \\ and slash /',
    "controls \x00\x01\x07\x08\t\n\x0b\x0c\r\x1b\x1f and \x7f",
    "Indonesia: Siti Aminah, Musi Banyuasin; é ñ ü; 中文; emoji \U0001f600; \u2028\u2029",
    json.dumps({"nama": 'Siti "Ami"\n', "umur": 3}, ensure_ascii=False),
]


@pytest.mark.parametrize("text", AWKWARD)
def test_sqlite_audit_line_is_canonical(text):
    db = memory_db()
    columns = ", ".join(f"{c} {'INTEGER' if c == 'seq' else 'TEXT'}" for c in AUDIT_COLUMNS)
    db.conn.execute(f"CREATE TEMP TABLE a ({columns})")
    for seq, operator in ((1, None), (2**53, text)):
        values = {c: text for c in AUDIT_COLUMNS} | {"seq": seq, "operator_id": operator}
        marks = ", ".join("?" for _ in AUDIT_COLUMNS)
        db.conn.execute(f"INSERT INTO a VALUES ({marks})", [values[c] for c in AUDIT_COLUMNS])
        (line,) = db.conn.execute(f"SELECT {AUDIT_JSON} FROM a WHERE seq = ?", (seq,)).fetchone()
        assert line.encode("utf-8") == canonical(values)


def test_known_digests_are_used_and_match():
    members = {"photos/ab.jpg": b"\xff\xd8\xff jpeg", "rows/person.ndjson": b"{}\n"}
    digest = sha256_hex(members["photos/ab.jpg"])
    plain = build_payload({"x": 1}, members)
    fast = build_payload({"x": 1}, members, {"photos/ab.jpg": digest})
    assert _manifest(plain) == _manifest(fast)
    assert _manifest(fast)["members"]["photos/ab.jpg"] == {"size": 8, "sha256": digest}


def _manifest(payload: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        return json.loads(zf.read("manifest.json"))


def test_rows_made_by_sqlite_are_the_canonical_lines_in_pk_order(monkeypatch):
    from muba_desk.store import registry
    from muba_desk.store.records import add_household, add_person
    from muba_desk.store.registry import Registry
    from muba_desk.store.schema import SYNCED_TABLES
    from muba_desk.sync.export import _snapshot

    # Rows stored before the core's rules refused control characters and emoji (a registry
    # of an older version) must still export as canonical lines: the rules are left out here.
    monkeypatch.setattr(registry.rules, "check_row", lambda table, row, program=None: None)
    from tests.spelled import letters

    db = memory_db()
    reg = Registry(db, "op")
    with reg.transaction():
        for n, text in enumerate(AWKWARD):
            gps = {"gps_lat": -2.9 + 0.1 * n, "gps_lon": 0.1 + 0.2} if n % 2 else {}
            house = add_household(reg, village_code="16.06.01.1009", address=text, **gps)
            add_person(
                reg,
                name=f"Siti {letters(n)}",  # m009's guard holds names even here
                sex="P",
                household_id=house["id"],
                relation="kepala",
                disability=[text, 3],
                no_nik_reason=text or "lansia",
            )
        reg.update("household", house["id"], {"address": "pindah"})
        gone = add_person(reg, name="Dihapus", sex="L", no_nik_reason="belum")
        reg.delete("person", gone["id"])
    snapshot = _snapshot(db, reg.device_id)
    for table in SYNCED_TABLES:
        rows = db.conn.execute(f"SELECT * FROM {table} ORDER BY pk")
        names = [d[0] for d in rows.description]
        expected = []
        for values in rows:
            row = dict(zip(names, values, strict=True))
            del row["pk"]
            revs = [
                r[0]
                for r in db.conn.execute(
                    "SELECT rev FROM change_log WHERE table_name = ? AND row_id = ? ORDER BY seq",
                    (table, row["id"]),
                )
            ]
            ancestors = [
                r for r in dict.fromkeys([row["base_rev"], *revs]) if r and r != row["rev"]
            ]
            expected.append(canonical({"row": row, "ancestors": ancestors}))
        got = snapshot["members"].get(f"rows/{table}.ndjson", b"").splitlines()
        assert got == expected, table
    households = snapshot["members"]["rows/household.ndjson"].splitlines()
    assert any(b"0.30000000000000004" in line for line in households)  # REAL: Python's digits


def test_the_one_row_encoder_writes_what_canonical_json_writes():
    """`sync.rows.record_line`, used by the export and by return bundles, gives the bytes of
    `bundle.canonical({"row": ..., "ancestors": ...})`, also from a row already encoded and
    for an ancestor list that is not made of revs."""
    from muba_desk.sync.bundle import canonical
    from muba_desk.sync.rows import record_line

    row = {"id": "01a2", "name": 'Sіti "Ami"nah \\ é', "rev": "1780000000000.0001.abc", "n": 3}
    for ancestors in ([], ["1780000000000.0000.abc", "1770000000000.0002.def"], ['x"y', "é"]):
        expected = canonical({"row": row, "ancestors": ancestors})
        assert record_line(row, ancestors) == expected
        assert record_line(canonical(row), ancestors) == expected
