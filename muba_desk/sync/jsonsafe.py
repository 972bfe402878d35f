"""JSON from a bundle, parsed so that no number it holds can crash what later reads it.

Python's json takes `Infinity`, `NaN` and `1e999` (a float that is infinite) and integers of
any size; SQLite stores none of those, and a report or a return bundle that meets one stored
fails long after the import. So every JSON a bundle carries (header, manifest, NDJSON lines,
the return bundle's lists) is parsed here: a non-finite number, an integer outside SQLite's
64 bits, a float where the caller allows none and nesting deeper than the interpreter's
recursion limit are refused while parsing, as `UnsafeJSON` (a ValueError, so a caller that
already refuses a broken JSON refuses these too).
"""

from __future__ import annotations

import json
import math

from muba_desk.i18n import _

INT_MIN, INT_MAX = -(2**63), 2**63 - 1
# "-9223372036854775808": a longer digit string is refused before int() reads it (int() of a
# few thousand digits is slow, and of more than 4,300 raises anyway).
MAX_INT_CHARS = 20
_WHITESPACE = " \t\n\r"


class UnsafeJSON(ValueError):
    """A JSON text refused for one of its values; `reason` is an Indonesian phrase."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _shown(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}…({len(text)} digit)"


def _constant(text: str):
    raise UnsafeJSON(_("nilai {value} bukan angka yang dapat disimpan").format(value=text))


def _int(text: str) -> int:
    if len(text) > MAX_INT_CHARS:
        raise UnsafeJSON(_("angka {value} terlalu besar").format(value=_shown(text)))
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise UnsafeJSON(_("angka {value} terlalu besar").format(value=_shown(text)))
    return value


def _no_float(text: str) -> float:
    raise UnsafeJSON(_("angka pecahan {value} tidak diharapkan di sini").format(value=_shown(text)))


class Parser:
    """One JSON value a call, with the checks above. With `floats`, finite floats are taken
    and counted in `self.floats`, for a caller that allows them in some places only (a
    row's REAL columns) to look for them only in a line that had one."""

    def __init__(self, *, floats: bool = False):
        self.floats = 0
        self._decode = json.JSONDecoder(
            parse_constant=_constant,
            parse_int=_int,
            parse_float=self._float if floats else _no_float,
        ).raw_decode

    def _float(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):  # 1e999 reads as inf
            raise UnsafeJSON(_("angka {value} tidak terhingga").format(value=_shown(text)))
        self.floats += 1
        return value

    def parse(self, text: str):
        """The one JSON value `text` holds (JSON whitespace around it allowed); ValueError if
        there is anything else. Written for the common case, a line that is just the value."""
        try:
            value, end = self._decode(text)
        except RecursionError:
            raise UnsafeJSON(_("susunan data bersarang terlalu dalam")) from None
        except UnsafeJSON:
            raise
        except ValueError:
            stripped = text.lstrip(_WHITESPACE)
            if stripped is text:
                raise
            return self.parse(stripped)
        if end != len(text) and text[end:].strip(_WHITESPACE):
            raise ValueError("extra data after the JSON value")
        return value


def loads(data: bytes | str, *, floats: bool = False):
    """`json.loads` with the checks above; UnicodeDecodeError and ValueError as json's."""
    text = data if isinstance(data, str) else bytes(data).decode("utf-8")
    return Parser(floats=floats).parse(text)


def real_columns(conn, table: str) -> frozenset[str]:
    """The columns of `table` declared REAL: the only ones a bundle's row may give a float."""
    return frozenset(c[1] for c in conn.execute(f"PRAGMA table_info({table})") if c[2] == "REAL")
