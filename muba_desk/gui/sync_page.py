"""The laptop's sync page: send changes to the office, see the outbox, take a return bundle."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pyrage
from PySide6.QtCore import QStorageInfo
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.format import fmt_datetime
from muba_desk.gui.jobs import BackgroundJob, show_error
from muba_desk.gui.office import widgets
from muba_desk.i18n import _, _n, format_count
from muba_desk.progress import Cancelled, Progress
from muba_desk.store.db import connect
from muba_desk.store.registry import get_setting
from muba_desk.sync.bundle import KIND_OFFICE, BundleError, key_id_of_recipient
from muba_desk.sync.commands import peek
from muba_desk.sync.export import BUNDLE_SUFFIX, export_bundle
from muba_desk.sync.keys import LAPTOP_AGE_IDENTITY
from muba_desk.sync.outbox import Outbox, outbox
from muba_desk.sync.receive import ReturnReport, import_returns

REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/", "/Volumes/")


def removable_drives() -> list[tuple[str, Path]]:
    """(label, root) of mounted volumes that look like flashdisks: under /media, /run/media,
    /mnt or /Volumes, or a Windows drive letter other than the system drive."""
    system = os.environ.get("SYSTEMDRIVE", "C:").upper()
    found = []
    for volume in QStorageInfo.mountedVolumes():
        root = volume.rootPath()
        if not (volume.isValid() and volume.isReady()) or volume.isReadOnly():
            continue
        if sys.platform == "win32":
            removable = len(root) <= 3 and not root.upper().startswith(system)
        else:
            removable = root.startswith(REMOVABLE_ROOTS)
        if removable:
            name = volume.displayName() or root
            found.append((f"{name} ({root})", Path(root)))
    return found


def return_files(db, paths: list[Path]) -> list[Path]:
    """The chosen files, and in a chosen folder the return bundles meant for this laptop (a
    stick also carries this laptop's own bundles and other laptops' returns)."""
    identity = get_setting(db, LAPTOP_AGE_IDENTITY)
    mine = None
    if identity:
        recipient = str(pyrage.x25519.Identity.from_str(identity).to_public())
        mine = key_id_of_recipient(recipient)
    out: list[Path] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        for found in sorted(path.glob(f"*{BUNDLE_SUFFIX}")):
            header = peek(found)
            if header.get("kind") == KIND_OFFICE and header.get("recipient_key_id") == mine:
                out.append(found)
    return out


def receive(db_path: Path, files: list[Path], progress: Progress) -> list[ReturnReport]:
    """Import return bundles one by one; a Cancel keeps those already applied."""
    reports: list[ReturnReport] = []
    for index, path in enumerate(files):
        try:
            progress.update(index, len(files), path.name)
        except Cancelled:
            break
        reports += import_returns(db_path, [path])
    return reports


class SyncPage(QWidget):
    """Kirim ke kantor, the outbox, and Terima paket balasan, with a plain report."""

    def __init__(self, window):
        super().__init__()
        self.window = window
        self.job: BackgroundJob | None = None
        self.last_written: Path | None = None
        self.last_reports: list[ReturnReport] = []
        self.target = QComboBox()
        self.target.setMinimumWidth(280)
        self.refresh_drives_button = QPushButton(_("Cari flashdisk"))
        self.refresh_drives_button.clicked.connect(lambda: self.find_drives(announce=True))
        self.send_button = QPushButton(_("Kirim ke kantor"))
        self.send_button.clicked.connect(self.send)
        self.receive_button = QPushButton(_("Terima paket balasan…"))
        self.receive_button.clicked.connect(self.receive)
        self.pending_label = QLabel()
        self.pending_label.setStyleSheet("font-size: 14px;")
        self.table = widgets.table(
            [_("Paket"), _("Berkas"), _("Dibuat"), _("Ditulis"), _("Diterima kantor"), _("Isi")]
        )
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setMaximumHeight(140)
        send_box = QGroupBox(_("Kirim ke kantor"))
        send_row = QHBoxLayout(send_box)
        send_row.addWidget(QLabel(_("Tujuan:")))
        send_row.addWidget(self.target, 1)
        send_row.addWidget(self.refresh_drives_button)
        send_row.addWidget(self.send_button)
        outbox_box = QGroupBox(_("Kotak keluar"))
        outbox_layout = QVBoxLayout(outbox_box)
        outbox_layout.addWidget(self.pending_label)
        outbox_layout.addWidget(self.table)
        receive_row = QHBoxLayout()
        receive_row.addWidget(
            widgets.hint(
                _(
                    "Paket balasan dari kantor membawa tanda terima, keputusan dan data wilayah. "
                    "Perubahan baru dianggap terkirim setelah kantor menerimanya."
                )
            ),
            1,
        )
        receive_row.addWidget(self.receive_button)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Sinkronisasi dengan kantor")))
        layout.addWidget(send_box)
        layout.addWidget(outbox_box, 1)
        layout.addLayout(receive_row)
        layout.addWidget(self.report)
        self.find_drives()

    # -- where to write --------------------------------------------------------------------
    def find_drives(self, *, announce: bool = False) -> None:
        """Offer the mounted flashdisks; `announce` (the Cari flashdisk button) also says in the
        report what was found, and what to do when nothing was."""
        chosen = self.target.currentData()
        self.target.clear()
        drives = removable_drives()
        for label, root in drives:
            self.target.addItem(label, str(root))
        self.target.addItem(_("Pilih folder…"), None)
        if chosen:
            self.add_folder(Path(chosen))
        if not announce:
            return
        if drives:
            self.target.setCurrentIndex(self.target.findData(str(drives[0][1])))
            text = _("Flashdisk ditemukan: {drives}. Paket akan ditulis ke yang dipilih di Tujuan.")
            self.report.setPlainText(text.format(drives=", ".join(d[0] for d in drives)))
        else:
            self.report.setPlainText(
                _(
                    "Tidak ada flashdisk yang ditemukan. Colokkan flashdisk, tunggu sampai "
                    "komputer membukanya (flashdisk yang dikunci hanya-baca tidak dipakai), lalu "
                    "tekan “Cari flashdisk” lagi; atau pilih folder lewat “Pilih folder…”."
                )
            )

    def add_folder(self, folder: Path) -> None:
        index = self.target.findData(str(folder))
        if index < 0:
            self.target.insertItem(0, str(folder), str(folder))
            index = 0
        self.target.setCurrentIndex(index)

    def destination(self) -> Path | None:
        if self.target.currentData() is None:
            folder = widgets.pick_folder(self, _("Pilih folder atau flashdisk tujuan"))
            if folder is None:
                return None
            self.add_folder(folder)
        return Path(self.target.currentData())

    # -- the outbox ------------------------------------------------------------------------
    def reload(self) -> None:
        if self.window.reader is not None:
            self.window.reader.submit("sync:outbox", outbox, self._show)

    def _show(self, box: Outbox) -> None:
        self.pending_label.setText(
            _n("{count} perubahan menunggu tanda terima kantor.", box.pending).format(
                count=format_count(box.pending)
            )
            if box.pending
            else _("Semua perubahan sudah diterima kantor.")
        )
        rows = []
        for seq, name, created, written, acked, counts in box.bundles:
            content = json.loads(counts or "{}")
            summary = ", ".join(f"{k} {v}" for k, v in sorted(content.items()) if v)
            rows.append(
                [
                    seq,
                    name,
                    fmt_datetime(created),
                    fmt_datetime(written) if written else _("gagal ditulis"),
                    fmt_datetime(acked) if acked else _("belum"),
                    summary,
                ]
            )
        widgets.fill(self.table, rows, [b[0] for b in box.bundles])

    # -- sending and receiving -------------------------------------------------------------
    def send(self) -> None:
        folder = self.destination()
        if folder is None:
            return
        path = Path(self.window.db_path)

        def done(written: Path) -> None:
            self.last_written = written
            self.report.setPlainText(
                _(
                    "Paket ditulis dan diperiksa: {file}\nBawa flashdisk ke kantor. Perubahan "
                    "tetap di kotak keluar sampai kantor mengirim tanda terima."
                ).format(file=written)
            )
            self.reload()

        self._run(
            lambda progress: export_bundle(path, folder, progress),
            done,
            _("Menulis paket ke flashdisk…"),
        )

    def receive(self) -> None:
        folder = self.target.currentData()
        files = (
            widgets.pick_files(
                self,
                _("Pilih paket balasan dari kantor"),
                _("Paket muba-desk (*{suffix})").format(suffix=BUNDLE_SUFFIX),
            )
            if folder is None
            else [Path(folder)]
        )
        if not files:
            return
        path = Path(self.window.db_path)

        def work(progress: Progress) -> list[ReturnReport]:
            db = connect(path)
            try:
                found = return_files(db, files)
            finally:
                db.close()
            return receive(path, found, progress)

        self._run(work, self._received, _("Mengimpor paket balasan…"))

    def _received(self, reports: list[ReturnReport]) -> None:
        self.last_reports = reports
        if not reports:
            self.report.setPlainText(_("Tidak ada paket balasan untuk laptop ini di sana."))
            return
        self.report.setPlainText("\n".join(r.summary() for r in reports))
        self.reload()
        self.window.refresh()

    def _run(self, work, done, label: str) -> None:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, BundleError):
                self.report.setPlainText(str(exc))
            else:
                show_error(self, exc)
            self.reload()

        def cancelled() -> None:
            self.report.setPlainText(_("Dibatalkan. Tidak ada berkas yang setengah jadi."))
            self.reload()

        self.job = BackgroundJob(
            work, parent=self, success=done, failure=failed, cancelled=cancelled
        )
        self.job.with_progress(label).start()
