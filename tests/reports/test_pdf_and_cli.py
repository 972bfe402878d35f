import argparse

import pypdf
import pytest

from muba_desk.reports.commands import add_arguments
from muba_desk.reports.figures import compute
from muba_desk.reports.pdf import totals, write_pdf


def _text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def test_pdf_has_letterhead_charts_and_totals(db, small, tmp_path):
    figures = compute(db)
    path = write_pdf(figures, tmp_path / "bupati.pdf", address="Jl. Kolonel Wahid Udin")
    text = _text(path)
    for expected in (
        "PEMERINTAH KABUPATEN MUSI BANYUASIN",
        "LAPORAN PROGRAM BANTUAN SOSIAL",
        "Pendaftaran dan persetujuan per program",
        "Uang diserahkan per kecamatan (juta Rp)",
        "Perkembangan per bulan",
        "Rumah Bertani menurut tahap",
        "Rp 21.625.000",
    ):
        assert expected in text, expected
    assert totals(figures)["Uang diserahkan"] == 21_625_000


def _run(argv) -> int:
    parser = argparse.ArgumentParser()
    add_arguments(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_report_command(db, db_path, small, tmp_path, capsys):
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    assert _run(["report", "--db", str(db_path), "--out", str(xlsx)]) == 0
    assert xlsx.exists()
    assert (
        _run(
            [
                "report",
                "--db",
                str(db_path),
                "--out",
                str(pdf),
                "--year",
                "2026",
                "--program",
                "bantu_umak",
            ]
        )
        == 0
    )
    assert "Tahun 2026, Bantu Umak" in _text(pdf)
    assert _run(["report", "--db", str(db_path), "--out", str(tmp_path / "r.csv")]) == 2
    assert _run(["report", "--db", str(db_path), "--out", str(xlsx), "--program", "X"]) == 2
    assert _run(["report", "--db", str(tmp_path / "none.db"), "--out", str(xlsx)]) == 1
    assert not (tmp_path / "none.db").exists()
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert _run(["report", "--db", str(db_path), "--out", str(blocked / "r.xlsx")]) == 1
    err = capsys.readouterr().err
    assert "tidak dikenal" in err and "tidak ditemukan" in err and "tidak dapat ditulis" in err
    with pytest.raises(SystemExit) as usage:
        _run(["report", "--db", str(db_path)])
    assert usage.value.code == 2


def test_table_headers_wrap_between_words_never_inside_one(tmp_path):
    from datetime import date

    import pdfplumber

    from muba_desk.demo import create_demo
    from muba_desk.reports.figures import MEASURES
    from muba_desk.store.db import connect

    db = connect(tmp_path / "office.db")
    try:
        create_demo(db, people=1500, seed=4, today=date(2026, 3, 15))
        figures = compute(db)
    finally:
        db.close()
    path = write_pdf(figures, tmp_path / "bupati.pdf", address="Jl. Kolonel Wahid Udin")
    with pdfplumber.open(path) as pdf:
        words = {w["text"] for page in pdf.pages for w in page.extract_words()}
    label_words = {word for _key, label in MEASURES for word in label.split()}
    assert label_words <= words
    # No header broken inside a word ("Terdafta" / "r") in any table.
    pieces = {word[:k] for word in label_words for k in range(2, len(word))}
    assert not words & (pieces - label_words), sorted(words & pieces)
