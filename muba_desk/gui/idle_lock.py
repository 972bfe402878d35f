"""Locks the window after ten minutes without a key press or mouse use, anywhere in the app."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

IDLE_MS = 10 * 60 * 1000
_INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """`idle` fires once after `interval_ms` without user input; input starts the count again."""

    idle = Signal()

    def __init__(self, parent=None, *, interval_ms: int = IDLE_MS):
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True, interval=interval_ms)
        self.timer.timeout.connect(self.idle)
        self._installed = False

    def set_interval(self, interval_ms: int) -> None:
        self.timer.setInterval(interval_ms)
        if self.timer.isActive():
            self.timer.start()

    def start(self, *, watch_input: bool = True) -> None:
        """Start the count. With `watch_input=False` input does not restart it until
        `watch_input()` is called: the window starts so, and watches once its first screen is
        painted, as an app-wide event filter runs Python for every event of every widget."""
        self.timer.start()
        if watch_input:
            self.watch_input()

    def watch_input(self) -> None:
        """Let input restart the count (when it is running: a stopped watcher stays off)."""
        if not self._installed and self.timer.isActive():
            QApplication.instance().installEventFilter(self)
            self._installed = True

    def stop(self) -> None:
        self.timer.stop()
        if self._installed:
            QApplication.instance().removeEventFilter(self)
            self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and self.timer.isActive():
            self.timer.start()
        return False


def hide_the_work(window) -> str:
    """Empty what the lock screen could let a passer-by read: the search box, both lists, the
    details and the status bar's "N match 'text'". Returns the search text, kept in memory
    only, for `show_the_work` to put back after the same operator unlocks."""
    window._search_timer.stop()
    text = window.search.text()
    window.search.blockSignals(True)  # no search while locked
    window.search.clear()
    window.search.blockSignals(False)
    window.people_model.set_hits([])
    window.households_model.set_hits([])
    if window._details is not None:
        window._details.show_hint()
    window.result_label.clear()
    window.statusBar().clearMessage()
    return text


def show_the_work(window, text: str) -> None:
    """After unlocking: the search typed before the lock, searched again."""
    window.search.blockSignals(True)
    window.search.setText(text)
    window.search.blockSignals(False)
    window.run_search()
