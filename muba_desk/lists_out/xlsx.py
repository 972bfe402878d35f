"""Shared XLSX writing on XlsxWriter, for every spreadsheet the office hands on.

Used by the SK attachment (`lists_out/sk_xlsx.py`), the office report (`reports/xlsx.py`)
and, for helper `payouts`, the bank and BPJS lists: call `open_workbook(path, title)` (a
context manager; constant-memory mode, the file appears only when complete), `styles(book)`,
then per sheet `add_sheet(book, name)`, `write_header(sheet, row, columns, styles,
widths=...)` (bold, frozen below), `write_id(sheet, row, col, value, styles)` for NIK, KK,
account and member numbers (text cells: Excel keeps only 15 significant digits of a
number), `write_rupiah(...)`, `write_text(...)`. Constant-memory mode writes rows in order:
write each sheet's rows top to bottom.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

MAX_WIDTH = 60
# XML 1.0 forbids most control characters; a stray one from a laptop must not reach the file
# (XlsxWriter would write it as an escape the reader shows as "_x0007_").
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
RUPIAH_FORMAT = '"Rp "#,##0'
# Text typed by people is never a formula, a number or a link when written (a name starting
# with "=" stays a name; a NIK stays 16 digits).
OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}


@dataclass(frozen=True)
class Styles:
    header: object
    text: object
    id_text: object
    number: object
    decimal: object
    rupiah: object
    total_label: object
    total_number: object
    total_rupiah: object
    title: object


def styles(book: Workbook) -> Styles:
    """The formats every list shares; the header's bold format is the book's first (index 1)."""
    header = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    return Styles(
        header=header,
        text=None,
        id_text=book.add_format({"num_format": "@"}),
        number=book.add_format({"num_format": 3}),  # built-in "#,##0"
        decimal=book.add_format({"num_format": 4}),  # built-in "#,##0.00"
        rupiah=book.add_format({"num_format": RUPIAH_FORMAT}),
        total_label=book.add_format({"bold": True, "top": 1}),
        total_number=book.add_format({"bold": True, "top": 1, "num_format": 3}),
        total_rupiah=book.add_format({"bold": True, "top": 1, "num_format": RUPIAH_FORMAT}),
        title=book.add_format({"bold": True, "font_size": 12}),
    )


def clean(text: str) -> str:
    """Text as a cell holds it: control characters (illegal in XML) removed."""
    return ILLEGAL.sub("", text) if ILLEGAL.search(text) else text


@contextmanager
def open_workbook(path, title: str) -> Iterator[Workbook]:
    """A constant-memory workbook written to a temporary file beside `path`, which replaces
    `path` only once closed without error: a half-written list never appears."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".muba-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    # XlsxWriter keeps each sheet's rows in a file of its own until it closes the book; in a
    # folder of ours they go with it when the work stops early (Cancel, a failure).
    rows_dir = tempfile.mkdtemp(prefix=".muba-", dir=path.parent)
    book = None
    try:
        book = xlsxwriter.Workbook(temporary, {**OPTIONS, "tmpdir": rows_dir})
        book.set_properties({"title": clean(title), "author": "muba-desk"})
        yield book
        book.close()
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a list is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        for sheet in book.worksheets() if book is not None else ():
            with contextlib.suppress(OSError, AttributeError):
                sheet.row_data_fh.close()  # Windows removes no open file
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(rows_dir, ignore_errors=True)


def sheet_names(names: Sequence[str]) -> list[str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    out: list[str] = []
    for wanted in names:
        base = _SHEET_FORBIDDEN.sub("-", wanted).strip("'")[:31] or "Sheet"
        name, n = base, 2
        while name.lower() in (x.lower() for x in out):
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        out.append(name)
    return out


def add_sheet(book: Workbook, name: str) -> Worksheet:
    return book.add_worksheet(name)


def column_widths(columns: Sequence[str], sample_rows: Sequence[Sequence]) -> list[float]:
    """A width per column from the header and some rows (numbers as shown with separators)."""
    widths = []
    for c, name in enumerate(columns):
        values = [name, *(row[c] for row in sample_rows if c < len(row))]
        longest = max(
            (
                len(f"{v:,}" if isinstance(v, int | float) else str(v))
                for v in values
                if v is not None
            ),
            default=8,
        )
        widths.append(min(MAX_WIDTH, max(8, longest + 2)))
    return widths


def write_header(
    sheet: Worksheet,
    row: int,
    columns: Sequence[str],
    st: Styles,
    *,
    widths: Sequence[float] | None = None,
) -> None:
    """The header row in bold, frozen: the rows below it scroll under it. Column widths are
    set here (constant-memory mode needs them before the first row)."""
    for c, width in enumerate(widths or [14] * len(columns)):
        sheet.set_column(c, c, width)
    for c, name in enumerate(columns):
        sheet.write_string(row, c, clean(name), st.header)
    sheet.freeze_panes(row + 1, 0)


def write_id(sheet: Worksheet, row: int, col: int, value: str | None, st: Styles) -> None:
    """An identity or account number as a text cell (all its digits kept); empty stays empty."""
    if value:
        sheet.write_string(row, col, value, st.id_text)


def write_text(sheet: Worksheet, row: int, col: int, value, st: Styles) -> None:
    if value is not None and value != "":
        sheet.write_string(row, col, clean(str(value)))


def write_rupiah(sheet: Worksheet, row: int, col: int, amount: int | None, st: Styles) -> None:
    if amount is not None:
        sheet.write_number(row, col, amount, st.rupiah)


def write_value(sheet: Worksheet, row: int, col: int, value, st: Styles, fmt=None) -> None:
    """A plain value: numbers as numbers (thousands format), anything else as text."""
    if value is None:
        return
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        if fmt is None:
            fmt = st.number if isinstance(value, int) or value.is_integer() else st.decimal
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, clean(str(value)), fmt)
