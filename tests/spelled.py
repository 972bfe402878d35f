"""Numbers in test names spelled as words: a person's name holds letters, never digits
(`muba_desk.core.rules`), so "Warga 12" is written "Warga Dua Belas"."""

import re

from muba_desk.domain.money import terbilang

_DIGITS = re.compile(r"[0-9]+")


def spelled(value) -> str:
    """`value` (a number, or text with numbers in it) with each number in Indonesian words."""
    words = _DIGITS.sub(lambda m: f" {terbilang(int(m.group()), suffix='').title()} ", str(value))
    return " ".join(words.split())


def letters(n: int) -> str:
    """`n` as a short capitalised word of letters (0 -> "A", 27 -> "Bb"), for names made in
    bulk where spelled numbers would be too long."""
    text = ""
    while True:
        n, digit = divmod(n, 26)
        text = chr(97 + digit) + text
        if n == 0:
            return text.capitalize()
