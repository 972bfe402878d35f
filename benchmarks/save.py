"""Save one registration: a household, its head, an enrolment (with its status history and
card number), the audit entries and change log, through `Registry` in one transaction, as the
registration forms do on the window's database thread.

The baseline writes the very rows one of our saves wrote (ids, hashes and numbers renewed,
same lengths) with plain sqlite3 in one transaction, WAL and synchronous=FULL, into the same
database, so both pay the same indexes, FTS triggers and fsyncs.
"""

from __future__ import annotations

import itertools
import random
import sqlite3
import string
from datetime import date

from benchmarks.common import Row, Sizes, interleaved, median
from benchmarks.data import kk_number, letters, nik, registry

TARGET = 3.0
VILLAGE = "16.06.01.1009"
TABLES = ("household", "person", "enrolment", "enrolment_status", "change_log", "audit")
_serial = itertools.count(1)


def save_registration(db, operator_id: str) -> dict:
    from muba_desk.store.records import add_household, add_person, enrol
    from muba_desk.store.registry import Registry

    n = next(_serial)
    reg = Registry(db, operator_id)  # as MainWindow.submit_write makes one per write
    with reg.transaction():
        household = add_household(
            reg,
            village_code=VILLAGE,
            kk_number=kk_number(random.randrange(3_000_000)),
            address=f"Jalan Benchmark {n}",
            rt="003",
            rw="001",
        )
        person = add_person(
            reg,
            name=f"Registrasi Benchmark {letters(n)}",
            sex="P",
            nik=nik(date(1984, 5, 17), "P", random.randrange(9999) + 1),
            household_id=household["id"],
            relation="kepala",
            birth_date="1984-05-17",
            birth_place="Sekayu",
            occupation="petani",
        )
        enrolment = enrol(reg, program="PKM", data={}, person_id=person["id"], village_code=VILLAGE)
    return {"household": household["id"], "person": person["id"], "enrolment": enrolment["id"]}


def _rows_of(conn, saved: dict, marks: tuple[int, int]) -> list[tuple[str, dict]]:
    """Every row the save wrote, in a plausible insertion order."""

    def select(table, where, params):
        cursor = conn.execute(f"SELECT * FROM {table} WHERE {where}", params)
        names = [d[0] for d in cursor.description]
        return [(table, dict(zip(names, values, strict=True))) for values in cursor]

    rows = select("household", "id = ?", (saved["household"],))
    rows += select("person", "id = ?", (saved["person"],))
    rows += select("enrolment", "id = ?", (saved["enrolment"],))
    rows += select("enrolment_status", "enrolment_id = ?", (saved["enrolment"],))
    rows += select("change_log", "seq > ?", (marks[0],))
    rows += select("audit", "seq > ?", (marks[1],))
    return rows


_UNIQUE = {"id", "rev", "base_rev", "hash", "prev_hash", "card_number", "nik", "kk_number"}


def _renew(token: str) -> str:
    alphabet = string.digits if token.isdigit() else string.hexdigits[:16]
    out = [random.choice(alphabet) if c.isalnum() else c for c in token]
    return "".join(out)


def _replay(template: list[tuple[str, dict]]):
    """The template's rows with every id, rev, hash and number replaced by a new one of the same
    length, wherever it appears (audit JSON included); primary keys left to SQLite."""
    tokens = {
        v
        for _t, row in template
        for k, v in row.items()
        if (k in _UNIQUE or k.endswith("_id")) and isinstance(v, str) and len(v) >= 8
    }
    tokens = sorted(tokens, key=len, reverse=True)
    statements = []
    for table, row in template:
        names = [k for k in row if k not in ("pk", "seq")]
        marks = ", ".join("?" for _ in names)
        statements.append(
            (f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", [row[k] for k in names])
        )

    def fresh():
        mapping = {t: _renew(t) for t in tokens}
        out = []
        for sql, values in statements:
            new = []
            for v in values:
                if isinstance(v, str):
                    for old in tokens:
                        if old in v:
                            v = v.replace(old, mapping[old])
                new.append(v)
            out.append((sql, new))
        # The card number's serial, as `enrol` counts it.
        out.append(
            (
                "INSERT INTO counter (name, value) VALUES ('bench', 1) "
                "ON CONFLICT(name) DO UPDATE SET value = value + 1",
                [],
            )
        )
        return out

    return fresh


def run(sizes: Sizes) -> list[Row]:
    from benchmarks.data import demo_operator
    from muba_desk.store.db import connect
    from muba_desk.store.schema import register_functions

    reg = registry(sizes)
    operator_id = demo_operator(reg.path)["id"]
    db = connect(reg.path)
    plain = sqlite3.connect(reg.path, isolation_level=None)
    register_functions(plain)  # the search index's triggers call muba_fold_name, as in the app
    plain.execute("PRAGMA journal_mode = WAL")
    plain.execute("PRAGMA synchronous = FULL")
    try:
        marks = (
            db.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0],
            db.conn.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0],
        )
        saved = save_registration(db, operator_id)
        fresh = _replay(_rows_of(db.conn, saved, marks))
        prepared: list = []

        def setup(which):
            if which == "base":
                prepared[:] = fresh()

        def ours():
            save_registration(db, operator_id)

        def base():
            plain.execute("BEGIN IMMEDIATE")
            for sql, values in prepared:
                plain.execute(sql, values)
            plain.execute("COMMIT")

        ours(), setup("base"), base()  # warm-up
        a, b = interleaved(sizes.save_rounds, ours, base, setup=setup)
    finally:
        db.close()
        plain.close()
    return [Row("save one registration", median(a), median(b), TARGET)]
