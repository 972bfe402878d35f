"""Import a P3KE-shaped XLSX list into the registry (issue 14), and its peak memory.

Ours: `lists.read.read_list`, the shipped "P3KE 2025" mapping, `lists.plan.plan_import` and
`lists.apply.apply_plan` (every row through the core's rules and the Registry: audit chain,
change log, search index, the import's ledger), on a fresh copy of the registry each round, in
a child process that reports its own time and peak RSS.

Baseline: the same file read with python-calamine, the same households and people (ids, the
list's values, the provenance columns) inserted with plain sqlite3 `executemany` in one
transaction into another fresh copy (the same tables, indexes and search-index triggers), WAL
and synchronous=FULL as the app opens it, and the larger page cache our import's connection
gets for the import.
"""

from __future__ import annotations

import csv
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

from benchmarks.common import Row, Sizes, cache_dir, interleaved, median
from benchmarks.data import ROOT, copy_db, log, registry

TARGET = 1.5
RSS_LIMIT_MB = 1500.0
HEADERS = [
    "ID Keluarga P3KE", "Provinsi", "Kabupaten", "Kecamatan", "Desa", "Kode Kemendagri",
    "Desil Kesejahteraan", "Alamat", "ID Individu", "Nama Lengkap", "NIK", "Padan Dukcapil",
    "Jenis Kelamin", "Hubungan dengan Kepala Keluarga", "Tanggal Lahir", "Status Kawin",
    "Pekerjaan", "Pendidikan", "Penerima BPNT", "PKH",
]  # fmt: skip
FIRST = [
    "Siti",
    "Aminah",
    "Nur",
    "Rahmawati",
    "Sri",
    "Wahyuni",
    "Dewi",
    "Lestari",
    "Ahmad",
    "Yusuf",
    "Muhammad",
    "Rizki",
    "Hendra",
    "Saputra",
    "Agus",
    "Salim",
    "Budi",
    "Santoso",
    "Rina",
    "Marlina",
    "Joko",
    "Susilo",
    "Yanti",
    "Fitri",
    "Dedi",
    "Kurniawan",
]
RELATIONS = ("Istri", "Anak", "Anak", "Anak", "Orang Tua")
FORMAT = 1  # part of the cached file's name: raise it when what the file holds changes


def _villages() -> list[tuple[str, str, str]]:
    """(code without dots, village name, district name) of Musi Banyuasin's villages."""
    res = ROOT / "resources" / "areas"
    with open(res / "districts.csv", encoding="utf-8", newline="") as f:
        districts = {row["code"]: row["name"] for row in csv.DictReader(f)}
    with open(res / "villages_1606_musi_banyuasin.csv", encoding="utf-8", newline="") as f:
        return [
            (row["code"].replace(".", ""), row["name"], districts[row["district_code"]])
            for row in csv.DictReader(f)
        ]


def p3ke_rows(count: int, seed: int = 14):
    """`count` P3KE rows in families of one to five: valid NIKs (16 digits as text, the day
    plus 40 for women, unique serials from 5000 so none is in the demo registry), dd/mm/yyyy
    dates, deciles 1-4, real village codes."""
    rng = random.Random(seed)
    villages = _villages()
    index = family = 0
    while index < count:
        family += 1
        code, village, district = rng.choice(villages)
        decile = rng.randint(1, 4)
        size = min(rng.randint(1, 5), count - index)
        for member in range(size):
            born = date(1940, 1, 1) + timedelta(days=(index * 7919) % 25_000)
            female = member == 1 or rng.random() < 0.5
            day = born.day + (40 if female else 0)
            serial = 5000 + index // 25_000
            nik = f"{code[:6]}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"
            name = f"{rng.choice(FIRST)} {rng.choice(FIRST)}"
            relation = "Kepala Keluarga" if member == 0 else rng.choice(RELATIONS)
            yield [
                f"P3KE-{family:07d}", "SUMATERA SELATAN", "MUSI BANYUASIN", district, village,
                code, decile, f"Dusun {rng.randint(1, 6)}", f"IND-{index:08d}", name.upper(),
                nik, "YA", "Perempuan" if female else "Laki-laki", relation,
                born.strftime("%d/%m/%Y"), "Kawin", "Petani", "SD", "YA", "TIDAK",
            ]  # fmt: skip
            index += 1


def p3ke_file(count: int, cache: Path | None = None) -> Path:
    """The P3KE XLSX of `count` rows (a title row above the header), made once and cached."""
    import xlsxwriter

    cache = cache or cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"p3ke-{count}-f{FORMAT}.xlsx"
    if path.exists():
        return path
    partial = path.with_name(path.name + ".partial.xlsx")
    book = xlsxwriter.Workbook(str(partial), {"constant_memory": True})
    page = book.add_worksheet("Data P3KE")
    page.write_string(0, 0, "DAFTAR KELUARGA SASARAN P3KE KABUPATEN MUSI BANYUASIN")
    page.write_row(2, 0, HEADERS)
    for r, cells in enumerate(p3ke_rows(count), start=3):
        for c, value in enumerate(cells):
            if isinstance(value, int):
                page.write_number(r, c, value)
            else:
                page.write_string(r, c, value)
    book.close()
    partial.rename(path)
    return path


def _baseline_rows(path: Path):
    """The households and people of the file as plain tuples, read with python-calamine."""
    from python_calamine import CalamineWorkbook

    table = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header_at = next(i for i, row in enumerate(table) if row and row[0] == HEADERS[0])
    col = {name: i for i, name in enumerate(table[header_at])}
    at = "2026-01-01T00:00:00.000Z"
    households, people, ids = [], [], {}
    for n, cells in enumerate(table[header_at + 1 :]):
        family = cells[col["ID Keluarga P3KE"]]
        household_id = ids.get(family)
        code = cells[col["Kode Kemendagri"]]
        if household_id is None:
            household_id = ids[family] = str(uuid.uuid4())
            households.append(
                (
                    household_id, f"0000000000000.{n % 10000:04d}.bench", at, at,
                    f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}",
                    cells[col["Alamat"]], int(cells[col["Desil Kesejahteraan"]]), "p3ke", 2025,
                )
            )  # fmt: skip
        born = cells[col["Tanggal Lahir"]]
        people.append(
            (
                str(uuid.uuid4()), f"0000000000000.{n % 10000:04d}.bench", at, at, household_id,
                cells[col["NIK"]], cells[col["Nama Lengkap"]],
                "P" if cells[col["Jenis Kelamin"]].startswith("P") else "L",
                f"{born[6:]}-{born[3:5]}-{born[:2]}", cells[col["Hubungan dengan Kepala Keluarga"]],
                "to_verify", f"{path.name}, baris {header_at + 2 + n}",
            )
        )  # fmt: skip
    return households, people


def baseline(path: Path, target: Path) -> None:
    from muba_desk.store.imported_lists import IMPORT_CACHE_KIB
    from muba_desk.store.schema import register_functions

    households, people = _baseline_rows(path)
    conn = sqlite3.connect(target, isolation_level=None)
    register_functions(conn)  # the search index's triggers call it, as in the app
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        # The page cache our import gives its connection (`store.imported_lists.large_cache`):
        # the same connection settings on both sides, so the ratio is the core's own cost.
        conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO household (id, rev, created_at, updated_at, village_code, address, "
            "welfare_decile, decile_source, decile_year) VALUES (?,?,?,?,?,?,?,?,?)",
            households,
        )
        conn.executemany(
            "INSERT INTO person (id, rev, created_at, updated_at, household_id, nik, name, sex, "
            "birth_date, relation, verify_state, source_note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            people,
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


def ours(path: Path, target: Path) -> dict:
    """Our import of `path` into `target`: what the child process runs and reports."""
    from muba_desk.core.operations import OFFICE, Actor
    from muba_desk.lists.apply import apply_plan
    from muba_desk.lists.mapping import mapping_for
    from muba_desk.lists.plan import plan_import
    from muba_desk.lists.read import read_list
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry

    db = connect(target)
    try:
        reg = Registry(db, operator_id=None)
        sheet = read_list(path)
        plan = plan_import(reg, sheet, mapping_for(sheet, "P3KE 2025", reg=reg))
        result = apply_plan(reg, Actor(None, OFFICE), plan)
    finally:
        db.close()
    return result.counts


def _child(path: Path, target: Path) -> tuple[float, float, dict]:
    """(seconds, peak RSS in MB, counts) of `ours` run in a child process."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.lists", str(path), str(target)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if out.returncode != 0:
        raise RuntimeError(f"list import child failed:\n{out.stderr[-3000:]}")
    report = json.loads(out.stdout.strip().splitlines()[-1])
    return report["seconds"], report["peak_mb"], report["counts"]


def run(sizes: Sizes) -> list[Row]:
    from muba_desk.store.db import connect

    count = sizes.list_rows
    reg = registry(sizes)
    connect(reg.path).close()  # at the current schema, so no round migrates while timed
    log(f"making the {count:,}-row P3KE list …")
    path = p3ke_file(count)
    peaks: list[float] = []
    counts: dict = {}
    with tempfile.TemporaryDirectory(prefix="muba-bench-", dir=reg.path.parent) as tmp:
        target = Path(tmp) / "round.db"

        def setup(_which):
            copy_db(reg.path, target)

        def mine():
            seconds, peak, made = _child(path, target)
            peaks.append(peak)
            counts.update(made)
            return seconds

        def base():
            import time

            start = time.perf_counter()
            baseline(path, target)
            return time.perf_counter() - start

        rounds = 3 if sizes.warm_up else 1
        a, b = interleaved(rounds, mine, base, setup=setup, self_timed=True, budget_s=300)
    row = Row(
        f"import a {count:,}-row P3KE XLSX list into {sizes.people:,} people",
        median(a),
        median(b),
        TARGET,
    )
    row.notes.append(
        f"list import: {counts.get('new_people', 0):,} people, "
        f"{counts.get('new_households', 0):,} households written, "
        f"{counts.get('refused', 0):,} refused"
    )
    memory = Row(
        f"peak RSS of the {count:,}-row list import", max(peaks), None, RSS_LIMIT_MB, unit="MB"
    )
    return [row, memory]


def main(argv: list[str]) -> int:
    """The child: import argv[0] into argv[1], print seconds, peak RSS and counts as JSON."""
    import resource
    import time

    start = time.perf_counter()
    counts = ours(Path(argv[0]), Path(argv[1]))
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "counts": counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
