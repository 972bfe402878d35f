"""A budget year's program amounts, quotas and periods, carried to laptops by return bundles."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk.domain.money import format_rupiah, parse_rupiah
from muba_desk.gui.format import fmt_date, program_name
from muba_desk.gui.office import widgets
from muba_desk.i18n import _, format_count
from muba_desk.office.decisions import BudgetProblem, budget_year, set_budget_year

VALUE_COLUMN = 2
# Figures that are money: shown and typed as rupiah ("Rp 325.000").
MONEY = frozenset({"amount_per_person_month", "budget_per_house", "max_grant", "premium_month"})
DATES = frozenset({"period_start", "period_end"})


def figure_label(name: str) -> str:
    """A budget figure in the users' words; an unknown one as it is stored."""
    labels = {
        "period_start": _("Awal periode"),
        "period_end": _("Akhir periode"),
        "quota": _("Kuota penerima"),
        "min_age": _("Umur terendah (tahun)"),
        "max_age": _("Umur tertinggi (tahun)"),
        "max_child_age": _("Umur anak tertinggi (tahun)"),
        "max_decile": _("Desil kesejahteraan tertinggi"),
        "amount_per_person_month": _("Besaran per orang per bulan"),
        "min_area_per_person": _("Luas lantai terkecil per orang (m²)"),
        "aid_gap_years": _("Jeda sejak bantuan rumah terakhir (tahun)"),
        "budget_per_house": _("Anggaran per rumah"),
        "min_members": _("Anggota paling sedikit"),
        "max_members": _("Anggota paling banyak"),
        "advised_members": _("Anggota yang dianjurkan"),
        "max_grant": _("Bantuan paling besar"),
        "premium_month": _("Iuran BPJS Ketenagakerjaan per orang per bulan"),
    }
    return labels.get(name, name)


def shown(name: str, value: object) -> str:
    """The figure as a clerk writes it: rupiah, grouped counts, dd/mm/yyyy."""
    if name in MONEY and isinstance(value, int) and not isinstance(value, bool):
        return format_rupiah(value)
    if name in DATES and isinstance(value, str):
        return fmt_date(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return format_count(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")  # 7,2 as Indonesians write it
    return str(value)


def editable(value: object) -> bool:
    """Numbers and dates are edited here; lists and tables of rules are not budget figures."""
    return isinstance(value, int | float | str) and not isinstance(value, bool)


def parse(text: str, like: object, name: str = "") -> object:
    """The typed text in the stored value's type; unreadable text is kept as typed, so the
    rules refuse it with a message naming the figure."""
    text = text.strip()
    if name in MONEY:
        try:
            return parse_rupiah(text)
        except ValueError:
            return text
    if name in DATES:
        try:
            return datetime.strptime(text, "%d/%m/%Y").date().isoformat()
        except ValueError:
            return text
    if isinstance(like, int):
        digits = text.replace(".", "")
        return int(digits) if digits.lstrip("-").isdigit() else text
    if isinstance(like, float):
        try:
            return float(text.replace(",", "."))
        except ValueError:
            return text
    return text


class BudgetPage(QWidget):
    """One row per program and figure; the value column is editable."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.loaded: dict[str, dict[str, object]] = {}
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.year.valueChanged.connect(lambda _v: self.reload())
        self.table = widgets.table([_("Program"), _("Isian"), _("Nilai")])
        self.save_button = QPushButton(_("Simpan tahun anggaran"))
        self.save_button.clicked.connect(self.save)
        self.result = widgets.hint()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Tahun anggaran")))
        top.addWidget(self.year)
        top.addStretch()
        top.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Tahun anggaran: besaran, kuota dan periode")))
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)

    def reload(self) -> None:
        year = self.year.value()
        self.desk.read("budget", lambda db: budget_year(db, year), self._show)

    def _show(self, values: dict[str, dict[str, object]]) -> None:
        self.loaded = values
        rows = [
            (program, name, value)
            for program, fields in values.items()
            for name, value in fields.items()
            if editable(value)
        ]
        self.table.setRowCount(len(rows))
        for r, (program, name, value) in enumerate(rows):
            texts = (program_name(program), figure_label(name), shown(name, value))
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if c != VALUE_COLUMN:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, (program, name))
                self.table.setItem(r, c, item)
        self.table.setEditTriggers(self.table.EditTrigger.AllEditTriggers)
        self.table.resizeColumnsToContents()

    def changed_values(self) -> dict[str, dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for r in range(self.table.rowCount()):
            item = self.table.item(r, VALUE_COLUMN)
            program, name = item.data(Qt.ItemDataRole.UserRole)
            old = self.loaded[program][name]
            if item.text() == shown(name, old):
                continue  # as loaded (a rupiah or a date read back may differ in form only)
            new = parse(item.text(), old, name)
            if new != old:
                out.setdefault(program, {})[name] = new
        return out

    def save(self) -> None:
        year, values = self.year.value(), self.changed_values()
        if not values:
            self.result.setText(_("Tidak ada yang berubah."))
            return
        self.desk.write(lambda reg: set_budget_year(reg, year, values), self._saved, self._failed)

    def _saved(self, written: list[str]) -> None:
        self.result.setText(
            _("{count} isian tahun {year} disimpan; ikut paket balasan berikutnya.").format(
                count=len(written), year=self.year.value()
            )
        )
        self.reload()

    @staticmethod
    def _named(key: str, year: int) -> str:
        """ "2027.BANTU_UMAK.quota" -> "Bantu Umak, Kuota penerima"."""
        program, _dot, name = key.removeprefix(f"{year}.").partition(".")
        return f"{program_name(program)}, {figure_label(name)}" if name else key

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, BudgetProblem):
            year = self.year.value()
            lines = [f"{self._named(key, year)}: {why}" for key, why in exc.errors.items()]
            self.result.setText(_("Belum disimpan:") + "\n" + "\n".join(lines))
        else:
            from muba_desk.gui.main_window import write_error

            self.result.setText(write_error(exc))
