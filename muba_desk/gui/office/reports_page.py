"""The dashboard: headline figures, simple bar charts, and export to XLSX and PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from muba_desk.domain.money import format_rupiah
from muba_desk.domain.programs import PROGRAMS
from muba_desk.gui.jobs import BackgroundJob
from muba_desk.gui.office import widgets
from muba_desk.gui.office.bars import BarChart
from muba_desk.i18n import _, format_count
from muba_desk.printing.base import office_settings
from muba_desk.reports.figures import Figures, compute
from muba_desk.reports.pdf import totals, write_pdf
from muba_desk.reports.xlsx import write_xlsx
from muba_desk.store.db import connect

MONEY = "Uang diserahkan"
YEARS_BACK = 5


def figures_of(db_path: Path, year: int | None, program: str | None, progress) -> Figures:
    db = connect(db_path)
    try:
        return compute(db, year=year, program=program, progress=progress)
    finally:
        db.close()


def export(db_path: Path, figures: Figures, out: Path, progress=None) -> Path:
    """Write `figures` as XLSX or PDF by the file's ending; a Cancel writes nothing."""
    if out.suffix.lower() == ".xlsx":
        title = f"Laporan {figures.scope}"
        return write_xlsx(figures.tables, out, title=title, progress=progress)
    db = connect(db_path)
    try:
        settings = office_settings(db)
    finally:
        db.close()
    return write_pdf(
        figures, out, address=settings["address"], place=settings["place"], progress=progress
    )


def _rows(figures: Figures, table: str, key: str, columns: list[str]) -> list:
    t = figures.table(table)
    k = t.columns.index(key)
    found: dict[str, list[float]] = {}
    for row in t.rows:
        values = found.setdefault(str(row[k]), [0.0] * len(columns))
        for i, column in enumerate(columns):
            values[i] += row[t.columns.index(column)] or 0
    return sorted(found.items(), key=lambda item: -item[1][0])


class ReportsPage(QWidget):
    """Choose year and program, see the figures, export them."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.figures: Figures | None = None
        self.job: BackgroundJob | None = None
        self.last_export: Path | None = None
        self.year = QComboBox()
        self.year.addItem(_("Semua tahun"), None)
        for year in range(date.today().year, date.today().year - YEARS_BACK, -1):
            self.year.addItem(str(year), year)
        self.program = QComboBox()
        self.program.addItem(_("Semua program"), None)
        for code, program in PROGRAMS.items():
            self.program.addItem(program.name, code)
        for combo in (self.year, self.program):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.xlsx_button = QPushButton(_("Ekspor XLSX…"))
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        self.pdf_button = QPushButton(_("Ekspor PDF…"))
        self.pdf_button.clicked.connect(lambda: self.export(".pdf"))
        self.status = widgets.hint()
        self.tiles = QGridLayout()
        self.tile_labels: dict[str, QLabel] = {}
        self.program_chart = BarChart()
        self.district_chart = BarChart()
        top = QHBoxLayout()
        top.addWidget(self.year)
        top.addWidget(self.program)
        top.addStretch()
        top.addWidget(self.xlsx_button)
        top.addWidget(self.pdf_button)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(self.tiles)
        body_layout.addWidget(self.program_chart)
        body_layout.addWidget(self.district_chart)
        body_layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Dasbor dan laporan")))
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)

    def reload(self) -> None:
        path, year, program = self.desk.db_path, self.year.currentData(), self.program.currentData()
        self.status.setText(_("Menghitung…"))
        self.job = BackgroundJob(
            lambda progress: figures_of(path, year, program, progress),
            parent=self,
            success=self._show,
        ).with_progress(_("Menghitung laporan…"))
        self.job.start()

    def _show(self, figures: Figures) -> None:
        self.figures = figures
        self.status.setText(figures.scope)
        for i, (name, value) in enumerate(totals(figures).items()):
            label = self.tile_labels.get(name)
            if label is None:
                label = self.tile_labels[name] = QLabel()
                label.setStyleSheet(
                    "QLabel { background: #f3f4f6; border-radius: 6px; padding: 8px; }"
                )
                self.tiles.addWidget(label, i // 4, i % 4)
            shown = format_rupiah(value) if name == MONEY else format_count(value)
            label.setText(f"<b style='font-size:16px'>{shown}</b><br>{tile_title(name)}")
        self.program_chart.set_data(
            _("Pendaftaran per program"),
            [_("Terdaftar"), _("Disetujui")],
            _rows(figures, "Program", "Program", ["Terdaftar", "Disetujui"]),
        )
        self.district_chart.set_data(
            _("Pendaftaran per kecamatan"),
            [_("Terdaftar"), _("Disetujui")],
            _rows(figures, "Kecamatan", "Kecamatan", ["Terdaftar", "Disetujui"]),
        )

    def export(self, suffix: str) -> None:
        if self.figures is None:
            self.status.setText(_("Tunggu sampai laporan selesai dihitung."))
            return
        kind = "XLSX" if suffix == ".xlsx" else "PDF"
        out = widgets.pick_save(
            self,
            _("Simpan laporan {kind}").format(kind=kind),
            f"laporan-muba-desk{suffix}",
            f"{kind} (*{suffix})",
        )
        if out is None:
            return
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        path, figures = self.desk.db_path, self.figures

        def done(written: Path) -> None:
            self.last_export = written
            self.status.setText(_("Laporan disimpan: {file}").format(file=written))

        def cancelled() -> None:
            self.status.setText(
                _("Ekspor dibatalkan; berkas {file} tidak ditulis.").format(file=out)
            )

        self.job = BackgroundJob(
            lambda progress: export(path, figures, out, progress),
            parent=self,
            success=done,
            cancelled=cancelled,
        )
        self.job.with_progress(_("Menulis laporan…")).start()


def tile_title(name: str) -> str:
    """A dashboard tile's title in the window's language (the report's own are Indonesian)."""
    return {
        "Pendaftaran": _("Pendaftaran"),
        "Disetujui": _("Disetujui"),
        "Ditolak": _("Ditolak"),
        "Persetujuan ditarik": _("Persetujuan ditarik"),
        "Penyerahan tunai": _("Penyerahan tunai"),
        "Uang diserahkan": _("Uang diserahkan"),
        "Penyerahan barang": _("Penyerahan barang"),
        "Penduduk terdaftar": _("Penduduk terdaftar"),
        "Tanpa NIK": _("Tanpa NIK"),
    }.get(name, name)
