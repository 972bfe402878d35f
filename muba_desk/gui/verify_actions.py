"""Plug-in: View -> "Hanya yang perlu diverifikasi": the people list shows only those an office
list brought in (`person.verify_state` 'to_verify') that no one has checked in the field yet.

The search line keeps working inside the filter. A person is checked through the ordinary edit
(F2): the person form then shows "Hasil verifikasi" (gui/person_form.py), and saving writes
through `core.operations.edit_person` like any edit, so the next bundle carries it.
"""

from __future__ import annotations

from muba_desk.i18n import _


def install(window) -> None:
    from muba_desk.gui.main_window import PEOPLE
    from muba_desk.store import search

    every = window.queries.people
    from muba_desk.gui.extensions import on_retranslate

    action = window.view_menu.addAction(_("Hanya yang perlu di&verifikasi"))
    action.setCheckable(True)

    def retranslate() -> None:
        action.setText(_("Hanya yang perlu di&verifikasi"))
        action.setToolTip(
            _(
                "Penduduk dari daftar kantor yang belum diperiksa di lapangan; ubah (F2) untuk "
                "mencatat hasilnya."
            )
        )

    retranslate()
    on_retranslate(window, retranslate)

    def toggled(on: bool) -> None:
        window.to_verify_only = on
        window.queries.people = search.people_to_verify if on else every
        window.show_tab(PEOPLE)
        window.run_search()

    action.toggled.connect(toggled)
    window.to_verify_only = False
    window.verify_action = action
