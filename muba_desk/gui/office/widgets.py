"""Small pieces every office page uses: file choosers, confirmations, read-only tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from muba_desk.i18n import _

ID_ROLE = Qt.ItemDataRole.UserRole


def pick_folder(parent: QWidget, title: str) -> Path | None:
    """A folder (often a flashdisk); tests replace this function."""
    chosen = QFileDialog.getExistingDirectory(parent, title)
    return Path(chosen) if chosen else None


def pick_files(parent: QWidget, title: str, pattern: str) -> list[Path]:
    """Files to open; tests replace this function."""
    chosen, _filter = QFileDialog.getOpenFileNames(parent, title, "", pattern)
    return [Path(c) for c in chosen]


def pick_save(parent: QWidget, title: str, suggested: str, pattern: str) -> Path | None:
    """Where to save a file; tests replace this function."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, suggested, pattern)
    return Path(chosen) if chosen else None


def confirm(parent: QWidget, title: str, text: str, then: Callable[[], None]) -> QMessageBox:
    """Ask Yes/No without blocking; `then()` runs on Yes. The box is kept as `confirm_box`."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes = box.addButton(_("Ya, lanjutkan"), QMessageBox.ButtonRole.YesRole)
    box.addButton(_("Batal"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(yes)
    box.buttonClicked.connect(lambda button: then() if button is yes else None)
    parent.confirm_box = box
    box.open()
    return box


def table(headers: Sequence[str]) -> QTableWidget:
    """A read-only table with whole-row selection."""
    view = QTableWidget(0, len(headers))
    view.setHorizontalHeaderLabels(list(headers))
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def fill(view: QTableWidget, rows: Sequence[Sequence[object]], ids: Sequence[object]) -> None:
    """Replace the rows; each row's first cell carries its id (ID_ROLE)."""
    view.setRowCount(0)
    view.setRowCount(len(rows))
    for r, (row, row_id) in enumerate(zip(rows, ids, strict=True)):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if isinstance(value, int | float):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if c == 0:
                item.setData(ID_ROLE, row_id)
            view.setItem(r, c, item)
    view.resizeColumnsToContents()


def selected_ids(view: QTableWidget) -> list:
    rows = sorted({index.row() for index in view.selectionModel().selectedRows()})
    return [view.item(r, 0).data(ID_ROLE) for r in rows]


def hint(text: str = "") -> QLabel:
    """A grey, wrapping explanation line."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #4b5563;")
    return label


def title(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    label.setStyleSheet("font-size: 15px; font-weight: bold;")
    return label
