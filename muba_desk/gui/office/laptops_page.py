"""The office's laptops and the bundle inbox: register, revoke, import, answer with a return."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.format import fmt_datetime
from muba_desk.gui.jobs import BackgroundJob, show_error
from muba_desk.gui.office import widgets
from muba_desk.gui.office.register_dialog import RegisterLaptopDialog
from muba_desk.i18n import _, _n
from muba_desk.office.laptops_data import (
    LaptopInfo,
    bundle_files,
    import_files,
    laptops,
    return_to_all,
)
from muba_desk.sync.bundle import BundleError
from muba_desk.sync.export import BUNDLE_SUFFIX
from muba_desk.sync.importer import STATUS_REFUSED, ImportReport
from muba_desk.sync.keys import KeyProblem, OfficeKeys, register_laptop, revoke_laptop
from muba_desk.sync.returns import office_return


class LaptopsPage(QWidget):
    """Laptops with their sync state, and the inbox with its per-bundle report."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.rows: list[LaptopInfo] = []
        self.job: BackgroundJob | None = None
        self.dialog: RegisterLaptopDialog | None = None
        self.last_reports: list[ImportReport] = []
        self.last_written: Path | None = None
        self.table = widgets.table(
            [
                _("Kode"),
                _("Nama"),
                _("Kecamatan"),
                _("Desa"),
                _("Paket terakhir"),
                _("Terakhir diterima"),
                _("Menunggu tanda terima"),
                _("Status"),
            ]
        )
        self.register_button = QPushButton(_("Daftarkan laptop…"))
        self.register_button.clicked.connect(self.register)
        self.revoke_button = QPushButton(_("Cabut laptop…"))
        self.revoke_button.clicked.connect(self.revoke)
        self.return_button = QPushButton(_("Buat paket balasan…"))
        self.return_button.clicked.connect(self.write_return)
        self.return_all_button = QPushButton(_("Paket balasan untuk semua laptop…"))
        self.return_all_button.clicked.connect(self.write_all_returns)
        self.import_files_button = QPushButton(_("Impor berkas paket…"))
        self.import_files_button.clicked.connect(self.import_chosen_files)
        self.import_folder_button = QPushButton(_("Impor satu folder…"))
        self.import_folder_button.clicked.connect(self.import_folder)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(
            _("Hasil setiap pekerjaan (impor, paket balasan, pendaftaran laptop) tercatat di sini.")
        )
        buttons = QHBoxLayout()
        for button in (
            self.register_button,
            self.revoke_button,
            self.return_button,
            self.return_all_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch()
        inbox = QGroupBox(_("Kotak masuk paket dari laptop"))
        inbox_buttons = QHBoxLayout()
        inbox_buttons.addWidget(self.import_files_button)
        inbox_buttons.addWidget(self.import_folder_button)
        inbox_buttons.addStretch()
        inbox_layout = QVBoxLayout(inbox)
        inbox_layout.addWidget(
            widgets.hint(
                _(
                    "Pilih satu atau beberapa berkas .mubabundle, atau satu folder (misalnya "
                    "flashdisk). Setiap paket diperiksa dan dilaporkan sendiri-sendiri."
                )
            )
        )
        inbox_layout.addLayout(inbox_buttons)
        inbox_layout.addWidget(self.report)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Laptop lapangan")))
        layout.addWidget(self.table, 2)
        layout.addLayout(buttons)
        layout.addWidget(inbox, 2)

    # -- the list ------------------------------------------------------------------------
    def reload(self) -> None:
        self.desk.read("laptops", laptops, self._show)

    def _show(self, rows: list[LaptopInfo]) -> None:
        self.rows = rows
        widgets.fill(
            self.table,
            [
                [
                    r.code,
                    r.name,
                    r.district,
                    r.villages,
                    r.last_bundle if r.last_bundle is not None else "–",
                    fmt_datetime(r.last_seen),
                    r.pending_acks,
                    _("DICABUT {when}").format(when=fmt_datetime(r.revoked_at))
                    if r.revoked_at
                    else _("aktif"),
                ]
                for r in rows
            ],
            [r.code for r in rows],
        )

    def selected_code(self) -> str | None:
        chosen = widgets.selected_ids(self.table)
        return chosen[0] if chosen else None

    def select(self, code: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == code:
                self.table.selectRow(row)

    def _need_laptop(self) -> str | None:
        code = self.selected_code()
        if code is None:
            self.desk.message(_("Pilih dulu laptop di daftar."))
        return code

    # -- registering and revoking ----------------------------------------------------------
    def register(self) -> None:
        self.dialog = RegisterLaptopDialog(self)
        self.dialog.accepted.connect(
            lambda: self.desk.session.with_keys(lambda keys: self._register(keys), self)
        )
        self.dialog.open()

    def _register(self, keys: OfficeKeys) -> None:
        values = self.dialog.values()
        folder = widgets.pick_folder(self, _("Simpan berkas penyiapan ke folder atau flashdisk"))
        if folder is None:
            return
        out = folder / f"muba-{values['code']}.provision"
        path = self.desk.db_path

        def work(_progress):
            return register_laptop(path, keys, out_path=out, **values)

        def done(record) -> None:
            self.last_written = out
            self.log(
                _(
                    "Laptop {code} ({name}) terdaftar. Berkas penyiapan: {file}\n"
                    "Di laptop: pilih “Buka berkas penyiapan dari kantor…” lalu ketik kata "
                    "sandi penyiapan."
                ).format(code=record.code, name=record.name, file=out)
            )
            self.reload()

        self._run(work, done, _("Mendaftarkan laptop…"))

    def revoke(self) -> None:
        code = self._need_laptop()
        if code is None:
            return
        widgets.confirm(
            self,
            _("Cabut laptop"),
            _(
                "Cabut laptop {code}? Semua paket darinya setelah ini akan ditolak, dan "
                "pencabutan dikirim ke laptop lain lewat paket balasan. Ini tidak dapat dibatalkan."
            ).format(code=code),
            lambda: self._revoke(code),
        )

    def _revoke(self, code: str) -> None:
        path = self.desk.db_path

        def done(_result) -> None:
            self.desk.message(_("Laptop {code} dicabut.").format(code=code))
            self.reload()

        self._run(
            lambda _p: revoke_laptop(path, code, _("Dicabut dari meja kantor")),
            done,
            _("Mencabut laptop…"),
        )

    # -- return bundles --------------------------------------------------------------------
    def write_return(self) -> None:
        code = self._need_laptop()
        if code is not None:
            self.desk.session.with_keys(lambda keys: self._write_return(code, keys), self)

    def _write_return(self, code: str, keys: OfficeKeys) -> None:
        folder = widgets.pick_folder(self, _("Simpan paket balasan ke folder atau flashdisk"))
        if folder is None:
            return
        path = self.desk.db_path

        def done(written: Path) -> None:
            self.last_written = written
            self.log(
                _("Paket balasan untuk laptop {code} ditulis: {file}").format(
                    code=code, file=written
                )
            )
            self.reload()

        def cancelled() -> None:
            self.log(
                _(
                    "Dibatalkan: paket balasan untuk laptop {code} tidak ditulis dan tidak "
                    "tercatat sebagai terkirim."
                ).format(code=code)
            )

        self._run(
            lambda progress: office_return(path, code, folder, office=keys, progress=progress),
            done,
            _("Menulis paket balasan…"),
            cancelled,
        )

    def write_all_returns(self) -> None:
        self.desk.session.with_keys(self._write_all_returns, self)

    def _write_all_returns(self, keys: OfficeKeys) -> None:
        folder = widgets.pick_folder(self, _("Simpan paket balasan ke folder atau flashdisk"))
        if folder is None:
            return
        path = self.desk.db_path

        def done(result: tuple[list[tuple[str, Path]], bool]) -> None:
            written, cancelled = result
            self.last_written = written[-1][1] if written else None
            lines = [
                _("{count} paket balasan ditulis ke {folder}:").format(
                    count=len(written), folder=folder
                )
            ]
            lines += [f"  {code}: {file.name}" for code, file in written]
            if not written:
                lines = [_("Belum ada laptop aktif; tidak ada paket balasan yang ditulis.")]
            if cancelled:
                lines.append(_("Dibatalkan: laptop berikutnya belum mendapat paket balasan."))
            self.log("\n".join(lines))
            self.reload()

        self._run(
            lambda progress: return_to_all(path, folder, keys, progress),
            done,
            _("Menulis paket balasan untuk semua laptop…"),
        )

    # -- the inbox -------------------------------------------------------------------------
    def import_chosen_files(self) -> None:
        files = widgets.pick_files(
            self,
            _("Pilih paket dari laptop"),
            _("Paket muba-desk (*{suffix})").format(suffix=BUNDLE_SUFFIX),
        )
        if files:
            self.import_paths(files)

    def import_folder(self) -> None:
        folder = widgets.pick_folder(self, _("Pilih folder atau flashdisk berisi paket"))
        if folder is not None:
            self.import_paths([folder])

    def import_paths(self, paths: list[Path]) -> None:
        files = bundle_files(paths)
        if not files:
            self.log(_("Tidak ada berkas paket (.mubabundle) di sana."))
            return
        self.desk.session.with_keys(lambda keys: self._import(files, keys), self)

    def _import(self, files: list[Path], keys: OfficeKeys) -> None:
        path = self.desk.db_path
        self._run(
            lambda progress: import_files(path, files, keys, progress),
            self._imported,
            _("Mengimpor paket…"),
        )

    def _imported(self, result: tuple[list[ImportReport], bool]) -> None:
        reports, cancelled = result
        self.last_reports = reports
        self.log(import_summary(reports, cancelled))
        self.reload()
        self.desk.data_changed()

    # -- the log ---------------------------------------------------------------------------
    def log(self, text: str) -> None:
        """Add a job's result under the time it finished; earlier results stay above."""
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self.report.appendPlainText(f"── {fmt_datetime(stamp)} ──\n{text}\n")
        bar = self.report.verticalScrollBar()
        bar.setValue(bar.maximum())

    # -- running ---------------------------------------------------------------------------
    def _run(self, work, done, label: str, cancelled=None) -> None:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, KeyProblem | BundleError):
                self.log(str(exc))
            else:
                show_error(self, exc)

        self.job = BackgroundJob(
            work, parent=self, success=done, failure=failed, cancelled=cancelled
        )
        self.job.with_progress(label).start()


def import_summary(reports: list[ImportReport], cancelled: bool = False) -> str:
    """The inbox report: a count line, then one plain Indonesian line per bundle."""
    refused = sum(1 for r in reports if r.status == STATUS_REFUSED)
    head = _n("{count} paket diperiksa: {good} diterima, {bad} ditolak.", len(reports)).format(
        count=len(reports), good=len(reports) - refused, bad=refused
    )
    lines = [head, ""] + [r.summary() for r in reports]
    if any(r.alarm for r in reports):
        lines += ["", _("PERHATIAN: ada paket yang mencurigakan. Laporkan ke pengelola sistem.")]
    if cancelled:
        lines += ["", _("Dibatalkan: paket yang belum diimpor tetap di flashdisk.")]
    return "\n".join(lines)
