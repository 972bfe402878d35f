"""Three-way conflicts: a field changed on one side only takes that side's value without a
click; a field changed on both sides waits for the clerk, shown with the value both started
from. The office and the laptop are made by the command line and edit through the core's
operations, as the window does; bundles travel by `bundle export`, `bundle import` and
`office return`."""

import json

from muba_desk.cli import main
from muba_desk.core import operations
from muba_desk.office.conflict_data import open_conflicts, resolve_by_fields
from muba_desk.sync.three_way import BOTH_SIDES, LAPTOP_SIDE, merged_without_clerk
from tests.sync.test_loop import VILLAGES, _export, _read, _write, field  # noqa: F401 (a fixture)

LAPTOP_WORKER = operations.Actor("op-L07")
CLERK = operations.Actor("op-kantor", side=operations.OFFICE)


def _register(names: list[str]):
    def fill(reg):
        household = operations.register_household(
            reg, LAPTOP_WORKER, village_code=VILLAGES["L07"], kk_number="1606010507700101"
        ).row
        return [
            operations.register_person(
                reg,
                LAPTOP_WORKER,
                name=name,
                sex="P",
                nik=str(1606014507700001 + i),
                birth_date="1970-07-05",
                household_id=household["id"],
                relation="kepala" if i == 0 else "anak",
                occupation="petani",
                phone="081100000000",
            ).row["id"]
            for i, name in enumerate(names)
        ]

    return fill


def _edit(db_path, actor, person_id, values):
    _write(
        db_path,
        actor.operator_id,
        lambda reg: operations.edit_person(reg, actor, person_id, values),
    )


def _person(db_path, person_id, *columns):
    sql = f"SELECT {', '.join(columns)} FROM person WHERE id = ?"
    return _read(db_path, lambda db: db.conn.execute(sql, (person_id,)).fetchone())


def _import(office, stick):
    return main(["bundle", "import", "--db", str(office), str(stick)])


def test_one_sided_changes_are_taken_and_both_sided_ones_wait(field, capsys):  # noqa: F811
    office, laptop, stick = field["office"], field["laptops"]["L07"], field["stick"]
    one_side, both_sides = _write(laptop, "op-L07", _register(["Sari Rahayu", "Wati Rahayu"]))
    assert _export(laptop, stick) == 0
    assert _import(office, stick) == 0

    # The office corrects phone numbers; the laptop, meanwhile, the occupations.
    _edit(office, CLERK, one_side, {"phone": "081299990000"})
    _edit(office, CLERK, both_sides, {"occupation": "Nelayan"})
    _edit(laptop, LAPTOP_WORKER, one_side, {"occupation": "Petani karet"})
    _edit(laptop, LAPTOP_WORKER, both_sides, {"occupation": "Petani karet", "phone": "0813"})
    for old in stick.iterdir():
        old.unlink()
    assert _export(laptop, stick) == 0
    capsys.readouterr()
    assert _import(office, stick) == 0
    assert "1 konflik" in capsys.readouterr().out

    # Changed on the laptop only: taken, beside the office's own change, with no clerk.
    assert _person(office, one_side, "occupation", "phone") == ("Petani karet", "081299990000")
    # Changed on both sides: the office's value stays until the clerk chooses.
    assert _person(office, both_sides, "occupation", "phone") == ("Nelayan", "081100000000")
    conflicts = _read(office, open_conflicts)
    assert [c.row_id for c in conflicts] == [both_sides]
    (conflict,) = conflicts
    assert conflict.base_known
    fields = {f.column: f for f in conflict.fields}
    assert set(fields) == {"occupation", "phone"}
    occupation, phone = fields["occupation"], fields["phone"]
    assert (occupation.label, phone.label) == ("Pekerjaan", "Nomor HP")
    assert (occupation.base, occupation.office, occupation.laptop) == (
        "petani",
        "Nelayan",
        "Petani karet",
    )
    assert occupation.changed_by == BOTH_SIDES and not occupation.laptop_by_default
    assert phone.changed_by == LAPTOP_SIDE and phone.laptop_by_default

    # The clerk keeps the office's occupation; the laptop's phone comes with it by default.
    def settle(reg):
        return resolve_by_fields(reg, conflict.id, {"occupation": "Nelayan", "phone": "0813"})

    _write(office, "op-kantor", settle)
    assert _person(office, both_sides, "occupation", "phone") == ("Nelayan", "0813")
    assert _read(office, open_conflicts) == []

    # Both settlements travel back: the laptop fast-forwards to the office's rows.
    for old in stick.iterdir():
        old.unlink()
    back = ["office", "return", "--db", str(office), "--laptop", "L07", "--to", str(stick)]
    assert main(back) == 0
    assert main(["bundle", "import", "--db", str(laptop), str(stick)]) == 0
    for pid in (one_side, both_sides):
        columns = ("occupation", "phone", "rev")
        assert _person(laptop, pid, *columns) == _person(office, pid, *columns)


def test_the_automatic_settlement_is_recorded(field):  # noqa: F811
    office, laptop, stick = field["office"], field["laptops"]["L07"], field["stick"]
    (pid,) = _write(laptop, "op-L07", _register(["Sari Rahayu"]))
    assert _export(laptop, stick) == 0
    assert _import(office, stick) == 0
    _edit(office, CLERK, pid, {"phone": "081299990000"})
    _edit(laptop, LAPTOP_WORKER, pid, {"occupation": "Petani karet"})
    assert _export(laptop, stick) == 0
    assert _import(office, stick) == 0
    rows = _read(
        office,
        lambda db: db.conn.execute(
            "SELECT resolution, base FROM sync_conflict WHERE row_id = ?", (pid,)
        ).fetchall(),
    )
    assert [(resolution, json.loads(base)["occupation"]) for resolution, base in rows] == [
        ("otomatis", "petani")
    ]


def test_what_the_import_may_take_without_a_clerk():
    base = {"id": "p1", "rev": "a", "occupation": "petani", "phone": "0811", "status": "DRAF"}
    office = {**base, "rev": "b", "phone": "0812"}
    # Only the laptop changed the occupation: taken; the office's phone is not touched.
    laptop = {**base, "rev": "c", "occupation": "Petani karet"}
    assert merged_without_clerk(base, office, laptop) == {"occupation": "Petani karet"}
    # Both changed the phone differently: the clerk decides the whole row.
    assert merged_without_clerk(base, office, {**laptop, "phone": "0813"}) is None
    # Both made the same change: nothing to ask.
    assert merged_without_clerk(base, office, {**laptop, "phone": "0812"}) == {
        "occupation": "Petani karet"
    }
    # A status move or a deletion is never merged silently; nor without a known base.
    assert merged_without_clerk(base, office, {**laptop, "status": "DIAJUKAN"}) is None
    assert merged_without_clerk(base, office, {**laptop, "deleted_at": "2026"}) is None
    assert merged_without_clerk(None, office, laptop) is None
