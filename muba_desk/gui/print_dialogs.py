"""The small choosers of the Cetak menu: what to print (a hand-over, a village) and how."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk.domain.areas import areas
from muba_desk.i18n import _


def card_layouts() -> list[tuple[str, str]]:
    return [
        (_("Lembar A4, 10 kartu dengan tanda potong"), "a4"),
        (_("Printer kartu, 1 kartu per halaman"), "card"),
    ]


def receipt_layouts() -> list[tuple[str, str]]:
    return [
        (_("A4, dua lembar: untuk penerima dan untuk Dinas Sosial"), "a4"),
        (_("A5, satu lembar"), "a5"),
        (_("Struk printer termal 58 mm"), "58mm"),
        (_("Struk printer termal 80 mm"), "80mm"),
    ]


def _combo(choices: list[tuple[str, Any]], current: Any = None) -> QComboBox:
    combo = QComboBox()
    for label, value in choices:
        combo.addItem(label, value)
    index = combo.findData(current)
    combo.setCurrentIndex(max(index, 0))
    return combo


class ChoiceDialog(QDialog):
    """An optional list to pick one row from and an optional layout; Enter accepts."""

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        items: list[tuple[str, Any]] | None = None,
        layouts: list[tuple[str, str]] | None = None,
        layout: str | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(760)
        box = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        box.addWidget(label)
        self.list: QListWidget | None = None
        if items is not None:
            self.list = QListWidget()
            for text, value in items:
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, value)
                self.list.addItem(item)
            self.list.setCurrentRow(0)
            self.list.itemActivated.connect(lambda _item: self.accept())
            box.addWidget(self.list, 1)
        self.layout_combo: QComboBox | None = None
        if layouts is not None:
            self.layout_combo = _combo(layouts, layout)
            form = QFormLayout()
            form.addRow(_("Tata letak:"), self.layout_combo)
            box.addLayout(form)
        box.addWidget(_buttons(self))

    def chosen(self) -> Any:
        item = self.list.currentItem() if self.list is not None else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def layout_choice(self) -> str | None:
        return self.layout_combo.currentData() if self.layout_combo is not None else None


class VillageCardsDialog(QDialog):
    """District, then one of its villages (typing filters), then the card layout."""

    def __init__(self, *, village: str | None = None, layout: str = "a4", parent=None):
        super().__init__(parent)
        self.setWindowTitle(_("Kartu satu desa"))
        self.setMinimumWidth(480)
        known = areas()
        self.district = _combo([(d.name, d.code) for d in known.muba_districts()])
        self.village = QComboBox()
        self.village.setEditable(True)  # typing a name jumps to it among ~240 villages
        self.village.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.layout_combo = _combo(card_layouts(), layout)
        self.district.currentIndexChanged.connect(lambda _i: self._fill_villages())
        if village:
            try:
                self.district.setCurrentIndex(
                    self.district.findData(known.village(village).district_code)
                )
            except KeyError:
                village = None
        self._fill_villages(village)
        form = QFormLayout()
        form.addRow(_("Kecamatan:"), self.district)
        form.addRow(_("Desa / kelurahan:"), self.village)
        form.addRow(_("Tata letak:"), self.layout_combo)
        hint = QLabel(
            _(
                "Kartu peserta desa ini yang sudah disetujui kantor atau aktif dicetak ke satu "
                "PDF; pendaftaran yang belum disetujui tidak dicetak."
            )
        )
        hint.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(hint)
        box.addWidget(_buttons(self))

    def _fill_villages(self, current: str | None = None) -> None:
        self.village.clear()
        for village in areas().villages(self.district.currentData()):
            self.village.addItem(village.name, village.code)
        if current:
            self.village.setCurrentIndex(max(self.village.findData(current), 0))

    def village_code(self) -> str | None:
        index = self.village.findText(self.village.currentText())
        return self.village.itemData(index) if index >= 0 else None

    def village_name(self) -> str:
        return self.village.currentText()

    def layout_choice(self) -> str:
        return self.layout_combo.currentData()


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Pratinjau…"))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Batal"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class ThermalWidthDialog(QDialog):
    """How wide this laptop's roll printer prints, per roll (the receipt keeps inside it)."""

    def __init__(self, current: dict[str, float], parent: QWidget | None = None):
        from muba_desk.printing.thermal import PRINTABLE_LIMITS_MM, PRINTABLE_MM

        super().__init__(parent)
        self.setWindowTitle(_("Lebar cetak printer termal"))
        box = QVBoxLayout(self)
        note = QLabel(
            _(
                "Kepala printer termal tidak mencetak sampai tepi kertas. Isi lebar yang "
                "dicetaknya menurut buku petunjuk printer: umumnya 48 mm untuk kertas 58 mm "
                "dan 72 mm untuk kertas 80 mm."
            )
        )
        note.setWordWrap(True)
        box.addWidget(note)
        form = QFormLayout()
        self.spins: dict[str, QDoubleSpinBox] = {}
        low, high = PRINTABLE_LIMITS_MM
        for layout, label in (
            ("58mm", _("Kertas &58 mm, lebar cetak:")),
            ("80mm", _("Kertas &80 mm, lebar cetak:")),
        ):
            spin = QDoubleSpinBox()
            spin.setRange(low, min(high, float(layout[:2])))
            spin.setSingleStep(0.5)
            spin.setDecimals(1)
            spin.setSuffix(" mm")
            spin.setValue(current.get(layout) or PRINTABLE_MM[layout])
            form.addRow(label, spin)
            self.spins[layout] = spin
        box.addLayout(form)
        buttons = _buttons(self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Simpan"))
        box.addWidget(buttons)

    def values(self) -> dict[str, float]:
        return {layout: spin.value() for layout, spin in self.spins.items()}
