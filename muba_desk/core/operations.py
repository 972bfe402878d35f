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
from muba_desk.domain.status import Side, Status
from muba_desk.errors import UserError
from muba_desk.i18n import _, localized
from muba_desk.store import records
from muba_desk.store.records import FIRST_HANDOVER_REASON, HandoverRefused  # noqa: F401
from muba_desk.store.registry import Registry, now_iso

LAPTOP = "laptop"
OFFICE = "office"
# The history reason of an enrolment an imported list made (stored data: not through `_()`).
LIST_REASON = "Dari impor daftar."


# Text columns cleaned as names (person's), and as free text, by table.
_FREE_TEXT = {
    "household": ("address", "rt", "rw", "notes", "decile_source"),
    "person": (
        "no_nik_reason",
        "birth_place",
        "phone",
        "notes",
        "relation",
        "occupation",
        "source_note",
    ),
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
    _seen: set = field(default_factory=set, repr=False, compare=False)

    def add(self, table: str, row: dict) -> dict:
        key = (table, row["id"])
        if key not in self._seen:  # a set: a list's 100,000 people are added one by one
            self._seen.add(key)
            self.rows.setdefault(table, []).append(row["id"])
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
    return register_households(reg, actor, [values])


def register_households(
    reg: Registry, actor: Actor, households: list[dict], *, cleaned: bool = False
) -> Changes:
    """`register_household` for many (an imported list): each one's values cleaned and checked
    as the form's are, written in a few statements (`Registry.insert_many`). `changes.row` is
    the last one written. `cleaned`: the values already came out of `clean_household` (an
    import's plan cleans every row to count what the rules refuse before anything is written):
    not cleaned twice; the Registry checks every rule on them all the same."""
    if not cleaned:
        households = [clean_household(values) for values in households]
    changes = Changes()
    for row in records.add_households(_writer(reg, actor), households):
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


def register_people(
    reg: Registry,
    actor: Actor,
    people: list[dict],
    *,
    nik_confirmed: bool = False,
    cleaned: bool = False,
) -> Changes:
    """`register_person` for many (an imported list): the same cleaning, rules and head rule,
    in a few statements. `changes.row` is the last person written. `cleaned`: as for
    `register_households` (the values came out of `clean_person`)."""
    if not cleaned:
        people = [clean_person(values, nik_confirmed=nik_confirmed) for values in people]
    rows, heads = records.add_people(_writer(reg, actor), people)
    changes = Changes()
    for row in rows:
        changes.row = changes.add("person", row)
    for household in heads:
        changes.add("household", household)
    return changes


def edit_many(reg: Registry, actor: Actor, table: str, edits: list[tuple[dict, dict]]) -> Changes:
    """`edit_household` / `edit_person` for many rows (an imported list's accepted updates):
    (current row as read in this transaction, changed values) each, every row once."""
    if table not in ("household", "person"):
        raise ValueError(f"edit_many: {table!r} is not a household or person")
    clean = clean_household if table == "household" else clean_person
    updates = [(current, clean(values)) for current, values in edits]
    changes = Changes()
    for row in _writer(reg, actor).update_many(table, updates):
        changes.row = changes.add(table, row)
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


def enrol_from_list(
    reg: Registry, actor: Actor, enrolments: list[dict], *, submit: bool
) -> Changes:
    """Enrolments made by the office's import of a list (`lists.apply`): each dict holds `enrol`'s
    person_id, program, data, period_start, period_end and village_code. In Draf, or (`submit`)
    submitted and received in one go (Draf -> Diajukan -> Terkirim, `Side.LIST`), so they wait
    in the office's decision queue like enrolments a laptop sent. Only the office imports."""
    if actor.side != OFFICE:
        raise NotAllowed(_("Daftar penerima diimpor di kantor dinas, bukan di laptop."))
    reg = _writer(reg, actor)
    rows = records.enrol_many(reg, enrolments)
    if submit:
        for target in (Status.DIAJUKAN, Status.TERKIRIM):
            rows = records.set_statuses(
                reg, [(row, target, LIST_REASON) for row in rows], side=Side.LIST
            )
    changes = Changes()
    for row in rows:
        changes.row = changes.add("enrolment", row)
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


def set_program_fields(reg: Registry, actor: Actor, enrolment_id: str, values: dict) -> Changes:
    """Program fields learnt after the decision (a BPJS member number from BPJS's answer):
    `values` merged into the enrolment's data, which the rules check as a whole."""
    import json

    reg = _writer(reg, actor)
    enrolment = reg.get("enrolment", enrolment_id)
    if enrolment is None:
        raise NotAllowed(_("Pendaftaran {id} tidak ditemukan.").format(id=enrolment_id))
    data = enrolment["data"]
    data = dict(json.loads(data) if isinstance(data, str) else data or {})
    data.update(values)
    changes = Changes()
    row = reg.update("enrolment", enrolment_id, {"data": data}, current=enrolment)
    changes.row = changes.add("enrolment", row)
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


# -- decisions (SK) -----------------------------------------------------------------------------
def _office_writer(reg: Registry, actor: Actor) -> Registry:
    """The office's writer for an SK: a laptop's actor or a laptop's registry is refused."""
    from muba_desk.store.kind import LAPTOP as LAPTOP_REGISTRY
    from muba_desk.store.kind import registry_kind

    if actor.side != OFFICE or registry_kind(reg.db) == LAPTOP_REGISTRY:
        raise NotAllowed(_("Surat keputusan (SK) hanya dibuat di kantor."))
    return _writer(reg, actor)


def make_sk(
    reg: Registry,
    actor: Actor,
    *,
    number: str,
    decided_on: str,
    about: str,
    program: str,
    period: str,
    signatory_name: str,
    signatory_title: str,
    signatory_nip: str | None = None,
) -> Changes:
    """A decision (SK) of the office: its number (unique), date, what it is about, the program
    and budget year it sets, and who signs it. Its enrolments are added by `add_to_sk`."""
    from muba_desk.domain.programs import PROGRAMS
    from muba_desk.store import sk as sk_store

    reg = _office_writer(reg, actor)
    values = {
        "number": rules.clean_text(number or "", "number"),
        "about": rules.clean_text(about or "", "about"),
        "signatory_name": rules.clean_text(signatory_name or "", "signatory_name"),
        "signatory_title": rules.clean_text(signatory_title or "", "signatory_title"),
    }
    labels = {
        "number": _("Nomor SK"),
        "about": _("Perihal SK"),
        "signatory_name": _("Nama penanda tangan"),
        "signatory_title": _("Jabatan penanda tangan"),
    }
    for key, label in labels.items():
        if not values[key]:
            raise NotAllowed(_("{field} wajib diisi.").format(field=label))
    try:
        day = date.fromisoformat(decided_on or "")
    except ValueError:
        raise NotAllowed(
            _("Tanggal SK '{value}' tidak dapat dibaca; tulis TTTT-BB-HH.").format(value=decided_on)
        ) from None
    if program not in PROGRAMS:
        raise NotAllowed(
            _("Program '{program}' tidak dikenal. Pilih: {known}.").format(
                program=program, known=", ".join(PROGRAMS)
            )
        )
    period = str(period or "").strip()
    if not (len(period) == 4 and period.isdigit() and 2000 <= int(period) <= 2100):
        raise NotAllowed(_("Periode SK '{value}' harus tahun anggaran TTTT.").format(value=period))
    nip = "".join(ch for ch in (signatory_nip or "") if not ch.isspace()) or None
    if nip is not None and not (nip.isdigit() and len(nip) == 18):
        raise NotAllowed(
            _("NIP penanda tangan '{value}' harus 18 angka, atau dikosongkan.").format(value=nip)
        )
    if sk_store.find_sk(reg.db, values["number"]) is not None:
        raise NotAllowed(
            _("SK nomor {number} sudah ada; pakai nomor lain.").format(number=values["number"])
        )
    made = sk_store.insert_sk(
        reg,
        {
            **values,
            "decided_on": day.isoformat(),
            "program": program,
            "period": period,
            "signatory_nip": nip,
        },
    )
    changes = Changes()
    changes.row = changes.add("sk", {"id": made.id, "number": made.number})
    return changes


def add_to_sk(reg: Registry, actor: Actor, sk_number: str, enrolment_ids) -> Changes:
    """Add enrolments to an SK: only approved (Disetujui) or active (Aktif) ones of the SK's
    program, within its period, and in no other SK of that program and period. All or
    nothing: one that may not be added refuses the whole change, naming it and why. Ones
    already in this SK are left as they are. Each added enrolment's history names the SK."""
    from muba_desk.store import sk as sk_store

    reg = _office_writer(reg, actor)
    sk = sk_store.find_sk(reg.db, sk_number)
    if sk is None:
        raise NotAllowed(
            _("SK nomor {number} tidak ditemukan; buat dulu dengan 'muba-desk sk new'.").format(
                number=sk_number
            )
        )
    ids = list(dict.fromkeys([enrolment_ids] if isinstance(enrolment_ids, str) else enrolment_ids))
    already = sk_store.in_sk(reg.db, sk)
    wanted = [e for e in ids if e not in already]
    facts = sk_store.enrolment_facts(reg.db, wanted)
    elsewhere = sk_store.other_sks(reg.db, sk, wanted)
    refused: dict[str, str] = {}
    for enrolment_id in wanted:
        found = facts.get(enrolment_id)
        if found is None:
            refused[enrolment_id] = _("pendaftaran tidak ditemukan")
            continue
        program, status, start, end = found
        if program != sk.program:
            refused[enrolment_id] = _("programnya {program}, bukan {wanted}").format(
                program=program, wanted=sk.program
            )
        elif status not in sk_store.SETTABLE:
            refused[enrolment_id] = _(
                "statusnya {status}; hanya yang Disetujui atau Aktif dapat ditetapkan"
            ).format(status=Status(status).label("id"))
        elif not sk_store.in_period(sk.period, start, end):
            refused[enrolment_id] = _("periodenya di luar tahun {year}").format(year=sk.period)
        elif enrolment_id in elsewhere:
            refused[enrolment_id] = _("sudah ditetapkan dalam SK nomor {number}").format(
                number=elsewhere[enrolment_id]
            )
    if refused:
        shown = "; ".join(f"{e}: {why}" for e, why in list(refused.items())[:3])
        more = len(refused) - 3
        if more > 0:
            shown += _("; dan {count} lainnya").format(count=more)
        raise NotAllowed(
            _("Tidak ada yang ditambahkan ke SK {number}: {reasons}.").format(
                number=sk.number, reasons=shown
            )
        )
    sk_store.link(reg, sk, wanted)
    changes = Changes()
    changes.row = changes.add("sk", {"id": sk.id, "number": sk.number})
    for enrolment_id in wanted:
        changes.add("enrolment", {"id": enrolment_id})
    return changes
