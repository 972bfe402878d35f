"""The SK attachment as XLSX: the decision's title lines, the table of `docs/LISTS.md` with NIK
and KK as text cells, a total row and a frozen header; a second sheet sums per district and
village. Written in XlsxWriter's constant-memory mode (45,000 rows in a few seconds)."""

from __future__ import annotations

from pathlib import Path

from muba_desk.lists_out.sk import Attachment, without_gc
from muba_desk.lists_out.xlsx import ILLEGAL, clean, open_workbook, styles, write_header
from muba_desk.printing.base import long_date, program_name

COLUMNS = (
    "No",
    "NIK",
    "No. KK",
    "Nama",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Alamat",
    "Desa/Kelurahan",
    "Kecamatan",
)
WIDTHS = (7, 19, 19, 32, 16, 13, 45, 22, 20)
AMOUNT_WIDTH = 20
HEADER_ROW = 4  # below the three title lines and a blank one


def _date(iso: str) -> str:
    """2026-03-05 -> 05/03/2026 (as the window writes dates); anything else as it is."""
    if len(iso) >= 10 and iso[4] == "-" and iso[7] == "-":
        return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
    return iso


def title_lines(found: Attachment) -> list[str]:
    sk = found.sk
    return [
        f"Lampiran Keputusan Nomor {sk.number} tanggal {long_date(sk.decided_on)}",
        f"Tentang: {sk.about}",
        f"Program {program_name(sk.program)}, tahun {sk.period}",
    ]


def write_sk_xlsx(found: Attachment, path) -> Path:
    """Write the attachment `found` (`lists_out.sk.attachment`) to `path`."""
    path = Path(path)
    columns = list(COLUMNS) + ([found.amount_header] if found.pays_money else [])
    widths = list(WIDTHS) + ([AMOUNT_WIDTH] if found.pays_money else [])
    with without_gc(), open_workbook(path, f"Lampiran SK {found.sk.number}") as book:
        st = styles(book)
        sheet = book.add_worksheet("Lampiran")
        for r, line in enumerate(title_lines(found)):
            sheet.write_string(r, 0, clean(line), st.title)
        write_header(sheet, HEADER_ROW, columns, st, widths=widths)
        write_string, write_number = sheet.write_string, sheet.write_number
        id_text, rupiah, money = st.id_text, st.rupiah, found.pays_money
        r = HEADER_ROW
        for n, row in enumerate(found.rows, start=1):
            r += 1
            texts = (row.name, row.birth_place, _date(row.birth_date), row.address)
            texts += (row.village, row.district)
            if ILLEGAL.search("".join(texts)):  # one look per row; cleaned only where needed
                texts = tuple(clean(t) for t in texts)
            write_number(r, 0, n)
            if row.nik:
                write_string(r, 1, row.nik, id_text)
            if row.kk:
                write_string(r, 2, row.kk, id_text)
            for c, value in enumerate(texts, start=3):
                if value:
                    write_string(r, c, value)
            if money and row.amount is not None:
                write_number(r, 9, row.amount, rupiah)
        r += 1
        sheet.write_string(r, 0, f"Jumlah: {len(found.rows)} orang", st.total_label)
        for c in range(1, len(columns) - 1):
            sheet.write_blank(r, c, None, st.total_label)
        if money:
            sheet.write_number(r, len(columns) - 1, found.total, st.total_rupiah)
        else:
            sheet.write_blank(r, len(columns) - 1, None, st.total_label)
        _summary(book, found, st)
    return path


def _summary(book, found: Attachment, st) -> None:
    """Per district and village: how many people and how much."""
    sheet = book.add_worksheet("Rekap")
    columns = ["Kecamatan", "Desa/Kelurahan", "Jumlah orang"]
    columns += ["Jumlah (Rp)"] if found.pays_money else []
    write_header(sheet, 0, columns, st, widths=[22, 24, 14, 20][: len(columns)])
    people: dict[tuple[str, str], int] = {}
    for row in found.rows:
        key = (row.district, row.village)
        people[key] = people.get(key, 0) + 1
    r = 0
    for (district, village), count in people.items():
        r += 1
        sheet.write_string(r, 0, clean(district))
        sheet.write_string(r, 1, clean(village))
        sheet.write_number(r, 2, count, st.number)
        if found.pays_money:
            sheet.write_number(r, 3, found.by_village[(district, village)], st.rupiah)
    r += 1
    sheet.write_string(r, 0, "Jumlah", st.total_label)
    sheet.write_blank(r, 1, None, st.total_label)
    sheet.write_number(r, 2, len(found.rows), st.total_number)
    if found.pays_money:
        sheet.write_number(r, 3, found.total, st.total_rupiah)
