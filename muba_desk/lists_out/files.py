"""Write a list's rows in a layout's shape: XLSX (the shared XlsxWriter helper, constant
memory: rows go out in order and are not kept) or CSV. Identity and account numbers are text
cells, so Excel never turns a NIK into 1.60601E+15; amounts are whole-rupiah numbers with the
layout's format. The XLSX ends with a total row under the money column; a CSV holds the rows
only (the bank's system reads every line as a payment), and the command says its total."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.lists_out.layouts import DATE, MONEY, NUMBER, TEXT, Layout
from muba_desk.lists_out.xlsx import (
    add_sheet,
    clean,
    open_workbook,
    styles,
    write_header,
    write_id,
    write_text,
)


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
    partial = path.with_name(path.name + ".partial")  # a half-written list never appears
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out, delimiter=layout.csv_delimiter)
            writer.writerow([c.header for c in layout.columns])
            for row in rows:
                writer.writerow(
                    [clean(cell_text(layout, c.kind, row.get(c.field))) for c in layout.columns]
                )
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _write_xlsx(path: Path, layout: Layout, rows: Iterable[dict], title: str) -> None:
    """Through the shared writer (`lists_out.xlsx`, helper sk's): constant memory, text kept
    as text, the file in place only once complete."""
    with open_workbook(path, title) as book:
        st = styles(book)
        money = book.add_format({"num_format": layout.money_format})
        money_total = book.add_format({"num_format": layout.money_format, "bold": True, "top": 1})
        sheet = add_sheet(book, layout.sheet_name)
        sheet.write_string(0, 0, clean(title), st.title)
        header_row = 2
        widths = [6 if c.kind == NUMBER else 14 if c.kind in (MONEY, DATE) else 22
                  for c in layout.columns]  # fmt: skip
        write_header(sheet, header_row, [c.header for c in layout.columns], st, widths=widths)
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
                elif column.kind == TEXT:
                    write_id(sheet, r, col, clean(str(value)), st)
                else:
                    write_text(sheet, r, col, cell_text(layout, column.kind, value), st)
        if money_cols:
            r += 1
            label_col = 0 if money_cols[0] != 0 else 1
            sheet.write_string(r, label_col, _("JUMLAH"), st.total_label)
            for col, total in totals.items():
                sheet.write_number(r, col, total, money_total)
