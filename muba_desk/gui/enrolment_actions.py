"""The Program menu: enrol, new KUBE group, new lembaga, hand-over, status and house photos."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from muba_desk.gui.extensions import on_retranslate
from muba_desk.i18n import _

# Start-up pays only for the menu: the programs' rules, the backend and the forms are imported
# inside the actions, when first used.


def _keep(window, dialog: QDialog) -> QDialog:
    """Open `dialog` window-modal without blocking; the window refreshes after each save.
    Ctrl+L locks from inside it too: a window-modal dialog blocks the window's own shortcut,
    and the lock hides the dialog with the forms (`MainWindow.lock`)."""
    window._enrolment_dialog = dialog  # keeps it alive while open
    if hasattr(window, "lock"):
        QShortcut(QKeySequence("Ctrl+L"), dialog, window.lock)
    for name in ("saved", "changed", "created"):
        signal = getattr(dialog, name, None)
        if signal is not None:
            signal.connect(lambda *_args: window.refresh())
    dialog.finished.connect(lambda _code: window.refresh())
    dialog.open()
    return dialog


def _selection(window) -> tuple[str | None, str | None]:
    return window.selected_person_id(), window.selected_household_id()


def enrol(window, program: str | None = None) -> QDialog | None:
    """The enrolment form for the chosen person or household (asks which program first)."""
    from muba_desk.domain.programs import PROGRAMS
    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.enrolment_form import open_form

    person_id, household_id = _selection(window)
    if program is None:
        names = [f"{p.name} – {p.expansion}" for p in PROGRAMS.values()]
        choice, ok = QInputDialog.getItem(
            window, _("Daftarkan ke program"), _("Program:"), names, 0, False
        )
        if not ok:
            return None
        program = list(PROGRAMS)[names.index(choice)]
    if program != "KUBE_UEP" and not (person_id or household_id) and program != "BAKUL_NASI":
        QMessageBox.information(
            window, _("Pilih penduduk"), _("Pilih dulu penduduk atau rumah tangga di daftar.")
        )
        return None
    backend = enrolment_backend.for_window(window)
    form = open_form(program, backend, person_id=person_id, household_id=household_id)
    return _keep(window, form)


def new_institution(window) -> QDialog:
    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.bakul_nasi import InstitutionDialog

    backend = enrolment_backend.for_window(window)
    dialog = InstitutionDialog(backend, window)
    dialog.created.connect(lambda row: _open_bakul_nasi_for(window, row["id"]))
    return _keep(window, dialog)


def _open_bakul_nasi_for(window, institution_id: str) -> None:
    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.bakul_nasi import BakulNasiForm

    form = BakulNasiForm("BAKUL_NASI", enrolment_backend.for_window(window))
    form.backend.read(lambda _db: None, lambda _r: form.choose_institution(institution_id))
    _keep(window, form)


def _why_not(rows: list[dict], why) -> str:
    """The refusal when none of `rows` fits: each enrolment with why it does not."""
    from muba_desk.domain.programs import PROGRAMS
    from muba_desk.domain.status import Status

    if not rows:
        return _("Orang atau rumah tangga ini belum punya pendaftaran program.")
    lines = [
        f"• {PROGRAMS[r['program']].name} · {r['who']} · {Status(r['status']).label()}: "
        f"{why(r['status'])}"
        for r in rows
    ]
    return _("Belum ada pendaftaran yang dapat dipakai:") + "\n" + "\n".join(lines)


def _pick_enrolment(
    window, title: str, statuses=None, program: str | None = None, then=None, why=None
):
    """Ask which enrolment of the selected person or household; `then(enrolment_id)`. When
    none fits, `why(status)` says for each enrolment why not (else a general sentence)."""
    from muba_desk.domain.programs import PROGRAMS
    from muba_desk.domain.status import Status
    from muba_desk.store.enrolment_reads import enrolments_for

    person_id, household_id = _selection(window)
    if not (person_id or household_id):
        QMessageBox.information(
            window, title, _("Pilih dulu penduduk atau rumah tangga di daftar.")
        )
        return

    def chosen(found: list[dict]) -> None:
        rows = [
            r
            for r in found
            if (statuses is None or r["status"] in statuses)
            and (program is None or r["program"] == program)
        ]
        if not rows:
            if why is None:
                QMessageBox.information(window, title, _("Tidak ada pendaftaran yang sesuai."))
            else:
                mine = [r for r in found if program is None or r["program"] == program]
                QMessageBox.information(window, title, _why_not(mine, why))
            return
        labels = [
            f"{PROGRAMS[r['program']].name} · {r['who']} · {Status(r['status']).label()}"
            for r in rows
        ]
        if len(rows) == 1:
            then(rows[0]["id"])
            return
        choice, ok = QInputDialog.getItem(window, title, _("Pendaftaran:"), labels, 0, False)
        if ok:
            then(rows[labels.index(choice)]["id"])

    window.reader.submit(
        "enrolment-pick",
        lambda db: enrolments_for(db, person_id=person_id, household_id=household_id),
        chosen,
    )


def handover(window, enrolment_id: str | None = None) -> None:
    from muba_desk.domain.status import Status
    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.handover_form import HandoverForm

    def open_(eid: str) -> None:
        form = HandoverForm(enrolment_backend.for_window(window), eid, window)
        form.saved.connect(lambda row: offer_receipt(window, row))
        _keep(window, form)

    if enrolment_id:
        open_(enrolment_id)
    else:
        _pick_enrolment(
            window,
            _("Catat penyerahan"),
            {Status.DISETUJUI, Status.AKTIF},
            then=open_,
            why=why_no_handover,
        )


def why_no_handover(status: str) -> str:
    """Why aid cannot be handed over on an enrolment in `status` (only Disetujui and Aktif)."""
    return {
        "DRAF": _("masih draf; ajukan dan kirim ke kantor dulu."),
        "DIAJUKAN": _("belum terkirim; kirim ke kantor lewat flashdisk dulu."),
        "TERKIRIM": _("menunggu keputusan kantor; bantuan diserahkan setelah disetujui."),
        "DITOLAK": _("ditolak kantor; lihat alasannya di riwayat."),
        "SELESAI": _("sudah selesai; tidak ada penyerahan lagi."),
    }.get(status, _("tidak dapat menerima penyerahan."))


def offer_receipt(window, row: dict) -> QMessageBox:
    """After a hand-over is saved: print its receipt now (the usual next step) or later."""
    from muba_desk.gui import prefs

    box = QMessageBox(
        QMessageBox.Icon.Question,
        _("Penyerahan tersimpan"),
        _("Penyerahan {number} tersimpan. Cetak kuitansinya sekarang?").format(
            number=row.get("receipt_number") or ""
        ),
        parent=window,
    )
    now = box.addButton(_("&Cetak kuitansi"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("&Nanti"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(now)

    def answered() -> None:
        if box.clickedButton() is now and getattr(window, "print_actions", None) is not None:
            layout = prefs.get("print_receipt_layout", "a4")
            window.print_actions.print_receipt(row["id"], layout)

    box.finished.connect(lambda _result: answered())
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.receipt_offer = box
    box.open()
    return box


def change_status(window, enrolment_id: str | None = None) -> None:
    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.status_dialog import StatusDialog

    def open_(eid: str) -> None:
        _keep(window, StatusDialog(enrolment_backend.for_window(window), eid, window))

    if enrolment_id:
        open_(enrolment_id)
    else:
        _pick_enrolment(window, _("Ubah status"), then=open_)


def house_photos(window, enrolment_id: str | None = None) -> None:
    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.bertani import HousePhotosDialog

    def open_(eid: str) -> None:
        _keep(window, HousePhotosDialog(enrolment_backend.for_window(window), eid, window))

    if enrolment_id:
        open_(enrolment_id)
    else:
        _pick_enrolment(window, _("Foto rumah Bertani"), program="BERTANI", then=open_)


def install(window) -> None:
    """Add the enrolment actions to the window's Program menu (texts again after a switch)."""
    menu = window.program_menu
    entries = (
        (lambda: _("&Daftarkan ke program…"), "Ctrl+E", lambda: enrol(window)),
        (lambda: _("Kelompok &KUBE baru…"), None, lambda: enrol(window, "KUBE_UEP")),
        (lambda: _("&Lembaga (panti asuhan) baru…"), None, lambda: new_institution(window)),
        (lambda: _("Catat &penyerahan…"), "Ctrl+H", lambda: handover(window)),
        (lambda: _("Ubah &status…"), None, lambda: change_status(window)),
        (lambda: _("&Foto rumah Bertani…"), None, lambda: house_photos(window)),
    )
    window.enrolment_actions = []
    for text, shortcut, slot in entries:
        action = QAction(text(), window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False, s=slot: s())
        menu.addAction(action)
        window.enrolment_actions.append(action)

    def retranslate() -> None:
        for action, (text, _shortcut, _slot) in zip(window.enrolment_actions, entries, strict=True):
            action.setText(text())

    on_retranslate(window, retranslate)
