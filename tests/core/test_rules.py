"""Each rule of `muba_desk.core.rules`: values it accepts, values it refuses, and a message
that names the field (as the office import shows it)."""

import json
from datetime import date, timedelta

import pytest

from muba_desk.core.rules import (
    LIMITS,
    RuleError,
    changed_columns,
    check_amount,
    check_row,
    clean_name,
    clean_text,
)
from muba_desk.domain.programs import PROGRAMS
from muba_desk.domain.programs.base import MAX_HANDOVER_ANY

NIK = "1606014506780001"  # a woman born 5 June 1978 in Sekayu
PERSON = {"id": "p1", "name": "Siti Aminah", "sex": "P", "nik": NIK, "birth_date": "1978-06-05"}
UMAK = {"decile_source": "dtsen", "household_size": 3, "payment_channel": "tunai"}


def refused(table, row, **kwargs) -> RuleError:
    with pytest.raises(RuleError) as caught:
        check_row(table, row, **kwargs)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.table == table and error.row_id == row.get("id")
    return error


# -- names ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    ["Siti Aminah", "H. Muhammad Ali, S.Pd.", "Ni Luh Putu O'Neil", "Abdul-Rahman", "Zoë Émile"],
)
def test_names_people_use_are_accepted(name):
    check_row("person", {**PERSON, "name": name})


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Siti 😀", "😀"),
        ("Siti\x07Aminah", "U+0007"),
        ("Warga 12", "1"),
        ("Siti ★", "★"),
        ("Siti_Aminah", "_"),
    ],
)
def test_symbols_emoji_digits_and_control_characters_in_a_name_are_refused(name, shown):
    error = refused("person", {**PERSON, "name": name})
    assert error.field == "name"
    assert "Nama" in error.message and shown in error.message


def test_a_name_over_its_limit_is_refused_with_a_message_never_cut():
    limit = LIMITS["person_name"]
    check_row("person", {**PERSON, "name": "A" * limit})
    error = refused("person", {**PERSON, "name": "A" * (limit + 1)})
    assert error.field == "name" and str(limit) in error.message
    huge = refused("person", {**PERSON, "name": "A" * 10_000_000})
    assert huge.field == "name" and "10000000" in huge.message
    with pytest.raises(RuleError, match="paling banyak 100"):
        clean_name("B" * 101)


def test_cleaning_a_name_removes_invisible_characters_and_collapses_spaces():
    typed = "  Siti\u200b Ami\u00adnah  \ufeff"
    assert clean_name(typed) == "Siti Aminah"
    # NFC: an e and a combining acute accent become one letter.
    assert clean_name("Rene\u0301") == "Ren\u00e9"
    with pytest.raises(RuleError, match="belum diisi"):
        clean_name("\u200b \u200c")


def test_a_stored_name_must_already_be_clean():
    error = refused("person", {**PERSON, "name": "Siti\u200bAminah"})
    assert error.field == "name" and "U+200B" in error.message
    refused("person", {**PERSON, "name": "Siti  Aminah"})
    refused("person", {**PERSON, "name": " Siti"})


def test_a_group_name_may_hold_digits_but_not_emoji():
    check_row(
        "grp", {"id": "g1", "name": "KUBE Maju Bersama 2 (Sungai Lilin)", "program": "KUBE_UEP"}
    )
    error = refused("grp", {"id": "g1", "name": "KUBE 🐟", "program": "KUBE_UEP"})
    assert error.field == "name"
    assert refused("grp", {"id": "g1", "name": "KUBE", "program": "NOPE"}).field == "program"


def test_other_text_refuses_control_characters_and_length_over_its_limit():
    check_row("household", {"id": "h1", "address": "Jl. Merdeka No. 5\nRT 03", "notes": "ok"})
    assert refused("household", {"id": "h1", "rt": "0\x00"}).field == "rt"
    assert refused("household", {"id": "h1", "rt": "0\n3"}).field == "rt"
    assert refused("household", {"id": "h1", "address": "x" * 3000}).field == "address"
    assert clean_text("  Jl.\u200b Merdeka ", "address") == "Jl. Merdeka"
    assert clean_text("   ", "address") is None


# -- NIK, KK, dates -----------------------------------------------------------------------------
@pytest.mark.parametrize("nik", ["abc", "1606", "16060145067800001", "1606 0145 0678 0001"])
def test_a_nik_that_is_not_sixteen_digits_is_refused(nik):
    error = refused("person", {**PERSON, "nik": nik})
    assert error.field == "nik" and "NIK" in error.message


def test_a_nik_the_domain_refuses_is_refused_with_its_message():
    error = refused("person", {**PERSON, "nik": "9906014506780001"})  # no province 99
    assert error.field == "nik" and "provinsi" in error.message
    assert refused("person", {**PERSON, "nik": "1606014506780000"}).field == "nik"


def test_a_nik_whose_birth_date_differs_needs_the_confirmation_recorded():
    moved = {**PERSON, "birth_date": "1978-06-06"}
    error = refused("person", moved)
    assert error.field == "nik" and "berbeda" in error.message
    check_row("person", {**moved, "nik_confirmed_at": "2026-01-05T03:00:00.000Z"})


def test_a_kk_is_checked_like_on_the_form():
    check_row("household", {"id": "h1", "kk_number": "1606011201100003"})
    assert refused("household", {"id": "h1", "kk_number": "16060"}).field == "kk_number"
    assert refused("household", {"id": "h1", "kk_number": "1606015506150008"}).field == "kk_number"


@pytest.mark.parametrize(
    "born", ["kemarin", "05/06/1978", "1978-02-30", "1899-12-31", "1978-6-5", 19780605]
)
def test_a_birth_date_must_be_a_real_iso_date_from_1900(born):
    error = refused("person", {**PERSON, "nik": None, "no_nik_reason": "x", "birth_date": born})
    assert error.field == "birth_date" and "Tanggal lahir" in error.message


def test_a_birth_date_may_not_be_in_the_future():
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    row = {**PERSON, "nik": None, "no_nik_reason": "bayi", "birth_date": tomorrow}
    assert "setelah hari ini" in refused("person", row).message
    check_row("person", {**row, "birth_date": date.today().isoformat()})


def test_sex_must_be_l_or_p():
    assert refused("person", {**PERSON, "sex": "X"}).field == "sex"


# -- amounts --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "amount", [float("inf"), float("nan"), 10**30, 1500000.0, 0, -5, True, "1500000", 10**8 + 1]
)
def test_a_handover_amount_must_be_whole_positive_rupiah_within_the_cap(amount):
    row = {"id": "h1", "enrolment_id": "e1", "amount": amount, "handed_at": "2026-01-05"}
    error = refused("handover", row)
    assert error.field == "amount"


def test_each_program_keeps_its_own_maximum_within_the_sql_guard():
    for code, program in PROGRAMS.items():
        assert 0 < program.max_handover <= MAX_HANDOVER_ANY, code
        check_amount(program.max_handover, code)
        with pytest.raises(RuleError, match="paling banyak"):
            check_amount(program.max_handover + 1, code)
    row = {"id": "h1", "enrolment_id": "e1", "amount": 6_000_000}
    check_row("handover", row, program="BERTANI")
    assert refused("handover", row, program="PAKE_KELAMBU").field == "amount"


def test_goods_without_an_amount_pass():
    check_row("handover", {"id": "h1", "amount": None, "items": "[]", "confirmed_by": "kuasa"})
    assert refused("handover", {"id": "h1", "confirmed_by": "nanti"}).field == "confirmed_by"


# -- programs and statuses ------------------------------------------------------------------------
def test_program_data_must_fit_the_program_definition():
    good = {"id": "e1", "program": "BANTU_UMAK", "data": json.dumps(UMAK), "status": "DIAJUKAN"}
    check_row("enrolment", good)
    assert refused("enrolment", {**good, "program": "BANSOS_X"}).field == "program"
    assert refused("enrolment", {**good, "data": "{not json"}).field == "data"
    broken = json.dumps({**UMAK, "household_size": "tiga"})
    error = refused("enrolment", {**good, "data": broken})
    assert error.field == "data.household_size" and "household_size" in error.message
    unknown = json.dumps({**UMAK, "bonus": 1})
    assert refused("enrolment", {**good, "data": unknown}).field == "data.bonus"


def test_a_draft_may_lack_required_fields_but_a_submitted_enrolment_may_not():
    draft = {"id": "e1", "program": "BANTU_UMAK", "data": "{}", "status": "DRAF"}
    check_row("enrolment", draft)
    assert refused("enrolment", {**draft, "status": "DIAJUKAN"}).field.startswith("data.")


def test_statuses_must_be_known():
    assert refused("enrolment", {"id": "e1", "status": "LUNAS"}).field == "status"
    assert refused("enrolment_status", {"id": "s1", "to_status": "LUNAS"}).field == "to_status"
    check_row("enrolment_status", {"id": "s1", "from_status": None, "to_status": "DRAF"})


def test_reference_data_must_have_the_shape_of_its_default():
    check_row("reference_data", {"id": "r1", "key": "PKM.max_grant", "value": "6000000"})
    assert (
        refused("reference_data", {"id": "r1", "key": "PKM.max_grant", "value": '"x"'}).field
        == "value"
    )
    check_row("reference_data", {"id": "r1", "key": "2026.PKM.quota", "value": "40"})
    assert refused("reference_data", {"id": "r1", "key": "a key", "value": "1"}).field == "key"
    bad = {"id": "r1", "key": "2026.PKM.quota", "value": "[1, Infinity]"}
    assert refused("reference_data", bad).field == "value"


def test_numbers_must_be_finite_and_fit_sqlite():
    assert refused("household", {"id": "h1", "gps_lat": float("inf")}).field == "gps_lat"
    assert refused("photo", {"id": "f1", "width": 10**30}).field == "width"


def test_an_update_checks_the_changed_columns_with_those_they_depend_on():
    before = {**PERSON, "notes": None}
    row = changed_columns("person", before, {"birth_date": "1978-06-07"})
    assert row["nik"] == NIK and row["id"] == "p1"
    assert refused("person", row).field == "nik"
    assert changed_columns("person", before, {"notes": "x"}) == {"notes": "x", "id": "p1"}
