"""Plug-in: on the office's registry the window gains the office desk's tabs."""

from __future__ import annotations

from muba_desk.gui.extensions import on_retranslate
from muba_desk.gui.office.tabs import on_database_changed
from muba_desk.store.kind import OFFICE, registry_kind


def install(window) -> None:
    """Add the desk when the registry is the office's; follow registry switches."""
    window.office_desk = None

    def follow() -> None:
        office = window.db is not None and registry_kind(window.db) == OFFICE
        desk = window.office_desk
        if office and desk is None:
            from muba_desk.gui.office.desk import OfficeDesk  # only offices pay for it

            desk = window.office_desk = OfficeDesk(window)
        if desk is not None:
            desk.set_visible(office)
            if office and desk.tabs.currentIndex() == 0:
                desk.show_page(desk.laptops)

    def retranslate() -> None:
        """The pages made again in the new language; the unlocked office keys are kept."""
        old = window.office_desk
        if old is None:
            return
        from muba_desk.gui.office.desk import OfficeDesk

        tabs = old.tabs
        current = next(
            (i for i, (p, _l) in enumerate(old.pages) if p is tabs.currentWidget()), None
        )
        tabs.currentChanged.disconnect(old._shown)
        # The old pages are taken out but kept: a read on its way still finds its page.
        for page, _label in old.pages:
            tabs.removeTab(tabs.indexOf(page))
        desk = window.office_desk = OfficeDesk(window)
        desk.session = old.session
        visible = window.db is not None and registry_kind(window.db) == OFFICE
        for page, _label in desk.pages:
            tabs.setTabVisible(tabs.indexOf(page), visible)
        desk._stale = {page for page, _label in desk.pages}
        if visible and current is not None:
            desk.show_page(desk.pages[current][0])

    follow()
    on_database_changed(window, follow)
    on_retranslate(window, retranslate)
