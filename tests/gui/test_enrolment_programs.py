"""Enrolling people in each of the seven programs through the one generic form, by keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from muba_desk.gui import enrolment_backend
from muba_desk.store import views
from muba_desk.store.db import connect
from tests.gui.enrolment_helpers import (
    choose,
    enrolment,
    open_program,
    query,
    submit,
    tick,
    type_into,
)
from tests.gui.enrolment_people import OPERATOR, make


@pytest.fixture
def registry(tmp_path):
    path = tmp_path / "enrol.db"
    return path, make(path)


@pytest.fixture
def backend(registry, qtbot):
    """Reads and writes on a reader thread, as in the window: the form never waits."""
    path, _ids = registry
    backend = enrolment_backend.threaded(path, OPERATOR, "Rina Operator")
    yield backend
    backend.close()


def person_enrolments(path, person_id: str) -> list[dict]:
    db = connect(path)
    try:
        return views.person_details(db, person_id)["enrolments"]
    finally:
        db.close()


def test_pake_kelambu_is_submitted_with_typed_values(qtbot, registry, backend):
    path, ids = registry
    form = open_program(qtbot, backend, "PAKE_KELAMBU", person_id=ids["siti"])
    # The occupation comes from the person row: the worker only checks it.
    assert form.inputs["occupation"].raw() == "penyadap_karet"
    type_into(qtbot, form, "monthly_income", "1.250.000")
    tick(qtbot, form, "cover", "jkk")
    tick(qtbot, form, "cover", "jkm")
    type_into(qtbot, form, "heir_name", "Ahmad Amin")
    choose(qtbot, form, "heir_relation", "Anak")
    type_into(qtbot, form, "cover_start", "01/01/2027")
    assert "✓" in form.eligibility_text() and "✗" not in form.eligibility_text()
    row = submit(qtbot, form)
    saved = enrolment(path, row["id"])
    assert saved["data"] == {
        "occupation": "penyadap_karet",
        "monthly_income": 1_250_000,
        "cover": ["jkk", "jkm"],
        "heir_name": "Ahmad Amin",
        "heir_relation": "anak",
        "cover_start": "2027-01-01",
    }
    assert saved["status"] == "DIAJUKAN"
    assert [h["to_status"] for h in saved["history"]] == ["DRAF", "DIAJUKAN"]
    assert {h["created_by"] for h in saved["history"]} == {OPERATOR}
    assert saved["card_number"]
    shown = person_enrolments(path, ids["siti"])
    assert [e["program"] for e in shown] == ["PAKE_KELAMBU"]


def test_bantu_umak_shows_the_monthly_amount_and_wants_the_account_for_a_bank(
    qtbot, registry, backend
):
    path, ids = registry
    form = open_program(qtbot, backend, "BANTU_UMAK", person_id=ids["siti"])
    assert form.inputs["household_size"].raw() == "2"  # counted from the household
    choose(qtbot, form, "decile_source", "DTSEN")
    choose(qtbot, form, "payment_channel", "BRI")
    assert "Rp 650.000 per bulan" in form.eligibility_text()
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    assert form.errors_shown["account_number"].text() == "Wajib diisi."
    assert form.result_row is None
    type_into(qtbot, form, "account_number", "0123-01-000123-50-1")
    type_into(qtbot, form, "account_holder", "Siti Aminah")
    row = submit(qtbot, form)
    data = enrolment(path, row["id"])["data"]
    assert data["payment_channel"] == "bri" and data["household_size"] == 2


def test_pedas_nia_for_a_40_year_old_without_disability_shows_why_before_saving(
    qtbot, registry, backend
):
    _path, ids = registry
    form = open_program(qtbot, backend, "PEDAS_NIA", person_id=ids["budi"])
    text = form.eligibility_text()
    assert "✗" in text and "40 tahun" in text and "60" in text
    assert "Belum memenuhi syarat" in text
    assert query(_path, "SELECT count(*) AS n FROM enrolment")[0]["n"] == 0


def test_pedas_nia_elderly_with_disability_saved_as_draft(qtbot, registry, backend):
    path, ids = registry
    form = open_program(qtbot, backend, "PEDAS_NIA", person_id=ids["sarni"])
    assert "lanjut usia (76 tahun" in form.eligibility_text()
    tick(qtbot, form, "disability_types", "fisik")
    tick(qtbot, form, "assistive_devices", "kursi_roda")
    # Typed as a user would: the combo finds the row from the first letters.
    choose(qtbot, form, "severity", "Berat")
    row = submit(qtbot, form, draft=True)  # the form of aid is not chosen yet: a draft
    saved = enrolment(path, row["id"])
    assert saved["status"] == "DRAF"
    assert saved["data"] == {
        "disability_types": ["fisik"],
        "severity": "berat",
        "assistive_devices": ["kursi_roda"],
    }


def test_a_mistyped_amount_is_caught_at_the_field_in_indonesian(qtbot, registry, backend):
    _path, ids = registry
    form = open_program(qtbot, backend, "PKM", person_id=ids["yanti"])
    type_into(qtbot, form, "amount_asked", "lima juta")
    assert form.errors_shown["amount_asked"].isVisible()
    assert "rupiah bulat" in form.errors_shown["amount_asked"].text()
    type_into(qtbot, form, "amount_asked", "5.000.000")
    assert not form.errors_shown["amount_asked"].isVisible()


def test_pkm_with_training(qtbot, registry, backend):
    path, ids = registry
    form = open_program(qtbot, backend, "PKM", person_id=ids["yanti"])
    choose(qtbot, form, "business_type", "Olahan")
    choose(qtbot, form, "business_stage", "Sudah")
    type_into(qtbot, form, "business_place", "Pasar Sekayu")
    type_into(qtbot, form, "current_capital", "Rp 750.000")
    type_into(qtbot, form, "amount_asked", "3.000.000")
    tick(qtbot, form, "trainings", "pembukuan")
    row = submit(qtbot, form)
    assert enrolment(path, row["id"])["data"] == {
        "business_type": "olahan_pangan",
        "business_stage": "berjalan",
        "business_place": "Pasar Sekayu",
        "current_capital": 750_000,
        "amount_asked": 3_000_000,
        "trainings": ["pembukuan"],
    }


def test_bakul_nasi_for_an_elderly_person_living_alone(qtbot, registry, backend):
    path, ids = registry
    form = open_program(qtbot, backend, "BAKUL_NASI", person_id=ids["sarni"])
    type_into(qtbot, form, "meals_per_day", "2")
    choose(qtbot, form, "delivery_period", "Mingguan")
    type_into(qtbot, form, "days_per_period", "7")
    choose(qtbot, form, "lives_alone", "Ya")
    assert "Tinggal sendiri" in form.eligibility_text()
    row = submit(qtbot, form)
    saved = enrolment(path, row["id"])
    assert saved["person_id"] == ids["sarni"] and saved["institution_id"] is None
    assert saved["data"]["lives_alone"] is True


def test_bakul_nasi_for_an_orphanage_with_its_children(qtbot, registry, backend):
    path, ids = registry
    form = open_program(qtbot, backend, "BAKUL_NASI")
    qtbot.waitUntil(lambda: form.institution_combo.count() == 1)
    qtbot.mouseClick(form.institution_mode, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.target is not None and form.target.institution is not None)
    # The lembaga's children are listed from the registry, and one more can be searched.
    assert form.inputs["children"].raw() == [ids["child0"], ids["child1"]]
    type_into(qtbot, form, "meals_per_day", "3")
    choose(qtbot, form, "delivery_period", "Bulanan")
    type_into(qtbot, form, "days_per_period", "30")
    text = form.eligibility_text()
    assert "panti asuhan" in text and "2 anak terdaftar" in text
    row = submit(qtbot, form)
    saved = enrolment(path, row["id"])
    assert saved["institution_id"] == ids["panti"] and saved["person_id"] is None
    assert saved["data"]["children"] == [ids["child0"], ids["child1"]]


def test_kube_group_built_by_searching_people(qtbot, registry, backend):
    path, ids = registry
    form = open_program(qtbot, backend, "KUBE_UEP")
    type_into(qtbot, form, "group_name", "KUBE Karet Maju")
    editor = form.inputs["members"]
    for name in ("Joko", "Sri", "Agus", "Wati"):
        editor.search.edit.setFocus()
        qtbot.keyClicks(editor.search.edit, f"{name} Kube")
        qtbot.waitUntil(lambda: editor.search.results.count() > 0 and not editor.search.pending)
        qtbot.keyClick(editor.search.edit, Qt.Key.Key_Return)
    assert "harus 5–20 orang" in form.eligibility_text()
    editor.search.edit.setFocus()
    qtbot.keyClicks(editor.search.edit, "Hendra Kube")
    qtbot.waitUntil(lambda: editor.search.results.count() > 0 and not editor.search.pending)
    qtbot.keyClick(editor.search.edit, Qt.Key.Key_Return)
    assert [m["role"] for m in editor.raw()] == [
        "ketua", "bendahara", "sekretaris", "anggota", "anggota",
    ]  # fmt: skip
    assert "dalam batas 5–20" in form.eligibility_text()
    assert "Setiap anggota dari rumah tangga berbeda" in form.eligibility_text()
    choose(qtbot, form, "business_type", "Peternakan")
    type_into(qtbot, form, "grant_amount", "20.000.000")
    row = submit(qtbot, form)
    saved = enrolment(path, row["id"])
    assert saved["grp_id"] and saved["status"] == "DIAJUKAN"
    members = query(
        path,
        "SELECT person_id, role FROM grp_member WHERE grp_id = ? ORDER BY pk",
        (saved["grp_id"],),
    )
    assert [m["person_id"] for m in members] == [ids[f"kube{i}"] for i in range(5)]
    assert members[0]["role"] == "ketua"
    group = query(path, "SELECT * FROM grp WHERE id = ?", (saved["grp_id"],))[0]
    assert group["name"] == "KUBE Karet Maju" and group["business_type"] == "ternak"
