"""The file handed back to the clerk: every refused or warned row with its original cells and a
reason column in Indonesian, to fix and import again. NIK and KK columns are written as text
cells, so opening and saving the file in Excel does not cut them to 15 digits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

from muba_desk.i18n import _
from muba_desk.lists.mapping import header_key

_IDENTITY_KEYS = ("nik", "kk", "no kk", "nomor kk", "nomor nik", "no nik", "nkk", "kartu keluarga")


def _identity_column(header: str) -> bool:
    key = header_key(header)
    return any(key == k or key.startswith(k + " ") or key.endswith(" " + k) for k in _IDENTITY_KEYS)


def write_errors(path, sheet, rows: Iterable[tuple[int, list, str]], *, text_columns=()) -> Path:
    """Write `rows` ((row number in the file, original cells, reason)) under `sheet`'s headers,
    with "Baris" (the row in the original file) first and "Alasan" last. Columns whose header
    names a NIK or KK, and those in `text_columns` (indexes), are text cells."""
    import xlsxwriter

    path = Path(path)
    as_text = {i for i, h in enumerate(sheet.headers) if _identity_column(h)} | set(text_columns)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    try:
        bold = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1})
        text = book.add_format({"num_format": "@"})
        day = book.add_format({"num_format": "dd/mm/yyyy"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        page = book.add_worksheet(_("Perlu diperbaiki"))
        headers = [_("Baris"), *sheet.headers, _("Alasan")]
        for col, title in enumerate(headers):
            page.write_string(0, col, title or "", bold)
        for col in as_text:
            page.set_column(col + 1, col + 1, 20, text)
        page.set_column(len(headers) - 1, len(headers) - 1, 80, wrap)
        page.freeze_panes(1, 0)
        for r, (number, cells, reason) in enumerate(rows, start=1):
            page.write_number(r, 0, number)
            for c, value in enumerate(cells, start=1):
                _write(page, r, c, value, text if (c - 1) in as_text else None, day)
            page.write_string(r, len(headers) - 1, reason, wrap)
    finally:
        book.close()
    return path


def _write(page, row: int, col: int, value, text_format, day_format) -> None:
    if value is None:
        return
    if text_format is not None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        page.write_string(row, col, str(value), text_format)
    elif isinstance(value, datetime | date):
        page.write_datetime(row, col, value, day_format)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        page.write_number(row, col, value)
    else:
        page.write_string(row, col, str(value))
