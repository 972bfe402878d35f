"""NIK and KK numbers: what is read from them, what is refused, and what only warns."""

from __future__ import annotations

from datetime import date

import pytest

from muba_desk.domain.nik import (
    InvalidKk,
    InvalidNik,
    Kk,
    Nik,
    check_nik_against,
    parse_kk,
    parse_nik,
)

TODAY = date(2026, 3, 1)


def nik_error(text: str, **kwargs) -> str:
    with pytest.raises(InvalidNik) as caught:
        parse_nik(text, today=TODAY, **kwargs)
    return str(caught.value)


def kk_error(text: str) -> str:
    with pytest.raises(InvalidKk) as caught:
        parse_kk(text)
    return str(caught.value)


# --- reading a valid NIK -------------------------------------------------------------------


def test_man_from_sekayu():
    nik = parse_nik("1606010506780001", today=TODAY)
    assert nik == Nik(
        number="1606010506780001",
        district_code="160601",
        birth_date=date(1978, 6, 5),
        sex="L",
        serial="0001",
        warnings=(),
    )


def test_woman_has_forty_added_to_her_birth_day():
    nik = parse_nik("1606014506780002", today=TODAY)
    assert nik.birth_date == date(1978, 6, 5)
    assert nik.sex == "P"


def test_woman_on_the_last_possible_day_71():
    assert parse_nik("1606017112800001", today=TODAY).birth_date == date(1980, 12, 31)


@pytest.mark.parametrize(
    "typed", ["1606 0145 0678 0002", "1606.0145.0678.0002", "160601-450678-0002"]
)
def test_separators_between_digits_are_ignored(typed):
    assert parse_nik(typed, today=TODAY).number == "1606014506780002"


def test_leap_day_2000_is_valid():
    assert parse_nik("1606012902000001", today=TODAY).birth_date == date(2000, 2, 29)


def test_woman_born_on_leap_day_2004_has_day_69():
    nik = parse_nik("1606016902040001", today=TODAY)
    assert (nik.birth_date, nik.sex) == (date(2004, 2, 29), "P")


# --- century -------------------------------------------------------------------------------


def test_century_without_birth_date_is_the_most_recent_past_one():
    assert parse_nik("1606010506050001", today=date(2026, 1, 1)).birth_date.year == 2005
    assert parse_nik("1606010506300001", today=date(2026, 1, 1)).birth_date.year == 1930


def test_century_never_puts_the_birth_in_the_future():
    # 10 June 2026 has not come yet on 1 March 2026, so the person was born in 1926.
    assert parse_nik("1606011006260001", today=TODAY).birth_date == date(1926, 6, 10)
    assert parse_nik("1606010102260001", today=TODAY).birth_date == date(2026, 2, 1)


def test_century_follows_the_typed_birth_date():
    # A 96-year-old typed as born 1930 and a child born 2030 can't both be "most recent".
    assert parse_nik("1606010506300001", birth_date=date(1930, 6, 5)).birth_date.year == 1930
    assert parse_nik("1606010506050001", birth_date=date(1905, 6, 5)).birth_date.year == 1905


def test_century_is_the_one_closest_to_the_typed_date_when_years_disagree():
    # Typed 1999, NIK says 01: 2001 is 2 years away, 1901 is 98.
    assert parse_nik("1606010506010001", birth_date=date(1999, 6, 5)).birth_date.year == 2001
    assert parse_nik("1606010506980001", birth_date=date(2001, 6, 5)).birth_date.year == 1998


def test_leap_day_1900_is_invalid():
    msg = nik_error("1606012902000001", birth_date=date(1900, 3, 1))
    assert "29/02/1900" in msg and "kabisat" in msg


def test_leap_day_in_2001_is_invalid():
    msg = nik_error("1606012902010001")
    assert "29/02/2001" in msg and "kabisat" in msg


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "count"), [("160601050678001", 15), ("16060105067800011", 17)])
def test_wrong_length(typed, count):
    msg = nik_error(typed)
    assert msg == f"NIK harus 16 angka, yang diketik {count} angka."


def test_empty():
    msg = nik_error("   ")
    assert "NIK" in msg and "belum diisi" in msg


@pytest.mark.parametrize(("typed", "bad"), [("16060105O6780001", "O"), ("1606010506780001x", "x")])
def test_letters_are_refused(typed, bad):
    msg = nik_error(typed)
    assert "angka" in msg and f'"{bad}"' in msg


def test_other_punctuation_is_refused():
    assert '"/"' in nik_error("160601/050678/0001")


@pytest.mark.parametrize("day", ["00", "32", "39", "40", "72", "99"])
def test_impossible_birth_day(day):
    msg = nik_error(f"160601{day}06780001")
    assert f"({day})" in msg and "tanggal lahir" in msg
    assert "41 sampai 71" in msg  # tells the typist about the rule for women


@pytest.mark.parametrize("month", ["00", "13"])
def test_impossible_month(month):
    msg = nik_error(f"16060105{month}780001")
    assert f"Bulan lahir di NIK ({month})" in msg and "01 sampai 12" in msg


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("1606013102780001", "31/02/1978"), ("1606013104780001", "31/04/1978")],
)
def test_day_beyond_the_month(typed, shown):
    msg = nik_error(typed)
    assert shown in msg and "tidak ada" in msg


def test_women_get_the_same_calendar_check():
    assert "31/02/1978" in nik_error("1606017102780001")


def test_serial_0000():
    msg = nik_error("1606010506780000")
    assert "0000" in msg and "nomor urut" in msg


def test_unknown_province_is_an_error():
    msg = nik_error("9906010506780001")
    assert "(99)" in msg and "provinsi" in msg


def test_unknown_district_is_only_a_warning():
    nik = parse_nik("1606990506780001", today=TODAY)
    assert nik.district_code == "160699"
    assert len(nik.warnings) == 1
    assert "160699" in nik.warnings[0] and "kecamatan" in nik.warnings[0]


def test_known_districts_can_be_given_dotted_or_not():
    assert parse_nik("1606990506780001", today=TODAY, known_districts={"160699"}).warnings == ()
    assert parse_nik("1606990506780001", today=TODAY, known_districts={"16.06.99"}).warnings == ()
    assert parse_nik("1606010506780001", today=TODAY, known_districts=set()).warnings != ()


def test_invalid_nik_is_a_value_error():
    assert issubclass(InvalidNik, ValueError)


# --- masking -------------------------------------------------------------------------------


def test_masked_hides_the_birth_date_and_sex():
    man = parse_nik("1606010506780123", today=TODAY)
    woman = parse_nik("1606014506780123", today=TODAY)
    assert man.masked == "160601******0123"
    assert man.masked == woman.masked
    assert len(man.masked) == 16


# --- companion check -----------------------------------------------------------------------


def test_consistent_nik_gives_no_message():
    assert check_nik_against("1606014506780001", birth_date=date(1978, 6, 5), sex="P") == []
    assert check_nik_against("1606010506780001", birth_date=date(1978, 6, 5), sex="l") == []


def test_swapped_day_and_month():
    messages = check_nik_against("1606014506780001", birth_date=date(1978, 5, 6), sex="P")
    assert messages == [
        "Tanggal lahir di NIK (05/06/1978) berbeda dengan tanggal lahir yang diketik "
        "(06/05/1978). Periksa kembali."
    ]


def test_wrong_year():
    messages = check_nik_against("1606010506790001", birth_date=date(1978, 6, 5), sex=None)
    assert len(messages) == 1 and "05/06/1979" in messages[0] and "05/06/1978" in messages[0]


def test_sex_mismatch():
    messages = check_nik_against("1606014506780001", birth_date=date(1978, 6, 5), sex="L")
    assert len(messages) == 1
    assert "Jenis kelamin" in messages[0]
    assert "perempuan" in messages[0] and "laki-laki" in messages[0]


def test_both_mismatches():
    messages = check_nik_against("1606010506780001", birth_date=date(1978, 6, 6), sex="P")
    assert len(messages) == 2


def test_missing_form_values_are_not_checked():
    assert check_nik_against("1606010506780001", birth_date=None, sex=None) == []
    assert check_nik_against("1606010506780001", birth_date=None, sex="") == []


def test_parsed_nik_is_compared_in_the_typed_century():
    # Parsed on its own the NIK says 2005; the form says 1905: the two-digit year still agrees.
    nik = parse_nik("1606010506050001", today=TODAY)
    assert check_nik_against(nik, birth_date=date(1905, 6, 5), sex="L") == []


def test_companion_check_refuses_an_invalid_nik():
    with pytest.raises(InvalidNik):
        check_nik_against("123", birth_date=date(1978, 6, 5), sex="L")


def test_unknown_sex_code_is_a_programming_error():
    with pytest.raises(ValueError):
        check_nik_against("1606010506780001", birth_date=None, sex="X")


# --- KK --------------------------------------------------------------------------------------


def test_valid_kk():
    assert parse_kk("1606 0112 0315 0007") == Kk("1606011203150007", "160601", ())


def test_kk_leap_day_issue_date():
    assert parse_kk("1606012902200001").number == "1606012902200001"


def test_kk_has_no_plus_forty_rule():
    msg = kk_error("1606014506150001")
    assert "Nomor KK" in msg and "(45)" in msg


@pytest.mark.parametrize(
    ("typed", "needle"),
    [
        ("160601120315000", "Nomor KK harus 16 angka, yang diketik 15 angka."),
        ("16060112031500A7", '"A"'),
        ("9906011203150007", "(99)"),
        ("1606011213150007", "(13)"),
        ("1606013102150007", "31/02/2015"),
        ("1606012902190007", "kabisat"),
        ("1606011203150000", "0000"),
    ],
)
def test_kk_errors_name_the_problem(typed, needle):
    msg = kk_error(typed)
    assert "Nomor KK" in msg and needle in msg


def test_kk_unknown_district_is_only_a_warning():
    kk = parse_kk("1606991203150007")
    assert len(kk.warnings) == 1 and "160699" in kk.warnings[0]
    assert parse_kk("1606991203150007", known_districts={"160699"}).warnings == ()


# Every message also in English (`message_en`), picked by `i18n.localized` in English mode.
@pytest.mark.parametrize(
    "typed",
    [
        "",
        "16060312345",
        "1606031234567X01",
        "9906031203900001",
        "1606033213900001",
        "1606031213900000",
        "1606033002010001",
    ],
)
def test_each_refusal_of_a_nik_has_its_english(typed):
    with pytest.raises(InvalidNik) as caught:
        parse_nik(typed)
    english = caught.value.message_en
    assert english and english != str(caught.value)
    assert "NIK" in english and not {"angka", "tidak", "di", "harus"} & set(english.split())


def test_a_kk_refusal_and_the_nik_disagreements_have_their_english():
    from muba_desk import i18n

    with pytest.raises(InvalidKk) as caught:
        parse_kk("1606033213900001")
    assert (
        caught.value.message_en
        == "The issue day in the KK number (32) is impossible: 01 to 31 only."
    )
    problems = check_nik_against("1606035203900001", birth_date=date(1990, 3, 2), sex="L")
    assert [p.message_en for p in problems] == [
        "The birth date in the NIK (12/03/1990) differs from the birth date typed (02/03/1990). "
        "Check again.",
        "The sex in the NIK (female) differs from the sex chosen (male). Check again.",
    ]
    assert problems[0].startswith("Tanggal lahir di NIK")  # the Indonesian is the text itself
    i18n.set_language("en")
    try:
        assert i18n.localized(problems[1]).startswith("The sex in the NIK")
    finally:
        i18n.set_language("id")
    assert i18n.localized(problems[1]).startswith("Jenis kelamin di NIK")
