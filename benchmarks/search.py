"""Search as you type: p95 of `search_people` against the same FTS5 MATCH in plain sqlite3.

The queries are what people type, drawn from the registry itself: one to three words of a name
(the last one often half typed), the first digits of a NIK, a village name or its beginning.
Each query runs once on each side (the side going first alternates), after one untimed pass
that warms both connections' caches.
"""

from __future__ import annotations

import random
import sqlite3
import time

from benchmarks.common import Row, Sizes, median, p95
from benchmarks.data import registry

TARGET = 2.0
LIMIT = 200  # what the window asks for (main_window.SEARCH_LIMIT)
WARM_UP = 30


def _prefix(rng: random.Random, word: str, shortest: int = 1) -> str:
    return word[: rng.randint(min(shortest, len(word)), len(word))]


def typed_queries(conn: sqlite3.Connection, count: int, seed: int = 8) -> list[str]:
    """Name prefixes (half), NIK prefixes (a quarter) and village names (a quarter)."""
    rng = random.Random(seed)
    high = conn.execute("SELECT max(pk) FROM person").fetchone()[0]
    out: list[str] = []
    while len(out) < count:
        found = conn.execute(
            """SELECT p.name, p.nik, v.name FROM person p
               LEFT JOIN household h ON h.id = p.household_id
               LEFT JOIN area_village v ON v.code = h.village_code
               WHERE p.pk >= ? ORDER BY p.pk LIMIT 1""",
            (rng.randint(1, high),),
        ).fetchone()
        if found is None:
            continue
        name, nik, village = found
        kind = rng.random()
        if kind < 0.5:
            words = name.lower().split()[: rng.randint(1, 3)]
            if rng.random() < 0.6:  # still typing the last word
                words[-1] = _prefix(rng, words[-1])
            out.append(" ".join(words))
        elif kind < 0.75 and nik:
            out.append(nik[: rng.randint(4, 16)])
        elif village:
            out.append(village.lower() if rng.random() < 0.5 else _prefix(rng, village.lower(), 3))
    return out


def run(sizes: Sizes) -> list[Row]:
    from muba_desk.store.db import connect
    from muba_desk.store.search import fts_query, search_households, search_people

    reg = registry(sizes)
    db = connect(reg.path)
    plain = sqlite3.connect(f"file:{reg.path}?mode=ro", uri=True)
    try:
        queries = typed_queries(plain, sizes.queries)
        sql = (
            "SELECT rowid, rank FROM person_search WHERE person_search MATCH ? "
            "ORDER BY rank LIMIT ?"
        )

        def ours(text):
            return search_people(db, text, limit=LIMIT)

        def base(text):
            return plain.execute(sql, (fts_query(text), LIMIT)).fetchall()

        for text in queries[:WARM_UP]:  # warm-up: the connections, the FTS index's pages
            ours(text), base(text)
        a, b, households = [], [], []
        for i, text in enumerate(queries):
            sides = [(ours, a), (base, b)]
            for fn, out in sides if i % 2 == 0 else reversed(sides):
                start = time.perf_counter()
                fn(text)
                out.append(time.perf_counter() - start)
            start = time.perf_counter()
            search_households(db, text, limit=LIMIT)
            households.append(time.perf_counter() - start)
        slowest = max(range(len(queries)), key=lambda i: a[i])
    finally:
        db.close()
        plain.close()
    row = Row(
        f"search as you type, p95 of {len(queries)} ({sizes.people:,} people)",
        p95(a),
        p95(b),
        TARGET,
    )
    row.notes.append(
        f"search: slowest query {queries[slowest]!r}: {a[slowest] * 1000:.0f} ms ours, "
        f"{b[slowest] * 1000:.0f} ms plain FTS5; median {median(a) * 1000:.1f} ms ours"
    )
    row.notes.append(
        f"search: the household list the window fills at the same keystroke: p95 "
        f"{p95(households) * 1000:.1f} ms (not in the ratio)"
    )
    return [row]
