"""Write a list's rows in a layout's shape: XLSX (XlsxWriter, constant memory: rows go out in
order and are not kept) or CSV. Identity and account numbers are text cells, so Excel never
turns a NIK into 1.60601E+15; amounts are whole-rupiah numbers with the layout's format. The
XLSX ends with a total row under the money column; a CSV holds the rows only (the bank's
system reads every line as a payment), and the command says its total.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.lists_out.layouts import DATE, MONEY, NUMBER, Layout


def cell_text(layout: Layout, kind: str, value) -> str:
    if value is None:
        return ""
    if kind == DATE:
        return layout.format_date(value)
    return str(value)


def write_rows(path: Path, layout: Layout, rows: Iterable[dict], title: str) -> None:
    """`rows` (dicts keyed by the layout's fields) into `path`, as the layout's file type."""
    path = Path(path)
    if path.suffix.lower() != layout.suffix:
        raise UserError(
            _("Tata letak “{layout}” menulis berkas {suffix}: beri nama “{name}”.").format(
                layout=layout.source, suffix=layout.suffix, name=path.stem + layout.suffix
            )
        )
    try:
        if layout.file_type == "csv":
            _write_csv(path, layout, rows)
        else:
            _write_xlsx(path, layout, rows, title)
    except OSError as exc:
        raise UserError(
            _("Berkas “{file}” tidak dapat ditulis: {error}").format(
                file=path, error=exc.strerror or exc
            )
        ) from None


def _write_csv(path: Path, layout: Layout, rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=layout.csv_delimiter)
        writer.writerow([c.header for c in layout.columns])
        for row in rows:
            writer.writerow([cell_text(layout, c.kind, row.get(c.field)) for c in layout.columns])


def _write_xlsx(path: Path, layout: Layout, rows: Iterable[dict], title: str) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    try:
        sheet = book.add_worksheet(layout.sheet_name)
        bold = book.add_format({"bold": True})
        head = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
        text = book.add_format({"num_format": "@"})
        money = book.add_format({"num_format": layout.money_format})
        money_total = book.add_format({"num_format": layout.money_format, "bold": True})
        sheet.write_string(0, 0, title, bold)
        header_row = 2
        for col, column in enumerate(layout.columns):
            sheet.write_string(header_row, col, column.header, head)
            width = 22 if column.kind != NUMBER else 6
            sheet.set_column(col, col, width, text if column.kind not in (MONEY, NUMBER) else None)
        sheet.freeze_panes(header_row + 1, 0)
        money_cols = [i for i, c in enumerate(layout.columns) if c.kind == MONEY]
        totals = dict.fromkeys(money_cols, 0)
        r = header_row
        for row in rows:
            r += 1
            for col, column in enumerate(layout.columns):
                value = row.get(column.field)
                if value is None or value == "":
                    continue  # an empty cell, not an empty text
                if column.kind == MONEY:
                    sheet.write_number(r, col, value, money)
                    totals[col] += value
                elif column.kind == NUMBER:
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, cell_text(layout, column.kind, value), text)
        if money_cols:
            r += 1
            label_col = 0 if money_cols[0] != 0 else 1
            sheet.write_string(r, label_col, _("JUMLAH"), bold)
            for col, total in totals.items():
                sheet.write_number(r, col, total, money_total)
    finally:
        book.close()
