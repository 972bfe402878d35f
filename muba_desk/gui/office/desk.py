"""The office desk: its pages as tabs of the window, sharing the window's reader and writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from muba_desk.gui.office.budget_page import BudgetPage
from muba_desk.gui.office.conflicts_page import ConflictsPage
from muba_desk.gui.office.decisions_page import DecisionsPage
from muba_desk.gui.office.duplicates_page import DuplicatesPage
from muba_desk.gui.office.laptops_page import LaptopsPage
from muba_desk.gui.office.lists_page import ListsPage
from muba_desk.gui.office.registry_page import RegistryPage
from muba_desk.gui.office.reports_page import ReportsPage
from muba_desk.gui.office.session import OfficeSession
from muba_desk.gui.office.tabs import work_tabs
from muba_desk.i18n import _

MESSAGE_MS = 8000


class OfficeDesk:
    """Adds the office pages to `window`'s tabs; each page loads when it is first shown."""

    def __init__(self, window):
        self.window = window
        self.session = OfficeSession(window)
        self.laptops = LaptopsPage(self)
        self.registry = RegistryPage(self)
        self.duplicates = DuplicatesPage(self)
        self.conflicts = ConflictsPage(self)
        self.decisions = DecisionsPage(self)
        self.budget = BudgetPage(self)
        self.reports = ReportsPage(self)
        self.lists = ListsPage(self)
        self.pages: list[tuple[QWidget, str]] = [
            (self.laptops, _("Laptop dan paket")),
            (self.registry, _("Registri gabungan")),
            (self.duplicates, _("Data ganda")),
            (self.conflicts, _("Konflik")),
            (self.decisions, _("Keputusan")),
            (self.budget, _("Anggaran")),
            (self.reports, _("Dasbor")),
            (self.lists, _("Daftar && SK")),  # "&&": a tab reads "&" as a mnemonic mark
        ]
        self._stale: set[QWidget] = set()
        self.tabs = work_tabs(window)
        for page, label in self.pages:
            self.tabs.addTab(page, label)
        self.tabs.currentChanged.connect(self._shown)

    @property
    def db_path(self) -> Path:
        return Path(self.window.db_path)

    def operator_id(self) -> str | None:
        return self.window.operator.id if self.window.operator else None

    def set_visible(self, on: bool) -> None:
        for page, _label in self.pages:
            self.tabs.setTabVisible(self.tabs.indexOf(page), on)
        self.session.forget()
        self._stale = {page for page, _label in self.pages}

    def _shown(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page in self._stale:
            self._stale.discard(page)
            page.reload()

    def show_page(self, page: QWidget) -> None:
        """Bring `page` to the front (it loads if it has not yet)."""
        if self.tabs.currentWidget() is page:
            self._shown(self.tabs.currentIndex())
        self.tabs.setCurrentWidget(page)

    def data_changed(self) -> None:
        """Something was written: other pages reload when next shown, the search refreshes."""
        current = self.tabs.currentWidget()
        self._stale = {page for page, _label in self.pages if page is not current}
        self.window.refresh()

    # -- the window's reader and writer -------------------------------------------------------
    def read(
        self,
        channel: str,
        fn: Callable[[Any], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self.window.reader is not None:
            self.window.reader.submit(f"office:{channel}", fn, on_done, on_error or self._failed)

    def write(self, fn, on_done=None, on_error=None) -> None:
        self.window.submit_write(fn, on_done, on_error)

    def message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, MESSAGE_MS)

    def _failed(self, exc: BaseException) -> None:
        self.message(_("Data tidak dapat dimuat: {reason}").format(reason=exc))
