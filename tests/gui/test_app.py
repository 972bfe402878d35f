"""Start-up: which registry opens, and crashes are logged and explained instead of lost."""

import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from muba_desk import app
from muba_desk.gui import prefs
from muba_desk.gui.first_start import FirstStartDialog, demo_db_path
from muba_desk.gui.main_window import MainWindow
from muba_desk.paths import default_db_path
from muba_desk.store.db import connect


def touch_registry(path):
    connect(path).close()
    return path


def test_nothing_to_open_on_a_fresh_laptop():
    assert app.choose_database() is None


def test_the_given_registry_wins(tmp_path):
    touch_registry(default_db_path())
    assert app.choose_database(tmp_path / "other.db") == tmp_path / "other.db"


def test_the_laptop_registry_comes_before_the_demo():
    touch_registry(demo_db_path())
    assert app.choose_database() == demo_db_path()
    touch_registry(default_db_path())
    assert app.choose_database() == default_db_path()


def test_the_registry_opened_last_is_opened_again():
    touch_registry(default_db_path())
    touch_registry(demo_db_path())
    prefs.put("last_db", str(demo_db_path()))
    assert app.choose_database() == demo_db_path()


def test_opening_a_window_remembers_the_registry(qtbot, sample):
    window = MainWindow(sample[0])
    qtbot.addWidget(window)
    assert prefs.get("last_db") == str(sample[0].resolve())


def test_first_start_is_shown_when_there_is_no_registry(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(FirstStartDialog, "exec", lambda self: shown.append(self) or 0)
    assert app.open_first_window() is None
    assert len(shown) == 1


def test_an_unreadable_registry_is_explained_and_first_start_follows(qtbot, tmp_path, monkeypatch):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    warnings, shown = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    monkeypatch.setattr(FirstStartDialog, "exec", lambda self: shown.append(self) or 0)
    assert app.open_first_window(broken) is None
    assert "bukan basis data muba-desk atau rusak" in warnings[0]
    assert shown


def test_a_crash_is_logged_in_the_data_folder_and_explained_in_indonesian(qtbot, monkeypatch):
    messages = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: messages.append(args[2]))
    reporter = app.CrashReporter()
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        reporter.excepthook(type(exc), exc, exc.__traceback__)
    log = (app.log_dir() / "crash.log").read_text(encoding="utf-8")
    assert "RuntimeError: boom in a slot" in log and "Traceback" in log
    qtbot.waitUntil(lambda: bool(messages))
    assert "kesalahan yang tidak terduga" in messages[0]
    assert str(app.log_dir() / "crash.log") in messages[0]


def test_a_refusal_that_reaches_the_top_is_shown_with_its_message_not_logged(qtbot, monkeypatch):
    from muba_desk.sync.keys import check_laptop_code

    warnings, crashes = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: crashes.append(args[2]))
    reporter = app.CrashReporter()
    try:
        check_laptop_code("L1")  # a UserError no form caught
    except Exception as exc:
        reporter.excepthook(type(exc), exc, exc.__traceback__)
    qtbot.waitUntil(lambda: bool(warnings))
    assert "Kode laptop 'L1'" in warnings[0] and "L07" in warnings[0]
    assert crashes == [] and not (app.log_dir() / "crash.log").exists()


def test_a_crash_in_a_worker_thread_is_shown_on_the_ui_thread(qtbot, monkeypatch):
    messages = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        lambda *args: messages.append(threading.current_thread() is threading.main_thread()),
    )
    reporter = app.CrashReporter()
    monkeypatch.setattr(threading, "excepthook", reporter.thread_excepthook)

    def fail():
        raise ValueError("boom in a thread")

    worker = threading.Thread(target=fail)
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(messages))
    assert messages == [True]
    assert "boom in a thread" in (app.log_dir() / "crash.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_saved_language_is_applied_at_start(language):
    from muba_desk import i18n

    prefs.put("language", language)
    app.apply_saved_language()
    assert i18n.language() == language
