"""The duplicates queue: scan, compare two people side by side, merge or keep both."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.jobs import BackgroundJob
from muba_desk.gui.office import widgets
from muba_desk.gui.office.pair_facts import pair_facts
from muba_desk.i18n import _
from muba_desk.office.duplicates import (
    MergeProblem,
    candidates,
    find_duplicates,
    mark_not_same,
    merge_people,
)

DIFFERENT = QColor("#fef3c7")


def kind_label(kind: str) -> str:
    return {
        "nik": _("NIK sama"),
        "name_birth": _("Nama dan tanggal lahir sama"),
        "similar": _("Mungkin orang yang sama"),
        "forbidden_pair": _("Bantuan rangkap yang dilarang"),
        "once": _("Bantuan yang hanya boleh sekali"),
    }.get(kind, kind)


class DuplicatesPage(QWidget):
    """The queue on the left; the chosen pair side by side with the decision on the right."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.queue: list = []
        self.current = None
        self.people: tuple[str | None, str | None] = (None, None)
        self.job: BackgroundJob | None = None
        self.scan_button = QPushButton(_("Periksa data ganda"))
        self.scan_button.clicked.connect(self.scan)
        self.scan_label = QLabel()
        self.list = widgets.table([_("Skor"), _("Jenis"), _("Alasan")])
        self.list.itemSelectionChanged.connect(self._open_selected)
        self.pair = widgets.table([_("Data"), _("Kiri (A)"), _("Kanan (B)")])
        self.keep = QComboBox()
        self.keep.addItem(_("Simpan kiri (A), gabungkan kanan ke dalamnya"), 0)
        self.keep.addItem(_("Simpan kanan (B), gabungkan kiri ke dalamnya"), 1)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Alasan keputusan (wajib)"))
        self.merge_button = QPushButton(_("Gabungkan…"))
        self.merge_button.clicked.connect(self.merge)
        self.not_same_button = QPushButton(_("Bukan orang yang sama…"))
        self.not_same_button.clicked.connect(self.not_same)
        self.result = widgets.hint()
        top = QHBoxLayout()
        top.addWidget(self.scan_button)
        top.addWidget(self.scan_label, 1)
        decide = QHBoxLayout()
        decide.addWidget(self.keep)
        decide.addWidget(self.merge_button)
        decide.addWidget(self.not_same_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.pair, 1)
        right_layout.addWidget(self.reason)
        right_layout.addLayout(decide)
        right_layout.addWidget(self.result)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Kemungkinan data ganda")))
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._enable(False)

    def _enable(self, on: bool, merge: bool = True) -> None:
        for widget in (self.reason, self.not_same_button):
            widget.setEnabled(on)
        self.merge_button.setEnabled(on and merge)
        self.keep.setEnabled(on and merge)

    # -- the queue -----------------------------------------------------------------------
    def reload(self) -> None:
        self.desk.read("duplicates", candidates, self._show)

    def _show(self, queue: list) -> None:
        self.queue = queue
        widgets.fill(
            self.list,
            [
                [
                    f"{c.score:.2f}" if c.score is not None else "–",
                    kind_label(c.kind),
                    "; ".join(c.reasons),
                ]
                for c in queue
            ],
            [c.id for c in queue],
        )
        self.scan_label.setText(_("{count} menunggu keputusan").format(count=len(queue)))
        self.current = None
        self.pair.setRowCount(0)
        self._enable(False)

    def scan(self) -> None:
        path = self.desk.db_path
        self.scan_button.setEnabled(False)
        self.scan_label.setText(_("Memeriksa…"))

        def finished() -> None:
            self.scan_button.setEnabled(True)
            self.reload()

        self.job = BackgroundJob(
            lambda progress: find_duplicates(path, progress),
            parent=self,
            success=lambda _n: finished(),
            cancelled=finished,
        )
        self.job.finished.connect(lambda: self.scan_button.setEnabled(True))
        self.job.with_progress(_("Memeriksa data ganda di seluruh registri…")).start()

    # -- one pair --------------------------------------------------------------------------
    def _open_selected(self) -> None:
        chosen = widgets.selected_ids(self.list)
        self.current = next((c for c in self.queue if chosen and c.id == chosen[0]), None)
        if self.current is None:
            return
        c = self.current
        self.desk.read(
            "duplicate-pair", lambda db: pair_facts(db, c.table_name, c.row_a, c.row_b), self._pair
        )

    def _pair(self, facts) -> None:
        if self.current is None:
            return  # the queue was reloaded meanwhile; nothing is chosen any more
        a, b, person_a, person_b = facts
        self.people = (person_a, person_b)
        labels = list(dict.fromkeys([*a, *b]))
        self.pair.setRowCount(len(labels))
        for row, label in enumerate(labels):
            values = (label, a.get(label, "–"), b.get(label, "–"))
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if col and values[1] != values[2]:
                    item.setBackground(DIFFERENT)  # what differs is what the clerk must check
                self.pair.setItem(row, col, item)
        self.pair.resizeColumnsToContents()
        self._enable(True, merge=self.current.table_name == "person")
        self.result.clear()

    # -- decisions -------------------------------------------------------------------------
    def _reason(self) -> str | None:
        reason = self.reason.text().strip()
        if not reason:
            self.result.setText(_("Tuliskan alasan keputusan dulu."))
            self.reason.setFocus()
            return None
        return reason

    def merge(self) -> None:
        reason = self._reason()
        if reason is None or self.current is None:
            return
        a, b = self.people
        keep, other = (a, b) if self.keep.currentData() == 0 else (b, a)
        widgets.confirm(
            self,
            _("Gabungkan"),
            _(
                "Gabungkan kedua data menjadi satu orang? Pendaftaran, foto dan keanggotaan "
                "kelompok pindah ke data yang disimpan; riwayat keduanya tetap ada."
            ),
            lambda: self.desk.write(
                lambda reg: merge_people(reg, keep, other, reason), self._merged, self._failed
            ),
        )

    def _merged(self, moved: dict) -> None:
        notes = " ".join(moved.get("notes", []))
        self.reason.clear()
        self.reload()
        self.result.setText(
            _("Digabung: {count} pendaftaran dipindahkan. {notes}").format(
                count=len(moved.get("enrolment", [])), notes=notes
            )
        )
        self.desk.data_changed()

    def not_same(self) -> None:
        reason = self._reason()
        if reason is None or self.current is None:
            return
        candidate_id = self.current.id
        widgets.confirm(
            self,
            _("Bukan orang yang sama"),
            _(
                "Tandai keduanya sebagai bukan orang yang sama? Pasangan ini tidak akan "
                "diantrekan lagi."
            ),
            lambda: self.desk.write(
                lambda reg: mark_not_same(reg, candidate_id, reason), self._marked, self._failed
            ),
        )

    def _marked(self, _result) -> None:
        self.reason.clear()
        self.reload()
        self.result.setText(_("Ditandai bukan orang yang sama."))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, MergeProblem):
            self.result.setText(str(exc))
        else:
            from muba_desk.gui.main_window import write_error

            self.result.setText(write_error(exc))
