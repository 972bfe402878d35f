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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.fields import ChoiceBox
from muba_desk.gui.jobs import BackgroundJob
from muba_desk.i18n import _
from muba_desk.store import operators
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
        self.close_button = QPushButton(_("Tutup"))
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Petugas yang dapat masuk di registri ini:")))
        layout.addWidget(self.list)
        layout.addWidget(QLabel(_("Tambah petugas baru:")))
        layout.addWidget(self.fields)
        layout.addLayout(buttons)
        self.resize(520, 560)
        self.reload()

    def reload(self) -> None:
        def shown(people: list[operators.Operator]) -> None:
            self.list.clear()
            for op in people:
                role = _("penyelia") if op.is_supervisor else _("petugas")
                self.list.addItem(f"{op.full_name} ({op.username}) – {role}")

        self.main.reader.submit("operators", operators.list_operators, shown)

    def add(self) -> None:
        problem = self.fields.problem()
        self.fields.error.setText(problem or "")
        if problem is not None or self.job is not None:
            return
        values, path, creator = self.fields.values(), self.main.db_path, self.main.operator.id

        def create(_progress):
            db = connect(path)
            try:
                return operators.create_operator(db, created_by=creator, **values)
            finally:
                db.close()

        def failed(exc: BaseException) -> None:
            self.job = None
            self.add_button.setEnabled(True)
            self.fields.error.setText(str(exc))

        def done(_operator) -> None:
            self.job = None
            self.add_button.setEnabled(True)
            for edit in (
                self.fields.username,
                self.fields.full_name,
                self.fields.password,
                self.fields.repeat,
            ):
                edit.clear()
            self.reload()

        self.add_button.setEnabled(False)
        self.job = BackgroundJob(create, parent=self, success=done, failure=failed).start()
