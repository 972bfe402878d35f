"""The merged registry: everyone from every laptop, filtered and paged, with each history."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from muba_desk.domain.areas import areas
from muba_desk.domain.programs import PROGRAMS
from muba_desk.domain.status import Status
from muba_desk.gui.format import fmt_date, fmt_datetime, program_name, status_label
from muba_desk.gui.office import widgets
from muba_desk.gui.office.history_html import person_html
from muba_desk.i18n import _, format_count
from muba_desk.office.laptops_data import laptop_choices
from muba_desk.office.registry_query import (
    Page,
    PersonRow,
    RegistryFilter,
    browse_people,
    count_people,
    id_names,
    person_history,
)

PAGE_SIZE = 100
TYPING_DELAY_MS = 250


class RegistryPage(QWidget):
    """Filters on top, a page of people on the left, the chosen person's history on the right."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.rows: list[PersonRow] = []
        self.total = 0
        self.pages: list[tuple[str, int] | None] = [None]  # the `after` of each page shown
        self.next_after: tuple[str, int] | None = None
        self._timer = QTimer(self, singleShot=True, interval=TYPING_DELAY_MS)
        self._timer.timeout.connect(self.search)
        self.text = QLineEdit()
        self.text.setPlaceholderText(_("Cari nama, NIK, KK…"))
        self.text.textChanged.connect(lambda _t: self._timer.start())
        self.program = QComboBox()
        self.program.addItem(_("Semua program"), None)
        for code, program in PROGRAMS.items():
            self.program.addItem(program.name, code)
        self.status = QComboBox()
        self.status.addItem(_("Semua status"), None)
        for status in Status:
            self.status.addItem(status_label(str(status)), str(status))
        self.district = QComboBox()
        self.district.addItem(_("Semua kecamatan"), None)
        for district in areas().muba_districts():
            self.district.addItem(district.name, district.code)
        self.village = QComboBox()
        self.district.currentIndexChanged.connect(self._fill_villages)
        self.laptop = QComboBox()
        self.use_dates = QCheckBox(_("Tanggal"))
        self.date_from = QDateEdit(QDate.currentDate().addMonths(-1))
        self.date_to = QDateEdit(QDate.currentDate())
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        for combo in (self.program, self.status, self.district, self.village, self.laptop):
            combo.currentIndexChanged.connect(lambda _i: self._timer.start())
        for widget in (self.use_dates, self.date_from, self.date_to):
            signal = widget.toggled if widget is self.use_dates else widget.dateChanged
            signal.connect(lambda *_a: self._timer.start())
        self._fill_villages()
        self.table = widgets.table(
            [
                _("Nama"),
                _("NIK"),
                _("JK"),
                _("Lahir"),
                _("Desa"),
                _("Kecamatan"),
                _("Laptop pendaftar"),
                _("Didaftarkan pada"),
                _("Terakhir diubah pada"),
                _("Program"),
            ]
        )
        self.table.itemSelectionChanged.connect(self._open_selected)
        self.count_label = QLabel()
        self.previous_button = QPushButton(_("‹ Sebelumnya"))
        self.previous_button.clicked.connect(self.previous_page)
        self.next_button = QPushButton(_("Berikutnya ›"))
        self.next_button.clicked.connect(self.next_page)
        self.shown_id: str | None = None  # the person the details pane shows
        self.details = QTextBrowser()
        self.details.setPlaceholderText(_("Pilih seseorang untuk melihat riwayatnya."))
        filters = QGridLayout()
        filters.addWidget(self.text, 0, 0, 1, 2)
        filters.addWidget(self.program, 0, 2)
        filters.addWidget(self.status, 0, 3)
        filters.addWidget(self.district, 1, 0)
        filters.addWidget(self.village, 1, 1)
        filters.addWidget(self.laptop, 1, 2)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.date_to)
        filters.addLayout(dates, 1, 3)
        paging = QHBoxLayout()
        paging.addWidget(self.count_label, 1)
        paging.addWidget(self.previous_button)
        paging.addWidget(self.next_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table)
        left_layout.addLayout(paging)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Registri gabungan seluruh laptop")))
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

    def _fill_villages(self) -> None:
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem(_("Semua desa"), None)
        district = self.district.currentData()
        if district:
            for village in areas().villages(district):
                self.village.addItem(village.name, village.code)
        self.village.setEnabled(bool(district))
        self.village.blockSignals(False)

    def current_filter(self) -> RegistryFilter:
        dates = self.use_dates.isChecked()
        return RegistryFilter(
            text=self.text.text().strip() or None,
            program=self.program.currentData(),
            status=self.status.currentData(),
            district=self.district.currentData(),
            village=self.village.currentData(),
            laptop=self.laptop.currentData(),
            date_from=self.date_from.date().toString(Qt.DateFormat.ISODate) if dates else None,
            date_to=self.date_to.date().toString(Qt.DateFormat.ISODate) if dates else None,
        )

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        self.desk.read("registry-laptops", laptop_choices, self._fill_laptops)
        self.search()

    def _fill_laptops(self, choices: list[tuple[str, str]]) -> None:
        chosen = self.laptop.currentData()
        self.laptop.blockSignals(True)
        self.laptop.clear()
        self.laptop.addItem(_("Semua laptop"), None)
        for code, label in choices:
            self.laptop.addItem(label, code)
        self.laptop.setCurrentIndex(max(0, self.laptop.findData(chosen)))
        self.laptop.blockSignals(False)

    def search(self) -> None:
        """Count, then show the first page."""
        self.pages = [None]
        self._load(count=True)

    def _load(self, count: bool = False) -> None:
        f, after, known = self.current_filter(), self.pages[-1], None if count else self.total

        def read(db) -> tuple[int, Page]:
            total = count_people(db, f) if known is None else known
            return total, browse_people(db, f, limit=PAGE_SIZE, after=after, total=total)

        self.count_label.setText(_("Mencari…"))
        self.desk.read("registry", read, self._show)

    def _show(self, result: tuple[int, Page]) -> None:
        self.total, page = result
        self.rows, self.next_after = page.rows, page.after
        if self.shown_id not in {r.id for r in page.rows}:
            # Whoever the pane showed is not in this list: it must not look as if they were.
            self.shown_id = None
            self.details.clear()
        widgets.fill(
            self.table,
            [
                [
                    r.name,
                    r.nik or "–",
                    r.sex,
                    fmt_date(r.birth_date),
                    r.village or "–",
                    r.district or "–",
                    r.laptop,
                    fmt_datetime(r.created_at),
                    fmt_datetime(r.updated_at or r.created_at),
                    ", ".join(program_name(p) for p, _s in r.enrolments),
                ]
                for r in page.rows
            ],
            [r.id for r in page.rows],
        )
        first = (len(self.pages) - 1) * PAGE_SIZE
        if self.rows:
            text = _("{first}–{last} dari {total} penduduk").format(
                first=format_count(first + 1),
                last=format_count(first + len(self.rows)),
                total=format_count(self.total),
            )
        else:
            text = _("Tidak ada penduduk yang cocok.")
        self.count_label.setText(text)
        self.previous_button.setEnabled(len(self.pages) > 1)
        self.next_button.setEnabled(self.next_after is not None)

    def next_page(self) -> None:
        if self.next_after is not None:
            self.pages.append(self.next_after)
            self._load()

    def previous_page(self) -> None:
        if len(self.pages) > 1:
            self.pages.pop()
            self._load()

    # -- one person ------------------------------------------------------------------------
    def _open_selected(self) -> None:
        chosen = widgets.selected_ids(self.table)
        row = next((r for r in self.rows if chosen and r.id == chosen[0]), None)
        if row is None:
            return
        self.shown_id = row.id

        def read(db):
            entries = person_history(db, row.id)
            return entries, id_names(db, entries)

        def show(found) -> None:
            if self.shown_id == row.id:  # not replaced by a newer choice or list meanwhile
                self.details.setHtml(person_html(row, *found))

        self.desk.read("registry-history", read, show)
