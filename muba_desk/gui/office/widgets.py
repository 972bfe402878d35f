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


def _file_dialog(parent: QWidget, title: str, accept: str) -> QFileDialog:
    """A file dialog with its buttons and labels in our words: Qt's own dialog reads English
    unless a Qt catalogue is loaded (a native one follows the system's language anyway)."""
    dialog = QFileDialog(parent, title)
    labels = {
        QFileDialog.DialogLabel.LookIn: _("Lihat di:"),
        QFileDialog.DialogLabel.FileName: _("Nama berkas:"),
        QFileDialog.DialogLabel.FileType: _("Jenis berkas:"),
        QFileDialog.DialogLabel.Accept: accept,
        QFileDialog.DialogLabel.Reject: _("Batal"),
    }
    for label, text in labels.items():
        dialog.setLabelText(label, text)
    return dialog


def _chosen(dialog: QFileDialog) -> list[Path]:
    return [Path(f) for f in dialog.selectedFiles()] if dialog.exec() else []


def pick_folder(parent: QWidget, title: str) -> Path | None:
    """A folder (often a flashdisk); tests replace this function."""
    dialog = _file_dialog(parent, title, _("Pilih folder"))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _chosen(dialog)
    return chosen[0] if chosen else None


def pick_files(parent: QWidget, title: str, pattern: str) -> list[Path]:
    """Files to open; tests replace this function."""
    dialog = _file_dialog(parent, title, _("Buka"))
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    dialog.setNameFilter(pattern)
    return _chosen(dialog)


def pick_save(parent: QWidget, title: str, suggested: str, pattern: str) -> Path | None:
    """Where to save a file; tests replace this function."""
    dialog = _file_dialog(parent, title, _("Simpan"))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setNameFilter(pattern)
    dialog.selectFile(suggested)
    chosen = _chosen(dialog)
    return chosen[0] if chosen else None


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
