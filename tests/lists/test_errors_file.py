"""The errors file: original cells, "Alasan" in Indonesian, NIK and KK as text cells."""

from datetime import date

import openpyxl

from muba_desk.lists.clean import clean_rows, load_areas
from muba_desk.lists.errors_file import write_errors
from muba_desk.lists.mapping import mapping_for
from muba_desk.lists.read import read_list
from muba_desk.store.db import memory_db
from tests.lists import shapes


def test_refused_and_warned_rows_go_back_with_their_reasons(tmp_path):
    path, _expected = shapes.p3ke_xlsx(tmp_path / "p3ke.xlsx")
    sheet = read_list(path)
    cleaned = list(
        clean_rows(sheet, mapping_for(sheet, "P3KE 2025"), areas=load_areas(memory_db()))
    )
    back = [
        (row.row_number, row.cells, "; ".join(p.reason for p in row.problems))
        for row in cleaned
        if row.problems
    ]
    out = write_errors(tmp_path / "perlu_diperbaiki.xlsx", sheet, back)

    page = openpyxl.load_workbook(out).active
    rows = list(page.iter_rows(values_only=True))
    assert rows[0] == ("Baris", *sheet.headers, "Alasan")
    assert [r[0] for r in rows[1:]] == [n for n, _c, _r in back]
    nik_col = 1 + sheet.headers.index("NIK")
    ahmad = next(r for r in rows[1:] if r[1 + sheet.headers.index("Nama Lengkap")] == "AHMAD")
    assert ahmad[-1].startswith("Kolom “NIK”") and "rusak oleh Excel" in ahmad[-1]
    # The number as the list held it, but as text: Excel will not cut it again.
    assert isinstance(ahmad[nik_col], str) and len(ahmad[nik_col]) == 16
    nenek = next(r for r in rows[1:] if r[1 + sheet.headers.index("Nama Lengkap")] == "NENEK IJAH")
    assert nenek[nik_col] == "0"
    assert nenek[1 + sheet.headers.index("Tanggal Lahir")].date() == date(1941, 1, 2)
    for row in page.iter_rows(min_row=2):
        assert row[nik_col].data_type == "s"
