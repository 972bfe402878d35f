"""The bank payment list: who is in it, what it says, and how tranches are numbered."""

from __future__ import annotations

import json

import openpyxl
import pytest

from muba_desk.cli import main
from muba_desk.domain.status import InvalidTransition, Side
from muba_desk.errors import UserError
from muba_desk.lists_out.bank import make_bank_list
from muba_desk.lists_out.layouts import LayoutError, load_layout
from muba_desk.office.decisions import set_budget_year
from muba_desk.paths import resource
from muba_desk.progress import Cancelled, Progress
from muba_desk.store.db import connect
from muba_desk.store.records import acting_side


def _sheet(path):
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "No")
    return rows[header_at], rows[header_at + 1 :]


def test_the_list_holds_the_approved_bank_payees_with_text_numbers_and_a_true_total(
    field, payees, tmp_path
):
    out = tmp_path / "bri-2026-03-t1.xlsx"
    assert main(["list", "bank", "--db", str(field.office_db), "--program", "BANTU_UMAK",
                 "--period", "2026-03", "--out", str(out)]) == 0  # fmt: skip
    header, rows = _sheet(out)
    body, total = rows[:-1], rows[-1]
    at = {name: i for i, name in enumerate(header)}
    assert sorted(r[at["Nama Penerima"]] for r in body) == ["Ahmad Satu", "Budi Dua", "Candra Tiga"]
    for r in body:
        assert isinstance(r[at["NIK"]], str) and len(r[at["NIK"]]) == 16
        assert isinstance(r[at["No. Rekening"]], str) and r[at["No. Rekening"]].isdigit()
    account = {r[at["Nama Penerima"]]: r[at["No. Rekening"]] for r in body}
    assert account["Ahmad Satu"] == "001201000111501"  # separators gone, leading zeros kept
    amounts = {r[at["Nama Penerima"]]: r[at["Nominal (Rp)"]] for r in body}
    assert amounts == {"Ahmad Satu": 325_000, "Budi Dua": 650_000, "Candra Tiga": 975_000}
    assert total[at["Nominal (Rp)"]] == 1_950_000
    db = connect(field.office_db)
    try:
        (sent,) = db.conn.execute("SELECT sum(amount) FROM payout_line").fetchone()
        batch = db.conn.execute("SELECT tranche, rows, total FROM payout_batch").fetchone()
    finally:
        db.close()
    assert sent == total[at["Nominal (Rp)"]] and batch == (1, 3, 1_950_000)


def test_a_second_tranche_holds_nobody_already_listed_and_numbers_never_repeat(
    db, payees, tmp_path
):
    first = make_bank_list(db, program="BANTU_UMAK", period="2026-03", out=tmp_path / "t1.xlsx")
    assert first.batch.tranche == 1
    assert [why for _n, _k, why in first.skipped] == ["dibayar tunai"]
    with pytest.raises(UserError, match="Tidak ada penerima"):
        make_bank_list(db, program="BANTU_UMAK", period="2026-03", out=tmp_path / "t2.xlsx")
    assert not (tmp_path / "t2.xlsx").exists()
    with pytest.raises(UserError, match="Tahap 1 periode 2026-03 sudah dibuat"):
        make_bank_list(
            db, program="BANTU_UMAK", period="2026-03", tranche=1, out=tmp_path / "again.xlsx"
        )
    april = make_bank_list(db, program="BANTU_UMAK", period="2026-04", out=tmp_path / "a.xlsx")
    assert (april.batch.tranche, april.batch.rows) == (1, 3)  # a new month pays again


def test_a_csv_layout_keeps_nik_and_accounts_as_written(db, payees, tmp_path):
    layout = json.loads(resource("lists_out", "bank_bri.json").read_text())
    layout["file_type"] = "csv"
    path = tmp_path / "bri_csv.json"
    path.write_text(json.dumps(layout))
    out = tmp_path / "bri.csv"
    made = make_bank_list(
        db, program="BANTU_UMAK", period="2026-05", out=out, layout=load_layout(path, "bank")
    )
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(";")[:4] == ["No", "No. Rekening", "Nama Pemilik Rekening", "NIK"]
    assert len(lines) == 1 + made.batch.rows
    assert any(line.split(";")[1] == "001201000111501" for line in lines[1:])
    assert sum(int(line.split(";")[-1]) for line in lines[1:]) == made.batch.total


def test_a_broken_layout_is_refused_naming_its_key(tmp_path):
    layout = json.loads(resource("lists_out", "bank_bri.json").read_text())
    layout["columns"][1]["field"] = "saldo"
    path = tmp_path / "rusak.json"
    path.write_text(json.dumps(layout))
    with pytest.raises(LayoutError, match=r"“rusak.json”, kunci “columns\[2\].field”"):
        load_layout(path, "bank")
    layout = json.loads(resource("lists_out", "bank_bri.json").read_text())
    layout["file_type"] = "pdf"
    path.write_text(json.dumps(layout))
    with pytest.raises(LayoutError, match="kunci “file_type”: harus “xlsx” atau “csv”"):
        load_layout(path, "bank")


def test_the_command_says_what_is_wrong_in_one_line(field, payees, tmp_path, capsys):
    args = ["list", "bank", "--db", str(field.office_db), "--out", str(tmp_path / "x.xlsx")]
    assert main([*args, "--program", "BANTU_UMAK", "--period", "2026-13"]) == 1
    assert "Periode harus berbentuk TTTT-BB" in capsys.readouterr().err
    assert main([*args, "--program", "PEDAS_NIA", "--period", "2026-03"]) == 1
    err = capsys.readouterr().err
    assert "tidak dibayar lewat bank" in err and len(err.strip().splitlines()) == 1


def test_a_cancelled_list_leaves_no_file_and_no_record(db, payees, tmp_path):
    progress = Progress()
    progress.cancel()
    out = tmp_path / "batal.xlsx"
    with pytest.raises(Cancelled):
        make_bank_list(db, program="BANTU_UMAK", period="2026-03", out=out, progress=progress)
    assert not out.exists()
    assert db.conn.execute("SELECT count(*) FROM payout_batch").fetchone() == (0,)
    made = make_bank_list(db, program="BANTU_UMAK", period="2026-03", out=out)
    assert made.batch.tranche == 1  # the number was not used up


def test_only_the_office_records_a_bank_transfer(field):
    def as_transfer(reg):
        return acting_side(reg, Side.TRANSFER)

    with pytest.raises(InvalidTransition, match="milik laptop"):
        field.on_laptop(as_transfer)


def test_the_budget_years_amount_applies_to_its_months(db, registry, payees, tmp_path):
    set_budget_year(registry, 2027, {"BANTU_UMAK": {"amount_per_person_month": 350_000}})
    made = make_bank_list(db, program="BANTU_UMAK", period="2027-01", out=tmp_path / "b.xlsx")
    assert made.batch.total == (1 + 2 + 3) * 350_000
    earlier = make_bank_list(db, program="BANTU_UMAK", period="2026-12", out=tmp_path / "a.xlsx")
    assert earlier.batch.total == (1 + 2 + 3) * 325_000
