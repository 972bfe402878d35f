"""The short kill campaign of `make test` (about 30 SIGKILLs and 150 damaged bundles); the
long one is `make faults` (python -m tests.faults --long)."""

import pytest

from tests.faults.__main__ import SHORT
from tests.faults.campaign import run_campaign, summary_counts, table
from tests.faults.corruption import corrupt_bundles

pytestmark = pytest.mark.slow


def test_kills_at_random_points_lose_nothing_and_leave_nothing_half_applied(tmp_path):
    rows = run_campaign(SHORT, seed=7, root=tmp_path)
    rows["bundle corruption"] = corrupt_bundles(150, seed=7, templates=tmp_path / "templates")
    counts = summary_counts(rows)
    report = table(rows) + "\n" + "\n".join(p for t in rows.values() for p in t.problems[:5])
    assert counts["tried"] >= 25 + 150 - 5, report
    assert counts["lost"] == 0, report
    assert counts["half"] == 0, report
    assert counts["silent"] == 0, report
    assert counts["survived"] == counts["tried"], report
