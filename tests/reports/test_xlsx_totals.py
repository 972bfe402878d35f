"""Issue 6: the XLSX report's totals, read back with openpyxl, equal the database's own."""

from datetime import date

import pytest

from muba_desk.reports.figures import MEASURES, compute
from muba_desk.reports.xlsx import write_xlsx

openpyxl = pytest.importorskip("openpyxl")

LIVE = "FROM enrolment e WHERE e.deleted_at IS NULL"
MONTH = "strftime('%Y-%m', s.created_at, '+7 hours')"
HANDED = "FROM handover ho JOIN enrolment e ON e.id = ho.enrolment_id "
HANDED += "WHERE ho.deleted_at IS NULL AND e.deleted_at IS NULL"


def _decided(which: str) -> str:
    """Enrolments whose status changed as `which` says, once per month of the change (as the
    report counts them)."""
    return (
        f"SELECT count(DISTINCT s.enrolment_id || {MONTH}) FROM enrolment_status s "
        "JOIN enrolment e ON e.id = s.enrolment_id WHERE s.deleted_at IS NULL "
        f"AND e.deleted_at IS NULL AND {which}"
    )


MEASURE_SQL = {
    "Terdaftar": f"SELECT count(*) {LIVE}",
    # Approvals still standing; rejections of sent enrolments; approvals withdrawn.
    "Disetujui": _decided(
        "s.to_status = 'DISETUJUI' AND e.status IN ('DISETUJUI', 'AKTIF', 'SELESAI')"
    ),
    "Ditolak": _decided("s.to_status = 'DITOLAK' AND coalesce(s.from_status, '') != 'DISETUJUI'"),
    "Persetujuan ditarik": _decided("s.to_status = 'DITOLAK' AND s.from_status = 'DISETUJUI'"),
    "Penyerahan tunai": f"SELECT count(*) {HANDED} AND ho.amount > 0",
    "Uang diserahkan (Rp)": f"SELECT coalesce(sum(ho.amount), 0) {HANDED}",
    "Penyerahan barang": f"SELECT count(*) {HANDED} AND ho.items != '[]'",
}
BERTANI = f"{LIVE} AND e.program = 'BERTANI' AND e.status != 'DITOLAK'"
STAGE = "coalesce(json_extract(e.data, '$.progress'), '')"
KUBE = f"{LIVE} AND e.program = 'KUBE_UEP' AND e.grp_id IS NOT NULL"
PEOPLE = "FROM person p WHERE p.deleted_at IS NULL"


def _elderly_born_by() -> str:
    today = date.today()
    try:
        return today.replace(year=today.year - 60).isoformat()
    except ValueError:  # 29 February
        return today.replace(year=today.year - 60, day=28).isoformat()


def _other_sql() -> dict[str, dict[str, str]]:
    born_by = _elderly_born_by()
    return {
        "Bertani": {
            "Belum dimulai": f"SELECT count(*) {BERTANI} AND {STAGE} NOT IN ('0', '50', '100')",
            "Tahap 0 %": f"SELECT count(*) {BERTANI} AND {STAGE} = '0'",
            "Tahap 50 %": f"SELECT count(*) {BERTANI} AND {STAGE} = '50'",
            "Selesai 100 %": f"SELECT count(*) {BERTANI} AND {STAGE} = '100'",
            "Jumlah rumah": f"SELECT count(*) {BERTANI}",
        },
        "KUBE": {
            "Kelompok": f"SELECT count(*) {KUBE}",
            "Anggota": "SELECT count(*) FROM grp_member m JOIN enrolment e ON e.grp_id = m.grp_id "
            "WHERE m.deleted_at IS NULL AND e.deleted_at IS NULL AND e.program = 'KUBE_UEP'",
            "Kelompok aktif": f"SELECT count(*) {KUBE} AND e.status = 'AKTIF'",
            "Hibah diserahkan (Rp)": f"SELECT coalesce(sum(ho.amount), 0) {HANDED} "
            "AND e.program = 'KUBE_UEP' AND e.grp_id IS NOT NULL",
        },
        "Penduduk": {
            "Jumlah": f"SELECT count(*) {PEOPLE}",
            "Perempuan": f"SELECT count(*) {PEOPLE} AND p.sex = 'P'",
            "Laki-laki": f"SELECT count(*) {PEOPLE} AND p.sex = 'L'",
            "Lansia 60+": f"SELECT count(*) {PEOPLE} AND p.birth_date <= '{born_by}'",
            "Disabilitas": f"SELECT count(*) {PEOPLE} AND p.disability != '[]'",
            "Tanpa NIK": f"SELECT count(*) {PEOPLE} AND p.nik IS NULL",
        },
    }


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A demo registry with enrolments in every program, decisions and hand-overs."""
    from muba_desk.demo import create_demo
    from muba_desk.store.db import connect

    path = tmp_path_factory.mktemp("xlsx-totals") / "office.db"
    db = connect(path)
    create_demo(db, people=1500, seed=4, today=date(2026, 3, 15))
    yield db
    db.close()


def _columns(sheet) -> dict[str, list]:
    header, *rows = sheet.iter_rows(values_only=True)
    return {name: [row[i] for row in rows] for i, name in enumerate(header)}


def _sum(values: list) -> int | float:
    numbers = [v for v in values if v is not None]
    assert all(isinstance(v, int | float) for v in numbers), "numbers stored as text"
    return sum(numbers)


def test_every_xlsx_total_equals_the_database(demo_db, tmp_path):
    path = write_xlsx(compute(demo_db).tables, tmp_path / "laporan.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    expected = {
        label: demo_db.conn.execute(MEASURE_SQL[label]).fetchone()[0] for _, label in MEASURES
    }
    assert all(expected.values()), expected  # the demo has some of every measure
    checked = 0
    for sheet in ("Program", "Kecamatan", "Desa", "Bulan"):
        columns = _columns(book[sheet])
        for label, total in expected.items():
            assert _sum(columns[label]) == total, (sheet, label)
            checked += 1
    for sheet, sqls in _other_sql().items():
        columns = _columns(book[sheet])
        for label, sql in sqls.items():
            total = demo_db.conn.execute(sql).fetchone()[0]
            assert _sum(columns[label]) == total, (sheet, label)
            checked += 1
    assert _columns(book["Penduduk"])["Jumlah"] and checked == 4 * 7 + 5 + 4 + 6
    assert book.sheetnames == [
        "Program",
        "Kecamatan",
        "Desa",
        "Bulan",
        "Bertani",
        "KUBE",
        "Penduduk",
    ]


def test_each_program_row_equals_the_database(demo_db, tmp_path):
    from muba_desk.reports.figures import program_label

    path = write_xlsx(compute(demo_db).tables, tmp_path / "laporan.xlsx")
    sheet = openpyxl.load_workbook(path, read_only=True)["Program"]
    header, *rows = sheet.iter_rows(values_only=True)
    by_program = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    for code, enrolled, paid in demo_db.conn.execute(
        "SELECT e.program, count(DISTINCT e.id), "
        "(SELECT coalesce(sum(ho.amount), 0) FROM handover ho JOIN enrolment x "
        "ON x.id = ho.enrolment_id WHERE ho.deleted_at IS NULL AND x.deleted_at IS NULL "
        "AND x.program = e.program) "
        "FROM enrolment e WHERE e.deleted_at IS NULL GROUP BY e.program"
    ):
        row = by_program.pop(program_label(code))
        assert (row["Terdaftar"], row["Uang diserahkan (Rp)"]) == (enrolled, paid), code
    assert by_program == {}
