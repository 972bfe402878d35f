"""Headless sync commands: bundle export|import|inspect, office init|add-laptop|revoke|return,
setup."""

from __future__ import annotations

from pathlib import Path

from muba_desk.passphrase import PASSPHRASE_ENV


def add_arguments(subparsers) -> None:
    """Register the sync subcommands on the `muba-desk` parser's subparsers."""
    bundle = subparsers.add_parser("bundle", help="paket data lewat flashdisk")
    bundle_sub = bundle.add_subparsers(dest="bundle_command", metavar="LANGKAH", required=True)

    export = bundle_sub.add_parser("export", help="tulis paket perubahan laptop ini")
    export.add_argument("--db", type=Path, required=True)
    export.add_argument("--to", type=Path, required=True, help="folder tujuan (flashdisk)")
    export.set_defaults(handler=cmd_export)

    imp = bundle_sub.add_parser(
        "import", help="impor paket laptop (di kantor) atau paket balasan kantor (di laptop)"
    )
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
    init.add_argument("--supervisor", metavar="NAMA", help="nama pengguna penyelia pertama")
    init.add_argument(
        "--supervisor-password-file", type=Path, help="berkas kata sandi penyelia pertama"
    )
    init.add_argument(
        "--rehearsal",
        action="store_true",
        help="kantor latihan: laptopnya desa contoh, paketnya tidak tercampur dengan data asli",
    )
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

    ret = office_sub.add_parser("return", help="tulis paket balasan untuk laptop")
    ret.add_argument("--db", type=Path, required=True)
    which = ret.add_mutually_exclusive_group(required=True)
    which.add_argument("--laptop", help="kode atau nama laptop")
    which.add_argument("--all", action="store_true", help="semua laptop yang tidak dicabut")
    ret.add_argument("--to", type=Path, required=True, help="folder tujuan (flashdisk)")
    _passphrase_arguments(ret)
    ret.set_defaults(handler=cmd_office_return)

    setup = subparsers.add_parser("setup", help="siapkan laptop dengan berkas dari kantor")
    setup.add_argument("--db", type=Path, required=True)
    setup.add_argument("--provision", type=Path, required=True)
    setup.add_argument(
        "--db-passphrase-file",
        type=Path,
        help="kata sandi registri laptop yang sudah ada (pemulihan atau petugas), bila berbeda",
    )
    setup.add_argument("--supervisor", metavar="NAMA", help="nama pengguna penyelia pertama")
    setup.add_argument(
        "--supervisor-password-file", type=Path, help="berkas kata sandi penyelia pertama"
    )
    _passphrase_arguments(setup)
    setup.set_defaults(handler=cmd_setup)


def _passphrase_arguments(parser) -> None:
    parser.add_argument(
        "--passphrase-file", type=Path, help=f"berkas kata sandi (atau variabel {PASSPHRASE_ENV})"
    )


def _passphrase(args, prompt: str = "Kata sandi kantor: ") -> str:
    """Raises KeyProblem (a UserError) naming --passphrase-file when there is no terminal."""
    from muba_desk.passphrase import read_passphrase

    return read_passphrase(getattr(args, "passphrase_file", None), prompt)


def _fail(message: str) -> int:
    from muba_desk.errors import fail

    return fail(message)


def cmd_export(args) -> int:
    from muba_desk.sync.bundle import BundleError
    from muba_desk.sync.export import export_bundle

    try:
        print(export_bundle(args.db, args.to))
    except BundleError as exc:
        return _fail(str(exc))
    return 0


def cmd_import(args) -> int:
    """Each file goes where its header says: laptop bundles to the office's import, return
    bundles to the laptop's. A folder's files meant for another place are skipped, not refused
    (an office stick holds the return bundles of every laptop)."""
    from muba_desk.store.db import connect
    from muba_desk.store.registry import get_setting
    from muba_desk.sync.bundle import KIND_LAPTOP, KIND_OFFICE
    from muba_desk.sync.export import BUNDLE_SUFFIX
    from muba_desk.sync.importer import STATUS_REFUSED, import_many
    from muba_desk.sync.keys import LAPTOP_AGE_IDENTITY, KeyProblem, unlock_office
    from muba_desk.sync.receive import import_returns

    db = connect(args.db)
    try:
        identity = get_setting(db, LAPTOP_AGE_IDENTITY)
    finally:
        db.close()
    # A provisioned laptop (even one filled with demo data) takes return bundles.
    own = KIND_OFFICE if identity is not None else KIND_LAPTOP
    files: list[tuple[Path, str]] = []
    for path in args.paths:
        if not path.is_dir():
            files.append((path, peek(path).get("kind", own)))
            continue
        for found in sorted(path.glob(f"*{BUNDLE_SUFFIX}")):
            header = peek(found)
            if not _meant_for_here(header, own, identity):
                print(f"{found.name}: dilewati (bukan untuk basis data ini).")
                continue
            files.append((found, header.get("kind", own)))
    reports = []
    laptop_files = [path for path, kind in files if kind == KIND_LAPTOP]
    if laptop_files:
        db = connect(args.db)
        try:
            office = unlock_office(db, _passphrase(args))
        except KeyProblem as exc:
            return _fail(str(exc))
        finally:
            db.close()
        reports += import_many(args.db, laptop_files, office=office)
    reports += import_returns(args.db, [path for path, kind in files if kind != KIND_LAPTOP])
    order = {path.name: index for index, (path, _) in enumerate(files)}
    for report in sorted(reports, key=lambda r: order.get(r.file, 0)):
        print(report.summary())
    return 1 if any(r.status == STATUS_REFUSED for r in reports) else 0


def peek(path: Path) -> dict:
    """The header's fields as far as they read, unchecked: only to route a file; the import
    itself checks everything. Empty when the file is not even that."""
    from muba_desk.sync import jsonsafe
    from muba_desk.sync.bundle import MAGIC, MAX_HEADER_BYTES

    try:
        with open(path, "rb") as f:
            start = f.read(len(MAGIC) + MAX_HEADER_BYTES + 1)
        # jsonsafe: a header nested two thousand deep is not a traceback here either.
        header = jsonsafe.loads(start[len(MAGIC) :].split(b"\n", 1)[0])
    except (OSError, ValueError):
        return {}
    return header if start.startswith(MAGIC) and isinstance(header, dict) else {}


def _meant_for_here(header: dict, own: str, identity: str | None) -> bool:
    if header.get("kind") not in (None, own):
        return False
    if own == "office" and identity is not None and header.get("recipient_key_id") is not None:
        import pyrage

        from muba_desk.sync.bundle import key_id_of_recipient

        recipient = str(pyrage.x25519.Identity.from_str(identity).to_public())
        return header["recipient_key_id"] == key_id_of_recipient(recipient)
    return True


def cmd_office_return(args) -> int:
    from muba_desk.store.db import connect
    from muba_desk.sync.bundle import BundleError
    from muba_desk.sync.keys import KeyProblem, unlock_office
    from muba_desk.sync.returns import office_return

    db = connect(args.db)
    try:
        office = unlock_office(db, _passphrase(args))
    except KeyProblem as exc:
        return _fail(str(exc))
    finally:
        db.close()
    try:
        if args.all:
            from muba_desk.office.laptops_data import return_to_all
            from muba_desk.progress import SilentProgress

            written, _cancelled = return_to_all(args.db, args.to, office, SilentProgress())
            for _code, path in written:
                print(path)
            if not written:
                print("Belum ada laptop aktif; tidak ada paket balasan yang ditulis.")
        else:
            print(office_return(args.db, args.laptop, args.to, office=office))
    except BundleError as exc:
        return _fail(str(exc))
    return 0


def cmd_inspect(args) -> int:
    from muba_desk.sync.bundle import BundleError, parse

    try:
        data = args.path.read_bytes()
    except OSError as exc:
        return _fail(f"Berkas '{args.path}' tidak dapat dibaca: {exc.strerror or exc}.")
    try:
        header = parse(data, args.path.name).header
    except BundleError as exc:
        return _fail(str(exc))
    office = header["kind"] == "office"
    sender, recipient = ("kantor", "laptop") if office else ("laptop", "kantor")
    print(
        f"{args.path.name}: {sender} {header['device_id']} (kunci {header['key_id']}), "
        f"paket {header['sequence']}, dibuat {header['created_at']}, "
        f"{header['ciphertext_length']} bita terenkripsi untuk {recipient} "
        f"{header['recipient_key_id']}"
    )
    return 0


def _will_encrypt(db_path: Path) -> bool:
    from muba_desk.store import keys

    return (
        keys.encryption_enabled() and not Path(db_path).exists() and not keys.is_encrypted(db_path)
    )


def _new_encrypted(db_path: Path, passphrase: str, operators: dict | None = None) -> bool:
    """A new database file is encrypted, its key wrapped by `passphrase` (the recovery copy,
    which every command then unlocks it with) and for `operators` (name: password); an
    existing file is left as it is."""
    from muba_desk.store import keys

    if not _will_encrypt(db_path):
        return False
    keys.create_key_file(db_path, operators=operators, recovery_passphrase=passphrase)
    return True


def _undo_new_key(db_path: Path) -> None:
    from muba_desk.store import keys

    keys.forget(db_path)
    if not Path(db_path).exists():
        keys.key_file_of(db_path).unlink(missing_ok=True)


def cmd_office_init(args) -> int:
    from muba_desk.office.founding import found_office
    from muba_desk.passphrase import OFFICE, new_passphrase_problem
    from muba_desk.sync.keys import KeyProblem

    passphrase = _passphrase(args, "Kata sandi kantor baru: ")
    problem = new_passphrase_problem(passphrase, OFFICE)
    if problem:
        return _fail(problem)
    supervisor = _first_supervisor(args)  # asked and checked before anything is written
    if isinstance(supervisor, int):
        return supervisor
    # The same step as the window's "Ini kantor": identity, settings, first supervisor; the
    # office passphrase also opens the file, the supervisor's password too.
    try:
        made = found_office(args.db, passphrase, supervisor, rehearsal=args.rehearsal)
    except KeyProblem as exc:
        return _fail(str(exc))
    note = " Basis data terenkripsi dengan kata sandi kantor." if made.encrypted else ""
    if args.rehearsal:
        note += " KANTOR LATIHAN: hanya desa contoh yang dapat disiapkan sebagai laptopnya."
    print(f"{args.db}: identitas kantor dibuat (kunci {made.public.key_id}).{note}")
    if made.supervisor is not None:
        print(f"Penyelia '{made.supervisor.username}' dibuat; masuk di jendela dengan nama itu.")
    return 0


def _first_supervisor(args) -> dict | int | None:
    """The first supervisor's fields for create_operator, None without --supervisor, or the
    exit status of a refusal (name or password not acceptable)."""
    from muba_desk.passphrase import read_passphrase
    from muba_desk.store import operators

    if not args.supervisor:
        return None
    username = operators.normalise_username(args.supervisor)
    if problem := operators.username_problem(username):
        return _fail(problem)
    password = read_passphrase(
        args.supervisor_password_file,
        "Kata sandi penyelia: ",
        option="--supervisor-password-file",
        env=None,
    )
    if problem := operators.password_problem(password, username):
        return _fail(problem)
    return {"username": username, "full_name": username, "role": "supervisor", "password": password}


def cmd_add_laptop(args) -> int:
    from muba_desk.passphrase import SETUP, new_passphrase_problem, read_passphrase
    from muba_desk.store.db import connect
    from muba_desk.sync.keys import KeyProblem, check_laptop_code, register_laptop, unlock_office

    try:
        check_laptop_code(args.code)  # before any passphrase is asked for
        # Never the office passphrase by default: the setup one is read out to a field worker.
        setup = read_passphrase(
            args.setup_passphrase_file,
            "Kata sandi penyiapan laptop: ",
            option="--setup-passphrase-file",
            env=None,
        )
    except KeyProblem as exc:
        return _fail(str(exc))
    problem = new_passphrase_problem(setup, SETUP)
    if problem:
        return _fail(problem)
    db = connect(args.db)
    try:
        office = unlock_office(db, _passphrase(args))
    except KeyProblem as exc:
        return _fail(str(exc))
    finally:
        db.close()
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
    from muba_desk.passphrase import RECOVERY, new_passphrase_problem
    from muba_desk.store.operators import OperatorError
    from muba_desk.sync.keys import KeyProblem
    from muba_desk.sync.provision import provision_laptop

    passphrase = _passphrase(args, "Kata sandi penyiapan: ")
    # A new laptop file is encrypted: the setup passphrase is its recovery copy (change it with
    # the window's set-up), and provisioning adds the office's copy. Only then is it a new
    # passphrase held to the strength rule; opening the provisioning file alone is not.
    new = not Path(args.db).exists()
    problem = new_passphrase_problem(passphrase, RECOVERY)
    if problem and _will_encrypt(args.db):
        return _fail(problem)
    supervisor = _first_supervisor(args)  # asked and checked before anything is written
    if isinstance(supervisor, int):
        return supervisor
    try:
        done = provision_laptop(
            args.db,
            args.provision,
            passphrase,
            recovery_passphrase=passphrase if new else None,
            supervisor=supervisor,
        )
    except (KeyProblem, OperatorError) as exc:
        return _fail(str(exc))
    content = done.settings
    print(f"{args.db}: laptop {content['code']} ({content['name']}) siap dipakai.")
    if done.operator is not None:
        print(f"Penyelia '{done.operator.username}' dibuat; masuk di jendela dengan nama itu.")
    return 0
