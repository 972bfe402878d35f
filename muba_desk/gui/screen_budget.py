"""The screen every window must fit: a cheap laptop's 1366x768, less a task bar.

Windows open at a size within `BUDGET` (`fit`); the main window opens maximized unless it was
last closed un-maximized (`show_main_window`). tests/gui/test_screen_budget.py opens every
window and dialog class found in muba_desk/gui and checks it against the budget.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

from muba_desk.gui import prefs

BUDGET = QSize(1366, 728)  # 1366x768 with a 40 px task bar
MAXIMIZED = "maximized"  # the preference: how the main window was last closed


def fit(widget: QWidget, width: int, height: int) -> None:
    """Open at `width` x `height`, or less where the budget is smaller."""
    widget.resize(QSize(width, height).boundedTo(BUDGET))


def show_main_window(window: QWidget) -> None:
    """Maximized at the first start and whenever it was closed maximized."""
    if prefs.get(MAXIMIZED, True):
        window.showMaximized()
    else:
        window.show()


def remember_maximized(window: QWidget) -> None:
    prefs.put(MAXIMIZED, window.isMaximized())
