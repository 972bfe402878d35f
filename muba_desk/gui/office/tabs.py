"""The window's work area as tabs, so office and sync pages sit beside the search.

The main window has one work page; the first plug-in that needs a page wraps it in a tab widget
(search stays the first tab), so the sign-in and the idle lock still cover everything.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtCore
from PySide6.QtWidgets import QTabWidget

from muba_desk.i18n import _

WORK = 0


def work_tabs(window) -> QTabWidget:
    """The window's work tabs, made on first use around the existing work page."""
    tabs = getattr(window, "work_tabs", None)
    if tabs is not None:
        return tabs
    current = window.pages.currentIndex()
    work = window.pages.widget(WORK)
    window.pages.removeWidget(work)
    tabs = QTabWidget()
    tabs.setObjectName("workTabs")
    tabs.tabBar().setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)  # keeps search -> list -> details
    tabs.addTab(work, _("Pencarian"))
    window.pages.insertWidget(WORK, tabs)
    window.pages.setCurrentIndex(current)
    window.work_tabs = tabs
    return tabs


def on_database_changed(window, callback: Callable[[], None]) -> None:
    """Call `callback` after every `set_database` of `window` (switching registries).

    The window has no signal for it yet; wrapping its method on the instance keeps
    main_window.py untouched. Every plug-in shares one wrapper.
    """
    callbacks: list[Callable[[], None]] | None = getattr(window, "_database_callbacks", None)
    if callbacks is None:
        callbacks = window._database_callbacks = []
        original = window.set_database

        def set_database(path, **kwargs):
            original(path, **kwargs)
            for fn in list(callbacks):
                fn()

        window.set_database = set_database
    callbacks.append(callback)
