"""Writing a planned import: one transaction through the core's operations.

Every new household and person goes through `core.operations.register_households` /
`register_people` (the form's cleaning and rules, the Registry's audit chain, change log and
search index, written in a few multi-row statements), accepted updates through `edit_many`,
enrolments through `enrol_from_list`. The ledger (`list_import`, `list_row`) and the review
queue are written in the same transaction, so a failure or a Cancel leaves nothing. The same
file, sheet and mapping a second time change nothing (`list_import`'s UNIQUE key).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from muba_desk.core import operations
from muba_desk.core.operations import OFFICE, Actor, NotAllowed
from muba_desk.domain.ids import uuid7
from muba_desk.i18n import _
from muba_desk.lists.plan import Plan, PlannedPerson
from muba_desk.progress import Progress, SilentProgress
from muba_desk.store import imported_lists
from muba_desk.store.kind import LAPTOP, registry_kind

NEW = ("new", "queued")
CHUNK = 2000  # rows per write: between chunks the progress bar moves and Cancel is heard


@dataclass
class ImportResult:
    import_id: str | None
    counts: dict
    already_imported: str | None = None  # when the same list came in (nothing was written)
    person_ids: dict[int, str] = field(default_factory=dict)  # row number -> person id
    enrolment_ids: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.already_imported:
            return _(
                "Daftar ini (berkas, lembar dan pemetaan yang sama) sudah diimpor pada {at}: "
                "tidak ada yang diubah."
            ).format(at=self.already_imported)
        return summary(self.counts)


def summary(counts: dict) -> str:
    """The counts in words, for the preview, the window and the command line."""
    text = _(
        "{rows} baris: {new_people} orang baru dalam {new_households} rumah tangga baru, "
        "{matched} cocok dengan registri ({updates} dengan perubahan), {queued} masuk antrean "
        "periksa ganda, {warnings} dengan peringatan, {refused} ditolak."
    ).format(
        **{
            k: counts.get(k, 0)
            for k in (
                "rows",
                "new_people",
                "new_households",
                "matched",
                "updates",
                "queued",
                "warnings",
                "refused",
            )
        }
    )
    if "enrolled" in counts:
        text += " " + _(
            "Pendaftaran: {enrolled} orang ({enrolled_draft} sebagai Draf), {left_out} tidak "
            "didaftarkan."
        ).format(**{k: counts.get(k, 0) for k in ("enrolled", "enrolled_draft", "left_out")})
    return text


def apply_plan(
    reg,
    actor: Actor,
    plan: Plan,
    *,
    accept_updates: bool | Collection[int] = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Write `plan` (see the module). `accept_updates`: True for every update the plan offers,
    or the row numbers whose updates the clerk accepted; the rest are left as recorded."""
    progress = progress or SilentProgress()
    if actor.side != OFFICE or registry_kind(reg.db) == LAPTOP:
        raise NotAllowed(_("Daftar penerima diimpor di kantor dinas, bukan di laptop."))

    def accepted(row_number: int) -> bool:
        if isinstance(accept_updates, bool):
            return accept_updates
        return row_number in accept_updates

    with imported_lists.large_cache(reg.conn):
        return _apply(reg, actor, plan, accepted, progress)


def _apply(reg, actor, plan: Plan, accepted, progress) -> ImportResult:
    with reg.transaction():
        before = imported_lists.imported_before(
            reg.db, plan.source.sha256, plan.source.sheet, plan.source.mapping_json
        )
        if before is not None:
            return ImportResult(None, {}, already_imported=before)
        result = ImportResult(None, {})
        households, people, head_of = _new_rows(plan, result)
        steps = len(households) + len(people) + 3 * CHUNK
        done = 0
        for table, rows in (("household", households), ("person", people)):
            write = (
                operations.register_households
                if table == "household"
                else operations.register_people
            )
            label = _("Menyimpan rumah tangga") if table == "household" else _("Menyimpan orang")
            # In chunks: Cancel is heard between them.
            for start in range(0, len(rows), CHUNK):
                progress.update(done, steps, label)
                # The plan made these values with the operations' own cleaning.
                write(reg, actor, rows[start : start + CHUNK], cleaned=True)
                done += len(rows[start : start + CHUNK])
        progress.update(done, steps, _("Menyimpan perubahan yang diterima"))
        updated = _updates(reg, actor, plan, accepted)
        progress.update(done + CHUNK, steps, _("Menyimpan pendaftaran"))
        enrolled = _enrolments(reg, actor, plan, result)
        progress.update(done + 2 * CHUNK, steps, _("Mencatat asal data"))
        queued = imported_lists.queue_pairs(reg.conn, reg.device_id, _pairs(plan, result))
        rows, fates = _ledger_rows(plan, result, updated, enrolled, head_of)
        counts = dict(plan.counts)
        counts.update(
            updated=len(updated),
            queued_pairs=queued,
            new_people=len(people),
            new_households=len(households),
        )
        result.counts = counts
        result.import_id = imported_lists.record_import(
            reg.conn, plan.source, actor.operator_id, counts
        )
        imported_lists.record_rows(reg.conn, result.import_id, rows)
        progress.update(steps, steps, _("Selesai"))
    return result


def _new_rows(plan: Plan, result: ImportResult):
    """The new households (the head's id known in advance, so the household names its head
    at once) and people, with their ids."""
    households, people, head_of = [], [], {}
    for household in plan.households:
        new = [p for p in household.people if p.fate in NEW]
        if not new or household.refused is not None:
            continue
        household_id = household.household_id
        head_id = None
        if household_id is None:
            household_id = uuid7()
            head = next((p for p in new if p.row_number == household.head_row), None)
            head_id = uuid7() if head is not None else None
            households.append({**household.values, "id": household_id, "head_person_id": head_id})
        for person in new:
            person_id = head_id if person.row_number == household.head_row and head_id else uuid7()
            people.append({**person.values, "id": person_id, "household_id": household_id})
            result.person_ids[person.row_number] = person_id
        head_of[household.key] = household_id
    for household in plan.households:
        for person in household.people:
            if person.fate == "matched":
                result.person_ids[person.row_number] = person.person_id
    return households, people, head_of


def _updates(reg, actor, plan: Plan, accepted) -> set[int]:
    """The accepted updates of matched people and their households; the rows updated."""
    person_edits, household_edits, rows = {}, {}, set()
    for household in plan.households:
        for person in household.people:
            if person.fate == "matched" and person.updates and accepted(person.row_number):
                person_edits[person.person_id] = {
                    k: new for k, (_old, new) in person.updates.items()
                }
                rows.add(person.row_number)
        if household.household_id and household.updates:
            rows_here = [p.row_number for p in household.people if p.fate != "refused"]
            if any(accepted(r) for r in rows_here):
                changes = {k: new for k, (_old, new) in household.updates.items()}
                household_edits.setdefault(household.household_id, {}).update(changes)
                rows.update(r for r in rows_here if accepted(r))
    for table, edits in (("person", person_edits), ("household", household_edits)):
        if not edits:
            continue
        current = reg.get_many(table, edits)
        operations.edit_many(
            reg, actor, table, [(current[row_id], values) for row_id, values in edits.items()]
        )
    return rows


def _enrolments(reg, actor, plan: Plan, result: ImportResult) -> dict[int, str]:
    """Row number -> status of the enrolment made for it."""
    if plan.enrol is None:
        return {}
    start, end = plan.enrol.period
    wanted = {"DRAF": [], "DIAJUKAN": []}
    rows = {"DRAF": [], "DIAJUKAN": []}
    for household in plan.households:
        for person in household.people:
            person_id = result.person_ids.get(person.row_number)
            if person.fate == "refused" or person.enrol is None or person_id is None:
                continue
            village = household.values.get("village_code") or (household.stored or {}).get(
                "village_code"
            )
            wanted[person.enrol].append(
                {
                    "program": plan.enrol.program,
                    "data": person.enrol_data,
                    "person_id": person_id,
                    "period_start": start,
                    "period_end": end,
                    "village_code": village,
                }
            )
            rows[person.enrol].append(person.row_number)
    made = {}
    for status, specs in wanted.items():
        if specs:
            changes = operations.enrol_from_list(reg, actor, specs, submit=status == "DIAJUKAN")
            result.enrolment_ids += changes.rows.get("enrolment", [])
            made.update({row: status for row in rows[status]})
    return made


def _pairs(plan: Plan, result: ImportResult) -> list[tuple[str, str, str]]:
    pairs = []
    for person in _all(plan):
        mine = result.person_ids.get(person.row_number)
        if mine is None or person.fate != "queued":
            continue
        for other in person.duplicate_of:
            pairs.append((mine, other, "impor daftar: nama dan tanggal lahir sama"))
        for row in person.same_in_file:
            other = result.person_ids.get(row)
            if other is not None and other > mine:
                pairs.append(
                    (mine, other, "impor daftar: nama dan tanggal lahir sama dalam satu berkas")
                )
    return pairs


def _all(plan: Plan):
    yield from plan.people()


def _ledger_rows(plan: Plan, result, updated: set[int], enrolled: dict[int, str], head_of):
    rows, fates = [], Counter()
    for household in plan.households:
        household_id = head_of.get(household.key) or household.household_id
        for person in household.people:
            rows += _row_entries(person, household_id, result, updated, enrolled, plan)
    for person in plan.refused:
        rows += _row_entries(person, None, result, updated, enrolled, plan)
    for entry in rows:
        fates[entry[1]] += 1
    return rows, fates


def _row_entries(person: PlannedPerson, household_id, result, updated, enrolled, plan):
    number = person.row_number
    person_id = result.person_ids.get(number)
    if person.fate == "refused":
        return [(number, "refused", None, None, "; ".join(person.reasons))]
    fate = "updated" if number in updated else person.fate
    entries = [(number, fate, person_id, household_id, "; ".join(person.reasons) or None)]
    if person.warnings:
        entries.append((number, "warned", person_id, household_id, "; ".join(person.warnings)))
    if plan.enrol is not None:
        if number in enrolled:
            entries.append((number, "enrolled", person_id, household_id, person.enrol_reason))
        else:
            entries.append((number, "left_out", person_id, household_id, person.enrol_reason))
    return entries
