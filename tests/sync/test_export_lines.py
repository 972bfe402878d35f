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
