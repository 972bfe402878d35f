"""A light horizontal bar chart painted with QPainter (QtCharts is not shipped)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from muba_desk.i18n import format_count

SERIES = (QColor("#2563eb"), QColor("#16a34a"), QColor("#d97706"))
ROW_HEIGHT = 22
LABEL_WIDTH = 170


class BarChart(QWidget):
    """Rows of labelled bars, one per series; `set_data(title, series names, rows)`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = ""
        self.series: list[str] = []
        self.rows: list[tuple[str, list[float]]] = []

    def set_data(self, title: str, series: list[str], rows: list[tuple[str, list[float]]]) -> None:
        self.title, self.series, self.rows = title, series, rows
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        bars = max(1, len(self.rows)) * (ROW_HEIGHT * max(1, len(self.series)) // 2 + 8)
        return QSize(420, 48 + bars)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QColor("#111827"))
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(8, 18, self.title)
        font.setBold(False)
        painter.setFont(font)
        self._legend(painter)
        top = 32.0
        high = max((v for _label, values in self.rows for v in values), default=0) or 1
        width = max(40.0, self.width() - LABEL_WIDTH - 70)
        bar = ROW_HEIGHT / 2
        for label, values in self.rows:
            painter.setPen(QColor("#374151"))
            block = bar * len(values)
            painter.drawText(
                QRectF(8, top, LABEL_WIDTH - 12, block),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                painter.fontMetrics().elidedText(
                    label, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 12
                ),
            )
            for i, value in enumerate(values):
                y = top + i * bar
                length = width * value / high
                painter.fillRect(QRectF(LABEL_WIDTH, y + 1, length, bar - 2), SERIES[i % 3])
                painter.setPen(QColor("#111827"))
                painter.drawText(
                    QRectF(LABEL_WIDTH + length + 4, y, 66, bar),
                    Qt.AlignmentFlag.AlignVCenter,
                    format_count(int(value)),
                )
            top += block + 8
        painter.end()

    def _legend(self, painter: QPainter) -> None:
        x = self.width() - 12.0
        for i, name in reversed(list(enumerate(self.series))):
            text_width = painter.fontMetrics().horizontalAdvance(name)
            x -= text_width + 22
            painter.fillRect(QRectF(x, 8, 12, 12), SERIES[i % 3])
            painter.setPen(QColor("#374151"))
            painter.drawText(int(x + 16), 18, name)
