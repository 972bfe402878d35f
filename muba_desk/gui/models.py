"""Table models for the result lists: a row per search hit, columns described as data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QStandardItemModel

from muba_desk.gui.format import EMPTY, fmt_date, sex_short
from muba_desk.i18n import _
from muba_desk.store.search import HouseholdHit, PersonHit

Index = QModelIndex | QPersistentModelIndex
# The roles HitsModel serves and the alignment it gives, as the plain ints Qt passes and takes:
# Qt.ItemDataRole.DisplayRole, .TextAlignmentRole and Qt.AlignRight | Qt.AlignVCenter. `Qt` is
# not looked up on the way to the first screen: its first use builds the 94 enum classes of
# Qt's namespace (0.03-0.07 s of a start).
DISPLAY = 0
ALIGNMENT = 7
RIGHT = 0x0002 | 0x0080
DIGITS = "0000000000000000"  # a NIK or KK number
VILLAGE = "Sungai Lilin Jaya"


class Column:
    """A list's column: `title()` is called again by HitsModel.retitle after a language switch;
    the width is enough for `sample` text, or with None shares out the remaining width.
    (A plain class: making a dataclass runs generated code, on the way to the first screen.)"""

    __slots__ = ("title", "value", "align_right", "sample")

    def __init__(
        self,
        title: Callable[[], str],
        value: Callable[[Any], object],
        align_right: bool = False,
        sample: str | None = None,
    ):
        self.title, self.value, self.align_right, self.sample = title, value, align_right, sample


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
    """Read-only rows of search hits (PersonHit or HouseholdHit).

    The column titles live in `titles`, a model of their own that the view's header shows
    (see ResultsView). This model has no `headerData` of its own: Qt calls a model's as the
    view is set up and painted, and PySide would hand a Python one its orientation as a
    `Qt.Orientation`, building all of Qt's namespace enums before the first paint.
    """

    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self._columns = list(columns)
        self._hits: list[PersonHit | HouseholdHit] = []
        self.titles = QStandardItemModel(0, len(self._columns), self)
        self.retitle()

    @property
    def columns(self) -> list[Column]:
        return list(self._columns)

    def retitle(self) -> None:
        """The column titles in the current language (again after a language switch), and the
        cells said again: some are words too (L/P is M/F in English)."""
        self.titles.setHorizontalHeaderLabels([column.title() for column in self._columns])
        if self._hits:
            last = self.index(len(self._hits) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last, [DISPLAY])

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

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called for every role of every visible cell: the roles not served return first,
        # and roles are compared as the plain ints Qt passes (no enum lookups per call).
        if role == DISPLAY:
            if not index.isValid():
                return None
            value = self._columns[index.column()].value(self._hits[index.row()])
            return EMPTY if value is None or value == "" else str(value)
        if role == ALIGNMENT and index.isValid() and self._columns[index.column()].align_right:
            return RIGHT
        return None
