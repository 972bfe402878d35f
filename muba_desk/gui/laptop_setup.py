"""Setting up a laptop for real work: its name, its district and the villages it serves."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
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

from muba_desk.domain.areas import areas
from muba_desk.gui import style
from muba_desk.i18n import _
from muba_desk.passphrase import MIN_NEW_PASSPHRASE, RECOVERY, new_passphrase_problem
from muba_desk.store.db import connect
from muba_desk.store.registry import set_settings


def write_laptop_settings(
    path: Path, *, device_name: str, district_code: str, villages: Sequence[str]
) -> Path:
    """Create (or open) the registry at `path` and record this laptop's area, all or nothing."""
    db = connect(path)
    try:
        set_settings(
            db,
            {
                "device_name": device_name,
                "district_code": district_code,
                "villages": json.dumps(list(villages)),
                "mode": "laptop",
            },
        )
    finally:
        db.close()
    return Path(path)


class LaptopSetupPage(QWidget):
    """The form; `submitted` carries (device name, district code, village codes) once valid."""

    back = Signal()
    submitted = Signal(str, str, list)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet(style.PAGE_TITLE)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setMaxLength(60)
        self.district = QComboBox()
        for district in areas().muba_districts():
            self.district.addItem(district.name, district.code)
        self.district.currentIndexChanged.connect(self._fill_villages)
        self.villages = QListWidget()
        self.villages.setMinimumHeight(180)
        self.all_button = QPushButton()
        self.all_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Checked))
        self.none_button = QPushButton()
        self.none_button.clicked.connect(lambda: self._check_all(Qt.CheckState.Unchecked))
        # The recovery passphrase wraps the registry's key (store/keys.py): it opens the
        # registry when every operator's password is lost. Asked twice; never stored.
        self.recovery = QLineEdit()
        self.recovery.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery_repeat = QLineEdit()
        self.recovery_repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.recovery_hint = QLabel()
        self.recovery_hint.setWordWrap(True)
        self.recovery_hint.setStyleSheet("color: #4b5563;")
        self.error = QLabel()
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setWordWrap(True)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.back)
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)

        self.name_label, self.district_label, self.villages_label = QLabel(), QLabel(), QLabel()
        self.name_label.setBuddy(self.name)
        self.district_label.setBuddy(self.district)
        self.villages_label.setBuddy(self.villages)
        self.form = QFormLayout()
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.district_label, self.district)
        village_buttons = QHBoxLayout()
        village_buttons.addWidget(self.all_button)
        village_buttons.addWidget(self.none_button)
        village_buttons.addStretch()
        village_box = QVBoxLayout()
        village_box.addWidget(self.villages)
        village_box.addLayout(village_buttons)
        self.form.addRow(self.villages_label, village_box)
        self.recovery_label, self.recovery_repeat_label = QLabel(), QLabel()
        self.recovery_label.setBuddy(self.recovery)
        self.recovery_repeat_label.setBuddy(self.recovery_repeat)
        self.form.addRow(self.recovery_label, self.recovery)
        self.form.addRow(self.recovery_repeat_label, self.recovery_repeat)
        self.form.addRow("", self.recovery_hint)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self._fill_villages()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Siapkan laptop ini"))
        self.intro.setText(
            _(
                "Beri nama laptop ini dan pilih wilayah kerjanya. Nama laptop tercetak di "
                "kuitansi dan dikenali kantor saat sinkronisasi."
            )
        )
        self.name.setPlaceholderText(_("mis. Laptop Pendamping Sekayu 1"))
        self.name_label.setText(_("&Nama laptop"))
        self.district_label.setText(_("&Kecamatan"))
        self.villages_label.setText(_("&Desa/kelurahan yang dilayani"))
        self.all_button.setText(_("Pilih semua"))
        self.none_button.setText(_("Kosongkan"))
        self.recovery_label.setText(_("Kata sandi &pemulihan"))
        self.recovery_repeat_label.setText(_("&Ulangi kata sandi pemulihan"))
        self.recovery_hint.setText(
            _(
                "Registri disimpan terenkripsi. Kata sandi pemulihan membukanya bila semua kata "
                "sandi petugas hilang: paling sedikit {count} karakter; tulis dan simpan di "
                "tempat aman (kantor juga menyimpan salinan pemulihan setelah penyiapan)."
            ).format(count=MIN_NEW_PASSPHRASE)
        )
        self.back_button.setText(_("Kembali"))
        self.save_button.setText(_("Lanjut"))
        self.error.clear()

    def checked_villages(self) -> list[str]:
        items = (self.villages.item(i) for i in range(self.villages.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _fill_villages(self) -> None:
        self.villages.clear()
        for village in areas().villages(self.district.currentData()):
            item = QListWidgetItem(village.name)
            item.setData(Qt.ItemDataRole.UserRole, village.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.villages.addItem(item)

    def _check_all(self, state: Qt.CheckState) -> None:
        for i in range(self.villages.count()):
            self.villages.item(i).setCheckState(state)

    def _submit(self) -> None:
        name = " ".join(self.name.text().split())
        villages = self.checked_villages()
        if not name:
            self.error.setText(_("Isi nama laptop."))
            self.name.setFocus()
        elif not villages:
            self.error.setText(_("Pilih paling sedikit satu desa atau kelurahan yang dilayani."))
            self.villages.setFocus()
        elif problem := new_passphrase_problem(self.recovery.text(), RECOVERY):
            self.error.setText(problem)
            self.recovery.setFocus()
        elif self.recovery.text() != self.recovery_repeat.text():
            self.error.setText(_("Kedua kata sandi pemulihan tidak sama."))
            self.recovery_repeat.setFocus()
        else:
            self.error.clear()
            self.submitted.emit(name, self.district.currentData(), villages)
