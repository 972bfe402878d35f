"""Office sheets show their data; the CLI prints and verifies with the right exit codes."""

import argparse

import pytest

from muba_desk.printing import commands, sheets
from tests.printing.conftest import pdf_text


def test_bertani_sheet_has_three_photos_assessment_and_budget(db, sample, tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "b.pdf"
    sheets.render_bertani_sheet(db, sample.bertani_id, out)
    text = pdf_text(out)
    for expected in ("SEBELUM", "PROSES", "SESUDAH", "Rumbia / daun", "Rp 17.500.000",
                     "tujuh belas juta lima ratus ribu rupiah", "GPS: 43.46"):  # fmt: skip
        assert expected in text
    images = PdfReader(str(out)).pages[0].images
    assert len(images) == 3


def test_kube_list_names_every_member_with_role(db, sample, tmp_path):
    out = tmp_path / "k.pdf"
    sheets.render_kube_list(db, sample.kube_id, out)
    text = pdf_text(out)
    assert "KUBE Karya Bersama" in text and "Rp 20.000.000" in text
    for name in ("Sulaiman", "Yusuf Effendi", "Nurhayati", "Rohani", "Bambang Sutrisno"):
        assert name in text
    assert "Ketua" in text and "Bendahara" in text
    assert "Peternakan" in text and "ternak_kambing" not in text  # labels, not codes


def test_a_code_no_choice_knows_still_prints_as_words():
    from muba_desk.domain.programs.base import BUSINESS_TYPES
    from muba_desk.printing.base import choice_label, relation_label

    assert choice_label(BUSINESS_TYPES, "ternak") == "Peternakan (kambing, sapi, ayam, itik)"
    assert choice_label(BUSINESS_TYPES, "ternak_kambing") == "Ternak kambing"
    assert (relation_label("pasangan"), relation_label(None)) == ("Suami / istri", "-")


def test_bakul_nasi_sheet_has_a_row_per_day_and_the_total(db, sample, tmp_path):
    out = tmp_path / "n.pdf"
    sheets.render_bakul_nasi_sheet(db, sample.bakul_id, out)
    text = pdf_text(out)
    assert "Minggu, 01/03/2026" in text and "Senin, 30/03/2026" in text
    assert "2 x 30 hari = 60 porsi" in text


def _run(argv):
    parser = argparse.ArgumentParser()
    commands.add_arguments(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_cli_prints_a_receipt_and_verifies_its_code(db, sample, db_path, tmp_path, capsys):
    from muba_desk.printing.receipts import build_receipt

    out = tmp_path / "r.pdf"
    argv = ["print", "receipt", "--db", str(db_path), "--handover", sample.handover_cash_id]
    assert _run([*argv, "--out", str(out), "--layout", "80mm"]) == 0
    assert out.exists()
    payload = build_receipt(db, sample.handover_cash_id).payload
    assert _run(["verify", payload, "--db", str(db_path)]) == 0
    assert "Siti Aminah" in capsys.readouterr().out
    assert _run(["verify", payload.replace("|BU|", "|PN|"), "--db", str(db_path)]) == 1
    assert "tidak cocok" in capsys.readouterr().err


def test_cli_unknown_handover_fails_with_a_sentence(db, sample, db_path, tmp_path, capsys):
    argv = ["print", "receipt", "--db", str(db_path), "--handover", "nope"]
    assert _run([*argv, "--out", str(tmp_path / "x.pdf")]) == 1
    assert "tidak ditemukan" in capsys.readouterr().err


@pytest.mark.parametrize("layout", ["a4", "card"])
def test_cli_prints_cards(db, sample, db_path, tmp_path, layout, capsys):
    out = tmp_path / "c.pdf"
    assert (
        _run(["print", "cards", "--db", str(db_path), "--out", str(out), "--layout", layout]) == 0
    )
    assert "3 kartu" in capsys.readouterr().out
