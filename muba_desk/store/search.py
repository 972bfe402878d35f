"""Search as you type over people and households.

Word beginnings first (FTS5 prefix queries, ranked); then, to fill the list, the middle of
names and their spelling variants (the trigram index of m018: "anti" finds Yanti, "ahmad"
finds Achmad) and the middle or end of a NIK or KK, typed with or without the spaces and dots
of a printed card (a walk of the NIK and KK indexes, which hold only digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from muba_desk.domain.names import fold, fold_name, search_key

TOKEN = re.compile(r"\w+", re.UNICODE)
# A number as printed on a card or letter: digits in groups split by spaces, dots or dashes
# ("1606 0112 3456 7890", "16.06.01"), read as the one number it is.
GROUPED_NUMBER = re.compile(r"[0-9]+(?:[\s.\-/]+[0-9]+)*")
# The fewest letters the trigram index can look up (it holds runs of three).
TRIGRAM = 3
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


def typed_number(text: str) -> str | None:
    """The digits of `text` when it is one number of 4 to 16 digits, typed whole or in the
    groups of a printed card ("1606 0112 3456", "16.06.01.2001"), else None. Folded as
    `fts_query` folds: full-width digits are digits too."""
    folded = fold_name(text).strip()
    if not GROUPED_NUMBER.fullmatch(folded):
        return None
    digits = "".join(TOKEN.findall(folded))
    return digits if NUMBER.fullmatch(digits) else None


def number_prefix(text: str) -> tuple[str, str] | None:
    """'1606' -> ('1606', '1607'): the range of NIKs or KKs starting with a typed number, or
    None when `text` is not one number of 4 to 16 digits (`typed_number`): a number must reach
    the indexes, not a ranked FTS match of all people."""
    low = typed_number(text)
    if low is None:
        return None
    return low, low[:-1] + chr(ord(low[-1]) + 1)  # '9' + 1 is ':', still above every digit


def middle_query(text: str) -> tuple[str | None, list[str]]:
    """'achmad fir' -> ('"ahmad" AND "pir"', []): a match of the trigram index (m018) for
    the words of three letters or more, in the index's form (`search_key`), and the shorter
    words, which the index cannot look up, to be checked on the names found."""
    long_words, short_words = [], []
    for word in fold(text).split():
        keys = search_key(word).split()
        if keys and all(len(key) >= TRIGRAM for key in keys):
            long_words += keys
        elif keys:
            # Checked as typed, a word beginning: respelled, "aa" would be "a" and match all.
            short_words.append(word)
    if not long_words:
        return None, short_words
    return " AND ".join(f'"{word}"' for word in long_words), short_words


def _has_short_words(name: str, short_words: list[str]) -> bool:
    words = search_key(name).split() + fold(name).split()
    return all(any(word.startswith(short) for word in words) for short in short_words)


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


def _people_by_digits(db, digits: str, limit: int, seen: set[str]) -> list[PersonHit]:
    """People whose NIK, or whose household's KK, holds `digits` anywhere: a walk of the NIK
    and KK indexes (digits only, 16 bytes a row), never of the tables."""
    rows = db.conn.execute(
        f"""SELECT {_PERSON_COLUMNS} FROM person p {_PERSON_JOINS}
            WHERE p.pk IN (SELECT pk FROM person INDEXED BY person_nik
                           WHERE instr(nik, ?) > 0 AND deleted_at IS NULL LIMIT ?)""",
        (digits, limit + len(seen)),
    ).fetchall()
    hits = sorted(
        (hit for hit in (PersonHit(*row) for row in rows) if hit.id not in seen),
        key=lambda hit: hit.nik or "",
    )
    if len(hits) < limit:
        seen = seen | {hit.id for hit in hits}
        rows = db.conn.execute(
            f"""SELECT {_PERSON_COLUMNS} FROM household h
                JOIN person p ON p.household_id = h.id
                LEFT JOIN area_village v ON v.code = h.village_code
                WHERE h.pk IN (SELECT pk FROM household INDEXED BY household_kk
                               WHERE instr(kk_number, ?) > 0 AND deleted_at IS NULL LIMIT ?)
                  AND p.deleted_at IS NULL
                LIMIT ?""",
            (digits, limit + len(seen), limit + len(seen)),
        )
        more = (hit for hit in (PersonHit(*row) for row in rows) if hit.id not in seen)
        hits += sorted(more, key=lambda hit: hit.kk_number or "")
    return hits[:limit]


def _people_by_middle(db, text: str, limit: int, seen: set[str]) -> list[PersonHit]:
    """People whose name holds every typed word somewhere, in its variant-folded form (the
    trigram index of m018), by name; those the word-beginning search found are left out."""
    query, short_words = middle_query(text)
    if query is None:
        return []
    # Unranked: the index hands rows over in rowid order and the LIMIT stops it early.
    rows = db.conn.execute(
        f"""SELECT {_PERSON_COLUMNS} FROM person p {_PERSON_JOINS}
            WHERE p.pk IN (SELECT rowid FROM person_trigram WHERE person_trigram MATCH ?
                           LIMIT ?)""",
        (query, (limit + len(seen)) * (2 if short_words else 1)),
    ).fetchall()
    hits = [
        hit
        for hit in (PersonHit(*row) for row in rows)
        if hit.id not in seen and _has_short_words(hit.name, short_words)
    ]
    return sorted(hits, key=lambda hit: fold_name(hit.name))[:limit]


def search_people(db, text: str, *, limit: int = 200) -> list[PersonHit]:
    """People whose name, NIK, KK or village start with every typed word, best first, then
    those whose name holds the words in the middle or in another spelling.

    With nothing typed, the first people by name (served by the name index). A number (a NIK
    or KK being typed, grouped or not) is looked up in the NIK and KK indexes: those starting
    with it first (NIK matches before KK matches), then those holding it further in.
    """
    number = number_prefix(text)
    if number is not None:
        hits = _people_by_number(db, *number, limit)
        if not hits and len(number[0]) < 16:
            # No NIK or KK starts with it: the end or the middle of one ("7890", the digits
            # read off a torn card). Not otherwise: a number found at the start is being
            # typed from the start, and the walk costs a pass over both indexes.
            hits = _people_by_digits(db, number[0], limit, set())
        return hits
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
    hits = [PersonHit(*row) for row in rows]
    if query is not None and len(hits) < limit:
        hits += _people_by_middle(db, text, limit - len(hits), {hit.id for hit in hits})
    return hits


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
        return _more_households(db, select, hits[:limit], text, limit)
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
        hits = [HouseholdHit(*row) for row in rows]
        return _more_households(db, select, hits, text, limit)
    return [HouseholdHit(*row) for row in rows]


def _more_households(
    db, select: str, hits: list[HouseholdHit], text: str, limit: int
) -> list[HouseholdHit]:
    """`hits`, then the households of the people found by the middle of their names or
    numbers (`_people_by_middle`, `_people_by_digits`), up to `limit`."""
    if len(hits) >= limit:
        return hits
    wanted = (limit - len(hits)) * 4
    digits = typed_number(text)
    if digits is not None and (hits or len(digits) == 16):
        return hits  # as `search_people`: the middle of numbers only when no start matched
    people = (
        _people_by_digits(db, digits, wanted, set())
        if digits is not None
        else _people_by_middle(db, text, wanted, set())
    )
    seen = {hit.id for hit in hits}
    order: list[str] = []
    for person in people:
        if person.household_id and person.household_id not in seen:
            seen.add(person.household_id)
            order.append(person.household_id)
    order = order[: limit - len(hits)]
    if not order:
        return hits
    marks = ",".join("?" * len(order))
    found = {
        row[0]: HouseholdHit(*row)
        for row in db.conn.execute(
            f"{select} WHERE h.id IN ({marks}) AND h.deleted_at IS NULL", order
        )
    }
    return hits + [found[id_] for id_ in order if id_ in found]


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
