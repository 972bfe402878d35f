"""Start the window: the application, a crash log with a message, then the registry to open."""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication

from muba_desk import __version__, i18n
from muba_desk.errors import UserError, log_dir, write_crash_log
from muba_desk.gui import prefs
from muba_desk.gui.main_window import MainWindow
from muba_desk.i18n import _
from muba_desk.paths import default_db_path, demo_db_path
from muba_desk.store import keys
from muba_desk.store.db import DatabaseError

log = logging.getLogger("muba_desk")

MIN_FONT_POINTS = 10.0  # Qt's 9 pt default is hard to read on a village laptop in daylight
STYLE = "Fusion"

# Imported before the QApplication exists (as `muba-desk` does), this module asks Qt for the
# style through QT_STYLE_OVERRIDE: Qt makes it itself, and configure_application need not call
# setStyle(), whose QStyle result shiboken would wrap by building the QStyle classes and their
# large enums (0.01-0.02 s of a start). A `-style` given on the command line still wins.
_STYLE_BY_ENVIRONMENT = QApplication.instance() is None and (
    os.environ.setdefault("QT_STYLE_OVERRIDE", STYLE) == STYLE
)


def configure_application(app: QApplication) -> None:
    """Names, style and font shared by the app, its tests and the screenshot script.

    No style sheet for the whole application: see muba_desk.gui.style."""
    app.setApplicationName("muba-desk")
    app.setOrganizationName("Dinas Sosial Kabupaten Musi Banyuasin")
    app.setApplicationVersion(__version__)
    if not _STYLE_BY_ENVIRONMENT:
        app.setStyle(STYLE)
    font = app.font()
    if font.pointSizeF() < MIN_FONT_POINTS:
        font.setPointSizeF(MIN_FONT_POINTS)
        app.setFont(font)


def apply_saved_language() -> None:
    """Our texts and Qt's own (OK, Batal...) in the saved language, Indonesian by default."""
    from muba_desk.gui import qt_language

    code = prefs.get("language")
    qt_language.set_language(code if code in i18n.LANGUAGES else i18n.language())


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
class CrashReporter(QObject):
    """Logs uncaught exceptions from any thread and tells the user on the UI thread. A UserError
    that no form caught is no crash: the user reads its message, nothing is logged."""

    _crashed = Signal(str)
    _refused = Signal(str)

    def __init__(self, show_message: bool = True):
        super().__init__()
        self.show_message = show_message
        self._showing = False
        self._crashed.connect(self._tell_user)
        self._refused.connect(self._show_refusal)

    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if issubclass(exc_type, UserError):
            log.info("refused: %s", exc)
            self._refused.emit(str(exc))
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
    def _show_refusal(self, message: str) -> None:
        if not self.show_message or self._showing:
            return
        from PySide6.QtWidgets import QMessageBox

        self._showing = True
        try:
            QMessageBox.warning(None, _("Tidak dapat dilakukan"), message)
        finally:
            self._showing = False

    @Slot(str)
    def _tell_user(self, path: str) -> None:
        if not self.show_message or self._showing:
            return  # one message at a time: a failing repaint must not stack up dialogs
        from PySide6.QtWidgets import QMessageBox

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
    is none or it cannot be opened; None when the user closes that dialog.

    Before the window touches the file: the instance lock (one muba-desk per registry), the
    health check (integrity and audit chain, with a way forward), and the daily backup."""
    from muba_desk import safety

    path = choose_database(db_path)
    while True:
        operator = None
        if path is None:
            # Only a first start pays for the set-up dialog and the program rules it pulls in.
            from muba_desk.gui.first_start import FirstStartDialog

            dialog = FirstStartDialog()
            if not dialog.exec() or dialog.chosen_path is None:
                return None
            path, operator = dialog.chosen_path, dialog.chosen_operator
        try:
            lock = safety.InstanceLock(path).acquire()
        except safety.AlreadyOpen as exc:
            _warn(None, _("Registri sedang dibuka"), str(exc))
            return None
        try:
            if not _healthy_or_repaired(path):
                lock.release()
                return None
            if operator is None and _needs_sign_in_first(path):
                operator = sign_in_first(path)
                if operator is None or not _healthy_or_repaired(path):
                    lock.release()
                    return None
            window = MainWindow(path, operator=operator)
        except DatabaseError as exc:
            lock.release()
            _warn(None, _("Registri tidak dapat dibuka"), str(exc))
            path = None
            continue
        window.instance_lock = lock  # held as long as the window (the OS frees it on a crash)
        _daily_backup(path)
        return window


def switch_registry(window: MainWindow, path: Path, operator=None) -> bool:
    """For "Ganti registri…": open `path` in `window` as the start does, the instance lock moving
    to it (the old one is freed once the new registry is open); True when it was opened.

    A locked registry shows the sign-in first (a plain one with operators is converted there);
    the health check runs as at the start."""
    from muba_desk import safety

    path = Path(path)
    current = getattr(window, "instance_lock", None)
    same = window.db_path is not None and _same_file(path, window.db_path)
    lock = None
    if not same:
        try:
            lock = safety.InstanceLock(path).acquire()
        except safety.AlreadyOpen as exc:
            _warn(window, _("Registri sedang dibuka"), str(exc))
            return False
    try:
        if not same and not _healthy_or_repaired(path):
            return _release(lock)
        if operator is None and not same and _needs_sign_in_first(path):
            operator = sign_in_first(path)
            if operator is None or not _healthy_or_repaired(path):
                return _release(lock)
        window.set_database(path, operator=operator)
    except DatabaseError as exc:
        _release(lock)
        _warn(window, _("Registri tidak dapat dibuka"), str(exc))
        return False
    if lock is not None:
        window.instance_lock = lock
        if current is not None:
            current.release()
    return True


def _warn(parent, title: str, text: str) -> None:
    # QMessageBox is imported when a box is shown: fetching it builds its enums and QDialog's.
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, title, text)


def _same_file(a: Path, b: Path) -> bool:
    return keys._norm(a) == keys._norm(b)


def _release(lock) -> bool:
    if lock is not None:
        lock.release()
    return False


def _needs_sign_in_first(path: Path) -> bool:
    """An encrypted registry still locked (its key is unwrapped by the sign-in), or, with
    encryption switched on, a plain one from an earlier version (converted at sign-in)."""
    from muba_desk.store.db import is_plain_sqlite

    if not path.exists():
        return False
    if keys.is_encrypted(path):
        return keys.key_for(path) is None
    return keys.encryption_enabled() and is_plain_sqlite(path) and _convert_demo_or_ask(path)


def _convert_demo_or_ask(path: Path) -> bool:
    """A plain demo is converted at once (its password is known); a registry with operators
    asks for a sign-in, and is converted then; one without operators stays as it is."""
    from muba_desk.store import operators
    from muba_desk.store.db import connect, encrypt_plain_database
    from muba_desk.store.registry import get_setting

    db = connect(path)
    try:
        demo = get_setting(db, "mode") == "demo"
        has_operators = operators.has_operators(db)
    finally:
        db.close()
    if demo:
        key = keys.create_key_file(
            path,
            operators={operators.DEMO_USERNAME: operators.DEMO_PASSWORD},
            recovery_passphrase=keys.DEMO_PASSPHRASE,
        )
        encrypt_plain_database(path, key)
        return False
    return has_operators


def sign_in_first(path: Path):
    """The sign-in before the window, for a registry that cannot be opened without it;
    the operator, or None when the dialog is closed."""
    from PySide6.QtWidgets import QDialog, QVBoxLayout

    from muba_desk.gui.signin import SignInPanel, convert_after_sign_in
    from muba_desk.store import operators

    dialog = QDialog()
    dialog.setWindowTitle("muba-desk")
    panel = SignInPanel(dialog)
    panel.record_event = False  # the window audits the sign-in it is given
    converted = []
    if not keys.is_encrypted(path):

        def convert(username: str, password: str) -> None:
            convert_after_sign_in(path, username, password)
            converted.append(keys.is_encrypted(path))

        panel.after = convert
    QVBoxLayout(dialog).addWidget(panel)
    demo = keys.is_encrypted(path) and keys.usernames(path) == [operators.DEMO_USERNAME]
    panel.prepare(path, demo=demo)
    chosen = []
    panel.signed_in.connect(lambda operator: (chosen.append(operator), dialog.accept()))
    dialog.resize(560, 380)
    if not dialog.exec() or not chosen:
        return None
    if any(converted) and _other_operators(path, chosen[0]):
        _tell_later(
            _("Registri terenkripsi"),
            _(
                "Registri ini sekarang terenkripsi. Hanya akun Anda yang dapat membukanya: "
                "petugas lain perlu kata sandinya disetel ulang oleh penyelia (Berkas → "
                "Petugas…) sebelum dapat masuk."
            ),
        )
    return chosen[0]


def _other_operators(path: Path, operator) -> bool:
    from muba_desk.store import operators
    from muba_desk.store.db import connect

    db = connect(path)
    try:
        return any(op.id != operator.id for op in operators.list_operators(db))
    finally:
        db.close()


def _tell_later(title: str, text: str) -> None:
    """An information box once the event loop runs (after the window shows), not blocking."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QMessageBox

    def show() -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _open_boxes.append(box)
        box.finished.connect(lambda _r: _open_boxes.remove(box))
        box.open()

    QTimer.singleShot(0, show)


_open_boxes: list = []


def _healthy_or_repaired(path: Path) -> bool:
    """True to go on opening `path`; a file that fails its checks is explained, and the user
    restores the newest backup that passes, opens it anyway, or stops."""
    from muba_desk import safety

    health = safety.check_at_start(path)
    if health.ok:
        return True
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, _("Registri perlu diperiksa"), health.message)
    restore = None
    if health.latest_backup is not None:
        restore = box.addButton(_("&Pulihkan cadangan"), QMessageBox.ButtonRole.AcceptRole)
    anyway = box.addButton(_("&Buka saja"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(_("&Keluar"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is anyway:
        log.warning("registry opened despite failed checks: %s", path)
        return True
    if restore is not None and clicked is restore:
        return _restore_newest(path)
    return False


def _restore_newest(path: Path) -> bool:
    from PySide6.QtWidgets import QMessageBox

    from muba_desk.store.backup import RestoreRefused, list_backups, restore

    for candidate in list_backups(path):
        try:
            restore(path, candidate.path)
        except RestoreRefused as exc:
            log.warning("backup refused: %s", exc)
            continue
        QMessageBox.information(
            None,
            _("Registri dipulihkan"),
            _("Registri dipulihkan dari cadangan {name}. Periksa data terakhir yang diisi.").format(
                name=candidate.path.name
            ),
        )
        return True
    QMessageBox.warning(
        None,
        _("Tidak ada cadangan yang baik"),
        _("Tidak ada cadangan yang lolos pemeriksaan. Bawa laptop ini ke kantor."),
    )
    return False


def _daily_backup(path: Path) -> None:
    """Best effort: a failed backup is logged, never stops the window (an encrypted registry
    still locked is backed up at quit instead)."""
    from muba_desk.store.backup import backup_if_due

    try:
        backup_if_due(path)
    except Exception:  # noqa: BLE001 - a backup must not stop work; it is logged
        log.exception("daily backup failed")


def _backup_at_quit(window: MainWindow) -> None:
    from muba_desk.store.backup import backup_if_due, rotate

    try:
        rotate(window.db_path, reason="keluar")
        backup_if_due(window.db_path)
    except Exception:  # noqa: BLE001
        log.exception("backup at quit failed")


def _stop_jobs() -> None:
    """At quit: stop the background jobs. They all run through muba_desk.gui.jobs, which is
    imported with the first (its Qt imports are kept off the start): not imported, none ran."""
    jobs = sys.modules.get("muba_desk.gui.jobs")
    if jobs is not None:
        jobs.shutdown()


def run(db_path: Path | None = None) -> int:
    """`muba-desk` without arguments: show the window and run until it closes."""
    app = QApplication.instance() or QApplication(sys.argv)
    configure_application(app)
    _setup_logging()
    reporter = install_excepthook()
    apply_saved_language()
    app.aboutToQuit.connect(_stop_jobs)
    window = open_first_window(db_path)
    if window is None:
        return 0
    app.aboutToQuit.connect(lambda: _backup_at_quit(window))
    from muba_desk.gui.screen_budget import show_main_window

    show_main_window(window)
    code = app.exec()
    del reporter  # kept alive until here: the hooks point at it
    return code
