"""The four shipped shapes, read and cleaned row by row: each row's stored values, or the
reason it is refused, as docs/lists.md says real files need."""

import pytest

from muba_desk.lists.clean import NO_NIK_REASON, clean_rows, load_areas
from muba_desk.lists.mapping import guess_mapping, mapping_for
from muba_desk.lists.read import read_list
from muba_desk.store.db import memory_db
from tests.lists import shapes


@pytest.fixture(scope="module")
def areas():
    db = memory_db()
    try:
        yield load_areas(db)
    finally:
        db.conn.close()


def check_rows(cleaned, expected):
    assert len(cleaned) == len(expected)
    for row, expect in zip(cleaned, expected, strict=True):
        where = f"row {row.row_number}: {row.problems}"
        if expect["refused"]:
            field, says = expect["refused"]
            assert row.refused, where
            reasons = [p.reason for p in row.problems if p.refuses and p.field == field]
            assert any(says in r for r in reasons), where
            continue
        assert not row.refused, where
        if expect["warned"]:
            field, says = expect["warned"]
            assert any(p.field == field and says in p.reason for p in row.problems), where
        else:
            assert row.problems == [], where
        for name, value in expect["values"].items():
            assert row.values[name] == value, f"{where}: {name}={row.values[name]!r}"


def test_p3ke_xlsx_below_its_title_block(tmp_path, areas):
    path, expected = shapes.p3ke_xlsx(tmp_path / "p3ke_sekayu.xlsx")
    sheet = read_list(path)
    assert (sheet.sheet, sheet.header_row) == ("Data P3KE", 4)
    assert sheet.row_numbers == [5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16]  # row 13 is blank
    mapping = mapping_for(sheet, "P3KE 2025")
    assert mapping.header_of("village") == "Kode Kemendagri"  # the code, not the name
    cleaned = list(clean_rows(sheet, mapping, areas=areas))
    check_rows(cleaned, expected)
    nenek = cleaned[3]
    assert nenek.values["no_nik_reason"] == NO_NIK_REASON
    assert "no_nik_reason" not in cleaned[1].values  # a refused NIK is not "no NIK"


def test_dtsen_pipe_text_in_windows_1252(tmp_path, areas):
    path, expected = shapes.dtsen_text(tmp_path / "dtsen.txt")
    sheet = read_list(path)
    assert (sheet.sheet, sheet.header_row, sheet.headers) == ("", 1, shapes.DTSEN_HEADERS)
    check_rows(list(clean_rows(sheet, mapping_for(sheet, "DTSEN desil"), areas=areas)), expected)


def test_bnba_semicolon_csv_with_a_utf8_mark(tmp_path, areas):
    path, expected = shapes.bnba_csv(tmp_path / "bnba.csv")
    sheet = read_list(path)
    assert sheet.headers[:2] == ["NO", "NIK"]  # the mark is not part of the first header
    check_rows(list(clean_rows(sheet, mapping_for(sheet, "BNBA SIKS-NG"), areas=areas)), expected)


def test_opensid_ods_with_the_village_given_by_the_clerk(tmp_path, areas):
    path, expected = shapes.opensid_ods(tmp_path / "peserta.ods")
    sheet = read_list(path)
    assert sheet.sheet == "Peserta"
    mapping = mapping_for(sheet, "OpenSID peserta")
    mapping.defaults["village"] = "Kayu Ara"  # the export has no village column
    check_rows(list(clean_rows(sheet, mapping, areas=areas)), expected)


@pytest.mark.parametrize(
    ("build", "name"),
    [
        (shapes.p3ke_xlsx, "P3KE 2025"),
        (shapes.dtsen_text, "DTSEN desil"),
        (shapes.bnba_csv, "BNBA SIKS-NG"),
        (shapes.opensid_ods, "OpenSID peserta"),
    ],
)
def test_the_guess_finds_what_the_shipped_mapping_names(tmp_path, build, name):
    path, _expected = build(
        tmp_path / ("f" + {"P3KE 2025": ".xlsx", "OpenSID peserta": ".ods"}.get(name, ".csv"))
    )
    sheet = read_list(path)
    shipped = mapping_for(sheet, name)
    guessed = guess_mapping(sheet.headers)
    assert shipped.columns.items() <= guessed.columns.items()
