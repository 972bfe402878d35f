"""The benchmark suite's machinery at tiny sizes: every task runs and the table is well formed.

No timing is asserted here (ratios on a busy test machine mean nothing); `make bench` measures.
"""

import io
import re

import pytest

from benchmarks import run as bench
from benchmarks.common import TINY, Row, table

ROW = re.compile(
    r"^\| .+ \| +[0-9.]+ (ms|s|MB) \| +(-|[0-9.]+ (ms|s)) \| +(-|[0-9.]+|inf) \| "
    r"+(<= [0-9.]+|< [0-9]+ MB) \| +(yes|NO) \|$"
)


@pytest.mark.slow
def test_every_task_runs_and_prints_the_table(tmp_path, monkeypatch):
    monkeypatch.setenv("MUBA_BENCH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MUBA_DESK_DATA", str(tmp_path / "data"))
    out = io.StringIO()
    rows = bench.run(TINY, out=out)
    text = out.getvalue()
    lines = text.rstrip("\n").splitlines()
    assert lines[-1] == f"targets met: {sum(r.met for r in rows)}/{len(rows)}"
    table_lines = [line for line in lines if line.startswith("| ") and "---" not in line]
    assert table_lines[0].split("|")[1].strip() == "task"
    body = table_lines[1:]
    # Eleven rows with a baseline, then the window's and the list import's peak memory.
    assert len(body) == len(rows) == 13
    for line in body:
        assert ROW.match(line), line
    assert "peak RSS of the window" in body[-2]
    assert "peak RSS of the 200-row list import" in body[-1]
    assert all(r.ours > 0 and (r.base is None or r.base > 0) for r in rows)
    assert text.startswith("muba-desk benchmarks, tiny size")
    assert "machine: " in text


def test_table_counts_met_targets_and_memory():
    rows = [
        Row("fast", 1.0, 1.0, 2.0),
        Row("slow", 3.0, 1.0, 2.0),
        Row("memory", 120.0, None, 300.0, unit="MB"),
    ]
    text = table(rows, ["a note"])
    assert text.splitlines()[-1] == "targets met: 2/3"
    assert "| slow " in text and "3.00" in text and "NO" in text
    assert "- a note" in text


def test_a_cached_registry_of_an_older_schema_is_migrated_not_made_again(tmp_path, monkeypatch):
    from benchmarks import data
    from muba_desk.store.db import connect, raw_connect
    from muba_desk.store.schema import MIGRATIONS

    newest = sorted(m.name for m in MIGRATIONS._migrations)[-1]
    older = sorted(m.name for m in MIGRATIONS._migrations)[-2]
    monkeypatch.setenv("MUBA_BENCH_CACHE", str(tmp_path))
    stale = tmp_path / f"registry-{TINY.people}-seed{data.SEED}-{older}.db"
    db = connect(stale, migrate=False)
    MIGRATIONS.apply(db, stop_before=newest)
    db.conn.execute("INSERT INTO setting (key, value) VALUES ('marker', 'kept')")
    db.close()
    (tmp_path / f"{stale.stem}.json").write_text('{"made_in_s": 1.0}')
    reg = data.registry(TINY)
    assert reg.path.name == f"registry-{TINY.people}-seed{data.SEED}-{newest}.db"
    assert reg.made_in_s is None and not stale.exists()
    assert (tmp_path / f"{reg.path.stem}.json").exists()
    assert not list(tmp_path.glob("*.bak"))
    conn = raw_connect(reg.path, key=None)
    try:
        assert conn.execute("SELECT value FROM setting WHERE key = 'marker'").fetchone() == (
            "kept",
        )
        applied = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
        assert newest in applied
    finally:
        conn.close()
