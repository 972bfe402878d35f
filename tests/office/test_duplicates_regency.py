"""Issue 19, item 2: people registered again with another spelling in another village of the
regency are queued, and the queue is not flooded with strangers.

The regency is the demo generator's (50,000 people); the re-registrations are typed at the
office through the core's operations, as the register dialog does, with no NIK, the same birth
date and sex, in a village of another district.
"""

from __future__ import annotations

import random

import pytest

from muba_desk import demo
from muba_desk.core import operations
from muba_desk.core.operations import OFFICE, Actor
from muba_desk.office.duplicates import PERSON_KINDS, candidates, find_duplicates
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry

PEOPLE = 50_000
AGAIN = 120
# The five spellings the issue names, registered first as written in the old records.
NAMED = {
    "Muhammad Yoga": "Muhamad Yoga",
    "Siti Sari": "Sity Sari",
    "Ahmad Firdaus": "Achmad Firdaus",
    "Nur Hayati": "Noer Hayati",
    "Dimas Yusuf": "Dymas Yusup",
}
# Word for word, how another clerk writes a name (issue 19: Muhammad/Muhamad, Achmad/Ahmad,
# Noer/Nur, Sity/Siti, Dymas/Dimas, Yusup/Yusuf, and the old spellings).
WORDS = {
    "Muhammad": "Mohammad",
    "Muhamad": "M.",
    "Ahmad": "Achmad",
    "Nur": "Noer",
    "Siti": "Sity",
    "Dimas": "Dymas",
    "Yusuf": "Yusup",
    "Fitri": "Fitry",
    "Rahmat": "Rachmat",
    "Hidayat": "Hidajat",
    "Suryani": "Surjani",
    "Dewi": "Dewy",
}


def variant(name: str, rng: random.Random) -> str:
    """`name` as another clerk types it: a known variant of a word, else a common slip."""
    words = name.split()
    known = [i for i, w in enumerate(words) if w in WORDS]
    if known:
        i = rng.choice(known)
        words[i] = WORDS[words[i]]
        return " ".join(words)
    i = rng.randrange(len(words))
    word = words[i]
    if word.endswith("i"):
        word = word[:-1] + "y"
    elif word.endswith("ah"):
        word = word[:-1]
    elif word.endswith("a"):
        word += "h"
    elif "u" in word:
        word = word.replace("u", "oe", 1)
    elif "j" in word:
        word = word.replace("j", "dj", 1)
    else:
        word = word[:-1] + word[-1] * 2  # a doubled last letter
    words[i] = word
    return " ".join(words)


def _register(reg, actor, village: str, name: str, sex: str, born: str, **more) -> str:
    household = operations.register_household(reg, actor, village_code=village)
    made = operations.register_person(
        reg,
        actor,
        household_id=household.id,
        name=name,
        sex=sex,
        birth_date=born,
        relation="kepala",
        **more,
    )
    return made.id


@pytest.fixture(scope="module")
def regency(tmp_path_factory):
    path = tmp_path_factory.mktemp("regency") / "office.db"
    db = connect(path)
    try:
        demo.create_demo(db, people=PEOPLE, seed=19)
    finally:
        db.close()
    return path


def _original_people(db, rng: random.Random, count: int) -> list[tuple]:
    """Adults of the demo registry, in households, with a birth date: (id, name, sex, born,
    village, district)."""
    rows = db.conn.execute(
        """SELECT p.id, p.name, p.sex, p.birth_date, h.village_code, v.district_code
           FROM person p JOIN household h ON h.id = p.household_id
           JOIN area_village v ON v.code = h.village_code
           WHERE p.deleted_at IS NULL AND p.birth_date < '2000-01-01' ORDER BY p.id"""
    ).fetchall()
    return rng.sample(rows, count)


@pytest.mark.slow
def test_variant_re_registrations_across_the_regency_are_queued(regency):
    rng = random.Random(19)
    db = connect(regency)
    try:
        villages = db.conn.execute(
            "SELECT DISTINCT h.village_code, v.district_code FROM household h "
            "JOIN area_village v ON v.code = h.village_code ORDER BY 1"
        ).fetchall()
        actor = Actor("op-kantor", side=OFFICE)
        reg = Registry(db, operator_id=actor.operator_id)
        same: dict[str, str] = {}  # re-registration -> the person registered first
        no_nik = {"no_nik_reason": "KTP tertinggal"}
        with reg.transaction():
            # The five the issue names: first registered in one village, with a NIK-less record.
            for n, (first, again) in enumerate(NAMED.items()):
                village, district = villages[n]
                sex = "P" if first.split()[0] in ("Siti", "Nur") else "L"
                born = f"19{70 + n}-0{n + 1}-1{n}"
                original = _register(reg, actor, village, first, sex, born, **no_nik)
                elsewhere = next(v for v, d in reversed(villages) if d != district)
                same[_register(reg, actor, elsewhere, again, sex, born, **no_nik)] = original
        originals = _original_people(db, rng, AGAIN - len(NAMED))
        with reg.transaction():
            for person_id, name, sex, born, _village, district in originals:
                elsewhere = rng.choice([v for v, d in villages if d != district])
                again = _register(reg, actor, elsewhere, variant(name, rng), sex, born, **no_nik)
                same[again] = person_id
        assert len(same) == AGAIN

        find_duplicates(regency)

        queued = [c for c in candidates(db) if c.kind in PERSON_KINDS]
        found = {
            again
            for c in queued
            for again, first in same.items()
            if {c.row_a, c.row_b} == {again, first}
        }
        missed = [
            (db.conn.execute("SELECT name FROM person WHERE id = ?", (first,)).fetchone()[0], a)
            for a, first in same.items()
            if a not in found
        ]
        assert len(found) >= 110, f"{len(found)} of {AGAIN} found; missed: {missed[:15]}"
        for again in NAMED.values():
            assert any(
                again == db.conn.execute("SELECT name FROM person WHERE id = ?", (a,)).fetchone()[0]
                for a in found
            ), f"{again} not queued"

        niks = dict(db.conn.execute("SELECT id, nik FROM person WHERE nik IS NOT NULL"))

        def one_person(a: str, b: str) -> bool:
            # A pair is the same person when it is a re-registration of ours, or the demo's own
            # people typed twice (one NIK; the generator plants them).
            firsts = {same.get(a, a), same.get(b, b)}
            return len(firsts) == 1 or bool(niks.get(a)) and niks.get(a) == niks.get(b)

        strangers = [c for c in queued if not one_person(c.row_a, c.row_b)]
        assert len(strangers) <= 0.05 * len(queued), [c.reason for c in strangers]
        # Each queued re-registration says why, in the list, before the pair is opened.
        first_found = next(c for c in queued if {c.row_a, c.row_b} & set(found))
        assert first_found.reason.startswith("nama mirip")
        assert "desa berbeda" in first_found.reason
    finally:
        db.close()
