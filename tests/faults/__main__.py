"""`python -m tests.faults [--long] [--kills N] [--seed S]`: the kill campaign and its table.

The short form (about 30 kills) also runs in `make test` (tests/faults/test_kills.py); the
long form (`make faults`) runs at least 500 kills and, with the bundle corruption campaign,
prints the table. Exit status 1 when anything was lost, half-applied or silently accepted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from tests.faults.campaign import KINDS, run_campaign, summary_counts, table
from tests.faults.corruption import corrupt_bundles

SHORT = {"save": 10, "export": 5, "import": 8, "migrate": 7}
LONG_SHARE = {"save": 0.35, "export": 0.2, "import": 0.25, "migrate": 0.2}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.faults")
    parser.add_argument("--long", action="store_true", help="at least 500 kills")
    parser.add_argument("--kills", type=int, help="total kills (default: 30, --long: 520)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corruptions", type=int, help="damaged bundles (default 200/2000)")
    args = parser.parse_args(argv)
    total = args.kills or (520 if args.long else 0)
    kills = {kind: max(1, round(total * LONG_SHARE[kind])) for kind in KINDS} if total else SHORT
    started = time.monotonic()
    root = Path(tempfile.mkdtemp(prefix="muba-faults-"))
    try:
        rows = run_campaign(kills, seed=args.seed, root=root)
        corruptions = args.corruptions or (2000 if args.long else 200)
        rows["bundle corruption"] = corrupt_bundles(
            corruptions, seed=args.seed, templates=root / "templates"
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(table(rows))
    print(f"({time.monotonic() - started:.0f} s)")
    counts = summary_counts(rows)
    for kind, tally in rows.items():
        for problem in tally.problems[:5]:
            print(f"  {kind}: {problem}")
    return 1 if counts["lost"] or counts["half"] or counts["silent"] else 0


if __name__ == "__main__":
    sys.exit(main())
