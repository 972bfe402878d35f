"""`muba-desk sk ...` (decisions) and `muba-desk list ...` (lists handed on).

`list bank|bpjs|answer` live in `payout_commands.py` (helper `payouts`); this module registers
the groups, the `sk` commands and `list sk`. Every write goes through `core.operations`; a
refusal ends the command with one Indonesian line (UserError, `cli.main`).
"""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from pathlib import Path

from muba_desk.lists_out.payout_commands import add_list_commands


def add_arguments(subparsers) -> None:
    """Register the `sk` and `list` command groups on the `muba-desk` parser's subparsers."""
    sk = subparsers.add_parser("sk", help="keputusan (SK) dan peserta yang ditetapkannya")
    sk_sub = sk.add_subparsers(dest="sk_command", metavar="PERINTAH", required=True)
    listing = subparsers.add_parser("list", help="daftar untuk pihak lain (SK, bank, BPJS)")
    list_sub = listing.add_subparsers(dest="list_command", metavar="DAFTAR", required=True)
    _add_sk_commands(sk_sub)
    _add_list_sk(list_sub)
    add_list_commands(list_sub)


def _add_sk_commands(sk_sub) -> None:
    new = sk_sub.add_parser("new", help="buat SK baru (nomor, tanggal, perihal, penanda tangan)")
    new.add_argument("--db", type=Path, required=True, help="basis data kantor")
    new.add_argument("--number", required=True, help="nomor SK, mis. 460/123/KPTS/DINSOS/2026")
    new.add_argument("--date", required=True, help="tanggal SK, TTTT-BB-HH")
    new.add_argument("--about", required=True, help="perihal (tentang apa)")
    new.add_argument("--program", type=str.upper, required=True, help="kode program")
    new.add_argument("--period", required=True, help="tahun anggaran, TTTT")
    new.add_argument("--signatory-name", required=True, help="nama penanda tangan")
    new.add_argument("--signatory-title", required=True, help="jabatan penanda tangan")
    new.add_argument("--signatory-nip", help="NIP penanda tangan (18 angka)")
    new.set_defaults(handler=cmd_sk_new)
    add = sk_sub.add_parser("add", help="tetapkan pendaftaran (Disetujui/Aktif) dalam SK")
    add.add_argument("--db", type=Path, required=True, help="basis data kantor")
    add.add_argument("--sk", required=True, help="nomor SK")
    which = add.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--all-approved",
        action="store_true",
        help="semua yang Disetujui/Aktif dari program dan periode SK yang belum ber-SK",
    )
    which.add_argument("--enrolment", nargs="+", metavar="ID", help="id pendaftaran")
    add.set_defaults(handler=cmd_sk_add)
    listed = sk_sub.add_parser("list", help="daftar SK dan jumlah peserta masing-masing")
    listed.add_argument("--db", type=Path, required=True, help="basis data kantor")
    listed.set_defaults(handler=cmd_sk_list)


def _add_list_sk(list_sub) -> None:
    sk = list_sub.add_parser("sk", help="lampiran SK (nama dan alamat) sebagai PDF atau XLSX")
    sk.add_argument("--db", type=Path, required=True, help="basis data kantor")
    sk.add_argument("--sk", required=True, help="nomor SK")
    sk.add_argument("--out", type=Path, required=True, help="berkas tujuan, .pdf atau .xlsx")
    sk.set_defaults(handler=cmd_list_sk)


@contextmanager
def _office(db_path: Path, write: bool):
    from muba_desk.store.db import connect
    from muba_desk.store.registry import Registry

    db = connect(db_path)
    try:
        if not write:
            yield db, None
            return
        reg = Registry(db, operator_id=None)  # a command runs as a tool, like `report`
        with reg.transaction():
            yield db, reg
    finally:
        db.close()


def _clerk():
    from muba_desk.core.operations import OFFICE, Actor

    return Actor(None, side=OFFICE)


def cmd_sk_new(args: argparse.Namespace) -> int:
    from muba_desk.core.operations import make_sk
    from muba_desk.i18n import _

    with _office(args.db, write=True) as (_db, reg):
        changes = make_sk(
            reg,
            _clerk(),
            number=args.number,
            decided_on=args.date,
            about=args.about,
            program=args.program,
            period=args.period,
            signatory_name=args.signatory_name,
            signatory_title=args.signatory_title,
            signatory_nip=args.signatory_nip,
        )
    print(_("SK {number} dibuat.").format(number=changes.row["number"]))
    return 0


def cmd_sk_add(args: argparse.Namespace) -> int:
    from muba_desk.core.operations import NotAllowed, add_to_sk
    from muba_desk.i18n import _
    from muba_desk.store.sk import find_sk, settable

    with _office(args.db, write=True) as (db, reg):
        if args.all_approved:
            sk = find_sk(db, args.sk)
            if sk is None:
                raise NotAllowed(
                    _(
                        "SK nomor {number} tidak ditemukan; buat dulu dengan 'muba-desk sk new'."
                    ).format(number=args.sk)
                )
            ids = settable(db, sk)
        else:
            ids = args.enrolment
        changes = add_to_sk(reg, _clerk(), args.sk, ids)
        total = find_sk(db, args.sk).people
    added = len(changes.rows.get("enrolment", []))
    print(
        _("{added} pendaftaran ditambahkan ke SK {number} (seluruhnya {total}).").format(
            added=added, number=args.sk, total=total
        )
    )
    return 0


def cmd_sk_list(args: argparse.Namespace) -> int:
    from muba_desk.store.sk import list_sks

    with _office(args.db, write=False) as (db, _reg):
        for sk in list_sks(db):
            print(
                f"{sk.number}\t{sk.decided_on}\t{sk.program}\t{sk.period}\t{sk.people}\t{sk.about}"
            )
    return 0


def cmd_list_sk(args: argparse.Namespace) -> int:
    from muba_desk.errors import UserError
    from muba_desk.i18n import _
    from muba_desk.lists_out.sk import attachment_of
    from muba_desk.printing.base import office_settings

    kind = args.out.suffix.lower()
    if kind not in (".pdf", ".xlsx"):
        raise UserError(_("Berkas tujuan harus berakhiran .pdf atau .xlsx."))
    started = time.monotonic()
    with _office(args.db, write=False) as (db, _reg):
        found = attachment_of(db, args.sk)
        settings = office_settings(db)
    if found is None:
        raise UserError(
            _("SK nomor {number} tidak ditemukan; lihat 'muba-desk sk list'.").format(
                number=args.sk
            )
        )
    partial = args.out.with_name(args.out.name + ".partial")
    try:
        if kind == ".pdf":
            from muba_desk.lists_out.sk_pdf import write_sk_pdf

            write_sk_pdf(found, partial, address=settings["address"], place=settings["place"])
        else:
            from muba_desk.lists_out.sk_xlsx import write_sk_xlsx

            write_sk_xlsx(found, partial)
        partial.replace(args.out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise UserError(
            _("Lampiran tidak dapat ditulis ke '{file}': {reason}.").format(
                file=args.out, reason=exc.strerror or exc
            )
        ) from None
    print(
        _("{file}: lampiran SK {number}, {count} orang ({seconds:.1f} s)").format(
            file=args.out,
            number=found.sk.number,
            count=len(found.rows),
            seconds=time.monotonic() - started,
        )
    )
    return 0
