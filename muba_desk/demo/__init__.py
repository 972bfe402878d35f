"""A made-up registry of Musi Banyuasin villages, for demonstrations, training and load tests.

`create_demo` fills a migrated database through `Registry` (so the audit chain and change log
are as real as the window's), a batch of villages per transaction, reporting to a `Progress`.
The same seed gives the same people; ids and timestamps differ from run to run.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from muba_desk.demo.enrolments import Enrolment, Group, Planner
from muba_desk.demo.population import Household, Institution, NumberBook, Person, Population
from muba_desk.domain.ids import uuid7
from muba_desk.photos import ingest
from muba_desk.progress import Progress, SilentProgress
from muba_desk.store.records import (
    add_group,
    add_household,
    add_institution,
    add_person,
    add_photo,
    enrol,
    record_handover,
    reference,
    set_status,
)
from muba_desk.store.registry import Registry, now_iso, set_setting

__all__ = ["BATCH_HOUSEHOLDS", "PHOTO_LIMIT", "create_demo"]

# Households per transaction (whole villages are gathered until there are this many): every
# commit rewrites the index pages it touched, so at 250,000 people batches of 1,000 write a third
# less to disk than batches of 400, and Cancel still answers within a few seconds.
BATCH_HOUSEHOLDS = 1000
# Photos are the slow part to make and the big part to store: a fixed number whatever the size.
PHOTO_LIMIT = 60
MIN_PEOPLE_FOR_ORPHANAGE = 40
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
    for index, village in enumerate(population.villages):
        institutions = []
        if index in orphanages:
            number = list(orphanages).index(index)
            institutions.append(population.orphanage(village, orphanages[index], number))
        households = population.households(village, village.people - orphanages.get(index, 0))
        # Planned a village (or a slice of a big one) at a time: KUBE groups stay in one village.
        for start in range(0, max(1, len(households)), BATCH_HOUSEHOLDS):
            chunk = households[start : start + BATCH_HOUSEHOLDS]
            bodies = institutions if start == 0 else []
            batch.add(chunk, bodies, *planner.plan(chunk, bodies))
            if len(batch.households) >= BATCH_HOUSEHOLDS:
                batch = _commit(reg, batch, counts, progress, people, village.name)
    _commit(reg, batch, counts, progress, people, "selesai")
    return dict(counts)


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
) -> Batch:
    """Write `batch` in one transaction, report, and hand back an empty batch."""
    with reg.transaction():
        _write_batch(reg, batch, counts)
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


def _write_batch(reg: Registry, batch: Batch, counts: Counter[str]) -> None:
    for household in batch.households:
        _write_household(reg, household)
    for institution in batch.institutions:
        _write_institution(reg, institution)
    for group in batch.groups:
        add_group(
            reg,
            id=group.id,
            name=group.name,
            program="KUBE_UEP",
            members=[(person.id, role) for person, role in group.members],
            village_code=group.village.code,
            business_type=group.business_type,
            bank_name=group.bank_name,
            bank_account=group.bank_account,
        )
    for enrolment in batch.enrolments:
        _write_enrolment(reg, enrolment)
    # Counted only once everything is written, so a failed batch counts nothing.
    counts["rumah tangga"] += len(batch.households)
    counts["penduduk"] += sum(len(h.members) for h in batch.households)
    counts["penduduk"] += sum(len(i.children) for i in batch.institutions)
    counts["lembaga"] += len(batch.institutions)
    counts["kelompok"] += len(batch.groups)
    counts["pendaftaran"] += len(batch.enrolments)
    counts["penyerahan"] += sum(len(e.handovers) for e in batch.enrolments)
    counts["foto"] += sum(len(e.photos) for e in batch.enrolments)


def _write_household(reg: Registry, household: Household) -> None:
    # The head's id is known in advance, so the household row names its head at once instead
    # of being updated (a second audit entry) once the head exists.
    add_household(
        reg,
        id=household.id,
        village_code=household.village.code,
        kk_number=household.kk,
        head_person_id=household.head.id,
        address=household.address,
        rt=household.rt,
        rw=household.rw,
        gps_lat=household.lat,
        gps_lon=household.lon,
        welfare_decile=household.decile,
        decile_source=household.decile_source,
    )
    for person in household.members:
        _write_person(reg, person, household_id=household.id)


def _write_institution(reg: Registry, institution: Institution) -> None:
    add_institution(
        reg,
        id=institution.id,
        name=institution.name,
        kind="panti_asuhan",
        address=institution.address,
        village_code=institution.village.code,
        head_name=institution.head_name,
        licence_no=institution.licence_no,
        phone=institution.phone,
    )
    for child in institution.children:
        _write_person(reg, child, institution_id=institution.id)


def _write_person(reg: Registry, person: Person, **where: str) -> None:
    add_person(
        reg,
        id=person.id,
        name=person.name,
        sex=person.sex,
        nik=person.nik,
        no_nik_reason=person.no_nik_reason,
        birth_place=person.birth_place,
        birth_date=person.birth.isoformat(),
        relation=person.relation,
        occupation=person.occupation,
        disability=person.disability,
        phone=person.phone,
        consent_by=person.consent_by,
        consent_guardian=person.consent_guardian,
        consent_at=person.consent_at.isoformat() if person.consent_at else None,
        **where,
    )


def _write_enrolment(reg: Registry, enrolment: Enrolment) -> None:
    row = enrol(
        reg,
        program=enrolment.program,
        data=enrolment.data,
        person_id=enrolment.person.id if enrolment.person else None,
        household_id=enrolment.household.id if enrolment.household else None,
        grp_id=enrolment.group.id if enrolment.group else None,
        institution_id=enrolment.institution.id if enrolment.institution else None,
        period_start=_iso(enrolment.period_start),
        period_end=_iso(enrolment.period_end),
        village_code=enrolment.village.code,
    )
    for status, reason in enrolment.path:
        set_status(reg, row["id"], str(status), reason)
    for handover in enrolment.handovers:
        record_handover(reg, enrolment_id=row["id"], **asdict(handover))
    for photo in enrolment.photos:
        owner_id = enrolment.person.id if photo.owner_table == "person" else row["id"]
        add_photo(
            reg,
            ingest(photo.image),
            kind=photo.kind,
            owner_table=photo.owner_table,
            owner_id=owner_id,
        )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
