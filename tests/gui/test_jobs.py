"""Background jobs: work runs off the UI thread, results and errors come back to it."""

import threading

from muba_desk.gui.jobs import BackgroundJob, describe_error
from muba_desk.progress import Cancelled
from muba_desk.store.db import DatabaseError


def test_the_work_runs_on_a_worker_and_the_result_arrives_on_the_ui_thread(qtbot):
    ui_thread = threading.get_ident()
    results = []
    job = BackgroundJob(
        lambda progress: threading.get_ident(),
        success=lambda worker: results.append((worker, threading.get_ident())),
    ).start()
    qtbot.waitUntil(lambda: bool(results))
    worker, delivered_on = results[0]
    assert worker != ui_thread
    assert delivered_on == ui_thread
    assert not job.running


def test_a_failure_reaches_the_failure_callback(qtbot):
    failures = []

    def broken(progress):
        raise DatabaseError("Berkas basis data 'x.db' rusak.")

    BackgroundJob(broken, failure=failures.append).start()
    qtbot.waitUntil(lambda: bool(failures))
    assert isinstance(failures[0], DatabaseError)
    assert describe_error(failures[0]) == "Berkas basis data 'x.db' rusak."


def test_an_unexpected_error_is_described_in_indonesian():
    text = describe_error(KeyError("boom"))
    assert "kesalahan yang tidak terduga (KeyError)" in text
    assert "tetap aman" in text


def test_progress_is_reported_on_the_ui_thread(qtbot):
    seen = []

    def work(progress):
        for done in range(1, 4):
            progress.update(done, 3, "langkah")
        return "ok"

    results = []
    BackgroundJob(
        work, success=results.append, on_progress=lambda d, t, label: seen.append((d, t))
    ).start()
    qtbot.waitUntil(lambda: results == ["ok"])
    assert seen[-1] == (3, 3)


def test_slow_work_shows_a_dialog_later_whose_cancel_stops_it(qtbot):
    release = threading.Event()
    cancelled = []

    def slow(progress):
        while True:
            progress.update(1, 2, "bekerja")
            release.wait(0.005)

    job = BackgroundJob(slow, cancelled=lambda: cancelled.append(True))
    job.with_progress("Mengerjakan…").start()
    assert job._dialog is None  # not at once: quick work never flashes a dialog
    qtbot.waitUntil(lambda: job._dialog is not None and job._dialog.isVisible(), timeout=3000)
    job._dialog.cancel_button.click()
    qtbot.waitUntil(lambda: cancelled == [True])
    assert not job.running
    assert job._dialog is None


def test_cancel_before_the_first_report_stops_the_work(qtbot):
    started, go = threading.Event(), threading.Event()
    outcome = []

    def work(progress):
        started.set()
        go.wait(5)
        progress.update(0, 1)
        return "finished anyway"

    job = BackgroundJob(
        work, success=outcome.append, cancelled=lambda: outcome.append(Cancelled)
    ).start()
    qtbot.waitUntil(started.is_set)
    job.cancel()
    go.set()
    qtbot.waitUntil(lambda: bool(outcome))
    assert outcome == [Cancelled]


def test_a_refusal_in_a_job_is_shown_with_its_own_message():
    from muba_desk.sync.keys import check_laptop_code

    try:
        check_laptop_code("L1")
    except Exception as exc:
        described = describe_error(exc)
    assert described.startswith("Kode laptop 'L1'") and "tidak terduga" not in described
    assert "tidak terduga" in describe_error(RuntimeError("boom"))
