"""A budget year's program amounts, quotas and periods, carried to laptops by return bundles."""

from __future__ import annotations

from datetime import date

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

from muba_desk.gui.format import program_name
from muba_desk.gui.office import widgets
from muba_desk.i18n import _
from muba_desk.office.decisions import BudgetProblem, budget_year, set_budget_year

VALUE_COLUMN = 2


def editable(value: object) -> bool:
    """Numbers and dates are edited here; lists and tables of rules are not budget figures."""
    return isinstance(value, int | float | str) and not isinstance(value, bool)


def parse(text: str, like: object) -> object:
    text = text.strip().replace(".", "") if isinstance(like, int) else text.strip()
    if isinstance(like, int):
        return int(text) if text.lstrip("-").isdigit() else text
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
            for c, text in enumerate((program_name(program), name, str(value))):
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
            new = parse(item.text(), old)
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

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, BudgetProblem):
            year = self.year.value()
            lines = [f"{key.removeprefix(f'{year}.')}: {why}" for key, why in exc.errors.items()]
            self.result.setText(_("Belum disimpan:") + "\n" + "\n".join(lines))
        else:
            from muba_desk.gui.main_window import write_error

            self.result.setText(write_error(exc))
