"""The sign-in panel: shown before the registry and over it when the window locks."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.jobs import BackgroundJob
from muba_desk.i18n import _
from muba_desk.store import keys, operators
from muba_desk.store.db import connect
from muba_desk.store.operators import Operator, SignInRefused


def sign_in(
    db_path: Path,
    username: str,
    password: str,
    now: float,
    action: str | None,
    after: Callable[[str, str], None] | None = None,
) -> Operator | SignInRefused:
    """On a worker: check the password and write the audit event. A refusal is returned, not
    raised: it is an answer for the user, not a failure to log.

    An encrypted registry is unlocked first, with the same name and password (the key file
    wraps the database key for each operator). Converting a plain registry
    (`convert_after_sign_in`) needs every other connection to it closed, so the window calls
    it, not this worker."""
    refused = unlock_key(db_path, username, password, now)
    if refused is not None:
        return refused
    db = connect(db_path)
    try:
        if keys.is_encrypted(db_path):
            # A demo made by the generator (CLI or window) before its first sign-in.
            operators.ensure_demo_password(db)
        operator = operators.authenticate(db, username, password, now=now)
        if action is not None:  # None: the caller audits it (the window, given the operator)
            operators.record_event(db, operator, action)
    except SignInRefused as refused:
        return refused
    finally:
        db.close()
    if after is not None:
        after(operator.username, password)
    return operator


# Failed unlocks of a key file, by (file, name): the database's own throttle table cannot be
# read before the key is unwrapped, so the same doubling wait is kept in memory here.
_unlock_failures: dict[tuple[str, str], tuple[int, float]] = {}


def unlock_key(db_path: Path, username: str, password: str, now: float) -> SignInRefused | None:
    if not keys.is_encrypted(db_path) or keys.key_for(db_path) is not None:
        return None
    name = operators.normalise_username(username)
    slot = (str(db_path), name)
    failures, blocked_until = _unlock_failures.get(slot, (0, 0.0))
    if now < blocked_until:
        return SignInRefused(operators._wait_message(blocked_until - now), blocked_until)
    try:
        keys.unlock(db_path, name, password)
    except keys.KeyProblem as exc:
        failures += 1
        retry_at = now + operators.wait_after(failures)
        _unlock_failures[slot] = (failures, retry_at)
        message = str(exc) if not isinstance(exc, keys.WrongSecret) else None
        if message is None and name not in _names_in_key_file(db_path):
            # The key file lists names in the clear anyway: say what to do, not "wrong".
            message = NO_KEY_SLOT
        return SignInRefused(message or "Nama pengguna atau kata sandi salah.", retry_at)
    _unlock_failures.pop(slot, None)
    return None


NO_KEY_SLOT = (
    "Akun ini belum dapat membuka registri terenkripsi ini. Minta penyelia menyetel ulang kata "
    "sandi Anda (Berkas → Petugas…; di kantor juga dengan perintah muba-desk operator reset), "
    "lalu masuk dengan kata sandi itu."
)


def _names_in_key_file(db_path) -> list[str]:
    try:
        return keys.usernames(db_path)
    except keys.KeyProblem:
        return []


def convert_after_sign_in(db_path: Path, username: str, password: str) -> None:
    """With the switch on, a plain registry gets a key wrapped for this operator and is
    converted (a plain backup is kept until the encrypted file has been verified). Every other
    connection to `db_path` must be closed: the file is replaced.

    Only the signer can unwrap the key afterwards (the others' passwords are not known here):
    the caller (app.sign_in_first) tells the user that a supervisor sets the others' passwords
    again, which wraps the key for them (store.operators.set_password)."""
    if not keys.encryption_enabled() or keys.is_encrypted(db_path):
        return
    from muba_desk.store.db import encrypt_plain_database

    key = keys.create_key_file(db_path, operators={username: password})
    try:
        encrypt_plain_database(db_path, key)
    except BaseException:
        keys.forget(db_path)
        keys.key_file_of(db_path).unlink(missing_ok=True)
        raise


class SignInPanel(QWidget):
    """User name and password; `signed_in(operator)` when they are right.

    `clock` gives seconds (wall time, since the wait is kept in the file); tests pass their own
    and call `update_countdown()` instead of waiting.
    """

    signed_in = Signal(object)

    def __init__(self, parent=None, *, clock: Callable[[], float] = time.time):
        super().__init__(parent)
        self.clock = clock
        # Before the window opens (app.py): the window audits the sign-in, and `after` runs
        # on the worker with the name and password (to convert a plain registry).
        self.record_event = True
        self.after: Callable[[str, str], None] | None = None
        self.db_path: Path | None = None
        self.locked_operator: Operator | None = None
        self.retry_at = 0.0
        self.job: BackgroundJob | None = None
        self.countdown = QTimer(self, interval=1000)
        self.countdown.timeout.connect(self.update_countdown)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self.submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.button = QPushButton()
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c;")
        self.demo_hint = QLabel()
        self.demo_hint.setWordWrap(True)
        self.demo_hint.setStyleSheet("background: #fef3c7; padding: 6px;")
        self.username_label, self.password_label = QLabel(), QLabel()
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)
        form = QFormLayout()
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.button)
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setMaximumWidth(440)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addLayout(row)
        inner.addWidget(self.demo_hint)
        outer = QVBoxLayout(self)
        outer.addStretch()
        centred = QHBoxLayout()
        centred.addStretch()
        centred.addWidget(box)
        centred.addStretch()
        outer.addLayout(centred)
        outer.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.username_label.setText(_("&Nama pengguna"))
        self.password_label.setText(_("&Kata sandi"))
        if self.locked_operator is None:
            self.title.setText(_("Masuk"))
            self.intro.setText(_("Masuk dengan akun petugas Anda untuk membuka registri."))
        else:
            self.title.setText(_("Layar terkunci"))
            self.intro.setText(
                _(
                    "Layar dikunci setelah lama tidak dipakai. Isian yang terbuka tetap ada: "
                    "masukkan kata sandi {name} untuk melanjutkan."
                ).format(name=self.locked_operator.full_name)
            )
        self.demo_hint.setText(
            _("Data contoh: masuk dengan nama pengguna “demo” dan kata sandi “demo”.")
        )
        self.update_countdown()

    def prepare(self, db_path: Path, *, demo: bool, locked: Operator | None = None) -> None:
        """Show the panel for the registry at `db_path`; `locked` is the operator to unlock."""
        self.db_path = Path(db_path)
        self.locked_operator = locked
        self.password.clear()
        self.message.clear()
        self.username.setReadOnly(locked is not None)
        if locked is not None:
            self.username.setText(locked.username)
        elif demo and not self.username.text():
            self.username.setText(operators.DEMO_USERNAME)
        self.demo_hint.setVisible(demo)
        self.retranslate()
        (self.password if self.username.text() else self.username).setFocus()

    # -- signing in ------------------------------------------------------------------------
    def submit(self) -> None:
        if self.job is not None or self.clock() < self.retry_at or self.db_path is None:
            return
        username, password = self.username.text(), self.password.text()
        if not username.strip() or not password:
            self.message.setText(_("Isi nama pengguna dan kata sandi."))
            return
        action = "unlock" if self.locked_operator else "sign_in"
        if not self.record_event:
            action = None
        path, now, after = self.db_path, self.clock(), self.after
        self.button.setEnabled(False)
        self.message.setText(_("Memeriksa…"))
        self.job = BackgroundJob(
            lambda _progress: sign_in(path, username, password, now, action, after),
            parent=self,
            success=self._accepted,
            failure=self._refused,
        ).start()

    def _accepted(self, operator: Operator | SignInRefused) -> None:
        if isinstance(operator, SignInRefused):
            self._refused(operator)
            return
        self.job = None
        self.password.clear()
        self.message.clear()
        self.button.setEnabled(True)
        if self.locked_operator is not None and operator.id != self.locked_operator.id:
            return  # the name is read-only while locked; never unlock for someone else
        self.signed_in.emit(operator)

    def _refused(self, exc: BaseException) -> None:
        self.job = None
        self.password.clear()
        self.password.setFocus()
        if isinstance(exc, SignInRefused):
            self.message.setText(str(exc))
            self.retry_at = exc.retry_at
        else:
            from muba_desk.gui.jobs import describe_error

            self.message.setText(describe_error(exc))
        self.update_countdown()

    def seconds_left(self) -> int:
        return max(0, math.ceil(self.retry_at - self.clock()))

    def update_countdown(self) -> None:
        """The button waits out the back-off, counting down on itself."""
        left = self.seconds_left()
        if left > 0:
            self.button.setEnabled(False)
            self.button.setText(_("Tunggu {seconds} detik").format(seconds=left))
            if not self.countdown.isActive():
                self.countdown.start()
            return
        self.countdown.stop()
        self.button.setEnabled(self.job is None)
        self.button.setText(_("B&uka kunci") if self.locked_operator else _("&Masuk"))

    def keyPressEvent(self, event) -> None:
        # Escape must not reach the window behind: a locked screen stays locked.
        if event.key() != Qt.Key.Key_Escape:
            super().keyPressEvent(event)
