"""A list of search hits: one row per hit, keyboard first, columns sized from sample text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from muba_desk.gui.models import HitsModel


class ResultsView(QTableView):
    """`chosen(id)` when the current row changes, `opened(id)` on Enter or double-click."""

    chosen = Signal(str)
    opened = Signal(str)

    def __init__(self, model: HitsModel, name: str, parent=None):
        super().__init__(parent)
        self._after_paint: list[Callable[[], None]] = []
        self.setObjectName(name)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        # The titles from a model of their own: the header's many calls stay in C++ (see
        # HitsModel). Its sections are set up after, as a new model resets them.
        header.setModel(model.titles)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        # Fixed widths from sample text: columns do not jump about while the user types.
        for section, column in enumerate(model.columns):
            if column.sample is None:
                header.setSectionResizeMode(section, QHeaderView.ResizeMode.Stretch)
            else:
                width = self.fontMetrics().horizontalAdvance(column.sample) + 20
                header.resizeSection(section, width)
        self.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._emit(self.chosen, current)
        )
        self.activated.connect(lambda index: self._emit(self.opened, index))

    def call_after_paint(self, fn: Callable[[], None]) -> None:
        """Call `fn()` from the event loop once the view has painted itself with rows."""
        self._after_paint.append(fn)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self._after_paint and self.model().rowCount():
            waiting, self._after_paint = self._after_paint, []
            for fn in waiting:
                QTimer.singleShot(0, self, fn)

    def hits(self) -> HitsModel:
        return self.model()

    def select_first(self) -> None:
        if not self.currentIndex().isValid() and self.model().rowCount():
            self.setCurrentIndex(self.model().index(0, 0))

    def _emit(self, signal, index: QModelIndex) -> None:
        hit = self.hits().hit(index.row()) if index.isValid() else None
        if hit is not None:
            signal.emit(hit.id)
