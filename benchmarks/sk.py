"""The attachment of a decision (SK) setting N people (45,000 in the full run: Pake Kelambu's
size), written as PDF and as XLSX, each against a minimal script writing the same content.

* PDF: ours reads the SK's rows from the database (`lists_out.sk.attachment_of`) and writes the
  attachment (`write_sk_pdf`: wrapped cells, subtotals per village and district, terbilang,
  signatory); the baseline is handed the rows ready-made and draws with ReportLab's canvas
  the same page headers ("Nomor ...", "Halaman x dari y") and one `drawString` per cell of
  each row, 45 rows a page, in the same TTF font, nothing wrapped or summed.
* XLSX: ours reads and writes `write_sk_xlsx` (title lines, typed cells, total row, summary
  sheet); the baseline is XlsxWriter in constant-memory mode writing the same header and cells
  (NIK and KK as text, the amount as a number) from ready-made rows.

The registry (a plain file of N people, each enrolled in Bantu Umak and approved, and one SK
setting them all through `core.operations`) is made once and cached per size and schema.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import Row, Sizes, cache_dir, interleaved, median
from benchmarks.data import _fresh, _schema_tag, log

PDF_TARGET, XLSX_TARGET = 1.5, 1.3
SK_NUMBER = "460/045/KPTS/DINSOS/2026"
ROWS_PER_PAGE = 45
FIRST = ("Sari", "Wati", "Rina", "Dewi", "Yanti", "Nur", "Lia", "Eka", "Tuti", "Ani", "Budi")
LAST = ("Rahayu", "Lestari", "Handayani", "Saputra", "Wijaya", "Pratama", "Kusuma", "Hidayat")


def _nik(i: int) -> tuple[str, str, str]:
    """(NIK, KK, birth date) for person i: a woman born on a day of 1960-1989, serial 1-9999."""
    year, day = 1960 + (i // 9999) % 30, 1 + (i // (9999 * 30)) % 28
    serial = i % 9999 + 1
    nik = f"160601{day + 40:02d}07{year % 100:02d}{serial:04d}"
    kk = f"160601{day:02d}07{year % 100:02d}{serial:04d}"
    return nik, kk, f"{year}-07-{day:02d}"


def make_registry(people: int, path: Path) -> None:
    """N approved Bantu Umak enrolments in 40 villages, and one SK setting them all."""
    from muba_desk.core import operations
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry
    from muba_desk.store.sk import find_sk, settable

    _fresh(path)
    db = connect(path)
    try:
        villages = [r for (r,) in db.conn.execute("SELECT code FROM area_village LIMIT 40")]
        reg = Registry(db, operator_id="bench")
        with reg.transaction():
            households, persons, enrolments = [], [], []
            for i in range(people):
                nik, kk, born = _nik(i)
                household = f"h{i:06d}"
                households.append(
                    {
                        "id": household,
                        "village_code": villages[i % len(villages)],
                        "kk_number": kk,
                        "address": f"Jalan {LAST[i % 8]} Lorong {FIRST[i % 11]} Dusun {i % 5 + 1}"
                        + (" Gang Masjid Al-Ikhlas Sebelah Sekolah Dasar Negeri" if i % 9 else ""),
                        "rt": f"{i % 12 + 1:02d}",
                        "rw": f"{i % 4 + 1:02d}",
                    }
                )
                persons.append(
                    {
                        "id": f"p{i:06d}",
                        "household_id": household,
                        "name": f"{FIRST[i % 11]} {LAST[(i // 11) % 8]} {FIRST[(i // 88) % 11]}",
                        "sex": "P",
                        "nik": nik,
                        "birth_date": born,
                        "birth_place": "Sekayu",
                        "relation": "kepala",
                    }
                )
                enrolments.append(
                    {
                        "program": "BANTU_UMAK",
                        "person_id": f"p{i:06d}",
                        "household_id": household,
                        "status": "DISETUJUI",
                        "data": {
                            "decile_source": "dtsen",
                            "household_size": 1 + i % 9,
                            "payment_channel": "tunai",
                        },
                    }
                )
            reg.insert_many("household", households)
            reg.insert_many("person", persons)
            reg.insert_many("enrolment", enrolments)
            office = operations.Actor("bench", side=operations.OFFICE)
            operations.make_sk(
                reg,
                office,
                number=SK_NUMBER,
                decided_on="2026-01-15",
                about="Penetapan Penerima Bantuan Tunai Untuk Masyarakat Miskin (Bantu Umak) "
                "Kabupaten Musi Banyuasin Tahun Anggaran 2026",
                program="BANTU_UMAK",
                period="2026",
                signatory_name="Drs. H. Ahmad Toyibir, M.Si.",
                signatory_title="Kepala Dinas Sosial Kabupaten Musi Banyuasin",
                signatory_nip="197001012000031001",
            )
            ids = settable(db, find_sk(db, SK_NUMBER))
            operations.add_to_sk(reg, office, SK_NUMBER, ids)
    finally:
        db.close()


def sk_registry(sizes: Sizes) -> Path:
    path = cache_dir() / f"sk-{sizes.sk_people}-{_schema_tag()}.db"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        log(f"  making the SK registry of {sizes.sk_people:,} people …")
        partial = path.with_name(path.name + ".partial")
        make_registry(sizes.sk_people, partial)
        partial.replace(path)
    return path


def _cells(found) -> list[tuple]:
    """The rows as the baselines get them, ready-made: No, NIK, KK, name, birth place, birth
    date, address, village, district, amount."""
    from muba_desk.printing.base import short_date

    return [
        (
            str(n),
            r.nik,
            r.kk,
            r.name,
            r.birth_place,
            short_date(r.birth_date),
            r.address,
            r.village,
            r.district,
            r.amount,
        )
        for n, r in enumerate(found.rows, start=1)
    ]


def minimal_pdf(rows: list[tuple], out: Path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen.canvas import Canvas

    from muba_desk.printing.base import CONDENSED, CONDENSED_BOLD, register_fonts

    register_fonts()
    xs = (30, 52, 122, 192, 330, 420, 590, 670, 760)
    pages = -(-len(rows) // ROWS_PER_PAGE)
    canvas = Canvas(str(out), pagesize=landscape(A4), pageCompression=1)
    for page in range(pages):
        canvas.setFont(CONDENSED_BOLD, 8.5)
        canvas.drawString(420, 570, "LAMPIRAN KEPUTUSAN KEPALA DINAS SOSIAL")
        canvas.drawString(420, 559, f"Nomor : {SK_NUMBER}")
        canvas.drawString(420, 548, "Tanggal : 15 Januari 2026")
        canvas.drawString(300, 520, "DAFTAR PENERIMA BANTU UMAK TAHUN 2026")
        canvas.drawString(760, 15, f"Halaman {page + 1} dari {pages}")
        canvas.setFont(CONDENSED, 7.5)
        y = 500
        for row in rows[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE]:
            cells = (*row[:4], f"{row[4]}, {row[5]}", *row[6:9], f"{row[9]:,}")
            for x, text in zip(xs, cells, strict=True):
                canvas.drawString(x, y, text)
            y -= 10
        canvas.showPage()
    canvas.save()


def minimal_xlsx(rows: list[tuple], out: Path) -> None:
    """The same cells as ours: title lines, the header, each row's ten cells (NIK and KK as
    text, the amount as a number), the total row; one sheet."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet = book.add_worksheet("Lampiran")
    bold = book.add_format({"bold": True})
    text = book.add_format({"num_format": "@"})
    money = book.add_format({"num_format": '"Rp "#,##0'})
    sheet.write_string(0, 0, f"Lampiran Keputusan Nomor {SK_NUMBER} tanggal 15 Januari 2026")
    sheet.write_string(1, 0, "Tentang: Penetapan Penerima Bantu Umak")
    sheet.write_string(2, 0, "Program Bantu Umak, tahun 2026")
    header = ("No", "NIK", "No. KK", "Nama", "Tempat Lahir", "Tanggal Lahir", "Alamat", "Desa")
    for c, name in enumerate((*header, "Kecamatan", "Jumlah")):
        sheet.write_string(4, c, name, bold)
    sheet.freeze_panes(5, 0)
    total = 0
    for r, row in enumerate(rows, start=5):
        sheet.write_number(r, 0, r - 4)
        sheet.write_string(r, 1, row[1], text)
        sheet.write_string(r, 2, row[2], text)
        for c in range(3, 9):
            sheet.write_string(r, c, row[c])
        sheet.write_number(r, 9, row[9], money)
        total += row[9]
    sheet.write_number(len(rows) + 5, 9, total, money)
    book.close()


def run(sizes: Sizes) -> list[Row]:
    from muba_desk.lists_out.sk import attachment_of
    from muba_desk.lists_out.sk_pdf import write_sk_pdf
    from muba_desk.lists_out.sk_xlsx import write_sk_xlsx
    from muba_desk.store.db import connect

    source = sk_registry(sizes)

    def read():
        db = connect(source)
        try:
            return attachment_of(db, SK_NUMBER)
        finally:
            db.close()

    found = read()
    if len(found.rows) != sizes.sk_people:
        raise RuntimeError(f"{len(found.rows)} rows in the SK, expected {sizes.sk_people}")
    rows = _cells(found)
    out: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="muba-bench-", dir=source.parent) as tmp:
        tmp = Path(tmp)
        for kind, write, base, target in (
            ("PDF", write_sk_pdf, minimal_pdf, PDF_TARGET),
            ("XLSX", write_sk_xlsx, minimal_xlsx, XLSX_TARGET),
        ):
            suffix = kind.lower()

            def ours(write=write, suffix=suffix):
                write(read(), tmp / f"ours.{suffix}")

            def baseline(base=base, suffix=suffix):
                base(rows, tmp / f"base.{suffix}")

            if sizes.warm_up:
                ours(), baseline()
            a, b = interleaved(sizes.sk_rounds, ours, baseline, budget_s=240)
            kb = ((tmp / f"ours.{suffix}").stat().st_size // 1024,)
            kb += ((tmp / f"base.{suffix}").stat().st_size // 1024,)
            row = Row(
                f"SK attachment of {sizes.sk_people:,} people to {kind}",
                median(a),
                median(b),
                target,
            )
            row.notes.append(
                f"SK {kind}: {kb[0]:,} kB ours (read from the database, wrapped, subtotals), "
                f"{kb[1]:,} kB baseline"
            )
            out.append(row)
    return out
