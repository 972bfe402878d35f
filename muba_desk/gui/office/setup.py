"""First start at the office: "Ini kantor" makes the office identity and its first supervisor.

`add_office_choice(dialog)` is the one hook first_start.py calls: it adds the button under
"Siapkan laptop ini" and its pages to the dialog, so that dialog stays about laptops.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui import style
from muba_desk.gui.jobs import BackgroundJob, show_error
from muba_desk.gui.office.session import remember_unlocked
from muba_desk.gui.operators import FirstOperatorPage
from muba_desk.i18n import _
from muba_desk.office.founding import NewOffice, found_office
from muba_desk.passphrase import OFFICE, new_passphrase_problem
from muba_desk.paths import data_dir


def office_db_path() -> Path:
    return data_dir() / "kantor.db"


def set_up_office(path: Path, passphrase: str, operator: dict) -> NewOffice:
    """The office identity, the office's settings and its first supervisor, in a new file, as
    `muba-desk office init --supervisor` makes them (`office.founding`); the office keys come
    back unlocked, so the passphrase just typed is not asked again in this session."""
    return found_office(path, passphrase, operator, unlock=True)


class OfficeSetupPage(QWidget):
    """The office passphrase, twice; `submitted(passphrase)` once they agree."""

    back = Signal()
    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setWordWrap(True)
        self.passphrase_label, self.repeat_label = QLabel(), QLabel()
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._submit)
        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow(self.repeat_label, self.repeat)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch()
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch()
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Ini kantor"))
        self.intro.setText(
            _(
                "Komputer ini menjadi kantor Dinas Sosial: menerima paket dari laptop, "
                "mendaftarkan laptop dan mengirim paket balasan. Kata sandi kantor melindungi "
                "kunci kantor; tanpa kata sandi ini paket laptop tidak dapat dibuka. Simpan di "
                "tempat yang aman."
            )
        )
        self.passphrase_label.setText(_("Kata sandi kantor"))
        self.repeat_label.setText(_("Ulangi kata sandi"))
        self.back_button.setText(_("Kembali"))
        self.next_button.setText(_("Lanjut"))

    def _submit(self) -> None:
        text = self.passphrase.text()
        if problem := new_passphrase_problem(text, OFFICE):
            self.error.setText(problem)
        elif text != self.repeat.text():
            self.error.setText(_("Kedua kata sandi tidak sama."))
        else:
            self.error.clear()
            self.submitted.emit(text)


class OfficeChoice:
    """The "Ini kantor" button and pages inside the first-start dialog."""

    def __init__(self, dialog):
        self.dialog = dialog
        self.passphrase = ""
        self.job: BackgroundJob | None = None
        self.button = QCommandLinkButton()
        self.button.clicked.connect(self.open)
        layout = dialog.laptop_button.parentWidget().layout()
        layout.insertWidget(layout.indexOf(dialog.laptop_button) + 1, self.button)
        self.page = OfficeSetupPage()
        self.page.back.connect(lambda: dialog.pages.setCurrentWidget(dialog.welcome))
        self.page.submitted.connect(self._ask_operator)
        self.operator_page = FirstOperatorPage()
        self.operator_page.back.connect(lambda: dialog.pages.setCurrentWidget(self.page))
        self.operator_page.submitted.connect(self._create)
        dialog.pages.addWidget(self.page)
        dialog.pages.addWidget(self.operator_page)
        dialog.language.currentIndexChanged.connect(lambda _i: self.retranslate())
        self.retranslate()

    def retranslate(self) -> None:
        if office_db_path().exists():
            self.button.setText(_("Buka registri kantor"))
            self.button.setDescription(_("Registri gabungan kantor yang sudah disiapkan."))
        else:
            self.button.setText(_("Ini kantor"))
            self.button.setDescription(
                _(
                    "Untuk komputer di kantor Dinas Sosial: buat identitas kantor, daftarkan "
                    "laptop dan terima paket dari laptop."
                )
            )
        self.page.retranslate()

    def open(self) -> None:
        if office_db_path().exists():
            self.dialog._choose(office_db_path())
        else:
            self.dialog.pages.setCurrentWidget(self.page)
            self.page.passphrase.setFocus()

    def _ask_operator(self, passphrase: str) -> None:
        self.passphrase = passphrase
        self.dialog.pages.setCurrentWidget(self.operator_page)
        self.operator_page.fields.username.setFocus()

    def _create(self, operator: dict) -> None:
        self.operator_page.setEnabled(False)
        target, passphrase = office_db_path(), self.passphrase

        def failed(exc: BaseException) -> None:
            self.operator_page.setEnabled(True)
            show_error(self.dialog, exc)

        def done(made: NewOffice) -> None:
            self.passphrase = ""
            self.dialog.chosen_operator = made.supervisor
            remember_unlocked(target, made.keys)
            self.dialog._choose(target)

        self.job = BackgroundJob(
            lambda _p: set_up_office(target, passphrase, operator),
            parent=self.dialog,
            success=done,
            failure=failed,
        ).with_progress(_("Membuat identitas kantor…"))
        self.job.start()


def add_office_choice(dialog) -> OfficeChoice:
    """Put "Ini kantor" into the first-start `dialog` (kept as `dialog.office_choice`)."""
    dialog.office_choice = OfficeChoice(dialog)
    return dialog.office_choice
