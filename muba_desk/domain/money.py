"""Whole-rupiah amounts: shown as "Rp 1.500.000", read back from text, and written in words."""

from __future__ import annotations

import math
import re
from decimal import Decimal

_LIMIT = 10**15  # terbilang stops below 1000 triliun, well above any budget line
_UNITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu"))

# "Rp", "Rp." or nothing, then digits either plain or grouped by dots in threes, then an
# optional ",-" or ",00" as receipts write it.
_AMOUNT = re.compile(
    r"(?P<sign>-)?\s*(?:rp\.?\s*)?(?P<sign2>-)?\s*"
    r"(?P<digits>\d{1,3}(?:\.\d{3})+|\d+)"
    r"(?:,(?:-|(?P<cents>\d+)))?",
    re.IGNORECASE,
)


def _whole(amount: int | float | Decimal) -> int:
    """The amount as an int; ValueError for fractions, since the office pays whole rupiah."""
    if isinstance(amount, bool):
        raise TypeError("an amount of money cannot be a bool")
    if isinstance(amount, int):
        return amount
    if isinstance(amount, float | Decimal):
        if not math.isfinite(amount) or amount != int(amount):
            raise ValueError(f"Jumlah uang harus rupiah utuh, bukan {amount}.")
        return int(amount)
    raise TypeError(f"not an amount of money: {amount!r}")


def format_rupiah(amount: int) -> str:
    """1500000 -> "Rp 1.500.000"; -5000 -> "-Rp 5.000"."""
    n = _whole(amount)
    grouped = f"{abs(n):,}".replace(",", ".")
    return f"{'-' if n < 0 else ''}Rp {grouped}"


def parse_rupiah(text: str) -> int:
    """Read "Rp 1.500.000", "1.500.000", "1500000" or "Rp 1.500.000,-"; ValueError if unreadable."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValueError("Jumlah uang belum diisi.")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None or (match["sign"] and match["sign2"]):
        raise ValueError(
            f'Jumlah uang "{cleaned}" tidak dapat dibaca; '
            "tulis angka rupiah, misalnya Rp 1.500.000."
        )
    if match["cents"] and int(match["cents"]) != 0:
        raise ValueError(f'Jumlah uang "{cleaned}" memuat sen; tulis rupiah utuh tanpa sen.')
    value = int(match["digits"].replace(".", ""))
    return -value if match["sign"] or match["sign2"] else value


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_UNITS[hundreds], "ratus"]
    tens, units = divmod(rest, 10)
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif tens == 1:
        words += [_UNITS[units], "belas"]
    else:
        if tens:
            words += [_UNITS[tens], "puluh"]
        if units:
            words.append(_UNITS[units])
    return words


def terbilang(amount: int, *, suffix: str = "rupiah") -> str:
    """The amount in lowercase Indonesian words as receipts write it: 1500000 ->
    "satu juta lima ratus ribu rupiah". ValueError when negative or 1000 triliun or more."""
    n = _whole(amount)
    if n < 0:
        raise ValueError(f"Terbilang hanya untuk jumlah yang tidak negatif, bukan {n}.")
    if n >= _LIMIT:
        raise ValueError(f"Terbilang hanya sampai di bawah 1000 triliun, bukan {n}.")
    words: list[str] = [] if n else ["nol"]
    for scale, name in _SCALES:
        count, n = divmod(n, scale)
        if count == 1 and name == "ribu":
            words.append("seribu")  # "seribu", but "satu juta", "satu miliar", "satu triliun"
        elif count:
            words += [*_below_thousand(count), name]
    words += _below_thousand(n)
    if suffix.strip():
        words.append(suffix.strip())
    return " ".join(words)
