"""Files in the four shipped shapes (P3KE XLSX, DTSEN `|` text, BNBA SIKS-NG CSV, OpenSID ODS),
each carrying the hazards of docs/lists.md, with what cleaning must make of every data row.

Each builder returns (path, expected): one entry per data row, in file order, either
`ok(values)` (stored as these values, no refusal), `warned(field, says, values)` or
`refused(field, says)`. No XLS writer exists for Python 3 without LibreOffice, so XLS files are
not generated; python-calamine reads XLS through the same code path as XLSX.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from xml.sax.saxutils import escape, quoteattr

import xlsxwriter

NBSP, ZWSP = "\u00a0", "\u200b"


def nik(born: date, *, female: bool, serial: int = 1, district: str = "160601") -> str:
    day = born.day + (40 if female else 0)
    return f"{district}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def kk(issued: date, serial: int = 1, district: str = "160601") -> str:
    return f"{district}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}{serial:04d}"


def serial_of(day: date) -> int:
    """The Excel serial number of `day` (1900 date system)."""
    return (day - date(1899, 12, 30)).days


def ok(**values) -> dict:
    return {"refused": None, "warned": None, "values": values}


def warned(field: str, says: str, **values) -> dict:
    return {"refused": None, "warned": (field, says), "values": values}


def refused(field: str, says: str) -> dict:
    return {"refused": (field, says), "warned": None, "values": {}}


# -- ODS without LibreOffice: the few parts of OpenDocument a reader needs -------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"'
)
_ODS_TYPE = "application/vnd.oasis.opendocument.spreadsheet"


def _ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, datetime | date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value!r}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
    )


def write_ods(path, sheets: dict[str, list[list]]) -> None:
    body = []
    for name, rows in sheets.items():
        body.append(f"<table:table table:name={quoteattr(name)}>")
        for row in rows:
            body.append("<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>")
        body.append("</table:table>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}>'
        f"<office:body><office:spreadsheet>{''.join(body)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{_ODS_TYPE}"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), _ODS_TYPE, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


# -- P3KE 2025: XLSX, a title block, NIK as numbers and as text, every kind of date ----------

P3KE_HEADERS = [
    "ID Keluarga P3KE", "Provinsi", "Kabupaten", "Kecamatan", "Desa", "Kode Kemendagri",
    "Desil Kesejahteraan", "Alamat", "ID Individu", "Nama Lengkap", "NIK", "Padan Dukcapil",
    "Jenis Kelamin", "Hubungan dengan Kepala Keluarga", "Tanggal Lahir", "Status Kawin",
    "Pekerjaan", "Pendidikan", "Penerima BPNT", "PKH",
]  # fmt: skip

SITI = date(1970, 8, 12)
AHMAD = date(1968, 3, 4)
DEWI = date(2005, 6, 15)
IJAH = date(1941, 1, 2)
RUDI = date(1995, 1, 3)


def p3ke_xlsx(path):
    """Rows 1-3 are a title block; the header is row 4; row 9 is blank."""
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet("Data P3KE")
    book.add_worksheet("Rekap")  # a second sheet: the first is read unless one is chosen
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    page.write(0, 0, "DAFTAR KELUARGA SASARAN P3KE KABUPATEN MUSI BANYUASIN")
    page.write(1, 0, "Dicetak 02/01/2025")
    page.write_row(3, 0, P3KE_HEADERS)
    place = ["SUMATERA SELATAN", "MUSI BANYUASIN", "SEKAYU", "KAYU ARA", "1606011009"]
    tail = ["Kawin", "Petani", "SD", "YA", "TIDAK"]
    siti = nik(SITI, female=True)
    rows = [
        # Head: NIK as text with an apostrophe, spaces and a non-breaking space; dd/mm/yyyy.
        (["P3KE-0001", *place, 1, "Dusun I", "IND-01", "SITI AMINAH",
          f"'{siti[:4]} {siti[4:8]}{NBSP}{siti[8:12]} {siti[12:]}", "YA", "Perempuan",
          "Kepala Keluarga", "12/08/1970", *tail],
         ok(nik=siti, sex="P", relation="kepala", birth_date="1970-08-12",
            village_code="16.06.01.1009", welfare_decile=1, decile_source="p3ke",
            decile_year=2025, family_key="id:P3KE-0001", p3ke_id="IND-01", name="SITI AMINAH")),
        # Husband: a number Excel cut to 15 digits (its last digit 0).
        (["P3KE-0001", *place, 1, "Dusun I", "IND-02", "AHMAD",
          int(nik(AHMAD, female=False, serial=2)[:15] + "0"), "YA", "Laki-laki", "Suami",
          "04/03/1968", *tail],
         refused("nik", "rusak oleh Excel")),
        # Child: a number with all 16 digits (never typed into Excel); an Excel serial date.
        (["P3KE-0001", *place, "Desil 1", "Dusun I", "IND-03", "DEWI",
          int(nik(DEWI, female=True, serial=3)), "YA", "P", "Anak", serial_of(DEWI), *tail],
         ok(nik=nik(DEWI, female=True, serial=3), birth_date="2005-06-15", sex="P",
            relation="anak", welfare_decile=1)),
        # Grandmother without a NIK (0); a real date cell; PR for perempuan.
        (["P3KE-0001", *place, 1, "Dusun I", "IND-04", "NENEK IJAH", 0, "TIDAK", "PR",
          "Orang Tua", datetime(1941, 1, 2), *tail],
         warned("nik", "tanpa NIK", nik=None, sex="P", relation="orang_tua",
                birth_date="1941-01-02")),
        # Scientific notation kept as text.
        (["P3KE-0002", *place, 2, "Dusun II", "IND-05", "RUDI HARTONO", "1.60601E+15", "YA",
          "LK", "Kepala Keluarga", "03-01-1995", *tail],
         refused("nik", "rusak oleh Excel")),
        # A decile outside 1-10.
        (["P3KE-0002", *place, 11, "Dusun II", "IND-06", "RINA", nik(RUDI, female=True, serial=6),
          "YA", "P", "Istri", "03/01/1995", *tail],
         refused("decile", "1 sampai 10")),
        # A day that does not exist.
        (["P3KE-0003", *place, 3, "Dusun II", "IND-07", "JOKO",
          nik(date(1980, 2, 28), female=False, serial=7), "YA", "L", "Kepala Keluarga",
          "31/02/1980", *tail],
         refused("birth_date", "tidak ada di kalender")),
        # Month/day order: 25 cannot be a month, so nothing is swapped.
        (["P3KE-0003", *place, 3, "Dusun II", "IND-08", "MARNI",
          nik(date(1982, 8, 25), female=True, serial=8), "YA", "P", "Istri", "08/25/1982",
          *tail],
         refused("birth_date", "bulan 25 tidak ada")),
        None,  # a blank row: skipped, the row numbers after it stay those of the file
        # The NIK's date disagrees with the list's birth date.
        (["P3KE-0003", *place, 3, "Dusun II", "IND-09", "ANDI",
          nik(date(2010, 5, 1), female=False, serial=9), "YA", "L", "Anak", "01/06/2010",
          *tail],
         refused("nik", "berbeda dengan tanggal lahir")),
        # Menantu; the sex disagrees with the NIK (a warning: the registry keeps the list's).
        (["P3KE-0003", *place, 3, "Dusun II", "IND-10", "SUTRISNO",
          nik(date(1985, 9, 9), female=True, serial=10), "YA", "L", "Menantu",
          "9 September 1985", *tail],
         warned("sex", "berbeda", relation="kerabat", sex="L", birth_date="1985-09-09")),
        # A relation written as a number: SIAK and DTKS number them differently.
        (["P3KE-0003", *place, 3, "Dusun II", "IND-11", "WATI",
          nik(date(1990, 10, 10), female=True, serial=11), "YA", "P", "3", "10/10/1990",
          *tail],
         refused("relation", "tidak dikenali")),
    ]  # fmt: skip
    expected, r = [], 4
    for row in rows:
        if row is None:
            r += 1
            continue
        cells, expect = row
        for c, value in enumerate(cells):
            if c == P3KE_HEADERS.index("Tanggal Lahir") and isinstance(value, datetime):
                page.write_datetime(r, c, value, day)
            elif isinstance(value, int):
                page.write_number(r, c, value)
            else:
                page.write_string(r, c, value)
        expected.append(expect)
        r += 1
    book.close()
    return path, expected


# -- DTSEN: `|`-separated text in Windows-1252, with deciles ---------------------------------

DTSEN_HEADERS = [
    "ID DTKS", "PROVINSI", "KABUPATEN/KOTA", "KECAMATAN", "DESA/KELURAHAN", "ALAMAT", "DUSUN",
    "RT", "RW", "NOMOR KK", "NOMOR NIK", "NAMA", "TANGGAL LAHIR", "TEMPAT LAHIR",
    "JENIS KELAMIN", "NAMA IBU KANDUNG", "HUBUNGAN KELUARGA", "DESIL NASIONAL",
]  # fmt: skip


def dtsen_text(path):
    family = kk(date(2010, 3, 1), serial=21)
    rows = [
        # A cp1252 name with é; KK with a leading apostrophe; yyyy-mm-dd; 1 = laki-laki.
        (["D-1", "SUMSEL", "MUBA", "SEKAYU", "DS. KAYU ARA", "Jl. Lintas", "II", "001", "002",
          "'" + family, nik(date(1975, 4, 1), female=False, serial=21), "ANDRÉ SIREGAR",
          "1975-04-01", "Sekayu", "1", "Sumiati", "KEPALA KELUARGA", "2"],
         ok(name="ANDRÉ SIREGAR", kk_number=family, family_key="kk:" + family, sex="L",
            relation="kepala", village_code="16.06.01.1009", welfare_decile=2,
            decile_source="dtsen", rt="001", rw="002", dusun="II", birth_place="Sekayu",
            birth_date="1975-04-01")),
        # dd-mm-yyyy; 2 = perempuan; a village name two districts share, decided by the district.
        (["D-2", "SUMSEL", "MUBA", "Keluang", "MEKAR JAYA", "", "", "", "",
          kk(date(2012, 5, 5), serial=22), nik(date(1999, 12, 31), female=True, serial=22),
          "SARI", "31-12-1999", "Keluang", "2", "Ani", "ISTRI", "1"],
         ok(village_code="16.06.08.2005", sex="P", relation="pasangan",
            birth_date="1999-12-31", welfare_decile=1)),
        # The same name with a district that does not settle it.
        (["D-3", "SUMSEL", "MUBA", "", "Mekar Jaya", "", "", "", "",
          kk(date(2012, 5, 5), serial=23), nik(date(1960, 1, 1), female=False, serial=23),
          "UJANG", "01/01/1960", "", "1", "", "KEPALA KELUARGA", "3"],
         refused("village", "beberapa kecamatan")),
        # A village that exists, but not in the district named.
        (["D-4", "SUMSEL", "MUBA", "SEKAYU", "SUKA MAJU", "", "", "", "",
          kk(date(2012, 5, 5), serial=24), nik(date(1961, 1, 1), female=False, serial=24),
          "DARMA", "01/01/1961", "", "1", "", "KEPALA KELUARGA", "3"],
         refused("village", "tidak ada di Kecamatan Sekayu")),
        # A KK in scientific form.
        (["D-5", "SUMSEL", "MUBA", "SEKAYU", "KAYU ARA", "", "", "", "", "1.60601E+15",
          nik(date(1962, 2, 2), female=False, serial=25), "BAMBANG", "02/02/1962", "", "1",
          "", "KEPALA KELUARGA", "4"],
         refused("kk", "rusak oleh Excel")),
        # A two-digit year: the century is not guessed.
        (["D-6", "SUMSEL", "MUBA", "SEKAYU", "KAYU ARA", "", "", "", "", "",
          nik(date(1963, 3, 3), female=False, serial=26), "HADI", "03/03/63", "", "1", "",
          "ANAK", "4"],
         refused("birth_date", "dua angka")),
    ]  # fmt: skip
    lines = ["|".join(DTSEN_HEADERS), *("|".join(cells) for cells, _e in rows)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path, [e for _c, e in rows]


# -- BNBA SIKS-NG: `;` CSV with a UTF-8 mark, only NIK and NAMA plus the address -------------

BNBA_HEADERS = ["NO", "NIK", "NAMA", "ALAMAT", "DESA/KELURAHAN", "KECAMATAN"]


def bnba_csv(path):
    rows = [
        # Sex comes from the NIK; a village prefix "Kel." and odd case.
        (["1", nik(date(1950, 7, 7), female=True, serial=31), "MASNAH", "RT 03",
          "Kel. serasan  jaya", "Sekayu"],
         ok(sex="P", village_code="16.06.01.1010", relation=None, birth_date=None,
            family_key=None)),
        # Fifteen digits.
        (["2", nik(date(1951, 7, 7), female=False, serial=32)[:15], "KARIM", "RT 04",
          "Kayu Ara", "Sekayu"],
         refused("nik", "15 angka")),
        # A village that is not in Musi Banyuasin.
        (["3", nik(date(1952, 7, 7), female=False, serial=33), "YUSUF", "", "Desa Antah Berantah",
          "Sekayu"],
         refused("village", "tidak ada dalam daftar desa")),
        # The NIK as a float written as text by a converter, its last digit 0 from Excel.
        (["4", nik(date(1953, 7, 7), female=False, serial=34)[:15] + "0.0", "SALEH", "",
          "Kayu Ara", "Sekayu"],
         refused("nik", "rusak oleh Excel")),
        # No NIK and no sex: nothing to read the sex from.
        (["5", "", "TANPA NIK", "", "Kayu Ara", "Sekayu"],
         refused("sex", "tidak ada NIK")),
        # A letter O typed for a zero is not dropped.
        (["6", nik(date(1954, 7, 7), female=False, serial=36).replace("0", "O", 1), "ROSID",
          "", "Kayu Ara", "Sekayu"],
         refused("nik", "memuat “O”")),
    ]  # fmt: skip
    lines = [";".join(BNBA_HEADERS), *(";".join(cells) for cells, _e in rows)]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    return path, [e for _c, e in rows]


# -- OpenSID peserta: ODS, sheet Peserta beside sheet Program --------------------------------

OPENSID_HEADERS = [
    "Peserta", "No. Peserta", "NIK", "Nama", "Tempat Lahir", "Tanggal Lahir", "Alamat",
]  # fmt: skip


def opensid_ods(path):
    lina = nik(date(1988, 8, 17), female=True, serial=41)
    rows = [
        (["1", "P-001", lina, "Lina Marlina", "Sekayu", date(1988, 8, 17), "RT 01"],
         ok(nik=lina, sex="P", birth_date="1988-08-17", village_code="16.06.01.1009")),
        (["2", "P-002", float(nik(date(1970, 1, 1), female=False, serial=42)[:15] + "0"),
          "Amir", "Sekayu", "1 Januari 1970", "RT 02"],
         refused("nik", "rusak oleh Excel")),
        (["3", "P-003", nik(date(1979, 11, 30), female=False, serial=43), "Syamsul",
          "Palembang", "30 Nopember 1979", "RT 03"],
         ok(birth_date="1979-11-30", sex="L", birth_place="Palembang")),
        (["4", "P-004", nik(date(1979, 2, 28), female=False, serial=44), "Bayu 🙂",
          "Sekayu", "28/02/1979", "RT 04"],
         refused("name", "tidak dipakai dalam nama")),
    ]  # fmt: skip
    program = [["Nama Program", "Bantuan Pangan Desa"], ["Sasaran", "Penduduk"], ["Tahun", 2025]]
    write_ods(path, {"Peserta": [OPENSID_HEADERS, *(c for c, _e in rows)], "Program": program})
    return path, [e for _c, e in rows]
