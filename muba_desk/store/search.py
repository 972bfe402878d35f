"""Search as you type over people and households (FTS5 prefix queries, no full scans)."""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """'siti am' -> '"siti"* "am"*': every word a prefix, all words required."""
    tokens = TOKEN.findall(text.lower())
    if not tokens:
        return None
    return " ".join(f'"{token}"*' for token in tokens)


@dataclass(frozen=True)
class PersonHit:
    id: str
    name: str
    sex: str
    birth_date: str | None
    nik: str | None
    kk_number: str | None
    village: str | None
    household_id: str | None


@dataclass(frozen=True)
class HouseholdHit:
    id: str
    kk_number: str | None
    head_name: str | None
    village: str | None
    address: str | None
    members: int


_PERSON_COLUMNS = """
    p.id, p.name, p.sex, p.birth_date, p.nik, h.kk_number, v.name, p.household_id
"""
_PERSON_JOINS = """
    LEFT JOIN household h ON h.id = p.household_id
    LEFT JOIN area_village v ON v.code = h.village_code
"""


def search_people(db, text: str, *, limit: int = 200) -> list[PersonHit]:
    """People whose name, NIK, KK or village start with every typed word, best first.

    With nothing typed, the first people by name (served by the name index).
    """
    query = fts_query(text)
    if query is None:
        sql = f"""SELECT {_PERSON_COLUMNS} FROM person p {_PERSON_JOINS}
                  WHERE p.deleted_at IS NULL ORDER BY p.name LIMIT ?"""
        rows = db.conn.execute(sql, (limit,))
    else:
        sql = f"""
            WITH hits AS (
                SELECT rowid, rank FROM person_search WHERE person_search MATCH ?
                ORDER BY rank LIMIT ?
            )
            SELECT {_PERSON_COLUMNS} FROM hits JOIN person p ON p.pk = hits.rowid
            {_PERSON_JOINS} ORDER BY hits.rank"""
        rows = db.conn.execute(sql, (query, limit))
    return [PersonHit(*row) for row in rows]


def search_households(db, text: str, *, limit: int = 200) -> list[HouseholdHit]:
    """Households with a member, KK or village matching every typed word."""
    query = fts_query(text)
    select = """
        SELECT h.id, h.kk_number, head.name, v.name, h.address,
               (SELECT count(*) FROM person m
                WHERE m.household_id = h.id AND m.deleted_at IS NULL)
        FROM household h
        LEFT JOIN person head ON head.id = h.head_person_id
        LEFT JOIN area_village v ON v.code = h.village_code
    """
    if query is None:
        rows = db.conn.execute(
            f"{select} WHERE h.deleted_at IS NULL ORDER BY h.pk DESC LIMIT ?", (limit,)
        )
    else:
        sql = f"""
            WITH hits AS (
                SELECT rowid, rank FROM person_search WHERE person_search MATCH ?
                ORDER BY rank LIMIT ?
            ),
            found AS (
                SELECT p.household_id AS id, min(hits.rank) AS rank
                FROM hits JOIN person p ON p.pk = hits.rowid
                WHERE p.household_id IS NOT NULL GROUP BY p.household_id
            )
            {select} JOIN found ON found.id = h.id
            WHERE h.deleted_at IS NULL ORDER BY found.rank LIMIT ?"""
        rows = db.conn.execute(sql, (query, limit * 4, limit))
    return [HouseholdHit(*row) for row in rows]
