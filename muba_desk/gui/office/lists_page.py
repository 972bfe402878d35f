"""Daftar & SK: make a decision (SK) and pick its enrolments, print its attachment, make the
bank and BPJS files, read their answers back, and see what is pending."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.core import operations
from muba_desk.domain.money import format_rupiah
from muba_desk.domain.programs import PROGRAMS
from muba_desk.gui.format import program_name
from muba_desk.gui.jobs import BackgroundJob
from muba_desk.gui.office import widgets
from muba_desk.i18n import _, _n, format_count
from muba_desk.lists_out import work


def _view_labels() -> dict[str, str]:
    return {
        work.NOT_IN_SK: _("Disetujui, belum masuk SK"),
        work.WAITING: _("Terkirim, menunggu jawaban bank / BPJS"),
        work.FAILED: _("Pembayaran gagal / ditolak BPJS"),
    }


class SkDialog(QDialog):
    """The fields of a new decision (SK)."""

    def __init__(self, parent, program: str | None):
        super().__init__(parent)
        self.setWindowTitle(_("SK baru"))
        self.number = QLineEdit()
        self.decided_on = QLineEdit(date.today().isoformat())
        self.about = QLineEdit()
        self.program = QComboBox()
        for code, spec in PROGRAMS.items():
            self.program.addItem(spec.name, code)
        if program:
            self.program.setCurrentIndex(self.program.findData(program))
        self.period = QLineEdit(str(date.today().year))
        self.signatory_name = QLineEdit()
        self.signatory_title = QLineEdit(_("Kepala Dinas Sosial"))
        self.signatory_nip = QLineEdit()
        form = QFormLayout(self)
        form.addRow(_("Nomor SK"), self.number)
        form.addRow(_("Tanggal (TTTT-BB-HH)"), self.decided_on)
        form.addRow(_("Perihal"), self.about)
        form.addRow(_("Program"), self.program)
        form.addRow(_("Tahun anggaran"), self.period)
        form.addRow(_("Nama penanda tangan"), self.signatory_name)
        form.addRow(_("Jabatan"), self.signatory_title)
        form.addRow(_("NIP (18 angka, boleh kosong)"), self.signatory_nip)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        form.addRow(buttons)

    def values(self) -> dict:
        return {
            "number": self.number.text(),
            "decided_on": self.decided_on.text().strip(),
            "about": self.about.text(),
            "program": self.program.currentData(),
            "period": self.period.text().strip(),
            "signatory_name": self.signatory_name.text(),
            "signatory_title": self.signatory_title.text(),
            "signatory_nip": self.signatory_nip.text().strip() or None,
        }


class ListsPage(QWidget):
    """Decisions, the partners' files and their answers, and what is still open."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.job: BackgroundJob | None = None
        self.last_file: Path | None = None
        self.last_answer = None
        self.dialog: SkDialog | None = None
        self._wanted: str | None = None  # the SK just made, chosen once the list is back
        self.program = QComboBox()
        self.program.addItem(_("Semua program"), None)
        for code, spec in PROGRAMS.items():
            self.program.addItem(spec.name, code)
        self.view = QComboBox()
        for key, label in _view_labels().items():
            self.view.addItem(label, key)
        for combo in (self.program, self.view):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.sk = QComboBox()
        self.new_sk_button = QPushButton(_("SK baru…"))
        self.new_sk_button.clicked.connect(self.new_sk)
        self.add_button = QPushButton(_("Masukkan terpilih ke SK"))
        self.add_button.clicked.connect(self.add_to_sk)
        self.pdf_button = QPushButton(_("Lampiran PDF…"))
        self.pdf_button.clicked.connect(lambda: self.attachment(".pdf"))
        self.xlsx_button = QPushButton(_("Lampiran XLSX…"))
        self.xlsx_button.clicked.connect(lambda: self.attachment(".xlsx"))
        self.period = QLineEdit(date.today().strftime("%Y-%m"))
        self.period.setMaximumWidth(90)
        self.bank_button = QPushButton(_("Daftar bank…"))
        self.bank_button.clicked.connect(lambda: self.make_file("bank"))
        self.bpjs_button = QPushButton(_("Daftar BPJS…"))
        self.bpjs_button.clicked.connect(lambda: self.make_file("bpjs"))
        self.bank_answer_button = QPushButton(_("Baca jawaban bank…"))
        self.bank_answer_button.clicked.connect(lambda: self.read_answer("bank"))
        self.bpjs_answer_button = QPushButton(_("Baca jawaban BPJS…"))
        self.bpjs_answer_button.clicked.connect(lambda: self.read_answer("bpjs"))
        self.table = widgets.table(
            [_("Nama"), _("NIK"), _("Program"), _("Periode / desa"), _("Keterangan")]
        )
        self.count_label = QLabel()
        self.result = widgets.hint()
        decisions = QHBoxLayout()
        decisions.addWidget(QLabel(_("SK:")))
        decisions.addWidget(self.sk, 1)
        for button in (self.new_sk_button, self.add_button, self.pdf_button, self.xlsx_button):
            decisions.addWidget(button)
        files = QHBoxLayout()
        files.addWidget(QLabel(_("Periode (TTTT-BB):")))
        files.addWidget(self.period)
        for button in (
            self.bank_button,
            self.bpjs_button,
            self.bank_answer_button,
            self.bpjs_answer_button,
        ):
            files.addWidget(button)
        files.addStretch()
        filters = QHBoxLayout()
        filters.addWidget(self.view)
        filters.addWidget(self.program)
        filters.addStretch()
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Daftar & SK")))
        layout.addLayout(decisions)
        layout.addLayout(files)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)

    # -- reading ------------------------------------------------------------------------------
    def reload(self) -> None:
        view, program = self.view.currentData(), self.program.currentData()
        self.desk.read(
            "lists", lambda db: (work.sks(db), work.pending(db, view, program)), self._show
        )

    def _show(self, found) -> None:
        sks, rows = found
        chosen = self._wanted or self.sk.currentData()
        self._wanted = None
        self.sk.blockSignals(True)
        self.sk.clear()
        for sk in sks:
            self.sk.addItem(
                _("{number}: {program} {period} ({people} orang)").format(
                    number=sk.number,
                    program=program_name(sk.program),
                    period=sk.period,
                    people=sk.people,
                ),
                sk.number,
            )
        if chosen is not None and self.sk.findData(chosen) >= 0:
            self.sk.setCurrentIndex(self.sk.findData(chosen))
        self.sk.blockSignals(False)
        widgets.fill(
            self.table,
            [[r[1], r[2], program_name(r[3]), r[4], r[5]] for r in rows],
            [r[0] for r in rows],
        )
        lines = _n("{count} baris", len(rows))
        self.count_label.setText(lines.format(count=format_count(len(rows))))

    # -- decisions ------------------------------------------------------------------------------
    def new_sk(self) -> None:
        self.dialog = SkDialog(self, self.program.currentData())
        self.dialog.accepted.connect(lambda: self._make_sk(self.dialog.values()))
        self.dialog.open()

    def _make_sk(self, values: dict) -> None:
        def make(reg):
            actor = operations.Actor(reg.operator_id, operations.OFFICE)
            operations.make_sk(reg, actor, **values)
            return values["number"]

        def done(number: str) -> None:
            self.result.setText(_("SK {number} dibuat.").format(number=number))
            self._wanted = number
            self.reload()

        self.desk.write(make, done, self._failed)

    def add_to_sk(self) -> None:
        number = self.sk.currentData()
        chosen = widgets.selected_ids(self.table)
        if number is None:
            self.result.setText(_("Buat atau pilih dulu SK-nya."))
            return
        if not chosen or self.view.currentData() != work.NOT_IN_SK:
            self.result.setText(_("Pilih dulu pendaftaran yang disetujui dan belum masuk SK."))
            return

        def add(reg):
            actor = operations.Actor(reg.operator_id, operations.OFFICE)
            operations.add_to_sk(reg, actor, number, chosen)
            return len(chosen)

        def done(count: int) -> None:
            self.result.setText(
                _("{count} pendaftaran dimasukkan ke SK {number}.").format(
                    count=count, number=number
                )
            )
            self.reload()
            self.desk.data_changed()

        self.desk.write(add, done, self._failed)

    def attachment(self, suffix: str) -> None:
        number = self.sk.currentData()
        if number is None:
            self.result.setText(_("Buat atau pilih dulu SK-nya."))
            return
        kind = suffix[1:].upper()
        out = widgets.pick_save(
            self,
            _("Simpan lampiran SK ({kind})").format(kind=kind),
            f"lampiran-sk{suffix}",
            f"{kind} (*{suffix})",
        )
        if out is None:
            return
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        path = self.desk.db_path
        self._run(
            lambda _p: work.attachment_file(path, number, out),
            self._file_written,
            _("Menulis lampiran SK…"),
        )

    # -- files and answers -----------------------------------------------------------------------
    def make_file(self, kind: str) -> None:
        period = self.period.text().strip()
        title = _("Simpan daftar bank") if kind == "bank" else _("Simpan daftar BPJS")
        suggested = f"{'bri' if kind == 'bank' else 'bpjs'}-{period}.xlsx"
        out = widgets.pick_save(self, title, suggested, "XLSX (*.xlsx)")
        if out is None:
            return
        path, operator = self.desk.db_path, self.desk.operator_id()
        if kind == "bank":
            fn = lambda progress: work.bank_file(path, period, out, operator, progress)  # noqa: E731
        else:
            fn = lambda progress: work.bpjs_file(path, period, out, operator, progress)  # noqa: E731
        self._run(fn, self._list_made, _("Menyusun daftar…"))

    def read_answer(self, kind: str) -> None:
        files = widgets.pick_files(
            self, _("Pilih berkas jawaban"), _("Lembar kerja atau CSV (*.xlsx *.xls *.ods *.csv)")
        )
        if not files:
            return
        path, operator, period = self.desk.db_path, self.desk.operator_id(), None
        typed = self.period.text().strip()
        if typed:
            period = typed
        source = files[0]
        self._run(
            lambda progress: work.answer_file(path, kind, source, period, operator, progress),
            self._answer_read,
            _("Membaca jawaban…"),
        )

    def _run(self, fn, success, label: str) -> None:
        self.result.setText(label)
        self.job = BackgroundJob(fn, parent=self, success=success, failure=self._failed)
        self.job.with_progress(label).start()

    def _file_written(self, out: Path) -> None:
        self.last_file = out
        self.result.setText(_("Berkas disimpan: {file}").format(file=out))

    def _list_made(self, made) -> None:
        self.last_file = made.path
        self.result.setText(
            _("Berkas disimpan: {file} ({rows} baris, jumlah {total}).").format(
                file=made.path, rows=made.batch.rows, total=format_rupiah(made.batch.total)
            )
        )
        if self.view.currentData() != work.WAITING:
            self.view.setCurrentIndex(self.view.findData(work.WAITING))
        else:
            self.reload()

    def _answer_read(self, answer) -> None:
        self.last_answer = answer
        lines = [answer.summary()]
        for item in answer.failed + answer.refused:
            lines.append(f"{item['nik']} {item['name']}: {item['reason'] or '-'}")
        for item in answer.unknown:
            lines.append(
                _("baris {row}: {nik}: {why}").format(
                    row=item["row"], nik=item["nik"] or "-", why=item["why"]
                )
            )
        self.result.setText("\n".join(lines[:30]))
        self.reload()
        self.desk.data_changed()

    def _failed(self, exc: BaseException) -> None:
        self.result.setText(str(getattr(exc, "message", None) or exc))
