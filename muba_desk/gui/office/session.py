"""The office's unlocked keys for one session: asked once, kept until the registry changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.jobs import BackgroundJob, show_error
from muba_desk.i18n import _
from muba_desk.store.db import connect
from muba_desk.sync.keys import KeyProblem, OfficeKeys
from muba_desk.sync.keys import unlock_office as _unlock


def unlock(db_path: Path, passphrase: str) -> OfficeKeys:
    """The office keys from the passphrase (scrypt: run it on a worker)."""
    db = connect(db_path)
    try:
        return _unlock(db, passphrase)
    finally:
        db.close()


class PassphraseDialog(QDialog):
    """Asks the office passphrase; `entered(str)` is emitted on OK."""

    def __init__(self, parent: QWidget | None = None, message: str = ""):
        super().__init__(parent)
        self.setWindowTitle(_("Kata sandi kantor"))
        self.label = QLabel(
            message or _("Masukkan kata sandi kantor untuk membuka kunci identitas kantor.")
        )
        self.label.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.label, self.passphrase, self.error, self.buttons):
            layout.addWidget(widget)


class OfficeSession:
    """Holds the unlocked keys; `with_keys(then)` asks for the passphrase when needed."""

    def __init__(self, window):
        self.window = window
        self.keys: OfficeKeys | None = None
        self.dialog: PassphraseDialog | None = None
        self.job: BackgroundJob | None = None

    def forget(self) -> None:
        self.keys = None

    def with_keys(self, then: Callable[[OfficeKeys], None], parent: QWidget) -> None:
        if self.keys is not None:
            then(self.keys)
            return
        self.dialog = PassphraseDialog(parent)
        self.dialog.accepted.connect(lambda: self._unlock(then, parent))
        self.dialog.open()

    def _unlock(self, then: Callable[[OfficeKeys], None], parent: QWidget) -> None:
        passphrase = self.dialog.passphrase.text()
        path = Path(self.window.db_path)

        def done(keys: OfficeKeys) -> None:
            self.keys = keys
            then(keys)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, KeyProblem):
                show_error(parent, exc)
                return
            self.dialog = PassphraseDialog(parent, str(exc))
            self.dialog.accepted.connect(lambda: self._unlock(then, parent))
            self.dialog.open()

        self.job = BackgroundJob(
            lambda _progress: unlock(path, passphrase), parent=parent, success=done, failure=failed
        ).with_progress(_("Membuka kunci kantor…"))
        self.job.start()
