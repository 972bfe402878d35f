"""Identifiers made offline on each device: UUIDv7 row ids and hybrid-logical-clock revisions.

A row id must never collide between laptops that never talk to each other, and should sort by
creation time so that B-tree inserts stay cheap: UUIDv7 (RFC 9562) gives both. A revision
(`rev`) must order edits of one row across devices whose clocks disagree: a hybrid logical
clock (wall milliseconds, a counter, the device id) does, and compares as a plain string.
"""

from __future__ import annotations

import os
import threading
import time

# The counter has four digits: a fifth would make a rev of another shape, which the office
# refuses as a forgery. Past 9,999 revs in one millisecond the clock takes the next one.
MAX_COUNTER = 9999
# A rev from further ahead of this device's clock is a wrong clock (or a forgery), not news:
# following it would carry the error into every later edit here, and a rev at the end of
# the 13 digits would leave this clock no room at all.
MAX_AHEAD_MS = 366 * 24 * 3600 * 1000


def uuid7(ms: int | None = None) -> str:
    """A new UUIDv7 as text: 48 bits of Unix milliseconds, then 74 random bits."""
    if ms is None:
        ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    # uuid.UUID's own formatting, without making the object (about 3 µs a row when the demo
    # writes a quarter of a million households and people).
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class HybridClock:
    """Hybrid logical clock: `rev` strings that grow on this device even if the clock steps back.

    Format: `{ms:013d}.{counter:04d}.{device}`; string order is causal order for one device and
    a stable total order across devices.
    """

    def __init__(self, device: str, now_ms=None):
        if not device or "." in device:
            raise ValueError(f"device id {device!r} must be non-empty and contain no dot")
        self.device = device
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._last_ms = 0
        self._counter = 0
        self._lock = threading.Lock()

    def tick(self) -> str:
        with self._lock:
            now = self._now_ms()
            if now > self._last_ms:
                self._last_ms, self._counter = now, 0
            elif self._counter < MAX_COUNTER:
                self._counter += 1
            else:
                self._last_ms, self._counter = self._last_ms + 1, 0
            return f"{self._last_ms:013d}.{self._counter:04d}.{self.device}"

    def observe(self, rev: str) -> bool:
        """Move past a revision seen from another device, so our next edit sorts after it.

        False (and no move) for a rev more than MAX_AHEAD_MS ahead of this device's clock;
        ValueError for a text that is not a rev."""
        ms_text, counter_text, _device = rev.split(".", 2)
        if len(ms_text) != 13 or len(counter_text) != 4:
            raise ValueError(f"not a revision: {rev[:60]!r}")
        ms, counter = int(ms_text), int(counter_text)
        if ms > self._now_ms() + MAX_AHEAD_MS:
            return False
        with self._lock:
            if (ms, counter) > (self._last_ms, self._counter):
                self._last_ms, self._counter = ms, counter
        return True
