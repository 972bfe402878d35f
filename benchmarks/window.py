"""Window shown with the registry listed, and its peak memory.

Both sides are fresh subprocesses of this interpreter; the clock runs from just before the
process is started to the moment its "painted" line is read (see window_child.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from benchmarks.common import Row, Sizes, cache_dir, interleaved, median
from benchmarks.data import ROOT, demo_operator, registry

TARGET = 2.0
RSS_LIMIT_MB = 300.0
TIMEOUT_S = 120


def _launch(args: list[str], env: dict) -> tuple[float, int]:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.window_child", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        elapsed = time.perf_counter() - start
        if not line.startswith("PAINTED "):
            child.kill()
            _out, err = child.communicate(timeout=TIMEOUT_S)
            raise RuntimeError(f"window child {args[0]} failed:\n{err[-3000:]}")
        child.communicate(timeout=TIMEOUT_S)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return elapsed, int(line.split()[1])


def _compile_bytecode(env: dict) -> None:
    """Both sides start from bytecode, as an installed app (and Qt's own modules) does.

    With PYTHONDONTWRITEBYTECODE set (as on some machines) every start of ours would compile
    the app's modules again while the baseline compiles nothing of its own. The bytecode goes
    to the cache folder (PYTHONPYCACHEPREFIX), not beside the sources.
    """
    env["PYTHONPYCACHEPREFIX"] = str(cache_dir() / "pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "muba_desk", "benchmarks"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def run(sizes: Sizes) -> list[Row]:
    reg = registry(sizes)
    operator = json.dumps(demo_operator(reg.path))
    with tempfile.TemporaryDirectory(prefix="muba-bench-") as data:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MUBA_DESK_DATA": data}
        _compile_bytecode(env)
        peaks: list[int] = []

        def ours() -> float:
            elapsed, peak = _launch(["ours", str(reg.path), operator], env)
            peaks.append(peak)
            return elapsed

        def base() -> float:
            return _launch(["base"], env)[0]

        # One of each untimed first: the page cache then holds the interpreter, Qt and the
        # database for both sides, as on a laptop that has run the app before.
        if sizes.warm_up:
            ours(), base()
            peaks.clear()
        a, b = interleaved(sizes.window_rounds, ours, base, self_timed=True, budget_s=60)
    return [
        Row(
            f"window shown, registry listed ({sizes.people:,} people)", median(a), median(b), TARGET
        ),
        Row(
            f"peak RSS of the window ({sizes.people:,} people)",
            max(peaks) / 1024,
            None,
            RSS_LIMIT_MB,
            unit="MB",
        ),
    ]
