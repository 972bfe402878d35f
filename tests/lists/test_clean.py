"""Cleaning one value at a time: dates, identity numbers, villages, words for sex and relation."""

from datetime import date, datetime

import pytest

from muba_desk.domain.programs.base import RELATIONS
from muba_desk.gui.person_form import HEAD as FORM_HEAD
from muba_desk.lists import clean
from muba_desk.lists.clean import clean_rows, identity_digits, load_areas, parse_list_date
from muba_desk.lists.mapping import Mapping
from muba_desk.lists.read import Sheet
from muba_desk.store.db import memory_db

TODAY = date(2026, 12, 8)
SITI = "1606015208700001"  # a woman born 12/08/1970 in Sekayu


@pytest.fixture(scope="module")
def areas():
    return load_areas(memory_db())


def cleaned(areas, **cells):
    """One row with `cells` (field -> cell), each field in a column of its own name."""
    headers = list(cells)
    sheet = Sheet("t.csv", "0" * 64, "", 1, headers, [list(cells.values())], [2])
    mapping = Mapping("t", {name: i for i, name in enumerate(headers)}, {}, headers)
    return next(clean_rows(sheet, mapping, areas=areas, today=TODAY))


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("12/08/1970", date(1970, 8, 12)),
        ("12-08-1970", date(1970, 8, 12)),
        ("12.08.1970", date(1970, 8, 12)),
        ("1970-08-12", date(1970, 8, 12)),
        ("1970-08-12 00:00:00", date(1970, 8, 12)),
        ("12 Agustus 1970", date(1970, 8, 12)),
        ("12 AGT 1970", date(1970, 8, 12)),
        ("1 Nopember 1979", date(1979, 11, 1)),
        ("05/06/1978", date(1978, 6, 5)),  # dd/mm before mm/dd
        (25792, date(1970, 8, 12)),  # an Excel serial
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),  # before Excel's 29 February 1900 that never was
        (61, date(1900, 3, 1)),
        ("25792", date(1970, 8, 12)),  # the serial saved as text
        (datetime(1970, 8, 12, 0, 0), date(1970, 8, 12)),
        (date(1970, 8, 12), date(1970, 8, 12)),
        (None, None),
    ],
)
def test_dates_as_lists_write_them(cell, day):
    assert parse_list_date(cell, "Tgl Lahir", TODAY) == day


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("29/02/1971", "tidak ada di kalender"),
        ("12/13/1970", "bulan 13 tidak ada"),
        ("12/08/70", "dua angka"),
        ("12 Agustos 1970", "tidak dapat dibaca"),
        ("kemarin", "tidak dapat dibaca"),
        ("01/01/2030", "setelah hari ini"),
        ("01/01/1899", "sebelum 1900"),
        (19700812, "tidak dapat dibaca"),
        (60, "tidak dapat dibaca"),  # 29/02/1900 in Excel, a day that never was
        (-5, "tidak dapat dibaca"),
    ],
)
def test_dates_that_cannot_be_read_without_guessing_are_refused(cell, says):
    with pytest.raises(clean._Refused) as refused:
        parse_list_date(cell, "Tgl Lahir", TODAY)
    assert says in refused.value.reason and "Tgl Lahir" in refused.value.reason


@pytest.mark.parametrize(
    "cell",
    [
        SITI,
        f"'{SITI}",
        " 1606 0152 0870 0001 ",
        "1606.0152.0870.0001",
        f"\u200b{SITI}\u00a0",
        1606015208700001,
    ],
)
def test_nik_separators_are_dropped(cell):
    assert identity_digits(cell, "NIK", "NIK") == SITI


@pytest.mark.parametrize("cell", [None, "", "0", 0, "0000000000000000", "  "])
def test_zero_or_empty_is_no_nik(cell):
    assert identity_digits(cell, "NIK", "NIK") is None


@pytest.mark.parametrize(
    "cell",
    [
        1606015208700000,  # Excel's 15 digits and a 0
        1606015208700000.0,
        "1606015208700000.0",
        "1606015208700000,0",
        "1.60601E+15",
        "1,606015E+15",
        9606015208700001,  # beyond what a float holds exactly
    ],
)
def test_numbers_excel_may_have_cut_are_refused_as_damaged(cell):
    with pytest.raises(clean._Refused, match="rusak oleh Excel"):
        identity_digits(cell, "NIK", "NIK")


def test_a_nik_is_checked_by_the_domains_rules(areas):
    row = cleaned(areas, nik="1606017208700001", name="X", village="Kayu Ara", sex="P")
    assert row.refused and "tanggal lahir di NIK (72)" in row.problems[0].reason
    row = cleaned(areas, nik="9906015208700001", name="X", village="Kayu Ara", sex="P")
    assert row.refused and "kode provinsi" in row.problems[0].reason
    row = cleaned(areas, nik="1699015208700001", name="X", village="Kayu Ara", sex="P")
    assert not row.refused and "Kode kecamatan" in row.problems[0].reason  # a warning


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("16.06.01.1009", "16.06.01.1009"),
        ("1606011009", "16.06.01.1009"),
        (1606011009, "16.06.01.1009"),
        ("KAYU ARA", "16.06.01.1009"),
        ("Desa Kayu Ara", "16.06.01.1009"),
        ("DS. Kayu  Ara", "16.06.01.1009"),
        ("Kel. Serasan Jaya", "16.06.01.1010"),
        ("Desa/Kel. Serasan Jaya", "16.06.01.1010"),
        ("Soak Baru", "16.06.01.1011"),
        ("soakbaru", "16.06.01.1011"),
    ],
)
def test_villages_by_code_or_name(areas, cell, code):
    row = cleaned(areas, nik=SITI, name="Siti", village=cell)
    assert (row.values["village_code"], row.problems) == (code, [])


def test_a_shared_village_name_needs_its_district(areas):
    row = cleaned(areas, nik=SITI, name="Siti", village="Gajah Mati")
    assert row.refused and "Babat Supat, Sungai Keruh" in row.problems[0].reason
    for district in ("Babat Supat", "Kec. BABAT SUPAT", "16.06.14", "160614"):
        row = cleaned(areas, nik=SITI, name="Siti", village="Gajah Mati", district=district)
        assert (row.values["village_code"], row.problems) == ("16.06.14.2007", [])
    row = cleaned(areas, nik=SITI, name="Siti", village="16.06.01.9999")
    assert row.refused and "kode desa" in row.problems[0].reason
    row = cleaned(areas, nik=SITI, name="Siti", village="160601")
    assert row.refused


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("L", "L"), ("Laki-laki", "L"), ("LAKI LAKI", "L"), ("LK", "L"), ("1", "L"), (1, "L"),
        ("P", "P"), ("Perempuan", "P"), ("PR", "P"), ("Wanita", "P"), ("2", "P"), (2, "P"),
    ],
)  # fmt: skip
def test_sex_words(areas, word, code):
    nik = SITI if code == "P" else "1606011208700001"
    assert cleaned(areas, nik=nik, name="X", village="Kayu Ara", sex=word).values["sex"] == code


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Kepala Keluarga", "kepala"), ("KEPALA RUMAH TANGGA", "kepala"), ("Istri", "pasangan"),
        ("Suami", "pasangan"), ("Anak", "anak"), ("Anak Angkat", "anak"), ("Cucu", "cucu"),
        ("Orang Tua", "orang_tua"), ("Famili Lain", "kerabat"), ("Menantu", "kerabat"),
        ("Mertua", "kerabat"), ("Pembantu", "lainnya"), ("Lainnya", "lainnya"),
    ],
)  # fmt: skip
def test_relation_words_become_the_forms_codes(areas, word, code):
    row = cleaned(areas, nik=SITI, name="X", village="Kayu Ara", relation=word)
    assert (row.values["relation"], row.problems) == (code, [])


def test_every_relation_code_is_one_the_person_form_offers():
    assert clean.HEAD == FORM_HEAD
    offered = {FORM_HEAD, *(c.value for c in RELATIONS)}
    assert set(clean.RELATION_WORDS.values()) <= offered


@pytest.mark.parametrize(
    ("cell", "decile"), [(1, 1), ("3", 3), ("Desil 10", 10), ("DESIL 2", 2), (4.0, 4)]
)
def test_deciles_one_to_ten(areas, cell, decile):
    row = cleaned(areas, nik=SITI, name="X", village="Kayu Ara", decile=cell)
    assert (row.values["welfare_decile"], row.problems) == (decile, [])


@pytest.mark.parametrize("cell", [0, 11, "2.5", 2.5, "sangat miskin", "-1"])
def test_other_deciles_are_refused(areas, cell):
    row = cleaned(areas, nik=SITI, name="X", village="Kayu Ara", decile=cell)
    assert row.refused and row.problems[0].field == "decile"


def test_a_row_with_no_village_is_refused_and_an_odd_phone_is_only_warned(areas):
    row = cleaned(areas, nik=SITI, name="Siti", village=None, phone="12345")
    assert [(p.field, p.refuses) for p in row.problems] == [("village", True), ("phone", False)]
    row = cleaned(areas, nik=SITI, name="Siti", village="Kayu Ara", phone="0812-3456-7890")
    assert row.values["phone"] == "081234567890"
