"""The report's charts as ReportLab drawings: bars per program and district, a line by month.

Plain vector drawings (no image library), so the PDF stays small and sharp when printed; the
window can render the same drawings to PNG with reportlab.graphics.renderPM if it wants them.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor

from muba_desk.printing.base import BOLD, CONDENSED, INK, MONTHS, register_fonts
from muba_desk.reports.figures import Figures, Table

SERIES_COLOURS = (HexColor("#0b6e4f"), HexColor("#e0a526"), HexColor("#3d6fb6"))
WIDTH = 480


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(
        String(
            drawing.width / 2,
            drawing.height - 14,
            text,
            fontName=BOLD,
            fontSize=11,
            textAnchor="middle",
            fillColor=INK,
        )
    )


def _legend(drawing: Drawing, x: float, y: float, names: list[str]) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = CONDENSED, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 8
    legend.deltax = 90
    legend.colorNamePairs = list(zip(SERIES_COLOURS, names, strict=False))
    drawing.add(legend)


def _column(table: Table, key_column: str, value_column: str) -> dict[str, float]:
    """Sum `value_column` per value of `key_column`."""
    k, v = table.columns.index(key_column), table.columns.index(value_column)
    out: dict[str, float] = {}
    for row in table.rows:
        out[row[k]] = out.get(row[k], 0) + row[v]
    return out


def _style_axes(chart) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = CONDENSED
        axis.labels.fontSize = 7
    chart.valueAxis.forceZero = True
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = HexColor("#dddddd")


def program_chart(figures: Figures) -> Drawing:
    """Enrolled and approved per program, side by side."""
    register_fonts()
    table = figures.table("Program")
    enrolled = _column(table, "Program", "Terdaftar")
    approved = _column(table, "Program", "Disetujui")
    names = list(enrolled) or ["-"]
    drawing = Drawing(WIDTH, 220)
    _title(drawing, "Pendaftaran dan persetujuan per program")
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 45, 45, WIDTH - 60, 140
    chart.data = [[enrolled.get(n, 0) for n in names], [approved.get(n, 0) for n in names]]
    chart.categoryAxis.categoryNames = names
    chart.barSpacing, chart.groupSpacing = 1, 8
    for i in range(2):
        chart.bars[i].fillColor = SERIES_COLOURS[i]
        chart.bars[i].strokeColor = None
    _style_axes(chart)
    drawing.add(chart)
    _legend(drawing, WIDTH - 200, 12, ["Terdaftar", "Disetujui"])
    return drawing


def district_chart(figures: Figures) -> Drawing:
    """Money handed over per district, in millions of rupiah (horizontal bars: long names)."""
    register_fonts()
    money = _column(figures.table("Kecamatan"), "Kecamatan", "Uang diserahkan (Rp)")
    names = sorted(money) or ["-"]
    height = max(160, 18 * len(names) + 60)
    drawing = Drawing(WIDTH, height)
    _title(drawing, "Uang diserahkan per kecamatan (juta Rp)")
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 120, 20, WIDTH - 140, height - 50
    # Top to bottom in alphabetical order: the category axis draws from the bottom.
    chart.data = [[round(money.get(n, 0) / 1_000_000, 1) for n in reversed(names)]]
    chart.categoryAxis.categoryNames = list(reversed(names))
    chart.bars[0].fillColor = SERIES_COLOURS[0]
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName, chart.barLabels.fontSize = CONDENSED, 6
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    _style_axes(chart)
    drawing.add(chart)
    return drawing


def month_label(month: str) -> str:
    """'2026-03' -> 'Mar 26'."""
    try:
        year, number = month.split("-")
        return f"{MONTHS[int(number) - 1][:3]} {year[2:]}"
    except (ValueError, IndexError):
        return month


def month_chart(figures: Figures) -> Drawing:
    """Enrolled, approved and hand-overs per month, as lines."""
    register_fonts()
    table = figures.table("Bulan")
    months = sorted({row[0] for row in table.rows}) or ["-"]
    series = [
        _column(table, "Bulan", "Terdaftar"),
        _column(table, "Bulan", "Disetujui"),
        {
            m: _column(table, "Bulan", "Penyerahan tunai").get(m, 0)
            + _column(table, "Bulan", "Penyerahan barang").get(m, 0)
            for m in months
        },
    ]
    drawing = Drawing(WIDTH, 220)
    _title(drawing, "Perkembangan per bulan")
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 45, 50, WIDTH - 60, 135
    chart.data = [[s.get(m, 0) for m in months] for s in series]
    chart.categoryAxis.categoryNames = [month_label(m) for m in months]
    chart.categoryAxis.labels.angle = 45 if len(months) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(months) > 8 else "n"
    for i in range(3):
        chart.lines[i].strokeColor = SERIES_COLOURS[i]
        chart.lines[i].strokeWidth = 1.5
    _style_axes(chart)
    drawing.add(chart)
    _legend(drawing, WIDTH - 290, 10, ["Terdaftar", "Disetujui", "Penyerahan"])
    return drawing


def all_charts(figures: Figures) -> list[Drawing]:
    return [program_chart(figures), district_chart(figures), month_chart(figures)]
