"""A made-up registry of Musi Banyuasin villages, for demonstrations, training and load tests.

`create_demo` fills a migrated database through `Registry` (so the audit chain and change log
are as real as the window's), a batch of villages per transaction, reporting to a `Progress`.
The same seed gives the same people; ids and timestamps differ from run to run.
"""

from __future__ import annotations

import random
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date

from muba_desk.demo import stamps
from muba_desk.demo.enrolments import Enrolment, Group, Planner
from muba_desk.demo.population import Household, Institution, NumberBook, Person, Population
from muba_desk.demo.stamps import stamp
from muba_desk.domain.ids import uuid7
from muba_desk.domain.status import Side, Status, moves_for
from muba_desk.photos import ingest
from muba_desk.progress import Progress, SilentProgress
from muba_desk.store.records import (
    acting_side,
    add_photo,
    enrol_many,
    record_handovers,
    reference,
    set_statuses,
)
from muba_desk.store.registry import Registry, now_iso, set_setting

__all__ = ["BATCH_HOUSEHOLDS", "PHOTO_LIMIT", "create_demo"]

# Households per transaction (whole villages are gathered until there are this many): every
# commit rewrites the index pages it touched, so at 250,000 people batches of 1,000 write a third
# less to disk than batches of 400; 2,500 (about 7,800 people, 2-3 s since the writes go in
# bulk) cost 7% less CPU than 1,000 at 100,000 people, and Cancel still answers within seconds.
BATCH_HOUSEHOLDS = 2500
# Photos are the slow part to make and the big part to store: a fixed number whatever the size.
PHOTO_LIMIT = 60
MIN_PEOPLE_FOR_ORPHANAGE = 40
PAGE_CACHE_KIB_PER_PERSON = 1
PAGE_CACHE_KIB_MAX = 256 * 1024
SECOND_ORPHANAGE_FROM = 20_000

KINDS = ("rumah tangga", "penduduk", "lembaga", "kelompok", "pendaftaran", "penyerahan", "foto")


def create_demo(
    db,
    *,
    people: int = 2000,
    seed: int = 1,
    progress: Progress | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Fill `db` (from store.db.connect, migrated) with `people` made-up people of Muba.

    Households and people, one or two orphanages, KUBE groups, enrolments in all seven
    programs with their status histories, hand-overs, and a few drawn photos. Returns counts
    by kind in Indonesian ("rumah tangga", "penduduk", ...). `today` (default: the real
    date) dates the applications and hand-overs; ages count from 1 January of its year, so the
    same seed gives the same people all year. Raises `Cancelled` from `progress`; the batches
    committed before then stay, and the database stays healthy.
    """
    if people < 1:
        raise ValueError("people must be at least 1")
    progress = progress or SilentProgress()
    today = today or date.today()
    rng = random.Random(seed)
    reg = _demo_registry(db)
    population = Population(rng, people, today, NumberBook(*_numbers_taken(db)))
    planner = Planner(rng, today, reference(db), PHOTO_LIMIT)
    counts: Counter[str] = Counter({kind: 0 for kind in KINDS})
    orphanages = _orphanage_plan(population, people)
    batch = Batch()
    progress.update(0, people, "Menyiapkan desa contoh")
    with _page_cache(db.conn, people):
        for index, village in enumerate(population.villages):
            institutions = []
            if index in orphanages:
                number = list(orphanages).index(index)
                institutions.append(population.orphanage(village, orphanages[index], number))
            left = village.people - orphanages.get(index, 0)
            households = population.households(village, left)
            # Planned a village (or a slice of a big one) at a time: KUBE groups stay in one
            # village.
            for start in range(0, max(1, len(households)), BATCH_HOUSEHOLDS):
                chunk = households[start : start + BATCH_HOUSEHOLDS]
                bodies = institutions if start == 0 else []
                batch.add(chunk, bodies, *planner.plan(chunk, bodies))
                if len(batch.households) >= BATCH_HOUSEHOLDS:
                    batch = _commit(reg, batch, counts, progress, people, village.name, today)
        _commit(reg, batch, counts, progress, people, "selesai", today)
    return dict(counts)


@contextmanager
def _page_cache(conn, people: int):
    """A bigger SQLite page cache while a big demo is written, the connection's own after.

    The NIK, name and birth-date indexes and the search index grow at random places; with
    SQLite's default 2 MB cache, a batch at 250,000 people keeps reading back and spilling the
    pages it changes (10% of the SQL time at 100,000 people). About 1 kB of cache per person,
    256 MB at most."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    wanted = min(PAGE_CACHE_KIB_MAX, people * PAGE_CACHE_KIB_PER_PERSON)
    if before < 0 and -before >= wanted:
        yield
        return
    conn.execute(f"PRAGMA cache_size = {-int(wanted)}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


@dataclass
class Batch:
    """What one transaction writes: whole villages, or slices of a big one."""

    households: list[Household] = field(default_factory=list)
    institutions: list[Institution] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)

    def add(
        self,
        households: list[Household],
        institutions: list[Institution],
        groups: list[Group],
        enrolments: list[Enrolment],
    ) -> None:
        self.households += households
        self.institutions += institutions
        self.groups += groups
        self.enrolments += enrolments


def _commit(
    reg: Registry,
    batch: Batch,
    counts: Counter[str],
    progress: Progress,
    people: int,
    label: str,
    today: date,
) -> Batch:
    """Write `batch` in one transaction, report, and hand back an empty batch."""
    with reg.transaction():
        _write_batch(reg, batch, counts, today)
    progress.update(counts["penduduk"], people, f"Membuat data contoh: {label}")
    return Batch()


def _demo_registry(db) -> Registry:
    """The demo operator (made once per file) and the settings that mark a demo database."""
    found = db.conn.execute("SELECT id FROM operator WHERE username = 'demo'").fetchone()
    operator_id = found[0] if found else uuid7()
    reg = Registry(db, operator_id)
    with reg.transaction():
        if not found:
            db.conn.execute(
                "INSERT INTO operator (id, username, full_name, role, password_hash, created_at) "
                "VALUES (?, 'demo', 'Operator Demo', 'supervisor', NULL, ?)",
                (operator_id, now_iso()),
            )
        set_setting(db, "mode", "demo")
        set_setting(db, "device_name", "Laptop Demo")
    return reg


def _numbers_taken(db) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The highest NIK and KK serial per district and date already in the file."""

    def highest(column: str, table: str) -> list[tuple[str, int]]:
        return db.conn.execute(
            f"SELECT substr({column}, 1, 12), max(CAST(substr({column}, 13) AS INTEGER)) "
            f"FROM {table} WHERE length({column}) = 16 GROUP BY 1"
        ).fetchall()

    return highest("nik", "person"), highest("kk_number", "household")


def _orphanage_plan(population: Population, people: int) -> dict[int, int]:
    """Village index -> children in its orphanage: one in a small demo, two in a big one."""
    if people < MIN_PEOPLE_FOR_ORPHANAGE:
        return {}
    villages = population.villages
    size = min(35, max(5, people // 100))
    plan = {0: min(size, villages[0].people // 3)}
    if people >= SECOND_ORPHANAGE_FROM and len(villages) > 1:
        middle = len(villages) // 2
        plan[middle] = min(size, villages[middle].people // 3)
    return plan


def _write_batch(reg: Registry, batch: Batch, counts: Counter[str], today: date) -> None:
    # Many rows per statement (`Registry.insert_many`): the same rows, audit entries and change
    # log as one `insert` each, at a fraction of the cost. Parents before children. Each row is
    # stamped with the made-up day it was registered (demo/stamps.py).
    households, bodies = batch.households, batch.institutions
    reg.insert_many(
        "household",
        [_household_row(h) for h in households],
        at=[stamp(h.registered) for h in households],
    )
    reg.insert_many(
        "person",
        [_person_row(p, household_id=h.id) for h in households for p in h.members],
        at=[stamp(h.registered) for h in households for _p in h.members],
    )
    reg.insert_many(
        "institution",
        [_institution_row(i) for i in bodies],
        at=[stamp(i.registered) for i in bodies],
    )
    reg.insert_many(
        "person",
        [_person_row(c, institution_id=i.id) for i in bodies for c in i.children],
        at=[stamp(i.registered) for i in bodies for _c in i.children],
    )
    formed = {e.group.id: stamps.registered(e) for e in batch.enrolments if e.group is not None}
    groups = [(g, stamp(formed.get(g.id, today))) for g in batch.groups]
    reg.insert_many("grp", [_group_row(g) for g, _at in groups], at=[at for _g, at in groups])
    reg.insert_many(
        "grp_member",
        [
            {"grp_id": group.id, "person_id": person.id, "role": role}
            for group, _at in groups
            for person, role in group.members
        ],
        at=[at for group, at in groups for _member in group.members],
    )
    _write_enrolments(reg, batch.enrolments, today)
    # Counted only once everything is written, so a failed batch counts nothing.
    counts["rumah tangga"] += len(batch.households)
    counts["penduduk"] += sum(len(h.members) for h in batch.households)
    counts["penduduk"] += sum(len(i.children) for i in batch.institutions)
    counts["lembaga"] += len(batch.institutions)
    counts["kelompok"] += len(batch.groups)
    counts["pendaftaran"] += len(batch.enrolments)
    counts["penyerahan"] += sum(len(e.handovers) for e in batch.enrolments)
    counts["foto"] += sum(len(e.photos) for e in batch.enrolments)


def _household_row(household: Household) -> dict:
    # The head's id is known in advance, so the household row names its head at once instead
    # of being updated (a second audit entry) once the head exists, as `add_person` would.
    return {
        "id": household.id,
        "village_code": household.village.code,
        "kk_number": household.kk,
        "head_person_id": household.head.id,
        "address": household.address,
        "rt": household.rt,
        "rw": household.rw,
        "gps_lat": household.lat,
        "gps_lon": household.lon,
        "welfare_decile": household.decile,
        "decile_source": household.decile_source,
    }


def _institution_row(institution: Institution) -> dict:
    return {
        "id": institution.id,
        "name": institution.name,
        "kind": "panti_asuhan",
        "address": institution.address,
        "village_code": institution.village.code,
        "head_name": institution.head_name,
        "licence_no": institution.licence_no,
        "phone": institution.phone,
    }


def _group_row(group: Group) -> dict:
    return {
        "id": group.id,
        "name": group.name,
        "program": "KUBE_UEP",
        "village_code": group.village.code,
        "business_type": group.business_type,
        "bank_name": group.bank_name,
        "bank_account": group.bank_account,
    }


def _person_row(person: Person, **where: str) -> dict:
    return {
        "id": person.id,
        "name": person.name,
        "sex": person.sex,
        "nik": person.nik,
        "no_nik_reason": person.no_nik_reason,
        "birth_place": person.birth_place,
        "birth_date": person.birth.isoformat(),
        "relation": person.relation,
        "occupation": person.occupation,
        "disability": person.disability,
        "phone": person.phone,
        "consent_by": person.consent_by,
        "consent_guardian": person.consent_guardian,
        "consent_at": person.consent_at.isoformat() if person.consent_at else None,
        **where,
    }


def _write_enrolments(reg: Registry, enrolments: list[Enrolment], today: date) -> None:
    """Each enrolment, its status history, hand-overs and photos, as `enrol`, `set_status`,
    `record_handover` and `add_photo` write them; a step at a time for the whole batch, each
    on its own made-up day."""
    rows = enrol_many(
        reg,
        [
            {
                "program": e.program,
                "data": e.data,
                "person_id": e.person.id if e.person else None,
                "household_id": e.household.id if e.household else None,
                "grp_id": e.group.id if e.group else None,
                "institution_id": e.institution.id if e.institution else None,
                "period_start": _iso(e.period_start),
                "period_end": _iso(e.period_end),
                "village_code": e.village.code,
            }
            for e in enrolments
        ],
        at=[stamp(stamps.registered(e)) for e in enrolments],
    )
    ids = [row["id"] for row in rows]
    current = reg.get_many("enrolment", ids)
    # On a laptop's registry the demo writes only what its worker does (up to Diajukan): the
    # export sends them and the office decides, as in the field (a laptop never approves).
    laptop = acting_side(reg, None) is Side.LAPTOP
    paths = [_by_hand(e.path) if laptop else e.path for e in enrolments]
    days = [stamps.step_days(e, today) for e in enrolments]
    for step in range(max((len(path) for path in paths), default=0)):
        moving = [i for i, path in enumerate(paths) if step < len(path)]
        moves = [(current[ids[i]], str(paths[i][step][0]), paths[i][step][1]) for i in moving]
        at = [stamp(days[i][step], step + 1) for i in moving]
        for updated in set_statuses(reg, moves, at=at):
            current[updated["id"]] = updated
    if not laptop:
        handed = [
            (current[row_id], asdict(handover))
            for e, row_id in zip(enrolments, ids, strict=True)
            for handover in e.handovers
        ]
        record_handovers(
            reg, handed, at=stamps.not_after_now([fields["handed_at"] for _e, fields in handed])
        )
    for e, row_id in zip(enrolments, ids, strict=True):
        for photo in e.photos:
            add_photo(
                reg,
                ingest(photo.image),
                kind=photo.kind,
                owner_table=photo.owner_table,
                owner_id=e.person.id if photo.owner_table == "person" else row_id,
            )


def _by_hand(path: list[tuple[Status, str | None]]) -> list[tuple[Status, str | None]]:
    """The start of `path` (from Draf) that a laptop's worker makes by hand."""
    kept, current = [], Status.DRAF
    for status, reason in path:
        if status not in moves_for(current, Side.LAPTOP):
            break
        kept.append((status, reason))
        current = status
    return kept


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
