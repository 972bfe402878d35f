"""Plug-in: on the office's registry, Data -> "Impor daftar…" (`gui.office.list_import`)."""

from __future__ import annotations

from muba_desk.gui.extensions import on_retranslate
from muba_desk.gui.office.tabs import on_database_changed
from muba_desk.i18n import _
from muba_desk.store.kind import OFFICE, registry_kind


def open_dialog(window):
    from muba_desk.gui.office.list_import import ListImportDialog  # only offices pay for it

    def imported(_result) -> None:
        desk = getattr(window, "office_desk", None)
        if desk is not None:
            desk.data_changed()
        else:
            window.refresh()

    operator = window.operator.id if window.operator else None
    dialog = ListImportDialog(window.db_path, operator, window, on_imported=imported)
    window.list_import_dialog = dialog
    dialog.show()
    return dialog


def install(window) -> None:
    action = window.data_menu.addAction(_("&Impor daftar…"), lambda: open_dialog(window))
    window.list_import_action = action

    def retranslate() -> None:
        action.setText(_("&Impor daftar…"))
        action.setToolTip(_("Daftar penerima P3KE, DTSEN, BNBA atau OpenSID ke registri kantor."))

    retranslate()
    on_retranslate(window, retranslate)

    def follow() -> None:
        action.setVisible(window.db is not None and registry_kind(window.db) == OFFICE)

    follow()
    on_database_changed(window, follow)
