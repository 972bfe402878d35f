"""The report for the regent: letterhead, totals, the charts, then the tables, in Indonesian."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from muba_desk.domain.money import format_rupiah
from muba_desk.printing.base import (
    BOLD,
    CONDENSED,
    CONDENSED_BOLD,
    GREY,
    INK,
    REGULAR,
    draw_letterhead,
    long_date,
    register_fonts,
)
from muba_desk.progress import Progress, SilentProgress
from muba_desk.reports.charts import all_charts
from muba_desk.reports.figures import MONEY_HEADERS, Figures, Table

MARGIN = 18 * mm
TITLE = "LAPORAN PROGRAM BANTUAN SOSIAL"
# Tables the regent reads in the PDF; the village table stays in the XLSX (hundreds of rows).
PDF_TABLES = ("Program", "Kecamatan", "Bertani", "KUBE", "Penduduk")


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=BOLD, fontSize=13, leading=17, alignment=1),
        "subtitle": ParagraphStyle("sub", fontName=REGULAR, fontSize=10, leading=13, alignment=1),
        "heading": ParagraphStyle("h", fontName=BOLD, fontSize=11, leading=15, spaceBefore=8),
        "body": ParagraphStyle("b", fontName=REGULAR, fontSize=9.5, leading=13),
    }


def _number(value, header: str) -> str:
    if not isinstance(value, int | float):
        return str(value)
    if header in MONEY_HEADERS:
        return format_rupiah(int(value))
    return f"{value:,.0f}".replace(",", ".")


def totals(figures: Figures) -> dict[str, int]:
    """The headline figures the report opens with."""
    program = figures.table("Program")
    people = figures.table("Penduduk")
    return {
        "Pendaftaran": int(program.total("Terdaftar")),
        "Disetujui": int(program.total("Disetujui")),
        "Ditolak": int(program.total("Ditolak")),
        "Persetujuan ditarik": int(program.total("Persetujuan ditarik")),
        "Penyerahan tunai": int(program.total("Penyerahan tunai")),
        "Uang diserahkan": int(program.total("Uang diserahkan (Rp)")),
        "Penyerahan barang": int(program.total("Penyerahan barang")),
        "Penduduk terdaftar": int(people.total("Jumlah")),
        "Tanpa NIK": int(people.total("Tanpa NIK")),
    }


def _widths(columns: list[str], body: list[list]) -> tuple[list[float], float]:
    """(column widths, header size): each column as wide as its widest value and its header's
    longest word, so a header wraps between words, never inside one; on a crowded page the
    headers get smaller first (down to 6 pt), and only then is everything shared out."""
    padding = 7  # the table's default left and right padding, with a point to spare
    room = A4[0] - 2 * MARGIN
    values = [
        max(
            (
                stringWidth(row[i], CONDENSED_BOLD, 7.5)
                for row in body[1:]
                if isinstance(row[i], str)
            ),
            default=0,
        )
        for i in range(len(columns))
    ]
    for size in (7.5, 7.0, 6.5, 6.0):
        wanted = [
            max(max(stringWidth(w, CONDENSED_BOLD, size) for w in column.split()), value)
            + 2 * padding
            for column, value in zip(columns, values, strict=True)
        ]
        if sum(wanted) <= room:  # a narrow table stays narrow, on the left
            return wanted, size
    return [w * room / sum(wanted) for w in wanted], size


def _table(table: Table) -> PdfTable:
    rows = [[_number(v, table.columns[i]) for i, v in enumerate(row)] for row in table.rows]
    sums = ["Jumlah"] + [
        _number(table.total(c), c) if any(isinstance(r[i], int | float) for r in table.rows) else ""
        for i, c in enumerate(table.columns)
    ][1:]
    widths, size = _widths(table.columns, [table.columns, *rows, sums])
    style = ParagraphStyle("th", fontName=CONDENSED_BOLD, fontSize=size, leading=size + 1.5)
    header = [Paragraph(c, style) for c in table.columns]
    body = [header, *rows] + ([sums] if rows else [])
    first_numeric = next(
        (
            i
            for i in range(len(table.columns))
            if table.rows and isinstance(table.rows[0][i], int | float)
        ),
        len(table.columns),
    )
    pdf = PdfTable(body, repeatRows=1, hAlign="LEFT", colWidths=widths)
    pdf.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), CONDENSED, 7.5),
                ("FONT", (0, -1), (-1, -1), CONDENSED_BOLD, 7.5),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("ALIGN", (first_numeric, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEABOVE", (0, -1), (-1, -1), 0.5, INK),
                ("ROWBACKGROUNDS", (0, 1), (-1, -2), ["#ffffff", "#f2f2f2"]),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return pdf


def _laid_out(progress: Progress):
    """ReportLab's progress callback as `progress` reports: parts laid out of the estimate."""
    size = [1]

    def report(kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            size[0] = max(value, 1)
        elif kind in ("PROGRESS", "PAGE"):
            done = min(value, size[0]) if kind == "PROGRESS" else progress.done
            progress.update(done, size[0], "")

    return report


def write_pdf(
    figures: Figures,
    path,
    *,
    address: str,
    place: str = "Sekayu",
    progress: Progress | None = None,
) -> Path:
    """Write the regent's report to `path` (replaced atomically). `progress` is told as the
    charts are drawn and as ReportLab lays out each part; a Cancel there leaves `path` as it
    was and no temporary file behind."""
    progress = progress or SilentProgress()
    progress.update(0, 1, "")
    register_fonts()
    path = Path(path)
    styles = _styles()
    story: list = [
        Spacer(1, 16 * mm),
        Paragraph(TITLE, styles["title"]),
        Paragraph(f"Dinas Sosial Kabupaten Musi Banyuasin — {figures.scope}", styles["subtitle"]),
        Paragraph(f"{place}, {long_date(date.today())}", styles["subtitle"]),
        Spacer(1, 5 * mm),
        Paragraph("Ringkasan", styles["heading"]),
    ]
    summary = [
        [name, format_rupiah(value) if name == "Uang diserahkan" else _number(value, "")]
        for name, value in totals(figures).items()
    ]
    box = PdfTable(summary, hAlign="LEFT", colWidths=[60 * mm, 50 * mm])
    box.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 9.5),
                ("FONT", (1, 0), (1, -1), BOLD, 9.5),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GREY),
            ]
        )
    )
    story.append(box)
    for drawing in all_charts(figures):
        story += [Spacer(1, 6 * mm), KeepTogether([drawing])]
    for name in PDF_TABLES:
        table = next((t for t in figures.tables if t.name == name), None)
        if table is None:
            continue
        story += [
            CondPageBreak(40 * mm),
            Paragraph(table.title, styles["heading"]),
            Spacer(1, 2 * mm),
            _table(table) if table.rows else Paragraph("Tidak ada data.", styles["body"]),
        ]

    def first_page(canvas, doc) -> None:
        width, height = A4
        draw_letterhead(canvas, MARGIN, width - MARGIN, height - 12 * mm, address)
        footer(canvas, doc)

    def footer(canvas, doc) -> None:
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Halaman {doc.page}")
        canvas.drawString(MARGIN, 10 * mm, f"{TITLE.capitalize()} — {figures.scope}")

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".laporan-", suffix=".pdf", dir=path.parent)
    os.close(handle)
    try:
        doc = SimpleDocTemplate(
            temporary,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=15 * mm,
            bottomMargin=16 * mm,
            title=f"{TITLE.capitalize()} — {figures.scope}",
            author="Dinas Sosial Kabupaten Musi Banyuasin",
            creator="muba-desk",
        )
        doc.setProgressCallBack(_laid_out(progress))
        doc.build(story, onFirstPage=first_page, onLaterPages=footer)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
