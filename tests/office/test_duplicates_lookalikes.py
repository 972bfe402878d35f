"""The office scan and the form's warning see through look-alike letters and invisible
characters: a pair differing only by them is one name."""

from muba_desk.office.duplicates import candidates, find_duplicates
from muba_desk.store import records
from muba_desk.store.duplicates import people_like
from tests.office.helpers import person, villages

# "Siti Aminah" with a Ukrainian і, a Cyrillic А and a zero-width space; full-width "Yusuf".
DISGUISED = "S\u0456ti \u0410mi\u200bnah"
FULL_WIDTH = "Muhammad \uff39\uff55\uff53\uff55\uff46"
LOOKALIKE_REASON = "berisi huruf mirip dari abjad lain atau karakter tak terlihat"


def test_the_office_scan_queues_a_pair_differing_only_by_lookalikes(db, db_path, registry):
    v = villages(db)
    with registry.transaction():
        siti = person(registry, v[0], "Siti Aminah", "P", "1980-07-01")
        disguised = person(registry, v[0], DISGUISED, "P", "1980-07-01")
        yusuf = person(registry, v[1], "Muhammad Yusuf", "L", "1970-03-05")
        wide = person(registry, v[1], FULL_WIDTH, "L", "1970-03-05")
        person(registry, v[0], "Dewi Lestari", "P", "1980-07-01")
    assert find_duplicates(db_path) == 2
    found = {frozenset((c.row_a, c.row_b)): c for c in candidates(db)}
    assert set(found) == {
        frozenset((siti["id"], disguised["id"])),
        frozenset((yusuf["id"], wide["id"])),
    }
    for candidate in found.values():
        assert candidate.kind == "similar" and candidate.score >= 0.95
        assert LOOKALIKE_REASON in candidate.reasons


def test_the_form_warns_of_a_person_whose_name_differs_only_by_lookalikes(registry, db):
    village = villages(db)[0]
    with registry.transaction():
        stored = person(registry, village, DISGUISED, "P", "1980-07-01")
        household = records.add_household(registry, village_code=village)
    for typed in ("Siti Aminah", "SITI  AMINAH", "St. Aminah", "\uff33iti Aminah"):
        like = people_like(db, name=typed, birth_date="1980-07-01", village_code=village)
        assert [p["id"] for p in like] == [stored["id"]], typed
    with registry.transaction():
        plain = person(
            registry, village, "Siti Aminah", "P", "1980-07-01", household_id=household["id"]
        )
    like = people_like(
        db, name=DISGUISED, birth_date="1980-07-01", village_code=village, exclude_id=stored["id"]
    )
    assert [p["id"] for p in like] == [plain["id"]]
    assert people_like(db, name="Siti Rohani", birth_date="1980-07-01", village_code=village) == []
