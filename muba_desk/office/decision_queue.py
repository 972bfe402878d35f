"""The enrolments waiting for the office's decision (Terkirim), for the window and any caller."""

from __future__ import annotations

from muba_desk.office.registry_query import device_names

LIMIT = 2000  # one screen's worth; filters narrow the rest


def waiting(db, program: str | None, district: str | None) -> list[tuple]:
    """(id, name, program, village, laptop, sent at) of enrolments in Terkirim."""
    where, params = ["e.status = 'TERKIRIM'", "e.deleted_at IS NULL"], []
    if program:
        where.append("e.program = ?")
        params.append(program)
    if district:
        where.append("v.district_code = ?")
        params.append(district)
    names = device_names(db)
    rows = db.conn.execute(
        f"""SELECT e.id, coalesce(p.name, g.name, i.name, '–'), e.program, v.name,
                   substr(e.rev, 20), e.updated_at
            FROM enrolment e
            LEFT JOIN person p ON p.id = e.person_id
            LEFT JOIN grp g ON g.id = e.grp_id
            LEFT JOIN institution i ON i.id = e.institution_id
            LEFT JOIN household h ON h.id = coalesce(e.household_id, p.household_id)
            LEFT JOIN area_village v ON v.code = coalesce(h.village_code, i.village_code)
            WHERE {" AND ".join(where)} ORDER BY e.updated_at LIMIT {LIMIT}""",
        params,
    ).fetchall()
    return [(r[0], r[1], r[2], r[3], names.get(r[4], r[4]), r[5]) for r in rows]
