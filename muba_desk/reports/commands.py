"""`muba-desk report`: the office's figures as XLSX or as the regent's PDF.

Exit codes: 0 written, 1 the database cannot be read or the file cannot be written, 2 the
command was typed wrongly (argparse's own code, also used for a wrong extension or program).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

EXIT_FAILED, EXIT_USAGE = 1, 2


def add_arguments(subparsers) -> None:
    """Register `report` on the `muba-desk` parser's subparsers."""
    report = subparsers.add_parser("report", help="laporan jumlah dan uang (XLSX atau PDF)")
    report.add_argument("--db", type=Path, required=True, help="basis data kantor")
    report.add_argument("--out", type=Path, required=True, help="berkas tujuan, .xlsx atau .pdf")
    report.add_argument("--year", type=int, help="tahun anggaran (bawaan: semua tahun)")
    report.add_argument(
        "--program", type=str.upper, help="kode program, mis. BANTU_UMAK (bawaan: semua)"
    )
    report.set_defaults(handler=cmd_report)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    from muba_desk.errors import fail

    return fail(message, code)


def cmd_report(args: argparse.Namespace) -> int:
    from muba_desk.printing.base import office_settings
    from muba_desk.reports.figures import compute
    from muba_desk.reports.pdf import write_pdf
    from muba_desk.reports.xlsx import write_xlsx
    from muba_desk.store.db import DatabaseError, connect

    kind = args.out.suffix.lower()
    if kind not in (".xlsx", ".pdf"):
        return _fail("Berkas tujuan harus berakhiran .xlsx atau .pdf.", EXIT_USAGE)
    from muba_desk.domain.programs import PROGRAMS

    if args.program and args.program not in PROGRAMS:
        known = ", ".join(PROGRAMS)
        return _fail(f"Program '{args.program}' tidak dikenal. Pilih: {known}.", EXIT_USAGE)
    if args.year is not None and not 2000 <= args.year <= 2100:
        return _fail(f"Tahun {args.year} tidak masuk akal.", EXIT_USAGE)
    if not args.db.exists():
        return _fail(f"Berkas basis data '{args.db}' tidak ditemukan.")
    started = time.monotonic()
    try:
        db = connect(args.db)
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        figures = compute(db, year=args.year, program=args.program)
        address = office_settings(db)["address"]
        place = office_settings(db)["place"]
    finally:
        db.close()
    try:
        if kind == ".xlsx":
            write_xlsx(figures.tables, args.out, title=f"Laporan {figures.scope}")
        else:
            write_pdf(figures, args.out, address=address, place=place)
    except OSError as exc:
        return _fail(f"Laporan tidak dapat ditulis ke '{args.out}': {exc.strerror or exc}.")
    print(f"{args.out}: laporan {figures.scope} ({time.monotonic() - started:.1f} s)")
    return 0
