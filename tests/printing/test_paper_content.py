"""What the longest documents say: who signs for a group or an institution, cash and goods on
one receipt, an orphanage's portions over one delivery period, labels instead of codes."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from tests.printing import longest
from tests.printing.conftest import pdf_text


def _words(pdf) -> str:
    return " ".join(pdf_text(pdf).split())


def test_a_group_receipt_is_signed_by_its_chair_and_treasurer(documents):
    row = documents["rows"]["kube"]
    assert row["signatories"] == [
        ("Ketua kelompok,", longest.long_name(1)),
        ("Bendahara kelompok,", longest.long_name(3)),
    ]
    for layout, copies in (("a4", 2), ("a5", 1), ("58mm", 1), ("80mm", 1)):
        text = _words(documents[f"receipt-kube-{layout}"])
        assert "ketua kelompok" in text.lower() and "bendahara kelompok" in text.lower()
        # The group's name is the recipient, once a copy, and signs nothing.
        assert text.count("KUBE Muhammad Rizki") == copies


def test_an_institution_receipt_is_signed_by_its_head(documents):
    row = documents["rows"]["bakul_institution"]
    assert row["signatories"] == [("Kepala lembaga,", longest.long_name(50))]
    assert "Kepala lembaga," in _words(documents["receipt-bakul_institution-a4"])
    assert "kepala lembaga" in _words(documents["receipt-bakul_institution-58mm"]).lower()


@pytest.mark.parametrize("layout", ["a4", "a5", "58mm", "80mm"])
def test_a_bertani_stage_of_cash_and_materials_prints_both(documents, layout):
    text = _words(documents[f"receipt-bertani-{layout}"])
    assert "Rp 49.999.999" in text
    assert "empat puluh sembilan juta" in text.lower()
    for number, item in enumerate(longest.goods(8), start=1):
        assert f"{number}. {item['quantity']:,}".replace(",", ".") in text


@pytest.mark.parametrize(("layout", "copies"), [("a4", 2), ("a5", 1)])
def test_every_goods_line_of_a_30_item_receipt_is_printed_once_per_copy(documents, layout, copies):
    text = _words(documents[f"receipt-goods30-{layout}"])
    for number in range(1, 31):
        assert len(re.findall(rf"\b{number}\. [\d.]+ \w+ ", text)) == copies
    if layout == "a5":  # half an A4 holds fewer lines: the list continues on the next page
        assert "(lanjutan, halaman 2)" in text


def test_an_orphanage_sheet_counts_its_children_over_one_delivery_period(documents):
    text = _words(documents["bakul_july"])
    assert "Periode pengantaran 01/07/2026 s.d. 31/07/2026" in text
    assert "3 x 60 anak x 31 hari = 5.580 porsi" in text
    assert "Masa bantuan 01/01/2026 s.d. 31/12/2026" in text
    assert "Jumat, 31/07/2026 180" in text and "01/08/2026" not in text
    assert "Jumlah 5.580" in text
    # The receipt of that period says the same number of portions.
    assert "5.580 porsi Makanan siap santap" in _words(documents["receipt-bakul_institution-a4"])


def test_no_code_on_any_document(documents):
    """Stored codes (words joined by "_") never reach paper: each is printed as its label."""
    for name, pdf in documents.items():
        if name == "rows":
            continue
        with pdfplumber.open(pdf) as opened:
            for page in opened.pages:
                codes = [
                    w["text"] for w in page.extract_words() if re.search(r"[a-z]_[a-z]", w["text"])
                ]
                assert codes == [], name


def test_nothing_at_the_rules_limits_is_cut(documents):
    """Values at the rules' limits fit by shrinking and wrapping alone: the ellipsis, the
    last resort for data older than the rules, appears on no document."""
    for name, pdf in documents.items():
        if name != "rows":
            assert "\u2026" not in pdf_text(pdf), name
