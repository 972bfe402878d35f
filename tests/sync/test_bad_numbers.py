"""Numbers SQLite cannot hold, floats where the schema has none, deep nesting and lone
surrogates are refused while the bundle is parsed, naming the member, the line and the row;
and one bad file on a stick never keeps the office from the others."""

import json
import re

import pytest

from muba_desk.store.db import connect
from muba_desk.store.records import add_household
from muba_desk.sync import commands, importer, jsonsafe, returns
from muba_desk.sync.bundle import BundleError, build_payload
from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import import_bundle
from muba_desk.sync.receive import import_return
from muba_desk.sync.returns import office_return
from tests.sync.conftest import PASSPHRASE, VILLAGE, add_people, dump, edit, query
from tests.sync.test_hostile_payload import forge


def person_value(literal: str, column: str = "birth_date"):
    """A mutation giving the second person's `column` the raw JSON `literal`."""

    def mutate(manifest, members):
        lines = members["rows/person.ndjson"].decode().splitlines()
        record = json.loads(lines[1])
        marker = '"__bad__"'
        record["row"][column] = "__bad__"
        text = json.dumps(record, ensure_ascii=False)
        assert marker in text
        lines[1] = text.replace(marker, literal)
        members["rows/person.ndjson"] = ("\n".join(lines) + "\n").encode()
        return build_payload(manifest, members)

    return mutate


BAD = {
    "infinity": ("Infinity", "Infinity"),
    "minus_infinity": ("-Infinity", "-Infinity"),
    "nan": ("NaN", "NaN"),
    "float_overflow": ("1e999", "1e999"),
    "ten_to_the_thirty": (str(10**30), "terlalu besar"),
    "one_past_sqlite": (str(2**63), "terlalu besar"),
    "five_thousand_digits": ("9" * 5000, "5000 digit"),
    "float_in_a_text_column": ("1.5", "kolom birth_date"),
    "deep_nesting": ("[" * 50_000 + "]" * 50_000, "bersarang"),
    "lone_surrogate": ('"Budi \\ud800"', "surrogate"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_value_is_refused_naming_member_line_and_row(
    case, laptop_db, office_db, office, tmp_path
):
    literal, reason = BAD[case]
    ids = add_people(laptop_db, 3)
    path = forge(laptop_db, tmp_path / f"{case}.mubabundle", person_value(literal))
    people = query(laptop_db, "SELECT id FROM person ORDER BY pk")
    before = dump(office_db)
    with pytest.raises(BundleError) as caught:
        import_bundle(office_db, path, office=office)
    message = str(caught.value)
    assert path.name in message and reason in message
    assert "rows/person.ndjson" in message and "baris 2" in message
    # The second line holds one of the three people (the export's order is the laptop's).
    named = [pid for (pid,) in people if pid in message]
    assert len(named) == 1 and named[0] in ids
    assert dump(office_db) == before


def test_the_edges_of_sqlite_integers_are_taken_and_one_past_is_not():
    assert jsonsafe.loads(f"[{2**63 - 1}, {-(2**63)}]") == [2**63 - 1, -(2**63)]
    for text in (str(2**63), str(-(2**63) - 1)):
        with pytest.raises(jsonsafe.UnsafeJSON, match="terlalu besar"):
            jsonsafe.loads(text)


def test_coordinates_travel_as_floats(laptop_db, office_db, office, stick):
    # A REAL column is the one place a row may carry a float.
    edit(
        laptop_db,
        lambda reg: add_household(
            reg, village_code=VILLAGE, kk_number="1606010101000001", gps_lat=-2.9, gps_lon=104.1
        ),
    )
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert query(office_db, "SELECT gps_lat, gps_lon FROM household") == [(-2.9, 104.1)]


def test_one_stick_with_bad_bundles_imports_the_good_one(
    laptop_db, office_db, office, stick, capsys, monkeypatch
):
    """The command line on a folder: each bad file is named with its reason and leaves no
    trace; the good one after them is imported; the exit code says something was refused."""
    ids = add_people(laptop_db, 3)
    (stick / "a-rusak.mubabundle").write_bytes(b"MUBA-DESK-BUNDLE 1\n{}")
    forge(laptop_db, stick / "b-besar.mubabundle", person_value(str(10**30)))
    forge(laptop_db, stick / "c-tak-hingga.mubabundle", person_value("Infinity"))
    forge(laptop_db, stick / "d-galat.mubabundle", build_payload)
    forge(laptop_db, stick / "e-baik.mubabundle", build_payload)
    # A fault of ours met by one file (here: made to happen) is that file's refusal only.
    real_open = importer.open_payload

    def faulty(data, name, *args, **kwargs):
        if name.startswith("d-"):
            raise RuntimeError("kesalahan buatan")
        return real_open(data, name, *args, **kwargs)

    monkeypatch.setattr(importer, "open_payload", faulty)
    monkeypatch.setenv(commands.PASSPHRASE_ENV, PASSPHRASE)
    capsys.readouterr()
    assert run("bundle", "import", "--db", office_db, stick) == 1
    lines = capsys.readouterr().out.splitlines()
    by_file = {line.split(":", 1)[0]: line for line in lines}
    assert set(by_file) == {
        "a-rusak.mubabundle",
        "b-besar.mubabundle",
        "c-tak-hingga.mubabundle",
        "d-galat.mubabundle",
        "e-baik.mubabundle",
    }
    assert "DITOLAK" in by_file["a-rusak.mubabundle"]
    assert "terlalu besar" in by_file["b-besar.mubabundle"]
    assert "Infinity" in by_file["c-tak-hingga.mubabundle"]
    assert "tidak dapat dibaca: RuntimeError: kesalahan buatan" in by_file["d-galat.mubabundle"]
    assert "diimpor dari laptop L07" in by_file["e-baik.mubabundle"]
    # Only the good file was written: its people, and one import in the ledger.
    assert sorted(r for (r,) in query(office_db, "SELECT id FROM person")) == sorted(ids)
    assert query(office_db, "SELECT file_name FROM bundle_import") == [("e-baik.mubabundle",)]


def run(*argv) -> int:
    import argparse

    parser = argparse.ArgumentParser()
    commands.add_arguments(parser.add_subparsers(dest="command"))
    args = parser.parse_args([str(a) for a in argv])
    return args.handler(args)


def test_a_return_bundle_names_a_stored_infinite_number_instead_of_a_traceback(
    laptop_db, office_db, office, stick
):
    # A registry written before imports refused such numbers (crafted here: SQLite reads
    # 9e999 as infinity) still holds one; the return bundle says which row, in one sentence.
    edit(
        laptop_db,
        lambda reg: add_household(reg, village_code=VILLAGE, kk_number="1606010101000001"),
    )
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    db = connect(office_db)
    with db.conn:
        db.conn.execute("UPDATE household SET gps_lat = 9e999")
    (household,) = db.conn.execute("SELECT id FROM household").fetchone()
    db.close()
    with pytest.raises(BundleError, match=f"household {household} .* kolom gps_lat"):
        office_return(office_db, "L07", stick, office=office)


def test_a_return_bundle_with_infinity_is_refused_on_the_laptop(
    laptop_db, office_db, office, stick, monkeypatch
):
    add_people(laptop_db, 1)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    honest = returns._rows_with_history

    def hostile(conn, table, ids, sent):
        # The office's own encoder refuses Infinity: the forged line is put in after it.
        for line in honest(conn, table, ids, sent):
            if table == "person":
                line, forged = re.subn(rb'"birth_date":"[0-9-]+"', b'"birth_date":Infinity', line)
                assert forged == 1  # the forgery must really be in the bundle
            yield line

    monkeypatch.setattr(returns, "_rows_with_history", hostile)
    path = office_return(office_db, "L07", stick, office=office)
    before = dump(laptop_db)
    with pytest.raises(BundleError, match="rows/person.ndjson' baris 1 .*Infinity"):
        import_return(laptop_db, path)
    assert dump(laptop_db) == before
