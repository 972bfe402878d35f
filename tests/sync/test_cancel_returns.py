"""Cancel that cancels: a return bundle stopped at any step it reports writes no file and
records nothing as sent, and "return bundles for all laptops" stops within the laptop at hand.
The office and laptops are made by the command line (tests/sync/test_loop.py's `field`)."""

from muba_desk.office.laptops_data import return_to_all
from muba_desk.progress import Cancelled, Progress
from muba_desk.sync.keys import unlock_office
from muba_desk.sync.returns import office_return
from tests.sync.test_loop import (
    OFFICE_PASSPHRASE,
    _export,
    _read,
    _register_and_submit,
    _write,
    field,  # noqa: F401 (a fixture)
)


class CancelAt(Progress):
    """Presses Cancel as the work reports its `at`-th step, or a step whose label has `label`."""

    def __init__(self, at: int | None = None, label: str | None = None):
        super().__init__()
        self.at, self.wanted, self.seen = at, label, 0

    def update(self, done: int, total: int, label: str = "") -> None:
        self.seen += 1
        if self.seen == self.at or (self.wanted is not None and self.wanted in label):
            self.cancel()
        super().update(done, total, label)


def _office_keys(office):
    return _read(office, lambda db: unlock_office(db, OFFICE_PASSPHRASE))


def _sent(office, code: str) -> tuple[int, int]:
    """(return bundles recorded, rows recorded as sent) for laptop `code`."""

    def count(db):
        (device,) = db.conn.execute(
            "SELECT device_id FROM office_laptop WHERE code = ?", (code,)
        ).fetchone()
        return tuple(
            db.conn.execute(
                f"SELECT count(*) FROM {table} WHERE device_id = ?", (device,)
            ).fetchone()[0]
            for table in ("return_out", "return_sent")
        )

    return _read(office, count)


def _with_rows(field):  # noqa: F811
    """The office after importing L07's two households, so a return carries rows."""
    office, laptop, stick = field["office"], field["laptops"]["L07"], field["stick"]
    _write(laptop, "op-L07", _register_and_submit("L07"))
    assert _export(laptop, stick) == 0
    from muba_desk.cli import main

    assert main(["bundle", "import", "--db", str(office), str(stick)]) == 0
    return office


def test_a_return_cancelled_at_any_step_leaves_no_file_and_records_nothing(field, tmp_path):  # noqa: F811
    office = _with_rows(field)
    keys = _office_keys(office)
    cancelled_at = []
    for at in range(1, 100):
        folder = tmp_path / f"cancel-{at}"
        folder.mkdir()
        try:
            written = office_return(office, "L07", folder, office=keys, progress=CancelAt(at))
        except Cancelled:
            cancelled_at.append(at)
            assert list(folder.iterdir()) == [], f"cancelled at step {at}"
            assert _sent(office, "L07") == (0, 0), f"cancelled at step {at}"
            continue
        # Cancel pressed after the last look: the bundle is whole and recorded once.
        assert [p.name for p in folder.iterdir()] == [written.name]
        assert written.name.endswith("-000001.mubabundle")  # no cancelled try used a number
        bundles, rows = _sent(office, "L07")
        assert bundles == 1 and rows > 0
        break
    else:
        raise AssertionError("the return never finished")
    # Every look at Cancel before the record is one (the tables gathered, sealing, writing).
    assert cancelled_at == list(range(1, len(cancelled_at) + 1)) and len(cancelled_at) >= 10


def test_return_to_all_stops_within_the_laptop_at_hand(field, tmp_path):  # noqa: F811
    office = _with_rows(field)
    keys = _office_keys(office)
    folder = tmp_path / "stick-all"
    folder.mkdir()
    # Cancel while L08's content is gathered, after L07's bundle is written.
    progress = CancelAt(label="Laptop L08: Mengumpulkan")
    written, cancelled = return_to_all(office, folder, keys, progress)
    assert cancelled
    assert [code for code, _path in written] == ["L07"]
    assert sorted(p.name for p in folder.iterdir()) == [written[0][1].name]
    assert _sent(office, "L08") == (0, 0)
    assert _sent(office, "L09") == (0, 0)
    assert _sent(office, "L07")[0] == 1
    # The next run, not cancelled, gives every laptop its bundle; L07 its second.
    written, cancelled = return_to_all(office, folder, keys, Progress())
    assert not cancelled
    names = {code: path.name for code, path in written}
    assert names["L07"].endswith("-000002.mubabundle")
    assert names["L08"].endswith("-000001.mubabundle")
