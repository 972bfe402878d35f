"""`python -m benchmarks [--quick]`: every task against its baseline, one table.

The lead's `make bench` runs the full size (250,000 people, under ten minutes on two cores once
the registry is cached). `--quick` runs smaller sizes as a smoke test.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path

from benchmarks.common import FULL, QUICK, TINY, Row, Sizes, cache_dir, table

# In the order; each module's run(sizes) returns its rows.
TASKS = ("window", "search", "save", "bundle", "cards", "ingest", "lists", "duplicates", "sk")
SIZES = {"full": FULL, "quick": QUICK, "tiny": TINY}


def machine() -> str:
    """CPU model, cores, RAM, Python, SQLite, and the load when the run started."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f", {int(line.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f} at start"
    return (
        f"{cpu}, {os.cpu_count()} cores{ram}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}; {platform.system()} {platform.release()}{load}"
    )


def run(sizes: Sizes, tasks=TASKS, out=sys.stdout) -> list[Row]:
    """Run `tasks` at `sizes`, print the table to `out` and return its rows."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    print(f"muba-desk benchmarks, {sizes.name} size ({sizes.people:,} people)", file=out)
    print(f"machine: {machine()}", file=out, flush=True)
    rows: list[Row] = []
    memory: list[Row] = []
    notes: list[str] = []
    for name in tasks:
        print(f"  {name} …", file=sys.stderr, flush=True)
        task_start = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}")
        for row in module.run(sizes):
            (memory if row.unit == "MB" else rows).append(row)
        print(f"  {name}: {time.perf_counter() - task_start:.0f} s", file=sys.stderr, flush=True)
    from benchmarks.data import registry

    made = (
        registry(sizes).made_in_s
        if {"window", "search", "save", "duplicates"} & set(tasks)
        else None
    )
    if made is not None:
        notes.append(f"the {sizes.people:,}-person registry was made in this run: {made:.0f} s")
    notes.append(f"whole run: {time.perf_counter() - started:.0f} s; cache: {cache_dir()}")
    print("", file=out)
    print(table(rows + memory, notes), file=out, flush=True)
    return rows + memory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke test")
    parser.add_argument("--size", choices=sorted(SIZES), help="full, quick or tiny")
    parser.add_argument("--only", nargs="+", choices=TASKS, help="run only these tasks")
    args = parser.parse_args(argv)
    sizes = SIZES[args.size or ("quick" if args.quick else "full")]
    run(sizes, args.only or TASKS)
    return 0
