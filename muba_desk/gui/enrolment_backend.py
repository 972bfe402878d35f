"""How the enrolment dialogs reach the database: through the window, a reader thread, or at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from muba_desk.gui.reader import Reader
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry

_channels = count(1)


def _unique(prefix: str) -> str:
    # The reader drops a request superseded in its channel; each dialog read must arrive.
    return f"{prefix}:{next(_channels)}"


@dataclass
class Backend:
    """`read(fn(db), on_result, on_error=None)` and `write(fn(registry), on_done, on_error)`."""

    read_fn: Callable[..., Any]
    write_fn: Callable[..., Any]
    operator_id: str | None = None
    operator_name: str = ""
    close: Callable[[], None] = lambda: None

    def read(self, fn, on_result, on_error=None) -> None:
        self.read_fn(fn, on_result, on_error)

    def write(self, fn, on_done=None, on_error=None) -> None:
        self.write_fn(fn, on_done, on_error)


def for_window(window) -> Backend:
    """The window's reader thread for reads and its `submit_write` for writes."""

    def read(fn, on_result, on_error=None):
        window.reader.submit(_unique("enrolment"), fn, on_result, on_error)

    def write(fn, on_done=None, on_error=None):
        window.submit_write(fn, on_done=on_done, on_error=on_error)

    operator = window.operator
    return Backend(read, write, getattr(operator, "id", None), getattr(operator, "full_name", ""))


def _in_transaction(db, operator_id: str | None, fn):
    reg = Registry(db, operator_id=operator_id)
    with reg.transaction():
        return fn(reg)


def direct(db_path: Path, operator_id: str | None, operator_name: str = "") -> Backend:
    """Everything at once on the calling thread: for tests and the screenshot script."""
    db = connect(db_path)

    def read(fn, on_result, on_error=None):
        try:
            result = fn(db)
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
        else:
            on_result(result)

    def write(fn, on_done=None, on_error=None):
        try:
            result = _in_transaction(db, operator_id, fn)
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
        else:
            if on_done is not None:
                on_done(result)

    return Backend(read, write, operator_id, operator_name, db.close)


def threaded(db_path: Path, operator_id: str | None, operator_name: str = "", parent=None):
    """Reads and writes on one reader thread, as the window does: the UI thread never waits."""
    reader = Reader(Path(db_path), parent)

    def read(fn, on_result, on_error=None):
        reader.submit(_unique("enrolment"), fn, on_result, on_error)

    def write(fn, on_done=None, on_error=None):
        reader.submit(
            _unique("write"),
            lambda db: _in_transaction(db, operator_id, fn),
            on_done or (lambda _result: None),
            on_error,
        )

    return Backend(read, write, operator_id, operator_name, reader.stop)
