"""`muba-desk import list` and enrolment on import: the preview's counts printed, a dry run
writes nothing, an unreadable file exits 1; enrolments made by the import wait in the office's
decision queue and are decided there through the core's `decide`."""

import pytest
from openpyxl import load_workbook

from muba_desk.cli import main
from muba_desk.core import operations
from muba_desk.core.operations import OFFICE, Actor
from muba_desk.lists.apply import apply_plan
from muba_desk.lists.mapping import mapping_for
from muba_desk.lists.plan import EnrolOnImport, plan_import
from muba_desk.lists.read import read_list
from muba_desk.office.decision_queue import waiting
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from muba_desk.sync.commands import PASSPHRASE_ENV
from tests.lists import shapes

OFFICE_PASSPHRASE = "kantor-dinas-sosial-muba"


@pytest.fixture
def office(tmp_path, monkeypatch):
    monkeypatch.setenv(PASSPHRASE_ENV, OFFICE_PASSPHRASE)
    path = tmp_path / "office.db"
    assert main(["office", "init", "--db", str(path)]) == 0
    return path


def _counts(path):
    db = connect(path)
    try:
        return {
            t: db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("person", "household", "enrolment", "audit", "list_import")
        }
    finally:
        db.close()


def test_dry_run_prints_the_counts_and_writes_nothing(office, tmp_path, capsys):
    path, expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    before = _counts(office)
    errors = tmp_path / "salah.xlsx"
    args = ["import", "list", "--db", str(office), str(path), "--dry-run"]
    assert main([*args, "--errors", str(errors)]) == 0
    out = capsys.readouterr().out
    refused = sum(1 for e in expected if e["refused"])
    assert "Pemetaan: P3KE 2025." in out
    assert f"{len(expected)} baris: {len(expected) - refused} orang baru" in out
    assert f"{refused} ditolak" in out and "tidak ada yang disimpan" in out
    assert _counts(office) == before
    sheet = load_workbook(errors).active
    reasons = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any("rusak oleh Excel" in reason for reason in reasons)


def test_the_import_writes_once_and_an_unreadable_file_exits_1(office, tmp_path, capsys):
    path, expected = shapes.bnba_csv(tmp_path / "bnba.csv")
    args = ["import", "list", "--db", str(office), str(path), "--mapping", "BNBA SIKS-NG"]
    assert main(args) == 0  # refused rows are reported, not fatal
    assert "Tersimpan." in capsys.readouterr().out
    after = _counts(office)
    assert after["person"] == sum(1 for e in expected if not e["refused"])
    assert main(args) == 0
    assert "sudah diimpor" in capsys.readouterr().out
    assert _counts(office) == after
    missing = ["import", "list", "--db", str(office), str(tmp_path / "tidak-ada.xlsx")]
    assert main(missing) == 1
    assert "tidak-ada.xlsx" in capsys.readouterr().err
    unknown = ["import", "list", "--db", str(office), str(path), "--mapping", "Entah"]
    assert main(unknown) == 2
    assert "P3KE 2025" in capsys.readouterr().err


def test_enrolments_made_on_import_wait_for_the_office_and_are_decided_there(office, tmp_path):
    path, _expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    db = connect(office)
    try:
        reg = Registry(db, operator_id="op-kantor")
        clerk = Actor("op-kantor", OFFICE)
        sheet = read_list(path)
        enrol = EnrolOnImport("BANTU_UMAK", 2026, (1, 2))
        plan = plan_import(reg, sheet, mapping_for(sheet, "P3KE 2025"), enrol=enrol)
        by_row = {p.row_number: p for p in plan.people()}
        # Siti heads family 1 (decile 1): enrolled; her daughter is in the same household.
        assert by_row[5].enrol == "DIAJUKAN"
        assert "kepala keluarga" in by_row[7].enrol_reason
        # Rudi's family (decile 2) lost its head to a damaged NIK: nobody to enrol.
        assert plan.counts["enrolled"] == 1
        with reg.transaction():
            result = apply_plan(reg, clerk, plan)
        (enrolment_id,) = result.enrolment_ids
        queue = waiting(db, "BANTU_UMAK", None)
        assert [row[0] for row in queue] == [enrolment_id]
        enrolment = reg.get("enrolment", enrolment_id)
        assert (enrolment["status"], enrolment["period_start"]) == ("TERKIRIM", "2026-01-01")
        assert enrolment["person_id"] == result.person_ids[5]
        history = db.conn.execute(
            "SELECT from_status, to_status FROM enrolment_status WHERE enrolment_id = ? "
            "ORDER BY pk",
            (enrolment_id,),
        ).fetchall()
        assert history == [(None, "DRAF"), ("DRAF", "DIAJUKAN"), ("DIAJUKAN", "TERKIRIM")]
        with reg.transaction():
            operations.decide(reg, clerk, [enrolment_id], approve=True)
        assert reg.get("enrolment", enrolment_id)["status"] == "DISETUJUI"
        left_out = db.conn.execute(
            "SELECT count(*) FROM list_row WHERE fate = 'left_out' AND import_id = ?",
            (result.import_id,),
        ).fetchone()[0]
        assert left_out == plan.counts["left_out"] > 0
    finally:
        db.close()


def test_a_program_whose_data_no_list_holds_is_enrolled_as_a_draft_with_the_fields_named(
    registry, tmp_path
):
    path, _expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    sheet = read_list(path)
    enrol = EnrolOnImport("PAKE_KELAMBU", 2026, (1, 3), data={"occupation": "petani"})
    plan = plan_import(registry, sheet, mapping_for(sheet, "P3KE 2025"), enrol=enrol)
    siti = next(p for p in plan.people() if p.row_number == 5)
    assert siti.enrol == "DRAF" and "Nama ahli waris" in siti.enrol_reason
    dewi = next(p for p in plan.people() if p.row_number == 7)  # born 2005: 21 in 2026
    nenek = next(p for p in plan.people() if p.row_number == 8)  # born 1941: too old
    assert nenek.enrol is None and "Umur" in nenek.enrol_reason
    with registry.transaction():
        result = apply_plan(registry, Actor("op-test", OFFICE), plan)
    statuses = {
        registry.get("enrolment", e)["person_id"]: registry.get("enrolment", e)["status"]
        for e in result.enrolment_ids
    }
    assert statuses[result.person_ids[5]] == "DRAF"
    assert (result.person_ids[7] in statuses) == (dewi.enrol is not None)
