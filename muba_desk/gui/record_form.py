"""What the household and person forms share: drafts, Ctrl+S, Escape with a guard, duplicates."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from muba_desk.core.rules import RuleError
from muba_desk.gui.fields import Field, changed_signal, read_widget, write_widget
from muba_desk.i18n import _
from muba_desk.store.registry import RecordNotFound, StaleEdit


class DuplicateBanner(QFrame):
    """ "Perhaps already registered": the record found and a button to open it instead."""

    open_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setStyleSheet("QFrame { background: #fef3c7; border: 1px solid #d97706; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet("border: none;")
        self.open_button = QPushButton()
        self.open_button.clicked.connect(lambda: self.open_requested.emit(self.record_id))
        layout = QHBoxLayout(self)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_button)
        self.record_id = ""
        self.hide()

    def show_found(self, text: str, record_id: str) -> None:
        self.record_id = record_id
        self.label.setText(text)
        self.open_button.setText(_("&Buka data yang ada"))
        self.show()


class RecordForm(QDialog):
    """A form for one record. Subclasses build `self.inputs`, check them and write the record.

    The form never writes on the UI thread: saving goes through `window.submit_write`.
    """

    kind = ""
    changed = Signal()  # any typed change: the draft keeper saves after a pause

    def __init__(self, window, *, context: dict, draft_id: str | None = None):
        super().__init__(window)
        self.main = window
        self.context = dict(context)
        self.draft_id = draft_id or uuid.uuid4().hex
        self.inputs: dict[str, QWidget] = {}
        self.fields: dict[str, Field] = {}
        self.tried_save = False
        self.saving = False
        self.guard: QMessageBox | None = None
        self._closing = False
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.banner = DuplicateBanner()
        self.banner.open_requested.connect(self.open_existing)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b91c1c; font-weight: bold;")
        self.error.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        body = QWidget()
        body.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(_("Ctrl+S menyimpan, Esc membatalkan.")))
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.build()
        for widget in self.inputs.values():
            changed_signal(widget).connect(self._typed)
        self.save_button.setText(_("&Simpan"))
        self.cancel_button.setText(_("Batal"))
        self._initial = self.typed()
        self.resize(640, 720)

    # -- for subclasses --------------------------------------------------------------------
    def build(self) -> None:
        raise TypeError(f"{type(self).__name__} must define build()")

    def check(self) -> bool:
        """Show a message under every field; True when the record can be saved."""
        raise TypeError(f"{type(self).__name__} must define check()")

    def write(self, reg):
        """Runs on the window's database thread inside a transaction; returns what the core's
        operation wrote (`core.operations.Changes`), the window's change notice."""
        raise TypeError(f"{type(self).__name__} must define write()")

    def heading(self) -> str:
        raise TypeError(f"{type(self).__name__} must define heading()")

    def add_row(self, name: str, label: str, *editors: QWidget) -> Field:
        """A labelled row; the first editor is the one named `name` (also its draft key)."""
        field = Field(*editors)
        caption = QLabel(label)
        none = Qt.FocusPolicy.NoFocus
        if editors[0].focusProxy() is not None and editors[0].focusPolicy() == none:
            # A row of several editors: QLabel sends its mnemonic only to a buddy that takes
            # focus, and the buddy passes it on to its focus proxy.
            editors[0].setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        caption.setBuddy(editors[0])
        self.form.addRow(caption, field)
        self.fields[name] = field
        self.inputs.setdefault(name, editors[0])
        return field

    def say(self, name: str, level: str = "", text: str = "") -> None:
        self.fields[name].message.set(level, text)

    # -- state -----------------------------------------------------------------------------
    @property
    def editing(self) -> bool:
        return bool(self.context.get("record_id"))

    def typed(self) -> dict[str, Any]:
        return {name: read_widget(widget) for name, widget in self.inputs.items()}

    def restore(self, typed: dict[str, Any]) -> None:
        for name, value in typed.items():
            if name in self.inputs:
                write_widget(self.inputs[name], value)
        self.check()

    def draft_state(self) -> dict:
        return {"kind": self.kind, "context": self.context, "fields": self.typed()}

    @property
    def dirty(self) -> bool:
        return self.typed() != self._initial

    def _typed(self, *_args) -> None:
        self.check()
        self.changed.emit()

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        if self.saving:
            return
        self.tried_save = True
        if not self.check():
            self.error.setText(_("Periksa isian yang ditandai merah."))
            self.error.show()
            self._focus_first_error()
            return
        self.error.hide()
        self.saving = True
        self.save_button.setEnabled(False)
        self.save_button.setText(_("Menyimpan…"))
        self.main.submit_write(self.write, on_done=self._saved, on_error=self._save_failed)

    def _saved(self, changes) -> None:
        """`changes`: what `write` returned (`core.operations.Changes`)."""
        record_id = changes.id
        self.saving = False
        self._initial = self.typed()
        self.main.drafts.forget(self)
        self._close_now(QDialog.DialogCode.Accepted)
        self.main.record_saved(self.kind, record_id, created=not self.editing)

    def _save_failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.save_button.setText(_("&Simpan"))
        if isinstance(exc, (StaleEdit, RecordNotFound, RuleError)):
            text = str(exc)
        else:
            from muba_desk.gui.jobs import describe_error

            text = describe_error(exc)
        self.error.setText(_("Belum tersimpan: {reason}").format(reason=text))
        self.error.show()

    def _focus_first_error(self) -> None:
        for name, field in self.fields.items():
            if field.message.level == "error":
                self.inputs[name].setFocus(Qt.FocusReason.OtherFocusReason)
                return

    # -- leaving ---------------------------------------------------------------------------
    def open_existing(self, record_id: str) -> None:
        """Use the record already registered instead of typing a new one."""
        self.main.drafts.forget(self)
        self._close_now()
        self.main.show_existing(self.kind, record_id)

    def reject(self) -> None:
        """Escape or Batal: ask first when something was typed."""
        if self.saving:
            return
        if not self.dirty:
            self.discard()
            return
        self.guard = QMessageBox(
            QMessageBox.Icon.Question,
            _("Buang isian?"),
            _("Isian di formulir ini belum disimpan. Buang isian ini?"),
            parent=self,
        )
        discard = self.guard_discard = self.guard.addButton(
            _("&Buang"), QMessageBox.ButtonRole.DestructiveRole
        )
        self.guard.addButton(_("&Lanjutkan mengisi"), QMessageBox.ButtonRole.RejectRole)
        self.guard.finished.connect(
            lambda _r: self.discard() if self.guard.clickedButton() is discard else None
        )
        self.guard.open()

    def discard(self) -> None:
        self.main.drafts.forget(self)
        self._close_now()

    def _close_now(self, code: QDialog.DialogCode = QDialog.DialogCode.Rejected) -> None:
        self._closing = True
        self.main.form_closed(self)
        self.done(code)
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            super().closeEvent(event)
            return
        event.ignore()
        self.reject()
