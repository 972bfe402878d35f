"""Errors as users meet them: `UserError` (a message for the user, shown as it is), and the crash
log every other exception goes to, for the window (`app.py`) and the command line alike.

A `UserError` ends a command with its one line on stderr and exit status 1, and in the window
becomes a dialog with its message. Anything else is a fault of ours: its traceback is appended to
`crash.log` in the data folder and the user reads one line saying where it went.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path

from muba_desk import __version__
from muba_desk.domain.errors import UserError
from muba_desk.paths import data_dir

__all__ = ["UserError", "crash_line", "fail", "log_dir", "write_crash_log"]


def log_dir() -> Path:
    return data_dir() / "logs"


def write_crash_log(exc_type, exc, tb) -> Path:
    """Append the traceback to the crash log in the data folder; returns the log's path."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crash.log"
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    with path.open("a", encoding="utf-8") as f:
        f.write(f"=== {datetime.now().isoformat(timespec='seconds')} muba-desk {__version__}\n")
        f.write(text + "\n")
    return path


def crash_line(exc: BaseException) -> str:
    """Log `exc` (an unexpected one) and return the one line a command prints about it."""
    from muba_desk.i18n import _

    try:
        where = str(write_crash_log(type(exc), exc, exc.__traceback__))
    except OSError:
        where = None
    if where is None:
        return _(
            "Terjadi kesalahan yang tidak terduga ({kind}); catatannya tidak dapat ditulis."
        ).format(kind=type(exc).__name__)
    return _(
        "Terjadi kesalahan yang tidak terduga; rinciannya ditulis di {file}. Laporkan ke kantor "
        "beserta berkas itu."
    ).format(file=where)


def fail(message: str, status: int = 1) -> int:
    """Print `message` on stderr as one line (whatever line breaks it holds) and return `status`:
    how every command ends on a problem."""
    print(" ".join(str(message).split()), file=sys.stderr)
    return status
