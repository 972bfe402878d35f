"""The SK attachment as PDF: the decision's header and the column heads on every page, the
by-name-by-address table (`docs/LISTS.md`), subtotals per village and district, the grand total
in figures and words, "Halaman x dari y" and the signatory's block.

Built for 45,000 rows: the layout is computed first (every cell wrapped to its column with the
font's own widths, every row placed on its page), so the page count is known before anything is
drawn; then each page's text goes into one text object on a ReportLab canvas. Platypus tables
would re-measure every cell and split the table per page, several times slower. A cell never
overprints its neighbour: text wraps at spaces (a word longer than its column at characters)
and a row is as tall as its tallest cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics

from muba_desk.domain.money import format_rupiah, terbilang
from muba_desk.lists_out.sk import Attachment, SkRow, without_gc
from muba_desk.printing.base import (
    CONDENSED,
    CONDENSED_BOLD,
    GREY,
    INK,
    ITALIC,
    REGULAR,
    long_date,
    new_canvas,
    program_name,
    register_fonts,
    short_date,
)
from muba_desk.printing.fit import fit_block

PAGE_W, PAGE_H = landscape(A4)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 28.0, 26.0, 34.0
SIZE, LEADING, PAD_X, PAD_TOP, PAD_BOTTOM = 7.5, 9.0, 2.5, 2.0, 3.0
HEAD_SIZE, HEAD_LEADING = 8.5, 11.0
HEAD_FILL = HexColor("#e6e6e6")
TOTAL_FILL = HexColor("#f2f2f2")
LINE = HexColor("#7a7a7a")
SIGN_WIDTH = 250.0
SIGN_SPACE = 52.0  # for the signature and the office's stamp

# Columns: (heading, share of the width left after the fixed columns; 0 = sized to content).
COLUMNS = (
    ("No", 0),
    ("NIK", 0),
    ("No. KK", 0),
    ("Nama", 0.25),
    ("Tempat, Tanggal Lahir", 0.16),
    ("Alamat", 0.33),
    ("Desa/Kelurahan", 0.14),
    ("Kecamatan", 0.12),
)


# Columns whose texts repeat from row to row (birth place and date, village, district): their
# PDF operators are kept and reused; names, addresses and numbers are each shown once.
REPEATING = frozenset((4, 6, 7))


class _Measure:
    """String widths from the font's own table (ReportLab's C routine), for wrapping."""

    def __init__(self, font: str, size: float):
        self.width = pdfmetrics.getFont(font).stringWidth
        self.size = size

    def __call__(self, text: str) -> float:
        return self.width(text, self.size)


class _Shower:
    """Puts strings into a page's text object: its origin, then the string's PDF operator.

    `textOut` would also measure each string to move a cursor this layout never uses, and
    encode it into the font's subset again; here a string already encoded in the current
    subset (a village, a district, a birth place and date: they repeat thousands of times)
    reuses its operator. Anything else takes ReportLab's own `_formatText`."""

    def __init__(self, canvas):
        self.doc, self.escape = canvas._doc, canvas._escape
        self.cache: dict[tuple[str, str], tuple[int, str]] = {}

    def __call__(self, text_object, x: float, y: float, text: str, keep: bool = False) -> None:
        """Show `text` at (x, y); `keep` remembers its operator (for strings that repeat)."""
        text_object.setTextOrigin(x, y)
        key = (text_object._fontname, text)
        hit = self.cache.get(key) if keep else None
        if hit is not None and hit[0] == text_object._curSubset:
            text_object._code.append(hit[1])
            return
        font = pdfmetrics.getFont(text_object._fontname)
        chunks = font.splitString(text, self.doc) if font._dynamicFont else ()
        if len(chunks) == 1 and chunks[0][0] == text_object._curSubset:
            operator = f"({self.escape(chunks[0][1])}) Tj"
            if keep:
                self.cache[key] = (chunks[0][0], operator)
            text_object._code.append(operator)
        else:
            text_object._code.append(text_object._formatText(text))


def wrap(text: str, width: float, measure: _Measure) -> list[str]:
    """`text` in lines no wider than `width`: broken at spaces, a longer word at characters.
    Widths add up (ReportLab applies no kerning), so each word is measured once."""
    if measure(text) <= width:
        return [text]
    lines: list[str] = []
    current, used, space = "", 0.0, measure(" ")
    for word in text.split():
        size = measure(word)
        if current and used + space + size <= width:
            current, used = f"{current} {word}", used + space + size
            continue
        if not current and size <= width:
            current, used = word, size
            continue
        if current:
            lines.append(current)
        while measure(word) > width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and measure(word[:cut]) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        current, used = word, measure(word)
    if current:
        lines.append(current)
    return lines or [""]


@dataclass
class _Item:
    kind: str  # "row", "village", "district", "grand", "words", "sign"
    height: float
    cells: list[list[str]] | None = None
    label: list[str] | None = None
    amount: str = ""


@dataclass
class _Layout:
    xs: list[float]  # left edge of each column, then the right edge of the table
    headings: list[list[str]]
    heading_height: float
    head_lines: list[tuple[str, str, list[str]]]  # (font, label, lines) of the decision
    title: str
    top_of_table: float
    money: bool


def _columns(found: Attachment, measure: _Measure, bold: _Measure) -> list[float]:
    """Column widths: No, NIK, KK and the amount as wide as their content, the rest shared."""
    width = PAGE_W - 2 * MARGIN_X
    fixed = [
        max(bold("No"), measure(str(max(len(found.rows), 1)))) + 2 * PAD_X,
        measure("0" * 16) + 2 * PAD_X,
        measure("0" * 16) + 2 * PAD_X,
    ]
    amount = 0.0
    if found.pays_money:
        amount = max(bold(format_rupiah(found.total)), bold("Jumlah (Rp)")) + 2 * PAD_X
    rest = width - sum(fixed) - amount
    shares = [share for _, share in COLUMNS[3:]]
    widths = fixed + [rest * s / sum(shares) for s in shares]
    return widths + ([amount] if found.pays_money else [])


def _layout(found: Attachment) -> tuple[_Layout, list[_Item]]:
    measure, bold = _Measure(CONDENSED, SIZE), _Measure(CONDENSED_BOLD, SIZE)
    widths = _columns(found, measure, bold)
    xs = [MARGIN_X]
    for w in widths:
        xs.append(xs[-1] + w)
    names = [name for name, _ in COLUMNS] + (["Jumlah (Rp)"] if found.pays_money else [])
    headings = [wrap(n, w - 2 * PAD_X, bold) for n, w in zip(names, widths, strict=True)]
    heading_height = max(len(h) for h in headings) * LEADING + PAD_TOP + PAD_BOTTOM
    sk = found.sk
    head_measure = _Measure(REGULAR, HEAD_SIZE)
    block = PAGE_W / 2 - MARGIN_X
    head_lines = [
        (
            CONDENSED_BOLD,
            "",
            wrap(
                f"LAMPIRAN KEPUTUSAN {sk.signatory_title.upper()}",
                block,
                _Measure(CONDENSED_BOLD, HEAD_SIZE),
            ),
        ),
        (REGULAR, "Nomor", wrap(sk.number, block - 60, head_measure)),
        (REGULAR, "Tanggal", [long_date(sk.decided_on)]),
        (REGULAR, "Tentang", wrap(sk.about, block - 60, head_measure)),
    ]
    count = sum(len(lines) for _, _, lines in head_lines)
    title = f"DAFTAR PENERIMA {program_name(sk.program).upper()} TAHUN {sk.period}"
    top_of_table = PAGE_H - MARGIN_TOP - count * HEAD_LEADING - 26
    layout = _Layout(
        xs, headings, heading_height, head_lines, title, top_of_table, found.pays_money
    )
    return layout, _items(found, widths, measure, bold)


def _cells(n: int, row: SkRow, inner: list[float], measure: _Measure, cache: dict) -> list:
    born = short_date(row.birth_date) if row.birth_date else ""
    place = f"{row.birth_place}, {born}" if row.birth_place and born else row.birth_place or born
    cells = [
        [str(n)],
        [row.nik or "-"],
        [row.kk or "-"],
        wrap(row.name, inner[3], measure),
        wrap(place or "-", inner[4], measure),
        wrap(row.address, inner[5], measure),
    ]
    for col, text in ((6, row.village), (7, row.district)):
        key = (col, text)
        if key not in cache:
            cache[key] = wrap(text or "-", inner[col], measure)
        cells.append(cache[key])
    if len(inner) > 8:
        cells.append(["" if row.amount is None else f"{row.amount:,}".replace(",", ".")])
    return cells


def _items(found: Attachment, widths: list[float], measure, bold) -> list[_Item]:
    inner = [w - 2 * PAD_X for w in widths]
    span = sum(widths[:-1]) - 2 * PAD_X if found.pays_money else sum(widths) - 2 * PAD_X
    items: list[_Item] = []
    cache: dict = {}
    counts: dict[tuple[str, str], int] = {}
    district_counts: dict[str, int] = {}
    for row in found.rows:
        counts[(row.district, row.village)] = counts.get((row.district, row.village), 0) + 1
        district_counts[row.district] = district_counts.get(row.district, 0) + 1
    rows = found.rows
    for i, row in enumerate(rows):
        cells = _cells(i + 1, row, inner, measure, cache)
        height = max(len(c) for c in cells) * LEADING + PAD_TOP + PAD_BOTTOM
        items.append(_Item("row", height, cells=cells))
        last = i + 1 == len(rows)
        if last or (rows[i + 1].district, rows[i + 1].village) != (row.district, row.village):
            key = (row.district, row.village)
            label = wrap(
                f"Jumlah Desa/Kelurahan {row.village or '-'}: {counts[key]} orang", span, bold
            )
            items.append(_total("village", label, found.by_village.get(key, 0), found))
        if last or rows[i + 1].district != row.district:
            label = wrap(
                f"Jumlah Kecamatan {row.district or '-'}: {district_counts[row.district]} orang",
                span,
                bold,
            )
            items.append(_total("district", label, found.by_district.get(row.district, 0), found))
    label = wrap(f"JUMLAH SELURUHNYA: {len(rows)} orang", span, bold)
    items.append(_total("grand", label, found.total, found))
    if found.pays_money:
        words = wrap(
            f"Terbilang: {terbilang(found.total).capitalize()}",
            PAGE_W - 2 * MARGIN_X,
            _Measure(ITALIC, SIZE + 0.5),
        )
        items.append(_Item("words", len(words) * LEADING + 6, label=words))
    title_lines = wrap(found.sk.signatory_title, SIGN_WIDTH, _Measure(REGULAR, HEAD_SIZE))
    sign_height = (len(title_lines) + 3) * HEAD_LEADING + SIGN_SPACE + 12
    items.append(_Item("sign", sign_height, label=title_lines))
    return items


def _total(kind: str, label: list[str], amount: int, found: Attachment) -> _Item:
    height = len(label) * LEADING + PAD_TOP + PAD_BOTTOM
    shown = format_rupiah(amount) if found.pays_money else ""
    return _Item(kind, height, label=label, amount=shown)


def _paginate(layout: _Layout, items: list[_Item]) -> list[list[tuple[_Item, float]]]:
    """Each item with the y of its top, page by page; a row never splits across pages."""
    pages: list[list[tuple[_Item, float]]] = [[]]
    start = layout.top_of_table - layout.heading_height
    y = start
    for item in items:
        if y - item.height < MARGIN_BOTTOM and pages[-1]:
            pages.append([])
            y = start
        pages[-1].append((item, y))
        y -= item.height
    return pages


def write_sk_pdf(found: Attachment, path, *, address: str = "", place: str = "Sekayu") -> int:
    """Write the attachment to `path` (a path or a binary file); returns the page count.
    `address` is unused on the attachment (its header names the decision, not the office) and
    kept for the callers' one signature of printed documents."""
    register_fonts()
    with without_gc():
        layout, items = _layout(found)
        pages = _paginate(layout, items)
        canvas = new_canvas(path, landscape(A4), f"Lampiran SK {found.sk.number}")
        total = len(pages)
        show = _Shower(canvas)
        for number, placed in enumerate(pages, start=1):
            _draw_page(canvas, found, layout, placed, number, total, place, show)
            canvas.showPage()
        canvas.save()
    return total


def _draw_head(canvas, found: Attachment, layout: _Layout, number: int, total: int) -> None:
    canvas.setFillColor(INK)
    x = PAGE_W / 2
    y = PAGE_H - MARGIN_TOP
    text = canvas.beginText()
    for font, label, lines in layout.head_lines:
        for i, line in enumerate(lines):
            text.setFont(font, HEAD_SIZE)
            if label:
                text.setTextOrigin(x, y)
                text.textOut(label if i == 0 else "")
                text.setTextOrigin(x + 45, y)
                text.textOut(":" if i == 0 else "")
                text.setTextOrigin(x + 55, y)
            else:
                text.setTextOrigin(x, y)
            text.textOut(line)
            y -= HEAD_LEADING
    canvas.drawText(text)
    canvas.setFont(CONDENSED_BOLD, 10)
    canvas.drawCentredString(PAGE_W / 2, layout.top_of_table + 9, layout.title)
    canvas.setFont(REGULAR, 7)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN_X, MARGIN_BOTTOM - 16, f"Lampiran SK Nomor {found.sk.number}")
    canvas.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM - 16, f"Halaman {number} dari {total}")
    canvas.setFillColor(INK)


def _draw_page(canvas, found, layout: _Layout, placed, number, total, place, show) -> None:
    _draw_head(canvas, found, layout, number, total)
    xs, left, right = layout.xs, layout.xs[0], layout.xs[-1]
    top = layout.top_of_table
    # Grey bands under the column heads and the totals, drawn before any text.
    canvas.setFillColor(HEAD_FILL)
    canvas.rect(
        left, top - layout.heading_height, right - left, layout.heading_height, stroke=0, fill=1
    )
    canvas.setFillColor(TOTAL_FILL)
    for item, y in placed:
        if item.kind in ("village", "district", "grand"):
            canvas.rect(left, y - item.height, right - left, item.height, stroke=0, fill=1)
    canvas.setFillColor(INK)
    text = canvas.beginText()
    text.setFont(CONDENSED_BOLD, SIZE)
    for col, lines in enumerate(layout.headings):
        for k, line in enumerate(lines):
            show(text, xs[col] + PAD_X, top - PAD_TOP - SIZE - k * LEADING, line)
    path = canvas.beginPath()
    font = CONDENSED_BOLD
    amount_width = pdfmetrics.getFont(CONDENSED).stringWidth
    bold_width = pdfmetrics.getFont(CONDENSED_BOLD).stringWidth
    money_col = len(xs) - 2
    for item, y in placed:
        if item.kind == "row":
            if font != CONDENSED:
                text.setFont(CONDENSED, SIZE)
                font = CONDENSED
            for col, lines in enumerate(item.cells):
                if layout.money and col == money_col:
                    line = lines[0]
                    x = xs[col + 1] - PAD_X - amount_width(line, SIZE)
                    show(text, x, y - PAD_TOP - SIZE, line)
                    continue
                x = xs[col] + PAD_X
                keep = col in REPEATING
                for k, line in enumerate(lines):
                    show(text, x, y - PAD_TOP - SIZE - k * LEADING, line, keep)
        elif item.kind in ("village", "district", "grand"):
            if font != CONDENSED_BOLD:
                text.setFont(CONDENSED_BOLD, SIZE)
                font = CONDENSED_BOLD
            for k, line in enumerate(item.label):
                show(text, left + PAD_X, y - PAD_TOP - SIZE - k * LEADING, line)
            if item.amount:
                x = right - PAD_X - bold_width(item.amount, SIZE)
                show(text, x, y - PAD_TOP - SIZE, item.amount)
        else:
            continue
        path.moveTo(left, y - item.height)
        path.lineTo(right, y - item.height)
    canvas.drawText(text)
    # The grid: the rules under each row (above), the heads' frame, then the column lines:
    # all of them through runs of rows, only the frame (and the amount's line) through totals,
    # whose labels span the columns.
    path.moveTo(left, top)
    path.lineTo(right, top)
    path.moveTo(left, top - layout.heading_height)
    path.lineTo(right, top - layout.heading_height)
    for x in xs:
        path.moveTo(x, top)
        path.lineTo(x, top - layout.heading_height)
    outer = [left, right] + ([xs[-2]] if layout.money else [])
    for kind, upper, lower in _runs(placed):
        for x in xs if kind == "row" else outer:
            path.moveTo(x, upper)
            path.lineTo(x, lower)
    canvas.setStrokeColor(LINE)
    canvas.setLineWidth(0.4)
    canvas.drawPath(path, stroke=1, fill=0)
    for item, y in placed:
        if item.kind == "words":
            _draw_words(canvas, item, y)
        elif item.kind == "sign":
            _draw_signatory(canvas, found, item, y, place)


TABLE_KINDS = ("row", "village", "district", "grand")


def _runs(placed) -> list[tuple[str, float, float]]:
    """(kind, top, bottom) of each run of table rows ("row") or totals ("total") on a page."""
    runs: list[list] = []
    for item, y in placed:
        if item.kind not in TABLE_KINDS:
            continue
        kind = "row" if item.kind == "row" else "total"
        if runs and runs[-1][0] == kind and abs(runs[-1][2] - y) < 0.01:
            runs[-1][2] = y - item.height
        else:
            runs.append([kind, y, y - item.height])
    return [tuple(r) for r in runs]


def _draw_words(canvas, item: _Item, y: float) -> None:
    canvas.setFillColor(INK)
    canvas.setFont(ITALIC, SIZE + 0.5)
    for k, line in enumerate(item.label):
        canvas.drawString(MARGIN_X, y - 4 - SIZE - k * LEADING, line)


def _draw_signatory(canvas, found: Attachment, item: _Item, y: float, place: str) -> None:
    """The signatory's block at the right: place and date, title, room to sign, name, NIP."""
    sk = found.sk
    x = PAGE_W - MARGIN_X - SIGN_WIDTH
    y -= 12 + HEAD_SIZE
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR, HEAD_SIZE)
    canvas.drawString(x, y, f"Ditetapkan di {place}, {long_date(sk.decided_on)}")
    for line in item.label:
        y -= HEAD_LEADING
        canvas.drawString(x, y, line)
    y -= SIGN_SPACE
    # The name shrinks to 60 % and then wraps to a second line; never wider than its block.
    top = HEAD_SIZE + 0.5
    size, lines = fit_block(sk.signatory_name, CONDENSED_BOLD, top, top * 0.6, SIGN_WIDTH, 2)
    canvas.setFont(CONDENSED_BOLD, size)
    for index, line in enumerate(lines):
        if index:
            y -= size * 1.2
        canvas.drawString(x, y, line)
    width = min(pdfmetrics.stringWidth(lines[-1], CONDENSED_BOLD, size), SIGN_WIDTH)
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.line(x, y - 1.5, x + width, y - 1.5)
    if sk.signatory_nip:
        y -= HEAD_LEADING
        canvas.setFont(REGULAR, HEAD_SIZE)
        canvas.drawString(x, y, f"NIP. {sk.signatory_nip}")
