"""Field widgets for the forms: a message under each field, dates typed as dd/mm/yyyy, choices."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from muba_desk.domain.programs.base import Choice
from muba_desk.i18n import _, language

_COLOURS = {"error": "#b91c1c", "warning": "#b45309", "hint": "#4b5563"}


class Message(QLabel):
    """The line under a field: an error (red), a warning (amber) or a hint (grey)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.level = ""
        self.hide()

    def set(self, level: str = "", text: str = "") -> None:
        self.level = level if text else ""
        self.setText(text)
        self.setStyleSheet(f"color: {_COLOURS.get(level, '#4b5563')};")
        self.setVisible(bool(text))


class Field(QWidget):
    """An editor with its message underneath, as one row of a form."""

    def __init__(self, *editors: QWidget, parent=None):
        super().__init__(parent)
        self.message = Message()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for editor in editors:
            layout.addWidget(editor)
        layout.addWidget(self.message)


def parse_date(text: str) -> date | None:
    """dd/mm/yyyy (also with - or .) to a date; None when empty; ValueError in Indonesian."""
    text = text.strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match is None:
        raise ValueError(_("Tanggal tidak dikenali: ketik hh/bb/tttt, mis. 05/06/1978."))
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_("Tanggal {text} tidak ada di kalender.").format(text=text)) from None


def format_date(value: date | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return value.strftime("%d/%m/%Y")


class DateEdit(QLineEdit):
    """A date typed as dd/mm/yyyy: quicker than a calendar and it can stay empty."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setPlaceholderText(_("hh/bb/tttt"))
        self.setMaxLength(10)

    def value(self) -> date | None:
        return parse_date(self.text())

    def set_value(self, value: date | str | None) -> None:
        self.setText(format_date(value))


def _words(label: str) -> list[str]:
    """Where typing may start matching a label: its start and the start of each word."""
    label = label.casefold()
    return [label, *(label[m.start() :] for m in re.finditer(r"(?<!\w)\w", label))]


def matches(label: str, typed: str) -> bool:
    """True when `typed` starts the label or any of its words ("i" finds "Suami / istri")."""
    typed = typed.casefold()
    return any(part.startswith(typed) for part in _words(label))


class WordCombo(QComboBox):
    """A drop-down that jumps to the entry whose label, or any word of it, starts with what is
    typed: "i" reaches "Suami / istri", "ara" reaches "Kayu Ara". Letters typed quickly one after
    the other build one search, as in Qt's own combo; the same letter again walks on to the next
    entry it starts."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._typed = ""
        self._last_key = 0.0

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        now = time.monotonic()
        going_on = now - self._last_key < QApplication.keyboardInputInterval() / 1000
        typing = plain and text.isprintable() and not self.isEditable()  # editable: its line
        if not typing or not text or (text == " " and not going_on):
            self._typed, self._last_key = "", 0.0  # another key ends the search
            super().keyPressEvent(event)  # a space alone opens the list, as before
            return
        self._last_key = now
        self._typed = self._typed + text if going_on else text
        if len(self._typed) > 1 and len(set(self._typed)) == 1:
            self._typed = text  # "aa": the next entry starting with a, not "aa"
        self.search(self._typed)
        event.accept()

    def search(self, typed: str) -> bool:
        """Choose the first entry matching `typed`, after the current one for a single letter."""
        count, here = self.count(), max(self.currentIndex(), 0)
        start = here + 1 if len(typed) == 1 else here
        for step in range(count):
            index = (start + step) % count
            if self.itemData(index) is not None and matches(self.itemText(index), typed):
                self.setCurrentIndex(index)
                return True
        return False


class ChoiceBox(WordCombo):
    """One of a list of (value, label); the empty first entry means "not chosen yet"."""

    def __init__(self, items: Iterable[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.addItem(_("— pilih —"), None)
        for value, label in items:
            self.addItem(label, value)

    def value(self) -> str | None:
        return self.currentData()

    def set_value(self, value: str | None) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))

    def set_items(self, items: Iterable[tuple[str, str]]) -> None:
        """Replace the entries, keeping the chosen value when it is still offered."""
        kept = self.value()
        self.blockSignals(True)
        while self.count() > 1:
            self.removeItem(1)
        for value, label in items:
            self.addItem(label, value)
        self.blockSignals(False)
        self.set_value(kept)
        self.currentIndexChanged.emit(self.currentIndex())


def choice_items(choices: Iterable[Choice]) -> list[tuple[str, str]]:
    return [(c.value, c.label(language())) for c in choices]


class MultiCheck(QWidget):
    """Several check boxes in two columns; the value is the list of checked values."""

    changed = Signal()

    def __init__(self, items: Iterable[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (value, label) in enumerate(items):
            box = QCheckBox(label)
            box.toggled.connect(lambda _on: self.changed.emit())
            self.boxes[value] = box
            grid.addWidget(box, i // 2, i % 2)
        if self.boxes:  # a label's mnemonic brings the first box into focus, unticked
            self.setFocusProxy(next(iter(self.boxes.values())))
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def value(self) -> list[str]:
        return [value for value, box in self.boxes.items() if box.isChecked()]

    def set_value(self, values: Iterable[str] | None) -> None:
        wanted = set(values or ())
        for value, box in self.boxes.items():
            box.setChecked(value in wanted)


# -- the typed state of a form, for drafts ---------------------------------------------------
def read_widget(widget: QWidget):
    """What the user typed or chose, as JSON: text for line edits (even when not yet valid)."""
    if isinstance(widget, (ChoiceBox, MultiCheck)):
        return widget.value()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QLineEdit):
        return widget.text()
    raise TypeError(f"no draft value for {type(widget).__name__}")


def write_widget(widget: QWidget, value) -> None:
    if isinstance(widget, (ChoiceBox, MultiCheck)):
        widget.set_value(value)
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QLineEdit):
        widget.setText(value or "")
    else:
        raise TypeError(f"no draft value for {type(widget).__name__}")


def changed_signal(widget: QWidget):
    if isinstance(widget, MultiCheck):
        return widget.changed
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    return widget.textChanged
