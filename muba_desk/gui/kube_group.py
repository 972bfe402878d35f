"""KUBE / UEP: a group built from people already in the registry, each with a role."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk import i18n
from muba_desk.domain.programs import Field
from muba_desk.gui.enrolment_form import EnrolmentForm
from muba_desk.gui.field_widgets import FieldInput, PersonSearch
from muba_desk.i18n import _, _n

# Picked in this order, people get these roles first: a group is usually typed chair first.
FIRST_ROLES = ("ketua", "bendahara", "sekretaris")


class MembersEditor(FieldInput):
    """Search people, add them with a role, change roles or remove them; 5-20 in a group."""

    def __init__(self, f: Field, backend, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = f
        self.people: list[dict] = []
        self.search = PersonSearch(backend, placeholder=_("Cari anggota: nama atau NIK…"))
        self.search.picked.connect(self.add_person)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Nama"), _("NIK"), _("Peran")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 150)
        self.table.setMinimumHeight(160)
        self.remove_button = QPushButton(_("Hapus anggota terpilih"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        self.count_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.setFocusProxy(self.search)
        self._show_count()

    def add_person(self, person: dict) -> None:
        if any(p["id"] == person["id"] for p in self.people):
            self.count_label.setText(_("{name} sudah ada di kelompok.").format(name=person["name"]))
            return
        taken = {self.role_of(i) for i in range(len(self.people))}
        role = next((r for r in FIRST_ROLES if r not in taken), "anggota")
        self.people.append(person)
        i = self.table.rowCount()
        self.table.insertRow(i)
        self.table.setItem(i, 0, QTableWidgetItem(person["name"]))
        self.table.setItem(i, 1, QTableWidgetItem(person.get("nik") or ""))
        combo = QComboBox()
        for choice in self.field.choices:
            combo.addItem(choice.label(i18n.language()), choice.value)
        combo.setCurrentIndex(combo.findData(role))
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.table.setCellWidget(i, 2, combo)
        self._show_count()
        self.changed.emit()

    def role_of(self, row: int) -> str:
        return self.table.cellWidget(row, 2).currentData()

    def set_role(self, row: int, role: str) -> None:
        combo = self.table.cellWidget(row, 2)
        combo.setCurrentIndex(combo.findData(role))

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
            del self.people[row]
        if rows:
            self._show_count()
            self.changed.emit()

    def _show_count(self) -> None:
        self.count_label.setText(
            _n("{count} anggota", len(self.people)).format(count=len(self.people))
        )

    def raw(self) -> object:
        return [{"person_id": p["id"], "role": self.role_of(i)} for i, p in enumerate(self.people)]

    def set_raw(self, value: object) -> None:
        del value  # members come from the registry through the search, never from text

    def focus_widget(self) -> QWidget:
        return self.search.edit


class KubeForm(EnrolmentForm):
    """The generic form for KUBE_UEP: the group is made from the members when it is saved."""

    @property
    def members_editor(self) -> MembersEditor:
        return self.inputs["members"]  # type: ignore[return-value]

    def describe_target(self) -> str:
        return _("Kelompok baru. Anggota dicari dari registri; satu orang per rumah tangga.")

    def context_members(self) -> list[dict]:
        return list(self.members_editor.people)

    def target_error(self) -> str:
        return "" if self.target is not None else _("Data belum selesai dimuat.")

    def save_kwargs(self, values: dict) -> dict:
        people = self.members_editor.people
        group = {
            "name": values.get("group_name") or _("Kelompok tanpa nama"),
            "members": [(m["person_id"], m["role"]) for m in values.get("members", [])],
            "business_type": values.get("business_type"),
            "bank_name": values.get("bank"),
            "bank_account": values.get("account_number"),
        }
        village = next((p.get("village_code") for p in people if p.get("village_code")), None)
        return {"group": group, "village_code": village}
