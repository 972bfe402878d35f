"""Search as you type over people and households (FTS5 prefix queries, no full scans)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from muba_desk.domain.names import fold_name

TOKEN = re.compile(r"\w+", re.UNICODE)
# A NIK or KK being typed: every one in the regency starts with 1606, so a ranked FTS match of
# such a prefix scores all 250,000 people (seconds). These go to the B-tree indexes instead.
# Four digits at least: the only digits elsewhere in the search text are short ("Lumpatan 2").
NUMBER = re.compile(r"[0-9]{4,16}")


def fts_query(text: str) -> str | None:
    """'siti am' -> '"siti"* "am"*': every word a prefix, all words required.

    The text is folded as the index's names are (`fold_name`, m011), so "Ѕiti" typed with a
    Cyrillic Ѕ, or "ｓｉｔｉ" from a full-width keyboard, finds "Siti" and the other way round.
    """
    tokens = TOKEN.findall(fold_name(text))
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


def number_prefix(text: str) -> tuple[str, str] | None:
    """'1606' -> ('1606', '1607'): the range of NIKs or KKs starting with a typed number, or
    None when `text` is not one number of 4 to 16 digits. Folded as `fts_query` folds: a number
    typed in full-width digits must reach the indexes too, not a ranked FTS match of all people."""
    tokens = TOKEN.findall(fold_name(text))
    if len(tokens) != 1 or not NUMBER.fullmatch(tokens[0]):
        return None
    low = tokens[0]
    return low, low[:-1] + chr(ord(low[-1]) + 1)  # '9' + 1 is ':', still above every digit


def _people_by_number(db, low: str, high: str, limit: int) -> list[PersonHit]:
    """NIK matches in NIK order, then members of households whose KK matches, in KK order:
    both walk an index range and stop at `limit`."""
    by_nik = db.conn.execute(
        f"""SELECT {_PERSON_COLUMNS} FROM person p {_PERSON_JOINS}
            WHERE p.nik >= ? AND p.nik < ? AND p.deleted_at IS NULL ORDER BY p.nik LIMIT ?""",
        (low, high, limit),
    ).fetchall()
    hits = [PersonHit(*row) for row in by_nik]
    if len(hits) < limit:
        seen = {hit.id for hit in hits}
        by_kk = db.conn.execute(
            f"""SELECT {_PERSON_COLUMNS} FROM household h
                JOIN person p ON p.household_id = h.id
                LEFT JOIN area_village v ON v.code = h.village_code
                WHERE h.kk_number >= ? AND h.kk_number < ? AND p.deleted_at IS NULL
                ORDER BY h.kk_number LIMIT ?""",
            (low, high, limit + len(seen)),
        )
        hits += [hit for hit in (PersonHit(*row) for row in by_kk) if hit.id not in seen]
    return hits[:limit]


def search_people(db, text: str, *, limit: int = 200) -> list[PersonHit]:
    """People whose name, NIK, KK or village start with every typed word, best first.

    With nothing typed, the first people by name (served by the name index). A number (a NIK
    or KK being typed) is looked up in the NIK and KK indexes, NIK matches first.
    """
    number = number_prefix(text)
    if number is not None:
        return _people_by_number(db, *number, limit)
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
    """Households with a member, KK or village matching every typed word; a number (a KK or
    NIK being typed) through the KK and NIK indexes, KK matches first."""
    query = fts_query(text)
    number = number_prefix(text)
    select = """
        SELECT h.id, h.kk_number, head.name, v.name, h.address,
               (SELECT count(*) FROM person m
                WHERE m.household_id = h.id AND m.deleted_at IS NULL)
        FROM household h
        LEFT JOIN person head ON head.id = h.head_person_id
        LEFT JOIN area_village v ON v.code = h.village_code
    """
    if number is not None:
        low, high = number
        hits = [
            HouseholdHit(*row)
            for row in db.conn.execute(
                f"""{select} WHERE h.kk_number >= ? AND h.kk_number < ?
                    AND h.deleted_at IS NULL ORDER BY h.kk_number LIMIT ?""",
                (low, high, limit),
            )
        ]
        if len(hits) < limit:
            seen = {hit.id for hit in hits}
            rows = db.conn.execute(
                f"""WITH found AS (
                        SELECT household_id AS id, min(nik) AS nik FROM (
                            SELECT household_id, nik FROM person
                            WHERE nik >= ? AND nik < ? AND deleted_at IS NULL
                              AND household_id IS NOT NULL
                            ORDER BY nik LIMIT ?)
                        GROUP BY household_id
                    )
                    {select} JOIN found ON found.id = h.id
                    WHERE h.deleted_at IS NULL ORDER BY found.nik LIMIT ?""",
                (low, high, (limit + len(seen)) * 4, limit + len(seen)),
            )
            hits += [hit for hit in (HouseholdHit(*row) for row in rows) if hit.id not in seen]
        return hits[:limit]
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


def people_to_verify(db, text: str = "", *, limit: int = 200) -> list[PersonHit]:
    """People an office list brought in (`person.verify_state` 'to_verify') that the field has
    not checked yet, by village and name; with `text`, those matching it as `search_people`
    matches (name, NIK, KK or village)."""
    where = "p.verify_state = 'to_verify' AND p.deleted_at IS NULL"
    number = number_prefix(text)
    query = fts_query(text) if number is None else None
    if number is not None:
        low, high = number
        sql = f"""SELECT {_PERSON_COLUMNS} FROM person p {_PERSON_JOINS}
                  WHERE {where} AND ((p.nik >= ? AND p.nik < ?)
                                     OR (h.kk_number >= ? AND h.kk_number < ?))
                  ORDER BY v.name, p.name LIMIT ?"""
        rows = db.conn.execute(sql, (low, high, low, high, limit))
    elif query is not None:
        sql = f"""SELECT {_PERSON_COLUMNS} FROM person p {_PERSON_JOINS}
                  WHERE {where} AND p.pk IN (
                      SELECT rowid FROM person_search WHERE person_search MATCH ?)
                  ORDER BY v.name, p.name LIMIT ?"""
        rows = db.conn.execute(sql, (query, limit))
    else:
        sql = f"""SELECT {_PERSON_COLUMNS} FROM person p {_PERSON_JOINS}
                  WHERE {where} ORDER BY v.name, p.name LIMIT ?"""
        rows = db.conn.execute(sql, (limit,))
    return [PersonHit(*row) for row in rows]
