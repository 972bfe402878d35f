"""The office's provisioning file, opened in the window: on a new laptop (first start) or on
the registry already open (Berkas → Buka berkas penyiapan…). The work is `sync.provision`'s;
this page only asks, and runs it on a worker thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui import style
from muba_desk.gui.jobs import BackgroundJob
from muba_desk.gui.office import widgets
from muba_desk.gui.operators import OperatorFields
from muba_desk.i18n import _
from muba_desk.passphrase import MIN_NEW_PASSPHRASE, RECOVERY, new_passphrase_problem

if TYPE_CHECKING:
    from muba_desk.sync.provision import Provisioned

PROVISION_PATTERN = "*.provision"


class ProvisionPage(QWidget):
    """File, setup passphrase, the laptop's own recovery passphrase (new registry only) and the
    first supervisor (when the registry has none). `done` carries the `Provisioned` result."""

    back = Signal()
    done = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.target: Path | None = None
        self.new_registry = True
        self.job: BackgroundJob | None = None
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.file = QLineEdit()
        self.browse_button = QPushButton()
        self.browse_button.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.browse_button)
        self.setup = _password_edit()
        self.recovery = _password_edit()
        self.recovery_repeat = _password_edit()
        self.recovery_hint = QLabel()
        self.recovery_hint.setWordWrap(True)
        self.recovery_hint.setStyleSheet("color: #4b5563;")
        self.file_label, self.setup_label = QLabel(), QLabel()
        self.recovery_label, self.recovery_repeat_label = QLabel(), QLabel()
        self.file_label.setBuddy(self.file)
        self.setup_label.setBuddy(self.setup)
        self.recovery_label.setBuddy(self.recovery)
        self.recovery_repeat_label.setBuddy(self.recovery_repeat)
        self.form = QFormLayout()
        self.form.addRow(self.file_label, file_row)
        self.form.addRow(self.setup_label, self.setup)
        self.form.addRow(self.recovery_label, self.recovery)
        self.form.addRow(self.recovery_repeat_label, self.recovery_repeat)
        self.form.addRow("", self.recovery_hint)
        self.supervisor_title = QLabel()
        self.supervisor_title.setStyleSheet("font-weight: bold;")
        self.supervisor = OperatorFields(with_role=False)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b91c1c;")
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back)
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.submit)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.intro)
        inner.addLayout(self.form)
        inner.addWidget(self.supervisor_title)
        inner.addWidget(self.supervisor)
        inner.addStretch()
        # The fields scroll (up and down only) on a small screen; the buttons stay in view.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Buka berkas penyiapan dari kantor"))
        self.file_label.setText(_("&Berkas penyiapan"))
        self.browse_button.setText(_("Pilih berk&as…"))
        self.setup_label.setText(_("Kata sandi pen&yiapan"))
        self.recovery_label.setText(_("Kata sandi &pemulihan"))
        self.recovery_repeat_label.setText(_("Ulangi kata sandi pemuli&han"))
        self.recovery_hint.setText(
            _(
                "Kata sandi pemulihan laptop ini sendiri (bukan kata sandi penyiapan): membuka "
                "registri bila semua kata sandi petugas hilang. Paling sedikit {count} karakter; "
                "tulis dan simpan di tempat aman."
            ).format(count=MIN_NEW_PASSPHRASE)
        )
        self.supervisor_title.setText(_("Penyelia pertama laptop ini"))
        self.back_button.setText(_("Kembali"))
        self.save_button.setText(_("&Siapkan laptop"))
        self.prepare(self.target, new_registry=self.new_registry)

    def prepare(
        self, target: Path | None, *, new_registry: bool, needs_supervisor: bool | None = None
    ) -> None:
        """Ask for `target`: a new registry also needs its recovery passphrase; one without
        operators (new, or set up on the command line) its first supervisor."""
        self.target, self.new_registry = target, new_registry
        supervisor = new_registry if needs_supervisor is None else needs_supervisor
        for widget in (
            self.recovery,
            self.recovery_repeat,
            self.recovery_label,
            self.recovery_repeat_label,
            self.recovery_hint,
        ):
            widget.setVisible(new_registry)
        self.supervisor_title.setVisible(supervisor)
        self.supervisor.setVisible(supervisor)
        self.intro.setText(
            _(
                "Kantor membuat berkas penyiapan untuk laptop ini (nama, kode, desa yang dilayani "
                "dan kuncinya) dan memberi tahu kata sandi penyiapannya secara terpisah."
            )
            if new_registry
            else _(
                "Registri ini menjadi laptop yang didaftarkan kantor dalam berkas penyiapan. "
                "Kata sandi pemulihan dan petugasnya tetap seperti sekarang."
            )
        )
        self.error.clear()

    def browse(self) -> None:
        chosen = widgets.pick_files(
            self,
            _("Pilih berkas penyiapan dari kantor"),
            _("Berkas penyiapan muba-desk ({pattern})").format(pattern=PROVISION_PATTERN),
        )
        if chosen:
            self.file.setText(str(chosen[0]))

    def problem(self) -> tuple[str, QWidget] | None:
        """What must change before the set-up can run (Indonesian) and where, or None."""
        file = self.file.text().strip()
        if not file:
            return _("Pilih berkas penyiapan dari kantor (berakhiran .provision)."), self.file
        if not Path(file).is_file():
            return _("Berkas '{file}' tidak ditemukan.").format(file=file), self.file
        if not self.setup.text():
            return _("Isi kata sandi penyiapan yang diberikan kantor."), self.setup
        if self.new_registry:
            if problem := new_passphrase_problem(self.recovery.text(), RECOVERY):
                return problem, self.recovery
            if self.recovery.text() == self.setup.text():
                return (
                    _("Pilih kata sandi pemulihan sendiri, bukan kata sandi penyiapan."),
                    self.recovery,
                )
            if self.recovery.text() != self.recovery_repeat.text():
                return _("Kedua kata sandi pemulihan tidak sama."), self.recovery_repeat
        if self.supervisor.isVisibleTo(self) and (problem := self.supervisor.problem()):
            return problem, self.supervisor.username
        return None

    def submit(self) -> None:
        if self.job is not None or self.target is None:
            return
        found = self.problem()
        if found is not None:
            self.error.setText(found[0])
            found[1].setFocus()
            return
        self.error.clear()
        target, file, setup = self.target, Path(self.file.text().strip()), self.setup.text()
        recovery = self.recovery.text() if self.new_registry else None
        supervisor = self.supervisor.values() if self.supervisor.isVisibleTo(self) else None

        def work(_progress) -> Provisioned:
            # Imported here: the keys' libraries load on the worker, not when the page opens.
            from muba_desk.sync.provision import provision_laptop

            return provision_laptop(
                target, file, setup, recovery_passphrase=recovery, supervisor=supervisor
            )

        def failed(exc: BaseException) -> None:
            self.job = None
            self.setEnabled(True)
            self.error.setText(str(exc))

        def succeeded(result: Provisioned) -> None:
            self.job = None
            self.setEnabled(True)
            for edit in (self.setup, self.recovery, self.recovery_repeat):
                edit.clear()
            self.done.emit(result)

        self.setEnabled(False)
        self.job = BackgroundJob(work, parent=self, success=succeeded, failure=failed)
        self.job.with_progress(_("Menyiapkan laptop…")).start()


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class ProvisionDialog(QDialog):
    """Berkas → Buka berkas penyiapan…: the open registry becomes the office's laptop."""

    def __init__(self, window):
        super().__init__(window)
        self.main = window
        self.result_value: Provisioned | None = None
        self.setWindowTitle(_("Buka berkas penyiapan"))
        self.page = ProvisionPage()
        self.page.back_button.setText(_("Batal"))
        self.page.back.connect(self.reject)
        self.page.done.connect(self._done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        self.resize(620, 560)

    def prepare(self, *, needs_supervisor: bool) -> None:
        self.page.prepare(
            Path(self.main.db_path), new_registry=False, needs_supervisor=needs_supervisor
        )

    def _done(self, result: Provisioned) -> None:
        self.result_value = result
        self.accept()
