"""An enrolment's status history and the moves a laptop may make, each with who and why."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk import i18n
from muba_desk.domain.programs import get_program, validate
from muba_desk.domain.status import DECIDED_AT_OFFICE, REASON_REQUIRED, Side, Status, moves_for
from muba_desk.gui.enrolment_form import ERROR_STYLE
from muba_desk.i18n import _, localized
from muba_desk.store import records
from muba_desk.store.enrolment_reads import Enrolment, load_enrolment


def _label(value: str | None) -> str:
    if not value:
        return "-"
    try:
        return Status(value).label(i18n.language())
    except ValueError:
        return value


def laptop_moves(current: str) -> list[Status]:
    """The moves a worker makes by hand. Terkirim is set by the export (the history names the
    bundle), Aktif by the first hand-over, decisions only at the office (domain.status.MOVERS)."""
    return moves_for(current, Side.LAPTOP)


class StatusDialog(QDialog):
    """The history table, then the next status and its reason."""

    changed = Signal(dict)

    def __init__(self, backend, enrolment_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.backend, self.enrolment_id = backend, enrolment_id
        self.enrolment: Enrolment | None = None
        self.setWindowTitle(_("Ubah status"))
        self.heading = QLabel(_("Memuat data…"))
        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels(
            [_("Dari"), _("Ke"), _("Alasan"), _("Waktu"), _("Petugas")]
        )
        self.history.horizontalHeader().setStretchLastSection(True)
        self.next_status = QComboBox()
        self.reason = QLineEdit()
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Status baru"), self.next_status)
        form.addRow(_("Alasan"), self.reason)
        self.save_button = QPushButton(_("&Simpan"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        close = QPushButton(_("Tutup"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.history, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.resize(720, 420)
        self.load()

    def load(self) -> None:
        enrolment_id = self.enrolment_id
        self.backend.read(lambda db: load_enrolment(db, enrolment_id), self._loaded)

    def _loaded(self, enrolment: Enrolment | None) -> None:
        self.enrolment = enrolment
        if enrolment is None:
            self.heading.setText(_("Pendaftaran ini tidak ditemukan."))
            self.save_button.setEnabled(False)
            return
        heading = _("<b>{program}</b> untuk {who} · status sekarang: <b>{status}</b>").format(
            program=enrolment.program_name, who=enrolment.who, status=_label(enrolment.status)
        )
        decided = [h for h in enrolment.history if h["to_status"] in DECIDED_AT_OFFICE]
        if decided and decided[-1]["reason"]:  # the office's, arrived in a return bundle
            heading += "<br>" + _("Alasan keputusan kantor: {reason}").format(
                reason=html.escape(decided[-1]["reason"])
            )
        self.heading.setText(heading)
        self.history.setRowCount(len(enrolment.history))
        for r, entry in enumerate(enrolment.history):
            cells = (
                _label(entry["from_status"]),
                _label(entry["to_status"]),
                entry["reason"] or "",
                (entry["created_at"] or "")[:16].replace("T", " "),
                entry["operator"] or "",
            )
            for c, text in enumerate(cells):
                self.history.setItem(r, c, QTableWidgetItem(text))
        self.next_status.clear()
        for status in laptop_moves(enrolment.status):
            self.next_status.addItem(status.label(i18n.language()), str(status))
        can_move = self.next_status.count() > 0
        self.save_button.setEnabled(can_move)
        if not can_move:
            self.message.setText(_("Status ini tidak dapat diubah di laptop."))

    def save(self) -> None:
        enrolment = self.enrolment
        target = self.next_status.currentData()
        if enrolment is None or not target:
            return
        reason = self.reason.text().strip() or None
        if Status(target) in REASON_REQUIRED and not reason:
            self._failed(ValueError(_("Alasan wajib diisi untuk status ini.")))
            return
        if target == Status.DIAJUKAN and validate(get_program(enrolment.program), enrolment.data):
            self._failed(ValueError(_("Isian pendaftaran belum lengkap; lengkapi dulu.")))
            return
        enrolment_id = self.enrolment_id
        self.backend.write(
            lambda reg: records.set_status(reg, enrolment_id, target, reason, side=Side.LAPTOP),
            self._saved,
            self._failed,
        )

    def _saved(self, row: dict) -> None:
        self.message.setStyleSheet("")
        status = _label(row["status"])
        self.message.setText(_("Status diubah menjadi {status}.").format(status=status))
        self.reason.clear()
        self.changed.emit(row)
        self.load()

    def _failed(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(localized(exc))
