"""Headless sync commands: bundle export|import|inspect, office init|add-laptop|revoke, setup."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

PASSPHRASE_ENV = "MUBA_DESK_PASSPHRASE"


def add_arguments(subparsers) -> None:
    """Register the sync subcommands on the `muba-desk` parser's subparsers."""
    bundle = subparsers.add_parser("bundle", help="paket data lewat flashdisk")
    bundle_sub = bundle.add_subparsers(dest="bundle_command", metavar="LANGKAH", required=True)

    export = bundle_sub.add_parser("export", help="tulis paket perubahan laptop ini")
    export.add_argument("--db", type=Path, required=True)
    export.add_argument("--to", type=Path, required=True, help="folder tujuan (flashdisk)")
    export.set_defaults(handler=cmd_export)

    imp = bundle_sub.add_parser("import", help="impor paket dari laptop (di kantor)")
    imp.add_argument("--db", type=Path, required=True)
    imp.add_argument("paths", type=Path, nargs="+", metavar="PAKET", help="berkas atau folder")
    _passphrase_arguments(imp)
    imp.set_defaults(handler=cmd_import)

    inspect = bundle_sub.add_parser("inspect", help="tampilkan kepala paket (tanpa kunci)")
    inspect.add_argument("path", type=Path, metavar="PAKET")
    inspect.set_defaults(handler=cmd_inspect)

    office = subparsers.add_parser("office", help="identitas kantor dan laptop")
    office_sub = office.add_subparsers(dest="office_command", metavar="LANGKAH", required=True)
    init = office_sub.add_parser("init", help="buat identitas kantor (sekali saja)")
    init.add_argument("--db", type=Path, required=True)
    _passphrase_arguments(init)
    init.set_defaults(handler=cmd_office_init)

    add = office_sub.add_parser("add-laptop", help="daftarkan laptop, tulis berkas penyiapan")
    add.add_argument("--db", type=Path, required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--code", required=True, help="kode laptop, misalnya L07")
    add.add_argument("--district", required=True, help="kode kecamatan, misalnya 16.06.01")
    add.add_argument("--village", action="append", default=[], help="kode desa (boleh berulang)")
    add.add_argument("--out", type=Path, required=True, help="berkas penyiapan yang ditulis")
    add.add_argument("--setup-passphrase-file", type=Path, help="kata sandi penyiapan laptop")
    _passphrase_arguments(add)
    add.set_defaults(handler=cmd_add_laptop)

    revoke = office_sub.add_parser("revoke", help="cabut laptop (hilang atau dicuri)")
    revoke.add_argument("--db", type=Path, required=True)
    revoke.add_argument("--laptop", required=True, help="kode atau nama laptop")
    revoke.add_argument("--reason", default="")
    revoke.set_defaults(handler=cmd_revoke)

    setup = subparsers.add_parser("setup", help="siapkan laptop dengan berkas dari kantor")
    setup.add_argument("--db", type=Path, required=True)
    setup.add_argument("--provision", type=Path, required=True)
    _passphrase_arguments(setup)
    setup.set_defaults(handler=cmd_setup)


def _passphrase_arguments(parser) -> None:
    parser.add_argument(
        "--passphrase-file", type=Path, help=f"berkas kata sandi (atau variabel {PASSPHRASE_ENV})"
    )


def _passphrase(args, prompt: str = "Kata sandi kantor: ") -> str:
    source = getattr(args, "passphrase_file", None)
    if source is not None:
        return source.read_text(encoding="utf-8").strip()
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    return getpass.getpass(prompt)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def cmd_export(args) -> int:
    from muba_desk.sync.bundle import BundleError
    from muba_desk.sync.export import export_bundle

    try:
        print(export_bundle(args.db, args.to))
    except BundleError as exc:
        return _fail(str(exc))
    return 0


def cmd_import(args) -> int:
    from muba_desk.store.db import connect
    from muba_desk.sync.export import BUNDLE_SUFFIX
    from muba_desk.sync.importer import STATUS_REFUSED, import_many
    from muba_desk.sync.keys import KeyProblem, unlock_office

    files: list[Path] = []
    for path in args.paths:
        files.extend(sorted(path.glob(f"*{BUNDLE_SUFFIX}")) if path.is_dir() else [path])
    db = connect(args.db)
    try:
        office = unlock_office(db, _passphrase(args))
    except KeyProblem as exc:
        return _fail(str(exc))
    finally:
        db.close()
    reports = import_many(args.db, files, office=office)
    for report in reports:
        print(report.summary())
    return 1 if any(r.status == STATUS_REFUSED for r in reports) else 0


def cmd_inspect(args) -> int:
    from muba_desk.sync.bundle import BundleError, parse

    try:
        header = parse(args.path.read_bytes(), args.path.name).header
    except (BundleError, OSError) as exc:
        return _fail(str(exc))
    print(
        f"{args.path.name}: laptop {header['device_id']} (kunci {header['key_id']}), "
        f"paket {header['sequence']}, dibuat {header['created_at']}, "
        f"{header['ciphertext_length']} bita terenkripsi untuk kantor "
        f"{header['recipient_key_id']}"
    )
    return 0


def cmd_office_init(args) -> int:
    from muba_desk.sync.keys import KeyProblem, create_office

    try:
        public = create_office(args.db, _passphrase(args, "Kata sandi kantor baru: "))
    except KeyProblem as exc:
        return _fail(str(exc))
    print(f"{args.db}: identitas kantor dibuat (kunci {public.key_id}).")
    return 0


def cmd_add_laptop(args) -> int:
    from muba_desk.store.db import connect
    from muba_desk.sync.keys import KeyProblem, register_laptop, unlock_office

    db = connect(args.db)
    try:
        office = unlock_office(db, _passphrase(args))
    except KeyProblem as exc:
        return _fail(str(exc))
    finally:
        db.close()
    # Never the office passphrase by default: the setup one is read out to a field worker.
    if args.setup_passphrase_file is not None:
        setup = args.setup_passphrase_file.read_text(encoding="utf-8").strip()
    else:
        setup = getpass.getpass("Kata sandi penyiapan laptop: ")
    try:
        record = register_laptop(
            args.db,
            office,
            name=args.name,
            code=args.code,
            district_code=args.district,
            villages=args.village,
            out_path=args.out,
            setup_passphrase=setup,
        )
    except KeyProblem as exc:
        return _fail(str(exc))
    print(f"{args.out}: laptop {record.code} ({record.name}) terdaftar.")
    return 0


def cmd_revoke(args) -> int:
    from muba_desk.sync.keys import KeyProblem, revoke_laptop

    try:
        revoke_laptop(args.db, args.laptop, args.reason)
    except KeyProblem as exc:
        return _fail(str(exc))
    print(f"Laptop {args.laptop} dicabut; paket darinya tidak akan diterima lagi.")
    return 0


def cmd_setup(args) -> int:
    from muba_desk.sync.keys import KeyProblem, apply_provisioning

    try:
        content = apply_provisioning(args.db, args.provision, _passphrase(args))
    except KeyProblem as exc:
        return _fail(str(exc))
    print(f"{args.db}: laptop {content['code']} ({content['name']}) siap dipakai.")
    return 0
