"""The registry's operations in the users' words, for every writer.

Each operation takes plain values and an `Actor` (who, on which side), cleans and checks the
values with the domain's rules (`core.rules`), writes through the one writer (`Registry`, with
`store.records` for numbering and history) and returns the `Changes` it made, so the window
can refresh from them. Operations run inside `reg.transaction()`: the caller (the window's
database thread, a command) opens it, so several operations commit as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from muba_desk.core import rules
from muba_desk.core.rules import RuleError
from muba_desk.domain.nik import InvalidKk, InvalidNik, check_nik_against, parse_kk, parse_nik
from muba_desk.domain.status import Status
from muba_desk.errors import UserError
from muba_desk.i18n import _, localized
from muba_desk.store import records
from muba_desk.store.records import FIRST_HANDOVER_REASON, HandoverRefused  # noqa: F401
from muba_desk.store.registry import Registry, now_iso

LAPTOP = "laptop"
OFFICE = "office"


# Text columns cleaned as names (person's), and as free text, by table.
_FREE_TEXT = {
    "household": ("address", "rt", "rw", "notes", "decile_source"),
    "person": ("no_nik_reason", "birth_place", "phone", "notes", "relation", "occupation"),
}


@dataclass(frozen=True)
class Actor:
    """Who writes: the signed-in operator (None for a tool such as the demo) and the side."""

    operator_id: str | None
    side: str = LAPTOP

    def __post_init__(self) -> None:
        if self.side not in (LAPTOP, OFFICE):
            raise ValueError(f"side {self.side!r}: expected {LAPTOP!r} or {OFFICE!r}")


@dataclass
class Changes:
    """What an operation wrote: table -> ids, and the row the user asked for (`row`)."""

    rows: dict[str, list[str]] = field(default_factory=dict)
    row: dict | None = None

    def add(self, table: str, row: dict) -> dict:
        ids = self.rows.setdefault(table, [])
        if row["id"] not in ids:
            ids.append(row["id"])
        return row

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self.rows)

    @property
    def id(self) -> str | None:
        return self.row["id"] if self.row else None


class NotAllowed(UserError, ValueError):
    """An operation this side may not do (reference data on a laptop); str() is Indonesian."""

    @property
    def message(self) -> str:
        return str(self)


def _writer(reg: Registry, actor: Actor) -> Registry:
    if reg.operator_id != actor.operator_id:
        raise ValueError("the registry writes for another operator than the actor")
    return reg


# -- cleaning ---------------------------------------------------------------------------------
def _clean_texts(table: str, values: dict) -> dict:
    out = dict(values)
    for column in _FREE_TEXT.get(table, ()):
        if column in out and isinstance(out[column], str):
            out[column] = rules.clean_text(out[column], column)
    return out


def clean_household(values: dict) -> dict:
    """A household's typed values in their stored form (KK digits only), or RuleError."""
    out = _clean_texts("household", values)
    kk = out.get("kk_number")
    if isinstance(kk, str):
        if not kk.strip():
            out["kk_number"] = None
        else:
            try:
                out["kk_number"] = parse_kk(kk).number
            except InvalidKk as exc:
                raise RuleError(localized(exc), table="household", field="kk_number") from None
    return out


def clean_person(values: dict, *, nik_confirmed: bool = False) -> dict:
    """A person's typed values in their stored form: the name cleaned (NFC, invisible
    characters removed), the NIK as 16 digits; with `nik_confirmed`, a NIK whose birth date
    differs is kept with the time of the confirmation (`nik_confirmed_at`)."""
    out = _clean_texts("person", values)
    for column in rules.PERSON_NAMES["person"]:
        if isinstance(out.get(column), str):
            out[column] = (
                rules.clean_name(out[column], column)
                if column == "name" or out[column].strip()
                else None
            )
    nik = out.get("nik")
    if isinstance(nik, str):
        born = out.get("birth_date")
        try:
            typed_birth = date.fromisoformat(born) if isinstance(born, str) else None
        except ValueError:
            typed_birth = None
        try:
            parsed = parse_nik(nik, birth_date=typed_birth)
        except InvalidNik as exc:
            raise RuleError(localized(exc), table="person", field="nik") from None
        out["nik"] = parsed.number
        differs = typed_birth and check_nik_against(parsed, birth_date=typed_birth, sex=None)
        if nik_confirmed and differs:
            out["nik_confirmed_at"] = now_iso()
    return out


# -- households and people --------------------------------------------------------------------
def register_household(reg: Registry, actor: Actor, **values) -> Changes:
    """A new household from the form's values (village_code, kk_number, address, ...)."""
    changes = Changes()
    row = records.add_household(_writer(reg, actor), **clean_household(values))
    changes.row = changes.add("household", row)
    return changes


def edit_household(
    reg: Registry, actor: Actor, household_id: str, values: dict, *, base_rev: str | None = None
) -> Changes:
    changes = Changes()
    row = _writer(reg, actor).update(
        "household", household_id, clean_household(values), base_rev=base_rev
    )
    changes.row = changes.add("household", row)
    return changes


def register_person(
    reg: Registry, actor: Actor, *, nik_confirmed: bool = False, **values
) -> Changes:
    """A new person (the first 'kepala' of a household becomes its head)."""
    changes = Changes()
    cleaned = clean_person(values, nik_confirmed=nik_confirmed)
    name, sex = cleaned.pop("name", None), cleaned.pop("sex", None)
    row = records.add_person(_writer(reg, actor), name=name, sex=sex, **cleaned)
    changes.row = changes.add("person", row)
    household_id = cleaned.get("household_id")
    if household_id and cleaned.get("relation") == "kepala":
        household = reg.get("household", household_id)
        if household and household["head_person_id"] == row["id"]:
            changes.add("household", household)
    return changes


def edit_person(
    reg: Registry,
    actor: Actor,
    person_id: str,
    values: dict,
    *,
    base_rev: str | None = None,
    nik_confirmed: bool = False,
) -> Changes:
    changes = Changes()
    cleaned = clean_person(values, nik_confirmed=nik_confirmed)
    row = _writer(reg, actor).update("person", person_id, cleaned, base_rev=base_rev)
    changes.row = changes.add("person", row)
    return changes


def add_photo(
    reg: Registry, actor: Actor, photo, *, kind: str, owner_table: str, owner_id: str
) -> Changes:
    """An ingested photo (`muba_desk.photos.ingest`) against its owner row."""
    changes = Changes()
    row = records.add_photo(
        _writer(reg, actor), photo, kind=kind, owner_table=owner_table, owner_id=owner_id
    )
    changes.row = changes.add("photo", row)
    if kind == "portrait" and owner_table == "person":
        changes.add("person", {"id": owner_id})
    return changes


# -- enrolments and hand-overs ------------------------------------------------------------------
def enrol(
    reg: Registry,
    actor: Actor,
    *,
    program: str,
    data: dict,
    submit: bool,
    person_id: str | None = None,
    household_id: str | None = None,
    institution_id: str | None = None,
    group: dict | None = None,
    village_code: str | None = None,
    period_start: str | None = None,
    period_end: str | None = None,
) -> Changes:
    """A new enrolment (a KUBE group first when `group` is given: name, members, ...), in
    Draf, or moved to Diajukan when `submit`."""
    reg = _writer(reg, actor)
    changes = Changes()
    grp_id = None
    if group is not None:
        group = dict(group)
        group["name"] = rules.clean_name(group.get("name", ""), "name", org=True)
        grp = records.add_group(reg, program=program, village_code=village_code, **group)
        grp_id = changes.add("grp", grp)["id"]
    enrolment = records.enrol(
        reg,
        program=program,
        data=data,
        person_id=person_id,
        household_id=household_id,
        grp_id=grp_id,
        institution_id=institution_id,
        period_start=period_start,
        period_end=period_end,
        village_code=village_code,
    )
    if submit:
        enrolment = records.set_status(reg, enrolment["id"], Status.DIAJUKAN)
    changes.row = changes.add("enrolment", enrolment)
    return changes


def record_handover(reg: Registry, actor: Actor, *, enrolment_id: str, **handover) -> Changes:
    """A hand-over of an approved enrolment (cash in whole rupiah within the program's
    maximum, or goods); the first one makes the enrolment Aktif (`records.hand_over` holds
    that rule and refuses a hand-over before approval)."""
    reg = _writer(reg, actor)
    enrolment = reg.get("enrolment", enrolment_id)
    if enrolment is not None and handover.get("amount") is not None:
        rules.check_amount(handover["amount"], enrolment["program"])
    for column in ("proxy_name",):
        if isinstance(handover.get(column), str):
            handover[column] = rules.clean_name(handover[column], column)
    changes = Changes()
    row = records.hand_over(reg, enrolment_id=enrolment_id, **handover)
    changes.row = changes.add("handover", row)
    if enrolment is not None and enrolment["status"] == Status.DISETUJUI:
        changes.add("enrolment", {"id": enrolment_id})
    return changes


def submit(reg: Registry, actor: Actor, enrolment_id: str) -> Changes:
    """A worker submits a draft (Draf -> Diajukan); the next export sends it (Terkirim)."""
    if actor.side != LAPTOP:
        raise NotAllowed(_("Pendaftaran diajukan dari laptop petugas."))
    changes = Changes()
    row = records.set_status(_writer(reg, actor), enrolment_id, Status.DIAJUKAN)
    changes.row = changes.add("enrolment", row)
    return changes


def decide(
    reg: Registry, actor: Actor, enrolment_ids, approve: bool, reason: str | None = None
) -> Changes:
    """The office approves or rejects enrolments that arrived (Terkirim); a rejection needs
    its reason. All or nothing: one that cannot move refuses the whole decision, naming it
    (the decisions page uses `office.decisions.decide_many` for its partial mode)."""
    from muba_desk.office.decisions import decide_many  # the office's rules of a decision

    if actor.side != OFFICE:
        raise NotAllowed(_("Keputusan hanya dibuat di kantor."))
    ids = [enrolment_ids] if isinstance(enrolment_ids, str) else list(enrolment_ids)
    result = decide_many(_writer(reg, actor), ids, approve, reason, strict=True)
    if result.refused:
        enrolment_id, why = next(iter(result.refused.items()))
        raise NotAllowed(
            _("Tidak ada yang diputuskan: pendaftaran {id}: {reason}").format(
                id=enrolment_id, reason=why
            )
        )
    changes = Changes()
    for enrolment_id in result.moved:
        changes.add("enrolment", {"id": enrolment_id})
    return changes


# -- reference data -----------------------------------------------------------------------------
def set_reference(reg: Registry, actor: Actor, key: str, value) -> Changes:
    """Reference data (amounts, quotas, budgets): only the office sets it; return bundles
    carry it to the laptops."""
    if actor.side != OFFICE:
        raise NotAllowed(_("Data acuan hanya dapat diubah di kantor."))
    changes = Changes()
    row = records.set_reference(_writer(reg, actor), key, value)
    changes.row = changes.add("reference_data", row)
    return changes
