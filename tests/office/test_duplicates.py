import json

import pytest

from muba_desk.office.decisions import decide
from muba_desk.office.duplicates import (
    MERGED,
    NOT_SAME,
    MergeProblem,
    candidates,
    find_duplicates,
    mark_not_same,
    merge_people,
)
from muba_desk.office.registry_query import person_history
from muba_desk.progress import Cancelled, Progress
from muba_desk.store import records
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from tests.office.helpers import person, submitted, villages


@pytest.fixture
def town(registry, db):
    """Clean people, plus a NIK clash, a spelling-variant pair and a same-name stranger."""
    v = villages(db)
    with registry.transaction():
        people = {
            "yusuf": person(registry, v[0], "Muhammad Yusuf", "L", "1970-03-05"),
            "m_yusuf": person(registry, v[0], "M. Yusuf", "L", "1970-03-05"),
            "far_yusuf": person(registry, v[1], "Moh. Yusuf", "L", "1970-03-05"),
            "siti": person(registry, v[0], "Siti Aminah", "P", "1980-07-01", "1606014107800001"),
            "st": person(registry, v[1], "St. Aminah", "P", "1980-07-01", "1606014107800001"),
            "swapped": person(registry, v[0], "Nurhayati", "P", "1990-04-02"),
            "spaced": person(registry, v[0], "Nur Hayati", "P", "1990-02-04"),
            "other": person(registry, v[0], "Muhammad Yunus", "L", "1970-03-05"),
        }
        for i in range(40):
            person(
                registry,
                v[i % 3],
                f"Warga Bersih {chr(65 + i % 26)}{chr(97 + i // 26)}",
                "L",
                f"19{50 + i}-01-15",
            )
    return people


def _pairs(db, kind=None):
    return {(c.kind, frozenset((c.row_a, c.row_b))): c for c in candidates(db, kind=kind)}


def test_nik_clash_and_name_variants_found_and_explained(db, db_path, town):
    open_count = find_duplicates(db_path)
    pairs = _pairs(db)
    nik = pairs[("nik", frozenset((town["siti"]["id"], town["st"]["id"])))]
    assert nik.score >= 0.9
    assert "NIK sama (1606014107800001)" in nik.reason
    assert "di dua rumah tangga" in nik.reason

    yusuf = pairs[("similar", frozenset((town["yusuf"]["id"], town["m_yusuf"]["id"])))]
    assert yusuf.score >= 0.95
    assert "'M.' dibaca 'Muhammad'" in yusuf.reasons
    assert "tanggal lahir sama" in yusuf.reasons and "desa sama" in yusuf.reasons

    swapped = pairs[("similar", frozenset((town["swapped"]["id"], town["spaced"]["id"])))]
    assert "tanggal dan bulan lahir tertukar" in swapped.reasons
    assert "beda spasi antarkata" in swapped.reasons

    # Another village of the district is no hiding place: "Moh. Yusuf" there is queued with
    # both; another name born the same day is not flagged, nor are the clean people.
    far = pairs[("similar", frozenset((town["yusuf"]["id"], town["far_yusuf"]["id"])))]
    assert "desa berbeda, kecamatan sama" in far.reasons
    assert far.score < yusuf.score
    flagged = {row for c in candidates(db) for row in (c.row_a, c.row_b)}
    assert town["other"]["id"] not in flagged
    assert open_count == len(pairs) == 5


def test_not_same_survives_a_rerun(db, db_path, registry, town):
    find_duplicates(db_path)
    pair = frozenset((town["swapped"]["id"], town["spaced"]["id"]))
    candidate = _pairs(db)[("similar", pair)]
    with pytest.raises(MergeProblem):
        mark_not_same(registry, candidate.id, "  ")
    mark_not_same(registry, candidate.id, "Kakak beradik, dicek ke rumahnya")
    assert find_duplicates(db_path) == 4
    assert ("similar", pair) not in _pairs(db)
    decided = [c for c in candidates(db, open_only=False) if c.id == candidate.id][0]
    assert decided.resolution == NOT_SAME
    assert decided.resolution_reason == "Kakak beradik, dicek ke rumahnya"
    entry = db.conn.execute(
        "SELECT after FROM audit WHERE action = 'not_same' AND row_id = ?", (candidate.row_a,)
    ).fetchone()
    assert json.loads(entry[0])["candidate"] == candidate.id


def test_merge_moves_enrolments_and_keeps_both_histories(db, db_path, registry, town):
    keep, other = town["yusuf"]["id"], town["m_yusuf"]["id"]
    with registry.transaction():
        enrolment = submitted(registry, "PEDAS_NIA", other)
        handover = records.record_handover(
            registry,
            enrolment_id=enrolment["id"],
            handed_at="2026-03-01T03:00:00Z",
            confirmed_by="tanda_tangan",
            amount=500_000,
        )
        registry.update("person", other, {"phone": "081234567890"})
    find_duplicates(db_path)

    moved = merge_people(registry, keep, other, "Orang yang sama, dicatat dua laptop")

    assert moved["enrolment"] == [enrolment["id"]]
    assert "phone" in moved["filled"]
    row = registry.get("enrolment", enrolment["id"])
    assert row["person_id"] == keep
    assert row["household_id"] == town["yusuf"]["household_id"]
    assert registry.get("handover", handover["id"])["enrolment_id"] == enrolment["id"]
    tomb = registry.get("person", other)
    assert tomb["deleted_at"] is not None and tomb["merged_into"] == keep
    assert registry.get("person", keep)["phone"] == "081234567890"
    # Both people's audit entries, the moved enrolment's and the merge event are one history.
    history = person_history(db, keep)
    rows = {(e.table_name, e.row_id) for e in history}
    assert {("person", keep), ("person", other), ("enrolment", enrolment["id"])} <= rows
    assert any(e.action == "merge_person" for e in history)
    assert any(e.changes.get("person_id") == (other, keep) for e in history)
    # The change log carries it all back to laptops.
    logged = {r for (r,) in db.conn.execute("SELECT row_id FROM change_log")}
    assert {keep, other, enrolment["id"]} <= logged
    resolved = [c for c in candidates(db, open_only=False) if {c.row_a, c.row_b} == {keep, other}]
    assert resolved[0].resolution == MERGED
    with pytest.raises(MergeProblem):
        merge_people(registry, keep, other, "lagi")


def test_forbidden_double_enrolment_and_bertani_twice_listed(field):
    """Submitted on a laptop, sent to the office by its export, found by the office's scan."""

    def fill(reg):
        v = villages(reg.db)
        head = person(reg, v[0], "Kepala Satu", "L", "1950-01-01")
        wife = person(
            reg,
            v[0],
            "Istri Satu",
            "P",
            "1952-02-02",
            household_id=head["household_id"],
            relation="istri",
        )
        cash = submitted(
            reg, "BANTU_UMAK", head["id"], period_start="2026-01-01", period_end="2026-12-31"
        )
        elderly = submitted(
            reg, "PEDAS_NIA", wife["id"], period_start="2026-06-01", period_end="2027-05-31"
        )
        house1 = submitted(reg, "BERTANI", head["id"])
        house2 = submitted(reg, "BERTANI", wife["id"])
        # Another household's two programs in different periods are fine.
        lone = person(reg, v[1], "Lain Lagi", "L", "1950-05-05")
        submitted(reg, "BANTU_UMAK", lone["id"], period_start="2025-01-01", period_end="2025-12-31")
        submitted(reg, "PEDAS_NIA", lone["id"], period_start="2026-01-01")
        return cash, elderly, house1, house2

    cash, elderly, house1, house2 = field.on_laptop(fill)
    field.deliver()
    find_duplicates(field.office_db)
    db = connect(field.office_db)
    try:
        found = {(c.kind, frozenset((c.row_a, c.row_b))): c for c in candidates(db)}
        assert set(found) == {
            ("forbidden_pair", frozenset((cash["id"], elderly["id"]))),
            ("once", frozenset((house1["id"], house2["id"]))),
        }
        once = found[("once", frozenset((house1["id"], house2["id"])))]
        assert "Bertani hanya sekali" in once.reason
        # Rejecting one of them settles the entry on the next scan.
        decide(Registry(db, operator_id="op-kantor"), elderly["id"], False, "Sudah menerima")
        find_duplicates(field.office_db)
        assert {c.kind for c in candidates(db)} == {"once"}
    finally:
        db.close()


def test_scan_cancels_without_writing(db, db_path, town):
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        find_duplicates(db_path, progress)
    assert db.conn.execute("SELECT count(*) FROM duplicate_candidate").fetchone()[0] == 0


def test_demo_registry_flags_only_its_planted_duplicates(db, db_path):
    from muba_desk import demo

    demo.create_demo(db, people=3000, seed=5)
    find_duplicates(db_path)
    queue = candidates(db)
    assert queue, "the demo plants people typed twice with one NIK"
    for c in queue:
        a, b = (
            db.conn.execute("SELECT nik FROM person WHERE id = ?", (r,)).fetchone()[0]
            for r in (c.row_a, c.row_b)
        )
        assert c.kind == "nik" and a == b, c.reason
