"""Registering a laptop: its name, code, area and the setup passphrase read out to the worker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk.domain.areas import areas
from muba_desk.i18n import _
from muba_desk.passphrase import SETUP, new_passphrase_problem
from muba_desk.sync.keys import KeyProblem, check_laptop_code


class RegisterLaptopDialog(QDialog):
    """Collects the laptop's details; after Accepted read `values()`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(_("Daftarkan laptop"))
        self.setMinimumWidth(480)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("mis. Laptop Pendamping Sungai Lilin"))
        self.code = QLineEdit()
        self.code.setMaxLength(8)
        self.code.setPlaceholderText(_("mis. L07"))
        self.district = QComboBox()
        for district in areas().muba_districts():
            self.district.addItem(district.name, district.code)
        self.district.currentIndexChanged.connect(self._fill_villages)
        self.villages = QListWidget()
        self.villages.setMinimumHeight(160)
        self.setup = QLineEdit()
        self.setup.setEchoMode(QLineEdit.EchoMode.Password)
        self.setup_again = QLineEdit()
        self.setup_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setWordWrap(True)
        note = QLabel(
            _(
                "Kata sandi penyiapan dibacakan kepada petugas laptop, bukan kata sandi kantor. "
                "Berkas penyiapan disimpan ke folder atau flashdisk yang Anda pilih berikutnya."
            )
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Nama laptop"), self.name)
        form.addRow(_("Kode"), self.code)
        form.addRow(_("Kecamatan"), self.district)
        form.addRow(_("Desa yang dilayani"), self.villages)
        form.addRow(_("Kata sandi penyiapan"), self.setup)
        form.addRow(_("Ulangi kata sandi"), self.setup_again)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Daftarkan…"))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._fill_villages()

    def _fill_villages(self) -> None:
        self.villages.clear()
        for village in areas().villages(self.district.currentData()):
            item = QListWidgetItem(village.name)
            item.setData(Qt.ItemDataRole.UserRole, village.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.villages.addItem(item)

    def check_village(self, code: str) -> None:
        for i in range(self.villages.count()):
            item = self.villages.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == code:
                item.setCheckState(Qt.CheckState.Checked)

    def checked_villages(self) -> list[str]:
        items = (self.villages.item(i) for i in range(self.villages.count()))
        return [
            i.data(Qt.ItemDataRole.UserRole)
            for i in items
            if i.checkState() == Qt.CheckState.Checked
        ]

    def values(self) -> dict:
        return {
            "name": " ".join(self.name.text().split()),
            "code": self.code.text().strip().upper(),
            "district_code": self.district.currentData(),
            "villages": self.checked_villages(),
            "setup_passphrase": self.setup.text(),
        }

    def _check(self) -> None:
        v = self.values()
        if not v["name"]:
            problem = _("Isi nama laptop.")
        elif code_problem := _code_problem(v["code"]):
            problem = code_problem
        elif not v["villages"]:
            problem = _("Pilih paling sedikit satu desa atau kelurahan yang dilayani.")
        elif passphrase_problem := new_passphrase_problem(v["setup_passphrase"], SETUP):
            problem = passphrase_problem
        elif v["setup_passphrase"] != self.setup_again.text():
            problem = _("Kedua kata sandi penyiapan tidak sama.")
        else:
            self.accept()
            return
        self.error.setText(problem)


def _code_problem(code: str) -> str | None:
    """The rule `office add-laptop` applies too: a code card and receipt numbers can carry."""
    try:
        check_laptop_code(code)
    except KeyProblem as exc:
        return str(exc)
    return None
