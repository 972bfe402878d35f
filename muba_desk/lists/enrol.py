"""Enrolment on import: which planned people a program takes, each through the program's own
eligibility rules (`domain.programs`), with the reason for everyone left out.

A household program (Bantu Umak's cash, Bertani's house) enrols the household's head; the other
programs each person the deciles asked for take. The program data a list can give (the decile's
source, the household's size) is filled in; what no list holds (an heir, a bank account) is
left for the field: such an enrolment is kept as a draft (Draf) with the fields named, even when
Diajukan was asked, because the core refuses an incomplete enrolment beyond Draf.
"""

from __future__ import annotations

from datetime import date

from muba_desk.domain.programs import PROGRAMS
from muba_desk.domain.programs.base import MSG_REQUIRED, EligibilityContext, check_eligibility
from muba_desk.domain.programs.base import validate as validate_data
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.store.imported_lists import enrolments_of
from muba_desk.store.records import reference

# Programs for a household: one enrolment, its head's.
HOUSEHOLD_PROGRAMS = frozenset({"BANTU_UMAK", "BERTANI"})
STATUSES = ("DRAF", "DIAJUKAN")


class CannotEnrol(UserError):
    """An enrolment on import that cannot be asked for; str() is Indonesian."""


def check_request(enrol) -> None:
    spec = PROGRAMS.get(enrol.program)
    if spec is None:
        raise CannotEnrol(_("Program tidak dikenal: “{code}”.").format(code=enrol.program))
    if spec.target not in ("person", "person_or_institution"):
        raise CannotEnrol(
            _(
                "{program} mendaftarkan kelompok, bukan orang: tidak dapat dari impor daftar."
            ).format(program=spec.name)
        )
    if enrol.status not in STATUSES:
        raise CannotEnrol(_("Status pendaftaran dari impor hanya Draf atau Diajukan."))
    if not 2000 <= enrol.year <= date.today().year + 1:
        raise CannotEnrol(
            _("Periode {year} tidak masuk akal: isi tahun {first} sampai {last}.").format(
                year=enrol.year, first=2000, last=date.today().year + 1
            )
        )
    low, high = enrol.deciles
    if not 1 <= low <= high <= 10:
        raise CannotEnrol(_("Rentang desil harus di antara 1 dan 10, dari yang kecil."))


def plan_enrolments(db, households, enrol) -> None:
    """Set `enrol`, `enrol_data` and `enrol_reason` on each planned person (see the module)."""
    check_request(enrol)
    spec = PROGRAMS[enrol.program]
    ref = reference(db)
    start, end = enrol.period
    person_ids = [p.person_id for h in households for p in h.people if p.person_id]
    household_ids = [h.household_id for h in households if h.household_id]
    existing = enrolments_of(db, person_ids, household_ids)
    low, high = enrol.deciles
    names = set(spec.field_names)
    for household in households:
        living = [p for p in household.people if p.fate != "refused"]
        if not living:
            continue
        house = {**(household.stored or {}), **household.values, "id": household.household_id}
        decile = house.get("welfare_decile")
        head = next((p for p in living if p.row_number == household.head_row), None)
        takers = [head] if enrol.program in HOUSEHOLD_PROGRAMS else living
        for person in living:
            if person not in takers:
                person.enrol_reason = (
                    _("{program} untuk rumah tangga: didaftarkan atas nama kepala keluarga.")
                    if head is not None
                    else _("{program} untuk rumah tangga: keluarga ini tanpa kepala di daftar.")
                ).format(program=spec.name)
        for person in [p for p in takers if p is not None]:
            if decile is None or not low <= decile <= high:
                person.enrol_reason = _(
                    "Desil {decile} di luar desil {low}-{high} yang dipilih."
                ).format(decile=decile if decile is not None else "-", low=low, high=high)
                continue
            data = dict(enrol.data)
            if "decile_source" in names and house.get("decile_source"):
                data.setdefault("decile_source", house["decile_source"])
            if "household_size" in names:
                stored_size = (household.stored or {}).get("members") or 0
                data.setdefault("household_size", max(len(living), stored_size))
            if "payment_channel" in names:
                data.setdefault("payment_channel", "tunai")
            who = {**(person.stored or {}), **person.values, "id": person.person_id}
            who["household_id"] = household.household_id
            theirs = tuple(
                e
                for e in existing
                if (person.person_id and e["person_id"] == person.person_id)
                or (household.household_id and e["household_id"] == household.household_id)
            )
            ctx = EligibilityContext(
                person=who,
                household=house,
                members=tuple(p.values for p in living),
                enrolments=theirs,
                data=data,
                reference=ref,
                today=date.today(),
                period_start=start,
                period_end=end,
            )
            verdict = check_eligibility(spec, ctx)
            if not verdict.eligible:
                person.enrol_reason = "; ".join(r.message("id") for r in verdict.blocking)
                continue
            errors = validate_data(spec, data)
            missing = sorted(k for k, v in errors.items() if v == MSG_REQUIRED)
            wrong = {k: v for k, v in errors.items() if v != MSG_REQUIRED}
            if wrong:
                person.enrol_reason = "; ".join(f"{k}: {v}" for k, v in sorted(wrong.items()))
                continue
            person.enrol, person.enrol_data = enrol.status, data
            if missing and enrol.status != "DRAF":
                person.enrol = "DRAF"
                person.enrol_reason = _(
                    "Disimpan sebagai Draf: isian {fields} tidak ada di daftar; lengkapi di "
                    "lapangan lalu ajukan."
                ).format(fields=", ".join(spec.get_field(k).label() for k in missing))
