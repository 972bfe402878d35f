"""Long work on a worker thread: `fn(progress)` runs there, its result comes back by signal.

Modelled on Anki's QueryOp: the work is a plain function that takes a `Progress`, opens its own
database connection and never touches a widget; the UI thread only sees signals. A progress
dialog with Cancel appears when the work takes longer than `DIALOG_DELAY_MS`, so quick work
never flashes a window.

    BackgroundJob(make_cards, parent=window, success=show_pdf).with_progress(_("Mencetak…")).start()
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.errors import UserError
from muba_desk.i18n import _, format_count, localized
from muba_desk.progress import Cancelled, Progress

log = logging.getLogger(__name__)

DIALOG_DELAY_MS = 600
# Progress reports are coalesced: a generator calling update() per row would otherwise queue
# thousands of signals the UI thread has to drain.
REPORT_INTERVAL_S = 0.05

_running: set[BackgroundJob] = set()


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress, signals: _Signals):
        super().__init__()
        self.fn, self.progress, self.signals = fn, progress, signals

    def run(self) -> None:
        try:
            result = self.fn(self.progress)
        except BaseException as exc:  # every failure must reach the UI thread
            self.signals.failed.emit((exc, traceback.format_exc()))
        else:
            self.signals.succeeded.emit(result)


class BackgroundJob(QObject):
    """One run of `fn(progress)` on the shared thread pool. Do not call UI routines in `fn`.

    `success(result)`, `failure(exc)` and `cancelled()` run on the UI thread, and only while
    `parent` still exists. Without `failure`, errors are shown as an Indonesian message.
    """

    finished = Signal()

    def __init__(
        self,
        fn: Callable[[Progress], Any],
        *,
        parent: QWidget | None = None,
        success: Callable[[Any], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
        cancelled: Callable[[], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ):
        super().__init__()
        self._fn, self._parent = fn, parent
        self._success, self._failure, self._cancelled = success, failure, cancelled
        self._on_progress = on_progress
        self._dialog_label: str | None = None
        self._dialog: ProgressDialog | None = None
        self._last_report = 0.0
        self.running = False
        self.progress = Progress(self._report)
        self._signals = _Signals()
        self._signals.succeeded.connect(self._succeeded)
        self._signals.failed.connect(self._failed)
        self._signals.progressed.connect(self._progressed)

    def with_progress(self, label: str) -> BackgroundJob:
        """Show a progress dialog with Cancel if the work is still running after 600 ms."""
        self._dialog_label = label
        return self

    def start(self) -> BackgroundJob:
        self.running = True
        _running.add(self)
        if self._dialog_label is not None:
            QTimer.singleShot(DIALOG_DELAY_MS, self._show_dialog)
        QThreadPool.globalInstance().start(_Runnable(self._fn, self.progress, self._signals))
        return self

    def cancel(self) -> None:
        """Ask the work to stop at its next progress report."""
        self.progress.cancel()

    # -- worker thread ---------------------------------------------------------------------
    def _report(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_report >= REPORT_INTERVAL_S:
            self._last_report = now
            self._signals.progressed.emit(done, total, label)

    # -- UI thread -------------------------------------------------------------------------
    def _parent_alive(self) -> bool:
        return self._parent is None or shiboken6.isValid(self._parent)

    def _show_dialog(self) -> None:
        if self.running and self._parent_alive() and self._dialog_label is not None:
            self._dialog = ProgressDialog(self._dialog_label, self._parent)
            self._dialog.cancel_requested.connect(self.cancel)
            self._dialog.show()

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, label: str) -> None:
        if not self._parent_alive():
            return
        if self._dialog is not None:
            self._dialog.set_progress(done, total, label)
        if self._on_progress is not None:
            self._on_progress(done, total, label)

    def _finish(self) -> bool:
        self.running = False
        _running.discard(self)
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self.finished.emit()
        return self._parent_alive()

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        if self._finish() and self._success is not None:
            self._success(result)

    @Slot(object)
    def _failed(self, failure: tuple[BaseException, str]) -> None:
        exc, formatted = failure
        if not self._finish():
            return
        if isinstance(exc, Cancelled):
            if self._cancelled is not None:
                self._cancelled()
            return
        if not isinstance(exc, UserError):  # a refusal is no fault of ours: nothing to log
            log.error("background work failed:\n%s", formatted)
        if self._failure is not None:
            self._failure(exc)
        else:
            show_error(self._parent, exc)


class ProgressDialog(QDialog):
    """A bar, what is being done, and Cancel (Escape cancels too)."""

    cancel_requested = Signal()

    def __init__(self, label: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Mohon tunggu"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(420)
        self.label = QLabel(label)
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first report says how much there is
        self.cancel_button = QPushButton(_("Batal"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self._title = label

    def set_progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
            self.bar.setFormat(f"{format_count(done)} / {format_count(total)}")
        if label and self.cancel_button.isEnabled():
            self.label.setText(f"{self._title}\n{label}")

    def reject(self) -> None:
        # The dialog stays until the work notices the request; closing at once would suggest
        # the work had already stopped.
        self.cancel_button.setEnabled(False)
        self.label.setText(_("Membatalkan…"))
        self.cancel_requested.emit()


def describe_error(exc: BaseException) -> str:
    """The Indonesian sentence a user sees for a failure."""
    if isinstance(exc, UserError):  # DatabaseError, BundleError, PhotoError, ...: said for users
        return localized(exc)  # the domain's (a NIK, a status change) carry their English
    if isinstance(exc, PermissionError):
        return _("Berkas tidak dapat ditulis karena izin ditolak: {file}").format(
            file=exc.filename or ""
        )
    if isinstance(exc, OSError) and getattr(exc, "strerror", None):
        return _("Berkas tidak dapat dibaca atau ditulis: {reason}").format(reason=exc.strerror)
    return _(
        "Pekerjaan gagal karena kesalahan yang tidak terduga ({kind}). "
        "Data yang sudah tersimpan tetap aman."
    ).format(kind=type(exc).__name__)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    QMessageBox.warning(parent, _("Gagal"), describe_error(exc))


def shutdown(timeout_ms: int = 5000) -> bool:
    """Ask every running job to stop and wait for them; True when all stopped in time."""
    for job in list(_running):
        job.cancel()
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
