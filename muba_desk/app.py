"""Start the window: the application, a crash log with a message, then the registry to open."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox

from muba_desk import __version__, i18n
from muba_desk.gui import jobs, prefs
from muba_desk.gui.first_start import FirstStartDialog, demo_db_path
from muba_desk.gui.main_window import MainWindow
from muba_desk.i18n import _
from muba_desk.paths import data_dir, default_db_path
from muba_desk.store.db import DatabaseError

log = logging.getLogger("muba_desk")

MIN_FONT_POINTS = 10.0  # Qt's 9 pt default is hard to read on a village laptop in daylight
STYLE_SHEET = "QLabel#pageTitle { font-size: 16pt; font-weight: bold; }"


def configure_application(app: QApplication) -> None:
    """Names, style and font shared by the app, its tests and the screenshot script."""
    app.setApplicationName("muba-desk")
    app.setOrganizationName("Dinas Sosial Kabupaten Musi Banyuasin")
    app.setApplicationVersion(__version__)
    app.setStyle("Fusion")
    font = app.font()
    if font.pointSizeF() < MIN_FONT_POINTS:
        font.setPointSizeF(MIN_FONT_POINTS)
        app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)


def log_dir() -> Path:
    return data_dir() / "logs"


def apply_saved_language() -> None:
    code = prefs.get("language")
    if code in i18n.LANGUAGES:
        i18n.set_language(code)


def choose_database(db_path: Path | None = None) -> Path | None:
    """The registry to open without asking: the one given, else the last one opened, else the
    laptop's, else the demo; None means first start."""
    if db_path is not None:
        return Path(db_path)
    last = prefs.get("last_db")
    candidates = [Path(last)] if isinstance(last, str) else []
    candidates += [default_db_path(), demo_db_path()]
    return next((path for path in candidates if path.exists()), None)


# -- crashes ---------------------------------------------------------------------------------
def write_crash_log(exc_type, exc, tb) -> Path:
    """Append the traceback to the crash log in the data folder; returns the log's path."""
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crash.log"
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    with path.open("a", encoding="utf-8") as f:
        f.write(f"=== {datetime.now().isoformat(timespec='seconds')} muba-desk {__version__}\n")
        f.write(text + "\n")
    return path


class CrashReporter(QObject):
    """Logs uncaught exceptions from any thread and tells the user on the UI thread."""

    _crashed = Signal(str)

    def __init__(self, show_message: bool = True):
        super().__init__()
        self.show_message = show_message
        self._showing = False
        self._crashed.connect(self._tell_user)

    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            path = write_crash_log(exc_type, exc, tb)
        except OSError:
            path = None
        traceback.print_exception(exc_type, exc, tb)
        # A signal, because the exception may come from a worker thread.
        self._crashed.emit(str(path or log_dir()))

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    @Slot(str)
    def _tell_user(self, path: str) -> None:
        if not self.show_message or self._showing:
            return  # one message at a time: a failing repaint must not stack up dialogs
        self._showing = True
        try:
            QMessageBox.critical(
                None,
                _("Terjadi kesalahan"),
                _(
                    "Maaf, muba-desk mengalami kesalahan yang tidak terduga. Data yang sudah "
                    "disimpan tetap aman. Jika kesalahan berulang, laporkan ke kantor dan "
                    "sertakan berkas catatan ini:\n{file}"
                ).format(file=path),
            )
        finally:
            self._showing = False


def install_excepthook(show_message: bool = True) -> CrashReporter:
    reporter = CrashReporter(show_message)
    sys.excepthook = reporter.excepthook
    threading.excepthook = reporter.thread_excepthook
    return reporter


def _setup_logging() -> None:
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / "muba-desk.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler, logging.StreamHandler()])


# -- start -----------------------------------------------------------------------------------
def open_first_window(db_path: Path | None = None) -> MainWindow | None:
    """The main window on the registry to use, asking with the first-start dialog when there
    is none or it cannot be opened; None when the user closes that dialog."""
    path = choose_database(db_path)
    while True:
        operator = None
        if path is None:
            dialog = FirstStartDialog()
            if not dialog.exec() or dialog.chosen_path is None:
                return None
            path, operator = dialog.chosen_path, dialog.chosen_operator
        try:
            return MainWindow(path, operator=operator)
        except DatabaseError as exc:
            QMessageBox.warning(None, _("Registri tidak dapat dibuka"), str(exc))
            path = None


def run(db_path: Path | None = None) -> int:
    """`muba-desk` without arguments: show the window and run until it closes."""
    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    _setup_logging()
    reporter = install_excepthook()
    apply_saved_language()
    app.aboutToQuit.connect(jobs.shutdown)
    window = open_first_window(db_path)
    if window is None:
        return 0
    window.show()
    code = app.exec()
    del reporter  # kept alive until here: the hooks point at it
    return code
