"""The shipped area tables: Musi Banyuasin's districts and villages, and code lookups."""

from __future__ import annotations

import subprocess
import sys

import pytest

from muba_desk.domain.areas import MUBA_REGENCY, District, Village, areas


def test_areas_is_loaded_once():
    assert areas() is areas()


def test_provinces_use_undotted_codes():
    assert areas().provinces["16"] == "Sumatera Selatan"
    assert len(areas().provinces) == 38


def test_fifteen_muba_districts_sorted_by_name():
    districts = areas().muba_districts()
    assert len(districts) == 15
    assert [d.name for d in districts] == sorted(d.name for d in districts)
    assert all(d.code.startswith(MUBA_REGENCY + ".") for d in districts)
    assert District("16.06.01", "Sekayu") in districts


def test_sekayu_by_either_code_form():
    assert areas().district_name("160601") == "Sekayu"
    assert areas().district_name("16.06.01") == "Sekayu"
    assert areas().is_known_district("160601") and areas().is_known_district("16.06.01")


def test_unknown_district():
    assert areas().district_name("160699") is None
    assert not areas().is_known_district("16.06.99")


def test_districts_of_the_whole_country_are_known():
    assert areas().district_name("317101") is not None  # Jakarta Pusat, Gambir
    assert areas().is_known_district("11.01.01")


def test_dotted_and_undotted_lookups_agree_for_every_muba_district():
    for district in areas().muba_districts():
        undotted = district.code.replace(".", "")
        assert areas().district_name(undotted) == areas().district_name(district.code)
        assert areas().district_name(undotted) == district.name
        assert areas().villages(undotted) == areas().villages(district.code)


def test_242_villages_all_in_the_15_districts():
    villages = areas().villages()
    assert len(villages) == 242
    codes = {d.code for d in areas().muba_districts()}
    assert {v.district_code for v in villages} == codes
    assert [v.name for v in villages] == sorted(v.name for v in villages)


def test_villages_of_one_district():
    sekayu = areas().villages("160601")
    assert sekayu and all(v.district_code == "16.06.01" for v in sekayu)
    assert sum(len(areas().villages(d.code)) for d in areas().muba_districts()) == 242
    assert areas().villages("16.06.99") == []


def test_village_lookup_and_kelurahan():
    village = areas().village("16.06.01.1009")
    assert village == Village("16.06.01.1009", "16.06.01", "Kayu Ara", is_kelurahan=True)
    assert areas().village("1606011009") == village
    desa = next(v for v in areas().villages() if v.code.split(".")[-1].startswith("2"))
    assert not desa.is_kelurahan
    assert 0 < sum(v.is_kelurahan for v in areas().villages()) < 242


def test_unknown_village_raises_key_error():
    with pytest.raises(KeyError):
        areas().village("16.06.01.9999")


def test_returned_lists_are_copies():
    areas().villages().clear()
    areas().muba_districts().clear()
    assert len(areas().villages()) == 242 and len(areas().muba_districts()) == 15


def test_domain_modules_import_no_qt():
    # The domain must run in scripts and tests without a display; check in a fresh interpreter.
    code = (
        "import sys, muba_desk.domain.nik, muba_desk.domain.money, muba_desk.domain.areas;"
        "muba_desk.domain.nik.parse_nik('1606010506780001');"
        "sys.exit('PySide6' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
