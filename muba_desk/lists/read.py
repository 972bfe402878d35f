"""A list file read into rows: XLSX, XLS and ODS through python-calamine (no formula is run:
a formula cell gives the value Excel last saved), CSV, TSV and `|`-separated text with the
delimiter and the encoding found from the file itself.

The header row is the row, among the first `HEADER_SEARCH`, whose cells name the most known
fields (`mapping.fields_named`): official lists put a title block ("DAFTAR KELUARGA P3KE
DESA ...", the date printed) above the table.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.lists.mapping import fields_named
from muba_desk.progress import SilentProgress

HEADER_SEARCH = 30  # rows looked at for the header
_REPORT_EVERY = 2000  # rows between two progress reports
_DELIMITERS = (",", ";", "\t", "|")
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LARGEST_INT = 2**63


class ListUnreadable(UserError):
    """A file that cannot be read as a list; the message names the file and what to do."""


@dataclass(frozen=True)
class Sheet:
    file_name: str
    sha256: str
    sheet: str  # "" for a text file
    header_row: int  # 1-based row number in the file
    headers: list[str]
    rows: list[list]
    row_numbers: list[int]  # 1-based row number in the file of each row (blank rows skipped)


def sheet_names(path) -> list[str]:
    """The sheets of a spreadsheet, in workbook order; [] for a text file."""
    path = Path(path)
    data = _bytes(path)
    if not data.startswith((_ZIP, _OLE)):
        return []
    return list(_workbook(path, data).sheet_names)


def read_list(path, *, sheet: str | None = None, progress=None) -> Sheet:
    """The list in `path` (the first visible sheet, or `sheet`); ListUnreadable otherwise."""
    path = Path(path)
    progress = progress or SilentProgress()
    data = _bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise _empty(path)
    if data.startswith((_ZIP, _OLE)):
        name, numbered = _spreadsheet_rows(path, data, sheet, progress)
    else:
        name, numbered = "", _text_rows(path, data, progress)
    return _table(path, digest, name, numbered)


# -- spreadsheets -----------------------------------------------------------------------------


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ListUnreadable(
            _("Berkas {file} tidak dapat dibuka ({error}). Periksa letak berkasnya.").format(
                file=path.name, error=exc.strerror or type(exc).__name__
            )
        ) from None


def _foreign(path: Path) -> ListUnreadable:
    return ListUnreadable(
        _(
            "Berkas {file} bukan lembar kerja (XLSX, XLS, ODS) atau teks CSV yang dapat dibaca. "
            "Buka di Excel, simpan sebagai XLSX atau CSV, lalu coba lagi."
        ).format(file=path.name)
    )


def _empty(path: Path) -> ListUnreadable:
    return ListUnreadable(
        _(
            "Berkas {file} kosong: tidak ada baris berisi data. Periksa apakah berkasnya benar."
        ).format(file=path.name)
    )


def _workbook(path: Path, data: bytes):
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise ListUnreadable(
            _(
                "Berkas {file} dilindungi kata sandi. Buka di Excel, hapus kata sandinya, "
                "simpan, lalu coba lagi."
            ).format(file=path.name)
        ) from None
    except Exception:  # calamine raises its own errors and plain ones for a damaged zip
        raise _foreign(path) from None


def _chosen(path: Path, book, sheet: str | None) -> str:
    names = list(book.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise ListUnreadable(
                _("Lembar “{sheet}” tidak ada di berkas {file}. Lembar yang ada: {sheets}.").format(
                    sheet=sheet, file=path.name, sheets=", ".join(names) or "-"
                )
            )
        return sheet
    import python_calamine

    shown = python_calamine.SheetVisibleEnum.Visible
    visible = [m.name for m in book.sheets_metadata if m.visible == shown]
    if not (visible or names):
        raise _empty(path)
    return (visible or names)[0]


def _spreadsheet_rows(path: Path, data: bytes, sheet: str | None, progress):
    import python_calamine

    book = _workbook(path, data)
    name = _chosen(path, book, sheet)
    try:
        table = book.get_sheet_by_name(name)
        total = table.height
        numbered = []
        # skip_empty_area=False: row i of the iterator is row i + 1 of the file, as Excel shows.
        for index, cells in enumerate(table.to_python(skip_empty_area=False)):
            if index % _REPORT_EVERY == 0:
                progress.update(index, total, _("Membaca {file}").format(file=path.name))
            # Text is most cells: kept as it is unless blank, without a call per cell.
            row = [
                (c if c and not c.isspace() else None) if type(c) is str else _cell(c)
                for c in cells
            ]
            if row.count(None) != len(row):
                numbered.append((index + 1, row))
    except (python_calamine.CalamineError, ValueError, OverflowError):
        # A damaged part, or a cell calamine cannot turn into a Python value (a date past 9999).
        raise _foreign(path) from None
    return name, numbered


def _cell(value):
    """A spreadsheet cell as the list holds it: str, int, float, date, datetime or None."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        # Whole numbers come back from calamine as floats; a NIK typed as a number is one.
        if value.is_integer() and abs(value) < _LARGEST_INT:
            return int(value)
        return value
    if isinstance(value, int | date):  # datetime is a date too
        return value
    if isinstance(value, time | timedelta):
        return str(value)
    return None if value is None else str(value)


# -- text -------------------------------------------------------------------------------------


def _decode(path: Path, data: bytes) -> str:
    """The text of `data`: UTF-16 by its mark (Excel's "Unicode text"), UTF-8 with or without
    its mark, else Windows-1252 (what Excel on an Indonesian Windows saves as CSV), else
    Latin-1, which decodes anything."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _foreign(path) from None
    if b"\x00" in data[:65536]:
        raise _foreign(path)  # a binary file: no list written as text holds NUL
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _foreign(path)  # unreachable: latin-1 decodes every byte


def _delimiter(lines: list[str]) -> str:
    """The delimiter that splits the sample's lines into the most columns, the same number on
    most lines (a title line above the table has one column whatever the delimiter)."""
    best, best_score = ",", (0.0, 0)
    for delimiter in _DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        except csv.Error:
            continue  # a field over csv's size limit: the read below refuses the file
        if not counts:
            continue
        modal = max(set(counts), key=lambda n: (counts.count(n), n))
        if modal < 2:
            continue
        score = (counts.count(modal) / len(counts), modal)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _text_rows(path: Path, data: bytes, progress) -> list[tuple[int, list]]:
    text = _decode(path, data)
    if not text.strip():
        raise _empty(path)
    lines = text.splitlines()
    delimiter = _delimiter(lines[:60])
    numbered = []
    total = len(lines)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for index, cells in enumerate(reader):
            if index % _REPORT_EVERY == 0:
                label = _("Membaca {file}").format(file=path.name)
                progress.update(min(index, total), total, label)
            row = [c if c and not c.isspace() else None for c in cells]
            if row.count(None) != len(row):
                numbered.append((index + 1, row))
    except csv.Error:  # a field over csv's size limit: not a list of people
        raise _foreign(path) from None
    return numbered


# -- the table --------------------------------------------------------------------------------


def _header_text(cell) -> str:
    return " ".join(str(cell).split()) if cell is not None else ""


def _table(path: Path, digest: str, sheet: str, numbered: list[tuple[int, list]]) -> Sheet:
    if not numbered:
        raise _empty(path)
    scores = [len(fields_named(row)) for _n, row in numbered[:HEADER_SEARCH]]
    best = max(range(len(scores)), key=lambda i: (scores[i], -i))
    if scores[best] == 0:
        where = _("lembar “{sheet}”").format(sheet=sheet) if sheet else path.name
        raise ListUnreadable(
            _(
                "Di berkas {file} ({where}) tidak ada baris judul kolom yang dikenali (mis. NIK, "
                "Nama, No. KK) dalam {rows} baris pertama. Pastikan tabelnya berjudul kolom, "
                "atau pilih lembar yang lain."
            ).format(file=path.name, where=where, rows=HEADER_SEARCH)
        )
    header_row, header_cells = numbered[best]
    body = numbered[best + 1 :]
    if not body:
        raise ListUnreadable(
            _("Berkas {file} hanya berisi judul kolom (baris {row}), tanpa baris data.").format(
                file=path.name, row=header_row
            )
        )
    width = max(len(header_cells), *(len(row) for _n, row in body))
    headers = [_header_text(c) for c in header_cells] + [""] * (width - len(header_cells))
    rows = [row + [None] * (width - len(row)) for _n, row in body]
    return Sheet(
        file_name=path.name,
        sha256=digest,
        sheet=sheet,
        header_row=header_row,
        headers=headers,
        rows=rows,
        row_numbers=[n for n, _row in body],
    )
