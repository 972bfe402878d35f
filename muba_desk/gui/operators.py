"""Operators in the window: the first supervisor at set-up, and Berkas → Petugas… to add more."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.fields import ChoiceBox
from muba_desk.gui.jobs import BackgroundJob
from muba_desk.i18n import _
from muba_desk.store import keys, operators
from muba_desk.store.db import connect


def strength_text(password: str) -> str:
    if not password:
        return _("Paling sedikit 8 karakter; lebih panjang lebih aman.")
    return (
        _("Terlalu pendek: paling sedikit 8 karakter."),
        _("Lemah: tambahkan angka atau tanda baca."),
        _("Cukup. Lebih aman jika 12 karakter atau lebih."),
        _("Kuat."),
    )[operators.password_strength(password)]


class OperatorFields(QWidget):
    """User name, full name, role (optional), password twice with a strength hint."""

    def __init__(self, *, with_role: bool, parent=None):
        super().__init__(parent)
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.full_name = QLineEdit()
        self.role = ChoiceBox(
            [("operator", _("Petugas (operator)")), ("supervisor", _("Penyelia (supervisor)"))]
        )
        self.role.set_value("operator")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = QLabel(strength_text(""))
        self.strength.setStyleSheet("color: #4b5563;")
        self.password.textChanged.connect(lambda text: self.strength.setText(strength_text(text)))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b91c1c;")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("&Nama pengguna"), self.username)
        form.addRow(_("Nama &lengkap"), self.full_name)
        if with_role:
            form.addRow(_("&Peran"), self.role)
        else:
            self.role.set_value("supervisor")
            self.role.hide()
        form.addRow(_("&Kata sandi"), self.password)
        form.addRow("", self.strength)
        form.addRow(_("&Ulangi kata sandi"), self.repeat)
        form.addRow("", self.error)

    def problem(self) -> str | None:
        """What must change before the operator can be made (Indonesian), or None."""
        username = self.username.text()
        problem = operators.username_problem(username)
        if problem:
            return problem
        if not self.full_name.text().strip():
            return _("Isi nama lengkap petugas.")
        problem = operators.password_problem(self.password.text(), username)
        if problem:
            return problem
        if self.password.text() != self.repeat.text():
            return _("Kedua kata sandi tidak sama.")
        return None

    def values(self) -> dict:
        return {
            "username": self.username.text(),
            "full_name": self.full_name.text(),
            "role": self.role.value() or "operator",
            "password": self.password.text(),
        }


class FirstOperatorPage(QWidget):
    """The last step of setting up a laptop: the first supervisor."""

    back = Signal()
    submitted = Signal(dict)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel(_("Petugas pertama"))
        self.title.setObjectName("pageTitle")
        intro = QLabel(
            _(
                "Buat akun penyelia untuk laptop ini. Penyelia dapat menambah petugas lain. "
                "Kata sandi tidak dapat dipulihkan: simpan di tempat yang aman."
            )
        )
        intro.setWordWrap(True)
        self.fields = OperatorFields(with_role=False)
        self.back_button = QPushButton(_("Kembali"))
        self.back_button.clicked.connect(self.back)
        self.save_button = QPushButton(_("Simpan dan buka"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(intro)
        layout.addWidget(self.fields)
        layout.addStretch()
        layout.addLayout(buttons)

    def _submit(self) -> None:
        problem = self.fields.problem()
        self.fields.error.setText(problem or "")
        if problem is None:
            self.submitted.emit(self.fields.values())


class OperatorsDialog(QDialog):
    """The list of operators and a form to add one (supervisors only)."""

    def __init__(self, window):
        super().__init__(window)
        self.main = window
        self.job: BackgroundJob | None = None
        self.setWindowTitle(_("Petugas"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.list = QListWidget()
        self.fields = OperatorFields(with_role=True)
        self.add_button = QPushButton(_("&Tambah petugas"))
        self.add_button.clicked.connect(self.add)
        # A new password for the operator chosen in the list, typed in the password fields
        # below: also how others get access again after a plain registry was encrypted.
        self.reset_button = QPushButton(_("&Setel kata sandi petugas terpilih"))
        self.reset_button.clicked.connect(self.reset_password)
        self.reset_button.setEnabled(False)
        self.list.currentRowChanged.connect(
            lambda row: self.reset_button.setEnabled(row >= 0 and self.job is None)
        )
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #92400e;")
        self.close_button = QPushButton(_("Tutup"))
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Petugas yang dapat masuk di registri ini:")))
        layout.addWidget(self.list)
        layout.addWidget(self.note)
        layout.addWidget(QLabel(_("Tambah petugas baru:")))
        layout.addWidget(self.fields)
        layout.addLayout(buttons)
        self.resize(520, 560)
        self.reload()

    def reload(self) -> None:
        path = self.main.db_path
        try:
            with_key = set(keys.usernames(path)) if keys.is_encrypted(path) else None
        except keys.KeyProblem:
            with_key = None  # a damaged key file is reported by the start-up check

        def shown(people: list[operators.Operator]) -> None:
            self.list.clear()
            missing = 0
            for op in people:
                role = _("penyelia") if op.is_supervisor else _("petugas")
                text = f"{op.full_name} ({op.username}) – {role}"
                if with_key is not None and op.username not in with_key:
                    text += " – " + _("perlu kata sandi baru")
                    missing += 1
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, op.username)
                self.list.addItem(item)
            self.note.setVisible(missing > 0)
            self.note.setText(
                _(
                    "Registri ini terenkripsi. Petugas bertanda “perlu kata sandi baru” belum "
                    "dapat masuk: pilih namanya, isi kata sandi baru dua kali di bawah, lalu "
                    "klik “Setel kata sandi petugas terpilih”."
                )
            )

        self.main.reader.submit("operators", operators.list_operators, shown)

    def reset_password(self) -> None:
        item = self.list.currentItem()
        if item is None or self.job is not None:
            return
        username = item.data(Qt.ItemDataRole.UserRole)
        password = self.fields.password.text()
        problem = operators.password_problem(password, username)
        if problem is None and password != self.fields.repeat.text():
            problem = _("Kedua kata sandi tidak sama.")
        self.fields.error.setText(problem or "")
        if problem is not None:
            return
        path, changer = self.main.db_path, self.main.operator.id

        def change(_progress):
            db = connect(path)
            try:
                return operators.set_password(
                    db, username=username, password=password, changed_by=changer
                )
            finally:
                db.close()

        self._run(change, self.reset_button)

    def _run(self, work, button) -> None:
        def failed(exc: BaseException) -> None:
            self.job = None
            button.setEnabled(True)
            self.fields.error.setText(str(exc))

        def done(_operator) -> None:
            self.job = None
            button.setEnabled(True)
            for edit in (
                self.fields.username,
                self.fields.full_name,
                self.fields.password,
                self.fields.repeat,
            ):
                edit.clear()
            self.reload()

        button.setEnabled(False)
        self.job = BackgroundJob(work, parent=self, success=done, failure=failed).start()

    def add(self) -> None:
        problem = self.fields.problem()
        self.fields.error.setText(problem or "")
        if problem is not None or self.job is not None:
            return
        values, path, creator = self.fields.values(), self.main.db_path, self.main.operator.id

        def create(_progress):
            # The password also wraps the registry's key when it is encrypted (same action).
            db = connect(path)
            try:
                return operators.create_operator(db, created_by=creator, **values)
            finally:
                db.close()

        self._run(create, self.add_button)
