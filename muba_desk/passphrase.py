"""Passphrases at the doors: where the command line gets one (the same way for every command:
`--passphrase-file FILE`, else the MUBA_DESK_PASSPHRASE environment variable, else a prompt on
the terminal), and the one strength rule for a NEW passphrase, shared by the window and the
command line (office, setup, recovery and backup passphrases; not where an existing one is typed
to open something, which must keep opening what it opened before)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from muba_desk.errors import UserError
from muba_desk.i18n import _

PASSPHRASE_ENV = "MUBA_DESK_PASSPHRASE"
MIN_NEW_PASSPHRASE = 10
"""Characters a new office, setup, recovery or backup passphrase needs at least: each one opens
a key that protects a whole registry or a laptop's identity, and none can be changed remotely."""

OFFICE, SETUP, RECOVERY, BACKUP = "office", "setup", "recovery", "backup"


class WeakPassphrase(UserError, ValueError):
    """A new passphrase that does not meet MIN_NEW_PASSPHRASE; str() says which and how long."""


def new_passphrase_problem(passphrase: str, kind: str) -> str | None:
    """The message for a new passphrase of `kind` (OFFICE, SETUP, RECOVERY, BACKUP) that is too
    weak, in the current language; None when it is good enough."""
    if len(passphrase) >= MIN_NEW_PASSPHRASE:
        return None
    what = {
        OFFICE: _("Kata sandi kantor"),
        SETUP: _("Kata sandi penyiapan"),
        RECOVERY: _("Kata sandi pemulihan"),
        BACKUP: _("Kata sandi cadangan"),
    }[kind]
    return _("{what} paling sedikit {count} karakter.").format(what=what, count=MIN_NEW_PASSPHRASE)


def check_new_passphrase(passphrase: str, kind: str) -> str:
    """`passphrase` itself when strong enough; WeakPassphrase otherwise."""
    problem = new_passphrase_problem(passphrase, kind)
    if problem is not None:
        raise WeakPassphrase(problem)
    return passphrase


def read_passphrase(
    passphrase_file: Path | None = None,
    prompt: str = "Kata sandi: ",
    *,
    option: str = "--passphrase-file",
    env: str | None = PASSPHRASE_ENV,
) -> str:
    """The passphrase from `passphrase_file`, else the environment variable `env`, else typed on
    the terminal. Without a terminal (a script, a pipe) store.keys.KeyProblem says in one line
    which option (or variable) gives it, instead of waiting or failing on the prompt."""
    from muba_desk.store.keys import KeyProblem

    if passphrase_file is not None:
        try:
            return Path(passphrase_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyProblem(
                _("Berkas kata sandi '{file}' tidak dapat dibaca: {reason}.").format(
                    file=passphrase_file, reason=getattr(exc, "strerror", None) or exc
                )
            ) from None
    if env is not None and os.environ.get(env):
        return os.environ[env]
    missing = (
        _("Perlu kata sandi: berikan dengan {option} BERKAS atau variabel {env}.").format(
            option=option, env=env
        )
        if env is not None
        else _("Perlu kata sandi: berikan dengan {option} BERKAS.").format(option=option)
    )
    if not sys.stdin or not sys.stdin.isatty():
        raise KeyProblem(missing)
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise KeyProblem(missing) from None


def add_passphrase_argument(parser) -> None:
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        help=f"berkas kata sandi basis data (atau variabel {PASSPHRASE_ENV})",
    )


def unlock_database(db_path, passphrase_file: Path | None = None) -> bool:
    """Unlock an encrypted database for this process with the recovery passphrase or an
    operator's password; a plain (or already unlocked) database needs nothing. Raises
    store.keys.KeyProblem (Indonesian) when the passphrase does not open it."""
    from muba_desk.store import keys

    if db_path is None or not keys.is_encrypted(db_path) or keys.key_for(db_path) is not None:
        return False
    keys.unlock_with_passphrase(
        db_path, read_passphrase(passphrase_file, f"Kata sandi basis data {Path(db_path).name}: ")
    )
    return True
