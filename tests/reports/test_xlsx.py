import re
import zipfile
from xml.etree import ElementTree

from muba_desk.reports.figures import Table, compute
from muba_desk.reports.xlsx import column_letter, sheet_names, write_xlsx

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _sheet(z: zipfile.ZipFile, index: int):
    return ElementTree.fromstring(z.read(f"xl/worksheets/sheet{index}.xml"))


def _values(sheet) -> list[list]:
    """Cells as Python values: numbers only where the file stores a number."""
    rows = []
    for row in sheet.iterfind(".//m:sheetData/m:row", NS):
        values = []
        for cell in row.iterfind("m:c", NS):
            if cell.get("t") == "inlineStr":
                values.append(cell.find("m:is/m:t", NS).text)
            else:
                assert cell.get("t") is None  # not a string, not a shared string
                text = cell.find("m:v", NS).text
                values.append(float(text) if "." in text else int(text))
        rows.append(values)
    return rows


def test_workbook_has_one_sheet_per_table_with_real_numbers(db, small, tmp_path):
    figures = compute(db)
    path = write_xlsx(figures.tables, tmp_path / "laporan.xlsx")
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
        names = [s.get("name") for s in workbook.iterfind(".//m:sheet", NS)]
        assert names == [t.name for t in figures.tables]
        for index, table in enumerate(figures.tables, start=1):
            sheet = _sheet(z, index)
            values = _values(sheet)
            assert values[0] == table.columns
            assert values[1:] == table.rows
            pane = sheet.find(".//m:sheetView/m:pane", NS)
            assert (pane.get("ySplit"), pane.get("state"), pane.get("topLeftCell")) == (
                "1",
                "frozen",
                "A2",
            )
            assert {c.get("s") for c in sheet.iterfind(".//m:row[@r='1']/m:c", NS)} == {"1"}
            # Every column has its width (XlsxWriter joins neighbours of one width in a span).
            spans = sheet.findall(".//m:cols/m:col", NS)
            covered = sum(int(c.get("max")) - int(c.get("min")) + 1 for c in spans)
            assert covered == len(table.columns)
        styles = ElementTree.fromstring(z.read("xl/styles.xml"))
        assert styles.find(".//m:fonts/m:font[2]/m:b", NS) is not None
    # The totals in the file equal the database's own sum of hand-overs.
    program = _values(_sheet(zipfile.ZipFile(path), 1))
    money = program[0].index("Uang diserahkan (Rp)")
    in_file = sum(row[money] for row in program[1:])
    in_db = db.conn.execute("SELECT sum(amount) FROM handover WHERE deleted_at IS NULL").fetchone()
    assert in_file == in_db[0] == 21_625_000


def test_text_is_escaped_and_names_are_legal(tmp_path):
    table = Table("Desa: A/B [1]", "t", ["Nama", "Nilai"], [["<Siti> & \x07Ani ", 1.5]])
    twin = Table("Desa: A/B [1]", "t", ["Nama"], [])
    path = write_xlsx([table, twin], tmp_path / "x.xlsx")
    with zipfile.ZipFile(path) as z:
        values = _values(_sheet(z, 1))
        assert values[1] == ["<Siti> & Ani ", 1.5]
        names = re.findall(r'name="([^"]+)"', z.read("xl/workbook.xml").decode())
    assert names == sheet_names([table, twin]) == ["Desa- A-B -1-", "Desa- A-B -1- (2)"]
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
