"""Enrolments waiting at the office (Terkirim): approve or reject, one or many, with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.domain.areas import areas
from muba_desk.domain.programs import PROGRAMS
from muba_desk.gui.format import fmt_datetime, program_name
from muba_desk.gui.office import widgets
from muba_desk.i18n import _, _n, format_count
from muba_desk.office.decision_queue import waiting
from muba_desk.office.decisions import BulkResult, decide_many


class DecisionsPage(QWidget):
    """Filters, the waiting list (multi-select), a reason and approve / reject."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.rows: list[tuple] = []
        self.tally = {True: 0, False: 0}  # approved and rejected since the window opened
        self.program = QComboBox()
        self.program.addItem(_("Semua program"), None)
        for code, program in PROGRAMS.items():
            self.program.addItem(program.name, code)
        self.district = QComboBox()
        self.district.addItem(_("Semua kecamatan"), None)
        for district in areas().muba_districts():
            self.district.addItem(district.name, district.code)
        for combo in (self.program, self.district):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.table = widgets.table([_("Nama"), _("Program"), _("Desa"), _("Laptop"), _("Terkirim")])
        self.count_label = QLabel()
        self.all_button = QPushButton(_("Pilih semua"))
        self.all_button.clicked.connect(self.table.selectAll)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Alasan (wajib untuk menolak)"))
        self.approve_button = QPushButton(_("Setujui terpilih…"))
        self.approve_button.clicked.connect(lambda: self.decide(True))
        self.reject_button = QPushButton(_("Tolak terpilih…"))
        self.reject_button.clicked.connect(lambda: self.decide(False))
        self.result = widgets.hint()
        filters = QHBoxLayout()
        filters.addWidget(self.program)
        filters.addWidget(self.district)
        filters.addStretch()
        filters.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.reason, 1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Keputusan pendaftaran")))
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.result)

    def reload(self) -> None:
        program, district = self.program.currentData(), self.district.currentData()
        self.desk.read("decisions", lambda db: waiting(db, program, district), self._show)

    def _show(self, rows: list[tuple]) -> None:
        self.rows = rows
        widgets.fill(
            self.table,
            [[r[1], program_name(r[2]), r[3] or "–", r[4], fmt_datetime(r[5])] for r in rows],
            [r[0] for r in rows],
        )
        self.count_label.setText(
            _n("{count} pendaftaran menunggu keputusan", len(rows)).format(
                count=format_count(len(rows))
            )
        )

    def decide(self, approve: bool) -> None:
        chosen = widgets.selected_ids(self.table)
        reason = self.reason.text().strip() or None
        if not chosen:
            self.result.setText(_("Pilih dulu pendaftaran di daftar."))
            return
        if not approve and reason is None:
            self.result.setText(_("Tuliskan alasan penolakan."))
            self.reason.setFocus()
            return
        text = (
            _("Setujui {count} pendaftaran?") if approve else _("Tolak {count} pendaftaran?")
        ).format(count=len(chosen))
        widgets.confirm(
            self,
            _("Keputusan"),
            text,
            lambda: self.desk.write(
                lambda reg: decide_many(reg, chosen, approve, reason), self._decided
            ),
        )

    def _decided(self, result: BulkResult) -> None:
        names = {r[0]: r[1] for r in self.rows}
        self.tally[bool(result.approved)] += len(result.moved)
        done = (
            _("{count} pendaftaran disetujui.")
            if result.approved
            else _("{count} pendaftaran ditolak.")
        ).format(count=format_count(len(result.moved)))
        if result.refused:
            done += " " + _("{count} tidak dapat diubah:").format(
                count=format_count(len(result.refused))
            )
        lines = [done]
        lines += [f"{names.get(eid, eid)}: {why}" for eid, why in result.refused.items()]
        lines.append(
            _("Sejak jendela dibuka: {approved} disetujui, {rejected} ditolak.").format(
                approved=format_count(self.tally[True]), rejected=format_count(self.tally[False])
            )
        )
        self.result.setText("\n".join(lines))
        self.reason.clear()
        self.reload()
        self.desk.data_changed()
