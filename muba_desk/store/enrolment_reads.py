"""What the enrolment forms, the hand-over form and the status dialog read, as plain
functions of a connection: Qt-free, so the command line and tests reach the same reads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from muba_desk.domain.programs import EligibilityContext, get_program
from muba_desk.store import records, search

PERSON_COLUMNS = """id, name, sex, nik, birth_date, household_id, institution_id, occupation,
    disability, (SELECT h.village_code FROM household h WHERE h.id = person.household_id)
    AS village_code"""


def _rows(db, sql: str, params: Iterable = ()) -> list[dict]:
    cursor = db.conn.execute(sql, tuple(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]


def _person(row: dict) -> dict:
    if isinstance(row.get("disability"), str):
        row["disability"] = json.loads(row["disability"] or "[]")
    return row


def people(db, ids: Iterable[str]) -> list[dict]:
    """Person rows (the columns rules look at) in the order of `ids`."""
    ids = list(ids)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    found = {
        r["id"]: _person(r)
        for r in _rows(
            db,
            f"SELECT {PERSON_COLUMNS} FROM person WHERE id IN ({marks}) AND deleted_at IS NULL",
            ids,
        )
    }
    return [found[i] for i in ids if i in found]


def find_people(db, text: str, limit: int = 30) -> list[dict]:
    """People matching the typed words, as rows the pickers show and the rules read."""
    hits = search.search_people(db, text, limit=limit)
    rows = people(db, [h.id for h in hits])
    villages = {h.id: h.village for h in hits}
    for row in rows:
        row["village"] = villages.get(row["id"])
    return rows


@dataclass
class Target:
    """Who an enrolment is for, with what the eligibility rules need to know about them."""

    person: dict | None = None
    household: dict | None = None
    household_members: list[dict] = field(default_factory=list)
    institution: dict | None = None
    children: list[dict] = field(default_factory=list)
    enrolments: list[dict] = field(default_factory=list)
    reference: dict = field(default_factory=dict)
    village_code: str | None = None

    def context(self, data: dict, *, members: Iterable[dict] = ()) -> EligibilityContext:
        """The rules' view of this target and the form's current values."""
        members = tuple(members) or tuple(self.children) or tuple(self.household_members)
        return EligibilityContext(
            person=self.person,
            household=self.household,
            members=members,
            enrolments=tuple(self.enrolments),
            data=data,
            reference=self.reference,
            today=date.today(),
            institution=self.institution,
        )


def load_target(db, *, person_id: str | None = None, household_id: str | None = None) -> Target:
    """The person (or the head of the household) with their household and enrolments."""
    target = Target(reference=records.reference(db))
    if person_id is None and household_id:
        head = _rows(db, "SELECT head_person_id FROM household WHERE id = ?", (household_id,))
        person_id = head[0]["head_person_id"] if head else None
    if person_id:
        found = people(db, [person_id])
        target.person = found[0] if found else None
        household_id = (target.person or {}).get("household_id") or household_id
    if household_id:
        rows = _rows(db, "SELECT * FROM household WHERE id = ?", (household_id,))
        target.household = rows[0] if rows else None
        target.village_code = (target.household or {}).get("village_code")
        target.household_members = [
            _person(r)
            for r in _rows(
                db,
                f"SELECT {PERSON_COLUMNS} FROM person WHERE household_id = ? "
                "AND deleted_at IS NULL",
                (household_id,),
            )
        ]
    target.enrolments = _rows(
        db,
        """SELECT id, program, status, person_id, household_id, period_start, period_end
           FROM enrolment WHERE deleted_at IS NULL AND (person_id = ? OR household_id = ?)""",
        (person_id, household_id),
    )
    return target


def institutions(db) -> list[dict]:
    return _rows(db, "SELECT * FROM institution WHERE deleted_at IS NULL ORDER BY name")


def load_institution(db, institution_id: str) -> Target:
    rows = _rows(db, "SELECT * FROM institution WHERE id = ?", (institution_id,))
    institution = rows[0] if rows else None
    children = _rows(
        db,
        f"SELECT {PERSON_COLUMNS} FROM person WHERE institution_id = ? AND deleted_at IS NULL "
        "ORDER BY name",
        (institution_id,),
    )
    return Target(
        institution=institution,
        children=[_person(c) for c in children],
        reference=records.reference(db),
        village_code=(institution or {}).get("village_code"),
    )


@dataclass(frozen=True)
class Enrolment:
    """The data a hand-over, a status change or the photo view needs of one enrolment."""

    id: str
    program: str
    status: str
    data: dict
    who: str
    person_id: str | None
    household_id: str | None
    history: list[dict]
    handovers: list[dict]
    decisions: list[dict] = field(default_factory=list)
    """The office's decisions (SK) that set this enrolment: number, date, about; oldest first
    (office-local, so always empty on a laptop)."""

    @property
    def program_name(self) -> str:
        return get_program(self.program).name


def load_enrolment(db, enrolment_id: str) -> Enrolment | None:
    rows = _rows(
        db,
        """SELECT e.*, coalesce(p.name, g.name, i.name) AS who FROM enrolment e
           LEFT JOIN person p ON p.id = e.person_id
           LEFT JOIN grp g ON g.id = e.grp_id
           LEFT JOIN institution i ON i.id = e.institution_id
           WHERE e.id = ? AND e.deleted_at IS NULL""",
        (enrolment_id,),
    )
    if not rows:
        return None
    row = rows[0]
    history = _rows(
        db,
        """SELECT s.from_status, s.to_status, s.reason, s.created_at,
                  coalesce(o.full_name, s.created_by) AS operator
           FROM enrolment_status s LEFT JOIN operator o ON o.id = s.created_by
           WHERE s.enrolment_id = ? ORDER BY s.pk""",
        (enrolment_id,),
    )
    handovers = _rows(
        db,
        "SELECT * FROM handover WHERE enrolment_id = ? AND deleted_at IS NULL ORDER BY handed_at",
        (enrolment_id,),
    )
    decisions = _rows(
        db,
        """SELECT s.number, s.decided_on, s.about FROM sk s JOIN sk_enrolment l ON l.sk_id = s.id
           WHERE l.enrolment_id = ? ORDER BY s.decided_on, s.pk""",
        (enrolment_id,),
    )
    return Enrolment(
        id=row["id"],
        program=row["program"],
        status=row["status"],
        data=json.loads(row["data"] or "{}"),
        who=row["who"] or "",
        person_id=row["person_id"],
        household_id=row["household_id"],
        history=history,
        handovers=handovers,
        decisions=decisions,
    )


def enrolments_for(db, *, person_id: str | None, household_id: str | None) -> list[dict]:
    """Enrolments of a person or a household (newest first), for the pickers of the menu."""
    return _rows(
        db,
        """SELECT e.id, e.program, e.status, e.created_at, coalesce(p.name, '') AS who
           FROM enrolment e LEFT JOIN person p ON p.id = e.person_id
           WHERE e.deleted_at IS NULL AND (e.person_id = ? OR e.household_id = ?)
           ORDER BY e.created_at DESC""",
        (person_id, household_id),
    )


def house_photos(db, enrolment_id: str) -> dict[str, list[dict]]:
    """Bertani photos of one enrolment by kind, oldest first, with their full JPEG."""
    out: dict[str, list[dict]] = {"house_before": [], "house_during": [], "house_after": []}
    for row in _rows(
        db,
        """SELECT id, kind, jpeg, thumbnail, width, height, taken_at, gps_lat, gps_lon
           FROM photo WHERE owner_table = 'enrolment' AND owner_id = ? AND deleted_at IS NULL
             AND kind IN ('house_before', 'house_during', 'house_after') ORDER BY pk""",
        (enrolment_id,),
    ):
        out[row["kind"]].append(row)
    return out


def handover_start(db, enrolment_id: str):
    """(Enrolment or None, the amount its program's rules give one hand-over or None): what
    the hand-over form opens with."""
    from muba_desk.domain.programs.amounts import suggested_amount
    from muba_desk.store.records import reference

    enrolment = load_enrolment(db, enrolment_id)
    if enrolment is None:
        return None, None
    return enrolment, suggested_amount(enrolment.program, enrolment.data, reference(db))
