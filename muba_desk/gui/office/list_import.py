"""Office -> "Impor daftar…": a beneficiary list into the registry, with a preview first.

File and sheet, the mapping as a table the clerk corrects (one combo per field), an optional
enrolment, then the preview (counts and the first rows as they will be stored), the import and
the errors file. Reading, planning, applying and writing the errors file run as background jobs
(`gui.jobs`) on their own connection, with progress and Cancel: the UI thread never waits on
the disk. The work itself is `muba_desk.lists` (plain Python, the CLI runs the same).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from muba_desk.core.operations import OFFICE, Actor
from muba_desk.domain.programs import PROGRAMS
from muba_desk.gui.jobs import BackgroundJob, show_error
from muba_desk.i18n import _
from muba_desk.lists.apply import apply_plan, summary
from muba_desk.lists.mapping import FIELDS, Mapping, saved_mappings, shipped_mappings
from muba_desk.lists.plan import EnrolOnImport, default_mapping, plan_import
from muba_desk.lists.read import read_list, sheet_names
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry

NONE = -1


def field_labels() -> dict[str, str]:
    """Each field in the clerk's words (translated when called)."""
    return {
        "nik": _("NIK"),
        "kk": _("Nomor KK"),
        "family_id": _("ID keluarga di daftar"),
        "name": _("Nama"),
        "birth_place": _("Tempat lahir"),
        "birth_date": _("Tanggal lahir"),
        "sex": _("Jenis kelamin"),
        "relation": _("Hubungan dengan kepala"),
        "address": _("Alamat"),
        "rt": _("RT"),
        "rw": _("RW"),
        "dusun": _("Dusun"),
        "village": _("Desa / kode desa"),
        "district": _("Kecamatan"),
        "decile": _("Desil kesejahteraan"),
        "decile_source": _("Sumber desil"),
        "decile_year": _("Tahun desil"),
        "p3ke_id": _("ID P3KE"),
        "dtks_id": _("ID DTKS"),
        "phone": _("Nomor HP"),
    }


SHOWN = ("row_number", "fate", "nik", "name", "sex", "birth_date", "relation", "village_code")


def fates() -> dict[str, str]:
    return {
        "new": _("baru"),
        "matched": _("cocok"),
        "queued": _("periksa ganda"),
        "refused": _("ditolak"),
    }


# -- the work, on a worker thread with its own connection ------------------------------------
def read_sheet(path: Path, sheet: str | None, db_path: Path, progress):
    """The sheet, its sheet names, the mapping a clerk starts from (saved, shipped or
    guessed) and every named mapping (applied to the sheet later without the disk)."""
    names = sheet_names(path)
    read = read_list(path, sheet=sheet, progress=progress)
    db = connect(db_path)
    try:
        templates = {**shipped_mappings(), **saved_mappings(db)}
        return read, names, default_mapping(read, db), templates
    finally:
        db.close()


def make_plan(db_path: Path, sheet, mapping: Mapping, enrol, progress):
    db = connect(db_path)
    try:
        return plan_import(Registry(db), sheet, mapping, enrol=enrol, progress=progress)
    finally:
        db.close()


def import_plan(db_path: Path, operator_id, plan, accept_updates: bool, progress):
    db = connect(db_path)
    try:
        reg = Registry(db, operator_id)
        with reg.transaction():
            return apply_plan(
                reg, Actor(operator_id, OFFICE), plan, accept_updates=accept_updates,
                progress=progress,
            )  # fmt: skip
    finally:
        db.close()


def save_named_mapping(db_path: Path, mapping: Mapping, _progress) -> dict:
    """Keep `mapping` by its name in the registry; every named mapping, as read again."""
    from muba_desk.lists.mapping import save_mapping

    db = connect(db_path)
    try:
        save_mapping(db, mapping)
        return {**shipped_mappings(), **saved_mappings(db)}
    finally:
        db.close()


def write_errors_file(out: Path, sheet, plan, _progress) -> int:
    from muba_desk.lists.errors_file import write_errors

    problems = plan.rows_with_problems()
    write_errors(out, sheet, problems)
    return len(problems)


# -- the dialog ----------------------------------------------------------------------------
class ListImportDialog(QDialog):
    """See the module. `done_importing(result)` is called after a successful import."""

    def __init__(self, db_path: Path, operator_id: str | None, parent=None, on_imported=None):
        super().__init__(parent)
        self.setWindowTitle(_("Impor daftar penerima"))
        self.resize(900, 720)
        self.db_path, self.operator_id = Path(db_path), operator_id
        self.on_imported = on_imported
        self.sheet = None
        self.plan = None
        self.result = None
        self.job: BackgroundJob | None = None

        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(_("Pilih berkas XLSX, XLS, ODS atau CSV…"))
        self.choose = QPushButton(_("Pilih &berkas…"))
        self.choose.clicked.connect(self.choose_file)
        self.sheets = QComboBox()
        self.sheets.activated.connect(lambda _i: self.load(self.sheets.currentText()))
        self.mappings = QComboBox()
        self.mappings.activated.connect(lambda _i: self.apply_named_mapping())
        self.save_mapping_button = QPushButton(_("Simpan pe&metaan…"))
        self.save_mapping_button.clicked.connect(lambda: self.save_mapping_as(None))
        self.table = QTableWidget(len(FIELDS), 2)
        self.table.setHorizontalHeaderLabels([_("Isian"), _("Kolom di berkas")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.combos: dict[str, QComboBox] = {}
        labels = field_labels()
        for row, name in enumerate(FIELDS):
            self.table.setItem(row, 0, QTableWidgetItem(labels[name]))
            combo = QComboBox()
            combo.activated.connect(lambda _i: self.mapping_changed())
            self.combos[name] = combo
            self.table.setCellWidget(row, 1, combo)

        self.enrol = QGroupBox(_("Daftarkan juga ke program"))
        self.enrol.setCheckable(True)
        self.enrol.setChecked(False)
        self.enrol.toggled.connect(lambda _on: self.mapping_changed())
        self.program = QComboBox()
        for code, program in PROGRAMS.items():
            self.program.addItem(program.name, code)
        self.year = QSpinBox()
        self.year.setRange(2000, date.today().year + 1)
        self.year.setValue(date.today().year)
        self.low, self.high = QSpinBox(), QSpinBox()
        for spin, value in ((self.low, 1), (self.high, 3)):
            spin.setRange(1, 10)
            spin.setValue(value)
        self.status = QComboBox()
        self.status.addItem(_("Diajukan (masuk antrean keputusan kantor)"), "DIAJUKAN")
        self.status.addItem(_("Draf (dilengkapi di lapangan)"), "DRAF")
        deciles = QHBoxLayout()
        deciles.addWidget(self.low)
        deciles.addWidget(QLabel("–"))
        deciles.addWidget(self.high)
        form = QFormLayout(self.enrol)
        form.addRow(_("Program"), self.program)
        form.addRow(_("Tahun periode"), self.year)
        form.addRow(_("Desil"), deciles)
        form.addRow(_("Status"), self.status)
        for widget in (self.program, self.year, self.low, self.high, self.status):
            signal = getattr(widget, "valueChanged", None) or widget.activated
            signal.connect(lambda *_a: self.mapping_changed())

        self.accept_updates = QCheckBox(
            _("Terapkan perubahan data orang yang sudah terdaftar (bawaan: hanya ditampilkan)")
        )
        self.counts = QLabel(_("Pilih berkas, periksa pemetaan kolom, lalu Pratinjau."))
        self.counts.setWordWrap(True)
        self.preview_table = QTableWidget(0, len(SHOWN))
        self.preview_table.setHorizontalHeaderLabels(
            [
                _("Baris"),
                _("Nasib"),
                "NIK",
                _("Nama"),
                _("JK"),
                _("Lahir"),
                _("Hubungan"),
                _("Desa"),
            ]  # fmt: skip
        )
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.preview_button = QPushButton(_("&Pratinjau"))
        self.preview_button.clicked.connect(self.preview)
        self.import_button = QPushButton(_("&Impor"))
        self.import_button.clicked.connect(self.run_import)
        self.errors_button = QPushButton(_("Simpan berkas &kesalahan…"))
        self.errors_button.clicked.connect(self.save_errors)
        self.cancel_button = QPushButton(_("Batal"))
        self.cancel_button.clicked.connect(self.cancel_job)
        self.close_button = QPushButton(_("Tutup"))
        self.close_button.clicked.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(self.file, 1)
        top.addWidget(self.choose)
        choose = QFormLayout()
        choose.addRow(_("Berkas"), top)
        choose.addRow(_("Lembar"), self.sheets)
        named = QHBoxLayout()
        named.addWidget(self.mappings, 1)
        named.addWidget(self.save_mapping_button)
        choose.addRow(_("Pemetaan"), named)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.import_button, self.errors_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.enrol)
        layout.addWidget(self.accept_updates)
        layout.addWidget(self.counts)
        layout.addWidget(self.preview_table, 2)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.templates: dict = {}
        self._enable()

    # -- state -------------------------------------------------------------------------------
    def _enable(self) -> None:
        busy = self.job is not None and self.job.running
        self.choose.setEnabled(not busy)
        self.preview_button.setEnabled(not busy and self.sheet is not None)
        self.import_button.setEnabled(
            not busy and self.plan is not None and self.result is None
            and not self.plan.imported_before
        )  # fmt: skip
        self.errors_button.setEnabled(not busy and self.plan is not None)
        self.save_mapping_button.setEnabled(not busy and self.sheet is not None)
        self.cancel_button.setEnabled(busy)
        self.bar.setVisible(busy)

    def _run(self, fn, success, label: str) -> None:
        self.bar.setRange(0, 0)
        self.counts.setText(label)
        self.job = BackgroundJob(
            fn,
            parent=self,
            success=lambda result: self._finished(success, result),
            failure=self._failed,
            cancelled=self._cancelled,
            on_progress=self._progressed,
        )
        self.job.start()
        self._enable()

    def _finished(self, success, result) -> None:
        self.job = None
        success(result)
        self._enable()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.counts.setText(_("Gagal: {reason}").format(reason=exc))
        self._enable()
        show_error(self, exc)

    def _cancelled(self) -> None:
        self.job = None
        self.counts.setText(_("Dibatalkan: tidak ada yang disimpan."))
        self._enable()

    def _progressed(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if label:
            self.bar.setFormat(f"{label} %p%")

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def reject(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()  # the work rolls back; the dialog may close at once
        super().reject()

    # -- file, sheet and mapping -------------------------------------------------------------
    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Pilih daftar penerima"),
            "",
            _("Daftar (*.xlsx *.xls *.ods *.csv *.tsv *.txt);;Semua berkas (*)"),
        )
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path) -> None:
        self.file.setText(str(path))
        self.load(None)

    def load(self, sheet: str | None) -> None:
        path = Path(self.file.text())
        self.plan = self.result = None
        self._run(
            lambda progress: read_sheet(path, sheet, self.db_path, progress),
            self._loaded,
            _("Membaca berkas…"),
        )

    def _loaded(self, found) -> None:
        self.sheet, names, mapping, self.templates = found
        mapping_names = sorted(self.templates)
        self.sheets.clear()
        self.sheets.addItems(names)
        if self.sheet.sheet:
            self.sheets.setCurrentText(self.sheet.sheet)
        self.mappings.clear()
        self.mappings.addItems(mapping_names)
        if mapping.name not in mapping_names:
            self.mappings.addItem(mapping.name)
        self.mappings.setCurrentText(mapping.name)
        self._show_mapping(mapping)
        self.counts.setText(
            _(
                "{rows} baris dibaca dari lembar “{sheet}”. Periksa pemetaan, lalu Pratinjau."
            ).format(
                rows=len(self.sheet.rows), sheet=self.sheet.sheet or Path(self.file.text()).name
            )
        )

    def _show_mapping(self, mapping: Mapping) -> None:
        self.mapping_name = mapping.name
        self.defaults = dict(mapping.defaults)
        for name, combo in self.combos.items():
            combo.clear()
            combo.addItem("—", NONE)
            for index, header in enumerate(self.sheet.headers):
                combo.addItem(header or _("(kolom {n})").format(n=index + 1), index)
            combo.setCurrentIndex(combo.findData(mapping.columns.get(name, NONE)))

    def apply_named_mapping(self) -> None:
        template = self.templates.get(self.mappings.currentText())
        if self.sheet is None or template is None:
            return
        self._show_mapping(template.resolve(self.sheet.headers))
        self.mapping_changed()

    def save_mapping_as(self, name: str | None) -> None:
        """Keep the mapping as corrected, under `name` (asked when None), for the next file
        of the same shape."""
        if name is None:
            from PySide6.QtWidgets import QInputDialog

            name, ok = QInputDialog.getText(
                self, _("Simpan pemetaan"), _("Nama pemetaan:"), text=self.mapping_name
            )
            if not ok:
                return
        name = name.strip()
        if not name:
            return
        mapping = self.mapping()
        mapping.name = name

        def saved(templates) -> None:
            self.templates = templates
            self.mapping_name = name
            if self.mappings.findText(name) < 0:
                self.mappings.addItem(name)
            self.mappings.setCurrentText(name)
            self.counts.setText(_("Pemetaan “{name}” disimpan.").format(name=name))

        self._run(
            lambda progress: save_named_mapping(self.db_path, mapping, progress),
            saved,
            _("Menyimpan pemetaan…"),
        )

    def mapping(self) -> Mapping:
        columns = {
            name: combo.currentData()
            for name, combo in self.combos.items()
            if combo.currentData() not in (None, NONE)
        }
        return Mapping(self.mapping_name, columns, dict(self.defaults), list(self.sheet.headers))

    def mapping_changed(self) -> None:
        """A corrected column or enrolment: the preview no longer holds."""
        if self.plan is not None and self.result is None:
            self.plan = None
            self.counts.setText(_("Pemetaan berubah: Pratinjau lagi."))
            self._enable()

    def enrolment(self) -> EnrolOnImport | None:
        if not self.enrol.isChecked():
            return None
        return EnrolOnImport(
            self.program.currentData(),
            self.year.value(),
            (min(self.low.value(), self.high.value()), max(self.low.value(), self.high.value())),
            self.status.currentData(),
        )

    # -- preview, import, errors -------------------------------------------------------------
    def preview(self) -> None:
        sheet, mapping, enrol = self.sheet, self.mapping(), self.enrolment()
        self._run(
            lambda progress: make_plan(self.db_path, sheet, mapping, enrol, progress),
            self._planned,
            _("Menyiapkan pratinjau…"),
        )

    def _planned(self, plan) -> None:
        self.plan = plan
        text = summary(plan.counts)
        if plan.imported_before:
            text += " " + _(
                "Daftar ini sudah diimpor pada {at}: mengimpornya lagi tidak mengubah apa pun."
            ).format(at=plan.imported_before)
        self.counts.setText(text)
        self.preview_table.setRowCount(len(plan.first_rows))
        for row, values in enumerate(plan.first_rows):
            for column, name in enumerate(SHOWN):
                value = values.get(name)
                if name == "fate":
                    value = fates().get(value, value)
                self.preview_table.setItem(
                    row, column, QTableWidgetItem("" if value is None else str(value))
                )

    def run_import(self) -> None:
        plan, accept = self.plan, self.accept_updates.isChecked()
        operator = self.operator_id
        self._run(
            lambda progress: import_plan(self.db_path, operator, plan, accept, progress),
            self._imported,
            _("Mengimpor…"),
        )

    def _imported(self, result) -> None:
        self.result = result
        self.counts.setText(_("Tersimpan. {summary}").format(summary=result.summary()))
        if self.on_imported is not None:
            self.on_imported(result)

    def save_errors(self, out: Path | None = None) -> None:
        if out is None:
            chosen, _filter = QFileDialog.getSaveFileName(
                self, _("Simpan berkas kesalahan"), "kesalahan-impor.xlsx", "XLSX (*.xlsx)"
            )
            if not chosen:
                return
            out = Path(chosen)
        sheet, plan = self.sheet, self.plan
        self._run(
            lambda progress: write_errors_file(out, sheet, plan, progress),
            lambda n: self.counts.setText(
                _("{n} baris bermasalah ditulis ke {file}.").format(n=n, file=out)
            ),
            _("Menulis berkas kesalahan…"),
        )
