"""Read-only views of one person or household with everything the details page shows."""

from __future__ import annotations

import json

from muba_desk.store.imported_lists import import_history


def _rows(db, sql: str, params=()) -> list[dict]:
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]


def _one(db, sql: str, params=()) -> dict | None:
    rows = _rows(db, sql, params)
    return rows[0] if rows else None


def _decode(row: dict, *columns: str) -> dict:
    for column in columns:
        if isinstance(row.get(column), str):
            row[column] = json.loads(row[column])
    return row


def enrolments_of(db, *, person_id=None, household_id=None) -> list[dict]:
    rows = _rows(
        db,
        """SELECT e.*, p.name AS person_name FROM enrolment e
           LEFT JOIN person p ON p.id = e.person_id
           WHERE e.deleted_at IS NULL AND (e.person_id = ? OR e.household_id = ?)
           ORDER BY e.created_at""",
        (person_id, household_id),
    )
    for row in rows:
        _decode(row, "data")
        row["history"] = _rows(
            db,
            """SELECT s.from_status, s.to_status, s.reason, s.created_at, s.created_by,
                      o.full_name AS operator
               FROM enrolment_status s LEFT JOIN operator o ON o.id = s.created_by
               WHERE s.enrolment_id = ? ORDER BY s.pk""",
            (row["id"],),
        )
        row["handovers"] = [
            _decode(h, "items")
            for h in _rows(
                db,
                "SELECT * FROM handover WHERE enrolment_id = ? AND deleted_at IS NULL "
                "ORDER BY handed_at",
                (row["id"],),
            )
        ]
    return rows


def photos_of(db, owner_table: str, owner_id: str) -> list[dict]:
    """Photo metadata and thumbnails (not the full JPEG: the details page needs only these)."""
    return _rows(
        db,
        """SELECT id, kind, width, height, taken_at, gps_lat, gps_lon, thumbnail, sha256
           FROM photo WHERE owner_table = ? AND owner_id = ? AND deleted_at IS NULL
           ORDER BY taken_at, pk""",
        (owner_table, owner_id),
    )


def person_details(db, person_id: str) -> dict | None:
    person = _one(
        db,
        """SELECT p.*, h.kk_number, h.village_code, v.name AS village, d.name AS district,
                  h.address, h.rt, h.rw
           FROM person p
           LEFT JOIN household h ON h.id = p.household_id
           LEFT JOIN area_village v ON v.code = h.village_code
           LEFT JOIN area_district d ON d.code = v.district_code
           WHERE p.id = ? AND p.deleted_at IS NULL""",
        (person_id,),
    )
    if person is None:
        return None
    _decode(person, "disability")
    person["enrolments"] = [
        e for e in enrolments_of(db, person_id=person_id) if e["person_id"] == person_id
    ]
    person["photos"] = photos_of(db, "person", person_id)

    person["imports"] = import_history(db, person_id)
    return person


def household_details(db, household_id: str) -> dict | None:
    household = _one(
        db,
        """SELECT h.*, v.name AS village, d.name AS district FROM household h
           LEFT JOIN area_village v ON v.code = h.village_code
           LEFT JOIN area_district d ON d.code = v.district_code
           WHERE h.id = ? AND h.deleted_at IS NULL""",
        (household_id,),
    )
    if household is None:
        return None
    household["members"] = [
        _decode(m, "disability")
        for m in _rows(
            db,
            """SELECT * FROM person WHERE household_id = ? AND deleted_at IS NULL
               ORDER BY CASE relation WHEN 'kepala' THEN 0 ELSE 1 END, birth_date""",
            (household_id,),
        )
    ]
    household["enrolments"] = enrolments_of(db, household_id=household_id)
    household["photos"] = photos_of(db, "household", household_id)
    return household


def counts(db) -> dict[str, int]:
    """Totals for the status bar: each walks a partial index of the live rows (m006), never
    the table."""
    return {
        table: db.conn.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[
            0
        ]
        for table in ("household", "person", "enrolment")
    }
