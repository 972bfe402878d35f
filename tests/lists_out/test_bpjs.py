"""The monthly BPJS Ketenagakerjaan roster, its changes since the last month, and BPJS's
answer (member numbers, refusals)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from muba_desk.cli import main
from muba_desk.core import operations
from muba_desk.errors import UserError
from muba_desk.lists_out.answers import read_answer
from muba_desk.lists_out.bpjs import make_roster
from muba_desk.store.db import connect
from muba_desk.store.records import reference
from tests.lists_out.conftest import nik, office_registry, register


def _rows(path):
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "No")
    header = rows[header_at]
    body = [dict(zip(header, r, strict=True)) for r in rows[header_at + 1 : -1]]
    return body, dict(zip(header, rows[-1], strict=True))


def test_first_month_then_changes_with_reasons_and_the_premium_total(
    field, workers, tmp_path, capsys
):
    march = tmp_path / "bpjs-2026-03.xlsx"
    args = ["list", "bpjs", "--db", str(field.office_db)]
    assert main([*args, "--period", "2026-03", "--rate", "17000", "--out", str(march)]) == 0
    assert "3 baru, 0 lanjut, 0 berhenti (daftar pertama)" in capsys.readouterr().out
    body, total = _rows(march)
    assert {r["Mutasi"] for r in body} == {"Baru"}
    assert all(isinstance(r["NIK"], str) and len(r["NIK"]) == 16 for r in body)
    assert total["Iuran (Rp)"] == 3 * 17_000
    db = connect(field.office_db)
    try:
        assert reference(db)["PAKE_KELAMBU.premium_month"] == 17_000
        reg, actor = office_registry(db)
        with reg.transaction():  # found to be a duplicate before any aid: withdrawn
            operations.decide(reg, actor, workers["Fajar Lima"], False, "Data ganda")
    finally:
        db.close()
    register(field, [("PAKE_KELAMBU", "Hasan Tujuh", 8, {})])

    april = tmp_path / "bpjs-2026-04.xlsx"
    assert main([*args, "--period", "2026-04", "--out", str(april)]) == 0
    assert "1 baru, 2 lanjut, 1 berhenti (dibanding 2026-03)" in capsys.readouterr().out
    body, total = _rows(april)
    change = {r["Nama Lengkap"]: (r["Mutasi"], r["Alasan Berhenti"]) for r in body}
    assert change == {
        "Eko Empat": ("Lanjut", None),
        "Gani Enam": ("Lanjut", None),
        "Hasan Tujuh": ("Baru", None),
        "Fajar Lima": ("Berhenti", "Ditolak: Data ganda"),
    }
    assert total["Iuran (Rp)"] == 3 * 17_000  # the stopped worker is not paid for
    db = connect(field.office_db)
    try:
        stored = db.conn.execute(
            "SELECT period, rows, total FROM payout_batch WHERE kind = 'bpjs' ORDER BY period"
        ).fetchall()
        with pytest.raises(UserError, match="sudah dibuat"):
            make_roster(db, period="2026-04", out=tmp_path / "again.xlsx")
    finally:
        db.close()
    assert stored == [("2026-03", 3, 51_000), ("2026-04", 4, 51_000)]


def test_member_numbers_and_refusals_come_back_once(db, workers, tmp_path):
    make_roster(db, period="2026-03", out=tmp_path / "bpjs.xlsx")
    answer = tmp_path / "jawaban-bpjs.csv"
    answer.write_text(
        "NIK,Bulan Iuran,Status,No. KPJ,Keterangan\n"
        f"{nik(5, 1)},2026-03,TERDAFTAR,26031234567,\n"
        f"{nik(6, 2)},2026-03,DITOLAK,,Sudah terdaftar sebagai peserta penerima upah\n",
        encoding="utf-8",
    )
    reg, actor = office_registry(db)
    first = read_answer(reg, actor, answer, kind="bpjs")
    assert [r["member_number"] for r in first.registered] == ["26031234567"]
    assert [(r["name"], r["reason"]) for r in first.refused] == [
        ("Fajar Lima", "Sudah terdaftar sebagai peserta penerima upah")
    ]
    (data,) = db.conn.execute(
        "SELECT data FROM enrolment WHERE id = ?", (workers["Eko Empat"],)
    ).fetchone()
    assert json.loads(data)["bpjs_number"] == "26031234567"
    revs = db.conn.execute("SELECT id, rev FROM enrolment ORDER BY id").fetchall()
    again = read_answer(reg, actor, answer, kind="bpjs")
    assert (again.changed, again.unchanged) == (0, 2)
    assert db.conn.execute("SELECT id, rev FROM enrolment ORDER BY id").fetchall() == revs
    # The next roster carries the member number; the refused worker is not listed as a member.
    make_roster(db, period="2026-04", out=tmp_path / "april.xlsx")
    body, _total = _rows(tmp_path / "april.xlsx")
    numbers = {r["Nama Lengkap"]: (r["No. KPJ"], r["Mutasi"]) for r in body}
    assert numbers["Eko Empat"] == ("26031234567", "Lanjut")
    assert numbers["Fajar Lima"] == (None, "Baru")
