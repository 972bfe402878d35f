"""The first-start dialog: open a made-up demo village, or set this laptop up for real work.

It also serves "Ganti registri…" later: a choice whose registry already exists simply opens it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from muba_desk import i18n
from muba_desk.gui import prefs
from muba_desk.gui.jobs import BackgroundJob, show_error
from muba_desk.gui.laptop_setup import LaptopSetupPage, write_laptop_settings
from muba_desk.gui.office.setup import add_office_choice
from muba_desk.gui.operators import FirstOperatorPage
from muba_desk.gui.provision_page import ProvisionPage
from muba_desk.i18n import _, format_count
from muba_desk.paths import data_dir, default_db_path, demo_db_path
from muba_desk.progress import Progress
from muba_desk.store import keys, operators
from muba_desk.store.db import connect
from muba_desk.store.registry import set_settings

DEMO_PEOPLE = 2000
CreateDemo = Callable[..., dict]


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", keys.SUFFIX):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    keys.forget(path)


def build_demo(
    target: Path, progress: Progress, *, people: int, create_demo: CreateDemo | None = None
) -> Path:
    """Fill a new demo registry at `target`; cancelled or failed, nothing is left behind.

    The registry is built under a temporary name and renamed when complete, so a half-built
    demo can never be opened by mistake at the next start.
    """
    if create_demo is None:
        from muba_desk import demo  # written alongside; imported late so the dialog opens fast

        create_demo = demo.create_demo
    partial = target.with_name(target.name + ".partial")
    _remove_database(partial)
    encrypted = keys.encryption_enabled()
    try:
        if encrypted:
            # The demo operator's password wraps the demo key, so a newcomer can still open it.
            keys.create_key_file(
                partial,
                operators={operators.DEMO_USERNAME: operators.DEMO_PASSWORD},
                recovery_passphrase=keys.DEMO_PASSPHRASE,
            )
        db = connect(partial)
        try:
            create_demo(db, people=people, seed=1, progress=progress)
            set_settings(db, {"mode": "demo"})
        finally:
            db.close()  # the last close folds the WAL into the file, so one file moves
        if encrypted:
            # Key file first: a crash between the two renames leaves a key file beside an old
            # target (or none), never an encrypted target without its key.
            os.replace(keys.key_file_of(partial), keys.key_file_of(target))
            keys.remember(target, keys.key_for(partial))
            keys.forget(partial)
        os.replace(partial, target)
    except BaseException:
        _remove_database(partial)
        raise
    return target


class FirstStartDialog(QDialog):
    """After `exec()` returns Accepted, `chosen_path` is the registry to open."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        create_demo: CreateDemo | None = None,
        demo_people: int = DEMO_PEOPLE,
    ):
        super().__init__(parent)
        self.chosen_path: Path | None = None
        self.chosen_operator: operators.Operator | None = None  # the first one, signed in
        self._laptop_choice: tuple[str, str, list] | None = None
        self.job: BackgroundJob | None = None
        self._create_demo, self._demo_people = create_demo, demo_people
        # Only a width: its height comes from the pages, so no page is ever squeezed over itself.
        self.setMinimumWidth(600)
        self.pages = QStackedWidget()
        self.welcome = self._welcome_page()
        self.laptop = LaptopSetupPage()
        self.laptop.back.connect(lambda: self.pages.setCurrentWidget(self.welcome))
        self.laptop.submitted.connect(self._ask_first_operator)
        self.first_operator = FirstOperatorPage()
        self.first_operator.back.connect(lambda: self.pages.setCurrentWidget(self.laptop))
        self.first_operator.submitted.connect(self._set_up_laptop)
        self.provision = ProvisionPage()
        self.provision.back.connect(lambda: self.pages.setCurrentWidget(self.welcome))
        self.provision.done.connect(self._provisioned)
        self.building = self._building_page()
        pages = (self.welcome, self.laptop, self.first_operator, self.provision, self.building)
        for page in pages:
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.addWidget(self.pages)
        self.retranslate()
        add_office_choice(self)  # "Ini kantor": the office's set-up lives in gui/office/setup.py

    # -- pages -----------------------------------------------------------------------------
    def _welcome_page(self) -> QWidget:
        page = QWidget()
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.demo_button = QCommandLinkButton()
        self.demo_button.clicked.connect(self._open_demo)
        self.laptop_button = QCommandLinkButton()
        self.laptop_button.clicked.connect(self._open_laptop)
        self.office_button = QCommandLinkButton()
        self.office_button.clicked.connect(self._open_provision)
        self.language = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(i18n.language()))
        self.language.currentIndexChanged.connect(self._change_language)
        self.language_label = QLabel("Bahasa / Language:")
        self.language_label.setBuddy(self.language)
        self.folder_label = QLabel()
        self.folder_label.setStyleSheet("color: #6b7280;")
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom = QHBoxLayout()
        bottom.addWidget(self.language_label)
        bottom.addWidget(self.language)
        bottom.addStretch()
        layout = QVBoxLayout(page)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addSpacing(8)
        for button in (self.demo_button, self.laptop_button, self.office_button):
            layout.addWidget(button)
        layout.addStretch()
        layout.addWidget(self.folder_label)
        layout.addLayout(bottom)
        return page

    def _building_page(self) -> QWidget:
        page = QWidget()
        self.building_title = QLabel()
        self.building_title.setObjectName("pageTitle")
        self.building_label = QLabel()
        self.building_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.building_title)
        layout.addWidget(self.building_label)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        layout.addStretch()
        return page

    def retranslate(self) -> None:
        self.setWindowTitle(_("Selamat datang di muba-desk"))
        self.heading.setText(_("Selamat datang di muba-desk"))
        self.intro.setText(
            _(
                "Registri bantuan sosial Dinas Sosial Kabupaten Musi Banyuasin. Semua data "
                "tersimpan di laptop ini dan dapat dipakai tanpa internet. Mulai dari mana?"
            )
        )
        self.demo_button.setText(_("Buka desa contoh"))
        if demo_db_path().exists():
            self.demo_button.setDescription(
                _("Registri rekaan untuk berlatih yang sudah ada di laptop ini. Bukan data asli.")
            )
        else:
            self.demo_button.setDescription(
                _(
                    "Membuat registri rekaan berisi {count} penduduk untuk berlatih dan "
                    "mencoba aplikasi. Bukan data asli."
                ).format(count=format_count(self._demo_people))
            )
        if default_db_path().exists():
            self.laptop_button.setText(_("Buka registri laptop ini"))
            self.laptop_button.setDescription(_("Registri sungguhan yang sudah disiapkan."))
        else:
            self.laptop_button.setText(_("Siapkan laptop ini"))
            self.laptop_button.setDescription(
                _(
                    "Beri nama laptop, pilih kecamatan dan desa yang dilayani, lalu mulai "
                    "mendaftarkan penduduk."
                )
            )
        self.office_button.setText(_("Buka berkas penyiapan dari kantor…"))
        # A registry already on this laptop is opened (and signed in to) first; its Berkas
        # menu then opens the file, keeping its recovery passphrase and operators.
        self.office_button.setEnabled(not default_db_path().exists())
        self.office_button.setDescription(
            _(
                "Laptop baru untuk kantor: berkas penyiapan berisi nama, desa dan kunci laptop "
                "untuk sinkronisasi lewat flashdisk."
            )
            if not default_db_path().exists()
            else _("Buka registri laptop ini, lalu pilih Berkas → Buka berkas penyiapan…")
        )
        self.office_button.setToolTip(
            _("Kantor membuat berkas ini dengan 'muba-desk office add-laptop' atau halaman Laptop.")
        )
        self.folder_label.setText(_("Data disimpan di: {folder}").format(folder=data_dir()))
        self.building_title.setText(_("Membuat desa contoh…"))
        self.cancel_button.setText(_("Batal"))
        self.laptop.retranslate()
        self.provision.retranslate()

    def _change_language(self) -> None:
        code = self.language.currentData()
        from muba_desk.gui import qt_language

        qt_language.set_language(code)
        prefs.put("language", code)
        self.retranslate()

    # -- choices ---------------------------------------------------------------------------
    def _open_demo(self) -> None:
        target = demo_db_path()
        if target.exists():
            self._choose(target)
            return
        self.pages.setCurrentWidget(self.building)
        self.bar.setRange(0, 0)
        self.building_label.setText(_("Menyiapkan…"))
        self.cancel_button.setEnabled(True)
        create, people = self._create_demo, self._demo_people
        self.job = BackgroundJob(
            lambda progress: build_demo(target, progress, people=people, create_demo=create),
            parent=self,
            success=self._choose,
            failure=self._demo_failed,
            cancelled=self._demo_cancelled,
            on_progress=self._demo_progress,
        ).start()

    def _demo_progress(self, done: int, total: int, label: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if self.cancel_button.isEnabled():
            self.building_label.setText(label or _("Membuat data…"))

    def _demo_cancelled(self) -> None:
        self.job = None
        self.pages.setCurrentWidget(self.welcome)

    def _demo_failed(self, exc: BaseException) -> None:
        self.job = None
        self.pages.setCurrentWidget(self.welcome)
        show_error(self, exc)

    def _open_laptop(self) -> None:
        if default_db_path().exists():
            self._choose(default_db_path())
        else:
            self.pages.setCurrentWidget(self.laptop)
            self.laptop.name.setFocus()

    def _open_provision(self) -> None:
        self.provision.prepare(default_db_path(), new_registry=True)
        self.pages.setCurrentWidget(self.provision)
        self.provision.file.setFocus()

    def _provisioned(self, result) -> None:
        """A new laptop made from the office's file; its first supervisor is signed in."""
        self.chosen_operator = result.operator
        self._choose(default_db_path())

    def _ask_first_operator(self, name: str, district_code: str, villages: Sequence[str]) -> None:
        self._laptop_choice = (name, district_code, list(villages))
        self.pages.setCurrentWidget(self.first_operator)
        self.first_operator.fields.username.setFocus()

    def _set_up_laptop(self, operator: dict) -> None:
        """The laptop's settings and its first supervisor, who is then signed in."""
        self.first_operator.setEnabled(False)
        name, district_code, villages = self._laptop_choice
        target = default_db_path()
        recovery = self.laptop.recovery.text()

        def write(_progress) -> tuple[Path, operators.Operator]:
            if keys.encryption_enabled() and not target.exists():
                # The supervisor's password and the recovery passphrase wrap the new key; the
                # office's copy is added when the laptop is provisioned (sync/keys.py).
                keys.create_key_file(
                    target,
                    operators={operator["username"].strip().lower(): operator["password"]},
                    recovery_passphrase=recovery or None,
                )
            path = write_laptop_settings(
                target, device_name=name, district_code=district_code, villages=villages
            )
            db = connect(path)
            try:
                return path, operators.create_operator(db, **operator)
            finally:
                db.close()

        def failed(exc: BaseException) -> None:
            self.first_operator.setEnabled(True)
            show_error(self, exc)

        def done(result: tuple[Path, operators.Operator]) -> None:
            for edit in (self.laptop.recovery, self.laptop.recovery_repeat):
                edit.clear()
            self.chosen_operator = result[1]
            self._choose(result[0])

        self.job = BackgroundJob(write, parent=self, success=done, failure=failed).start()

    def _choose(self, path: Path) -> None:
        self.job = None
        self.chosen_path = Path(path)
        self.accept()

    def reject(self) -> None:
        """Escape or Cancel while work runs: the demo build stops; the dialog waits for it."""
        if self.job is None or not self.job.running:
            super().reject()
        elif self.pages.currentWidget() is self.building:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.building_label.setText(_("Membatalkan…"))
