"""Rupiah amounts: the printed form, reading it back, and terbilang words for receipts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from muba_desk.domain.money import format_rupiah, parse_rupiah, terbilang


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "Rp 0"),
        (5, "Rp 5"),
        (1000, "Rp 1.000"),
        (325000, "Rp 325.000"),
        (1500000, "Rp 1.500.000"),
        (1000000000000, "Rp 1.000.000.000.000"),
        (-5000, "-Rp 5.000"),
    ],
)
def test_format_rupiah(amount, text):
    assert format_rupiah(amount) == text


def test_format_accepts_whole_floats_and_decimals():
    assert format_rupiah(1500000.0) == "Rp 1.500.000"
    assert format_rupiah(Decimal("2500")) == "Rp 2.500"


@pytest.mark.parametrize("amount", [0.5, 1500000.25, Decimal("10.01"), float("nan"), float("inf")])
def test_format_refuses_fractions(amount):
    with pytest.raises(ValueError):
        format_rupiah(amount)


@pytest.mark.parametrize("amount", ["1500000", None, True])
def test_format_refuses_non_numbers(amount):
    with pytest.raises(TypeError):
        format_rupiah(amount)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("Rp 1.500.000", 1500000),
        ("1500000", 1500000),
        ("1.500.000", 1500000),
        ("Rp1.500.000", 1500000),
        ("Rp. 1.500.000", 1500000),
        ("rp 325.000", 325000),
        ("Rp 1.500.000,-", 1500000),
        ("Rp 1.500.000,00", 1500000),
        ("  Rp 0 ", 0),
        ("-Rp 5.000", -5000),
        ("Rp -5.000", -5000),
    ],
)
def test_parse_rupiah(text, amount):
    assert parse_rupiah(text) == amount


@pytest.mark.parametrize(
    "text", ["abc", "Rp", "1.50.000", "1.5", "1,500,000", "--5", "-Rp -5", "5 ribu"]
)
def test_parse_rupiah_refuses_unreadable_text(text):
    with pytest.raises(ValueError) as caught:
        parse_rupiah(text)
    msg = str(caught.value)
    assert "Jumlah uang" in msg and "tidak dapat dibaca" in msg and text.strip() in msg


def test_parse_rupiah_refuses_cents():
    with pytest.raises(ValueError, match="sen"):
        parse_rupiah("Rp 1.500,50")


def test_parse_rupiah_empty():
    with pytest.raises(ValueError, match="belum diisi"):
        parse_rupiah("  ")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (1999, "seribu sembilan ratus sembilan puluh sembilan"),
        (2000, "dua ribu"),
        (10000, "sepuluh ribu"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (1000000, "satu juta"),
        (1001000, "satu juta seribu"),
        (1500000, "satu juta lima ratus ribu"),
        (5000000, "lima juta"),
        (1000000000, "satu miliar"),
        (1000000000000, "satu triliun"),
        (
            999999999999999,
            "sembilan ratus sembilan puluh sembilan triliun "
            "sembilan ratus sembilan puluh sembilan miliar "
            "sembilan ratus sembilan puluh sembilan juta "
            "sembilan ratus sembilan puluh sembilan ribu "
            "sembilan ratus sembilan puluh sembilan",
        ),
    ],
)
def test_terbilang(amount, words):
    assert terbilang(amount) == f"{words} rupiah"
    assert terbilang(amount, suffix="") == words


def test_terbilang_other_suffix():
    assert terbilang(3, suffix="kali") == "tiga kali"


def test_terbilang_limit():
    with pytest.raises(ValueError, match="triliun"):
        terbilang(1000000000000000)


def test_terbilang_refuses_negative_and_fractions():
    with pytest.raises(ValueError):
        terbilang(-1)
    with pytest.raises(ValueError):
        terbilang(1.5)


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_terbilang_is_single_spaced_lowercase_words(n):
    words = terbilang(n)
    assert "  " not in words and words == words.strip() and words == words.lower()
    assert words.endswith(" rupiah")
    # A lone thousand or hundred is "seribu" / "seratus"; "dua puluh satu ribu" is fine.
    assert re.search(r"(^|juta |miliar |triliun )satu ribu", words) is None
    assert "satu ratus" not in words


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_format_then_parse_round_trip(n):
    assert parse_rupiah(format_rupiah(n)) == n
