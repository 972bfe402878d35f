"""The office's unlocked keys: the office passphrase is asked once per sign-in.

The keys are kept for the operator who was signed in when they were unlocked; a new sign-in
(another operator, the same one after a lock, or after signing out) asks again. An office just
made in the window ("Ini kantor") hands over the keys it unlocked with the passphrase typed
there (`remember_unlocked`), so its first import does not ask for it a second time.
"""

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

# Keys unlocked by the set-up of a new office, by its file, until its window first needs them.
_just_made: dict[str, OfficeKeys] = {}


def remember_unlocked(db_path: Path, keys: OfficeKeys | None) -> None:
    if keys is not None:
        _just_made[str(Path(db_path).resolve())] = keys


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
        # Our own words: Qt's standard buttons read "OK" and "Cancel" without its catalogue.
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Buka kunci"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
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
        self.owner = None  # the sign-in (the window's Operator object) the keys belong to
        self.dialog: PassphraseDialog | None = None
        self.job: BackgroundJob | None = None

    def forget(self) -> None:
        self.keys = self.owner = None

    def _current_keys(self) -> OfficeKeys | None:
        if self.keys is not None and self.owner is not self.window.operator:
            self.forget()  # signed in again since: the passphrase is asked again
        if self.keys is None and self.window.db_path is not None:
            just_made = _just_made.pop(str(Path(self.window.db_path).resolve()), None)
            if just_made is not None:
                self.keys, self.owner = just_made, self.window.operator
        return self.keys

    def with_keys(self, then: Callable[[OfficeKeys], None], parent: QWidget) -> None:
        if (keys := self._current_keys()) is not None:
            then(keys)
            return
        self.dialog = PassphraseDialog(parent)
        self.dialog.accepted.connect(lambda: self._unlock(then, parent))
        self.dialog.open()

    def _unlock(self, then: Callable[[OfficeKeys], None], parent: QWidget) -> None:
        passphrase = self.dialog.passphrase.text()
        path = Path(self.window.db_path)

        def done(keys: OfficeKeys) -> None:
            self.keys, self.owner = keys, self.window.operator
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
