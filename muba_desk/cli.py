"""`muba-desk`: with no arguments opens the window; subcommands run headless."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from muba_desk import __version__


def _parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line. `commands=False` leaves out the subcommands: enough for a window start
    (`muba-desk`, `muba-desk --db FILE`), which then neither imports the modules that define
    them nor builds their two dozen parsers (0.02-0.04 s of the start)."""
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
    if not commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH")

    demo = sub.add_parser("demo", help="isi basis data dengan registri contoh (data rekaan)")
    demo.add_argument("--db", type=Path, required=True, help="berkas basis data yang dibuat/diisi")
    demo.add_argument("--people", type=int, default=2000, help="jumlah penduduk (bawaan 2000)")
    demo.add_argument("--seed", type=int, default=1, help="benih acak, hasil sama untuk benih sama")

    doctor = sub.add_parser("doctor", help="periksa keutuhan basis data dan rantai audit")
    doctor.add_argument("--db", type=Path, required=True)
    doctor.set_defaults(handler=cmd_doctor)
    demo.set_defaults(handler=cmd_demo)
    from muba_desk.passphrase import add_passphrase_argument

    for parser_ in (demo, doctor):
        add_passphrase_argument(parser_)

    decrypt = sub.add_parser("decrypt", help="tulis salinan tak terenkripsi (untuk audit/analis)")
    decrypt.add_argument("--db", type=Path, required=True)
    decrypt.add_argument("--out", type=Path, required=True, help="berkas salinan biasa")
    add_passphrase_argument(decrypt)
    decrypt.set_defaults(handler=cmd_decrypt)

    encrypt = sub.add_parser(
        "encrypt", help="enkripsi basis data biasa dengan kata sandi pemulihan"
    )
    encrypt.add_argument("--db", type=Path, required=True)
    add_passphrase_argument(encrypt)
    encrypt.set_defaults(handler=cmd_encrypt)

    backup = sub.add_parser("backup", help="cadangkan basis data (terenkripsi) ke folder/flashdisk")
    backup.add_argument("--db", type=Path, required=True)
    backup.add_argument("--to", type=Path, required=True, help="folder tujuan")
    add_passphrase_argument(backup)
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help="pulihkan dari cadangan yang lolos pemeriksaan")
    restore.add_argument("--db", type=Path, required=True)
    restore.add_argument("--from", dest="source", type=Path, required=True, help="berkas cadangan")
    add_passphrase_argument(restore)
    restore.set_defaults(handler=cmd_restore)

    from muba_desk.printing.commands import add_arguments as add_printing

    add_printing(sub)
    from muba_desk.sync.commands import add_arguments as add_sync

    add_sync(sub)
    from muba_desk.reports.commands import add_arguments as add_report

    add_report(sub)
    from muba_desk.operator_commands import add_arguments as add_operator

    add_operator(sub)
    from muba_desk.lists_out.commands import add_arguments as add_lists_out

    add_lists_out(sub)
    from muba_desk.lists.commands import add_arguments as add_lists

    add_lists(sub)
    return parser


def _window_start(argv: list[str]) -> bool:
    """`muba-desk` alone or with `--db FILE`: the window, no subcommand."""
    if not argv:
        return True
    if len(argv) == 1:
        return argv[0].startswith("--db=")
    return len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-")


def main(argv: list[str] | None = None) -> int:
    """Run the command; never a traceback for the user. A UserError ends it with its message on
    one line (exit 1); anything else is logged to the crash log and named in one line (exit 1);
    Ctrl+C stops it with one line (exit 130)."""
    from muba_desk.errors import UserError

    try:
        return _main(argv)
    except UserError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        from muba_desk.i18n import _

        return _fail(_("Dihentikan."), status=130)
    except Exception as exc:
        from muba_desk.errors import crash_line

        return _fail(crash_line(exc))


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _parser(commands=not _window_start(argv)).parse_args(argv)
    if args.self_test:
        from muba_desk.selftest import run as self_test

        return self_test()
    if args.command is None:
        from muba_desk.app import run

        return run(db_path=args.db)
    db_path = getattr(args, "db", None)
    if db_path is not None and args.handler.__name__ not in _MAY_CREATE and not db_path.exists():
        from muba_desk.i18n import _

        # Opening would make an empty registry under a mistyped name.
        return _fail(
            _("Berkas basis data '{file}' tidak ditemukan; periksa nama berkas pada --db.").format(
                file=db_path
            )
        )
    if getattr(args, "handler", None) not in _UNLOCK_THEMSELVES:
        from muba_desk.passphrase import unlock_database
        from muba_desk.store.keys import KeyProblem

        try:
            # `setup` opens the provisioning file with --passphrase-file; an existing laptop
            # registry may need its own (--db-passphrase-file).
            secret = getattr(args, "db_passphrase_file", None) or getattr(
                args, "passphrase_file", None
            )
            unlock_database(getattr(args, "db", None), secret)
        except KeyProblem as exc:
            return _fail(str(exc))
    from muba_desk.store.db import DatabaseError

    try:
        return args.handler(args)
    except DatabaseError as exc:
        # A file of a newer version, a locked or damaged one: one line, whichever command
        # opened it (docs/design.md, Upgrades).
        return _fail(str(exc))


def _fail(message: str, status: int = 1) -> int:
    from muba_desk.errors import fail

    return fail(message, status)


def cmd_demo(args) -> int:
    from muba_desk.demo import create_demo
    from muba_desk.progress import Progress
    from muba_desk.store import keys
    from muba_desk.store.db import DatabaseError, connect
    from muba_desk.store.operators import DEMO_USERNAME

    if args.people < 1:
        return _fail("--people harus paling sedikit 1.")
    problem = _provisioned_laptop(args.db)
    if problem:
        return _fail(problem)
    started = time.monotonic()
    last = [0.0]

    def report(done, total, label):
        now = time.monotonic()
        if now - last[0] > 2 or done == total:
            last[0] = now
            print(f"\r{label} {done}/{total}", end="", file=sys.stderr, flush=True)

    made_key = False
    if keys.encryption_enabled() and not args.db.exists() and not keys.is_encrypted(args.db):
        # A new demo registry is encrypted too; its passphrase is the public "demo".
        keys.create_key_file(
            args.db,
            operators={DEMO_USERNAME: keys.DEMO_PASSPHRASE},
            recovery_passphrase=keys.DEMO_PASSPHRASE,
        )
        made_key = True
    try:
        db = connect(args.db)
    except DatabaseError as exc:
        if made_key:
            keys.forget(args.db)
            keys.key_file_of(args.db).unlink(missing_ok=True)
        return _fail(str(exc))
    try:
        summary = create_demo(db, people=args.people, seed=args.seed, progress=Progress(report))
    finally:
        db.close()
    print(file=sys.stderr)
    parts = ", ".join(f"{count} {name}" for name, count in summary.items())
    print(f"{args.db}: {parts} ({time.monotonic() - started:.0f} s)")
    if made_key:
        print(f"Terenkripsi; kata sandi: {keys.DEMO_PASSPHRASE!r} (data rekaan).")
    return 0


def _provisioned_laptop(db_path: Path) -> str | None:
    """Why `demo` must not fill `db_path`: it is a provisioned laptop's registry (it holds the
    laptop's sync keys), whose next bundle would carry the made-up people, signed by the
    laptop, to the office. None for a new file, a rehearsal laptop or any other registry."""
    from muba_desk.i18n import _
    from muba_desk.store.db import connect
    from muba_desk.store.registry import get_setting
    from muba_desk.sync.keys import LAPTOP_AGE_IDENTITY

    if not Path(db_path).exists():
        return None
    db = connect(db_path, migrate=False)
    try:
        provisioned = get_setting(db, LAPTOP_AGE_IDENTITY) is not None
        # A rehearsal office's laptop stays a demo registry (sync.keys.apply_provisioned):
        # made-up people may fill it, its bundles go to the rehearsal office only.
        rehearsal = get_setting(db, "mode") == "demo"
    finally:
        db.close()
    if not provisioned or rehearsal:
        return None
    return _(
        "'{file}' adalah basis data laptop yang sudah disiapkan kantor: data contoh di sini akan "
        "terkirim ke kantor pada paket berikutnya. Buat data contoh di berkas baru."
    ).format(file=db_path)


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


def cmd_decrypt(args) -> int:
    from muba_desk.store.db import DatabaseError, decrypt_to

    try:
        decrypt_to(args.db, args.out)
    except DatabaseError as exc:
        return _fail(str(exc))
    print(f"{args.out}: salinan TIDAK terenkripsi. Simpan di tempat aman, hapus setelah dipakai.")
    return 0


def cmd_encrypt(args) -> int:
    """A plain database from an earlier version, encrypted with a recovery passphrase."""
    from muba_desk.passphrase import read_passphrase
    from muba_desk.store import keys
    from muba_desk.store.db import DatabaseError, encrypt_plain_database, is_plain_sqlite

    if not args.db.exists() or not is_plain_sqlite(args.db):
        return _fail(f"'{args.db}' bukan basis data biasa yang bisa dienkripsi.")
    if keys.is_encrypted(args.db):
        return _fail(f"'{args.db}' sudah punya berkas kunci.")
    from muba_desk.passphrase import RECOVERY, new_passphrase_problem

    passphrase = read_passphrase(args.passphrase_file, "Kata sandi pemulihan baru: ")
    problem = new_passphrase_problem(passphrase, RECOVERY)
    if problem:
        return _fail(problem)
    key = keys.create_key_file(args.db, recovery_passphrase=passphrase)
    try:
        encrypt_plain_database(args.db, key)
    except DatabaseError as exc:
        keys.key_file_of(args.db).unlink(missing_ok=True)
        return _fail(str(exc))
    print(f"{args.db}: terenkripsi; kunci di {keys.key_file_of(args.db).name}.")
    return 0


def _passphrase_if_given(args) -> str | None:
    import os

    from muba_desk.passphrase import PASSPHRASE_ENV

    if args.passphrase_file is not None:
        from muba_desk.passphrase import read_passphrase

        return read_passphrase(args.passphrase_file)  # one line when the file cannot be read
    return os.environ.get(PASSPHRASE_ENV) or None


def cmd_backup(args) -> int:
    from muba_desk.errors import UserError
    from muba_desk.passphrase import BACKUP, check_new_passphrase, read_passphrase
    from muba_desk.store import keys
    from muba_desk.store.backup import backup_to_folder

    if not args.db.exists():
        return _fail(f"Berkas basis data '{args.db}' tidak ditemukan.")
    passphrase = _passphrase_if_given(args)
    try:
        if keys.is_encrypted(args.db):
            if keys.key_for(args.db) is None:
                keys.unlock_with_passphrase(args.db, passphrase or read_passphrase(None))
        else:
            # A plain registry's backup is encrypted with a new passphrase, held to the rule.
            passphrase = check_new_passphrase(
                passphrase or read_passphrase(None, "Kata sandi untuk cadangan: "), BACKUP
            )
        dest = backup_to_folder(args.db, args.to, passphrase=passphrase)
    except UserError as exc:  # DatabaseError, KeyProblem, WeakPassphrase
        return _fail(str(exc))
    print(f"{dest}: cadangan terenkripsi (beserta {keys.key_file_of(dest).name}).")
    return 0


def cmd_restore(args) -> int:
    from muba_desk.safety import AlreadyOpen, InstanceLock
    from muba_desk.store import keys
    from muba_desk.store.backup import restore
    from muba_desk.store.db import DatabaseError

    passphrase = _passphrase_if_given(args)
    try:
        with InstanceLock(args.db):
            kept = restore(args.db, args.source, passphrase=passphrase)
    except (DatabaseError, keys.KeyProblem, AlreadyOpen) as exc:
        return _fail(str(exc))
    if kept:
        print(f"Berkas lama disimpan sebagai {kept.name}.")
    print(f"{args.db}: dipulihkan dari {args.source} (lolos pemeriksaan).")
    return 0


_UNLOCK_THEMSELVES = {cmd_encrypt, cmd_backup, cmd_restore}
# The commands whose --db may name a file that does not exist yet: they make it.
_MAY_CREATE = {"cmd_demo", "cmd_office_init", "cmd_setup", "cmd_restore"}
