"""One item shape for goods (domain.goods): m012 renames the old "qty" key in stored rows."""

import json
import sqlite3

import sqlite_utils

from muba_desk.domain.goods import format_quantity, item_line, parse_quantity
from muba_desk.store import records
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from muba_desk.store.schema import MIGRATIONS

M012 = "m012_goods_quantity_key"


def test_m012_renames_qty_in_stored_handovers(tmp_path):
    path = tmp_path / "lama.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    MIGRATIONS.apply(sqlite_utils.Database(conn), stop_before=M012)
    reg = Registry(sqlite_utils.Database(conn), "op-lama")
    with reg.transaction():
        home = records.add_household(reg, village_code="16.06.01.2003")
        person = records.add_person(reg, name="Panti Lama", sex="L", nik="1606010101800003",
                                    household_id=home["id"])  # fmt: skip
        enrolment = records.enrol(reg, program="PKM", data={}, person_id=person["id"])
        old = records.record_handover(
            reg,
            enrolment_id=enrolment["id"],
            items=[
                {"name": "Makanan siap santap", "qty": 1800, "unit": "porsi"},
                {"name": "Beras", "quantity": 10, "unit": "kg"},
            ],
            handed_at="2026-05-01",
            confirmed_by="tanda_tangan",
        )
        cash = records.record_handover(
            reg, enrolment_id=enrolment["id"], amount=500_000, handed_at="2026-05-02",
            confirmed_by="tanda_tangan",
        )  # fmt: skip
    conn.close()

    db = connect(path)  # the app's door: migrates to this version
    try:
        assert M012 in {r[0] for r in db.conn.execute("SELECT name FROM _sqlite_migrations")}
        items = db.conn.execute("SELECT items FROM handover WHERE id = ?", (old["id"],)).fetchone()
        assert json.loads(items[0]) == [
            {"name": "Makanan siap santap", "quantity": 1800, "unit": "porsi"},
            {"name": "Beras", "quantity": 10, "unit": "kg"},
        ]
        cash_row = db.conn.execute("SELECT items, rev FROM handover WHERE id = ?", (cash["id"],))
        assert cash_row.fetchone() == ("[]", cash["rev"])
    finally:
        db.close()


def test_quantities_read_and_print_the_indonesian_way():
    assert parse_quantity("1.800") == 1800 and parse_quantity("1800") == 1800
    assert parse_quantity("2,5") == 2.5 and parse_quantity("2.5") == 2.5
    assert (format_quantity(1800), format_quantity(2.5), format_quantity("10")) == (
        "1.800",
        "2,5",
        "10",
    )
    assert item_line({"name": "Makanan siap santap", "quantity": 1800, "unit": "porsi"}) == (
        "1.800 porsi Makanan siap santap"
    )
    # A bundle from a laptop not yet updated may still carry the old key.
    assert item_line({"name": "Beras", "qty": 10, "unit": "kg"}) == "10 kg Beras"
