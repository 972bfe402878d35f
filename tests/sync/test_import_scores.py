"""Pairs the bundle importer queues carry their score and reasons from the start, stored as the
scan stores them, so the clerk's list shows them without working them out again."""

import json

from muba_desk.office import duplicate_queue
from muba_desk.office.duplicates import find_duplicates
from muba_desk.store.db import connect
from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import import_bundle
from tests.sync.conftest import add_people, query


def _stored(office_db):
    rows = query(
        office_db,
        "SELECT kind, row_a, row_b, score, details FROM duplicate_candidate ORDER BY kind",
    )
    return [(kind, a, b, score, json.loads(details)) for kind, a, b, score, details in rows]


def test_the_importer_stores_score_and_reasons_the_scan_would(
    laptop_db, laptop8_db, office_db, office, stick, monkeypatch
):
    # The same person on two laptops: one NIK, one name and birth date, two households.
    (first,) = add_people(laptop_db, 1, nik_start=1606014101800001, prefix="Siti Aminah")
    (second,) = add_people(laptop8_db, 1, nik_start=1606014101800001, prefix="Siti Aminah")
    import_bundle(office_db, export_bundle(laptop_db, stick), office=office)
    report = import_bundle(office_db, export_bundle(laptop8_db, stick), office=office)
    assert report.duplicates == 2
    stored = _stored(office_db)
    pair = tuple(sorted((first, second)))
    assert [(kind, a, b) for kind, a, b, _s, _d in stored] == [
        ("name_birth", *pair),
        ("nik", *pair),
    ]
    for _kind, _a, _b, score, details in stored:
        assert score is not None and score >= 0.9
        assert details["reasons"][0].startswith("NIK sama (1606014101800001)")
        assert "tanggal lahir sama" in details["reasons"]

    # The list reads what was stored: nothing is compared again on a read.
    def no_comparing(*_args):
        raise AssertionError("the queue compared a pair the importer had scored")

    monkeypatch.setattr(duplicate_queue, "compare", no_comparing)
    db = connect(office_db)
    try:
        (item,) = duplicate_queue.queue(db)
    finally:
        db.close()
    assert (item.kind, item.score) == ("nik", stored[0][3])
    assert item.reasons == tuple(stored[0][4]["reasons"])

    # A scan afterwards finds the same score and reasons.
    monkeypatch.undo()
    find_duplicates(office_db)
    assert [(s, d) for _k, _a, _b, s, d in _stored(office_db)] == [
        (s, d) for _k, _a, _b, s, d in stored
    ]
