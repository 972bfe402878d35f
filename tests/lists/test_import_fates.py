"""Each row's fate when a list in one of the four shipped shapes is imported: new, matched,
updated, queued or refused with its reason, as the preview counts it and as the ledger keeps it;
provenance on the people; the same file twice changes nothing."""

import pytest

from muba_desk.core import operations
from muba_desk.core.operations import OFFICE, Actor
from muba_desk.lists.apply import apply_plan
from muba_desk.lists.mapping import mapping_for
from muba_desk.lists.plan import plan_import
from muba_desk.lists.read import read_list
from muba_desk.store.registry import Registry
from tests.lists import shapes

CLERK = Actor("op-test", OFFICE)
KAYU_ARA = "16.06.01.1009"

SHAPES = [
    (shapes.p3ke_xlsx, "p3ke.xlsx", "P3KE 2025", {}),
    (shapes.dtsen_text, "dtsen.txt", "DTSEN desil", {}),
    (shapes.bnba_csv, "bnba.csv", "BNBA SIKS-NG", {}),
    # The OpenSID export has no village column: the clerk gives it.
    (shapes.opensid_ods, "peserta.ods", "OpenSID peserta", {"village": "Kayu Ara"}),
]


def _plan(reg, path, mapping_name, defaults=None, **kwargs):
    sheet = read_list(path)
    mapping = mapping_for(sheet, mapping_name, reg=reg)
    mapping.defaults.update(defaults or {})
    return sheet, plan_import(reg, sheet, mapping, **kwargs)


def _import(reg, plan, **kwargs):
    with reg.transaction():
        return apply_plan(reg, CLERK, plan, **kwargs)


def _ledger(reg, import_id):
    rows = reg.conn.execute(
        "SELECT row_number, fate, person_id, reason FROM list_row WHERE import_id = ? "
        "ORDER BY row_number, rowid",
        (import_id,),
    ).fetchall()
    return {(number, fate): (person_id, reason) for number, fate, person_id, reason in rows}


def _count(reg, table):
    return reg.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.mark.parametrize(("build", "name", "mapping_name", "defaults"), SHAPES)
def test_each_row_of_each_shape_is_new_or_refused_with_its_reason(
    registry, tmp_path, build, name, mapping_name, defaults
):
    path, expected = build(tmp_path / name)
    sheet, plan = _plan(registry, path, mapping_name, defaults)
    refused = sum(1 for e in expected if e["refused"])
    assert plan.counts["rows"] == len(expected) == len(sheet.rows)
    assert plan.counts["refused"] == refused
    assert plan.counts["new_people"] == len(expected) - refused
    result = _import(registry, plan)
    ledger = _ledger(registry, result.import_id)
    for number, expect in zip(sheet.row_numbers, expected, strict=True):
        if expect["refused"]:
            field, says = expect["refused"]
            person_id, reason = ledger[(number, "refused")]
            assert person_id is None and says in reason, (number, reason)
            continue
        person_id, _reason = ledger[(number, "new")]
        person = registry.get("person", person_id)
        assert person["verify_state"] == "to_verify"
        assert f"Impor daftar {path.name}" in person["source_note"]
        assert f"baris {number}," in person["source_note"]
        assert sheet.sha256[:12] in person["source_note"] and mapping_name in person["source_note"]
        for column in ("nik", "sex", "birth_date", "birth_place", "relation"):
            if column in expect["values"]:
                assert person[column] == expect["values"][column], (number, column)
        if expect["warned"]:
            assert (number, "warned") in ledger
    people = registry.conn.execute(
        "SELECT count(*) FROM person WHERE source_note LIKE ?", (f"%{path.name}%",)
    ).fetchone()[0]
    assert people == len(expected) - refused


def test_the_p3ke_family_is_one_household_headed_by_its_head_with_the_decile_and_its_year(
    registry, tmp_path
):
    path, _expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    _sheet, plan = _plan(registry, path, "P3KE 2025")
    result = _import(registry, plan)
    siti = registry.get("person", result.person_ids[5])
    dewi = registry.get("person", result.person_ids[7])
    assert siti["household_id"] == dewi["household_id"]
    household = registry.get("household", siti["household_id"])
    assert household["head_person_id"] == siti["id"]
    assert (household["welfare_decile"], household["decile_source"]) == (1, "p3ke")
    assert household["decile_year"] == 2025 and household["village_code"] == KAYU_ARA


def _siti(reg, **person):
    """Siti of the P3KE file, registered earlier by a field worker."""
    with reg.transaction():
        household = operations.register_household(reg, CLERK, village_code=KAYU_ARA)
        values = {
            "name": "Siti Aminah",
            "sex": "P",
            "nik": shapes.nik(shapes.SITI, female=True),
            "birth_date": "1970-08-12",
            "relation": "kepala",
            "phone": "081234567890",
            **person,
        }
        made = operations.register_person(reg, CLERK, household_id=household.id, **values)
    return made.id, household.id


def test_a_person_already_registered_is_matched_and_nothing_a_worker_recorded_is_overwritten(
    registry, tmp_path
):
    siti_id, household_id = _siti(registry)
    before = registry.get("person", siti_id)
    path, _expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    _sheet, plan = _plan(registry, path, "P3KE 2025")
    siti = next(p for p in plan.people() if p.row_number == 5)
    assert siti.fate == "matched" and siti.person_id == siti_id
    assert siti.updates == {"name": ("Siti Aminah", "SITI AMINAH")}
    family = next(h for h in plan.households if any(p is siti for p in h.people))
    assert family.household_id == household_id  # her family joins her household
    assert family.updates["welfare_decile"] == (None, 1)
    assert plan.counts["matched"] == 1 and plan.counts["updates"] == 2
    people = _count(registry, "person")
    result = _import(registry, plan)
    assert registry.get("person", siti_id) == before  # offered, not accepted
    assert registry.get("household", household_id)["welfare_decile"] is None
    assert _ledger(registry, result.import_id)[(5, "matched")][0] == siti_id
    dewi = registry.get("person", result.person_ids[7])
    assert dewi["household_id"] == household_id
    assert _count(registry, "person") == people + plan.counts["new_people"]


def test_accepted_updates_change_only_the_fields_the_list_knows(registry, tmp_path):
    siti_id, household_id = _siti(registry)
    path, _expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    _sheet, plan = _plan(registry, path, "P3KE 2025")
    result = _import(registry, plan, accept_updates={5})
    siti = registry.get("person", siti_id)
    assert siti["name"] == "SITI AMINAH"
    assert siti["phone"] == "081234567890"  # the list has no phone: the worker's stays
    assert siti["verify_state"] is None  # a person the office already knew is not re-verified
    household = registry.get("household", household_id)
    assert (household["welfare_decile"], household["decile_year"]) == (1, 2025)
    assert (5, "updated") in _ledger(registry, result.import_id)
    history = registry.conn.execute(
        "SELECT count(*) FROM audit WHERE table_name = 'person' AND row_id = ? "
        "AND action = 'update'",
        (siti_id,),
    ).fetchone()[0]
    assert history == 1


def test_a_likely_duplicate_is_stored_and_queued_for_review(registry, tmp_path):
    with registry.transaction():
        household = operations.register_household(registry, CLERK, village_code=KAYU_ARA)
        old = operations.register_person(
            registry,
            CLERK,
            household_id=household.id,
            name="Nenek  Ijah",
            sex="P",
            birth_date="1941-01-02",
            no_nik_reason="Belum punya KTP",
        )
    path, _expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    _sheet, plan = _plan(registry, path, "P3KE 2025")
    ijah = next(p for p in plan.people() if p.row_number == 8)
    assert ijah.fate == "queued" and ijah.duplicate_of == [old.id]
    assert plan.counts["queued"] == 1
    result = _import(registry, plan)
    new_id = result.person_ids[8]
    pair = registry.conn.execute(
        "SELECT kind, row_a, row_b FROM duplicate_candidate WHERE resolved_at IS NULL"
    ).fetchall()
    assert pair == [("name_birth", *sorted((old.id, new_id)))]
    assert (8, "queued") in _ledger(registry, result.import_id)


def test_the_same_person_twice_in_one_file_is_refused_the_second_time(registry, tmp_path):
    path = tmp_path / "twice.csv"
    siti = shapes.nik(shapes.SITI, female=True)
    path.write_text(
        "NIK;NAMA;ALAMAT;DESA/KELURAHAN;KECAMATAN\n"
        f"{siti};SITI AMINAH;RT 1;Kayu Ara;Sekayu\n"
        f"{siti};SITI AMINAH;RT 1;Kayu Ara;Sekayu\n",
        encoding="utf-8",
    )
    _sheet, plan = _plan(registry, path, "BNBA SIKS-NG")
    fates = [(p.row_number, p.fate) for p in plan.people()]
    assert sorted(fates) == [(2, "new"), (3, "refused")]
    second = next(p for p in plan.people() if p.row_number == 3)
    assert "baris 2" in second.reasons[0]
    assert plan.rows_with_problems()[0][0] == 3


def test_importing_the_same_file_again_changes_nothing(registry, tmp_path):
    path, _expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    _sheet, plan = _plan(registry, path, "P3KE 2025")
    first = _import(registry, plan)
    assert first.import_id is not None
    counts = {t: _count(registry, t) for t in ("person", "household", "audit", "list_row")}
    _sheet, again = _plan(registry, path, "P3KE 2025")
    assert again.imported_before is not None
    second = _import(registry, again)
    assert second.import_id is None and second.already_imported == again.imported_before
    assert "sudah diimpor" in second.summary()
    assert {t: _count(registry, t) for t in counts} == counts
    # The same bytes under another name are the same list.
    copy = tmp_path / "salinan.xlsx"
    copy.write_bytes(path.read_bytes())
    _sheet, renamed = _plan(registry, copy, "P3KE 2025")
    assert renamed.imported_before is not None


def test_an_import_is_refused_on_a_laptop_and_rolls_back_whole(registry, db, tmp_path):
    path, _expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    _sheet, plan = _plan(registry, path, "P3KE 2025")
    with pytest.raises(operations.NotAllowed, match="kantor"), registry.transaction():
        apply_plan(registry, Actor("op-test"), plan)
    assert _count(registry, "person") == 0
    # Cancel between chunks: nothing written, not even the ledger.
    from muba_desk.progress import Cancelled, Progress

    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled), registry.transaction():
        apply_plan(registry, CLERK, plan, progress=progress)
    assert _count(registry, "person") == _count(registry, "list_import") == 0
    assert isinstance(registry, Registry)
