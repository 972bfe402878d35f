"""Two records side by side: the facts a clerk compares before merging or keeping both, as
plain values (the window words and formats them: gui/office/pair_facts.py)."""

from __future__ import annotations

from dataclasses import dataclass

from muba_desk.office.registry_query import device_names, registered_by


@dataclass(frozen=True)
class PersonRecord:
    name: str
    nik: str | None
    sex: str | None
    birth_place: str | None
    birth_date: str | None
    kk_number: str | None
    village: str | None
    district: str | None
    laptop: str
    """The name of the laptop that registered the person (as the registry page's Laptop
    column: not whoever changed it last); its device id when unknown."""
    phone: str | None
    gone: bool
    """Deleted or merged into another person."""
    enrolments: tuple[tuple[str, str], ...]
    """(program, status) of each live enrolment."""


def person_record(db, person_id: str) -> PersonRecord | None:
    """One person (also a merged or deleted one), or None when there is no such row."""
    row = db.conn.execute(
        """SELECT p.name, p.nik, p.sex, p.birth_place, p.birth_date, h.kk_number, v.name,
                  d.name, substr(p.rev, 20), p.phone, p.deleted_at, p.merged_into
           FROM person p LEFT JOIN household h ON h.id = p.household_id
           LEFT JOIN area_village v ON v.code = h.village_code
           LEFT JOIN area_district d ON d.code = v.district_code WHERE p.id = ?""",
        (person_id,),
    ).fetchone()
    if row is None:
        return None
    enrolments = db.conn.execute(
        "SELECT program, status FROM enrolment WHERE person_id = ? AND deleted_at IS NULL",
        (person_id,),
    ).fetchall()
    device = registered_by(db, [person_id]).get(person_id, row[8])
    return PersonRecord(
        *row[:8],
        laptop=device_names(db).get(device, device),
        phone=row[9],
        gone=bool(row[10]),
        enrolments=tuple((program, status) for program, status in enrolments),
    )


def enrolment_person(db, enrolment_id: str) -> str | None:
    row = db.conn.execute(
        "SELECT person_id FROM enrolment WHERE id = ?", (enrolment_id,)
    ).fetchone()
    return row[0] if row else None


def pair_people(db, table: str, row_a: str, row_b: str) -> tuple[str | None, str | None]:
    """The person ids of a pair (for enrolments: the enrolled people)."""
    if table == "enrolment":
        return enrolment_person(db, row_a), enrolment_person(db, row_b)
    return row_a, row_b
