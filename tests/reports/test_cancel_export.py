"""Cancel that cancels: the report export stopped at any step it reports leaves the file it
was to replace as it was, and no temporary file beside it."""

import pytest

from muba_desk.progress import Cancelled, Progress
from muba_desk.reports.figures import Table, compute
from muba_desk.reports.pdf import write_pdf
from muba_desk.reports.xlsx import ROWS_PER_CHECK, write_xlsx


class CancelAt(Progress):
    """Presses Cancel as the work reports its `at`-th step."""

    def __init__(self, at: int):
        super().__init__()
        self.at, self.seen = at, 0

    def update(self, done: int, total: int, label: str = "") -> None:
        self.seen += 1
        if self.seen == self.at:
            self.cancel()
        super().update(done, total, label)


def _write(kind: str, figures, path, progress):
    if kind == "xlsx":
        return write_xlsx(figures.tables, path, title="Laporan", progress=progress)
    return write_pdf(figures, path, address="Jl. Kolonel Wahid Udin", progress=progress)


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_a_cancelled_export_leaves_the_old_file_and_nothing_else(db, small, tmp_path, kind):
    figures = compute(db)
    folder = tmp_path / "laporan"
    folder.mkdir()
    path = folder / f"laporan.{kind}"
    path.write_bytes(b"laporan bulan lalu")
    looks = 0
    for at in range(1, 500):
        try:
            _write(kind, figures, path, CancelAt(at))
        except Cancelled:
            looks += 1
            assert [p.name for p in folder.iterdir()] == [path.name], f"step {at}"
            assert path.read_bytes() == b"laporan bulan lalu", f"step {at}"
            continue
        break
    else:
        raise AssertionError("the export never finished")
    # It looked at Cancel more than once on its way, and then wrote the whole file.
    assert looks >= 3
    assert path.read_bytes()[:4] in (b"PK\x03\x04", b"%PDF")
    assert [p.name for p in folder.iterdir()] == [path.name]


def test_a_long_sheet_is_looked_at_within_its_rows(tmp_path):
    rows = [[f"Desa {i}", i] for i in range(3 * ROWS_PER_CHECK)]
    table = Table("Desa", "Per desa", ["Desa", "Jumlah"], rows)
    progress = CancelAt(3)  # the sheet's start, then after ROWS_PER_CHECK rows, then ...
    with pytest.raises(Cancelled):
        write_xlsx([table], tmp_path / "desa.xlsx", progress=progress)
    assert progress.done == 2 * ROWS_PER_CHECK
    assert list(tmp_path.iterdir()) == []
