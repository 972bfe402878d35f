from muba_desk.reports.figures import compute


def test_program_figures_match_a_hand_count(db, small):
    figures = compute(db)
    program = {r[0]: r[1:] for r in figures.table("Program").rows}
    # Terdaftar, Disetujui, Ditolak, Persetujuan ditarik, tunai (kali), uang, barang (kali)
    assert program["Bantu Umak"] == [1, 1, 0, 0, 3, 1_625_000, 0]
    assert program["Pedas Nia"] == [1, 0, 1, 0, 0, 0, 1]
    assert program["Bertani"] == [1, 0, 0, 0, 0, 0, 0]
    assert program["KUBE / UEP"] == [1, 1, 0, 0, 1, 20_000_000, 0]
    assert set(program) == {"Bantu Umak", "Pedas Nia", "Bertani", "KUBE / UEP"}


def test_an_approval_withdrawn_is_counted_apart_not_as_approved(db, registry, small):
    """The office approves three Bertani houses, then withdraws one approval (a duplicate found
    in another laptop's bundle) and rejects a fourth enrolment outright."""
    from muba_desk.core.operations import OFFICE, Actor, decide
    from tests.office.helpers import person
    from tests.reports.conftest import sent

    a, _b, _c = small["villages"]
    office = Actor(registry.operator_id, OFFICE)
    with registry.transaction():
        made = [
            sent(registry, "BERTANI", person(registry, a, f"Warga {n}", "L", "1970-01-01")["id"])
            for n in ("Satu", "Dua", "Tiga", "Empat")
        ]
        ids = [e["id"] for e in made]
        decide(registry, office, ids[:3], True)
        decide(registry, office, ids[2], False, "Ganda dengan pendaftaran di laptop L02")
        decide(registry, office, ids[3], False, "Rumah sudah layak huni")
    program = {r[0]: r[1:] for r in compute(db).table("Program").rows}
    # Terdaftar, Disetujui, Ditolak, Persetujuan ditarik: the small registry had one Bertani.
    assert program["Bertani"][:4] == [5, 2, 1, 1]


def test_months_are_wib_and_year_filters_events(db, small):
    month = {(r[0], r[1]): r[2:] for r in compute(db).table("Bulan").rows}
    assert month[("2026-02", "Bantu Umak")][5] == 650_000  # 31 Jan 18:00 UTC is 1 Feb WIB
    assert month[("2025-12", "Bantu Umak")][5] == 325_000
    only_2025 = compute(db, year=2025)
    assert only_2025.table("Program").total("Uang diserahkan (Rp)") == 325_000
    assert only_2025.table("Program").total("Terdaftar") == 0
    assert only_2025.scope == "Tahun 2025, semua program"


def test_places_bertani_kube_and_people(db, small):
    figures = compute(db)
    districts = {r[0] for r in figures.table("Kecamatan").rows}
    assert len(districts) == 2
    villages = {(r[1], r[2]) for r in figures.table("Desa").rows}
    assert len({v for v, _ in villages}) == 2  # village b has only a KUBE member, no enrolment
    bertani = figures.table("Bertani")
    assert bertani.rows[0][1:] == [0, 0, 1, 0, 1]
    kube = figures.table("KUBE")
    assert kube.rows == [[kube.rows[0][0], 1, 3, 1, 20_000_000]]
    people = figures.table("Penduduk")
    assert people.total("Jumlah") == 4
    assert people.total("Perempuan") == 2 and people.total("Laki-laki") == 2
    assert people.total("Lansia 60+") == 1
    assert people.total("Disabilitas") == 1
    assert people.total("Tanpa NIK") == 1


def test_one_program(db, small):
    figures = compute(db, program="KUBE_UEP")
    assert [r[0] for r in figures.table("Program").rows] == ["KUBE / UEP"]
    assert figures.table("Penduduk").total("Jumlah") == 3  # the group's members
    assert [t.name for t in figures.tables] == [
        "Program",
        "Kecamatan",
        "Desa",
        "Bulan",
        "KUBE",
        "Penduduk",
    ]
