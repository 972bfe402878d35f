"""`muba-desk`: with no arguments opens the window; subcommands run headless."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from muba_desk import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="muba-desk",
        description="Registri bantuan sosial Dinas Sosial Musi Banyuasin (luring).",
    )
    parser.add_argument("--version", action="version", version=f"muba-desk {__version__}")
    parser.add_argument("--db", type=Path, help="berkas basis data yang dibuka jendela")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="uji seluruh aplikasi di folder sementara, lalu keluar (0 = berhasil)",
    )
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH")

    demo = sub.add_parser("demo", help="isi basis data dengan registri contoh (data rekaan)")
    demo.add_argument("--db", type=Path, required=True, help="berkas basis data yang dibuat/diisi")
    demo.add_argument("--people", type=int, default=2000, help="jumlah penduduk (bawaan 2000)")
    demo.add_argument("--seed", type=int, default=1, help="benih acak, hasil sama untuk benih sama")

    doctor = sub.add_parser("doctor", help="periksa keutuhan basis data dan rantai audit")
    doctor.add_argument("--db", type=Path, required=True)
    doctor.set_defaults(handler=cmd_doctor)
    demo.set_defaults(handler=cmd_demo)

    from muba_desk.printing.commands import add_arguments as add_printing

    add_printing(sub)
    from muba_desk.sync.commands import add_arguments as add_sync

    add_sync(sub)
    from muba_desk.reports.commands import add_arguments as add_report

    add_report(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.self_test:
        from muba_desk.selftest import run as self_test

        return self_test()
    if args.command is None:
        from muba_desk.app import run

        return run(db_path=args.db)
    return args.handler(args)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def cmd_demo(args) -> int:
    from muba_desk.demo import create_demo
    from muba_desk.progress import Progress
    from muba_desk.store.db import DatabaseError, connect

    if args.people < 1:
        return _fail("--people harus paling sedikit 1.")
    started = time.monotonic()
    last = [0.0]

    def report(done, total, label):
        now = time.monotonic()
        if now - last[0] > 2 or done == total:
            last[0] = now
            print(f"\r{label} {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        db = connect(args.db)
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        summary = create_demo(db, people=args.people, seed=args.seed, progress=Progress(report))
    finally:
        db.close()
    print(file=sys.stderr)
    parts = ", ".join(f"{count} {name}" for name, count in summary.items())
    print(f"{args.db}: {parts} ({time.monotonic() - started:.0f} s)")
    return 0


def cmd_doctor(args) -> int:
    from muba_desk.store.db import DatabaseError, connect
    from muba_desk.store.doctor import check

    if not args.db.exists():
        return _fail(f"Berkas basis data '{args.db}' tidak ditemukan.")
    try:
        db = connect(args.db, migrate=False)
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        problems = check(db)
    finally:
        db.close()
    if problems:
        for problem in problems:
            print(f"MASALAH [{problem.kind}] {problem.message}")
        print(f"{args.db}: {len(problems)} masalah ditemukan.")
        return 1
    print(f"{args.db}: sehat (integritas, kunci asing, rantai audit).")
    return 0
