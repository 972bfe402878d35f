"""A small office registry built by hand, so every expected number can be counted."""

from __future__ import annotations

from muba_desk.store import records
from tests.program_data import DATA


def villages(db, n: int = 3) -> list[str]:
    """The first `n` village codes of one district, then one of another district."""
    first = db.conn.execute("SELECT min(district_code) FROM area_village").fetchone()[0]
    same = [
        r[0]
        for r in db.conn.execute(
            "SELECT code FROM area_village WHERE district_code = ? ORDER BY code LIMIT ?",
            (first, n - 1),
        )
    ]
    other = db.conn.execute(
        "SELECT code FROM area_village WHERE district_code != ? ORDER BY code LIMIT 1", (first,)
    ).fetchone()[0]
    return [*same, other]


def person(reg, village: str, name: str, sex: str, birth: str, nik: str | None = None, **kw):
    """A one-person household (or a member of `household_id` if given)."""
    household_id = kw.pop("household_id", None)
    if household_id is None:
        household_id = records.add_household(reg, village_code=village)["id"]
    fields = {"nik": nik} if nik else {"no_nik_reason": "tidak punya KTP"}
    return records.add_person(
        reg,
        name=name,
        sex=sex,
        birth_date=birth,
        household_id=household_id,
        relation=kw.pop("relation", "kepala"),
        **fields,
        **kw,
    )


def submitted(reg, program: str, person_id: str, **kw) -> dict:
    """An enrolment a laptop's worker submitted (Diajukan); its next export sends it (Terkirim)."""
    data = {**DATA.get(program, {}), **kw.pop("data", {})}
    e = records.enrol(reg, program=program, data=data, person_id=person_id, **kw)
    return records.set_status(reg, e["id"], "DIAJUKAN")
