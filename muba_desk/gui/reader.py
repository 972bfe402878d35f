"""The window's reader: one thread with its own connection that runs searches and detail loads.

Reads go through one thread, one at a time (as in Anki's single database executor), so they are
never concurrent with each other and never run on the UI thread. Each request belongs to a
channel ("people", "details", …) and gets a sequence number; a request superseded in its
channel before it starts is skipped, and a result that arrives after a newer request was made
is dropped, so typing fast never shows an older search's results.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal, Slot

from muba_desk.store import search, views
from muba_desk.store.db import connect

log = logging.getLogger(__name__)


# Plain classes rather than dataclasses, as everything on the way to the first screen: making
# a dataclass runs generated code, about a millisecond each.
class Queries:
    """The reads the window makes; tests replace one with a slow or failing stand-in."""

    __slots__ = ("people", "households", "person", "household", "counts")

    def __init__(
        self,
        people: Callable[..., list] = search.search_people,
        households: Callable[..., list] = search.search_households,
        person: Callable[[Any, str], dict | None] = views.person_details,
        household: Callable[[Any, str], dict | None] = views.household_details,
        counts: Callable[[Any], dict[str, int]] = views.counts,
    ):
        self.people, self.households, self.counts = people, households, counts
        self.person, self.household = person, household


class _Request:
    __slots__ = ("channel", "seq", "fn", "on_result", "on_error")

    def __init__(
        self,
        channel: str,
        seq: int,
        fn: Callable[[Any], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ):
        self.channel, self.seq, self.fn = channel, seq, fn
        self.on_result, self.on_error = on_result, on_error


class _Queue:
    """First in, first out between threads: what `queue.SimpleQueue` does, without importing
    `queue` (and heapq) on the way to the first screen."""

    def __init__(self):
        self._items: deque = deque()  # append and popleft are atomic
        self._ready = threading.Semaphore(0)

    def put(self, item: object) -> None:
        self._items.append(item)
        self._ready.release()

    def get(self) -> object:
        self._ready.acquire()
        return self._items.popleft()


_STOP = object()


class Reader(QThread):
    """Runs `fn(db)` requests on its own thread and connection; results return by signal."""

    _delivered = Signal(int, object, object)  # seq, result, exception

    def __init__(self, db_path: Path, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._queue = _Queue()
        self._seq = count(1)
        self._latest: dict[str, int] = {}
        self._pending: dict[int, _Request] = {}
        self._db = None
        self._delivered.connect(self._deliver)

    def submit(
        self,
        channel: str,
        fn: Callable[[Any], Any],
        on_result: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Queue `fn(db)`; `on_result` runs on the UI thread unless a newer request replaced it."""
        request = _Request(channel, next(self._seq), fn, on_result, on_error)
        self._latest[channel] = request.seq
        self._pending[request.seq] = request
        if not self.isRunning():
            self.start()
        self._queue.put(request)
        return request.seq

    def is_current(self, channel: str, seq: int) -> bool:
        return self._latest.get(channel) == seq

    def busy(self, channel: str) -> bool:
        """True while the newest request of `channel` has not been delivered."""
        return self._latest.get(channel) in self._pending

    def stop(self) -> None:
        """Finish the running request, skip the rest, close the connection and end the thread."""
        self._latest.clear()
        self._pending.clear()
        if self.isRunning():
            self._queue.put(_STOP)
            self.wait()

    # -- worker thread ---------------------------------------------------------------------
    def run(self) -> None:
        try:
            while (request := self._queue.get()) is not _STOP:
                # Skipping here spares the database a search nobody will look at.
                if self._latest.get(request.channel) != request.seq:
                    self._delivered.emit(request.seq, None, None)
                    continue
                try:
                    if self._db is None:
                        self._db = connect(self.db_path)
                    result = request.fn(self._db)
                except Exception as exc:
                    log.exception("read in channel %s failed", request.channel)
                    self._delivered.emit(request.seq, None, exc)
                else:
                    self._delivered.emit(request.seq, result, None)
        finally:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- UI thread -------------------------------------------------------------------------
    @Slot(int, object, object)
    def _deliver(self, seq: int, result: Any, error: BaseException | None) -> None:
        request = self._pending.pop(seq, None)
        if request is None or not self.is_current(request.channel, seq):
            return
        if error is None:
            request.on_result(result)
        elif request.on_error is not None:
            request.on_error(error)
