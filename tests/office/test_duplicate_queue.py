"""The queue as the clerk clears it (issue 19, items 3 and 4): one row per pair with names,
score and reasons; double aid as its own queue with its own decisions; ticked pairs settled at
once."""

from __future__ import annotations

import pytest

from muba_desk.office.duplicate_queue import AID, PEOPLE, default_keep, kind_from_reasons, left
from muba_desk.office.duplicate_queue import queue as read_queue
from muba_desk.office.duplicates import (
    ALLOWED,
    NOT_SAME,
    ONE_STOPPED,
    MergeProblem,
    allow_double_aid,
    candidates,
    find_duplicates,
    mark_not_same_many,
    merge_people,
    stop_one_aid,
)
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from tests.office.helpers import person, submitted, villages


def test_each_pair_is_one_row_with_its_names_score_and_reasons(db, db_path, registry):
    v = villages(db)
    with registry.transaction():
        yusuf = person(registry, v[0], "Muhammad Yusuf", "L", "1970-03-05")
        far = person(registry, v[2], "Moch. Jusuf", "L", "1970-03-05")
        siti = person(registry, v[0], "Siti Aminah", "P", "1980-07-01", "1606014107800001")
        sity = person(registry, v[1], "Sity Aminah", "P", "1980-07-01", "1606014107800001")
    find_duplicates(db_path)
    rows = {frozenset((i.row_a, i.row_b)): i for i in read_queue(db, PEOPLE)}
    assert set(rows) == {
        frozenset((yusuf["id"], far["id"])),
        frozenset((siti["id"], sity["id"])),
    }
    moved = rows[frozenset((yusuf["id"], far["id"]))]
    assert {moved.name_a, moved.name_b} == {"Muhammad Yusuf", "Moch. Jusuf"}
    assert moved.kind == "similar" and moved.score >= 0.85
    assert moved.reasons[0].startswith("nama mirip")
    assert "desa berbeda" in moved.reasons  # another district: found all the same
    nik = rows[frozenset((siti["id"], sity["id"]))]
    assert nik.kind == "nik" and nik.reasons[0] == "NIK sama (1606014107800001)"
    assert left(db) == {PEOPLE: 2, AID: 0}


def test_the_kind_shown_is_what_the_reasons_say():
    assert kind_from_reasons("similar", ["NIK sama (1)", "nama mirip 98 %"]) == "nik"
    assert kind_from_reasons("nik", ["nama mirip 90 % (A / B)", "tanggal lahir sama"]) == (
        "similar"
    )
    assert kind_from_reasons("similar", ["nama sama persis", "tanggal lahir sama"]) == (
        "name_birth"
    )
    assert kind_from_reasons("once", ["Bertani hanya sekali"]) == "once"


def test_ticked_pairs_are_not_the_same_in_one_go(db, db_path, registry):
    v = villages(db)
    with registry.transaction():
        for n, (name, other) in enumerate(
            [("Dewi Lestari", "Dewy Lestari"), ("Rahmat Hidayat", "Rachmat Hidayat")]
        ):
            person(registry, v[0], name, "P" if n == 0 else "L", f"198{n}-01-0{n + 1}")
            person(registry, v[2], other, "P" if n == 0 else "L", f"198{n}-01-0{n + 1}")
    find_duplicates(db_path)
    ticked = [i.id for i in read_queue(db, PEOPLE)]
    assert len(ticked) == 2
    with pytest.raises(MergeProblem):
        mark_not_same_many(registry, ticked, " ")
    assert mark_not_same_many(registry, ticked, "Dicek ke desa: orang berbeda") == 2
    assert read_queue(db, PEOPLE) == []
    assert {c.resolution for c in candidates(db, open_only=False)} == {NOT_SAME}
    # Decided for good: a new scan does not bring them back, a second bulk call settles none.
    find_duplicates(db_path)
    assert read_queue(db, PEOPLE) == []
    assert mark_not_same_many(registry, ticked, "lagi") == 0


def test_the_record_kept_by_default_has_the_nik_then_the_enrolments(db, registry):
    v = villages(db)
    with registry.transaction():
        plain = person(registry, v[0], "Nur Hayati", "P", "1990-04-02")
        with_nik = person(registry, v[1], "Noer Hayati", "P", "1990-04-02", "1606014204900001")
    assert default_keep(db, plain["id"], with_nik["id"]) == with_nik["id"]
    assert default_keep(db, with_nik["id"], plain["id"]) == with_nik["id"]


def _moved_and_enrolled_twice(field):
    """One woman on the laptop's lists twice (another village, another spelling), each record
    enrolled in Pedas Nia: sent to the office, found and merged there."""

    def fill(reg):
        v = villages(reg.db)
        first = person(reg, v[0], "Siti Rahmawati", "P", "1950-06-01")
        again = person(reg, v[2], "Sity Rahmawaty", "P", "1950-06-01")
        one = submitted(reg, "PEDAS_NIA", first["id"], period_start="2026-01-01")
        two = submitted(reg, "PEDAS_NIA", again["id"], period_start="2026-03-01")
        return first["id"], again["id"], one["id"], two["id"]

    first, again, one, two = field.on_laptop(fill)
    field.deliver()
    find_duplicates(field.office_db)
    db = connect(field.office_db)
    reg = Registry(db, operator_id="op-kantor")
    (pair,) = read_queue(db, PEOPLE)
    assert {pair.row_a, pair.row_b} == {first, again}
    merge_people(reg, first, again, "Orang yang sama: pindah desa")
    find_duplicates(field.office_db)
    return db, reg, one, two


def test_a_merged_person_enrolled_twice_is_double_aid_and_one_is_rejected(field):
    db, reg, one, two = _moved_and_enrolled_twice(field)
    try:
        assert read_queue(db, PEOPLE) == []
        (aid,) = read_queue(db, AID)
        assert aid.kind == "twice" and {aid.row_a, aid.row_b} == {one, two}
        assert aid.name_a == aid.name_b == "Siti Rahmawati (Pedas Nia)"
        assert left(db) == {PEOPLE: 0, AID: 1}
        with pytest.raises(MergeProblem):
            stop_one_aid(reg, aid.id, "bukan-bagian-pasangan", "Terdaftar dua kali")
        stop_one_aid(reg, aid.id, two, "Terdaftar dua kali")
        assert reg.get("enrolment", two)["status"] == "DITOLAK"
        assert [c.resolution for c in candidates(db, open_only=False, kind="twice")] == [
            ONE_STOPPED
        ]
        find_duplicates(field.office_db)
        assert read_queue(db, AID) == []
    finally:
        db.close()


def test_double_aid_allowed_stays_decided(field):
    db, reg, one, two = _moved_and_enrolled_twice(field)
    try:
        (aid,) = read_queue(db, AID)
        with pytest.raises(MergeProblem):
            allow_double_aid(reg, aid.id, "")
        allow_double_aid(reg, aid.id, "Diizinkan kepala dinas")
        find_duplicates(field.office_db)
        assert read_queue(db, AID) == []
        (decided,) = candidates(db, open_only=False, kind="twice")
        assert (decided.resolution, decided.resolution_reason) == (
            ALLOWED,
            "Diizinkan kepala dinas",
        )
        assert {reg.get("enrolment", e)["status"] for e in (one, two)} == {"TERKIRIM"}
    finally:
        db.close()
