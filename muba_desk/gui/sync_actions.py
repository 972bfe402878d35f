"""Plug-in: on a laptop's registry the window gains the sync page as a tab; on a laptop or demo
registry, Berkas → Buka berkas penyiapan… makes it the office's laptop (a demo: a rehearsal
office's)."""

from __future__ import annotations

from muba_desk.gui.extensions import on_retranslate
from muba_desk.gui.office.tabs import on_database_changed, work_tabs
from muba_desk.i18n import _
from muba_desk.store import operators
from muba_desk.store.kind import LAPTOP, OFFICE, registry_kind


def install(window) -> None:
    """Add the sync tab when the registry is a laptop's; follow registry switches."""
    window.sync_page = None
    window.provision_action = window.file_menu.addAction(
        _("Buka berkas pen&yiapan…"), lambda: open_provisioning(window)
    )
    window.file_menu.insertAction(window.operators_action, window.provision_action)
    on_retranslate(window, lambda: window.provision_action.setText(_("Buka berkas pen&yiapan…")))

    def follow() -> None:
        kind = registry_kind(window.db) if window.db is not None else OFFICE
        window.provision_action.setVisible(kind != OFFICE)
        laptop = kind == LAPTOP
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


def open_provisioning(window) -> None:
    """The office's file on the open registry; a supervisor's step (it changes which office
    the registry reports to). On success the registry is opened again as that laptop."""
    if window.operator is not None and not window.operator.is_supervisor:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(
            window,
            _("Buka berkas penyiapan"),
            _("Hanya penyelia yang dapat menyiapkan laptop dengan berkas dari kantor."),
        )
        return
    from muba_desk.gui.provision_page import ProvisionDialog

    dialog = window.provision_dialog = ProvisionDialog(window)

    def ask(has_operators: bool) -> None:
        dialog.prepare(needs_supervisor=not has_operators)
        dialog.open()

    def finished(result: int) -> None:
        done = dialog.result_value
        if result and done is not None:
            window.set_database(window.db_path, operator=done.operator or window.operator)
            window.statusBar().showMessage(
                _("Laptop {code} ({name}) siap sinkron dengan kantor.").format(
                    code=done.settings["code"], name=done.settings["name"]
                ),
                8000,
            )

    dialog.finished.connect(finished)
    window.reader.submit("provision:operators", operators.has_operators, ask)
