"""The duplicates queue: one NIK twice, people who are probably the same, forbidden double aid.

`find_duplicates` is a background job: it reads everything first, then writes the queue in one
short transaction. People are compared across the whole regency, not village by village: they
are put in blocks by birth date with keys that do not depend on the village (the name as it
sounds, each of its words, sex and district), so the work grows with the number of people, not
its square. Decisions (merge, not the same) are kept across re-runs.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from muba_desk.domain.names import phonetic_words, similarity
from muba_desk.domain.programs import PROGRAMS
from muba_desk.domain.reference import reference_value
from muba_desk.domain.status import INACTIVE, Side, Status
from muba_desk.errors import UserError
from muba_desk.office.registry_query import device_names
from muba_desk.progress import Progress, SilentProgress
from muba_desk.store.db import connect
from muba_desk.store.records import reference, set_status
from muba_desk.store.registry import Registry, ensure_device, now_iso

PERSON_KINDS = ("nik", "name_birth", "similar")
"""'nik' and 'name_birth' are also queued by the bundle importer; 'similar' only by the scan."""
ENROLMENT_KINDS = ("forbidden_pair", "once", "twice")
MERGED, NOT_SAME, STALE = "digabung", "bukan_sama", "usang"
ALLOWED, ONE_STOPPED = "diizinkan", "satu_ditolak"
"""How double aid is settled: allowed after all, or one of the two enrolments rejected."""
# A pair is queued from this combined score; a name must be at least this alike on its own.
# 0.85 queues a name born the same day anywhere in the regency when it is one spelling family
# or one sound (0.95-1; 0.92 is the least: 0.6 x 0.92 + 0.3), and within the district from 0.85
# alike; a birth date one slip apart only within the district: across the regency, with names
# as common as "Putri" or "Rehan", that is more often a stranger than a re-registration.
QUEUE_FROM = 0.85
NAME_FROM = 0.85
WEIGHTS = {"name": 0.6, "birth": 0.3, "place": 0.1}


class MergeProblem(UserError):
    """Two people that cannot be merged as asked; str() is Indonesian."""


class PersonFacts(NamedTuple):
    """What two people are compared by (a tuple: the scan makes one per person, 250,000)."""

    id: str
    name: str
    sex: str
    birth_date: str | None
    nik: str | None
    household_id: str | None
    village_code: str | None
    device_id: str


@dataclass(frozen=True)
class Found:
    kind: str
    table_name: str
    row_a: str
    row_b: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    id: int
    kind: str
    table_name: str
    row_a: str
    row_b: str
    score: float | None
    reason: str
    reasons: tuple[str, ...]
    resolved_at: str | None
    resolution: str | None
    resolution_reason: str | None


# -- comparing two people ------------------------------------------------------------------
def _birth(a: str | None, b: str | None) -> tuple[float, str]:
    if not a or not b:
        return 0.0, "tanggal lahir tidak lengkap"
    try:
        da, db_ = date.fromisoformat(a[:10]), date.fromisoformat(b[:10])
    except ValueError:
        return 0.0, "tanggal lahir tidak terbaca"
    if da == db_:
        return 1.0, "tanggal lahir sama"
    if abs(da - db_) == timedelta(days=1):
        return 0.8, "tanggal lahir selisih satu hari"
    if da.year == db_.year and (da.day, da.month) == (db_.month, db_.day):
        return 0.8, "tanggal dan bulan lahir tertukar"
    return 0.0, "tanggal lahir berbeda"


@lru_cache(maxsize=65536)
def _near_dates(day: str) -> tuple[str, ...]:
    """Birth dates a typing slip could turn `day` into: ±1 day, day and month swapped."""
    try:
        d = date.fromisoformat(day[:10])
    except ValueError:
        return ()
    near = [(d - timedelta(days=1)).isoformat(), (d + timedelta(days=1)).isoformat()]
    if d.day <= 12 and d.day != d.month:
        near.append(date(d.year, d.day, d.month).isoformat())
    return tuple(near)


def _place(a: PersonFacts, b: PersonFacts, districts: dict[str, str]) -> tuple[float, str]:
    if a.village_code and a.village_code == b.village_code:
        return 1.0, "desa sama"
    district = districts.get(a.village_code or "")
    if district and district == districts.get(b.village_code or ""):
        return 0.5, "desa berbeda, kecamatan sama"
    return 0.0, "desa berbeda"


def compare(
    a: PersonFacts, b: PersonFacts, names: dict[str, str], districts: dict[str, str] | None = None
) -> tuple[float, list[str]]:
    """A score from 0 to 1 that `a` and `b` are one person, with the reasons in Indonesian.

    The place weighs little: moving to another village, or being registered again there, is
    exactly the double aid the office must catch, so a name and birth date that agree queue a
    pair anywhere in the regency."""
    match = similarity(a.name, b.name)
    birth, birth_reason = _birth(a.birth_date, b.birth_date)
    place, place_reason = _place(a, b, districts or {})
    score = WEIGHTS["name"] * match.score + WEIGHTS["birth"] * birth + WEIGHTS["place"] * place
    reasons = [f"nama mirip {round(match.score * 100)} % ({a.name} / {b.name})"]
    reasons += [r for r in match.reasons if not r.startswith("kemiripan")]
    reasons.append(birth_reason)
    reasons.append(place_reason)
    if a.sex != b.sex:
        score *= 0.5
        reasons.append("jenis kelamin berbeda")
    if a.nik and a.nik == b.nik:
        # One NIK is one person: the rest only says how sure the clerk can be which record
        # holds the right name and date.
        score = 0.6 + 0.4 * score
        reasons.insert(0, f"NIK sama ({a.nik})")
    elif a.nik and b.nik:
        score *= 0.7
        reasons.append("NIK berbeda")
    if a.household_id and a.household_id == b.household_id:
        reasons.append("dalam satu rumah tangga (periksa: mungkin kembar)")
    elif a.household_id and b.household_id:
        reasons.append("di dua rumah tangga")
    if a.device_id != b.device_id:
        first, second = (names.get(d, d) for d in (a.device_id, b.device_id))
        reasons.append(f"dari dua perangkat ({first}; {second})")
    return round(min(score, 1.0), 3), reasons


# -- the scan ------------------------------------------------------------------------------
_PEOPLE = """
    SELECT p.id, p.name, p.sex, p.birth_date, p.nik, p.household_id,
           coalesce(h.village_code, i.village_code), substr(p.rev, 20)
    FROM person p
    LEFT JOIN household h ON h.id = p.household_id
    LEFT JOIN institution i ON i.id = p.institution_id
    WHERE p.deleted_at IS NULL"""


def _facts(rows: Iterable[tuple]) -> list[PersonFacts]:
    return [PersonFacts(*row) for row in rows]


def people_facts(db, ids: Iterable[str]) -> dict[str, PersonFacts]:
    """The compared facts of a few live people, by id."""
    ids = list(ids)
    marks = ",".join("?" * len(ids))
    rows = db.conn.execute(_PEOPLE + f" AND p.id IN ({marks})", ids) if ids else ()
    return {p.id: p for p in _facts(rows)}


def village_districts(db) -> dict[str, str]:
    """Village code -> district code."""
    return dict(db.conn.execute("SELECT code, district_code FROM area_village"))


def _nik_clashes(db, names, districts) -> list[Found]:
    found = []
    people = _facts(
        db.conn.execute(
            _PEOPLE + " AND p.nik IN (SELECT nik FROM person WHERE deleted_at IS NULL "
            "AND nik IS NOT NULL GROUP BY nik HAVING count(*) > 1) ORDER BY p.nik"
        )
    )
    by_nik: dict[str, list[PersonFacts]] = defaultdict(list)
    for person in people:
        by_nik[person.nik].append(person)  # type: ignore[index]
    for group in by_nik.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                found.append(_found("nik", "person", a, b, names, districts))
    return found


def _found(kind: str, table: str, a: PersonFacts, b: PersonFacts, names, districts) -> Found:
    first, second = sorted((a, b), key=lambda p: p.id)
    score, reasons = compare(first, second, names, districts)
    return Found(kind, table, first.id, second.id, score, tuple(reasons))


def _blocks(
    people: list[PersonFacts], districts: dict[str, str], progress: Progress, step: int
) -> dict[tuple, list[int]]:
    """Blocking keys that do not depend on the village, each with the birth date: the name as
    it sounds, each of its words (a word added or dropped), and sex with district (a name
    misspelt beyond its sound, in the district where the old in-village check looked)."""
    sounds: dict[str, list[str]] = {}  # names repeat: each is made into words once
    blocks: dict[tuple, list[int]] = defaultdict(list)
    # Every pair worth comparing holds someone without a NIK (see `_pairs`): only people born
    # on such a person's birthday, or a day a slip away from it, need blocking at all.
    days = set()
    for person in people:
        if not person.nik:
            day = person.birth_date[:10]  # type: ignore[index]
            days.add(day)
            days.update(_near_dates(day))
    for index, person in enumerate(people):
        if index % 20_000 == 0:
            progress.update(step, 100, "Mengelompokkan nama dan tanggal lahir")
        if person.birth_date[:10] not in days:  # type: ignore[index]
            continue
        words = sounds.get(person.name)
        if words is None:
            words = sounds[person.name] = phonetic_words(person.name)
        day = person.birth_date[:10]  # type: ignore[index]
        blocks[("n", "".join(words), day)].append(index)
        for word in set(words):
            if len(word) > 2:  # initials and "sri"-sized words would make huge blocks
                blocks[("w", word, day)].append(index)
        district = districts.get(person.village_code or "", person.village_code)
        blocks[("d", person.sex, district, day)].append(index)
    return blocks


# Blocks also looked up at a nearby birth date (a typing slip): the whole name's sound, and
# sex with district.
_NEAR_KINDS = ("n", "d")


def _pairs(blocks: dict[tuple, list[int]], people: list[PersonFacts]) -> set[tuple[int, int]]:
    """Pairs sharing a block (or a block and its nearby date) with at least one person
    without a NIK: two NIKs are one person (a NIK clash, found apart) or two people (their
    score is cut below the queue), so those pairs need no comparing."""
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        open_ = [m for m in members if not people[m].nik]
        if not open_:
            continue
        for a in open_:
            for b in members:
                if a != b:
                    pairs.add((a, b) if a < b else (b, a))
        if key[0] in _NEAR_KINDS:
            for near in _near_dates(key[-1]):
                for b in blocks.get((*key[:-1], near), ()):
                    for a in open_:
                        pairs.add((a, b) if a < b else (b, a))
    return pairs


def _similar_people(db, names, progress: Progress, step: int, steps: int) -> list[Found]:
    """People anywhere in the regency born on the same or a nearby day, with alike names."""
    districts = village_districts(db)
    people = _facts(db.conn.execute(_PEOPLE + " AND p.birth_date IS NOT NULL"))
    blocks = _blocks(people, districts, progress, step)
    pairs = sorted(_pairs(blocks, people))
    del blocks
    found = []
    for done, (i, j) in enumerate(pairs):
        if done % 20_000 == 0:
            progress.update(step + done * steps // max(len(pairs), 1), 100, "Mencari kemiripan")
        a, b = people[i], people[j]
        if a.sex != b.sex or (a.nik and b.nik):
            continue  # both halve or cut the score below the queue; one NIK is a NIK clash
        if similarity(a.name, b.name).score < NAME_FROM:
            continue
        candidate = _found("similar", "person", a, b, names, districts)
        if candidate.score >= QUEUE_FROM:
            found.append(candidate)
    return found


def _overlap(a_start, a_end, b_start, b_end) -> bool:
    return (a_start or "0000") <= (b_end or "9999") and (b_start or "0000") <= (a_end or "9999")


_ENROLMENT_PAIRS = """
    SELECT a.id, b.id, a.program, b.program, a.status, b.status, a.period_start, a.period_end,
           b.period_start, b.period_end, a.card_number, b.card_number,
           a.household_id = b.household_id, a.person_id = b.person_id
    FROM enrolment a JOIN enrolment b ON b.{on} = a.{on} AND b.id > a.id
    WHERE a.deleted_at IS NULL AND b.deleted_at IS NULL AND a.{on} IS NOT NULL"""


def _double_enrolments(db) -> list[Found]:
    """Double aid, the rules of domain/programs (`_enrolment_reasons`) applied to what is
    stored: two enrolments of one household that programs forbid together (reference data), a
    once-per-household program (Bertani) twice, and one person twice in one program in
    overlapping periods. Enrolments are paired by household and by person, so a person merged
    from another village is caught with what they brought."""
    ref = reference(db)
    pairs = {
        frozenset(p)
        for p in reference_value(ref, "forbidden_pairs")  # type: ignore[union-attr]
        if isinstance(p, list | tuple) and len(p) == 2
    }
    once = {code for code, program in PROGRAMS.items() if program.once_per_household}
    inactive = {str(s) for s in INACTIVE}
    rows = {
        row[:2]: row
        for on in ("household_id", "person_id")
        for row in db.conn.execute(_ENROLMENT_PAIRS.format(on=on))
    }
    found = []
    for row in rows.values():
        a_id, b_id, pa, pb, sa, sb, a0, a1, b0, b1, ca, cb, household, person = row
        what = f"{PROGRAMS[pa].name if pa in PROGRAMS else pa} ({Status(sa).label()}, {ca or '-'})"
        other = f"{PROGRAMS[pb].name if pb in PROGRAMS else pb} ({Status(sb).label()}, {cb or '-'})"
        if pa == pb and pa in once:
            if household and Status.DITOLAK not in (sa, sb):
                reasons = (f"{PROGRAMS[pa].name} hanya sekali untuk satu rumah tangga", what, other)
                found.append(Found("once", "enrolment", a_id, b_id, 1.0, reasons))
            continue
        if sa in inactive or sb in inactive or not _overlap(a0, a1, b0, b1):
            continue
        if frozenset((pa, pb)) in pairs and (household or person):
            whom = "satu rumah tangga" if household else "satu orang"
            reasons = (f"bantuan rangkap untuk {whom} pada periode yang sama", what, other)
            found.append(Found("forbidden_pair", "enrolment", a_id, b_id, 1.0, reasons))
        elif pa == pb and person:
            reasons = (
                "orang yang sama dua kali dalam satu program pada periode yang sama",
                what,
                other,
            )
            found.append(Found("twice", "enrolment", a_id, b_id, 1.0, reasons))
    return found


def find_duplicates(db_path, progress: Progress | None = None) -> int:
    """Scan the whole registry and refresh the queue; returns how many entries are open."""
    progress = progress or SilentProgress()
    db = connect(db_path)
    try:
        progress.update(0, 100, "Membaca NIK ganda")
        names = device_names(db)
        found = _nik_clashes(db, names, village_districts(db))
        progress.update(10, 100, "Mencari orang yang mirip")
        found += _similar_people(db, names, progress, 10, 75)
        progress.update(85, 100, "Memeriksa bantuan rangkap")
        found += _double_enrolments(db)
        progress.update(95, 100, "Menyimpan antrean")
        _store(db, found, names)
        progress.update(100, 100, "Selesai")
        return db.conn.execute(
            "SELECT count(*) FROM duplicate_candidate WHERE resolved_at IS NULL"
        ).fetchone()[0]
    finally:
        db.close()


def _store(db, found: list[Found], names) -> None:
    conn = db.conn
    device = ensure_device(db)
    conn.execute("BEGIN IMMEDIATE")
    try:
        at = now_iso()
        decided = {
            (t, a, b)
            for t, a, b in conn.execute(
                "SELECT table_name, row_a, row_b FROM duplicate_candidate "
                "WHERE resolved_at IS NOT NULL"
            )
        }
        open_rows = {
            (t, a, b): (i, k)
            for i, k, t, a, b in conn.execute(
                "SELECT id, kind, table_name, row_a, row_b FROM duplicate_candidate "
                "WHERE resolved_at IS NULL"
            )
        }
        seen: set[tuple[str, str, str]] = set()
        for f in found:
            key = (f.table_name, f.row_a, f.row_b)
            if key in decided or key in seen:
                continue  # a clerk already decided; a pair found twice is queued once
            seen.add(key)
            reason = "; ".join(f.reasons)
            details = json.dumps({"reasons": list(f.reasons)}, ensure_ascii=False)
            if key in open_rows:
                conn.execute(
                    "UPDATE duplicate_candidate SET score = ?, reason = ?, details = ? "
                    "WHERE id = ?",
                    (f.score, reason, details, open_rows[key][0]),
                )
            else:
                conn.execute(
                    "INSERT INTO duplicate_candidate (kind, table_name, row_a, row_b, reason, "
                    "device_id, sequence, created_at, score, details) "
                    "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                    (f.kind, *key, reason, device, at, f.score, details),
                )
        for key, (row_id, kind) in open_rows.items():
            if key not in seen:
                _settle_unfound(conn, row_id, kind, key, names, at)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _settle_unfound(conn, row_id: int, kind: str, key, names, at: str) -> None:
    """An open entry this scan did not find: stale if a record is gone, else re-scored."""
    table, a, b = key
    alive = conn.execute(
        f"SELECT count(*) FROM {table} WHERE id IN (?, ?) AND deleted_at IS NULL", (a, b)
    ).fetchone()[0]
    if alive < 2 or kind in ENROLMENT_KINDS or kind in ("nik", "similar"):
        # Gone, edited apart (NIK corrected, enrolment rejected) or no longer alike enough.
        conn.execute(
            "UPDATE duplicate_candidate SET resolved_at = ?, resolution = ?, "
            "resolution_reason = ? WHERE id = ?",
            (at, STALE, "Tidak ditemukan lagi pada pemeriksaan terakhir.", row_id),
        )
        return
    # The importer's same-name-and-birth entries in two villages: scored so the clerk sees why.
    people = {p.id: p for p in _facts(conn.execute(_PEOPLE + " AND p.id IN (?, ?)", (a, b)))}
    areas = dict(conn.execute("SELECT code, district_code FROM area_village"))
    score, reasons = compare(people[a], people[b], names, areas)
    conn.execute(
        "UPDATE duplicate_candidate SET score = ?, reason = ?, details = ? WHERE id = ?",
        (score, "; ".join(reasons), json.dumps({"reasons": reasons}, ensure_ascii=False), row_id),
    )


# -- the queue and decisions ----------------------------------------------------------------
def candidates(db, *, open_only: bool = True, kind: str | None = None) -> list[Candidate]:
    """The queue, most likely first."""
    where = ["1"]
    params: list = []
    if open_only:
        where.append("resolved_at IS NULL")
    if kind:
        where.append("kind = ?")
        params.append(kind)
    rows = db.conn.execute(
        "SELECT id, kind, table_name, row_a, row_b, score, reason, details, resolved_at, "
        f"resolution, resolution_reason FROM duplicate_candidate WHERE {' AND '.join(where)} "
        "ORDER BY score IS NULL, score DESC, id",
        params,
    )
    out = []
    for r in rows:
        details = json.loads(r[7]) if r[7] else {}
        reasons = tuple(details.get("reasons", [r[6]]))
        out.append(Candidate(*r[:7], reasons, *r[8:]))
    return out


def mark_not_same(registry: Registry, candidate_id: int, reason: str) -> None:
    """The clerk checked: not the same person; kept for good (every open entry of the pair)."""
    if not (reason and reason.strip()):
        raise MergeProblem("Tuliskan alasan mengapa keduanya bukan orang yang sama.")
    with registry.transaction():
        _resolve(registry, candidate_id, NOT_SAME, reason.strip(), "not_same")


def mark_not_same_many(registry: Registry, candidate_ids: Iterable[int], reason: str) -> int:
    """ "Not the same" for every pair the clerk ticked, in one transaction; returns how many
    pairs were settled. One already decided (by another clerk meanwhile) is passed over."""
    if not (reason and reason.strip()):
        raise MergeProblem("Tuliskan alasan mengapa keduanya bukan orang yang sama.")
    settled = 0
    with registry.transaction():
        for candidate_id in candidate_ids:
            open_ = registry.conn.execute(
                "SELECT 1 FROM duplicate_candidate WHERE id = ? AND resolved_at IS NULL",
                (candidate_id,),
            ).fetchone()
            if open_:
                _resolve(registry, candidate_id, NOT_SAME, reason.strip(), "not_same")
                settled += 1
    return settled


def allow_double_aid(registry: Registry, candidate_id: int, reason: str) -> None:
    """Double aid the clerk found allowed (an exception the head of office approved, periods
    that do not really overlap): kept for good, with the reason."""
    if not (reason and reason.strip()):
        raise MergeProblem("Tuliskan alasan mengapa bantuan rangkap ini diperbolehkan.")
    with registry.transaction():
        _resolve(registry, candidate_id, ALLOWED, reason.strip(), "double_aid_allowed")


def stop_one_aid(registry: Registry, candidate_id: int, enrolment_id: str, reason: str) -> None:
    """Double aid settled by rejecting one of the two enrolments (Ditolak, with the reason;
    an approval is withdrawn if no aid was handed over yet, as `decide` allows)."""
    if not (reason and reason.strip()):
        raise MergeProblem("Tuliskan alasan penolakan.")
    with registry.transaction():
        row = registry.conn.execute(
            "SELECT row_a, row_b FROM duplicate_candidate WHERE id = ? AND table_name = "
            "'enrolment'",
            (candidate_id,),
        ).fetchone()
        if row is None or enrolment_id not in row:
            raise MergeProblem(f"Pendaftaran itu bukan bagian dari entri {candidate_id}.")
        set_status(registry, enrolment_id, str(Status.DITOLAK), reason.strip(), side=Side.OFFICE)
        _resolve(registry, candidate_id, ONE_STOPPED, reason.strip(), "double_aid_stopped")


def _resolve(registry: Registry, candidate_id: int, resolution: str, reason: str, action: str):
    row = registry.conn.execute(
        "SELECT table_name, row_a, row_b, resolved_at FROM duplicate_candidate WHERE id = ?",
        (candidate_id,),
    ).fetchone()
    if row is None or row[3] is not None:
        raise MergeProblem(f"Entri {candidate_id} tidak ada atau sudah diputuskan.")
    registry.conn.execute(
        "UPDATE duplicate_candidate SET resolved_at = ?, resolution = ?, resolved_by = ?, "
        "resolution_reason = ? WHERE table_name = ? AND row_a = ? AND row_b = ? "
        "AND resolved_at IS NULL",
        (now_iso(), resolution, registry.operator_id, reason, *row[:3]),
    )
    registry.audit_event(
        action, row[0], row[1], {"candidate": candidate_id, "other": row[2], "reason": reason}
    )


def merge_people(registry: Registry, keep_id: str, other_id: str, reason: str) -> dict:
    """Merge `other_id` into `keep_id`: enrolments (with their hand-overs), photos and group
    memberships move to the kept person, blanks there are filled from the other, and the other
    becomes a tombstone with `merged_into`. Returns what moved and notes for the clerk.

    Every change is a Registry write, so the audit trail shows it and return bundles carry it.
    An enrolment moves with its household: it follows the kept person's household.
    """
    if not (reason and reason.strip()):
        raise MergeProblem("Tuliskan alasan penggabungan.")
    if keep_id == other_id:
        raise MergeProblem("Tidak dapat menggabungkan orang dengan dirinya sendiri.")
    moved: dict = {"enrolment": [], "photo": [], "grp_member": [], "filled": [], "notes": []}
    with registry.transaction():
        keep, other = registry.get("person", keep_id), registry.get("person", other_id)
        for person in (keep, other):
            if person is None or person["deleted_at"] is not None:
                raise MergeProblem("Salah satu orang sudah dihapus atau sudah digabung.")
        if keep["nik"] and other["nik"] and keep["nik"] != other["nik"]:
            moved["notes"].append(f"NIK {other['nik']} tidak dipakai; yang dipakai {keep['nik']}.")
        _move_enrolments(registry, keep, other, moved)
        _move_photos(registry, keep, other, moved)
        _move_groups(registry, keep, other, moved)
        filled = {
            column: other[column]
            for column in ("nik", "birth_date", "birth_place", "phone", "occupation", "photo_id")
            if keep[column] in (None, "") and other[column] not in (None, "")
        }
        if filled:
            if "nik" in filled:
                filled["no_nik_reason"] = None
            registry.update("person", keep_id, filled)
            moved["filled"] = sorted(filled)
        for (household_id,) in registry.conn.execute(
            "SELECT id FROM household WHERE head_person_id = ? AND deleted_at IS NULL",
            (other_id,),
        ).fetchall():
            if household_id == keep["household_id"]:
                registry.update("household", household_id, {"head_person_id": keep_id})
            else:
                moved["notes"].append("Kepala rumah tangga orang yang digabung perlu diganti.")
        registry.update("person", other_id, {"merged_into": keep_id})
        registry.delete("person", other_id)
        registry.audit_event(
            "merge_person",
            "person",
            keep_id,
            {"merged": other_id, "reason": reason.strip(), "moved": moved},
        )
        _settle_after_merge(registry, keep_id, other_id, reason.strip())
    return moved


def _move_enrolments(registry: Registry, keep: dict, other: dict, moved: dict) -> None:
    for enrolment_id, household_id in registry.conn.execute(
        "SELECT id, household_id FROM enrolment WHERE person_id = ? AND deleted_at IS NULL",
        (other["id"],),
    ).fetchall():
        changes = {"person_id": keep["id"]}
        if household_id == other["household_id"] and keep["household_id"]:
            changes["household_id"] = keep["household_id"]
        registry.update("enrolment", enrolment_id, changes)
        moved["enrolment"].append(enrolment_id)


def _move_photos(registry: Registry, keep: dict, other: dict, moved: dict) -> None:
    for (photo_id,) in registry.conn.execute(
        "SELECT id FROM photo WHERE owner_table = 'person' AND owner_id = ? AND deleted_at IS NULL",
        (other["id"],),
    ).fetchall():
        registry.update("photo", photo_id, {"owner_id": keep["id"]})
        moved["photo"].append(photo_id)


def _move_groups(registry: Registry, keep: dict, other: dict, moved: dict) -> None:
    groups_of_keep = {
        g
        for (g,) in registry.conn.execute(
            "SELECT grp_id FROM grp_member WHERE person_id = ? AND deleted_at IS NULL",
            (keep["id"],),
        )
    }
    for member_id, grp_id in registry.conn.execute(
        "SELECT id, grp_id FROM grp_member WHERE person_id = ? AND deleted_at IS NULL",
        (other["id"],),
    ).fetchall():
        if grp_id in groups_of_keep:
            registry.delete("grp_member", member_id)  # already a member: one seat is enough
        else:
            registry.update("grp_member", member_id, {"person_id": keep["id"]})
        moved["grp_member"].append(member_id)


def _settle_after_merge(registry: Registry, keep_id: str, other_id: str, reason: str) -> None:
    at = now_iso()
    first, second = sorted((keep_id, other_id))
    registry.conn.execute(
        "UPDATE duplicate_candidate SET resolved_at = ?, resolution = ?, resolved_by = ?, "
        "resolution_reason = ? WHERE table_name = 'person' AND row_a = ? AND row_b = ? "
        "AND resolved_at IS NULL",
        (at, MERGED, registry.operator_id, reason, first, second),
    )
    registry.conn.execute(
        "UPDATE duplicate_candidate SET resolved_at = ?, resolution = ?, resolved_by = ?, "
        "resolution_reason = ? WHERE table_name = 'person' AND ? IN (row_a, row_b) "
        "AND resolved_at IS NULL",
        (at, STALE, registry.operator_id, "Orang ini sudah digabung ke data lain.", other_id),
    )
