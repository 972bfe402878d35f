"""The seven programs: fields and labels, validation and cleaning, and each program's rules."""

from __future__ import annotations

from datetime import date

import pytest

from muba_desk.domain.age import age_on
from muba_desk.domain.programs import (
    PROGRAMS,
    EligibilityContext,
    Field,
    ValidationError,
    bantu_umak,
    bertani,
    check_eligibility,
    clean,
    get_program,
    parse_value,
    validate,
)
from muba_desk.domain.programs.base import KINDS

TODAY = date(2026, 3, 15)


def born(years: int) -> str:
    """A birth date giving exactly `years` of age on TODAY (birthday already passed)."""
    return date(TODAY.year - years, 1, 10).isoformat()


def person(pid: str = "p1", household_id: str = "h1", **kw) -> dict:
    row = {
        "id": pid,
        "household_id": household_id,
        "nik": None,
        "name": f"Orang {pid}",
        "sex": "P",
        "birth_date": born(40),
        "occupation": "penyadap_karet",
        "disability": [],
    }
    row.update(kw)
    return row


def household(hid: str = "h1", decile: int | None = 1) -> dict:
    return {"id": hid, "kk_number": "1606010101010001", "village_code": "16.06.01.2001",
            "welfare_decile": decile}  # fmt: skip


def ctx(**kw) -> EligibilityContext:
    kw.setdefault("person", person())
    kw.setdefault("household", household())
    kw.setdefault("today", TODAY)
    return EligibilityContext(**kw)


def check(code: str, **kw):
    return check_eligibility(get_program(code), ctx(**kw))


def reason(result, code: str):
    found = [r for r in result.reasons if r.code == code]
    assert len(found) == 1, result.reasons
    return found[0]


def enrolment(program: str, status: str = "AKTIF", **kw) -> dict:
    row = {
        "id": f"e-{program}",
        "program": program,
        "status": status,
        "person_id": "p1",
        "household_id": "h1",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
    }
    row.update(kw)
    return row


# ---------------------------------------------------------------------------------------------
# The registry and the labels


def test_registry_order_and_lookup():
    assert list(PROGRAMS) == [
        "PAKE_KELAMBU",
        "BANTU_UMAK",
        "PEDAS_NIA",
        "BERTANI",
        "KUBE_UEP",
        "BAKUL_NASI",
        "PKM",
    ]
    assert get_program("BERTANI") is PROGRAMS["BERTANI"]
    with pytest.raises(KeyError, match="BERTANY.*known: PAKE_KELAMBU"):
        get_program("BERTANY")


def test_targets():
    targets = {code: p.target for code, p in PROGRAMS.items()}
    assert targets["KUBE_UEP"] == "group"
    assert targets["BAKUL_NASI"] == "person_or_institution"
    assert {targets[c] for c in ("PAKE_KELAMBU", "BANTU_UMAK", "PEDAS_NIA", "BERTANI", "PKM")} == {
        "person"
    }


def test_every_field_and_choice_of_every_program_is_labelled_in_both_languages():
    missing = []
    for program in PROGRAMS.values():
        for text in (program.name, program.expansion, program.summary_id, program.summary_en):
            if not text.strip():
                missing.append(program.code)
        for f in program.fields:
            assert f.kind in KINDS
            if not (f.label("id").strip() and f.label("en").strip()):
                missing.append(f"{program.code}.{f.name}")
            if bool(f.help_id) != bool(f.help_en):
                missing.append(f"{program.code}.{f.name} help")
            for c in f.choices:
                if not (c.label("id").strip() and c.label("en").strip() and c.value.strip()):
                    missing.append(f"{program.code}.{f.name}={c.value}")
    assert missing == []
    # Labels really switch language (not one text copied twice) for most fields.
    fields = [f for p in PROGRAMS.values() for f in p.fields]
    assert sum(f.label("id") != f.label("en") for f in fields) == len(fields)


def test_every_program_has_its_recorded_fields():
    expected = {
        "PAKE_KELAMBU": {"occupation", "monthly_income", "bpjs_number", "cover", "heir_name"},
        "BANTU_UMAK": {"decile_source", "household_size", "payment_channel", "account_number"},
        "PEDAS_NIA": {"disability_types", "severity", "caregiver_name", "lives_alone"},
        "BERTANI": {"roof_material", "floor_area", "occupants", "land_evidence", "progress"},
        "KUBE_UEP": {"group_name", "members", "business_type", "grant_amount"},
        "BAKUL_NASI": {"meals_per_day", "delivery_period", "children"},
        "PKM": {"business_type", "current_capital", "amount_asked", "amount_granted"},
    }
    for code, names in expected.items():
        assert names <= set(PROGRAMS[code].field_names), code


def test_law_8_2016_disability_types_and_banks():
    disability = PROGRAMS["PEDAS_NIA"].get_field("disability_types")
    assert set(disability.values) == {
        "fisik",
        "intelektual",
        "mental",
        "sensorik_netra",
        "sensorik_rungu",
        "sensorik_wicara",
        "ganda",
    }
    channel = PROGRAMS["BANTU_UMAK"].get_field("payment_channel")
    assert channel.values == ("bri", "bni", "mandiri", "bsb", "tunai")
    assert channel.choice_label("tunai", "en") == "Cash"
    assert channel.choice_label("nonexistent") == "nonexistent"


def test_field_definition_mistakes_are_caught():
    with pytest.raises(ValueError, match="unknown kind"):
        Field("x", "float", "X", "X")
    with pytest.raises(ValueError, match="choices"):
        Field("x", "choice", "X", "X")


# ---------------------------------------------------------------------------------------------
# Validation and cleaning, one kind at a time

PKM = PROGRAMS["PKM"]
BERTANI = PROGRAMS["BERTANI"]


def pkm_data(**kw) -> dict:
    data = {"business_type": "warung", "amount_asked": 3_000_000}
    data.update(kw)
    return data


def test_valid_data_gives_no_errors():
    assert validate(PKM, pkm_data(amount_granted=2_500_000, trainings=["pembukuan"])) == {}


def test_required_fields():
    errors = validate(PKM, {"business_place": "Pasar Sekayu"})
    assert errors == {"business_type": "Wajib diisi.", "amount_asked": "Wajib diisi."}
    assert validate(PKM, pkm_data(business_type="  "))["business_type"] == "Wajib diisi."


def test_unknown_field_is_reported():
    assert validate(PKM, pkm_data(colour="red")) == {
        "colour": "Isian tidak dikenal untuk program ini."
    }


def test_money_kind():
    assert "bulat" in validate(PKM, pkm_data(amount_asked="3000000"))["amount_asked"]
    assert "bulat" in validate(PKM, pkm_data(amount_asked=3_000_000.5))["amount_asked"]
    assert "bulat" in validate(PKM, pkm_data(amount_asked=True))["amount_asked"]
    assert validate(PKM, pkm_data(amount_asked=0))["amount_asked"] == (
        "Tidak boleh kurang dari Rp 1."
    )
    assert validate(PKM, pkm_data(current_capital=-5))["current_capital"].startswith(
        "Tidak boleh kurang"
    )
    assert validate(PKM, pkm_data(amount_asked=2_000_000_000))["amount_asked"] == (
        "Tidak boleh lebih dari Rp 1.000.000.000."
    )


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.500.000", 1_500_000),
        ("1500000", 1_500_000),
        ("Rp 1.500.000", 1_500_000),
        ("Rp. 1.500.000,-", 1_500_000),
        ("1.500.000,00", 1_500_000),
        (" 750 000 ", 750_000),
        (1_500_000.0, 1_500_000),
    ],
)
def test_money_typed_as_text(typed, value):
    assert clean(PKM, pkm_data(amount_asked=typed))["amount_asked"] == value


@pytest.mark.parametrize("typed", ["1,5 juta", "1.50.000", "12.5", "Rp", "abc"])
def test_money_that_cannot_be_read(typed):
    with pytest.raises(ValidationError) as caught:
        clean(PKM, pkm_data(amount_asked=typed))
    assert "1.500.000" in caught.value.errors["amount_asked"]
    assert caught.value.value["business_type"] == "warung"


def test_int_kind():
    house = bertani_data(occupants=0)
    assert validate(BERTANI, house)["occupants"] == "Tidak boleh kurang dari 1."
    assert validate(BERTANI, bertani_data(occupants=51))["occupants"] == (
        "Tidak boleh lebih dari 50."
    )
    assert validate(BERTANI, bertani_data(occupants=2.5))["occupants"] == (
        "Harus berupa bilangan bulat."
    )
    assert clean(BERTANI, bertani_data(occupants="4"))["occupants"] == 4
    with pytest.raises(ValidationError) as caught:
        clean(BERTANI, bertani_data(occupants="2,5"))
    assert "bilangan bulat" in caught.value.errors["occupants"]


@pytest.mark.parametrize(
    ("typed", "value"),
    [("12,5", 12.5), ("12.5", 12.5), ("36", 36.0), ("1.234,5", 1234.5), (36, 36.0)],
)
def test_decimal_typed_as_text(typed, value):
    assert parse_value(BERTANI.get_field("floor_area"), typed) == value
    if value <= 1000:
        assert clean(BERTANI, bertani_data(floor_area=typed))["floor_area"] == value


def test_decimal_kind():
    assert validate(BERTANI, bertani_data(floor_area="36"))["floor_area"] == "Harus berupa angka."
    assert validate(BERTANI, bertani_data(floor_area=0.5))["floor_area"] == (
        "Tidak boleh kurang dari 1."
    )
    assert validate(BERTANI, bertani_data(gps_lat=-91.5))["gps_lat"] == (
        "Tidak boleh kurang dari -90."
    )
    with pytest.raises(ValidationError) as caught:
        clean(BERTANI, bertani_data(floor_area="dua belas"))
    assert caught.value.errors["floor_area"] == "Tulis angka, misalnya 12,5."


def test_date_kind():
    assert validate(BERTANI, bertani_data(work_start="2026-02-30"))["work_start"].startswith(
        "Tanggal tidak sah"
    )
    assert "work_start" in validate(BERTANI, bertani_data(work_start="15/03/2026"))
    assert "work_start" in validate(BERTANI, bertani_data(work_start=date(2026, 3, 15)))
    cleaned = clean(BERTANI, bertani_data(work_start="5/3/2026", work_end=date(2026, 4, 1)))
    assert (cleaned["work_start"], cleaned["work_end"]) == ("2026-03-05", "2026-04-01")
    with pytest.raises(ValidationError) as caught:
        clean(BERTANI, bertani_data(work_start="31/02/2026"))
    assert "HH/BB/TTTT" in caught.value.errors["work_start"]


def test_choice_kind():
    assert validate(BERTANI, bertani_data(toilet="kloset"))["toilet"] == (
        "Pilihan tidak dikenal: 'kloset'."
    )
    # A sheet may carry the label or another case; cleaning turns it into the stored value.
    assert clean(BERTANI, bertani_data(toilet="Tidak ada (sungai, kebun)"))["toilet"] == (
        "tidak_ada"
    )
    assert clean(BERTANI, bertani_data(roof_material="SENG"))["roof_material"] == "seng"
    with pytest.raises(ValidationError):
        clean(BERTANI, bertani_data(toilet="kloset"))


def test_multichoice_kind():
    nia = PROGRAMS["PEDAS_NIA"]
    base = {"aid_form": "tunai", "severity": "berat"}
    assert validate(nia, {**base, "disability_types": ["fisik", "mental"]}) == {}
    assert validate(nia, {**base, "disability_types": ["fisik", "buta"]}) == {
        "disability_types": "Pilihan tidak dikenal: 'buta'."
    }
    assert (
        "dua kali"
        in validate(nia, {**base, "disability_types": ["fisik", "fisik"]})["disability_types"]
    )
    assert "daftar" in validate(nia, {**base, "disability_types": "fisik"})["disability_types"]
    cleaned = clean(nia, {**base, "disability_types": "fisik, sensorik_netra"})
    assert cleaned["disability_types"] == ["fisik", "sensorik_netra"]


def test_bool_kind():
    assert validate(BERTANI, bertani_data(land_disputed="tidak"))["land_disputed"] == (
        "Harus Ya atau Tidak."
    )
    assert clean(BERTANI, bertani_data(land_disputed="Tidak"))["land_disputed"] is False
    assert clean(BERTANI, bertani_data(land_disputed="ya"))["land_disputed"] is True
    with pytest.raises(ValidationError) as caught:
        clean(BERTANI, bertani_data(land_disputed="mungkin"))
    assert caught.value.errors["land_disputed"] == "Harus Ya atau Tidak."


def test_text_kind():
    errors = validate(PKM, pkm_data(business_place="x" * 201))
    assert errors["business_place"] == "Terlalu panjang: paling banyak 200 karakter."
    assert validate(PKM, pkm_data(business_place=12))["business_place"] == "Harus berupa teks."
    assert clean(PKM, pkm_data(business_place="  Pasar  "))["business_place"] == "Pasar"


def test_clean_drops_empty_values_and_collects_all_errors():
    cleaned = clean(PKM, pkm_data(business_place="", current_capital=None, trainings=[]))
    assert set(cleaned) == {"business_type", "amount_asked"}
    with pytest.raises(ValidationError) as caught:
        clean(PKM, {"amount_asked": "banyak", "business_place": "x" * 300, "extra": 1})
    assert set(caught.value.errors) == {"amount_asked", "business_place", "business_type", "extra"}


def test_parse_value_for_one_field():
    assert parse_value(PKM.get_field("amount_asked"), "2.000.000") == 2_000_000
    assert parse_value(PKM.get_field("amount_asked"), "  ") is None
    with pytest.raises(ValueError, match="rupiah"):
        parse_value(PKM.get_field("amount_asked"), "dua juta")


# ---------------------------------------------------------------------------------------------
# Pake Kelambu


def test_pake_kelambu_eligible_worker():
    result = check("PAKE_KELAMBU", data={"occupation": "nelayan"})
    assert result.eligible, result.blocking
    assert "Nelayan" in reason(result, "occupation").message_id
    assert "Fisher" in reason(result, "occupation").message_en


@pytest.mark.parametrize(("age", "ok"), [(17, False), (18, True), (60, True), (61, False)])
def test_pake_kelambu_working_age(age, ok):
    result = check("PAKE_KELAMBU", person=person(birth_date=born(age)))
    r = reason(result, "age")
    assert r.ok is ok
    assert f"Umur {age} tahun" in r.message_id and "18–60" in r.message_id


def test_pake_kelambu_occupation_and_decile():
    result = check("PAKE_KELAMBU", data={"occupation": "pns"})
    assert not result.eligible
    assert "tidak termasuk pekerjaan rentan" in reason(result, "occupation").message_id
    result = check("PAKE_KELAMBU", household=household(decile=4))
    assert "Desil kesejahteraan 4, di atas batas desil 3" in reason(result, "decile").message_id
    # The limit is reference data: a wider limit from the office admits decile 4.
    result = check(
        "PAKE_KELAMBU", household=household(decile=4), reference={"PAKE_KELAMBU.max_decile": 4}
    )
    assert result.eligible
    result = check("PAKE_KELAMBU", household=household(decile=None))
    assert "belum diisi" in reason(result, "decile").message_id


def test_pake_kelambu_cover_dates_in_order():
    program = PROGRAMS["PAKE_KELAMBU"]
    data = {
        "occupation": "nelayan",
        "monthly_income": 1_200_000,
        "cover": ["jkk", "jkm"],
        "heir_name": "Ahmad",
        "heir_relation": "pasangan",
        "cover_start": "2026-01-01",
        "cover_end": "2026-12-31",
    }
    assert validate(program, data) == {}
    assert validate(program, {**data, "cover_end": "2025-12-31"}) == {
        "cover_end": "Akhir perlindungan tidak boleh sebelum mulainya."
    }


def test_no_person_chosen():
    result = check_eligibility(PROGRAMS["PAKE_KELAMBU"], EligibilityContext(today=TODAY))
    assert not result.eligible
    assert result.codes() == ("target",)


# ---------------------------------------------------------------------------------------------
# Bantu Umak


@pytest.mark.parametrize(
    ("size", "covered"), [(1, 1), (2, 2), (7, 2), (8, 3), (10, 3), (11, 3), (25, 3)]
)
def test_bantu_umak_coverage_table(size, covered):
    assert bantu_umak.monthly_amount(size, {}) == (covered, covered * 325_000)


def test_bantu_umak_amount_follows_the_reference_not_a_constant():
    reference = {
        "BANTU_UMAK.amount_per_person_month": 400_000,
        "BANTU_UMAK.coverage": [[1, 1], [3, 2], [6, 4]],
    }
    assert bantu_umak.monthly_amount(2, reference) == (1, 400_000)
    assert bantu_umak.monthly_amount(7, reference) == (4, 1_600_000)
    result = check("BANTU_UMAK", data={"household_size": 7}, reference=reference)
    assert "4 jiwa dibantu × Rp 400.000 = Rp 1.600.000 per bulan" in (
        reason(result, "amount").message_id
    )
    with pytest.raises(ValueError):
        bantu_umak.monthly_amount(0, {})


def test_bantu_umak_eligibility():
    result = check("BANTU_UMAK", data={"household_size": 4})
    assert result.eligible
    amount = reason(result, "amount")
    assert amount.message_id == (
        "4 anggota rumah tangga: 2 jiwa dibantu × Rp 325.000 = Rp 650.000 per bulan."
    )
    assert "Rp 650.000 a month" in amount.message_en
    result = check("BANTU_UMAK", household=household(decile=3), data={"household_size": 4})
    assert not result.eligible
    assert reason(result, "decile").message_id == ("Desil kesejahteraan 3, di atas batas desil 2.")
    # Without a size on the form, the household's registered people count.
    result = check("BANTU_UMAK", members=tuple(person(f"p{i}") for i in range(9)))
    assert "3 jiwa dibantu" in reason(result, "amount").message_id
    assert not check("BANTU_UMAK").eligible


def test_bantu_umak_account_needed_unless_cash():
    program = PROGRAMS["BANTU_UMAK"]
    data = {"decile_source": "dtsen", "household_size": 3, "payment_channel": "tunai"}
    assert validate(program, data) == {}
    errors = validate(program, {**data, "payment_channel": "bri"})
    assert errors == {"account_number": "Wajib diisi.", "account_holder": "Wajib diisi."}
    errors = validate(
        program,
        {**data, "payment_channel": "bri", "account_number": "0123-01-ABC", "account_holder": "A"},
    )
    assert errors == {"account_number": "Nomor rekening hanya berisi angka."}


# ---------------------------------------------------------------------------------------------
# Pedas Nia


def test_pedas_nia_59_without_disability_is_refused_and_told_why():
    result = check("PEDAS_NIA", person=person(birth_date=born(59)))
    assert not result.eligible
    r = reason(result, "basis")
    assert "60" in r.message_id and "59" in r.message_id
    assert r.message_id == "Umur 59 tahun, belum 60 tahun, dan tidak tercatat disabilitas."
    assert "under 60" in r.message_en


def test_pedas_nia_disability_qualifies_at_any_age():
    result = check(
        "PEDAS_NIA", person=person(birth_date=born(59)), data={"disability_types": ["fisik"]}
    )
    assert result.eligible
    assert "penyandang disabilitas: Disabilitas fisik" in reason(result, "basis").message_id
    # The person row's disability list is used when the form has none yet.
    result = check("PEDAS_NIA", person=person(birth_date=born(20), disability=["sensorik_rungu"]))
    assert result.eligible
    assert "Sensory: hearing" in reason(result, "basis").message_en


def test_pedas_nia_elderly_and_says_which_basis_applied():
    r = reason(check("PEDAS_NIA", person=person(birth_date=born(60))), "basis")
    assert r.ok and "lanjut usia (60 tahun" in r.message_id
    assert "disabilitas" not in r.message_id
    both = reason(
        check(
            "PEDAS_NIA",
            person=person(birth_date=born(72)),
            data={"disability_types": ["sensorik_netra"]},
        ),
        "basis",
    )
    assert "lanjut usia" in both.message_id and "netra" in both.message_id
    changed = check(
        "PEDAS_NIA", person=person(birth_date=born(60)), reference={"PEDAS_NIA.min_age": 65}
    )
    assert not changed.eligible


def test_pedas_nia_unknown_birth_date():
    result = check("PEDAS_NIA", person=person(birth_date=None))
    assert "Tanggal lahir belum diisi" in reason(result, "basis").message_id


def test_pedas_nia_severity_needed_with_a_disability():
    program = PROGRAMS["PEDAS_NIA"]
    assert validate(program, {"aid_form": "barang", "disability_types": ["fisik"]}) == {
        "severity": "Wajib diisi."
    }
    assert validate(program, {"aid_form": "barang"}) == {}


# ---------------------------------------------------------------------------------------------
# Bertani


def bertani_data(**kw) -> dict:
    data = {
        "roof_material": "seng",
        "roof_condition": "rusak_berat",
        "wall_material": "papan_kayu",
        "wall_condition": "rusak_sedang",
        "floor_material": "tanah",
        "floor_condition": "rusak_ringan",
        "floor_area": 24.0,
        "occupants": 5,
        "toilet": "tidak_ada",
        "land_evidence": "sk_desa",
        "land_disputed": False,
        "had_housing_aid": False,
    }
    data.update(kw)
    return data


GOOD_HOUSE = {
    "roof_material": "genteng",
    "roof_condition": "baik",
    "wall_material": "tembok",
    "wall_condition": "baik",
    "floor_material": "keramik",
    "floor_condition": "baik",
    "toilet": "sendiri",
    "floor_area": 72.0,
    "occupants": 4,
}


def test_bertani_area_per_person():
    assert bertani.area_per_person({"floor_area": 24.0, "occupants": 5}) == pytest.approx(4.8)
    assert bertani.area_per_person({"floor_area": 36, "occupants": 5}) == pytest.approx(7.2)
    assert bertani.area_per_person({"floor_area": 24.0}) is None
    assert bertani.area_per_person({"floor_area": 24.0, "occupants": 0}) is None
    assert bertani.area_per_person({"floor_area": "24", "occupants": 2}) is None


def test_bertani_eligible_house_lists_the_criteria_met():
    result = check("BERTANI", data=bertani_data())
    assert result.eligible, result.blocking
    r = reason(result, "rtlh")
    assert r.message_id == (
        "Rumah tidak layak huni: atap rusak; dinding rusak; lantai tanah; tidak ada jamban; "
        "luas 4,8 m² per orang (kurang dari 7,2 m²)."
    )
    assert "4.8 m² per person (under 7.2 m²)" in r.message_en


def test_bertani_sound_house_is_refused():
    result = check("BERTANI", data=bertani_data(**GOOD_HOUSE))
    assert not result.eligible
    assert reason(result, "rtlh").message_id == (
        "Tidak memenuhi kriteria rumah tidak layak huni, luas 18 m² per orang "
        "(batas 7,2 m² per orang)."
    )


@pytest.mark.parametrize(("area", "ok"), [(28.0, True), (28.8, False), (40.0, False)])
def test_bertani_floor_area_alone_decides_a_sound_house(area, ok):
    result = check("BERTANI", data=bertani_data(**{**GOOD_HOUSE, "floor_area": area}))
    assert reason(result, "rtlh").ok is ok
    # 28.8 m² for 4 people is exactly 7.2: the limit itself is not "under".


def test_bertani_area_limit_is_reference_data():
    data = bertani_data(**{**GOOD_HOUSE, "floor_area": 32.0})  # 8 m² per person
    assert not check("BERTANI", data=data).eligible
    assert check("BERTANI", data=data, reference={"BERTANI.min_area_per_person": 9}).eligible


@pytest.mark.parametrize("material", ["bambu", "triplek"])
def test_bertani_fragile_wall_material_counts(material):
    data = bertani_data(**{**GOOD_HOUSE, "wall_material": material})
    assert reason(check("BERTANI", data=data), "rtlh").message_id.startswith(
        "Rumah tidak layak huni: dinding dari bahan tidak layak"
    )


def test_bertani_land():
    r = reason(check("BERTANI", data=bertani_data(land_evidence="tidak_ada")), "land")
    assert not r.ok and r.message_id == "Tidak ada bukti kepemilikan tanah."
    r = reason(check("BERTANI", data=bertani_data(land_disputed=True)), "land")
    assert not r.ok and r.message_id == "Tanah dalam sengketa."
    r = reason(check("BERTANI", data=bertani_data(land_evidence="shm")), "land")
    assert r.ok and "Sertifikat Hak Milik (SHM)" in r.message_id


@pytest.mark.parametrize(("year", "ok"), [(2020, True), (2021, True), (2022, False), (2025, False)])
def test_bertani_no_housing_aid_in_the_last_five_years(year, ok):
    data = bertani_data(had_housing_aid=True, housing_aid_year=year)
    r = reason(check("BERTANI", data=data), "earlier_aid")
    assert r.ok is ok
    assert str(year) in r.message_id


def test_bertani_once_per_household():
    done = enrolment("BERTANI", "SELESAI", person_id="p9", period_end="2020-12-31")
    result = check("BERTANI", data=bertani_data(), enrolments=(done,))
    assert not result.eligible
    r = reason(result, "once")
    assert r.message_id.startswith(
        "Bertani hanya sekali untuk satu rumah tangga; sudah ada: Bertani"
    )
    assert "Selesai" in r.message_id
    # A rejected earlier request does not count, nor does another household's renovation.
    rejected = {**done, "status": "DITOLAK"}
    assert check("BERTANI", data=bertani_data(), enrolments=(rejected,)).eligible
    elsewhere = {**done, "household_id": "h2", "person_id": "p9"}
    assert check("BERTANI", data=bertani_data(), enrolments=(elsewhere,)).eligible
    # The enrolment being checked does not count against itself.
    itself = {**done, "status": "DIAJUKAN", "id": "mine"}
    assert check("BERTANI", data=bertani_data(), enrolments=(itself,), enrolment_id="mine").eligible


def test_bertani_cross_field_checks():
    program = PROGRAMS["BERTANI"]
    assert validate(program, bertani_data()) == {}
    assert validate(program, bertani_data(had_housing_aid=True)) == {
        "housing_aid_year": "Wajib diisi."
    }
    assert validate(program, bertani_data(progress="100", work_start="2026-02-01")) == {
        "work_end": "Wajib diisi bila pekerjaan sudah selesai."
    }
    assert validate(program, bertani_data(progress="50")) == {
        "work_start": "Wajib diisi bila pekerjaan sudah dimulai."
    }
    assert validate(
        program, bertani_data(progress="100", work_start="2026-02-01", work_end="2026-01-31")
    ) == {"work_end": "Tanggal selesai tidak boleh sebelum tanggal mulai."}


# ---------------------------------------------------------------------------------------------
# KUBE / UEP


def group(n: int, **kw) -> dict:
    """A context of `n` members, each from their own household; the first chairs."""
    roles = ["ketua", "bendahara", "sekretaris"] + ["anggota"] * max(0, n - 3)
    people = tuple(person(f"p{i}", f"h{i}", birth_date=born(30 + i)) for i in range(n))
    data = {
        "group_name": "KUBE Maju Bersama",
        "business_type": "ternak",
        "members": [{"person_id": p["id"], "role": r} for p, r in zip(people, roles, strict=False)],
    }
    data.update(kw.pop("data", {}))
    return {"person": None, "household": None, "members": people, "data": data, **kw}


def test_kube_member_count():
    four = check("KUBE_UEP", **group(4))
    assert not four.eligible
    assert reason(four, "members").message_id == (
        "Kelompok beranggota 4 orang; harus 5–20 orang (dianjurkan 10)."
    )
    five = check("KUBE_UEP", **group(5))
    assert five.eligible, five.blocking
    assert "(dianjurkan 10)" in reason(five, "members").message_id
    ten = check("KUBE_UEP", **group(10))
    assert reason(ten, "members").message_id == "Kelompok beranggota 10 orang, dalam batas 5–20."
    assert not check("KUBE_UEP", **group(21)).eligible
    assert check("KUBE_UEP", **group(4), reference={"KUBE_UEP.min_members": 4}).eligible


def test_kube_members_from_different_households():
    ctx_kw = group(6)
    people = list(ctx_kw["members"])
    people[5] = {**people[5], "household_id": "h0"}
    ctx_kw["members"] = tuple(people)
    result = check("KUBE_UEP", **ctx_kw)
    assert not result.eligible
    assert reason(result, "households").message_id == (
        "Anggota harus dari rumah tangga berbeda; serumah: Orang p0 dan Orang p5."
    )


def test_kube_household_from_the_mapping_when_the_row_lacks_it():
    ctx_kw = group(5)
    people = tuple({**p, "household_id": None} for p in ctx_kw["members"])
    mapping = {p["id"]: f"h{i}" for i, p in enumerate(people)}
    assert check("KUBE_UEP", **{**ctx_kw, "members": people, "member_households": mapping}).eligible
    mapping["p4"] = "h0"
    refused = check("KUBE_UEP", **{**ctx_kw, "members": people, "member_households": mapping})
    assert "serumah" in reason(refused, "households").message_id
    no_household = check("KUBE_UEP", **{**ctx_kw, "members": people})
    assert "Rumah tangga belum tercatat" in reason(no_household, "households").message_id


@pytest.mark.parametrize("occupation", ["pns", "tni_polri"])
def test_kube_no_civil_servants(occupation):
    ctx_kw = group(5)
    people = list(ctx_kw["members"])
    people[2] = {**people[2], "occupation": occupation}
    result = check("KUBE_UEP", **{**ctx_kw, "members": tuple(people)})
    assert not result.eligible
    assert reason(result, "occupation").message_id.startswith(
        "Anggota tidak boleh ASN/TNI/Polri: Orang p2"
    )


def test_kube_members_must_be_adults_under_60():
    ctx_kw = group(5)
    people = list(ctx_kw["members"])
    people[1] = {**people[1], "birth_date": born(60)}
    people[3] = {**people[3], "birth_date": born(17)}
    result = check("KUBE_UEP", **{**ctx_kw, "members": tuple(people)})
    failed = [r.message_id for r in result.blocking if r.code == "age"]
    assert failed == [
        "Orang p1: Umur 60 tahun, di luar batas 18–59 tahun.",
        "Orang p3: Umur 17 tahun, di luar batas 18–59 tahun.",
    ]


def test_kube_listed_member_without_a_person_row():
    ctx_kw = group(5)
    ctx_kw["data"]["members"].append({"person_id": "ghost", "role": "anggota"})
    result = check("KUBE_UEP", **ctx_kw)
    assert "Data orang tidak ditemukan untuk anggota: ghost." in [
        r.message_id for r in result.blocking
    ]


def test_kube_grant_limit_is_reference_data():
    assert check("KUBE_UEP", **group(5, data={"grant_amount": 20_000_000})).eligible
    over = check("KUBE_UEP", **group(5, data={"grant_amount": 25_000_000}))
    assert "melebihi batas Rp 20.000.000" in reason(over, "grant").message_id
    assert check(
        "KUBE_UEP",
        **group(5, data={"grant_amount": 25_000_000}),
        reference={"KUBE_UEP.max_grant": 25_000_000},
    ).eligible


def test_kube_roles_validation():
    program = PROGRAMS["KUBE_UEP"]
    data = group(5)["data"]
    assert validate(program, data) == {}
    two_chairs = [dict(m) for m in data["members"]]
    two_chairs[1]["role"] = "ketua"
    assert validate(program, {**data, "members": two_chairs}) == {
        "members": "Susunan pengurus: ketua lebih dari satu, belum ada bendahara."
    }
    bad_role = [dict(m) for m in data["members"]]
    bad_role[4]["role"] = "penasihat"
    assert validate(program, {**data, "members": bad_role}) == {
        "members": "Anggota ke-5: peran tidak dikenal: 'penasihat'."
    }
    twice = [*data["members"], {"person_id": "p0", "role": "anggota"}]
    assert validate(program, {**data, "members": twice}) == {
        "members": "Anggota ke-6 tercantum dua kali."
    }
    typed = [dict(m) for m in data["members"]]
    typed[0]["role"] = "Ketua"
    assert clean(program, {**data, "members": typed})["members"][0] == {
        "person_id": "p0",
        "role": "ketua",
    }


# ---------------------------------------------------------------------------------------------
# Bakul Nasi


def test_bakul_nasi_elderly_living_alone():
    result = check("BAKUL_NASI", person=person(birth_date=born(70)), data={"lives_alone": True})
    assert result.eligible
    assert reason(result, "alone").message_id == "Tinggal sendiri."
    neglected = check("BAKUL_NASI", person=person(birth_date=born(70)), data={"neglected": True})
    assert neglected.eligible


def test_bakul_nasi_elderly_with_family_or_too_young_is_refused():
    result = check("BAKUL_NASI", person=person(birth_date=born(70)), data={"lives_alone": False})
    assert not result.eligible
    assert reason(result, "alone").message_id == "Tidak tinggal sendiri dan tidak terlantar."
    young = check("BAKUL_NASI", person=person(birth_date=born(59)), data={"lives_alone": True})
    assert reason(young, "age").message_id == "Umur 59 tahun, belum 60 tahun."
    # A one-person household answers "lives alone" when the form leaves it empty.
    alone = check("BAKUL_NASI", person=person(birth_date=born(70)), members=(person(),))
    assert alone.eligible


def orphanage(**kw) -> dict:
    row = {"id": "i1", "name": "Panti Asuhan Al-Ikhlas", "kind": "panti_asuhan",
           "licence_no": "460/123/DINSOS/2024", "head_name": "Hj. Aminah"}  # fmt: skip
    row.update(kw)
    return row


def test_bakul_nasi_orphanage():
    kids = {"children": ["c1", "c2"], "meals_per_day": 3}
    result = check("BAKUL_NASI", person=None, household=None, institution=orphanage(), data=kids)
    assert result.eligible, result.blocking
    assert reason(result, "children").message_id == "2 anak terdaftar."
    no_licence = check("BAKUL_NASI", person=None, institution=orphanage(licence_no=""), data=kids)
    assert reason(no_licence, "licence").message_id == "Nomor izin operasional panti belum diisi."
    elderly_home = check(
        "BAKUL_NASI", person=None, institution=orphanage(kind="panti_werdha"), data=kids
    )
    assert reason(elderly_home, "kind").message_id == "Panti Asuhan Al-Ikhlas bukan panti asuhan."
    empty = check("BAKUL_NASI", person=None, institution=orphanage(), data={})
    assert reason(empty, "children").message_id == "Belum ada anak yang didaftarkan."


def test_bakul_nasi_orphanage_child_over_age_is_named():
    kids = (person("c1", birth_date=born(10)), person("c2", name="Budi", birth_date=born(19)))
    result = check(
        "BAKUL_NASI",
        person=None,
        institution=orphanage(),
        members=kids,
        data={"children": ["c1", "c2"]},
    )
    assert not result.eligible
    assert "Bukan anak (di atas 17 tahun): Budi (19 tahun)." in [
        r.message_id for r in result.blocking
    ]


def test_bakul_nasi_needs_a_person_or_an_institution():
    result = check("BAKUL_NASI", person=None)
    assert result.codes() == ("target",)
    assert "orang atau lembaga" in result.blocking[0].message_id


def test_bakul_nasi_meals_per_day():
    program = PROGRAMS["BAKUL_NASI"]
    data = {"meals_per_day": 2, "delivery_period": "bulanan", "days_per_period": 30}
    assert validate(program, data) == {}
    assert validate(program, {**data, "meals_per_day": 4}) == {
        "meals_per_day": "Tidak boleh lebih dari 3."
    }


# ---------------------------------------------------------------------------------------------
# PKM


def test_pkm_adult_with_a_business():
    result = check("PKM", data=pkm_data(amount_granted=3_000_000))
    assert result.eligible
    assert reason(result, "business").message_en == "Business type: Shop / trading."
    minor = check("PKM", person=person(birth_date=born(17)), data=pkm_data())
    assert reason(minor, "age").message_id == "Umur 17 tahun, di luar batas paling rendah 18 tahun."
    assert not check("PKM", data={"amount_asked": 1_000_000}).eligible


def test_pkm_amount_granted_limits():
    over_limit = check("PKM", data=pkm_data(amount_asked=8_000_000, amount_granted=6_000_000))
    assert [r.message_id for r in over_limit.blocking] == [
        "Jumlah diberikan Rp 6.000.000 melebihi batas Rp 5.000.000."
    ]
    over_ask = check("PKM", data=pkm_data(amount_asked=2_000_000, amount_granted=2_500_000))
    assert [r.message_id for r in over_ask.blocking] == [
        "Jumlah diberikan Rp 2.500.000 melebihi yang diajukan Rp 2.000.000."
    ]
    raised = check(
        "PKM",
        data=pkm_data(amount_asked=8_000_000, amount_granted=6_000_000),
        reference={"PKM.max_grant": 7_500_000},
    )
    assert raised.eligible
    assert validate(PKM, pkm_data(amount_asked=2_000_000, amount_granted=2_500_000)) == {
        "amount_granted": "Tidak boleh lebih dari jumlah yang diajukan."
    }
    undecided = check("PKM", data=pkm_data(amount_asked=8_000_000))
    assert undecided.eligible
    assert "di atas batas Rp 5.000.000" in reason(undecided, "amount").message_id


# ---------------------------------------------------------------------------------------------
# Enrolments that clash: forbidden pairs and duplicates


def nia_ctx(**kw) -> dict:
    return {"person": person(birth_date=born(70)), "period_start": "2026-03-01", **kw}


def test_forbidden_pair_is_reported():
    cash = enrolment("BANTU_UMAK", person_id="p2")
    result = check("PEDAS_NIA", **nia_ctx(enrolments=(cash,)))
    assert not result.eligible
    r = reason(result, "forbidden_pair")
    assert r.message_id == (
        "Bantuan rangkap: rumah tangga ini juga menerima Bantu Umak "
        "(Aktif, 01/01/2026–31/12/2026) pada periode yang sama."
    )
    assert "Double aid" in r.message_en and "(Active, 01/01/2026–31/12/2026)" in r.message_en
    # And the other way round: Bantu Umak sees the household's Pedas Nia.
    nia = enrolment("PEDAS_NIA", "DISETUJUI", person_id="p2")
    result = check("BANTU_UMAK", data={"household_size": 3}, enrolments=(nia,))
    assert reason(result, "forbidden_pair").message_id.startswith("Bantuan rangkap")


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "SELESAI"},
        {"status": "DITOLAK"},
        {"period_end": "2026-02-28"},  # ended before this enrolment starts
        {"program": "PKM"},  # not a forbidden partner
        {"household_id": "h2", "person_id": "p7"},  # another household
    ],
)
def test_no_clash_when_inactive_ended_allowed_or_elsewhere(changes):
    other = {**enrolment("BANTU_UMAK", person_id="p2"), **changes}
    result = check("PEDAS_NIA", **nia_ctx(enrolments=(other,)))
    assert result.eligible, result.blocking


def test_forbidden_pairs_are_reference_data():
    cash = enrolment("BANTU_UMAK", person_id="p2")
    assert check(
        "PEDAS_NIA", **nia_ctx(enrolments=(cash,)), reference={"forbidden_pairs": []}
    ).eligible
    pkm = enrolment("PKM", person_id="p2")
    result = check(
        "PEDAS_NIA",
        **nia_ctx(enrolments=(pkm,)),
        reference={"forbidden_pairs": [["PKM", "PEDAS_NIA"]]},
    )
    assert result.codes(ok=False) == ("forbidden_pair",)


def test_open_periods_overlap():
    cash = enrolment("BANTU_UMAK", period_start=None, period_end=None)
    result = check("PEDAS_NIA", **nia_ctx(enrolments=(cash,), period_start=None))
    assert "forbidden_pair" in result.codes(ok=False)
    later = enrolment("BANTU_UMAK", period_start="2027-01-01", period_end=None)
    assert check("PEDAS_NIA", **nia_ctx(enrolments=(later,), period_end="2026-12-31")).eligible


def test_bantu_umak_twice_in_one_household():
    first = enrolment("BANTU_UMAK", person_id="p5")
    result = check("BANTU_UMAK", data={"household_size": 3}, enrolments=(first,))
    assert result.codes(ok=False) == ("forbidden_pair",)


def test_same_person_twice_in_a_program():
    first = enrolment("PEDAS_NIA", "DIAJUKAN")
    result = check("PEDAS_NIA", **nia_ctx(enrolments=(first,)))
    r = reason(result, "duplicate")
    assert r.message_id == (
        "Orang ini sudah terdaftar di Pedas Nia (Diajukan, 01/01/2026–31/12/2026) "
        "pada periode yang sama."
    )
    # Another household member in the same program is fine (an elderly mother, a disabled son).
    sibling = enrolment("PEDAS_NIA", person_id="p2")
    assert check("PEDAS_NIA", **nia_ctx(enrolments=(sibling,))).eligible


def test_eligibility_properties():
    result = check("PEDAS_NIA", person=person(birth_date=born(30)))
    assert result.eligible is False
    assert result.blocking == tuple(r for r in result.reasons if not r.ok)
    assert result.blocking[0].message("en") == result.blocking[0].message_en


@pytest.mark.parametrize("code", list(PROGRAMS))
def test_rules_do_not_crash_on_empty_data(code):
    for result in (
        check_eligibility(PROGRAMS[code], EligibilityContext(today=TODAY)),
        check(code, data={}),
        check(code, data={}, person=person(birth_date=None, disability=None), household={}),
    ):
        assert result.reasons
        assert all(r.message_id and r.message_en for r in result.reasons)


# ---------------------------------------------------------------------------------------------
# Age


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        ("1966-03-15", date(2026, 3, 15), 60),
        ("1966-03-16", date(2026, 3, 15), 59),
        (date(2000, 2, 29), date(2026, 2, 28), 25),
        (date(2000, 2, 29), date(2026, 3, 1), 26),
        ("2026-03-15", date(2026, 3, 15), 0),
    ],
)
def test_age_on(birth, on, age):
    assert age_on(birth, on) == age


def test_age_on_refuses_a_birth_in_the_future():
    with pytest.raises(ValueError):
        age_on("2027-01-01", TODAY)
