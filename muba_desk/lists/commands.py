"""`muba-desk import list`: a beneficiary list into the office's registry, from the shell.

Prints the preview's counts (and with `--dry-run` writes nothing). Exit 0 when the list was
read and the import ran (refused rows are reported, not fatal), 1 when nothing could be read
(or the import could not run), 2 for options that make no sense.
"""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_FAILED, EXIT_USAGE = 1, 2


def add_arguments(subparsers) -> None:
    """Register `import list` on the `muba-desk` parser's subparsers."""
    from muba_desk.passphrase import add_passphrase_argument

    imp = subparsers.add_parser("import", help="impor data dari luar (daftar penerima)")
    imp_sub = imp.add_subparsers(dest="import_command", metavar="JENIS", required=True)
    lst = imp_sub.add_parser(
        "list", help="impor daftar penerima (P3KE, DTSEN, BNBA, OpenSID) dari XLSX/XLS/ODS/CSV"
    )
    lst.add_argument("--db", type=Path, required=True, help="basis data kantor")
    lst.add_argument("file", type=Path, metavar="BERKAS", help="berkas daftar")
    lst.add_argument("--sheet", help="nama lembar (bawaan: lembar pertama)")
    lst.add_argument("--mapping", help="nama pemetaan kolom, mis. 'P3KE 2025' (bawaan: ditebak)")
    lst.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KOLOM=NILAI",
        help='nilai untuk kolom yang tidak ada di berkas, mis. village="Kayu Ara" (boleh berulang)',
    )
    lst.add_argument("--program", type=str.upper, help="daftarkan juga ke program ini")
    lst.add_argument("--period", type=int, metavar="TTTT", help="tahun periode pendaftaran")
    lst.add_argument(
        "--deciles", default="1-10", metavar="A-B", help="desil yang didaftarkan (bawaan 1-10)"
    )
    lst.add_argument(
        "--status",
        type=str.upper,
        choices=("DIAJUKAN", "DRAF"),
        default="DIAJUKAN",
        help="status pendaftaran (bawaan DIAJUKAN: masuk antrean keputusan kantor)",
    )
    lst.add_argument(
        "--accept-updates",
        action="store_true",
        help="terapkan perubahan data orang yang sudah terdaftar (bawaan: hanya ditampilkan)",
    )
    lst.add_argument("--dry-run", action="store_true", help="hanya pratinjau, tidak menyimpan")
    lst.add_argument("--errors", type=Path, metavar="OUT.xlsx", help="tulis baris bermasalah")
    add_passphrase_argument(lst)
    lst.set_defaults(handler=cmd_import_list)


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    from muba_desk.errors import fail

    return fail(message, code)


def _deciles(text: str) -> tuple[int, int] | None:
    low, _sep, high = text.partition("-")
    try:
        pair = (int(low), int(high or low))
    except ValueError:
        return None
    return pair if 1 <= pair[0] <= pair[1] <= 10 else None


def cmd_import_list(args: argparse.Namespace) -> int:
    from muba_desk.core.operations import OFFICE, Actor
    from muba_desk.i18n import _
    from muba_desk.lists.apply import apply_plan, summary
    from muba_desk.lists.mapping import FIELDS, mapping_for, saved_mappings, shipped_mappings
    from muba_desk.lists.plan import EnrolOnImport, default_mapping, plan_import
    from muba_desk.lists.read import read_list
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry

    if (args.program is None) != (args.period is None):
        return _fail(_("--program dan --period dipakai bersama."), EXIT_USAGE)
    deciles = _deciles(args.deciles)
    if deciles is None:
        return _fail(_("--deciles ditulis A-B, mis. 1-3, di antara 1 dan 10."), EXIT_USAGE)
    if args.errors is not None and args.errors.suffix.lower() != ".xlsx":
        return _fail(_("Berkas --errors harus berakhiran .xlsx."), EXIT_USAGE)
    sheet = read_list(args.file, sheet=args.sheet)  # ListUnreadable: one line, exit 1
    db = connect(args.db)
    try:
        reg = Registry(db, operator_id=None)
        if args.mapping:
            try:
                mapping = mapping_for(sheet, args.mapping, reg=reg)
            except KeyError:
                names = ", ".join(sorted({**shipped_mappings(), **saved_mappings(reg)}))
                return _fail(
                    _("Pemetaan “{name}” tidak dikenal. Pilih: {names}.").format(
                        name=args.mapping, names=names
                    ),
                    EXIT_USAGE,
                )
        else:
            mapping = default_mapping(sheet, reg)
        for item in args.set:
            name, sep, value = item.partition("=")
            if not sep or name.strip() not in FIELDS:
                return _fail(
                    _("--set ditulis KOLOM=NILAI; KOLOM salah satu dari: {names}.").format(
                        names=", ".join(FIELDS)
                    ),
                    EXIT_USAGE,
                )
            mapping.defaults[name.strip()] = value.strip()
        enrol = None
        if args.program:
            enrol = EnrolOnImport(args.program, args.period, deciles, args.status)
        plan = plan_import(reg, sheet, mapping, enrol=enrol)
        print(_("Pemetaan: {name}.").format(name=mapping.name))
        print(summary(plan.counts))
        if args.errors is not None:
            from muba_desk.lists.errors_file import write_errors

            problems = plan.rows_with_problems()
            write_errors(args.errors, sheet, problems)
            print(
                _("{n} baris bermasalah ditulis ke {file}.").format(
                    n=len(problems), file=args.errors
                )
            )
        if plan.imported_before:
            print(
                _("Daftar ini sudah diimpor pada {at}: tidak ada yang diubah.").format(
                    at=plan.imported_before
                )
            )
            return 0
        if args.dry_run:
            print(_("Pratinjau saja (--dry-run): tidak ada yang disimpan."))
            return 0
        result = apply_plan(reg, Actor(None, OFFICE), plan, accept_updates=args.accept_updates)
        print(result.summary() if result.already_imported else _("Tersimpan."))
        return 0
    finally:
        db.close()
