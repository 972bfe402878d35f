"""Timing, sizes and the table: what every task module shares."""

from __future__ import annotations

import gc
import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"


def cache_dir() -> Path:
    """Where made data is kept between runs: MUBA_BENCH_CACHE, else benchmarks/.cache."""
    return Path(os.environ.get("MUBA_BENCH_CACHE") or CACHE)


@dataclass(frozen=True)
class Sizes:
    """How big each task is. FULL is the issue's; QUICK is a smoke test; TINY is for pytest."""

    name: str
    people: int
    queries: int  # search-as-you-type queries (p95 over these)
    window_rounds: int
    save_rounds: int
    bundle_rows: int  # changed rows in the exported bundle, photo rows included
    bundle_photos: int
    bundle_rounds: int
    cards: int
    card_rounds: int
    ingest_size: tuple[int, int]
    ingest_rounds: int
    list_rows: int  # rows of the P3KE list imported (issue 14)
    warm_up: bool = True  # one untimed run of each side first (off only for the pytest smoke)
    sk_people: int = 45_000  # people set by one decision (SK): its attachment as PDF and XLSX
    sk_rounds: int = 3


FULL = Sizes(
    name="full",
    people=250_000,
    queries=200,
    window_rounds=5,
    save_rounds=15,
    bundle_rows=10_000,
    bundle_photos=1_000,
    bundle_rounds=5,  # medians of five: the two bundle rows have the least room
    cards=1_000,
    card_rounds=3,
    ingest_size=(4000, 3000),
    ingest_rounds=7,
    list_rows=100_000,
)
QUICK = Sizes(
    name="quick",
    people=5_000,
    queries=60,
    window_rounds=2,
    save_rounds=5,
    bundle_rows=1_000,
    bundle_photos=50,
    bundle_rounds=1,
    cards=50,
    card_rounds=1,
    ingest_size=(4000, 3000),
    ingest_rounds=3,
    list_rows=5_000,
    sk_people=2_000,
    sk_rounds=1,
)
TINY = Sizes(
    name="tiny",
    people=300,
    queries=10,
    window_rounds=1,
    save_rounds=2,
    bundle_rows=40,
    bundle_photos=4,
    bundle_rounds=1,
    cards=4,
    card_rounds=1,
    ingest_size=(1200, 900),
    ingest_rounds=1,
    list_rows=200,
    warm_up=False,
    sk_people=120,
    sk_rounds=1,
)


@dataclass
class Row:
    """One line of the table: `ours` and `base` in seconds (or MB when `unit` is "MB")."""

    task: str
    ours: float
    base: float | None
    target: float  # the largest ratio allowed; for MB rows, the limit in MB
    unit: str = "s"
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.base is None:
            return None
        return self.ours / self.base if self.base > 0 else math.inf

    @property
    def met(self) -> bool:
        if self.unit == "MB":
            return self.ours < self.target
        return self.ratio is not None and self.ratio <= self.target


def timed(fn: Callable[[], object]) -> float:
    """Seconds `fn()` took; the collector runs before, not during."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(
    rounds: int,
    ours: Callable[[], object],
    base: Callable[[], object],
    *,
    setup: Callable[[str], object] | None = None,
    self_timed: bool = False,
    budget_s: float | None = None,
) -> tuple[list[float], list[float]]:
    """A B B A A B …: ours and the baseline alternate (which goes first alternates too), so a
    burst of load from other jobs lands on both. `setup(which)` runs untimed before each. With
    `self_timed`, each function returns its own duration in seconds. With `budget_s`, no new
    round starts once that much time has gone (at least one round always runs), so a slow
    machine still finishes `make bench` in time, with fewer samples."""
    a, b = [], []
    start = time.perf_counter()
    for i in range(rounds):
        if i and budget_s is not None and time.perf_counter() - start > budget_s:
            break
        order = (("ours", ours, a), ("base", base, b))
        for which, fn, out in order if i % 2 == 0 else reversed(order):
            if setup is not None:
                setup(which)
            out.append(fn() if self_timed else timed(fn))
    return a, b


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "MB":
        return f"{value:.0f} MB"
    if value < 0.1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


HEADER = ("task", "ours", "baseline", "ratio", "target", "met")


def table(rows: list[Row], notes: list[str] = ()) -> str:
    """The table as Markdown, then `notes`; the last line is always `targets met: N/M`."""
    lines = [HEADER]
    for row in rows:
        if row.unit == "MB":
            ratio, target = "-", f"< {row.target:.0f} MB"
        else:
            ratio = "-" if row.ratio is None else f"{row.ratio:.2f}"
            target = f"<= {row.target:g}"
        lines.append(
            (
                row.task,
                _fmt(row.ours, row.unit),
                _fmt(row.base, row.unit),
                ratio,
                target,
                "yes" if row.met else "NO",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    out = []
    for n, line in enumerate(lines):
        rest = zip(line[1:], widths[1:], strict=True)
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in rest]
        out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    met = sum(row.met for row in rows)
    out.append("")
    out += [f"- {note}" for note in [n for row in rows for n in row.notes] + list(notes)]
    if len(out) and out[-1] != "":
        out.append("")
    out.append(f"targets met: {met}/{len(rows)}")
    return "\n".join(out)
