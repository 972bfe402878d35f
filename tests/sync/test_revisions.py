"""Revisions across sync: more than 9,999 edits in one clock millisecond still make revs a
bundle accepts, and a merge moves the receiving side's clock past every rev it merged."""

import re
import time
import types

import pytest

from muba_desk.domain import ids
from muba_desk.store.records import add_household, add_person
from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import import_bundle
from muba_desk.sync.receive import import_return
from muba_desk.sync.returns import office_return
from tests.spelled import letters
from tests.sync.conftest import VILLAGE, add_people, edit, query

REV = re.compile(r"^[0-9]{13}\.[0-9]{4}\.[0-9a-z]+$")
NOW_MS = time.time_ns() // 1_000_000 + 3_600_000  # an hour from now: no clock was there yet
AHEAD_MS = 30 * 24 * 3600 * 1000  # a clock a month fast


def clock_at(monkeypatch, ms: int) -> None:
    """This process's wall clock, as the rev and id makers read it, stands still at `ms`."""
    monkeypatch.setattr(ids, "time", types.SimpleNamespace(time_ns=lambda: ms * 1_000_000))


def test_more_revs_than_the_counter_holds_in_one_millisecond_travel(
    laptop_db, office_db, office, stick, monkeypatch
):
    clock_at(monkeypatch, NOW_MS)

    def register_and_correct(reg):
        # One session (one clock): 201 rows, then 50 rounds of corrections to each person.
        household = add_household(reg, village_code=VILLAGE, kk_number="1606010101000001")
        people = [
            add_person(
                reg,
                name=f"Warga {letters(i)}",
                sex="P",
                household_id=household["id"],
                nik=str(1606010101900001 + i),
            )
            for i in range(200)
        ]
        for round_ in range(50):
            people = reg.update_many(
                "person", [(p, {"name": f"Warga {letters(round_)}"}) for p in people]
            )

    edit(laptop_db, register_and_correct)  # 10,201 revs, all in one millisecond
    monkeypatch.undo()
    log = query(laptop_db, "SELECT row_id, rev FROM change_log ORDER BY seq")
    revs = [rev for _row, rev in log]
    assert len(revs) > 10_000 and all(REV.match(r) for r in revs)
    assert len(set(revs)) == len(revs)
    assert max(revs).startswith(f"{NOW_MS + 1:013d}.")  # the next millisecond, borrowed
    by_row: dict[str, list[str]] = {}
    for row, rev in log:
        by_row.setdefault(row, []).append(rev)
    assert all(revs == sorted(revs) for revs in by_row.values())  # each row's edits in order
    report = import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    assert report.new == 201 and report.conflicts == 0


def test_after_an_import_the_office_edits_after_a_fast_laptop(
    laptop_db, office_db, office, stick, monkeypatch
):
    clock_at(monkeypatch, NOW_MS + AHEAD_MS)
    (person,) = add_people(laptop_db, 1)
    monkeypatch.undo()
    incoming = max(r for (r,) in query(laptop_db, "SELECT rev FROM change_log"))
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    # A later session at the office, with a correct clock: its edit still comes after.
    clock_at(monkeypatch, NOW_MS)
    after = edit(office_db, lambda reg: reg.update("person", person, {"name": "Warga Baru"}))
    assert after["rev"] > incoming


def test_after_a_return_the_laptop_edits_after_a_fast_office(
    laptop_db, office_db, office, stick, monkeypatch
):
    (person,) = add_people(laptop_db, 1)
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    clock_at(monkeypatch, NOW_MS + AHEAD_MS)
    changed = edit(office_db, lambda reg: reg.update("person", person, {"name": "Nama Kantor"}))
    monkeypatch.undo()
    report = import_return(laptop_db, office_return(office_db, "L07", stick, office=office))
    assert report.updated >= 1
    clock_at(monkeypatch, NOW_MS)
    after = edit(laptop_db, lambda reg: reg.update("person", person, {"name": "Nama Laptop"}))
    assert after["rev"] > changed["rev"]


def test_a_rev_from_years_ahead_is_not_followed():
    # A wrong clock (or a forgery) must not drag every later edit along, nor use up the digits.
    clock = ids.HybridClock("kantor", now_ms=lambda: NOW_MS)
    assert clock.observe(f"{NOW_MS + ids.MAX_AHEAD_MS + 1:013d}.0000.laptop") is False
    assert clock.tick() == f"{NOW_MS:013d}.0000.kantor"
    assert clock.observe(f"{NOW_MS + 5:013d}.0007.laptop") is True
    assert clock.tick() == f"{NOW_MS + 5:013d}.0008.kantor"


@pytest.mark.parametrize("text", ["1.2.x", "00000000000001.0000.x", "0000000000001.00001.x"])
def test_observe_refuses_what_is_not_a_rev(text):
    with pytest.raises(ValueError):
        ids.HybridClock("kantor", now_ms=lambda: NOW_MS).observe(text)
