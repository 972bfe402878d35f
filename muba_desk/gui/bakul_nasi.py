"""Bakul Nasi: meals for an elderly person, or for an orphanage (lembaga) with its children."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk import i18n
from muba_desk.domain.programs import Field
from muba_desk.domain.programs.base import INSTITUTION_KINDS
from muba_desk.gui.enrolment_form import ERROR_STYLE, EnrolmentForm
from muba_desk.gui.field_widgets import FieldInput, PersonSearch
from muba_desk.i18n import _
from muba_desk.store import records
from muba_desk.store.enrolment_reads import Target, institutions, load_institution, load_target


class ChildrenEditor(FieldInput):
    """The orphanage's children: picked from the registry; Delete removes the chosen one."""

    def __init__(self, f: Field, backend, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = f
        self.people: list[dict] = []
        self.search = PersonSearch(backend, placeholder=_("Cari anak: nama atau NIK…"))
        self.search.picked.connect(self.add_person)
        self.list = QListWidget()
        self.list.setMaximumHeight(150)
        remove = QPushButton(_("Hapus anak terpilih"))
        remove.setAutoDefault(False)
        remove.clicked.connect(self.remove_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignRight)
        self.setFocusProxy(self.search)

    def set_people(self, people: list[dict]) -> None:
        self.people = []
        self.list.clear()
        for person in people:
            self.add_person(person, notify=False)
        self.changed.emit()

    def add_person(self, person: dict, notify: bool = True) -> None:
        if any(p["id"] == person["id"] for p in self.people):
            return
        self.people.append(person)
        self.list.addItem(QListWidgetItem(person["name"]))
        if notify:
            self.changed.emit()

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            del self.people[row]
            self.changed.emit()

    def raw(self) -> object:
        return [p["id"] for p in self.people]

    def set_raw(self, value: object) -> None:
        del value  # children come from the registry

    def focus_widget(self) -> QWidget:
        return self.search.edit


class InstitutionDialog(QDialog):
    """A new lembaga (panti asuhan): its name, kind, address, head and licence."""

    created = Signal(dict)

    def __init__(self, backend, parent: QWidget | None = None):
        super().__init__(parent)
        self.backend = backend
        self.setWindowTitle(_("Lembaga baru"))
        self.name = QLineEdit()
        self.kind = QComboBox()
        for choice in INSTITUTION_KINDS:
            self.kind.addItem(choice.label(i18n.language()), choice.value)
        self.address = QLineEdit()
        self.village = QLineEdit()
        self.village.setPlaceholderText("16.06.01.1009")
        self.head = QLineEdit()
        self.licence = QLineEdit()
        self.phone = QLineEdit()
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        form.addRow(_("Nama lembaga *"), self.name)
        form.addRow(_("Jenis"), self.kind)
        form.addRow(_("Alamat"), self.address)
        form.addRow(_("Kode desa"), self.village)
        form.addRow(_("Nama pimpinan"), self.head)
        form.addRow(_("Nomor izin operasional"), self.licence)
        form.addRow(_("Telepon"), self.phone)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.row: dict | None = None

    def save(self) -> None:
        name = self.name.text().strip()
        if not name:
            self.message.setText(_("Nama lembaga wajib diisi."))
            return
        fields = {
            "kind": self.kind.currentData(),
            "address": self.address.text().strip() or None,
            "village_code": self.village.text().strip() or None,
            "head_name": self.head.text().strip() or None,
            "licence_no": self.licence.text().strip() or None,
            "phone": self.phone.text().strip() or None,
        }
        self.backend.write(
            lambda reg: records.add_institution(reg, name=name, **fields),
            self._saved,
            lambda exc: self.message.setText(str(exc)),
        )

    def _saved(self, row: dict) -> None:
        self.row = row
        self.created.emit(row)
        self.accept()


class BakulNasiForm(EnrolmentForm):
    """The generic form for BAKUL_NASI with a choice between a person and a lembaga."""

    def top_widgets(self) -> list[QWidget]:
        box = QWidget()
        self.person_mode = QRadioButton(_("Lansia (orang)"))
        self.institution_mode = QRadioButton(_("Panti asuhan (lembaga)"))
        group = QButtonGroup(box)
        group.addButton(self.person_mode)
        group.addButton(self.institution_mode)
        self.institution_combo = QComboBox()
        self.institution_combo.setMinimumWidth(260)
        self.new_institution = QPushButton(_("Lembaga baru…"))
        self.new_institution.setAutoDefault(False)
        self.new_institution.clicked.connect(self.create_institution)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.person_mode)
        row.addWidget(self.institution_mode)
        row.addWidget(self.institution_combo, 1)
        row.addWidget(self.new_institution)
        self.person_mode.setChecked(True)
        self.person_mode.toggled.connect(self._mode_changed)
        self.institution_combo.activated.connect(lambda _i: self._institution_chosen())
        self.backend.read(institutions, self._institutions_loaded)
        return [box]

    def _institutions_loaded(self, rows: list[dict], select: str | None = None) -> None:
        self.institution_combo.clear()
        for row in rows:
            self.institution_combo.addItem(row["name"], row["id"])
        if select:
            self.institution_combo.setCurrentIndex(self.institution_combo.findData(select))
        self._sync_enabled()

    def _sync_enabled(self) -> None:
        lembaga = self.institution_mode.isChecked()
        self.institution_combo.setEnabled(lembaga)
        self.inputs["children"].setEnabled(lembaga)

    def _mode_changed(self) -> None:
        self._sync_enabled()
        if self.institution_mode.isChecked():
            self._institution_chosen()
        else:
            self.load_target()

    def choose_institution(self, institution_id: str) -> None:
        self.institution_mode.setChecked(True)
        index = self.institution_combo.findData(institution_id)
        if index >= 0:
            self.institution_combo.setCurrentIndex(index)
        self._institution_chosen()

    def _institution_chosen(self) -> None:
        institution_id = self.institution_combo.currentData()
        if not institution_id or not self.institution_mode.isChecked():
            return
        self.target = None
        self.backend.read(lambda db: load_institution(db, institution_id), self._lembaga_loaded)

    def _lembaga_loaded(self, target: Target) -> None:
        self.inputs["children"].set_people(target.children)
        self.set_target(target)

    def create_institution(self) -> None:
        dialog = InstitutionDialog(self.backend, self)
        if dialog.exec() and dialog.row:
            new_id = dialog.row["id"]
            self.backend.read(
                institutions,
                lambda rows: self._institution_added(rows, new_id),
            )

    def _institution_added(self, rows: list[dict], new_id: str) -> None:
        self._institutions_loaded(rows, new_id)
        self.choose_institution(new_id)

    def load_target(self) -> None:
        mode = getattr(self, "institution_mode", None)  # None while the form is being built
        if mode is not None and mode.isChecked():
            return
        person_id, household_id = self.person_id, self.household_id
        self.backend.read(
            lambda db: load_target(db, person_id=person_id, household_id=household_id),
            self.set_target,
        )

    def describe_target(self) -> str:
        institution = (self.target or Target()).institution
        if institution is None:
            return super().describe_target()
        return _("Untuk lembaga: {name}").format(name=institution["name"])

    def context_members(self) -> list[dict]:
        if self.institution_mode.isChecked():
            return list(self.inputs["children"].people)
        return []

    def target_error(self) -> str:
        if self.target is not None and self.target.institution is not None:
            return ""
        return super().target_error()

    def save_kwargs(self, values: dict) -> dict:
        institution = (self.target or Target()).institution
        if institution is None:
            return super().save_kwargs(values)
        return {
            "institution_id": institution["id"],
            "village_code": institution.get("village_code"),
        }
