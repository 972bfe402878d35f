"""A list imported at the office reaches the laptop of its village and is verified there: the
office imports, writes the return bundle; the laptop lists the people to verify, confirms one
and marks one died through the person's ordinary edit; its next bundle brings both to the
office, which accepts them (they were sent to that laptop). Set up and carried only through
the command line and the core's operations, as in tests/sync/test_loop.py."""

import pytest

from muba_desk.cli import main
from muba_desk.core import operations
from muba_desk.lists.apply import apply_plan
from muba_desk.lists.mapping import mapping_for
from muba_desk.lists.plan import plan_import
from muba_desk.lists.read import read_list
from muba_desk.store import search
from muba_desk.store.db import connect
from muba_desk.sync.commands import PASSPHRASE_ENV
from tests.lists import shapes
from tests.sync.conftest import edit

OFFICE_PASSPHRASE = "kantor-dinas-sosial-muba"
SETUP_PASSPHRASE = "kode-penyiapan-laptop-muba"
KAYU_ARA = "16.06.01.1009"  # the village of the P3KE file's families
SERASAN_JAYA = "16.06.01.1010"  # another village of the same district


def _read(db_path, fn):
    db = connect(db_path)
    try:
        return fn(db)
    finally:
        db.close()


def _person(db_path, person_id) -> dict:
    def read(db):
        cursor = db.conn.execute(
            "SELECT id, rev, name, verify_state, phone, source_note FROM person WHERE id = ?",
            (person_id,),
        )
        return dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))

    return _read(db_path, read)


@pytest.fixture
def field(tmp_path, monkeypatch):
    """The office, laptop L01 for Kayu Ara and L02 for Serasan Jaya, made by `office init`,
    `office add-laptop` and `setup --provision`."""
    monkeypatch.setenv(PASSPHRASE_ENV, OFFICE_PASSPHRASE)
    setup_file = tmp_path / "setup.txt"
    setup_file.write_text(SETUP_PASSPHRASE + "\n", encoding="utf-8")
    office, stick = tmp_path / "office.db", tmp_path / "stick"
    stick.mkdir()
    assert main(["office", "init", "--db", str(office)]) == 0
    for code, village in (("L01", KAYU_ARA), ("L02", SERASAN_JAYA)):
        provision = tmp_path / f"{code}.provision"
        add = ["office", "add-laptop", "--db", str(office), "--name", f"Laptop {code}"]
        add += ["--code", code, "--district", "16.06.01", "--village", village]
        add += ["--out", str(provision), "--setup-passphrase-file", str(setup_file)]
        assert main(add) == 0
        setup = ["setup", "--db", str(tmp_path / f"{code}.db"), "--provision", str(provision)]
        assert main([*setup, "--passphrase-file", str(setup_file)]) == 0
    return {
        "office": office,
        "laptop": tmp_path / "L01.db",
        "other": tmp_path / "L02.db",
        "stick": stick,
        "tmp": tmp_path,
    }


def test_an_imported_list_is_verified_in_the_field_and_the_office_accepts_it(
    field, monkeypatch, capsys
):
    office, laptop, stick = field["office"], field["laptop"], field["stick"]

    # -- the office imports the P3KE list of Kayu Ara ---------------------------------------
    path, _expected = shapes.p3ke_xlsx(field["tmp"] / "p3ke_kayu_ara.xlsx")
    sheet = read_list(path)
    clerk = operations.Actor("op-kantor", side=operations.OFFICE)

    def import_list(reg):
        plan = plan_import(reg, sheet, mapping_for(sheet, "P3KE 2025"))
        return apply_plan(reg, clerk, plan)

    result = edit(office, import_list, operator="op-kantor")
    assert result.counts["new_people"] >= 3
    to_verify = _read(office, lambda db: search.people_to_verify(db))
    by_name = {hit.name: hit.id for hit in to_verify}
    assert {"SITI AMINAH", "DEWI", "NENEK IJAH"} <= by_name.keys()
    siti, ijah, dewi = by_name["SITI AMINAH"], by_name["NENEK IJAH"], by_name["DEWI"]
    assert "p3ke_kayu_ara.xlsx" in _person(office, siti)["source_note"]

    # -- the return bundle carries them to the laptop of their village ----------------------
    capsys.readouterr()
    for code in ("L01", "L02"):
        returned = ["office", "return", "--db", str(office), "--laptop", code, "--to", str(stick)]
        assert main(returned) == 0
    monkeypatch.delenv(PASSPHRASE_ENV)
    assert main(["bundle", "import", "--db", str(laptop), str(stick)]) == 0
    assert main(["bundle", "import", "--db", str(field["other"]), str(stick)]) == 0
    assert _read(field["other"], lambda db: search.people_to_verify(db)) == []  # not its village
    listed = _read(laptop, lambda db: search.people_to_verify(db))
    assert {hit.id for hit in listed} == {hit.id for hit in to_verify}
    assert [hit.id for hit in _read(laptop, lambda db: search.people_to_verify(db, "siti"))] == [
        siti
    ]
    assert _person(laptop, siti) == _person(office, siti)  # as the office holds it

    # -- the worker confirms Siti (adding her phone) and marks the grandmother died ---------
    worker = operations.Actor("op-L01")

    def verify(reg):
        operations.edit_person(
            reg,
            worker,
            siti,
            {"verify_state": "confirmed", "phone": "081234567890"},
            base_rev=_person(laptop, siti)["rev"],
        )
        operations.edit_person(reg, worker, ijah, {"verify_state": "died"})

    edit(laptop, verify, operator="op-L01")
    left = {hit.id for hit in _read(laptop, lambda db: search.people_to_verify(db))}
    assert siti not in left and ijah not in left and dewi in left

    # -- the next bundle brings both to the office, which accepts them ----------------------
    monkeypatch.setenv(PASSPHRASE_ENV, OFFICE_PASSPHRASE)
    capsys.readouterr()
    assert main(["bundle", "export", "--db", str(laptop), "--to", str(stick)]) == 0
    bundle = capsys.readouterr().out.strip()
    assert main(["bundle", "import", "--db", str(office), bundle]) == 0
    for person_id, state in ((siti, "confirmed"), (ijah, "died")):
        at_office, in_field = _person(office, person_id), _person(laptop, person_id)
        assert at_office == in_field
        assert at_office["verify_state"] == state
    assert _person(office, siti)["phone"] == "081234567890"
    held = _read(
        office, lambda db: db.conn.execute("SELECT count(*) FROM sync_conflict").fetchone()[0]
    )
    assert held == 0  # accepted as they came, nothing queued for review
