"""Table models for the result lists: a row per search hit, columns described as data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from muba_desk.gui.format import EMPTY, fmt_date, sex_short
from muba_desk.i18n import _
from muba_desk.store.search import HouseholdHit, PersonHit

Index = QModelIndex | QPersistentModelIndex
DIGITS = "0000000000000000"  # a NIK or KK number
VILLAGE = "Sungai Lilin Jaya"


@dataclass(frozen=True)
class Column:
    title: Callable[[], str]  # called when shown, so a language switch needs no new model
    value: Callable[[Any], object]
    align_right: bool = False
    # Width: enough for this sample text; None shares out the remaining width.
    sample: str | None = None


def people_columns() -> list[Column]:
    return [
        Column(lambda: _("Nama"), lambda h: h.name),
        Column(lambda: _("L/P"), lambda h: sex_short(h.sex), sample="L/P"),
        Column(lambda: _("Tanggal lahir"), lambda h: fmt_date(h.birth_date), sample="00/00/0000"),
        Column(lambda: _("NIK"), lambda h: h.nik or _("tanpa NIK"), sample=DIGITS),
        Column(lambda: _("No. KK"), lambda h: h.kk_number, sample=DIGITS),
        Column(lambda: _("Desa/Kelurahan"), lambda h: h.village, sample=VILLAGE),
    ]


def household_columns() -> list[Column]:
    return [
        Column(lambda: _("No. KK"), lambda h: h.kk_number, sample=DIGITS),
        Column(lambda: _("Kepala keluarga"), lambda h: h.head_name),
        Column(lambda: _("Desa/Kelurahan"), lambda h: h.village, sample=VILLAGE),
        Column(lambda: _("Alamat"), lambda h: h.address),
        Column(lambda: _("Anggota"), lambda h: h.members, align_right=True, sample="Anggota"),
    ]


class HitsModel(QAbstractTableModel):
    """Read-only rows of search hits (PersonHit or HouseholdHit)."""

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self._columns = list(columns)
        self._hits: list[PersonHit | HouseholdHit] = []

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    def set_hits(self, hits: Sequence[PersonHit | HouseholdHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> PersonHit | HouseholdHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def row_of(self, hit_id: str) -> int | None:
        for row, hit in enumerate(self._hits):
            if hit.id == hit_id:
                return row
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            value = column.value(self._hits[index.row()])
            return EMPTY if value is None or value == "" else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title()
        return None
