"""The report as XLSX on XlsxWriter: one sheet per table, numbers stored as numbers, a bold
frozen header, column widths and a thousands format (`lists_out/xlsx.py` holds what every
spreadsheet of the office shares)."""

from __future__ import annotations

from pathlib import Path

from muba_desk.lists_out.xlsx import (
    column_widths,
    open_workbook,
    styles,
    write_header,
    write_value,
)
from muba_desk.lists_out.xlsx import sheet_names as _names
from muba_desk.progress import Progress, SilentProgress
from muba_desk.reports.figures import Table

# Rows written between two looks at Cancel: often enough to stop within a second.
ROWS_PER_CHECK = 2000


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_names(tables: list[Table]) -> list[str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    return _names([t.name for t in tables])


def write_xlsx(
    tables: list[Table],
    path,
    *,
    title: str = "Laporan muba-desk",
    progress: Progress | None = None,
) -> Path:
    """Write `tables` to `path` (replaced atomically, so a half-written file never appears).
    `progress` is told each sheet and every ROWS_PER_CHECK rows; a Cancel there leaves `path`
    as it was and no temporary file behind."""
    progress = progress or SilentProgress()
    path = Path(path)
    total, done = sum(len(t.rows) for t in tables) + 1, 0
    with open_workbook(path, title) as book:
        st = styles(book)
        for name, table in zip(sheet_names(tables), tables, strict=True):
            progress.update(done, total, name)
            sheet = book.add_worksheet(name)
            widths = column_widths(table.columns, table.rows)
            write_header(sheet, 0, table.columns, st, widths=widths)
            for r, row in enumerate(table.rows, start=1):
                for c, value in enumerate(row):
                    write_value(sheet, r, c, value, st)
                if r % ROWS_PER_CHECK == 0:
                    progress.update(done + r, total, name)
            done += len(table.rows)
        progress.update(done, total, "")  # the last look before the file takes its name
    return path
