"""A4 sheets for the office file: Bertani photo sheet, KUBE member list, Bakul Nasi deliveries."""

from __future__ import annotations

from datetime import date, timedelta

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

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


def _table(rows, widths, *, header=True, font_size=8.5) -> Table:
    table = Table(rows, colWidths=widths)
    style = [
        ("FONT", (0, 0), (-1, -1), REGULAR, font_size),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("GRID", (0, 0), (-1, -1), 0.4, GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        style += [
            ("FONT", (0, 0), (-1, 0), BOLD, font_size),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ]
    table.setStyle(TableStyle(style))
    return table


def _place(canvas, table: Table, y: float) -> float:
    """Draw `table` with its top at `y`; returns the y below it."""
    _, height = table.wrapOn(canvas, RIGHT - LEFT, y)
    table.drawOn(canvas, LEFT, y - height)
    return y - height


def _heading(canvas, db, title: str, subtitle: str) -> float:
    top = draw_letterhead(canvas, LEFT, RIGHT, A4[1] - 12 * mm, office_settings(db)["address"])
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 12)
    canvas.drawCentredString(A4[0] / 2, top - 9 * mm, title)
    canvas.setFont(REGULAR, 9)
    canvas.drawCentredString(A4[0] / 2, top - 14 * mm, subtitle)
    return top - 20 * mm


def _signatures(canvas, y: float, place: str, left_role: str, right_role: str, names=("", "")):
    canvas.setFont(REGULAR, 9)
    canvas.setFillColor(INK)
    right_x, left_x = RIGHT - 35 * mm, LEFT + 35 * mm
    canvas.drawCentredString(right_x, y, f"{place}, {long_date(today_wib())}")
    canvas.drawCentredString(left_x, y - 5 * mm, left_role)
    canvas.drawCentredString(right_x, y - 5 * mm, right_role)
    for x, name in zip((left_x, right_x), names, strict=True):
        canvas.setFont(BOLD, 9)
        canvas.drawCentredString(x, y - 27 * mm, name or "(..............................)")
        canvas.line(x - 30 * mm, y - 28 * mm, x + 30 * mm, y - 28 * mm)


def _where(row) -> str:
    parts = [row.get("address"), row.get("village") and f"Desa {row['village']}"]
    parts.append(row.get("district") and f"Kec. {row['district']}")
    return ", ".join(p for p in parts if p) or "-"


def render_bertani_sheet(db, enrolment_id: str, target) -> None:
    """Before, during and after photos of a renovated house with the assessment and budget."""
    row = enrolment_row(db, enrolment_id)
    data = row["data"]
    canvas = new_canvas(target, A4, "Lembar foto Bertani")
    y = _heading(
        canvas,
        db,
        "LEMBAR FOTO BEDAH RUMAH TIDAK LAYAK HUNI (BERTANI)",
        f"Nomor kartu {row['card_number'] or '-'}",
    )
    identity = [
        ["Kepala rumah tangga", row["person_name"] or "-", "NIK", masked_nik(row["nik"])],
        ["Alamat", _where(row), "No. KK", masked_nik(row["kk_number"])],
    ]
    y = _place(canvas, _table(identity, [38 * mm, 70 * mm, 20 * mm, 46 * mm], header=False), y)
    y -= 6 * mm
    photos = house_photos(db, row)
    width = (RIGHT - LEFT - 2 * 4 * mm) / 3
    height = width * 3 / 4
    for index, (kind, caption) in enumerate(PHOTO_KINDS):
        x = LEFT + index * (width + 4 * mm)
        canvas.setFont(BOLD, 9)
        canvas.setFillColor(INK)
        canvas.drawCentredString(x + width / 2, y - 4 * mm, caption)
        box_y = y - 6 * mm - height
        photo = photos.get(kind)
        if photo:
            draw_jpeg_cover(canvas, f"{enrolment_id}{kind}", photo["jpeg"], x, box_y, width, height)
        else:
            canvas.setFont(ITALIC, 8)
            canvas.setFillColor(GREY)
            canvas.drawCentredString(x + width / 2, box_y + height / 2, "belum ada foto")
        canvas.setStrokeColor(GREY)
        canvas.rect(x, box_y, width, height)
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(INK)
        taken = photo and photo["taken_at"]
        canvas.drawString(x, box_y - 4 * mm, f"Tanggal: {short_date(taken) if taken else '-'}")
        gps = "-"
        if photo and photo["gps_lat"] is not None:
            gps = f"{photo['gps_lat']:.5f}, {photo['gps_lon']:.5f}"
        canvas.drawString(x, box_y - 8 * mm, f"GPS: {gps}")
    y -= 6 * mm + height + 14 * mm
    area, occupants = data.get("floor_area"), data.get("occupants")
    per_person = f"{area / occupants:.1f} m\u00b2".replace(".", ",") if area and occupants else "-"
    assessment = [
        ["Penilaian rumah", "Bahan", "Kondisi"],
        ["Atap", _choice("bertani", "roof_material", data.get("roof_material")),
         _choice("bertani", "roof_condition", data.get("roof_condition"))],
        ["Dinding", _choice("bertani", "wall_material", data.get("wall_material")),
         _choice("bertani", "wall_condition", data.get("wall_condition"))],
        ["Lantai", _choice("bertani", "floor_material", data.get("floor_material")),
         _choice("bertani", "floor_condition", data.get("floor_condition"))],
        ["Luas lantai / penghuni",
         f"{area or '-'} m\u00b2 / {occupants or '-'} orang", f"{per_person} per orang"],
        ["Air minum / jamban", _choice("bertani", "water_source", data.get("water_source")),
         _choice("bertani", "toilet", data.get("toilet"))],
        ["Penerangan", _choice("bertani", "lighting", data.get("lighting")), ""],
        ["Bukti tanah", _choice("bertani", "land_evidence", data.get("land_evidence")),
         "Sengketa" if data.get("land_disputed") else "Tidak sengketa"],
        ["Titik GPS rumah",
         f"{data['gps_lat']:.5f}, {data['gps_lon']:.5f}" if data.get("gps_lat") else "-", ""],
        ["Tahap pekerjaan", _choice("bertani", "progress", data.get("progress")), ""],
    ]  # fmt: skip
    y = _place(canvas, _table(assessment, [48 * mm, 70 * mm, 56 * mm]), y)
    y -= 5 * mm
    budget = data.get("budget")
    money = [
        ["Anggaran", format_rupiah(budget) if budget is not None else "-"],
        ["Terbilang", terbilang(budget) if budget is not None else "-"],
    ]
    y = _place(canvas, _table(money, [48 * mm, 126 * mm], header=False), y)
    _signatures(canvas, y - 10 * mm, office_settings(db)["place"], "Pendamping,",
                "Mengetahui, Kepala Desa")  # fmt: skip
    canvas.save()


def render_kube_list(db, enrolment_id: str, target) -> None:
    """The member list of a KUBE group with the grant, for the group's and the office's file."""
    row = enrolment_row(db, enrolment_id)
    data = row["data"]
    canvas = new_canvas(target, A4, "Daftar anggota KUBE")
    name = row["group_name"] or data.get("group_name") or "-"
    y = _heading(canvas, db, "DAFTAR ANGGOTA KELOMPOK USAHA BERSAMA (KUBE)", name)
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
    about_table = _table(about, [32 * mm, 55 * mm, 24 * mm, 63 * mm], header=False, font_size=8)
    y = _place(canvas, about_table, y) - 6 * mm
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
    widths = [10 * mm, 44 * mm, 34 * mm, 24 * mm, 34 * mm, 28 * mm]
    members_table = _table(table, widths)
    members_table.setStyle(
        TableStyle([("ALIGN", (0, 1), (0, -1), "CENTER"), ("TOPPADDING", (0, 1), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 6)])
    )  # fmt: skip
    y = _place(canvas, members_table, y)
    canvas.setFont(REGULAR, 8)
    canvas.drawString(LEFT, y - 5 * mm, f"Jumlah anggota: {len(members)} orang")
    chair = next((m["name"] for m in members if m["role"] == "ketua"), "")
    treasurer = next((m["name"] for m in members if m["role"] == "bendahara"), "")
    _signatures(canvas, y - 14 * mm, office_settings(db)["place"], "Ketua kelompok,",
                "Bendahara kelompok,", (chair, treasurer))  # fmt: skip
    canvas.save()


def delivery_days(start: str | None, days: int) -> list[date]:
    first = date.fromisoformat(start[:10]) if start else today_wib().replace(day=1)
    return [first + timedelta(days=n) for n in range(days)]


def render_bakul_nasi_sheet(db, enrolment_id: str, target) -> None:
    """The delivery sheet of one Bakul Nasi period: a row a day, initialled on delivery."""
    row = enrolment_row(db, enrolment_id)
    data = row["data"]
    canvas = new_canvas(target, A4, "Daftar pengantaran Bakul Nasi")
    meals = int(data.get("meals_per_day") or 1)
    days = int(data.get("days_per_period") or 30)
    period = f"{short_date(row['period_start'])} s.d. {short_date(row['period_end'])}"
    y = _heading(canvas, db, "DAFTAR PENGANTARAN PERMAKANAN (BAKUL NASI)", f"Periode {period}")
    recipient = row["person_name"] or row["institution_name"] or "-"
    address = data.get("delivery_address") or row["institution_address"] or _where(row)
    about = [
        ["Penerima", recipient, "NIK", masked_nik(row["nik"])],
        ["Alamat antar", address, "Porsi", f"{meals} x {days} hari = {meals * days} porsi"],
    ]
    y = _place(canvas, _table(about, [28 * mm, 78 * mm, 16 * mm, 52 * mm], header=False), y)
    y -= 5 * mm
    table = [["No", "Hari, tanggal", "Porsi", "Paraf penerima", "Paraf pengantar", "Catatan"]]
    weekdays = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
    for number, day in enumerate(delivery_days(row["period_start"], days), start=1):
        table.append(
            [str(number), f"{weekdays[day.weekday()]}, {short_date(day)}", str(meals), "", "", ""]
        )
    table.append(["", "Jumlah", str(meals * days), "", "", ""])
    widths = [10 * mm, 40 * mm, 16 * mm, 36 * mm, 36 * mm, 36 * mm]
    deliveries = _table(table, widths, font_size=7.5)
    deliveries.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
                ("ALIGN", (2, 1), (2, -1), "CENTER"),
                ("FONT", (0, -1), (-1, -1), BOLD, 7.5),
                ("TOPPADDING", (0, 1), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 1.2),
            ]
        )
    )
    y = _place(canvas, deliveries, y)
    _signatures(canvas, y - 8 * mm, office_settings(db)["place"], "Pengantar / Pendamping,",
                "Penerima,", ("", recipient))  # fmt: skip
    canvas.save()
