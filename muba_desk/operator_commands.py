"""Operator commands at the office: operator add|reset|disable, guarded by the office passphrase
(the same one every `office` command asks for), so an office made on the command line can be
given its clerks without the window."""

from __future__ import annotations

from pathlib import Path

from muba_desk.passphrase import PASSPHRASE_ENV

# The store's role names; the clerks' word for an ordinary operator is "petugas".
ROLE_NAMES = {"petugas": "operator", "supervisor": "supervisor"}


def add_arguments(subparsers) -> None:
    operator = subparsers.add_parser(
        "operator", help="petugas kantor: tambah, setel ulang, nonaktif"
    )
    sub = operator.add_subparsers(dest="operator_command", metavar="LANGKAH", required=True)
    for name, handler, help_text in (
        ("add", cmd_add, "tambah petugas atau penyelia"),
        ("reset", cmd_reset, "setel kata sandi baru untuk petugas"),
        ("disable", cmd_disable, "nonaktifkan petugas (tidak dapat masuk lagi)"),
    ):
        parser = sub.add_parser(name, help=help_text)
        parser.add_argument("--db", type=Path, required=True)
        parser.add_argument("--name", required=True, help="nama pengguna petugas")
        if name == "add":
            parser.add_argument("--role", choices=sorted(ROLE_NAMES), default="petugas")
            parser.add_argument("--full-name", help="nama lengkap (bawaan: nama pengguna)")
        if name != "disable":
            parser.add_argument("--password-file", type=Path, help="berkas kata sandi petugas")
        parser.add_argument(
            "--passphrase-file",
            type=Path,
            help=f"berkas kata sandi kantor (atau variabel {PASSPHRASE_ENV})",
        )
        parser.set_defaults(handler=handler)


def read_operator_password(password_file: Path | None, prompt: str) -> str:
    from muba_desk.passphrase import read_passphrase

    return read_passphrase(password_file, prompt, option="--password-file", env=None)


def _check_office(args) -> None:
    """The office passphrase must open the office keys (KeyProblem otherwise): an operator's own
    password, which also unlocks the file, is not enough to make or change operators."""
    from muba_desk.passphrase import read_passphrase
    from muba_desk.store.db import connect
    from muba_desk.sync.keys import unlock_office

    db = connect(args.db)
    try:
        unlock_office(db, read_passphrase(args.passphrase_file, "Kata sandi kantor: "))
    finally:
        db.close()


def _actor(db) -> str | None:
    """The audit names the first supervisor as the one acting (the command has no sign-in)."""
    row = db.conn.execute(
        "SELECT id FROM operator WHERE role = 'supervisor' AND disabled = 0 ORDER BY created_at"
    ).fetchone()
    return row[0] if row else None


def cmd_add(args) -> int:
    from muba_desk.store import operators
    from muba_desk.store.db import connect

    _check_office(args)
    password = read_operator_password(args.password_file, "Kata sandi petugas baru: ")
    db = connect(args.db)
    try:
        made = operators.create_operator(
            db,
            username=args.name,
            full_name=args.full_name or args.name,
            role=ROLE_NAMES[args.role],
            password=password,
            created_by=_actor(db),
        )
    finally:
        db.close()
    print(f"{args.db}: {args.role} '{made.username}' dibuat; dapat masuk di jendela.")
    return 0


def cmd_reset(args) -> int:
    from muba_desk.store import operators
    from muba_desk.store.db import connect

    _check_office(args)
    password = read_operator_password(args.password_file, "Kata sandi baru: ")
    db = connect(args.db)
    try:
        changed = operators.set_password(
            db, username=args.name, password=password, changed_by=_actor(db) or ""
        )
    finally:
        db.close()
    print(f"{args.db}: kata sandi '{changed.username}' diganti.")
    return 0


def cmd_disable(args) -> int:
    from muba_desk.store import operators
    from muba_desk.store.db import connect

    _check_office(args)
    db = connect(args.db)
    try:
        gone = operators.disable_operator(db, username=args.name, disabled_by=_actor(db) or "")
    finally:
        db.close()
    print(f"{args.db}: '{gone.username}' dinonaktifkan; tidak dapat masuk lagi.")
    return 0
