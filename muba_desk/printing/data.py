"""The rows each printed document needs, read in one query where possible."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from muba_desk.errors import UserError

WIB = timedelta(hours=7)


class NotFound(UserError, LookupError):
    """The record to print does not exist (or was deleted); str() is Indonesian."""


class CannotPrint(UserError, ValueError):
    """A record whose values no printed document can carry; str() names it and says why."""


CARD_SQL = """
SELECT e.id AS enrolment_id, e.program, e.card_number, e.status,
       p.id AS person_id, p.name, p.nik, h.village_code,
       v.name AS village, d.name AS district, ph.thumbnail AS photo
FROM enrolment e
JOIN person p ON p.id = e.person_id
LEFT JOIN household h ON h.id = p.household_id
LEFT JOIN area_village v ON v.code = h.village_code
LEFT JOIN area_district d ON d.code = v.district_code
LEFT JOIN photo ph ON ph.id = p.photo_id AND ph.deleted_at IS NULL
WHERE e.deleted_at IS NULL AND p.deleted_at IS NULL AND e.card_number IS NOT NULL
"""
# A card says its holder takes part: only once the office approved (Disetujui) or aid began
# (Aktif). Enrolments still waiting for the office's decision are left out and counted.
CARDED = ("DISETUJUI", "AKTIF")
AWAITING_OFFICE = ("DRAF", "DIAJUKAN", "TERKIRIM")


def today_wib() -> date:
    return (datetime.now(UTC) + WIB).date()


def rows(db, sql: str, params=()) -> list[dict]:
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]


def _card_selection(village_code, enrolment_ids, person_id, statuses) -> tuple[str, list]:
    sql = CARD_SQL + f" AND e.status IN ({', '.join('?' for _ in statuses)})"
    params = list(statuses)
    if village_code:
        sql += " AND h.village_code = ?"
        params.append(village_code)
    if person_id:
        sql += " AND p.id = ?"
        params.append(person_id)
    if enrolment_ids is not None:
        sql += f" AND e.id IN ({', '.join('?' for _ in enrolment_ids)})"
        params.extend(enrolment_ids)
    return sql, params


def card_rows(db, *, village_code=None, enrolment_ids=None, person_id=None) -> list[dict]:
    """One row per card: an enrolment of a person with a card number, approved or active."""
    sql, params = _card_selection(village_code, enrolment_ids, person_id, CARDED)
    return rows(db, sql + " ORDER BY v.name, p.name, e.card_number", params)


def cards_awaiting_office(db, *, village_code=None, enrolment_ids=None, person_id=None) -> int:
    """How many enrolments of the same selection get no card: the office has not approved
    them yet (Draf, Diajukan, Terkirim)."""
    sql, params = _card_selection(village_code, enrolment_ids, person_id, AWAITING_OFFICE)
    return db.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def receipt_row(db, handover_id: str) -> dict:
    """A hand-over with its enrolment, recipient (person, group or institution) and officer."""
    found = rows(
        db,
        """SELECT ho.*, e.program, e.data AS enrolment_data, e.person_id, e.grp_id,
                  e.institution_id, p.name AS person_name, p.nik,
                  coalesce(g.name, i.name) AS body_name, i.head_name AS institution_head,
                  coalesce(h.village_code, g.village_code, i.village_code) AS village_code,
                  coalesce(h.address, i.address) AS address, h.rt, h.rw,
                  o.full_name AS officer
           FROM handover ho
           JOIN enrolment e ON e.id = ho.enrolment_id
           LEFT JOIN person p ON p.id = e.person_id
           LEFT JOIN household h ON h.id = p.household_id
           LEFT JOIN grp g ON g.id = e.grp_id
           LEFT JOIN institution i ON i.id = e.institution_id
           LEFT JOIN operator o ON o.id = ho.operator_id
           WHERE ho.id = ? AND ho.deleted_at IS NULL""",
        (handover_id,),
    )
    if not found:
        raise NotFound(f"Serah terima {handover_id} tidak ditemukan.")
    row = found[0]
    row["items"] = json.loads(row["items"] or "[]")
    row["enrolment_data"] = json.loads(row["enrolment_data"] or "{}")
    row["recipient"] = row["person_name"] or row["body_name"] or "-"
    row["signatories"] = signatories(db, row)
    row.update(village_names(db, row["village_code"]))
    return row


def signatories(db, row: dict) -> list[tuple[str, str]]:
    """Who signs for the recipient, as (role, name): a person signs for themself (or a proxy
    for them); a group by its chair and treasurer; an institution by its head
    (PROGRAMS.md). A role nobody holds yet keeps an empty name, to be written by hand."""
    if row["confirmed_by"] == "kuasa":
        return [("Kuasa penerima,", row["proxy_name"] or "")]
    if row["person_id"]:
        role = {
            "cap_jempol": "Penerima (cap jempol),",
            "transfer_bank": "Penerima (transfer bank),",
        }.get(row["confirmed_by"], "Penerima,")
        return [(role, row["person_name"] or "")]
    if row["grp_id"]:
        names = dict(
            db.conn.execute(
                """SELECT m.role, min(p.name) FROM grp_member m JOIN person p ON p.id = m.person_id
                   WHERE m.grp_id = ? AND m.deleted_at IS NULL AND p.deleted_at IS NULL
                     AND m.role IN ('ketua', 'bendahara') GROUP BY m.role""",
                (row["grp_id"],),
            ).fetchall()
        )
        return [
            ("Ketua kelompok,", names.get("ketua") or ""),
            ("Bendahara kelompok,", names.get("bendahara") or ""),
        ]
    return [("Kepala lembaga,", row.get("institution_head") or "")]


def village_names(db, village_code: str | None) -> dict:
    found = rows(
        db,
        """SELECT v.name AS village, d.name AS district FROM area_village v
           JOIN area_district d ON d.code = v.district_code WHERE v.code = ?""",
        (village_code or "",),
    )
    return found[0] if found else {"village": None, "district": None}


def enrolment_row(db, enrolment_id: str) -> dict:
    """An enrolment with its person (if any), household and area, its data decoded."""
    found = rows(
        db,
        """SELECT e.*, p.name AS person_name, p.nik, p.sex, h.address, h.rt, h.rw,
                  h.kk_number, coalesce(h.village_code, g.village_code, i.village_code)
                  AS area_code, h.id AS household, g.name AS group_name,
                  g.business_type, g.bank_name, g.bank_account,
                  i.name AS institution_name, i.address AS institution_address,
                  i.head_name AS institution_head
           FROM enrolment e
           LEFT JOIN person p ON p.id = e.person_id
           LEFT JOIN household h ON h.id = coalesce(p.household_id, e.household_id)
           LEFT JOIN grp g ON g.id = e.grp_id
           LEFT JOIN institution i ON i.id = e.institution_id
           WHERE e.id = ? AND e.deleted_at IS NULL""",
        (enrolment_id,),
    )
    if not found:
        raise NotFound(f"Pendaftaran {enrolment_id} tidak ditemukan.")
    row = found[0]
    row["data"] = json.loads(row["data"] or "{}")
    row.update(village_names(db, row["area_code"]))
    return row


def house_photos(db, enrolment: dict) -> dict[str, dict]:
    """The latest before/during/after photo of a Bertani house, kept on the enrolment or the
    household."""
    owners = [("enrolment", enrolment["id"])]
    if enrolment.get("household"):
        owners.append(("household", enrolment["household"]))
    found: dict[str, dict] = {}
    for table, owner in owners:
        for photo in rows(
            db,
            """SELECT kind, jpeg, taken_at, gps_lat, gps_lon FROM photo
               WHERE owner_table = ? AND owner_id = ? AND deleted_at IS NULL
                 AND kind IN ('house_before', 'house_during', 'house_after')
               ORDER BY coalesce(taken_at, created_at)""",
            (table, owner),
        ):
            found[photo["kind"]] = photo
    return found


def group_members(db, grp_id: str) -> list[dict]:
    order = "CASE m.role WHEN 'ketua' THEN 0 WHEN 'sekretaris' THEN 1 WHEN 'bendahara' THEN 2 END"
    return rows(
        db,
        f"""SELECT m.role, p.name, p.nik, p.sex, p.birth_date, p.occupation, h.address, h.rt,
                  h.rw
           FROM grp_member m JOIN person p ON p.id = m.person_id
           LEFT JOIN household h ON h.id = p.household_id
           WHERE m.grp_id = ? AND m.deleted_at IS NULL
           ORDER BY coalesce({order}, 3), p.name""",
        (grp_id,),
    )
