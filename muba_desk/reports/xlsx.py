"""A small XLSX writer on the standard library: one sheet per table, numbers stored as numbers.

The report needs plain sheets only (bold frozen header, column widths, a thousands format), so
a few XML parts in a zip do it without a dependency. Strings are inline (no shared-string
table), which Excel, LibreOffice and openpyxl all read.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from muba_desk.reports.figures import Table

MAX_WIDTH = 60
# XML 1.0 forbids most control characters; a stray one from a laptop must not break the file.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
STYLE_TEXT, STYLE_HEADER, STYLE_NUMBER, STYLE_DECIMAL = 0, 1, 2, 3

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHEET_TYPE = f"{OOXML}.worksheet+xml"
CONTENT_TYPES = (
    f'{XML}<Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{OOXML}.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "{sheets}</Types>"
)
ROOT_RELS = (
    f'{XML}<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{PACKAGE}/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/></Relationships>'
)
CORE = (
    f'{XML}<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>muba-desk</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created></cp:coreProperties>'
)
WORKBOOK = (
    f'{XML}<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets>{{sheets}}</sheets></workbook>'
)
WORKBOOK_RELS = (
    f'{XML}<Relationships xmlns="{PACKAGE}/relationships">{{sheets}}'
    f'<Relationship Id="rIdStyles" Type="{OFFICE}/styles" Target="styles.xml"/></Relationships>'
)
# Built-in number formats: 3 is "#,##0", 4 is "#,##0.00"; Excel shows them in the user's locale.
STYLES = (
    f'{XML}<styleSheet xmlns="{MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
# The header row frozen: the pane splits below row 1 and rows scroll under it.
SHEET = (
    f'{XML}<worksheet xmlns="{MAIN}"><dimension ref="{{ref}}"/>'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
    "<sheetData>{rows}</sheetData></worksheet>"
)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


def _cell(ref: str, value, style: int | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        if style is None:
            style = STYLE_NUMBER if isinstance(value, int) or value.is_integer() else STYLE_DECIMAL
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    text = _text(str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" s="{style or STYLE_TEXT}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _width(values) -> float:
    longest = max(
        (len(f"{v:,}" if isinstance(v, int | float) else str(v)) for v in values), default=8
    )
    return min(MAX_WIDTH, max(8, longest + 2))


def sheet_xml(table: Table) -> str:
    """One table as a worksheet: header row in bold and frozen, then the rows."""
    rows = [
        '<row r="1">'
        + "".join(
            _cell(f"{column_letter(c)}1", name, STYLE_HEADER)
            for c, name in enumerate(table.columns)
        )
        + "</row>"
    ]
    for r, row in enumerate(table.rows, start=2):
        cells = "".join(_cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(row))
        rows.append(f'<row r="{r}">{cells}</row>')
    widths = [
        _width([name, *(row[c] for row in table.rows)]) for c, name in enumerate(table.columns)
    ]
    cols = "".join(
        f'<col min="{c + 1}" max="{c + 1}" width="{width}" customWidth="1"/>'
        for c, width in enumerate(widths)
    )
    last = f"{column_letter(max(len(table.columns) - 1, 0))}{len(table.rows) + 1}"
    return SHEET.format(ref=f"A1:{last}", cols=cols, rows="".join(rows))


def sheet_names(tables: list[Table]) -> list[str]:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    names: list[str] = []
    for table in tables:
        base = _SHEET_FORBIDDEN.sub("-", table.name).strip("'")[:31] or "Sheet"
        name, n = base, 2
        while name.lower() in (x.lower() for x in names):
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


def write_xlsx(tables: list[Table], path, *, title: str = "Laporan muba-desk") -> Path:
    """Write `tables` to `path` (replaced atomically, so a half-written file never appears)."""
    path = Path(path)
    names = sheet_names(tables)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.format(
            sheets="".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{SHEET_TYPE}"/>'
                for i in range(1, len(tables) + 1)
            )
        ),
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": CORE.format(title=_text(title), now=now),
        "xl/workbook.xml": WORKBOOK.format(
            sheets="".join(
                f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                for i, name in enumerate(names, start=1)
            )
        ),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(
            sheets="".join(
                f'<Relationship Id="rId{i}" Type="{OFFICE}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, len(tables) + 1)
            )
        ),
        "xl/styles.xml": STYLES,
    }
    for i, table in enumerate(tables, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".laporan-", suffix=".xlsx", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in parts.items():
                z.writestr(name, text.encode("utf-8"))
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a report is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
