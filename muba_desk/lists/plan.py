"""What importing a list would do, worked out before anything is written: the preview.

`plan_import` reads nothing but the registry: the list's cleaned rows (`lists.clean`) are
grouped into households (by KK, or the list's family id), each person is matched by NIK
against the registry, the fields a matched person's row changes are offered as updates (never
applied unless the clerk accepts them), people probably already registered under another
record (same birth date, the same name once folded, `domain.names.fold_name`, as the bundle
import queues them) are queued for review, and duplicates inside the file are reported. Each
new row is cleaned and checked with the very functions the core's operations use, so a row the
core would refuse is refused here, with the reason, and the preview's counts are what
`lists.apply.apply_plan` will write. With `enrol`, each row is also run through the program's
eligibility rules.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from muba_desk.core import operations, rules
from muba_desk.core.rules import RuleError
from muba_desk.domain.names import fold_name
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.progress import Progress, SilentProgress
from muba_desk.store import imported_lists as list_reads

HEAD = "kepala"
# Person columns a list can hold, and household columns: only these are ever offered as updates.
PERSON_FIELDS = ("name", "sex", "birth_place", "birth_date", "relation", "phone")
HOUSEHOLD_FIELDS = (
    "kk_number",
    "address",
    "rt",
    "rw",
    "village_code",
    "welfare_decile",
    "decile_source",
    "decile_year",
)
# Stored (registry data, not through `_()`), when the list gives no reason of its own.
NO_NIK = "Tanpa NIK di daftar yang diimpor; minta NIK saat verifikasi lapangan."
FIRST_ROWS = 20  # rows shown as they will be stored
REPORT_EVERY = 2000


class NothingToImport(UserError):
    """The list holds no row at all; str() is Indonesian."""


@dataclass(frozen=True)
class Source:
    """Which file, sheet and mapping a plan comes from: the key of a re-import."""

    file_name: str
    sha256: str
    sheet: str
    mapping_name: str
    mapping_json: str

    def note(self, row_number: int) -> str:
        """The person's provenance in words (`person.source_note`). Stored, not shown through
        `_()`: registry data stays Indonesian whatever the screen's language, and ASCII
        punctuation keeps each row on the rules' fast path."""
        sheet = f", lembar {self.sheet}" if self.sheet else ""
        return (
            f"Impor daftar {self.file_name}{sheet}, baris {row_number}, "
            f"SHA-256 {self.sha256[:12]}, pemetaan {self.mapping_name}"
        )


@dataclass
class EnrolOnImport:
    """Enrol imported people: `program`, the period's year, the deciles taken (inclusive), the
    status asked (DIAJUKAN: into the office's decision queue; DRAF: to complete in the field)
    and program data every enrolment gets (filled further from the list where it can)."""

    program: str
    year: int
    deciles: tuple[int, int] = (1, 10)
    status: str = "DIAJUKAN"
    data: dict = field(default_factory=dict)

    @property
    def period(self) -> tuple[str, str]:
        return f"{self.year}-01-01", f"{self.year}-12-31"


@dataclass
class PlannedPerson:
    row_number: int
    cells: list
    fate: str  # new, matched, queued, refused
    values: dict = field(default_factory=dict)  # as stored (new) / the list's values (matched)
    person_id: str | None = None
    updates: dict = field(default_factory=dict)  # field -> (stored, list) for a matched person
    reasons: list[str] = field(default_factory=list)  # why refused, queued; warnings
    warnings: list[str] = field(default_factory=list)
    duplicate_of: list[str] = field(default_factory=list)  # registry ids to queue a pair with
    same_in_file: list[int] = field(default_factory=list)  # row numbers of the same person
    enrol: str | None = None  # None, DRAF or DIAJUKAN
    enrol_data: dict | None = None
    enrol_reason: str | None = None  # why left out, or why a draft
    stored: dict | None = None  # the registry's row of a matched person
    folded: str = ""  # the name as compared (`fold_name`)


@dataclass
class PlannedHousehold:
    key: str
    household_id: str | None  # an existing household the people join
    values: dict  # as stored (new household) or the list's values (existing)
    people: list[PlannedPerson] = field(default_factory=list)
    updates: dict = field(default_factory=dict)
    head_row: int | None = None
    refused: str | None = None  # why its new people cannot be stored
    stored: dict | None = None  # the registry's row of an existing household


@dataclass
class Plan:
    source: Source
    households: list[PlannedHousehold]
    refused: list[PlannedPerson]  # rows refused before they reached a household
    counts: dict
    first_rows: list[dict]
    enrol: EnrolOnImport | None = None
    imported_before: str | None = None  # when the same file, sheet and mapping came in

    def people(self) -> Iterator[PlannedPerson]:
        for household in self.households:
            yield from household.people
        yield from self.refused

    def rows_with_problems(self) -> list[tuple[int, list, str]]:
        """(row number, original cells, reason) of every refused or warned row, in file order,
        for the errors file (`lists.errors_file.write_errors`)."""
        out = []
        for person in self.people():
            reasons = person.reasons if person.fate == "refused" else person.warnings
            if person.fate == "queued":
                reasons = person.reasons + person.warnings
            if reasons:
                out.append((person.row_number, person.cells, "; ".join(reasons)))
        return sorted(out, key=lambda item: item[0])


def mapping_json(mapping) -> str:
    """The mapping as the ledger keeps it (`Mapping.as_json`: name, columns with their
    headers, defaults; keys sorted), so one mapping is one text."""
    return mapping.as_json()


def default_mapping(sheet, reg=None):
    """The mapping a clerk starts from: the saved or shipped one that finds the most of the
    sheet's columns (its shape's name, so the ledger and the errors file say which), or the
    guess by aliases when that finds more."""
    from muba_desk.lists.mapping import guess_mapping, saved_mappings, shipped_mappings

    guessed = guess_mapping(sheet.headers)
    guessed.name = guessed.name or _("Tebakan dari judul kolom")
    known = {**shipped_mappings(), **(saved_mappings(reg) if reg is not None else {})}
    # Most columns found; on a tie, the shape that found the largest share of its own fields
    # (an OpenSID export finds 5 of OpenSID's 8 fields but also 5 of DTSEN's 16).
    scored = [
        ((len(m.columns), len(m.columns) / max(len(t.columns), 1)), m)
        for t in known.values()
        for m in [t.resolve(sheet.headers)]
    ]
    best = max(scored, key=lambda pair: pair[0], default=(None, None))[1]
    if best is not None and len(best.columns) >= len(guessed.columns):
        return best
    return guessed


def source_of(sheet, mapping) -> Source:
    return Source(
        file_name=sheet.file_name,
        sha256=sheet.sha256,
        sheet=sheet.sheet,
        mapping_name=mapping.name,
        mapping_json=mapping_json(mapping),
    )


def plan_import(
    reg, sheet, mapping, *, enrol: EnrolOnImport | None = None, progress: Progress | None = None
) -> Plan:
    """The preview of importing `sheet` (`lists.read.Sheet`) with `mapping`: see the module."""
    from muba_desk.lists.clean import clean_rows, load_areas

    rows = clean_rows(sheet, mapping, areas=load_areas(reg))
    return plan_rows(
        reg, rows, source_of(sheet, mapping), total=len(sheet.rows), enrol=enrol, progress=progress
    )


def plan_rows(
    reg,
    rows: Iterable,
    source: Source,
    *,
    total: int | None = None,
    enrol: EnrolOnImport | None = None,
    progress: Progress | None = None,
) -> Plan:
    """`plan_import` for rows already cleaned (`lists.clean.CleanRow`s)."""
    progress = progress or SilentProgress()
    db = reg.db
    imported_before = list_reads.imported_before(
        db, source.sha256, source.sheet, source.mapping_json
    )
    people: list[PlannedPerson] = []
    refused: list[PlannedPerson] = []
    families: dict[str, list[tuple[PlannedPerson, dict]]] = defaultdict(list)
    seen_nik: dict[str, int] = {}
    count = total or 0
    for index, row in enumerate(rows):
        if index % REPORT_EVERY == 0:
            progress.update(index, count or index + 1, _("Memeriksa baris"))
        person = _person_of(row, source, seen_nik)
        if person.fate == "refused":
            refused.append(person)
            continue
        people.append(person)
        key = row.values.get("family_key") or f"baris-{row.row_number}"
        families[key].append((person, row.values))
    if not people and not refused:
        raise NothingToImport(_("Daftar ini tidak berisi satu baris data pun."))
    progress.update(count, count or 1, _("Mencocokkan dengan registri"))
    _match(db, people)
    kk_numbers = {v.get("kk_number") for members in families.values() for _p, v in members}
    by_kk = list_reads.households_by_kk(db, [kk for kk in kk_numbers if kk])
    households = [_household(db, key, members, by_kk) for key, members in families.items()]
    _in_file_duplicates(people)
    if enrol is not None:
        from muba_desk.lists.enrol import plan_enrolments

        plan_enrolments(db, households, enrol)
    counts = _counts(households, refused, enrol)
    shown = ((p, h) for h in households for p in h.people if p.fate != "refused")
    first = [_as_stored(p, h) for p, h in itertools.islice(shown, FIRST_ROWS)]
    return Plan(
        source=source,
        households=households,
        refused=refused,
        counts=counts,
        first_rows=first,
        enrol=enrol,
        imported_before=imported_before,
    )


# -- one row --------------------------------------------------------------------------------
def _person_of(row, source: Source, seen_nik: dict[str, int]) -> PlannedPerson:
    values = row.values
    person = PlannedPerson(row.row_number, list(row.cells), "new")
    refusals = [p.reason for p in row.problems if p.refuses]
    person.warnings = [p.reason for p in row.problems if not p.refuses]
    if refusals:
        person.fate, person.reasons = "refused", refusals
        return person
    nik = values.get("nik")
    stored = {
        "name": values.get("name"),
        "sex": values.get("sex"),
        "nik": nik,
        "no_nik_reason": None if nik else values.get("no_nik_reason") or NO_NIK,
        "birth_place": values.get("birth_place"),
        "birth_date": values.get("birth_date"),
        "relation": values.get("relation"),
        "phone": values.get("phone"),
        "verify_state": "to_verify",
        "source_note": _note(source, row.row_number, values),
    }
    if stored["sex"] is None and nik:
        # The NIK says it for certain: 40 is added to a woman's day of birth (PROGRAMS.md).
        stored["sex"] = "P" if int(nik[6:8]) > 40 else "L"
        person.warnings.append(_("Jenis kelamin tidak ada di daftar: diambil dari NIK."))
    if not stored["name"] or stored["sex"] is None:
        missing = _("Nama") if not stored["name"] else _("Jenis kelamin")
        person.fate = "refused"
        person.reasons = [
            _("{field} tidak ada di baris ini: isi lalu impor lagi.").format(field=missing)
        ]
        return person
    if nik and nik in seen_nik:
        person.fate = "refused"
        person.reasons = [
            _("NIK {nik} sudah ada di baris {row} berkas ini: orang yang sama dua kali.").format(
                nik=nik, row=seen_nik[nik]
            )
        ]
        return person
    try:
        cleaned = operations.clean_person({k: v for k, v in stored.items() if v is not None})
        rules.check_row("person", cleaned)
    except RuleError as exc:
        person.fate, person.reasons = "refused", [exc.message]
        return person
    if nik:
        seen_nik[nik] = row.row_number
    person.values = cleaned
    person.folded = fold_name(cleaned["name"])
    return person


def _note(source: Source, row_number: int, values: dict) -> str:
    note = source.note(row_number)
    ids = [
        f"{label} {values[key]}"
        for key, label in (("p3ke_id", "ID P3KE"), ("dtks_id", "ID DTKS"))
        if values.get(key)
    ]
    return note + (" (" + ", ".join(ids) + ")" if ids else "")


# -- the registry ---------------------------------------------------------------------------
def _match(db, people: list[PlannedPerson]) -> None:
    """NIK matches (matched, with the updates offered) and likely duplicates (queued)."""
    by_nik = list_reads.people_by_nik(db, [p.values["nik"] for p in people if p.values.get("nik")])
    unmatched = []
    for person in people:
        stored = by_nik.get(person.values.get("nik"))
        if stored is None:
            unmatched.append(person)
            continue
        person.fate, person.person_id = "matched", stored["id"]
        person.updates = {
            name: (stored.get(name), person.values[name])
            for name in PERSON_FIELDS
            if person.values.get(name) is not None and person.values[name] != stored.get(name)
        }
        if stored.get("relation") is not None:
            # A relation belongs to the household the person is in; the list's household may
            # not be that one, so it is never offered over one a worker recorded.
            person.updates.pop("relation", None)
        _keep_allowed(person, "person", stored)
        person.stored = stored
    keys = {(p.values["birth_date"], p.folded) for p in unmatched if p.values.get("birth_date")}
    found = list_reads.people_named_and_born(db, keys)
    for person in unmatched:
        day = person.values.get("birth_date")
        if not day:
            continue
        person.duplicate_of = list(found.get((day, person.folded), ()))
        if person.duplicate_of:
            person.fate = "queued"
            person.reasons.append(
                _(
                    "Mungkin sudah terdaftar: nama dan tanggal lahir sama dengan {n} orang di "
                    "registri; masuk antrean periksa ganda."
                ).format(n=len(person.duplicate_of))
            )


def _keep_allowed(planned, table: str, stored: dict, warn=None) -> None:
    """Offer only the updates the core would accept: each is checked as the Registry will
    check it (`rules.changed_columns`); one it would refuse is dropped with the reason as a
    warning, so accepting updates can never make the import fail."""
    clean = operations.clean_person if table == "person" else operations.clean_household
    for name, (_old, new) in list(planned.updates.items()):
        try:
            changes = clean({name: new})
            rules.check_row(table, rules.changed_columns(table, stored, changes))
        except RuleError as exc:
            del planned.updates[name]
            (warn or planned).warnings.append(
                _("Perubahan {field} tidak ditawarkan: {reason}").format(
                    field=name, reason=exc.message
                )
            )


def _household(
    db, key: str, members: list[tuple[PlannedPerson, dict]], by_kk: dict[str, str]
) -> PlannedHousehold:
    people = [person for person, _values in members]
    heads = [p for p in people if p.values.get("relation") == HEAD]
    head = heads[0] if heads else None
    first_values = next((v for p, v in members if p is head), members[0][1])
    values = _household_values(first_values, [v for _p, v in members])
    planned = PlannedHousehold(key, None, values, people)
    planned.head_row = head.row_number if head else None
    if len(heads) > 1:
        for extra in heads[1:]:
            extra.warnings.append(
                _("Keluarga {key} punya lebih dari satu kepala (baris {row} yang pertama).").format(
                    key=key, row=head.row_number
                )
            )
    elif head is None and len(people) > 1:
        people[0].warnings.append(
            _("Keluarga {key} tanpa kepala keluarga: kepala rumah tangga belum ditetapkan.").format(
                key=key
            )
        )
    matched = [p for p in people if p.fate == "matched" and p.stored]
    existing = None
    for person in sorted(matched, key=lambda p: p is not head):
        if person.stored.get("household_id"):
            existing = person.stored["household_id"]
            break
    if existing is None and values.get("kk_number"):
        existing = by_kk.get(values["kk_number"])
    if existing is not None:
        planned.household_id = existing
        stored = list_reads.household(db, existing) or {}
        planned.updates = {
            name: (stored.get(name), values[name])
            for name in HOUSEHOLD_FIELDS
            if values.get(name) is not None and values[name] != stored.get(name)
        }
        planned.stored = stored
        if planned.updates and people:
            _keep_allowed(planned, "household", stored, warn=people[0])
        for person in matched:
            if person.stored.get("household_id") not in (None, existing):
                person.warnings.append(
                    _("Di registri orang ini ada di rumah tangga lain: tidak dipindahkan.")
                )
        return planned
    try:
        if not values.get("village_code"):
            raise RuleError(
                _("Desa tidak dikenali: isi kolom desa atau kode Kemendagri."), field="village_code"
            )
        cleaned = operations.clean_household(values)
        rules.check_row("household", cleaned)
        planned.values = cleaned
    except RuleError as exc:
        planned.refused = exc.message
        for person in people:
            if person.fate in ("new", "queued"):
                person.fate = "refused"
                person.reasons = [exc.message]
    return planned


def _household_values(head: dict, all_values: list[dict]) -> dict:
    def first(name):
        if head.get(name) is not None:
            return head[name]
        return next((v[name] for v in all_values if v.get(name) is not None), None)

    address = first("address")
    dusun = first("dusun")
    if dusun and (not address or dusun.casefold() not in address.casefold()):
        address = f"{address}, Dusun {dusun}" if address else f"Dusun {dusun}"
    values = {
        "kk_number": first("kk_number"),
        "address": address,
        "rt": first("rt"),
        "rw": first("rw"),
        "village_code": first("village_code"),
        "welfare_decile": first("welfare_decile"),
        "decile_source": first("decile_source") if first("welfare_decile") is not None else None,
        "decile_year": first("decile_year") if first("welfare_decile") is not None else None,
    }
    return {k: v for k, v in values.items() if v is not None}


def _in_file_duplicates(people: list[PlannedPerson]) -> None:
    """The same name and birth date twice in the file without the same NIK: both queued once
    stored, the rows named to each other."""
    groups: dict[tuple[str, str], list[PlannedPerson]] = defaultdict(list)
    for person in people:
        if person.fate == "refused" or not person.values.get("birth_date"):
            continue
        groups[(person.folded, person.values["birth_date"])].append(person)
    for group in groups.values():
        if len(group) < 2:
            continue
        for person in group:
            others = [p.row_number for p in group if p is not person]
            person.same_in_file = others
            person.warnings.append(
                _(
                    "Nama dan tanggal lahir sama dengan baris {rows} berkas ini: diperiksa sebagai "
                    "kemungkinan ganda."
                ).format(rows=", ".join(map(str, others)))
            )
            if person.fate == "new":
                person.fate = "queued"


# -- counts and what is shown ---------------------------------------------------------------
def _counts(households: list[PlannedHousehold], refused: list[PlannedPerson], enrol) -> dict:
    fates = Counter()
    warned = updates = 0
    for household in households:
        for person in household.people:
            fates[person.fate] += 1
            warned += bool(person.warnings)
            updates += bool(person.updates)
    fates["refused"] += len(refused)
    new_households = sum(
        1
        for h in households
        if h.household_id is None
        and h.refused is None
        and any(p.fate in ("new", "queued") for p in h.people)
    )
    counts = {
        "rows": sum(fates.values()),
        "new_people": fates["new"] + fates["queued"],
        "new_households": new_households,
        "matched": fates["matched"],
        "updates": updates + sum(1 for h in households if h.updates),
        "queued": fates["queued"],
        "warnings": warned,
        "refused": fates["refused"],
    }
    if enrol is not None:
        enrolled = Counter(p.enrol for h in households for p in h.people if p.fate != "refused")
        counts["enrolled"] = enrolled["DIAJUKAN"] + enrolled["DRAF"]
        counts["enrolled_draft"] = enrolled["DRAF"] if enrol.status != "DRAF" else 0
        counts["left_out"] = sum(
            1 for h in households for p in h.people if p.fate != "refused" and p.enrol is None
        )
    return counts


def _as_stored(person: PlannedPerson, household: PlannedHousehold) -> dict:
    shown = dict(person.values)
    shown.pop("source_note", None)
    shown["row_number"] = person.row_number
    shown["fate"] = person.fate
    for name in ("kk_number", "village_code", "welfare_decile", "decile_source", "decile_year"):
        if household.values.get(name) is not None:
            shown[name] = household.values[name]
    return shown
