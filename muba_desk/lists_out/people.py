"""Who a list names: the live approved (Disetujui) and active (Aktif) enrolments of a program
whose period covers the month, with the person, household and area a list shows."""

from __future__ import annotations

import json
from datetime import date

_SELECT = """
SELECT e.id AS enrolment_id, e.status, e.data, e.period_start, e.period_end,
       p.nik, p.name, p.birth_date, p.sex, p.occupation,
       h.kk_number AS kk, h.address, v.name AS village, d.name AS district
FROM enrolment e
JOIN person p ON p.id = e.person_id
LEFT JOIN household h ON h.id = coalesce(e.household_id, p.household_id)
LEFT JOIN area_village v ON v.code = h.village_code
LEFT JOIN area_district d ON d.code = v.district_code
WHERE e.program = ? AND e.status IN ('DISETUJUI', 'AKTIF')
  AND e.deleted_at IS NULL AND p.deleted_at IS NULL AND p.merged_into IS NULL
  AND (e.period_start IS NULL OR e.period_start <= ?)
  AND (e.period_end IS NULL OR e.period_end >= ?)
ORDER BY d.name, v.name, p.name, e.id
"""


def enrolled(db, program: str, first: date, last: date) -> list[dict]:
    """The enrolments a list of `program` for the month first..last names, by district,
    village and name; each a dict with `data` decoded."""
    cursor = db.conn.execute(_SELECT, (program, last.isoformat(), first.isoformat()))
    names = [d[0] for d in cursor.description]
    out = []
    for row in cursor:
        item = dict(zip(names, row, strict=True))
        try:
            item["data"] = json.loads(item["data"] or "{}")
        except ValueError:
            item["data"] = {}
        out.append(item)
    return out


def by_id(db, enrolment_ids) -> dict[str, dict]:
    """Enrolment id -> (status, person's name and NIK) for enrolments named in older lists."""
    ids = list(enrolment_ids)
    out: dict[str, dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for row in db.conn.execute(
            "SELECT e.id, e.status, e.deleted_at, p.deleted_at, p.merged_into, "
            "(SELECT reason FROM enrolment_status s WHERE s.enrolment_id = e.id "
            " ORDER BY s.pk DESC LIMIT 1) "
            f"FROM enrolment e LEFT JOIN person p ON p.id = e.person_id WHERE e.id IN ({marks})",
            chunk,
        ):
            out[row[0]] = {
                "status": row[1],
                "deleted": bool(row[2] or row[3]),
                "merged": bool(row[4]),
                "reason": row[5],
            }
    return out
