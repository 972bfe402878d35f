"""Sync conflicts: office and laptop values side by side, chosen per field or written anew."""

from __future__ import annotations

import json

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.format import fmt_datetime
from muba_desk.gui.office import widgets
from muba_desk.gui.office.history_html import plain_value
from muba_desk.i18n import _
from muba_desk.office.conflict_data import (
    Conflict,
    ConflictField,
    open_conflicts,
    resolve_by_fields,
)
from muba_desk.sync.review import KEEP_INCOMING, KEEP_OFFICE, ReviewProblem, resolve_conflict
from muba_desk.sync.three_way import BOTH_SIDES, LAPTOP_SIDE, OFFICE_SIDE

OFFICE, LAPTOP, WRITTEN = 0, 1, 2
# Field, value both started from, office, laptop, who changed it, choice, value kept.
BASE_COLUMN, OFFICE_COLUMN, LAPTOP_COLUMN, CHANGED_COLUMN = 1, 2, 3, 4
CHOICE_COLUMN, VALUE_COLUMN = 5, 6


def shown(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def parsed(text: str, like: object) -> object:
    """A written value in the type of the value it replaces (numbers stay numbers)."""
    text = text.strip()
    if text == "":
        return None
    if isinstance(like, bool) or not isinstance(like, int | float):
        return text
    try:
        return type(like)(text)
    except ValueError:
        return text


class ConflictsPage(QWidget):
    """The open conflicts on the left; the chosen one's differing fields on the right."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.conflicts: list[Conflict] = []
        self.current: Conflict | None = None
        self.choices: list[QComboBox] = []
        self.values: list[QLineEdit] = []
        self.list = widgets.table([_("Data"), _("Jenis data"), _("Laptop"), _("Diterima")])
        self.list.itemSelectionChanged.connect(self._open_selected)
        self.fields = widgets.table(
            [
                _("Isian"),
                _("Semula"),
                _("Kantor"),
                _("Laptop"),
                _("Diubah di"),
                _("Pilihan"),
                _("Nilai yang dipakai"),
            ]
        )
        self.office_button = QPushButton(_("Pakai semua versi kantor"))
        self.office_button.clicked.connect(lambda: self.resolve_whole(KEEP_OFFICE))
        self.laptop_button = QPushButton(_("Pakai semua versi laptop"))
        self.laptop_button.clicked.connect(lambda: self.resolve_whole(KEEP_INCOMING))
        self.save_button = QPushButton(_("Simpan pilihan per kolom"))
        self.save_button.clicked.connect(self.resolve_fields)
        self.result = widgets.hint()
        self.reason = widgets.hint()
        buttons = QHBoxLayout()
        for button in (self.office_button, self.laptop_button, self.save_button):
            buttons.addWidget(button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.reason)
        right_layout.addWidget(self.fields, 1)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.result)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Konflik dari sinkronisasi")))
        layout.addWidget(
            widgets.hint(
                _(
                    "Data yang diubah di kantor dan di laptop pada saat yang sama. Isian yang "
                    "hanya diubah di satu pihak sudah memakai nilai pihak itu; pilih versi yang "
                    "benar untuk isian yang diubah di kedua pihak, atau tulis nilainya. "
                    "Keputusan dikirim ke laptop lewat paket balasan."
                )
            )
        )
        layout.addWidget(splitter, 1)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        for button in (self.office_button, self.laptop_button, self.save_button):
            button.setEnabled(on)

    def reload(self) -> None:
        self.desk.read("conflicts", open_conflicts, self._show)

    def _show(self, conflicts: list[Conflict]) -> None:
        self.conflicts = conflicts
        widgets.fill(
            self.list,
            [[c.label, c.table_label, c.laptop, fmt_datetime(c.created_at)] for c in conflicts],
            [c.id for c in conflicts],
        )
        self.current = None
        self.fields.setRowCount(0)
        self.reason.clear()
        self._enable(False)

    def _open_selected(self) -> None:
        chosen = widgets.selected_ids(self.list)
        self.current = next((c for c in self.conflicts if chosen and c.id == chosen[0]), None)
        if self.current is None:
            return
        self.reason.setText(
            _("Ditahan saat impor: {reason}").format(reason=self.current.reason)
            if self.current.reason
            else ""
        )
        self.choices, self.values = [], []
        self.fields.setRowCount(len(self.current.fields))
        sides = {
            OFFICE_SIDE: _("Kantor"),
            LAPTOP_SIDE: _("Laptop"),
            BOTH_SIDES: _("Keduanya"),
        }
        unknown = _("(tidak diketahui)") if not self.current.base_known else None
        for row, field in enumerate(self.current.fields):
            column = field.column
            texts = (
                field.label,
                unknown or plain_value(column, field.base),
                plain_value(column, field.office),
                plain_value(column, field.laptop),
                sides.get(field.changed_by, "") if field.changed_by else "",
            )
            for col, value in enumerate(texts):
                self.fields.setItem(row, col, QTableWidgetItem(value))
            choice = QComboBox()
            choice.addItems([_("Kantor"), _("Laptop"), _("Tulis sendiri")])
            value = QLineEdit()
            value.setReadOnly(True)
            if field.laptop_by_default:
                choice.setCurrentIndex(LAPTOP)
            self._chose(value, choice.currentIndex(), field)
            choice.currentIndexChanged.connect(
                lambda index, v=value, f=field: self._chose(v, index, f)
            )
            value.textEdited.connect(lambda _t, c=choice: c.setCurrentIndex(WRITTEN))
            self.fields.setCellWidget(row, CHOICE_COLUMN, choice)
            self.fields.setCellWidget(row, VALUE_COLUMN, value)
            self.choices.append(choice)
            self.values.append(value)
        self.fields.resizeColumnsToContents()
        self._enable(True)
        self.result.clear()

    @staticmethod
    def _chose(value: QLineEdit, index: int, field: ConflictField) -> None:
        """A chosen side shows its value as the clerk reads it; "Tulis sendiri" starts from
        the value as stored (what is typed is stored as typed)."""
        if index == OFFICE:
            value.setText(plain_value(field.column, field.office))
        elif index == LAPTOP:
            value.setText(plain_value(field.column, field.laptop))
        elif value.isReadOnly():
            kept = field.laptop if value.text() == plain_value(field.column, field.laptop) else None
            value.setText(shown(kept if kept is not None else field.office))
        value.setReadOnly(index != WRITTEN)

    def chosen_values(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for field, choice, value in zip(
            self.current.fields, self.choices, self.values, strict=True
        ):
            column, ours, theirs = field.column, field.office, field.laptop
            index = choice.currentIndex()
            if index == OFFICE:
                out[column] = ours
            elif index == LAPTOP:
                out[column] = theirs
            else:
                out[column] = parsed(value.text(), ours if ours is not None else theirs)
        return out

    # -- deciding --------------------------------------------------------------------------
    def resolve_whole(self, keep: str) -> None:
        if self.current is None:
            return
        path, cid = self.desk.db_path, self.current.id
        operator = self.desk.operator_id()
        self.desk.read(
            "conflict-resolve",
            lambda _db: resolve_conflict(path, cid, keep, operator_id=operator),
            self._resolved,
            self._failed,
        )

    def resolve_fields(self) -> None:
        if self.current is None:
            return
        cid, values = self.current.id, self.chosen_values()
        self.desk.write(
            lambda reg: resolve_by_fields(reg, cid, values), self._resolved, self._failed
        )

    def _resolved(self, _row) -> None:
        self.reload()
        self.result.setText(
            _("Konflik diselesaikan; keputusan ikut paket balasan berikutnya ke laptop.")
        )
        self.desk.data_changed()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ReviewProblem):
            self.result.setText(str(exc))
        else:
            from muba_desk.gui.main_window import write_error

            self.result.setText(write_error(exc))
