"""The merged registry at the office: everyone, filtered and paged, and each record's history.

Paging is by key (name, pk), not OFFSET, so page 2,000 costs what page 1 does. Every filter is
a subquery on an indexed column; `tests/office/test_registry_query.py` checks the plans.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from muba_desk.domain.status import Status
from muba_desk.store.registry import get_setting
from muba_desk.store.search import fts_query, middle_query

OFFICE_NAME = "Kantor Dinas Sosial"
WIB = timedelta(hours=7)
# Bookkeeping every edit changes; the history shows what the clerk or worker changed.
WALK_NAME_INDEX_FROM = 5_000
QUIET_COLUMNS = {"rev", "base_rev", "updated_at", "updated_by", "pk"}


@dataclass(frozen=True)
class RegistryFilter:
    """What the registry page filters on; None means "any".

    `date_from`/`date_to` (ISO dates, WIB, both inclusive) apply to when the enrolment was made
    if `program` or `status` is set, else to when the person was registered. `laptop` is a
    laptop's code (L07) or device id: the device that registered the person (the office's
    own audit or the laptop's imported one holds that insert).
    """

    text: str | None = None
    program: str | None = None
    status: str | None = None
    district: str | None = None
    village: str | None = None
    laptop: str | None = None
    date_from: str | None = None
    date_to: str | None = None


@dataclass(frozen=True)
class PersonRow:
    id: str
    pk: int
    name: str
    sex: str
    birth_date: str | None
    nik: str | None
    kk_number: str | None
    village_code: str | None
    village: str | None
    district: str | None
    device_id: str
    """The device that registered the person (not whoever changed it last)."""
    laptop: str
    created_at: str
    enrolments: tuple[tuple[str, str], ...] = ()
    updated_at: str | None = None
    """When the row was last changed, anywhere."""


@dataclass(frozen=True)
class Page:
    rows: list[PersonRow]
    after: tuple[str, int] | None
    """Pass back as `after` for the next page; None when this was the last."""


@dataclass(frozen=True)
class HistoryEntry:
    at: str
    device_id: str
    laptop: str
    operator_id: str | None
    action: str
    table_name: str
    row_id: str
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)
    detail: dict | None = None
    who: str | None = None
    """The operator's full name, when this office knows them (its own operators)."""


def _utc_bounds(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    """WIB calendar days as UTC ISO bounds [from, to), comparable with stored timestamps."""

    def at(day: date) -> str:
        moment = datetime(day.year, day.month, day.day) - WIB
        return moment.isoformat(timespec="milliseconds") + "Z"

    low = at(date.fromisoformat(date_from)) if date_from else None
    high = at(date.fromisoformat(date_to) + timedelta(days=1)) if date_to else None
    return low, high


def device_of(db, laptop: str) -> str:
    """A laptop's code or name (or a device id) -> its device id; the id itself if unknown."""
    row = db.conn.execute(
        "SELECT device_id FROM office_laptop WHERE code = ? OR name = ? OR device_id = ?",
        (laptop.upper(), laptop, laptop),
    ).fetchone()
    return row[0] if row else laptop


def device_names(db) -> dict[str, str]:
    """Device id -> what a clerk calls it ("L07 Sungai Lilin"; the office's own is "Kantor")."""
    names = {
        device: f"{code} {name}"
        for device, code, name in db.conn.execute("SELECT device_id, code, name FROM office_laptop")
    }
    own = get_setting(db, "device_id")
    if own:
        names[own] = OFFICE_NAME
    return names


# The people a device registered: its insert entries, in the office's own audit log or in the
# laptops' entries the office imported (both indexed by device).
_REGISTERED_ON = (
    "SELECT row_id FROM audit_import WHERE device_id = ? AND table_name = 'person' "
    "AND action = 'insert' UNION ALL SELECT row_id FROM audit WHERE device_id = ? "
    "AND table_name = 'person' AND action = 'insert'"
)


def registered_by(db, person_ids: list[str]) -> dict[str, str]:
    """person id -> the device whose insert made the row, for those an audit log holds."""
    listed = json.dumps(person_ids)
    found = db.conn.execute(
        "SELECT row_id, device_id FROM audit_import WHERE table_name = 'person' "
        "AND action = 'insert' AND row_id IN (SELECT value FROM json_each(?)) "
        "UNION ALL SELECT row_id, device_id FROM audit WHERE table_name = 'person' "
        "AND action = 'insert' AND row_id IN (SELECT value FROM json_each(?))",
        (listed, listed),
    )
    return dict(found.fetchall())


def _where(db, f: RegistryFilter) -> tuple[str, list]:
    clauses = ["p.deleted_at IS NULL"]
    params: list = []
    places = None
    if f.village:
        places = "= ?"
        place_params = [f.village]
    elif f.district:
        places = "IN (SELECT code FROM area_village WHERE district_code = ?)"
        place_params = [f.district]
    if places:
        # Orphans live in an institution, everyone else in a household: either may match.
        clauses.append(
            f"(p.household_id IN (SELECT id FROM household WHERE village_code {places}) "
            f"OR p.institution_id IN (SELECT id FROM institution WHERE village_code {places}))"
        )
        params += place_params * 2
    low, high = _utc_bounds(f.date_from, f.date_to)
    if f.program or f.status:
        cond, cond_params = ["e.deleted_at IS NULL"], []
        if f.program:
            cond.append("e.program = ?")
            cond_params.append(f.program)
        if f.status:
            cond.append("e.status = ?")
            cond_params.append(str(Status(f.status)))
        if low:
            cond.append("e.created_at >= ?")
            cond_params.append(low)
        if high:
            cond.append("e.created_at < ?")
            cond_params.append(high)
        where = " AND ".join(cond)
        # A group's enrolment covers its members, an orphanage's covers its children.
        clauses.append(
            f"p.id IN (SELECT e.person_id FROM enrolment e WHERE {where} "
            f"UNION ALL SELECT m.person_id FROM enrolment e JOIN grp_member m "
            f"ON m.grp_id = e.grp_id AND m.deleted_at IS NULL WHERE {where} "
            f"UNION ALL SELECT c.id FROM enrolment e JOIN person c "
            f"ON c.institution_id = e.institution_id WHERE {where} AND e.person_id IS NULL)"
        )
        params += cond_params * 3
    else:
        if low:
            clauses.append("p.created_at >= ?")
            params.append(low)
        if high:
            clauses.append("p.created_at < ?")
            params.append(high)
    if f.laptop:
        clauses.append(f"p.id IN ({_REGISTERED_ON})")
        params += [device_of(db, f.laptop)] * 2
    if f.text:
        query = fts_query(f.text)
        middle, short_words = middle_query(f.text)
        if query and middle:
            # Word beginnings or, as the laptop's search does, the middle of names and their
            # other spellings ("anti" finds Yanti, "ahmad" Achmad); words too short for the
            # middle index as word beginnings.
            short = fts_query(" ".join(short_words))
            clauses.append(
                "(p.pk IN (SELECT rowid FROM person_search WHERE person_search MATCH ?)"
                " OR (p.pk IN (SELECT rowid FROM person_trigram WHERE person_trigram MATCH ?)"
                + (
                    " AND p.pk IN (SELECT rowid FROM person_search WHERE person_search MATCH ?)"
                    if short
                    else ""
                )
                + "))"
            )
            params += [query, middle] + ([short] if short else [])
        elif query:
            clauses.append("p.pk IN (SELECT rowid FROM person_search WHERE person_search MATCH ?)")
            params.append(query)
    return " AND ".join(clauses), params


def count_people(db, f: RegistryFilter) -> int:
    """How many people match (for the page's "1-100 dari 12.345")."""
    where, params = _where(db, f)
    return db.conn.execute(f"SELECT count(*) FROM person p WHERE {where}", params).fetchone()[0]


def browse_people(
    db,
    f: RegistryFilter,
    *,
    limit: int = 100,
    after: tuple[str, int] | None = None,
    total: int | None = None,
) -> Page:
    """One page of people matching `f`, by name; `after` is the previous page's `Page.after`,
    `total` the count_people the caller already has (it picks the plan)."""
    where, params = _where(db, f)
    if total is None:
        total = count_people(db, f)
    # Many matches: walk the name index and test each person, instead of sorting them all on
    # every page (a date range covering everyone would sort 250,000 rows per page).
    indexed = "INDEXED BY person_name" if total > WALK_NAME_INDEX_FROM else ""
    if after is not None:
        where += " AND (p.name, p.pk) > (?, ?)"
        params += list(after)
    cursor = db.conn.execute(
        f"""SELECT p.id, p.pk, p.name, p.sex, p.birth_date, p.nik, h.kk_number,
                   coalesce(h.village_code, i.village_code), v.name, d.name,
                   substr(p.rev, 20), p.created_at, p.updated_at
            FROM person p {indexed}
            LEFT JOIN household h ON h.id = p.household_id
            LEFT JOIN institution i ON i.id = p.institution_id
            LEFT JOIN area_village v ON v.code = coalesce(h.village_code, i.village_code)
            LEFT JOIN area_district d ON d.code = v.district_code
            WHERE {where} ORDER BY p.name, p.pk LIMIT ?""",
        (*params, limit + 1),
    )
    found = cursor.fetchall()
    more = len(found) > limit
    found = found[:limit]
    names = device_names(db)
    programs = _enrolments_of(db, [r[0] for r in found])
    registered = registered_by(db, [r[0] for r in found])
    rows = [
        PersonRow(
            id=r[0],
            pk=r[1],
            name=r[2],
            sex=r[3],
            birth_date=r[4],
            nik=r[5],
            kk_number=r[6],
            village_code=r[7],
            village=r[8],
            district=r[9],
            device_id=registered.get(r[0], r[10]),
            laptop=names.get(registered.get(r[0], r[10]), registered.get(r[0], r[10])),
            created_at=r[11],
            enrolments=tuple(programs.get(r[0], ())),
            updated_at=r[12],
        )
        for r in found
    ]
    last = (rows[-1].name, rows[-1].pk) if more and rows else None
    return Page(rows, last)


def _enrolments_of(db, person_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for person_id, program, status in db.conn.execute(
        "SELECT person_id, program, status FROM enrolment WHERE deleted_at IS NULL "
        "AND person_id IN (SELECT value FROM json_each(?)) ORDER BY created_at",
        (json.dumps(person_ids),),
    ):
        out.setdefault(person_id, []).append((program, status))
    return out


def _changes(before: str | None, after: str | None) -> tuple[dict, dict | None]:
    old = json.loads(before) if before else {}
    new = json.loads(after) if after else {}
    if not isinstance(new, dict) or not isinstance(old, dict):
        return {}, None
    if before is None and "id" not in new:
        return {}, new  # an event (merge, decision), not a row
    keys = (old.keys() | new.keys()) - QUIET_COLUMNS
    return {k: (old.get(k), new.get(k)) for k in sorted(keys) if old.get(k) != new.get(k)}, None


def history(db, rows: list[tuple[str, str]]) -> list[HistoryEntry]:
    """Every audit entry, at the office and from each laptop, for these (table, row id) pairs,
    oldest first, with the device named as the clerk knows it."""
    names = device_names(db)
    keys = json.dumps([list(r) for r in rows])
    cursor = db.conn.execute(
        """WITH wanted(t, r) AS (
               SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')
               FROM json_each(?))
           SELECT at, device_id, operator_id, action, table_name, row_id, before, after, 0
           FROM audit JOIN wanted ON table_name = t AND row_id = r
           UNION ALL
           SELECT at, device_id, operator_id, action, table_name, row_id, before, after, 1
           FROM audit_import JOIN wanted ON table_name = t AND row_id = r
           ORDER BY 1, 9""",
        (keys,),
    )
    people = dict(db.conn.execute("SELECT id, full_name FROM operator"))
    entries = []
    for at, device, operator, action, table, row_id, before, after, _ in cursor:
        changes, detail = _changes(before, after)
        entries.append(
            HistoryEntry(
                at,
                device,
                names.get(device, device),
                operator,
                action,
                table,
                row_id,
                changes,
                detail,
                people.get(operator),
            )
        )
    return entries


# Columns holding another record's id, and how that record is named for a clerk.
_ID_NAMES = {
    "person_id": "SELECT id, name FROM person",
    "head_person_id": "SELECT id, name FROM person",
    "merged_into": "SELECT id, name FROM person",
    "household_id": "SELECT id, 'KK ' || coalesce(kk_number, '–') FROM household",
    "grp_id": "SELECT id, name FROM grp",
    "institution_id": "SELECT id, name FROM institution",
    "village_code": "SELECT code, name FROM area_village",
}


def id_names(db, entries: list[HistoryEntry]) -> dict[str, str]:
    """Ids and village codes the entries' changes mention -> names ("KK 1606...", "Siti")."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        for column, values in entry.changes.items():
            if column in _ID_NAMES:
                wanted.setdefault(column, set()).update(v for v in values if isinstance(v, str))
    out: dict[str, str] = {}
    for column, ids in wanted.items():
        sql = _ID_NAMES[column]
        key = "code" if column == "village_code" else "id"
        out.update(
            db.conn.execute(
                f"{sql} WHERE {key} IN (SELECT value FROM json_each(?))", (json.dumps(sorted(ids)),)
            ).fetchall()
        )
    return out


def person_history(db, person_id: str) -> list[HistoryEntry]:
    """A person's history with everything hanging off them: people merged into them, their
    enrolments with status changes and hand-overs, group memberships and photos."""
    people = [person_id] + [
        r for (r,) in db.conn.execute("SELECT id FROM person WHERE merged_into = ?", (person_id,))
    ]
    listed = json.dumps(people)
    inside = "IN (SELECT value FROM json_each(?))"
    rows = [("person", p) for p in people]
    enrolments = [
        r
        for (r,) in db.conn.execute(f"SELECT id FROM enrolment WHERE person_id {inside}", (listed,))
    ]
    rows += [("enrolment", e) for e in enrolments]
    listed_e = json.dumps(enrolments)
    for table, sql, arg in (
        (
            "enrolment_status",
            f"SELECT id FROM enrolment_status WHERE enrolment_id {inside}",
            listed_e,
        ),
        ("handover", f"SELECT id FROM handover WHERE enrolment_id {inside}", listed_e),
        ("grp_member", f"SELECT id FROM grp_member WHERE person_id {inside}", listed),
        (
            "photo",
            f"SELECT id FROM photo WHERE owner_table = 'person' AND owner_id {inside}",
            listed,
        ),
    ):
        rows += [(table, r) for (r,) in db.conn.execute(sql, (arg,))]
    return history(db, rows)
