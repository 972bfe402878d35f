"""The import report counts a conflict the import settled itself (three-way: the laptop changed
only fields the office left alone) apart from rows simply updated, in `bundle import`'s
output and in the report kept with the bundle."""

import json

from muba_desk.office.conflict_data import open_conflicts
from tests.sync.test_loop import _export, _read, _write, field  # noqa: F401 (a fixture)
from tests.sync.test_three_way import CLERK, LAPTOP_WORKER, _edit, _import, _register


def test_a_conflict_settled_at_the_import_is_counted_apart(field, capsys):  # noqa: F811
    office, laptop, stick = field["office"], field["laptops"]["L07"], field["stick"]
    settled, updated = _write(laptop, "op-L07", _register(["Sari Rahayu", "Wati Rahayu"]))
    assert _export(laptop, stick) == 0
    assert _import(office, stick) == 0
    # Both ends edit Sari (different fields): a conflict the import settles by itself. Only
    # the laptop edits Wati: a plain update.
    _edit(office, CLERK, settled, {"phone": "081299990000"})
    _edit(laptop, LAPTOP_WORKER, settled, {"occupation": "Petani karet"})
    _edit(laptop, LAPTOP_WORKER, updated, {"occupation": "Pedagang"})
    for old in stick.iterdir():
        old.unlink()
    assert _export(laptop, stick) == 0
    capsys.readouterr()
    assert _import(office, stick) == 0
    out = capsys.readouterr().out
    assert "1 diperbarui, 1 konflik diselesaikan otomatis," in out, out
    assert "0 konflik," in out, out
    assert _read(office, open_conflicts) == []
    stored = _read(
        office,
        lambda db: db.conn.execute(
            "SELECT report FROM bundle_import ORDER BY sequence DESC LIMIT 1"
        ).fetchone()[0],
    )
    report = json.loads(stored)
    assert (report["updated"], report["settled"], report["conflicts"]) == (1, 1, 0)
