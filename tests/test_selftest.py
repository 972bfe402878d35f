"""`muba-desk --self-test`: passes in-process and as a command, and says which step failed."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from muba_desk import selftest
from muba_desk.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_every_step_passes_in_process_and_leaves_nothing_behind(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("MUBA_DESK_DATA", str(tmp_path / "mine"))
    from muba_desk.sync import keys

    scrypt = keys.SCRYPT_LOG_N
    assert main(["--self-test"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(
        "self-test OK: resources, db, keys, photo, register, decision, card, receipt, "
    )
    assert "bundle, window (" in line and line.endswith(" s)")
    # The caller's data folder and the real work factor are as they were.
    assert os.environ["MUBA_DESK_DATA"] == str(tmp_path / "mine")
    assert not (tmp_path / "mine").exists()
    assert scrypt == keys.SCRYPT_LOG_N


def test_a_failing_step_is_named_with_its_reason(capsys):
    def broken(ctx):
        raise selftest.StepFailed("the card came out blank")

    steps = [("db", selftest.step_db), ("card", broken), ("never", broken)]
    assert selftest.run(steps) == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == ("self-test FAILED at card: StepFailed: the card came out blank")
    assert "Traceback" in captured.err


def test_an_unexpected_error_is_reported_too(capsys):
    def crash(ctx):
        {}["missing"]

    assert selftest.run([("photo", crash)]) == 1
    assert capsys.readouterr().out.strip() == "self-test FAILED at photo: KeyError: 'missing'"


@pytest.mark.slow
def test_python_m_muba_desk_self_test_exits_0_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MUBA_DESK_DATA"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    # The user's data folder (platformdirs: $XDG_DATA_HOME/muba-desk) is never touched.
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    done = subprocess.run(
        [sys.executable, "-m", "muba_desk", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("self-test OK: ")
    assert not (tmp_path / "xdg-data" / "muba-desk").exists()
