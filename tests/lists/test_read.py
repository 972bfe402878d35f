"""Reading list files: formats, the header below a title block, delimiters, encodings, sheets,
and the files that are not lists."""

import hashlib
from datetime import date

import pytest
import xlsxwriter

from muba_desk.lists.read import ListUnreadable, read_list, sheet_names
from muba_desk.progress import Cancelled, Progress
from tests.lists.shapes import write_ods


def _xlsx(path, sheets: dict[str, list[list]]):
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        page = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    page.write(r, c, value)
    book.close()
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_found_even_under_a_title_line(tmp_path, delimiter):
    lines = [
        "DAFTAR PENERIMA BANTUAN, DESA KAYU ARA",  # a comma in the title, one column anyway
        "",
        delimiter.join(["NIK", "Nama", "Alamat"]),
        delimiter.join(
            ["1606015208700001", "Siti, Aminah" if delimiter != "," else "Siti", "RT 1"]
        ),
        delimiter.join(["1606011208700002", "Budi", "RT 2"]),
    ]
    path = tmp_path / "daftar.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sheet = read_list(path)
    assert sheet.header_row == 3
    assert sheet.headers == ["NIK", "Nama", "Alamat"]
    assert sheet.rows[1] == ["1606011208700002", "Budi", "RT 2"]
    assert sheet.row_numbers == [4, 5]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_the_encoding_is_found(tmp_path, encoding):
    path = tmp_path / "nama.csv"
    text = "NIK;NAMA;DESA\r\n1606015208700001;RENÉ HÉLÈNE;Kayu Ara\r\n"
    path.write_bytes(text.encode(encoding))
    sheet = read_list(path)
    assert sheet.headers == ["NIK", "NAMA", "DESA"]
    assert sheet.rows == [["1606015208700001", "RENÉ HÉLÈNE", "Kayu Ara"]]
    assert sheet.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (sheet.file_name, sheet.sheet) == ("nama.csv", "")


def test_xlsx_cells_keep_their_types_and_formulas_are_not_run(tmp_path):
    path = tmp_path / "daftar.xlsx"
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet()
    page.write_row(0, 0, ["NIK", "Nama", "Tanggal Lahir", "Desil"])
    page.write_number(1, 0, 1606015208700001)
    page.write_string(1, 1, "Siti")
    page.write_datetime(1, 2, date(1970, 8, 12), book.add_format({"num_format": "dd/mm/yyyy"}))
    page.write_formula(1, 3, "=1+1", None, 2)  # the saved value, never evaluated here
    book.close()
    sheet = read_list(path)
    assert sheet.rows == [[1606015208700001, "Siti", date(1970, 8, 12), 2]]
    assert type(sheet.rows[0][0]) is int


def test_a_sheet_is_chosen_by_name_and_a_wrong_name_lists_the_sheets(tmp_path):
    path = _xlsx(
        tmp_path / "dua.xlsx",
        {"Rekap": [["Jumlah", 3]], "Peserta": [["NIK", "Nama"], ["1606015208700001", "Siti"]]},
    )
    assert sheet_names(path) == ["Rekap", "Peserta"]
    with pytest.raises(ListUnreadable, match="lembar “Rekap”") as first:
        read_list(path)  # the first sheet holds no header row
    assert "dua.xlsx" in str(first.value)
    sheet = read_list(path, sheet="Peserta")
    assert (sheet.sheet, sheet.rows) == ("Peserta", [["1606015208700001", "Siti"]])
    with pytest.raises(ListUnreadable, match="Rekap, Peserta"):
        read_list(path, sheet="Data")


def test_ods_sheets(tmp_path):
    path = tmp_path / "desa.ods"
    write_ods(path, {"Peserta": [["Judul"], [], ["NIK", "Nama"], ["1606015208700001", "Siti"]]})
    assert sheet_names(path) == ["Peserta"]
    sheet = read_list(path)
    assert (sheet.header_row, sheet.row_numbers) == (3, [4])


def test_files_that_are_not_lists_are_refused_with_their_name(tmp_path):
    cases = {
        "kosong.csv": b"",
        "spasi.csv": b"  \n\n",
        "laporan.xlsx": b"PK\x03\x04 rusak",
        "gambar.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "judul.csv": b"Nomor;Keterangan\n1;abc\n",
        "hanya_judul.csv": b"NIK,Nama\n",
        "sel_raksasa.csv": b'NIK,Nama\n1606015208700001,"' + b"x" * 200_000 + b'"\n',
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ListUnreadable) as refused:
            read_list(path)
        assert name in str(refused.value)
    with pytest.raises(ListUnreadable, match="tidak ada.csv"):
        read_list(tmp_path / "tidak ada.csv")


def test_reading_reports_progress_and_stops_on_cancel(tmp_path):
    path = tmp_path / "besar.csv"
    rows = [f"16060152087{i:05d},Orang {i}" for i in range(5000)]
    path.write_text("NIK,Nama\n" + "\n".join(rows) + "\n", encoding="utf-8")
    seen = []
    read_list(path, progress=Progress(lambda done, total, label: seen.append((done, total))))
    assert len(seen) >= 3 and seen[-1][0] > 0

    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        read_list(path, progress=progress)
