"""A4 sheets for the office file: Bertani photo sheet, KUBE member list, Bakul Nasi deliveries."""

from __future__ import annotations

from datetime import date, timedelta
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from muba_desk.domain.money import format_rupiah, terbilang
from muba_desk.printing.base import (
    BOLD,
    GREY,
    INK,
    ITALIC,
    REGULAR,
    choice_label,
    draw_letterhead,
    long_date,
    masked_nik,
    new_canvas,
    office_settings,
    short_date,
)
from muba_desk.printing.data import enrolment_row, group_members, house_photos, today_wib
from muba_desk.printing.fit import Page, fit_line, fit_lines
from muba_desk.printing.images import draw_jpeg_cover

LEFT, RIGHT = 18 * mm, A4[0] - 18 * mm
HEADER_FILL = HexColor("#e4ece8")
PHOTO_KINDS = (
    ("house_before", "SEBELUM (0 %)"),
    ("house_during", "PROSES (50 %)"),
    ("house_after", "SESUDAH (100 %)"),
)
ROLES = {"ketua": "Ketua", "sekretaris": "Sekretaris", "bendahara": "Bendahara"}


def _label(value) -> str:
    """A stored choice value as words, via the program's field when the domain knows it."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    return str(value).replace("_", " ").capitalize()


def _choice(program_module: str, field: str, value) -> str:
    try:
        module = __import__(f"muba_desk.domain.programs.{program_module}", fromlist=["FIELDS"])
        found = next(f for f in module.FIELDS if f.name == field)
    except (ImportError, StopIteration, AttributeError, KeyError):
        return _label(value)
    if isinstance(value, bool):
        return _label(value)
    return choice_label(found.choices, value)  # an unknown code reads as words, not a code


def _cell(value, font_size: float, font: str = REGULAR):
    """A table cell that wraps inside its column (a plain string would run over the next)."""
    style = ParagraphStyle(
        "cell", fontName=font, fontSize=font_size, leading=font_size * 1.2, textColor=INK
    )
    return Paragraph(escape(str(value)), style)


def _table(rows, widths, *, header=True, font_size=8.5, repeat=0) -> Table:
    """Every cell wraps in its column; a long table continues on the next page with its
    header row repeated (`repeat`)."""
    cells = [
        [_cell(v, font_size, BOLD if header and r == 0 else REGULAR) for v in row]
        for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, repeatRows=repeat)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)]
    table.setStyle(TableStyle(style))
    return table


TOP = A4[1] - 15 * mm
BOTTOM = 15 * mm


class _Sheet:
    """A sheet drawn top-down: what does not fit above the bottom margin continues on a new
    page, headed by the sheet's title and "lanjutan"."""

    def __init__(self, canvas, title: str):
        self.canvas, self.title = canvas, title
        self.number = 1
        self.page = Page()
        self.y = TOP

    def new_page(self) -> None:
        self.canvas.showPage()
        self.number += 1
        self.page = Page()
        self.canvas.setFillColor(INK)
        text = f"{self.title} (lanjutan, halaman {self.number})"
        fit_line(self.canvas, text, BOLD, 10, 7, RIGHT - LEFT, x=LEFT, y=TOP - 4 * mm,
                 page=self.page)  # fmt: skip
        self.y = TOP - 10 * mm

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.new_page()

    def table(self, table: Table) -> None:
        """Place `table` at the cursor, splitting it over pages between its rows."""
        while True:
            room = self.y - BOTTOM
            _, height = table.wrapOn(self.canvas, RIGHT - LEFT, room)
            if height <= room:
                table.drawOn(self.canvas, LEFT, self.y - height)
                self.y -= height
                return
            parts = table.splitOn(self.canvas, RIGHT - LEFT, room)
            if len(parts) < 2:
                self.new_page()  # not even one row fits here
                continue
            _, first = parts[0].wrapOn(self.canvas, RIGHT - LEFT, room)
            parts[0].drawOn(self.canvas, LEFT, self.y - first)
            self.new_page()
            table = parts[1]


def _heading(sheet: _Sheet, db, subtitle: str) -> None:
    canvas = sheet.canvas
    top = draw_letterhead(canvas, LEFT, RIGHT, A4[1] - 12 * mm, office_settings(db)["address"])
    canvas.setFillColor(INK)
    fit_line(canvas, sheet.title, BOLD, 12, 8, RIGHT - LEFT, x=A4[0] / 2, y=top - 9 * mm,
             align="center", page=sheet.page)  # fmt: skip
    fit_lines(canvas, subtitle, REGULAR, 9, 7, RIGHT - LEFT, 2, x=A4[0] / 2, y=top - 14 * mm,
              align="center", page=sheet.page)  # fmt: skip
    sheet.y = top - 22 * mm


SIGNATURES_H = 46 * mm  # from the cursor to below a three-line name


def _signatures(sheet: _Sheet, place: str, left_role: str, right_role: str, names=("", "")):
    """Two signatories side by side, each in a 70 mm column; their signing space is reserved
    and a name at the rules' length limit wraps to three lines under the line."""
    sheet.need(SIGNATURES_H)
    canvas, page, y = sheet.canvas, sheet.page, sheet.y - 6 * mm
    sheet.y -= SIGNATURES_H
    canvas.setFillColor(INK)
    right_x, left_x = RIGHT - 38 * mm, LEFT + 38 * mm
    fit_line(canvas, f"{place}, {long_date(today_wib())}", REGULAR, 9, 7, 76 * mm, x=right_x,
             y=y, align="center", page=page)  # fmt: skip
    for index, (x, role, name) in enumerate(
        zip((left_x, right_x), (left_role, right_role), names, strict=True)
    ):
        page.reserve(f"tanda tangan {index}", x - 35 * mm, y - 26 * mm, x + 35 * mm, y - 7.5 * mm)
        canvas.setFillColor(INK)
        fit_line(canvas, role, REGULAR, 9, 7, 70 * mm, x=x, y=y - 5 * mm, align="center",
                 page=page)  # fmt: skip
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.5)
        canvas.line(x - 30 * mm, y - 26.5 * mm, x + 30 * mm, y - 26.5 * mm)
        fit_lines(canvas, name or "(..............................)", BOLD, 9, 6.5, 68 * mm, 3,
                  x=x, y=y - 30 * mm, align="center", page=page)  # fmt: skip


def _where(row) -> str:
    parts = [row.get("address"), row.get("village") and f"Desa {row['village']}"]
    parts.append(row.get("district") and f"Kec. {row['district']}")
    return ", ".join(p for p in parts if p) or "-"


def _decimal(value, places: int = 1) -> str:
    """24.0 -> "24,0": one decimal sign on paper, the Indonesian comma."""
    return f"{value:.{places}f}".replace(".", ",")


def render_bertani_sheet(db, enrolment_id: str, target) -> None:
    """Before, during and after photos of a renovated house with the assessment and budget."""
    row = enrolment_row(db, enrolment_id)
    data = row["data"]
    canvas = new_canvas(target, A4, "Lembar foto Bertani")
    sheet = _Sheet(canvas, "LEMBAR FOTO BEDAH RUMAH TIDAK LAYAK HUNI (BERTANI)")
    _heading(sheet, db, f"Nomor kartu {row['card_number'] or '-'}")
    identity = [
        ["Kepala rumah tangga", row["person_name"] or "-", "NIK", masked_nik(row["nik"])],
        ["Alamat", _where(row), "No. KK", masked_nik(row["kk_number"])],
    ]
    sheet.table(_table(identity, [38 * mm, 76 * mm, 18 * mm, 42 * mm], header=False))
    sheet.y -= 6 * mm
    photos = house_photos(db, row)
    width = (RIGHT - LEFT - 2 * 4 * mm) / 3
    height = width * 3 / 4
    sheet.need(6 * mm + height + 10 * mm)
    y = sheet.y
    for index, (kind, caption) in enumerate(PHOTO_KINDS):
        x = LEFT + index * (width + 4 * mm)
        canvas.setFillColor(INK)
        fit_line(canvas, caption, BOLD, 9, 7, width, x=x + width / 2, y=y - 4 * mm,
                 align="center", page=sheet.page)  # fmt: skip
        box_y = y - 6 * mm - height
        photo = photos.get(kind)
        if photo:
            draw_jpeg_cover(canvas, f"{enrolment_id}{kind}", photo["jpeg"], x, box_y, width, height)
            sheet.page.reserve(f"foto {kind}", x, box_y, x + width, box_y + height)
        else:
            canvas.setFillColor(GREY)
            fit_line(canvas, "belum ada foto", ITALIC, 8, 6, width, x=x + width / 2,
                     y=box_y + height / 2, align="center", page=sheet.page)  # fmt: skip
        canvas.setStrokeColor(GREY)
        canvas.rect(x, box_y, width, height)
        canvas.setFillColor(INK)
        taken = photo and photo["taken_at"]
        fit_line(canvas, f"Tanggal: {short_date(taken) if taken else '-'}", REGULAR, 7.5, 6,
                 width, x=x, y=box_y - 4 * mm, page=sheet.page)  # fmt: skip
        gps = "-"
        if photo and photo["gps_lat"] is not None:
            gps = f"{photo['gps_lat']:.5f}, {photo['gps_lon']:.5f}"
        fit_line(canvas, f"GPS: {gps}", REGULAR, 7.5, 6, width, x=x, y=box_y - 8 * mm,
                 page=sheet.page)  # fmt: skip
    sheet.y -= 6 * mm + height + 14 * mm
    area, occupants = data.get("floor_area"), data.get("occupants")
    per_person = f"{_decimal(area / occupants)} m\u00b2" if area and occupants else "-"
    floor = f"{_decimal(area)} m\u00b2" if area else "- m\u00b2"
    assessment = [
        ["Penilaian rumah", "Bahan", "Kondisi"],
        ["Atap", _choice("bertani", "roof_material", data.get("roof_material")),
         _choice("bertani", "roof_condition", data.get("roof_condition"))],
        ["Dinding", _choice("bertani", "wall_material", data.get("wall_material")),
         _choice("bertani", "wall_condition", data.get("wall_condition"))],
        ["Lantai", _choice("bertani", "floor_material", data.get("floor_material")),
         _choice("bertani", "floor_condition", data.get("floor_condition"))],
        ["Luas lantai / penghuni",
         f"{floor} / {occupants or '-'} orang", f"{per_person} per orang"],
        ["Air minum / jamban", _choice("bertani", "water_source", data.get("water_source")),
         _choice("bertani", "toilet", data.get("toilet"))],
        ["Penerangan", _choice("bertani", "lighting", data.get("lighting")), ""],
        ["Bukti tanah", _choice("bertani", "land_evidence", data.get("land_evidence")),
         "Sengketa" if data.get("land_disputed") else "Tidak sengketa"],
        ["Titik GPS rumah",
         f"{data['gps_lat']:.5f}, {data['gps_lon']:.5f}" if data.get("gps_lat") else "-", ""],
        ["Tahap pekerjaan", _choice("bertani", "progress", data.get("progress")), ""],
    ]  # fmt: skip
    sheet.table(_table(assessment, [48 * mm, 70 * mm, 56 * mm], repeat=1))
    sheet.y -= 5 * mm
    budget = data.get("budget")
    money = [
        ["Anggaran", format_rupiah(budget) if budget is not None else "-"],
        ["Terbilang", terbilang(budget) if budget is not None else "-"],
    ]
    sheet.table(_table(money, [48 * mm, 126 * mm], header=False))
    sheet.y -= 4 * mm
    _signatures(sheet, office_settings(db)["place"], "Pendamping,", "Mengetahui, Kepala Desa")
    canvas.save()


def render_kube_list(db, enrolment_id: str, target) -> None:
    """The member list of a KUBE group with the grant, for the group's and the office's file;
    a long list continues on the next page with its header row."""
    row = enrolment_row(db, enrolment_id)
    data = row["data"]
    canvas = new_canvas(target, A4, "Daftar anggota KUBE")
    name = row["group_name"] or data.get("group_name") or "-"
    sheet = _Sheet(canvas, "DAFTAR ANGGOTA KELOMPOK USAHA BERSAMA (KUBE)")
    _heading(sheet, db, name)
    grant = data.get("grant_amount")
    business = _choice(
        "kube_uep", "business_type", data.get("business_type") or row["business_type"]
    )
    account = " ".join(p for p in (row["bank_name"], row["bank_account"]) if p) or "-"
    about = [
        ["Nama kelompok", name, "Jenis usaha", business],
        ["Desa / Kecamatan", f"{row['village'] or '-'} / {row['district'] or '-'}",
         "Rekening", account],
        ["Nilai bantuan", format_rupiah(grant) if grant else "-", "Terbilang",
         terbilang(grant) if grant else "-"],
    ]  # fmt: skip
    sheet.table(_table(about, [32 * mm, 55 * mm, 24 * mm, 63 * mm], header=False, font_size=8))
    sheet.y -= 6 * mm
    members = group_members(db, row["grp_id"]) if row["grp_id"] else []
    table = [["No", "Nama", "NIK", "Jabatan", "Alamat", "Tanda tangan"]]
    for number, member in enumerate(members, start=1):
        table.append(
            [
                str(number),
                member["name"],
                masked_nik(member["nik"]),
                ROLES.get(member["role"], "Anggota"),
                member["address"] or "-",
                f"{number}. ........",
            ]
        )
    widths = [9 * mm, 46 * mm, 34 * mm, 20 * mm, 37 * mm, 28 * mm]
    members_table = _table(table, widths, font_size=8, repeat=1)
    members_table.setStyle(
        TableStyle([("TOPPADDING", (0, 1), (-1, -1), 5), ("BOTTOMPADDING", (0, 1), (-1, -1), 5)])
    )
    sheet.table(members_table)
    sheet.need(8 * mm)
    canvas.setFillColor(INK)
    fit_line(canvas, f"Jumlah anggota: {len(members)} orang", REGULAR, 8, 7, RIGHT - LEFT,
             x=LEFT, y=sheet.y - 5 * mm, page=sheet.page)  # fmt: skip
    sheet.y -= 8 * mm
    chair = next((m["name"] for m in members if m["role"] == "ketua"), "")
    treasurer = next((m["name"] for m in members if m["role"] == "bendahara"), "")
    _signatures(sheet, office_settings(db)["place"], "Ketua kelompok,", "Bendahara kelompok,",
                (chair, treasurer))  # fmt: skip
    canvas.save()


def delivery_days(start: str | date | None, days: int) -> list[date]:
    if isinstance(start, date):
        first = start
    else:
        first = date.fromisoformat(start[:10]) if start else today_wib().replace(day=1)
    return [first + timedelta(days=n) for n in range(days)]


def eaters(row: dict) -> int:
    """Who eats: an orphanage's children listed on the enrolment, or the one person (the
    receipts count portions the same way: meals x days x eaters)."""
    children = row["data"].get("children")
    if row.get("institution_id"):
        return len(children) if isinstance(children, list | tuple) else 0
    return 1


def delivery_period(row: dict, on: date | None = None) -> tuple[date, int]:
    """(first day, days) of the delivery period containing `on` (default today) within the
    enrolment's period: a month from its first day (or the enrolment's start), a week from the
    enrolment's start, `days_per_period` days long and never past the enrolment's end."""
    data = row["data"]
    days = int(data.get("days_per_period") or 30)
    start = date.fromisoformat(row["period_start"][:10]) if row.get("period_start") else None
    end = date.fromisoformat(row["period_end"][:10]) if row.get("period_end") else None
    on = on or today_wib()
    if start and on < start:
        on = start
    if end and on > end:
        on = end
    if data.get("delivery_period") == "mingguan" and start:
        first = start + timedelta(days=7 * ((on - start).days // 7))
    else:
        first = on.replace(day=1)
        if start and first < start:
            first = start
    if end:
        days = max(1, min(days, (end - first).days + 1))
    return first, days


def render_bakul_nasi_sheet(db, enrolment_id: str, target, *, on: date | None = None) -> None:
    """The delivery sheet of one Bakul Nasi delivery period (the one containing `on`, default
    today): a row a day, initialled on delivery; an orphanage's portions count its children."""
    row = enrolment_row(db, enrolment_id)
    data = row["data"]
    canvas = new_canvas(target, A4, "Daftar pengantaran Bakul Nasi")
    meals = int(data.get("meals_per_day") or 1)
    first, days = delivery_period(row, on)
    last = first + timedelta(days=days - 1)
    people = eaters(row)
    daily = meals * people
    sheet = _Sheet(canvas, "DAFTAR PENGANTARAN PERMAKANAN (BAKUL NASI)")
    _heading(sheet, db, f"Periode pengantaran {short_date(first)} s.d. {short_date(last)}")
    institution = bool(row.get("institution_id"))
    recipient = row["institution_name"] if institution else row["person_name"]
    recipient = recipient or "-"
    address = data.get("delivery_address") or row["institution_address"] or _where(row)
    if institution:
        portions = f"{meals} x {people} anak x {days} hari = {_count(daily * days)} porsi"
        about = [
            ["Lembaga", recipient, "Kepala", row["institution_head"] or "-"],
            ["Alamat antar", address, "Porsi", portions],
        ]
    else:
        portions = f"{meals} x {days} hari = {_count(daily * days)} porsi"
        about = [
            ["Penerima", recipient, "NIK", masked_nik(row["nik"])],
            ["Alamat antar", address, "Porsi", portions],
        ]
    span = f"{short_date(row['period_start'])} s.d. {short_date(row['period_end'])}"
    about.append(
        [
            "Masa bantuan",
            span,
            "Periode",
            _choice("bakul_nasi", "delivery_period", data.get("delivery_period")),
        ]
    )
    sheet.table(_table(about, [28 * mm, 78 * mm, 16 * mm, 52 * mm], header=False))
    sheet.y -= 5 * mm
    table = [["No", "Hari, tanggal", "Porsi", "Paraf penerima", "Paraf pengantar", "Catatan"]]
    weekdays = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
    for number, day in enumerate(delivery_days(first, days), start=1):
        table.append(
            [str(number), f"{weekdays[day.weekday()]}, {short_date(day)}", _count(daily), "",
             "", ""]
        )  # fmt: skip
    table.append(["", "Jumlah", _count(daily * days), "", "", ""])
    widths = [10 * mm, 40 * mm, 16 * mm, 36 * mm, 36 * mm, 36 * mm]
    deliveries = _table(table, widths, font_size=7.5, repeat=1)
    deliveries.setStyle(
        TableStyle(
            [
                ("TOPPADDING", (0, 1), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 1.2),
            ]
        )
    )
    sheet.table(deliveries)
    role = "Kepala lembaga," if institution else "Penerima,"
    signer = row["institution_head"] if institution else recipient
    sheet.y -= 2 * mm
    _signatures(sheet, office_settings(db)["place"], "Pengantar / Pendamping,", role,
                ("", signer or ""))  # fmt: skip
    canvas.save()


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")
