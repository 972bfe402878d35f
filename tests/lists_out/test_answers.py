"""The bank's answer read back: paid rows become hand-overs by bank transfer, failures and
unknown rows are listed, and reading the same answer again changes nothing."""

from __future__ import annotations

import xlsxwriter

from muba_desk.cli import main
from muba_desk.lists_out.answers import read_answer
from muba_desk.lists_out.bank import make_bank_list
from muba_desk.lists_out.batches import open_lines
from muba_desk.store.db import connect
from tests.lists_out.conftest import nik, office_registry

HEADER = ["No", "NIK", "Nama", "Periode", "Status", "Keterangan", "No. Referensi"]


def _answer(path, rows) -> None:
    """The bank's answer as its own system writes it: a title, then the table; NIK as text."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_string(0, 0, "Laporan hasil transfer BRI Sekayu")
    for col, text in enumerate(HEADER):
        sheet.write_string(2, col, text)
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row):
            sheet.write_string(r, col, str(value))
    book.close()


def _handovers(db):
    return db.conn.execute(
        "SELECT e.id, h.amount, h.confirmed_by, h.period, e.status FROM handover h "
        "JOIN enrolment e ON e.id = h.enrolment_id WHERE h.deleted_at IS NULL ORDER BY e.id"
    ).fetchall()


def test_paid_failed_and_unknown_rows(db, payees, tmp_path):
    make_bank_list(db, program="BANTU_UMAK", period="2026-03", out=tmp_path / "t1.xlsx")
    answer = tmp_path / "jawaban.xlsx"
    _answer(
        answer,
        [
            (1, nik(1, 1), "AHMAD SATU", "2026-03", "BERHASIL", "", "TRX-0001"),
            (2, nik(2, 2), "BUDI DUA", "03/2026", "Berhasil", "", "TRX-0002"),
            (3, nik(3, 3), "CANDRA TIGA", "2026-03", "GAGAL", "Rekening pasif", ""),
            (4, "1606010101700099", "ORANG LAIN", "2026-03", "BERHASIL", "", "TRX-0004"),
            (5, nik(1, 1), "AHMAD SATU", "2026-02", "BERHASIL", "", "TRX-0005"),
        ],
    )
    reg, actor = office_registry(db)
    first = read_answer(reg, actor, answer, kind="bank")
    assert sorted(p["name"] for p in first.paid) == ["Ahmad Satu", "Budi Dua"]
    assert [(f["name"], f["reason"]) for f in first.failed] == [("Candra Tiga", "Rekening pasif")]
    assert sorted(u["row"] for u in first.unknown) == [7, 8]  # unknown NIK, a month not sent
    paid = _handovers(db)
    assert sorted((amount, by, period, status) for _id, amount, by, period, status in paid) == [
        (325_000, "transfer_bank", "2026-03", "AKTIF"),
        (650_000, "transfer_bank", "2026-03", "AKTIF"),
    ]
    assert {e for e, *_ in paid} == {payees["Ahmad Satu"], payees["Budi Dua"]}
    history = db.conn.execute(
        "SELECT reason FROM enrolment_status WHERE enrolment_id = ? AND to_status = 'AKTIF'",
        (payees["Ahmad Satu"],),
    ).fetchall()
    assert len(history) == 1
    failed = open_lines(db, "bank", "gagal")
    assert [(f["name"], f["outcome_reason"]) for f in failed] == [("Candra Tiga", "Rekening pasif")]

    again = read_answer(reg, actor, answer, kind="bank")
    assert (again.changed, again.unchanged, len(again.unknown)) == (0, 3, 2)
    assert _handovers(db) == paid

    # The failed payment goes into the month's next tranche, alone.
    retry = make_bank_list(db, program="BANTU_UMAK", period="2026-03", out=tmp_path / "t2.xlsx")
    assert (retry.batch.tranche, retry.batch.rows, retry.batch.total) == (2, 1, 975_000)
    assert open_lines(db, "bank", "gagal") == []
    second = tmp_path / "jawaban-tahap-2.xlsx"
    _answer(second, [(1, nik(3, 3), "CANDRA TIGA", "2026-03", "BERHASIL", "", "TRX-0101")])
    paid_later = read_answer(reg, actor, second, kind="bank")
    assert [(p["name"], p["amount"]) for p in paid_later.paid] == [("Candra Tiga", 975_000)]
    assert len(_handovers(db)) == 3 and open_lines(db, "bank", None) == []


def test_the_command_reads_a_csv_answer_and_lists_what_needs_follow_up(
    field, payees, tmp_path, capsys
):
    db = connect(field.office_db)
    try:
        make_bank_list(db, program="BANTU_UMAK", period="2026-03", out=tmp_path / "t1.xlsx")
    finally:
        db.close()
    answer = tmp_path / "jawaban.csv"
    answer.write_text(
        "NIK;Status;Keterangan;Referensi\n"
        f"'{nik(1, 1)};SUKSES;;R1\n"
        f"{nik(3, 3)};GAGAL;Nama tidak sesuai;\n"
        "1.60601E+15;SUKSES;;R9\n",
        encoding="utf-8",
    )
    args = ["list", "answer", "--db", str(field.office_db), "--kind", "bank"]
    assert main([*args, "--period", "2026-03", str(answer)]) == 0
    out = capsys.readouterr().out
    assert "3 baris: 1 dibayar" in out and "1 gagal" in out and "1 tidak dikenal" in out
    assert "Nama tidak sesuai" in out and "NIK tersimpan sebagai angka" in out
    assert main([*args, "--period", "2026-03", str(answer)]) == 0
    assert "0 dibayar" in capsys.readouterr().out
    assert main([*args, str(answer)]) == 0  # no period column, none given: nothing matched
    assert "periode tidak terbaca" in capsys.readouterr().out
