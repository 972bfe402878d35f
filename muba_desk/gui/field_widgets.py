"""One input widget per program field kind, each giving `raw()` for the domain's `parse_value`."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk import i18n
from muba_desk.domain.programs import Field
from muba_desk.gui.fields import WordCombo
from muba_desk.i18n import _
from muba_desk.store.enrolment_reads import find_people


class FieldInput(QWidget):
    """Base of every field input: `changed` fires on each edit; `raw()` is what was entered."""

    changed = Signal()

    def raw(self) -> object:
        raise TypeError(f"{type(self).__name__} must define raw()")

    def set_raw(self, value: object) -> None:
        raise TypeError(f"{type(self).__name__} must define set_raw()")

    def focus_widget(self) -> QWidget:
        return self


def _group(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def show_value(f: Field, value: object) -> str:
    """A stored value as the user would type it (1.500.000, 12,5, 17/08/2025)."""
    if value is None:
        return ""
    if f.kind == "money" and isinstance(value, int):
        return _group(value)
    if f.kind == "decimal" and isinstance(value, float):
        # Six decimals keep a GPS point to about 10 cm; trailing zeros are noise.
        return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")
    if f.kind == "date" and isinstance(value, str):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return str(value)


class LineInput(FieldInput):
    """Text, whole numbers, money, decimals and dates: typed as people write them on paper."""

    def __init__(self, f: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = f
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self._placeholder())
        if f.max_length:
            self.edit.setMaxLength(f.max_length)
        self.edit.textEdited.connect(lambda _t: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if f.kind == "money":
            layout.addWidget(_prefix("Rp"))
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    def _placeholder(self) -> str:
        return {
            "money": _("contoh: 1.500.000"),
            "decimal": _("contoh: 12,5"),
            "int": _("bilangan bulat"),
            "date": _("HH/BB/TTTT"),
        }.get(self.field.kind, "")

    def raw(self) -> object:
        return self.edit.text()

    def set_raw(self, value: object) -> None:
        self.edit.setText(show_value(self.field, value))
        self.changed.emit()

    def focus_widget(self) -> QWidget:
        return self.edit


def _prefix(text: str) -> QWidget:
    from PySide6.QtWidgets import QLabel

    label = QLabel(text)
    label.setObjectName("prefix")
    return label


class ChoiceInput(FieldInput):
    """A drop-down whose first row means "not chosen yet"; typing the start of any word of an
    entry jumps to it."""

    def __init__(self, f: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = f
        self.combo = WordCombo()
        self.combo.addItem(_("— pilih —"), None)
        for choice in f.choices:
            self.combo.addItem(choice.label(i18n.language()), choice.value)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)

    def raw(self) -> object:
        return self.combo.currentData()

    def set_raw(self, value: object) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widget(self) -> QWidget:
        return self.combo


class BoolInput(ChoiceInput):
    """Ya / Tidak, with "not answered" kept apart: a rule may need to know it was asked."""

    def __init__(self, f: Field, parent: QWidget | None = None):
        FieldInput.__init__(self, parent)
        self.field = f
        self.combo = WordCombo()
        self.combo.addItem(_("— pilih —"), None)
        self.combo.addItem(_("Ya"), True)
        self.combo.addItem(_("Tidak"), False)
        self.combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)


class MultiChoiceInput(FieldInput):
    """A tick box per choice, two columns, in the definition's order (Tab walks them)."""

    def __init__(self, f: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = f
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, choice in enumerate(f.choices):
            box = QCheckBox(choice.label(i18n.language()))
            box.toggled.connect(lambda _on: self.changed.emit())
            self.boxes[choice.value] = box
            grid.addWidget(box, i // 2, i % 2)
        self.setFocusProxy(next(iter(self.boxes.values())))

    def raw(self) -> object:
        return [value for value, box in self.boxes.items() if box.isChecked()]

    def set_raw(self, value: object) -> None:
        chosen = set(value or ())
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))


class PersonSearch(QWidget):
    """Search as you type over the registry; Enter or a double click picks the person."""

    picked = Signal(dict)
    DELAY_MS = 150

    def __init__(self, backend, parent: QWidget | None = None, *, placeholder: str = ""):
        super().__init__(parent)
        self.backend = backend
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder or _("Cari nama atau NIK…"))
        self.edit.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMaximumHeight(140)
        self._timer = QTimer(self, singleShot=True, interval=self.DELAY_MS)
        self._timer.timeout.connect(self.run)
        self.edit.textChanged.connect(lambda _t: self._timer.start())
        self.edit.returnPressed.connect(self._pick_first)
        self.results.itemActivated.connect(self._pick)
        self.pending = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.results)
        self.results.hide()
        self.setFocusProxy(self.edit)

    def run(self) -> None:
        text = self.edit.text().strip()
        if not text:
            self.results.clear()
            return
        self.pending = True
        self.backend.read(lambda db: find_people(db, text), self._show)

    def _show(self, rows: list[dict]) -> None:
        self.pending = False
        self.results.clear()
        self.results.setVisible(bool(rows))
        for row in rows:
            born = show_value(Field("d", "date", "", ""), row.get("birth_date"))
            text = " · ".join(x for x in (row["name"], row.get("nik") or "", born) if x)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row)
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)

    def _pick_first(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.run()
        item = self.results.currentItem()
        if item is not None:
            self._pick(item)

    def _pick(self, item: QListWidgetItem) -> None:
        self.picked.emit(item.data(Qt.ItemDataRole.UserRole))
        self.edit.clear()
        self.results.clear()
        self.results.hide()


def make_input(f: Field, backend) -> FieldInput:
    """The input for a field of any kind; lists of people get their own editors."""
    if f.kind == "choice":
        return ChoiceInput(f)
    if f.kind == "bool":
        return BoolInput(f)
    if f.kind == "multichoice":
        return MultiChoiceInput(f)
    if f.kind == "members":
        from muba_desk.gui.kube_group import MembersEditor

        return MembersEditor(f, backend)
    if f.kind == "children":
        from muba_desk.gui.bakul_nasi import ChildrenEditor

        return ChildrenEditor(f, backend)
    return LineInput(f)
