"""Columns found by their header spellings; the shipped mappings; the office's saved ones."""

import json

import pytest

from muba_desk.lists.mapping import (
    FIELDS,
    Mapping,
    guess_mapping,
    header_key,
    mapping_for,
    save_mapping,
    saved_mappings,
    shipped_mappings,
)
from muba_desk.lists.read import Sheet
from muba_desk.paths import resource
from muba_desk.store.db import memory_db


def sheet_with(headers):
    return Sheet("f.xlsx", "0" * 64, "", 1, headers, [], [])


def test_header_spellings_of_the_official_lists_are_one_key():
    assert header_key("No. KK") == header_key("NO_KK") == header_key(" no  kk ") == "no kk"
    assert header_key("Tanggal Lahir (dd/mm/yyyy)") == "tanggal lahir"
    assert header_key("DESA/KELURAHAN") == "desa kelurahan"


def test_the_guess_reads_each_lists_spelling():
    headers = [
        "No", "NIK", "No. KK", "Nama Lengkap", "Tgl Lahir", "JK", "SHDK", "DESIL_NASIONAL",
        "KODE_WILAYAH", "Desa", "ID DTKS", "ID_KELUARGA_P3KE", "No HP",
    ]  # fmt: skip
    mapping = guess_mapping(headers)
    assert mapping.columns == {
        "nik": 1,
        "kk": 2,
        "name": 3,
        "birth_date": 4,
        "sex": 5,
        "relation": 6,
        "decile": 7,
        "village": 8,  # the code column beats the village name
        "dtks_id": 10,
        "family_id": 11,
        "phone": 12,
    }
    other = guess_mapping(["NAMA_ART", "TANGGAL_LAHIR", "Jenis Kelamin", "Hubungan dengan KK"])
    assert other.columns == {"name": 0, "birth_date": 1, "sex": 2, "relation": 3}


def test_four_mappings_are_shipped_as_data_files_with_known_fields():
    assert set(shipped_mappings()) == {
        "P3KE 2025",
        "DTSEN desil",
        "BNBA SIKS-NG",
        "OpenSID peserta",
    }
    for path in resource("lists").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert set(data["columns"]) <= set(FIELDS), path.name


def test_a_shipped_mapping_finds_its_columns_in_any_order():
    sheet = sheet_with(["NAMA", "x", "NOMOR NIK", "DESIL NASIONAL", "DESA/KELURAHAN"])
    mapping = mapping_for(sheet, "DTSEN desil")
    assert mapping.columns == {"name": 0, "nik": 2, "decile": 3, "village": 4}
    assert mapping.defaults == {"decile_source": "dtsen"}
    with pytest.raises(KeyError):
        mapping_for(sheet, "Tidak ada")


def test_a_mapping_saved_by_name_applies_to_the_next_file_by_its_headers():
    db = memory_db()
    first = sheet_with(["Nomor Induk", "Nama Warga", "Kampung"])
    mapping = Mapping(
        "Daftar desa Kayu Ara",
        {"nik": 0, "name": 1, "village": 2},
        {"decile_source": "musdes"},
        first.headers,
    )
    save_mapping(db, mapping)
    assert set(saved_mappings(db)) == {"Daftar desa Kayu Ara"}
    later = sheet_with(["Kampung", "Nomor Induk", "Catatan", "Nama Warga"])
    again = mapping_for(later, "Daftar desa Kayu Ara", reg=db)
    assert again.columns == {"nik": 1, "name": 3, "village": 0}
    assert again.defaults == {"decile_source": "musdes"}
    (stored,) = db.conn.execute(
        "SELECT value FROM setting WHERE key = 'list_mapping:Daftar desa Kayu Ara'"
    ).fetchone()
    assert json.loads(stored)["columns"]["nik"] == ["Nomor Induk"]


def test_a_mapping_records_itself_as_one_text():
    mapping = Mapping(
        "P3KE 2025", {"nik": 2, "name": 0}, {"decile_source": "p3ke"}, ["A", "B", "C"]
    )
    same = Mapping("P3KE 2025", {"name": 0, "nik": 2}, {"decile_source": "p3ke"}, ["A", "B", "C"])
    assert mapping.as_json() == same.as_json()
    assert json.loads(mapping.as_json())["columns"]["nik"] == {"index": 2, "header": "C"}
