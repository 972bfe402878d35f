"""Plug-in: on the office's registry the window gains the office desk's tabs."""

from __future__ import annotations

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

    follow()
    on_database_changed(window, follow)
