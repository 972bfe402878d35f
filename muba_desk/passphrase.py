"""Where the command line gets a passphrase, the same way for every command: `--passphrase-file
FILE`, else the MUBA_DESK_PASSPHRASE environment variable, else a prompt on the terminal."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

PASSPHRASE_ENV = "MUBA_DESK_PASSPHRASE"


def read_passphrase(passphrase_file: Path | None = None, prompt: str = "Kata sandi: ") -> str:
    if passphrase_file is not None:
        return Path(passphrase_file).read_text(encoding="utf-8").strip()
    if os.environ.get(PASSPHRASE_ENV):
        return os.environ[PASSPHRASE_ENV]
    try:
        return getpass.getpass(prompt)
    except EOFError:  # no terminal to ask on (a script, a pipe)
        from muba_desk.store.keys import KeyProblem

        raise KeyProblem(
            f"Perlu kata sandi: berikan dengan --passphrase-file BERKAS atau variabel "
            f"{PASSPHRASE_ENV}."
        ) from None


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
