"""The report's numbers as plain tables: counts and money by program, district, village, month.

Everything comes from a few SQL aggregates at the finest grain (program x village x month),
rolled up in Python, so the whole regency takes well under a few seconds. Months and years are
WIB calendar months of the event: enrolled (created), approved / rejected / withdrawn (status
change), handed over (hand-over date).

"Disetujui" counts approvals that still stand (the enrolment is approved, active or ended
since); an approval the office later withdrew (Disetujui -> Ditolak, before any aid) is counted
apart as "Persetujuan ditarik", and "Ditolak" counts rejections of sent enrolments only, so no
enrolment is counted as both approved and rejected for one decision.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from muba_desk.domain.programs import PROGRAMS
from muba_desk.progress import Progress, SilentProgress

WIB = "+7 hours"
MEASURES = (
    ("enrolled", "Terdaftar"),
    ("approved", "Disetujui"),
    ("rejected", "Ditolak"),
    ("withdrawn", "Persetujuan ditarik"),
    ("cash_count", "Penyerahan tunai"),
    ("cash_amount", "Uang diserahkan (Rp)"),
    ("goods_count", "Penyerahan barang"),
)
MONEY_HEADERS = {"Uang diserahkan (Rp)", "Hibah diserahkan (Rp)"}
BERTANI_STAGES = (("0", "Tahap 0 %"), ("50", "Tahap 50 %"), ("100", "Selesai 100 %"))
NO_PLACE = "(tanpa wilayah)"


@dataclass
class Table:
    """One sheet of the workbook or one table of the PDF: named columns, rows of real values."""

    name: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    def total(self, column: str) -> int | float:
        i = self.columns.index(column)
        return sum(row[i] for row in self.rows if isinstance(row[i], int | float))


@dataclass
class Figures:
    year: int | None
    program: str | None
    tables: list[Table]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    @property
    def scope(self) -> str:
        """ "Tahun 2026, semua program" in the words of the report's subtitle."""
        when = f"Tahun {self.year}" if self.year else "Semua tahun"
        what = program_label(self.program) if self.program else "semua program"
        return f"{when}, {what}"


def program_label(code: str) -> str:
    program = PROGRAMS.get(code)
    return program.name if program else code


def _window(column: str, year: int | None) -> tuple[str, list]:
    """SQL filter keeping events of `year` (WIB), on an ISO UTC timestamp column."""
    if year is None:
        return "1", []
    return f"strftime('%Y', {column}, '{WIB}') = ?", [str(year)]


_ENROLMENT_PLACE = """
    SELECT e.id, e.program, e.status, e.data, e.grp_id, e.created_at,
           coalesce(h.village_code, i.village_code, g.village_code) AS village_code
    FROM enrolment e
    LEFT JOIN household h ON h.id = e.household_id
    LEFT JOIN institution i ON i.id = e.institution_id
    LEFT JOIN grp g ON g.id = e.grp_id
    WHERE e.deleted_at IS NULL AND (? IS NULL OR e.program = ?)"""


def _fine_grain(db, year: int | None, program: str | None) -> dict[tuple, dict[str, float]]:
    """(program, village_code, month) -> measures."""
    cells: dict[tuple, dict[str, float]] = defaultdict(lambda: dict.fromkeys(dict(MEASURES), 0))
    base = f"WITH en AS ({_ENROLMENT_PLACE})"
    p = [program, program]
    month = "strftime('%Y-%m', {0}, '" + WIB + "')"

    where, params = _window("en.created_at", year)
    for prog, village, mon, n in db.conn.execute(
        f"{base} SELECT program, village_code, {month.format('created_at')}, count(*) "
        f"FROM en WHERE {where} GROUP BY 1, 2, 3",
        (*p, *params),
    ):
        cells[(prog, village, mon)]["enrolled"] += n
    where, params = _window("s.created_at", year)
    # Approvals standing now; rejections of what was sent; approvals withdrawn.
    decisions = (
        (
            "approved",
            "s.to_status = 'DISETUJUI' AND en.status IN ('DISETUJUI', 'AKTIF', 'SELESAI')",
        ),
        ("rejected", "s.to_status = 'DITOLAK' AND coalesce(s.from_status, '') != 'DISETUJUI'"),
        ("withdrawn", "s.to_status = 'DITOLAK' AND s.from_status = 'DISETUJUI'"),
    )
    for key, which in decisions:
        for prog, village, mon, n in db.conn.execute(
            f"{base} SELECT en.program, en.village_code, {month.format('s.created_at')}, "
            f"count(DISTINCT s.enrolment_id) FROM enrolment_status s "
            f"JOIN en ON en.id = s.enrolment_id "
            f"WHERE s.deleted_at IS NULL AND {which} AND {where} GROUP BY 1, 2, 3",
            (*p, *params),
        ):
            cells[(prog, village, mon)][key] += n
    where, params = _window("ho.handed_at", year)
    for prog, village, mon, cash_n, cash, goods_n in db.conn.execute(
        f"{base} SELECT en.program, en.village_code, {month.format('ho.handed_at')}, "
        f"sum(ho.amount > 0), coalesce(sum(ho.amount), 0), sum(ho.items != '[]') "
        f"FROM handover ho JOIN en ON en.id = ho.enrolment_id "
        f"WHERE ho.deleted_at IS NULL AND {where} GROUP BY 1, 2, 3",
        (*p, *params),
    ):
        cell = cells[(prog, village, mon)]
        cell["cash_count"] += cash_n or 0
        cell["cash_amount"] += cash or 0
        cell["goods_count"] += goods_n or 0
    return cells


def _places(db) -> dict[str, tuple[str, str, str]]:
    """Village code -> (district code, district name, village name)."""
    return {
        v: (d, dn, vn)
        for v, d, dn, vn in db.conn.execute(
            "SELECT v.code, d.code, d.name, v.name FROM area_village v "
            "JOIN area_district d ON d.code = v.district_code"
        )
    }


def _roll_up(cells, key_of) -> dict[tuple, dict[str, float]]:
    out: dict[tuple, dict[str, float]] = defaultdict(lambda: dict.fromkeys(dict(MEASURES), 0))
    for fine, measures in cells.items():
        target = out[key_of(*fine)]
        for name, value in measures.items():
            target[name] += value
    return out


def _measure_table(name, title, key_columns, grouped, sort_key=None) -> Table:
    table = Table(name, title, [*key_columns, *(label for _, label in MEASURES)])
    for key in sorted(grouped, key=sort_key):
        measures = grouped[key]
        table.rows.append([*key, *(int(measures[m]) for m, _ in MEASURES)])
    return table


def compute(
    db, *, year: int | None = None, program: str | None = None, progress: Progress | None = None
) -> Figures:
    """All of the report's tables for `year` (None: every year) and `program` (None: all)."""
    progress = progress or SilentProgress()
    progress.update(0, 5, "Menghitung pendaftaran dan penyerahan")
    cells = _fine_grain(db, year, program)
    places = _places(db)

    def where(village):
        return places.get(village, ("", NO_PLACE, NO_PLACE))

    def name(code):
        return program_label(code)

    progress.update(1, 5, "Menyusun tabel")
    tables = [
        _measure_table(
            "Program",
            "Menurut program",
            ["Program"],
            _roll_up(cells, lambda p, v, m: (name(p),)),
        ),
        _measure_table(
            "Kecamatan",
            "Menurut kecamatan dan program",
            ["Kecamatan", "Program"],
            _roll_up(cells, lambda p, v, m: (where(v)[1], name(p))),
        ),
        _measure_table(
            "Desa",
            "Menurut desa dan program",
            ["Kecamatan", "Desa", "Program"],
            _roll_up(cells, lambda p, v, m: (where(v)[1], where(v)[2], name(p))),
        ),
        _measure_table(
            "Bulan",
            "Menurut bulan dan program",
            ["Bulan", "Program"],
            _roll_up(cells, lambda p, v, m: (m or "-", name(p))),
        ),
    ]
    progress.update(2, 5, "Menghitung Bertani dan KUBE")
    if program in (None, "BERTANI"):
        tables.append(_bertani(db, year, places))
    if program in (None, "KUBE_UEP"):
        tables.append(_kube(db, year, places))
    progress.update(3, 5, "Menghitung penduduk")
    tables.append(_people(db, year, program, places))
    progress.update(5, 5, "Selesai")
    return Figures(year, program, tables)


def _bertani(db, year, places) -> Table:
    """Houses by stage now (rejected ones left out), per district, for houses enrolled in
    `year`."""
    where, params = _window("en.created_at", year)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for village, stage, n in db.conn.execute(
        f"WITH en AS ({_ENROLMENT_PLACE}) SELECT village_code, "
        f"coalesce(json_extract(data, '$.progress'), ''), count(*) FROM en "
        f"WHERE status != 'DITOLAK' AND {where} GROUP BY 1, 2",
        ("BERTANI", "BERTANI", *params),
    ):
        district = places.get(village, ("", NO_PLACE, ""))[1]
        counts[district][str(stage)] += n
    columns = [
        "Kecamatan",
        "Belum dimulai",
        *(label for _, label in BERTANI_STAGES),
        "Jumlah rumah",
    ]
    table = Table("Bertani", "Rumah Bertani menurut tahap", columns)
    for district in sorted(counts):
        stages = counts[district]
        known = [stages.get(code, 0) for code, _ in BERTANI_STAGES]
        total = sum(stages.values())
        table.rows.append([district, total - sum(known), *known, total])
    return table


def _kube(db, year, places) -> Table:
    """KUBE groups enrolled in `year` per district: groups, members, active, grants paid."""
    where, params = _window("en.created_at", year)
    table = Table(
        "KUBE",
        "Kelompok KUBE / UEP menurut kecamatan",
        ["Kecamatan", "Kelompok", "Anggota", "Kelompok aktif", "Hibah diserahkan (Rp)"],
    )
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for village, status, members, grant in db.conn.execute(
        f"""WITH en AS ({_ENROLMENT_PLACE})
            SELECT en.village_code, en.status,
                   (SELECT count(*) FROM grp_member m
                    WHERE m.grp_id = en.grp_id AND m.deleted_at IS NULL),
                   (SELECT coalesce(sum(amount), 0) FROM handover ho
                    WHERE ho.enrolment_id = en.id AND ho.deleted_at IS NULL)
            FROM en WHERE en.grp_id IS NOT NULL AND {where}""",
        ("KUBE_UEP", "KUBE_UEP", *params),
    ):
        row = rows[places.get(village, ("", NO_PLACE, ""))[1]]
        row[0] += 1
        row[1] += members
        row[2] += status == "AKTIF"
        row[3] += grant
    for district in sorted(rows):
        table.rows.append([district, *rows[district]])
    return table


def _people(db, year, program, places) -> Table:
    """People in the registry (or, for one program, those enrolled in it) per district: women,
    men, elderly (60+ on the report's day), with a disability, without NIK."""
    on = date.today() if year is None else min(date.today(), date(year, 12, 31))
    try:
        elderly_born_by = on.replace(year=on.year - 60).isoformat()
    except ValueError:  # 29 February
        elderly_born_by = on.replace(year=on.year - 60, day=28).isoformat()
    enrolled = ""
    params: list = [elderly_born_by]
    if program:
        enrolled = (
            "AND p.id IN (SELECT person_id FROM enrolment WHERE program = ? "
            "AND deleted_at IS NULL UNION SELECT m.person_id FROM grp_member m JOIN enrolment e "
            "ON e.grp_id = m.grp_id WHERE e.program = ? AND e.deleted_at IS NULL)"
        )
        params += [program, program]
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for village, total, women, men, elderly, disabled, no_nik in db.conn.execute(
        f"""SELECT coalesce(h.village_code, i.village_code), count(*), sum(p.sex = 'P'),
                   sum(p.sex = 'L'), sum(p.birth_date <= ?), sum(p.disability != '[]'),
                   sum(p.nik IS NULL)
            FROM person p
            LEFT JOIN household h ON h.id = p.household_id
            LEFT JOIN institution i ON i.id = p.institution_id
            WHERE p.deleted_at IS NULL {enrolled} GROUP BY 1""",
        params,
    ):
        row = counts[places.get(village, ("", NO_PLACE, ""))[1]]
        for i, n in enumerate((total, women, men, elderly, disabled, no_nik)):
            row[i] += n or 0
    title = "Penduduk terdaftar" + (f" di {program_label(program)}" if program else "")
    table = Table(
        "Penduduk",
        f"{title} menurut kecamatan",
        ["Kecamatan", "Jumlah", "Perempuan", "Laki-laki", "Lansia 60+", "Disabilitas", "Tanpa NIK"],
    )
    for district in sorted(counts):
        table.rows.append([district, *counts[district]])
    return table


def months_of(figures: Figures) -> list[str]:
    """The months the month table covers, oldest first (for the line chart)."""
    return sorted({row[0] for row in figures.table("Bulan").rows})
