"""The window's Cetak menu: cards, receipts and sheets through a preview, and the QR check.

`install(window)` needs the window's contract: `db_path`, `reader`, `operator`,
`selected_person_id()`, `selected_household_id()`, `submit_write()` and `print_menu`. Reads go
through the reader; documents are made in background jobs with their own connection, so even a
thousand cards never freeze the window.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox

from muba_desk.domain.money import format_rupiah
from muba_desk.gui import prefs
from muba_desk.gui.extensions import on_retranslate
from muba_desk.gui.format import fmt_date, program_name
from muba_desk.i18n import _, _n, format_count

if TYPE_CHECKING:
    from muba_desk.gui.jobs import BackgroundJob
    from muba_desk.gui.print_preview import PrintPreviewDialog
    from muba_desk.printing.cards import PrintedCards
    from muba_desk.printing.receipts import Receipt

# Start-up pays only for the menu: the dialogs, the PDF makers (ReportLab), the previews and
# the signing keys (cryptography) are imported inside the actions, when first used.

CHANNEL = "print"


def install(window) -> PrintActions:
    """Fill `window.print_menu`; the actions live as long as the window."""
    window.print_actions = PrintActions(window)
    return window.print_actions


class PrintActions(QObject):
    """Every print action of the window; `dialog` is the chooser or preview last opened."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None
        self.job: BackgroundJob | None = None
        self.message = ""
        menu = window.print_menu
        self.person_card = self._add(self.choose_person_card, "Ctrl+P")
        self.village_cards = self._add(self.choose_village_cards)
        menu.addSeparator()
        self.receipt = self._add(self.choose_receipt)
        self.thermal_width = self._add(self.choose_thermal_width)
        menu.addSeparator()
        self.bertani = self._add(lambda: self.choose_sheet("bertani"))
        self.kube = self._add(lambda: self.choose_sheet("kube"))
        self.bakul_nasi = self._add(lambda: self.choose_sheet("bakul_nasi"))
        menu.addSeparator()
        self.verify = self._add(self.open_verify, "Ctrl+Shift+V")
        self.retranslate()
        on_retranslate(window, self.retranslate)

    def _add(self, slot: Callable[[], None], shortcut: str | None = None) -> QAction:
        action = QAction(self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self.window.print_menu.addAction(action)
        return action

    def retranslate(self) -> None:
        """The menu's texts in the current language (the window calls this after a switch)."""
        self.person_card.setText(_("&Kartu peserta orang ini…"))
        self.village_cards.setText(_("Kartu satu &desa…"))
        self.receipt.setText(_("K&uitansi penyerahan…"))
        self.thermal_width.setText(_("Lebar cetak printer &termal…"))
        self.bertani.setText(_("Lembar &foto Bertani…"))
        self.kube.setText(_("Daftar &anggota KUBE…"))
        self.bakul_nasi.setText(_("Lembar pengantaran &Bakul Nasi…"))
        self.verify.setText(_("&Periksa kartu atau kuitansi…"))

    # -- helpers ---------------------------------------------------------------------------
    def tell(self, text: str) -> None:
        """A note the user must see, without blocking the window."""
        self.message = text
        box = QMessageBox(QMessageBox.Icon.Information, _("Cetak"), text, parent=self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _selection(self) -> tuple[str | None, str | None]:
        """(person, household): a chosen person wins over a household."""
        person = self.window.selected_person_id()
        return (person, None) if person else (None, self.window.selected_household_id())

    def _ask(self, dialog: QDialog, then: Callable[[], None]) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(then)
        self.dialog = dialog
        dialog.open()

    def _run(self, work, success, label: str | None = None) -> BackgroundJob:
        from muba_desk.gui.jobs import BackgroundJob

        job = BackgroundJob(
            work,
            parent=self.window,
            success=success,
            cancelled=lambda: self.window.statusBar().showMessage(_("Pencetakan dibatalkan.")),
        )
        if label:
            job.with_progress(label)
        self.job = job.start()
        return job

    def preview(self, pdf: bytes, title: str, name: str) -> PrintPreviewDialog:
        from muba_desk.gui.print_preview import PrintPreviewDialog

        dialog = PrintPreviewDialog(pdf, title=title, suggested_name=name, parent=self.window)
        return self._show(dialog)

    def _show(self, dialog: QDialog):
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.show()
        return dialog

    # -- cards -----------------------------------------------------------------------------
    def choose_person_card(self) -> None:
        from muba_desk.gui.print_dialogs import ChoiceDialog, card_layouts

        person = self.window.selected_person_id()
        if not person:
            self.tell(_("Pilih dulu satu orang di daftar Penduduk."))
            return
        dialog = ChoiceDialog(
            _("Kartu peserta"),
            _("Kartu setiap program orang ini yang sudah disetujui kantor atau aktif."),
            layouts=card_layouts(),
            layout=prefs.get("print_card_layout", "a4"),
            parent=self.window,
        )
        self._ask(dialog, lambda: self.print_cards(layout=dialog.layout_choice(), person_id=person))

    def choose_village_cards(self) -> None:
        from muba_desk.gui.print_dialogs import VillageCardsDialog

        dialog = VillageCardsDialog(
            village=prefs.get("print_village"),
            layout=prefs.get("print_card_layout", "a4"),
            parent=self.window,
        )

        def chosen() -> None:
            code = dialog.village_code()
            if code is None:
                self.tell(_("Pilih desa dari daftar."))
                return
            prefs.put("print_village", code)
            self.print_cards(
                layout=dialog.layout_choice(), village_code=code, village=dialog.village_name()
            )

        self._ask(dialog, chosen)

    def print_cards(self, *, layout: str, village: str = "", **selection) -> BackgroundJob:
        """Make the cards (`village_code=` or `person_id=`) in a job, then preview them."""
        from muba_desk.gui.receipt_preview import file_name
        from muba_desk.printing.jobs import cards_document

        prefs.put("print_card_layout", layout)
        if village:
            title = _("Kartu peserta desa {village}").format(village=village)
        else:
            title = _("Kartu peserta")
        db_path = self.window.db_path

        def ready(result: tuple[PrintedCards, bytes]) -> None:
            printed, pdf = result
            note = printed.left_out_note()
            if printed.count == 0:
                nothing = _("Tidak ada kartu untuk dicetak: kartu hanya dibuat untuk pendaftaran "
                            "yang sudah disetujui kantor atau aktif.")  # fmt: skip
                self.tell(f"{nothing} {note}".strip())
                return
            ready_text = _n("{count} kartu siap dicetak.", printed.count).format(
                count=format_count(printed.count)
            )
            self.window.statusBar().showMessage(f"{ready_text} {note}".strip())
            self.preview(pdf, title, file_name("kartu", village or "peserta"))
            if note:
                self.tell(note)  # over the preview: the batch is not every card asked for

        return self._run(
            lambda progress: cards_document(db_path, progress, layout=layout, **selection),
            ready,
            _("Menyusun kartu peserta…"),
        )

    # -- receipts --------------------------------------------------------------------------
    def choose_receipt(self) -> None:
        from muba_desk.gui.jobs import show_error
        from muba_desk.printing.jobs import handovers_for

        person, household = self._selection()
        if not person and not household:
            self.tell(_("Pilih dulu satu orang atau rumah tangga."))
            return
        self.window.reader.submit(
            CHANNEL,
            lambda db: labelled(
                handovers_for(db, person_id=person, household_id=household), handover_label
            ),
            self._handovers_loaded,
            lambda exc: show_error(self.window, exc),
        )

    def _handovers_loaded(self, found: list[dict]) -> None:
        from muba_desk.gui.print_dialogs import ChoiceDialog, receipt_layouts

        if not found:
            self.tell(_("Belum ada serah terima bantuan untuk orang atau rumah tangga ini."))
            return
        dialog = ChoiceDialog(
            _("Kuitansi penyerahan"),
            _("Pilih serah terima yang kuitansinya dicetak."),
            items=[(row["label"], row["id"]) for row in found],
            layouts=receipt_layouts(),
            layout=prefs.get("print_receipt_layout", "a4"),
            parent=self.window,
        )
        self._ask(dialog, lambda: self.print_receipt(dialog.chosen(), dialog.layout_choice()))

    def print_receipt(self, handover_id: str, layout: str) -> BackgroundJob:
        """Make the receipt in a job, then preview it; a print or a save is counted."""
        from muba_desk.gui.receipt_preview import ReceiptPreview
        from muba_desk.printing.jobs import receipt_document

        prefs.put("print_receipt_layout", layout)
        db_path = self.window.db_path
        printable = thermal_printable_mm(layout)

        def ready(result: tuple[Receipt, bytes]) -> None:
            receipt, pdf = result
            self._show(ReceiptPreview(self.window, receipt, pdf, layout, printable))

        return self._run(
            lambda _progress: receipt_document(db_path, handover_id, layout, printable), ready
        )

    def choose_thermal_width(self) -> None:
        """Cetak -> Lebar cetak printer termal: what this laptop's roll printer reaches."""
        from muba_desk.gui.print_dialogs import ThermalWidthDialog

        dialog = ThermalWidthDialog(
            {layout: thermal_printable_mm(layout) for layout in ("58mm", "80mm")},
            parent=self.window,
        )

        def save() -> None:
            for layout, value in dialog.values().items():
                prefs.put(f"thermal_printable_mm_{layout}", value)

        self._ask(dialog, save)

    # -- sheets ----------------------------------------------------------------------------
    def choose_sheet(self, sheet: str) -> None:
        from muba_desk.gui.jobs import show_error
        from muba_desk.printing.jobs import SHEET_PROGRAMS, enrolments_for

        person, household = self._selection()
        if not person and not household:
            self.tell(_("Pilih dulu satu orang atau rumah tangga."))
            return
        program = SHEET_PROGRAMS[sheet]
        self.window.reader.submit(
            CHANNEL,
            lambda db: labelled(
                enrolments_for(db, program, person_id=person, household_id=household),
                enrolment_label,
            ),
            lambda found: self._enrolments_loaded(sheet, found),
            lambda exc: show_error(self.window, exc),
        )

    def _enrolments_loaded(self, sheet: str, found: list[dict]) -> None:
        from muba_desk.gui.print_dialogs import ChoiceDialog

        name = sheet_title(sheet)
        if not found:
            text = _("Orang atau rumah tangga ini tidak terdaftar untuk {sheet}.")
            self.tell(text.format(sheet=name.lower()))
            return
        if len(found) == 1:
            self.print_sheet(sheet, found[0]["id"])
            return
        dialog = ChoiceDialog(
            name,
            _("Pilih pendaftaran yang dicetak."),
            items=[(row["label"], row["id"]) for row in found],
            parent=self.window,
        )
        self._ask(dialog, lambda: self.print_sheet(sheet, dialog.chosen()))

    def print_sheet(self, sheet: str, enrolment_id: str) -> BackgroundJob:
        from muba_desk.gui.receipt_preview import file_name
        from muba_desk.printing.jobs import sheet_document

        db_path = self.window.db_path
        title = sheet_title(sheet)
        return self._run(
            lambda _progress: sheet_document(db_path, sheet, enrolment_id),
            lambda pdf: self.preview(pdf, title, file_name(sheet.replace("_", "-"))),
        )

    # -- verify ----------------------------------------------------------------------------
    def open_verify(self) -> None:
        """The check dialog, with the keys this laptop trusts and the revoked ones read on the
        reader's thread."""
        from muba_desk.gui.jobs import show_error
        from muba_desk.gui.verify_dialog import VerifyDialog
        from muba_desk.signing import check_keys

        self.window.reader.submit(
            "print-keys",
            check_keys,
            lambda keys: self._show(VerifyDialog(keys, parent=self.window)),
            lambda exc: show_error(self.window, exc),
        )


def thermal_printable_mm(layout: str) -> float | None:
    """The printed width this laptop's preferences set for a roll layout (None: the default,
    or not a roll)."""
    from muba_desk.printing.thermal import PRINTABLE_MM

    if layout not in PRINTABLE_MM:
        return None
    value = prefs.get(f"thermal_printable_mm_{layout}")
    return float(value) if isinstance(value, int | float) else PRINTABLE_MM[layout]


def sheet_title(sheet: str) -> str:
    return {
        "bertani": _("Lembar foto Bertani"),
        "kube": _("Daftar anggota KUBE"),
        "bakul_nasi": _("Lembar pengantaran Bakul Nasi"),
    }[sheet]


def labelled(found: list[dict], label) -> list[dict]:
    """The rows, each with the line its picker shows."""
    for row in found:
        row["label"] = label(row)
    return found


def handover_label(row: dict) -> str:
    """One line for the picker: date, program, tranche, amount or goods, number, prints."""
    if row["amount"] is not None:
        what = format_rupiah(row["amount"])
    else:
        kinds = len(json.loads(row["items"] or "[]"))
        what = _n("{count} jenis barang", kinds).format(count=kinds)
    parts = [fmt_date(row["handed_at"]), program_name(row["program"])]
    parts += [part for part in (row["tranche"], row["period"]) if part]
    parts += [what, row["recipient"] or "-", row["receipt_number"]]
    line = " · ".join(parts)
    if row["times_printed"]:
        line += " " + _("(sudah dicetak {count}×)").format(count=row["times_printed"])
    return line


def enrolment_label(row: dict) -> str:
    """One line for the picker: who, card number, period, status."""
    period = ""
    if row["period_start"]:
        period = f"{fmt_date(row['period_start'])} – {fmt_date(row['period_end'])}"
    parts = [row["who"] or "-", row["card_number"] or "", period, row["status"]]
    return " · ".join(part for part in parts if part)
