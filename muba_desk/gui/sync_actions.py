"""Plug-in: on a laptop's registry the window gains the sync page as a tab."""

from __future__ import annotations

from muba_desk.gui.extensions import on_retranslate
from muba_desk.gui.office.tabs import on_database_changed, work_tabs
from muba_desk.i18n import _
from muba_desk.store.kind import LAPTOP, registry_kind


def install(window) -> None:
    """Add the sync tab when the registry is a laptop's; follow registry switches."""
    window.sync_page = None

    def follow() -> None:
        laptop = window.db is not None and registry_kind(window.db) == LAPTOP
        page = window.sync_page
        if laptop and page is None:
            from muba_desk.gui.sync_page import SyncPage

            page = window.sync_page = SyncPage(window)
            tabs = work_tabs(window)
            tabs.addTab(page, _("Sinkron"))
            tabs.currentChanged.connect(
                lambda _i: page.reload() if tabs.currentWidget() is page else None
            )
        if page is not None:
            tabs = work_tabs(window)
            tabs.setTabVisible(tabs.indexOf(page), laptop)
            if laptop:
                page.reload()

    def retranslate() -> None:
        """A new page in the new language (it keeps no state of its own but what it reads)."""
        old = window.sync_page
        if old is None:
            return
        from muba_desk.gui.sync_page import SyncPage

        tabs = work_tabs(window)
        index, current = tabs.indexOf(old), tabs.currentWidget() is old
        page = window.sync_page = SyncPage(window)
        tabs.removeTab(index)
        tabs.insertTab(index, page, _("Sinkron"))
        tabs.currentChanged.connect(
            lambda _i: page.reload() if tabs.currentWidget() is page else None
        )
        old.hide()  # kept, not deleted: a read on its way still finds its page
        if current:
            tabs.setCurrentWidget(page)
        page.reload()

    follow()
    on_database_changed(window, follow)
    on_retranslate(window, retranslate)
