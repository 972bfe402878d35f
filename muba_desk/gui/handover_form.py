"""Record a hand-over: cash per tranche or goods per item, its date and how it was confirmed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk import i18n
from muba_desk.core import operations
from muba_desk.domain.goods import parse_quantity
from muba_desk.domain.programs import Field
from muba_desk.domain.programs.base import RELATIONS, parse_value
from muba_desk.domain.status import Status
from muba_desk.gui.enrolment_form import ERROR_STYLE
from muba_desk.gui.field_widgets import LineInput
from muba_desk.i18n import _
from muba_desk.store.enrolment_reads import Enrolment, handover_start

# Programs whose aid is usually money; the others hand over goods (the worker may switch).
CASH_PROGRAMS = frozenset({"BANTU_UMAK", "PKM", "KUBE_UEP"})
AMOUNT = Field("amount", "money", "Jumlah uang", "Amount", min=1)
HANDED_AT = Field("handed_at", "date", "Tanggal penyerahan", "Date handed over", required=True)


def confirmations() -> list[tuple[str, str]]:
    return [
        ("tanda_tangan", _("Tanda tangan penerima")),
        ("cap_jempol", _("Cap jempol penerima")),
        ("kuasa", _("Diwakilkan (kuasa)")),
    ]


class HandoverForm(QDialog):
    """One hand-over of an approved enrolment; the first one makes the enrolment Aktif."""

    saved = Signal(dict)

    def __init__(self, backend, enrolment_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.backend, self.enrolment_id = backend, enrolment_id
        self.enrolment: Enrolment | None = None
        self.row: dict | None = None
        self.saving = False
        self.setWindowTitle(_("Catat penyerahan"))
        self.heading = QLabel(_("Memuat data…"))
        self.heading.setWordWrap(True)
        self.cash = QRadioButton(_("Uang"))
        self.goods = QRadioButton(_("Barang"))
        kinds = QButtonGroup(self)
        kinds.addButton(self.cash)
        kinds.addButton(self.goods)
        self.cash.setChecked(True)
        self.cash.toggled.connect(self._sync)
        self.amount = LineInput(AMOUNT)
        self.amount_hint = QLabel()
        self.amount_hint.setWordWrap(True)
        self.amount_hint.setStyleSheet("color: #555")
        self.tranche = QLineEdit()
        self.tranche.setPlaceholderText(_("contoh: Tahap 1, atau Januari 2026"))
        self.items = QTableWidget(1, 3)
        self.items.setHorizontalHeaderLabels([_("Barang"), _("Jumlah"), _("Satuan")])
        self.items.horizontalHeader().setStretchLastSection(True)
        self.items.setColumnWidth(0, 280)
        self.items.setMinimumHeight(120)
        self.add_row = add_row = QPushButton(_("Tambah barang"))
        add_row.setAutoDefault(False)
        add_row.clicked.connect(lambda: self.items.insertRow(self.items.rowCount()))
        self.handed_at = LineInput(HANDED_AT)
        self.handed_at.set_raw(date.today().isoformat())
        self.confirmed_by = QComboBox()
        for value, label in confirmations():
            self.confirmed_by.addItem(label, value)
        self.confirmed_by.currentIndexChanged.connect(self._sync)
        self.proxy_name = QLineEdit()
        self.proxy_relation = QComboBox()
        self.proxy_relation.addItem(_("— pilih —"), None)
        for choice in RELATIONS:
            self.proxy_relation.addItem(choice.label(i18n.language()), choice.value)
        self.operator = QLabel(backend.operator_name or backend.operator_id or "-")
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.cash)
        kind_row.addWidget(self.goods)
        kind_row.addStretch()
        form.addRow(_("Bentuk bantuan"), kind_row)
        form.addRow(_("Jumlah uang"), self.amount)
        form.addRow("", self.amount_hint)
        form.addRow(_("Tahap / bulan"), self.tranche)
        form.addRow(_("Daftar barang"), self.items)
        form.addRow("", add_row)
        form.addRow(_("Tanggal penyerahan *"), self.handed_at)
        form.addRow(_("Dikonfirmasi dengan"), self.confirmed_by)
        form.addRow(_("Nama kuasa"), self.proxy_name)
        form.addRow(_("Hubungan kuasa"), self.proxy_relation)
        form.addRow(_("Petugas"), self.operator)
        self.form = form
        self.save_button = QPushButton(_("&Simpan"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton(_("Batal"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._sync()
        self.resize(640, 560)
        backend.read(lambda db: handover_start(db, enrolment_id), self._loaded)

    def _loaded(self, found) -> None:
        enrolment, suggestion = found
        self.enrolment = enrolment
        if enrolment is None:
            self.heading.setText(_("Pendaftaran ini tidak ditemukan."))
            self.save_button.setEnabled(False)
            return
        status = Status(enrolment.status).label(i18n.language())
        self.heading.setText(
            _(
                "<b>{program}</b> untuk {who} · status {status} · {count} penyerahan sebelumnya"
            ).format(
                program=enrolment.program_name,
                who=enrolment.who,
                status=status,
                count=len(enrolment.handovers),
            )
        )
        aid = enrolment.data.get("aid_form")
        cash = enrolment.program in CASH_PROGRAMS or aid in ("tunai", "tunai_barang")
        (self.cash if cash else self.goods).setChecked(True)
        self.tranche.setText(_("Tahap {n}").format(n=len(enrolment.handovers) + 1))
        if suggestion is not None and not self.amount.raw().strip():
            # The rules' amount, filled in and said where it comes from; the worker may change
            # it to what was really handed over.
            self.amount.set_raw(str(suggestion.amount))
            self.amount_hint.setText(suggestion.why(i18n.language()))
        self._sync()

    def _sync(self) -> None:
        cash = self.cash.isChecked()
        self.form.setRowVisible(self.amount, cash)
        self.form.setRowVisible(self.amount_hint, cash and bool(self.amount_hint.text()))
        self.form.setRowVisible(self.items, not cash)
        self.form.setRowVisible(self.add_row, not cash)
        proxy = self.confirmed_by.currentData() == "kuasa"
        self.form.setRowVisible(self.proxy_name, proxy)
        self.form.setRowVisible(self.proxy_relation, proxy)

    def item_rows(self) -> list[dict]:
        rows = []
        for r in range(self.items.rowCount()):
            cells = [self.items.item(r, c) for c in range(3)]
            name, qty, unit = ((c.text().strip() if c else "") for c in cells)
            if name:  # the quantity is read in collect(): a number there, or refused
                rows.append({"name": name, "quantity": qty, "unit": unit})
        return rows

    def set_item(self, row: int, name: str, quantity: str, unit: str) -> None:
        while self.items.rowCount() <= row:
            self.items.insertRow(self.items.rowCount())
        for column, text in enumerate((name, quantity, unit)):
            self.items.setItem(row, column, QTableWidgetItem(text))

    def collect(self) -> dict:
        """The hand-over's values; ValueError with an Indonesian message for the first problem."""
        handed_at = parse_value(HANDED_AT, self.handed_at.raw())
        if not handed_at:
            raise ValueError(_("Tanggal penyerahan wajib diisi."))
        values: dict = {"handed_at": handed_at, "confirmed_by": self.confirmed_by.currentData()}
        if self.cash.isChecked():
            amount = parse_value(AMOUNT, self.amount.raw())
            if not amount or amount <= 0:
                raise ValueError(_("Jumlah uang wajib diisi."))
            values["amount"] = amount
        else:
            items = self.item_rows()
            for item in items:
                try:  # stored as a number (domain.goods): "1.800" is 1800 portions
                    item["quantity"] = parse_quantity(item["quantity"])
                except ValueError:
                    raise ValueError(
                        _("Jumlah barang “{name}” harus berupa angka.").format(name=item["name"])
                    ) from None
            if not items:
                raise ValueError(_("Isi paling sedikit satu barang."))
            values["items"] = items
        values["tranche"] = self.tranche.text().strip() or None
        if values["confirmed_by"] == "kuasa":
            name, relation = self.proxy_name.text().strip(), self.proxy_relation.currentData()
            if not name or not relation:
                raise ValueError(_("Nama dan hubungan kuasa wajib diisi."))
            values["proxy_name"], values["proxy_relation"] = name, relation
        return values

    def save(self) -> None:
        if self.saving or self.enrolment is None:
            return
        try:
            values = self.collect()
        except ValueError as exc:
            self._failed(exc)
            return
        self.saving = True
        enrolment_id = self.enrolment_id
        self.backend.write(
            lambda reg: operations.record_handover(
                reg, operations.Actor(reg.operator_id), enrolment_id=enrolment_id, **values
            ),
            self._saved,
            self._failed,
        )

    def _saved(self, changes: operations.Changes) -> None:
        row = changes.row
        self.saving = False
        self.row = row
        self.saved.emit(row)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(str(exc))
