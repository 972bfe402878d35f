"""The progress object long work reports to; the window's worker turns it into a bar and Cancel.

Long work is a plain function taking `progress`; it calls `progress.update(done, total, label)`
now and then, which raises `Cancelled` once someone has asked to stop.
"""

from __future__ import annotations

import threading


class Cancelled(Exception):
    """The user pressed Cancel; the work rolled back what it had not committed."""


class Progress:
    def __init__(self, on_update=None):
        self._cancel = threading.Event()
        self._on_update = on_update
        self.done = 0
        self.total = 0
        self.label = ""

    def update(self, done: int, total: int, label: str = "") -> None:
        self.done, self.total, self.label = done, total, label
        if self._on_update is not None:
            self._on_update(done, total, label)
        if self._cancel.is_set():
            raise Cancelled(label)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class SilentProgress(Progress):
    """For callers that want no reports and never cancel."""
