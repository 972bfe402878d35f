"""The search line at the top: Escape clears it, Down or Enter moves into the results.

The window gives it its clear button (`setClearButtonEnabled`) once the first lists are painted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent


class SearchBox(QLineEdit):
    to_results = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("search")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, keys = event.key(), QtCore.Qt.Key  # Qt looked up here: not on the way to the window
        if key == keys.Key_Escape and self.text():
            self.clear()
            return
        if key in (keys.Key_Down, keys.Key_Return, keys.Key_Enter):
            self.to_results.emit()
            return
        super().keyPressEvent(event)
