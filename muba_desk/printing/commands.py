"""`muba-desk print cards|receipt` and `muba-desk verify`: headless printing and checking."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(subparsers) -> None:
    """Register `print` (with `cards` and `receipt`) and `verify` on the CLI's subparsers."""
    printing = subparsers.add_parser("print", help="cetak kartu peserta atau kuitansi ke PDF")
    kinds = printing.add_subparsers(dest="document", metavar="DOKUMEN", required=True)
    cards = kinds.add_parser("cards", help="kartu peserta (satu desa atau semua)")
    cards.add_argument("--db", type=Path, required=True, help="berkas basis data")
    cards.add_argument("--out", type=Path, required=True, help="berkas PDF yang dibuat")
    cards.add_argument("--village", help="kode desa, mis. 16.06.01.2003 (bawaan: semua desa)")
    cards.add_argument(
        "--layout",
        choices=("a4", "card"),
        default="a4",
        help="a4: sepuluh kartu per lembar; card: satu kartu per halaman",
    )
    cards.set_defaults(handler=cmd_print_cards)
    receipt = kinds.add_parser("receipt", help="kuitansi / tanda terima satu serah terima")
    receipt.add_argument("--db", type=Path, required=True, help="berkas basis data")
    receipt.add_argument("--handover", required=True, help="id serah terima")
    receipt.add_argument("--out", type=Path, required=True, help="berkas PDF yang dibuat")
    receipt.add_argument(
        "--layout",
        choices=("a4", "a5", "58mm", "80mm"),
        default="a4",
        help="a4 (dua lembar), a5, atau kertas termal 58mm/80mm",
    )
    receipt.add_argument(
        "--printable-mm",
        type=float,
        metavar="MM",
        help="lebar yang dicetak printer termal (bawaan 48 untuk 58mm, 72 untuk 80mm)",
    )
    receipt.set_defaults(handler=cmd_print_receipt)
    verify = subparsers.add_parser("verify", help="periksa keaslian kode QR kartu atau kuitansi")
    verify.add_argument("payload", metavar="KODE", help="isi kode QR (hasil pindai)")
    verify.add_argument("--db", type=Path, help="basis data yang kuncinya dipercaya")
    verify.set_defaults(handler=cmd_verify)


def _fail(message: str) -> int:
    from muba_desk.errors import fail

    return fail(message)


def cmd_print_cards(args: argparse.Namespace) -> int:
    from muba_desk.printing.cards import print_cards
    from muba_desk.store.db import DatabaseError

    if not args.db.exists():
        return _fail(f"Berkas basis data '{args.db}' tidak ditemukan.")
    try:
        printed = print_cards(args.db, args.out, village_code=args.village, layout=args.layout)
    except DatabaseError as exc:
        return _fail(str(exc))
    print(f"{args.out}: {printed.count} kartu")
    if printed.awaiting_office:
        print(printed.left_out_note())
    return 0


def cmd_print_receipt(args: argparse.Namespace) -> int:
    from muba_desk.errors import UserError
    from muba_desk.printing.receipts import issue_receipt
    from muba_desk.store.db import DatabaseError, connect
    from muba_desk.store.registry import Registry

    if not args.db.exists():
        return _fail(f"Berkas basis data '{args.db}' tidak ditemukan.")
    try:
        db = connect(args.db)
    except DatabaseError as exc:
        return _fail(str(exc))
    try:
        partial = args.out.with_name(args.out.name + ".partial")
        receipt = issue_receipt(
            Registry(db),
            args.handover,
            str(partial),
            layout=args.layout,
            printable_mm=args.printable_mm,
        )
        partial.replace(args.out)
    except UserError as exc:  # NotFound, CannotPrint
        return _fail(str(exc))
    finally:
        db.close()
    copy = f" ({receipt.copy_label})" if receipt.copy_number else ""
    print(f"{args.out}: {receipt.row['receipt_number']}{copy}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from muba_desk.paths import default_db_path
    from muba_desk.signing import CheckKeys, check_code, check_keys
    from muba_desk.store.db import DatabaseError, connect

    path = args.db or default_db_path()
    keys = CheckKeys({}, {})
    if path.exists():
        try:
            db = connect(path, readonly=True)
        except DatabaseError as exc:
            return _fail(str(exc))
        try:
            keys = check_keys(db)
        finally:
            db.close()
    verdict = check_code(args.payload, keys)
    if not verdict.genuine:
        return _fail(verdict.headline)
    print(verdict.headline)
    for line in verdict.lines:
        print(f"  {line}")
    return 0
