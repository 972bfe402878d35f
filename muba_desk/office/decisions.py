"""Office decisions: approve or reject enrolments, and a budget year's amounts, quotas, periods.

Bulk decisions: every enrolment that may move is moved in one transaction (all of them or, on
any database error, none); those that may not move are listed with the reason and left as
they were. With `strict=True` a single refusal moves nothing.

Budget years are reference data keyed `"{year}.{PROGRAM}.{field}"`, e.g.
`"2027.BANTU_UMAK.amount_per_person_month"`: `field` is any per-program key of
`domain.reference.DEFAULTS` (amounts, quota, limits) or `period_start` / `period_end` (ISO
dates inside the year). Return bundles carry them to the laptops like any reference data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from muba_desk.domain.programs import PROGRAMS
from muba_desk.domain.reference import DEFAULTS, validate_reference
from muba_desk.domain.status import InvalidTransition, Side, Status, check_transition
from muba_desk.errors import UserError
from muba_desk.store.records import acting_side, reference, set_reference, set_status
from muba_desk.store.registry import Registry

PERIOD_FIELDS = ("period_start", "period_end")


@dataclass
class BulkResult:
    moved: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    """Enrolment id -> why it could not move (Indonesian)."""
    approved: bool | None = None
    """True: the moved ones were approved; False: rejected."""

    @property
    def summary(self) -> str:
        done = {True: "disetujui", False: "ditolak"}.get(self.approved, "diputuskan")
        text = f"{len(self.moved)} pendaftaran {done}"
        if self.refused:
            text += f", {len(self.refused)} tidak dapat diubah"
        return text + "."


class BudgetProblem(UserError, ValueError):
    """Budget-year values that cannot be saved; `errors` maps each key to an Indonesian reason."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def decide(registry: Registry, enrolment_id: str, approve: bool, reason: str | None = None):
    """Approve (Disetujui) or reject (Ditolak, reason required) one enrolment that arrived
    (Terkirim), or withdraw an approval before any hand-over; only on the office's registry."""
    to = Status.DISETUJUI if approve else Status.DITOLAK
    with registry.transaction():
        return set_status(registry, enrolment_id, str(to), reason, side=Side.OFFICE)


def decide_many(
    registry: Registry,
    enrolment_ids: Iterable[str],
    approve: bool,
    reason: str | None = None,
    *,
    strict: bool = False,
) -> BulkResult:
    """Approve or reject many enrolments at once; see the module docstring for what is atomic."""
    to = Status.DISETUJUI if approve else Status.DITOLAK
    result = BulkResult(approved=approve)
    with registry.transaction():
        acting_side(registry, Side.OFFICE)  # a laptop's registry refuses before anything moves
        movable = []
        for enrolment_id in dict.fromkeys(enrolment_ids):
            row = registry.conn.execute(
                "SELECT status FROM enrolment WHERE id = ? AND deleted_at IS NULL",
                (enrolment_id,),
            ).fetchone()
            if row is None:
                result.refused[enrolment_id] = "Pendaftaran tidak ditemukan."
                continue
            try:
                check_transition(row[0], to, reason, Side.OFFICE)
            except InvalidTransition as exc:
                result.refused[enrolment_id] = str(exc)
                continue
            movable.append(enrolment_id)
        if strict and result.refused:
            return result
        for enrolment_id in movable:
            set_status(registry, enrolment_id, str(to), reason, side=Side.OFFICE)
            result.moved.append(enrolment_id)
    return result


def budget_key(year: int, program: str, name: str) -> str:
    return f"{year}.{program}.{name}"


def validate_budget(year: int, values: Mapping[str, Mapping[str, object]]) -> dict[str, str]:
    """Full key -> Indonesian error, for {program: {field: value}}; {} if all can be saved."""
    errors: dict[str, str] = {}
    if not 2000 <= year <= 2100:
        return {str(year): "Tahun anggaran tidak masuk akal."}
    for program, fields in values.items():
        if program not in PROGRAMS:
            errors[budget_key(year, program, "*")] = "Kode program tidak dikenal."
            continue
        for name, value in fields.items():
            key = budget_key(year, program, name)
            if name in PERIOD_FIELDS:
                message = _period_error(year, value)
                if message:
                    errors[key] = message
                continue
            plain = f"{program}.{name}"
            if plain not in DEFAULTS:
                errors[key] = "Kunci data acuan tidak dikenal untuk program ini."
                continue
            problem = validate_reference({plain: value}).get(plain)
            if problem:
                errors[key] = problem
        start, end = fields.get("period_start"), fields.get("period_end")
        if isinstance(start, str) and isinstance(end, str) and start > end:
            errors[budget_key(year, program, "period_end")] = "Akhir periode sebelum awalnya."
    return errors


def _period_error(year: int, value: object) -> str:
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return "Tanggal harus berbentuk TTTT-BB-HH."
    return "" if day.year == year else f"Tanggal harus di dalam tahun {year}."


def set_budget_year(
    registry: Registry, year: int, values: Mapping[str, Mapping[str, object]]
) -> list[str]:
    """Save {program: {field: value}} for `year` in one transaction; returns the keys written.

    Raises BudgetProblem (nothing saved) if any value is wrong.
    """
    errors = validate_budget(year, values)
    if errors:
        raise BudgetProblem(errors)
    written = []
    with registry.transaction():
        for program, fields in values.items():
            for name, value in fields.items():
                key = budget_key(year, program, name)
                set_reference(registry, key, value)
                written.append(key)
    return written


def budget_year(db, year: int) -> dict[str, dict[str, object]]:
    """{program: {field: value}} as set for `year`; the default fills what the office left out
    (periods default to the calendar year)."""
    ref = reference(db)
    out: dict[str, dict[str, object]] = {}
    for program in PROGRAMS:
        fields: dict[str, object] = {
            "period_start": f"{year}-01-01",
            "period_end": f"{year}-12-31",
        }
        for key, default in DEFAULTS.items():
            if key.startswith(program + "."):
                name = key.split(".", 1)[1]
                fields[name] = ref.get(key, default)
        for key, value in ref.items():
            if key.startswith(f"{year}.{program}."):
                fields[key.split(".", 2)[2]] = value
        out[program] = fields
    return out
