"""The shapes every program is built from: choices, fields, validation, cleaning and eligibility.

A program is data (its fields, rendered by one generic form) plus small rule functions. Field
values are JSON-friendly: money is whole rupiah as int, decimals are floats, dates are ISO
"YYYY-MM-DD" strings, multichoice is a list of values. Error messages are Indonesian (the
interface's default language); eligibility reasons carry both Indonesian and English.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from muba_desk.domain.age import age_on
from muba_desk.domain.errors import UserError
from muba_desk.domain.reference import reference_value
from muba_desk.domain.status import INACTIVE, Status

KINDS = frozenset(
    {
        "text",
        "int",
        "money",
        "decimal",
        "date",
        "choice",
        "multichoice",
        "bool",
        "members",
        "children",
    }
)
# No hand-over of any program exceeds this (Rp 100 juta): the SQL guard of migration m009
# holds the same figure, so a program may lower its own `max_handover` but never pass it.
MAX_HANDOVER_ANY = 100_000_000
TARGETS = frozenset({"person", "group", "person_or_institution"})
# Kinds whose `choices` are the allowed values (for "members": the allowed roles).
_CHOICE_KINDS = frozenset({"choice", "multichoice", "members"})


def pick(lang: str, text_id: str, text_en: str) -> str:
    """The English text for "en", the Indonesian otherwise (Indonesian is the default)."""
    return text_en if lang == "en" else text_id


def fmt_rp(amount: int | float) -> str:
    """Rp 1.500.000, for messages only (printing uses domain.money)."""
    n = int(amount)
    return f"{'-' if n < 0 else ''}Rp {abs(n):,}".replace(",", ".")


def fmt_num(value: float, lang: str = "id") -> str:
    """7.2 -> "7,2" in Indonesian, "7.2" in English; whole numbers without decimals."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return text if lang == "en" else text.replace(".", ",")


def fmt_date(value: date | str | None) -> str:
    """ISO date -> dd/mm/yyyy as the interface shows it; "…" for an open end."""
    if value is None:
        return "…"
    d = _to_date(value)
    return d.strftime("%d/%m/%Y")


# ---------------------------------------------------------------------------------------------
# Choices, fields, programs


@dataclass(frozen=True)
class Choice:
    value: str
    label_id: str
    label_en: str

    def label(self, lang: str = "id") -> str:
        return pick(lang, self.label_id, self.label_en)


@dataclass(frozen=True)
class Field:
    """One input of a program form. `min`/`max` bound numbers (inclusive); `max_length` text."""

    name: str
    kind: str
    label_id: str
    label_en: str
    required: bool = False
    choices: tuple[Choice, ...] = ()
    min: int | float | None = None
    max: int | float | None = None
    max_length: int | None = None
    help_id: str = ""
    help_en: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"field {self.name!r}: unknown kind {self.kind!r}")
        if self.kind in _CHOICE_KINDS and not self.choices:
            raise ValueError(f"field {self.name!r}: kind {self.kind!r} needs choices")
        if self.kind not in _CHOICE_KINDS and self.choices:
            raise ValueError(f"field {self.name!r}: kind {self.kind!r} takes no choices")
        values = [c.value for c in self.choices]
        if len(values) != len(set(values)):
            raise ValueError(f"field {self.name!r}: duplicate choice values")

    def label(self, lang: str = "id") -> str:
        return pick(lang, self.label_id, self.label_en)

    def help(self, lang: str = "id") -> str:
        return pick(lang, self.help_id, self.help_en)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def choice_label(self, value: str, lang: str = "id") -> str:
        """The label of one choice value; the raw value if unknown (old data stays readable)."""
        for c in self.choices:
            if c.value == value:
                return c.label(lang)
        return value


Rule = Callable[["EligibilityContext"], "Reason | Iterable[Reason] | None"]
"""Looks at the context and gives its reason(s); must not raise on missing or odd data."""

Check = Callable[[dict], dict[str, str]]
"""Cross-field check on values that already passed their own field check: name -> message."""


@dataclass(frozen=True)
class Program:
    """A program: `fields` drive the form and validation, `rules` the eligibility check.

    `once_per_household`: the program happens once per household ever (Bertani's house
    renovation), so any earlier enrolment that was not rejected blocks a new one. Otherwise the
    same person may not hold the same program twice in overlapping periods.

    `max_handover`: the largest amount in rupiah one hand-over of this program may carry; a
    bigger one is a typing error (an extra zero) or a forged row. Every writer refuses it
    (`muba_desk.core.rules`), and the SQL guard holds `MAX_HANDOVER_ANY` for all programs.
    """

    code: str
    name: str
    expansion: str
    summary_id: str
    summary_en: str
    target: str
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...]
    checks: tuple[Check, ...] = ()
    once_per_household: bool = False
    max_handover: int = 10_000_000

    def __post_init__(self) -> None:
        if not 0 < self.max_handover <= MAX_HANDOVER_ANY:
            raise ValueError(f"{self.code}: max_handover outside 1..{MAX_HANDOVER_ANY}")
        if self.target not in TARGETS:
            raise ValueError(f"{self.code}: unknown target {self.target!r}")
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.code}: duplicate field names")

    def label(self, lang: str = "id") -> str:
        """The program's name: a proper noun, the same in both languages (the summary explains)."""
        del lang
        return self.name

    def summary(self, lang: str = "id") -> str:
        return pick(lang, self.summary_id, self.summary_en)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def get_field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.code} has no field {name!r}")


# ---------------------------------------------------------------------------------------------
# Validation of typed values


MSG_REQUIRED = "Wajib diisi."
MSG_UNKNOWN_FIELD = "Isian tidak dikenal untuk program ini."


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple) and not value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bound(f: Field, value: int | float) -> str:
    def show(n: int | float) -> str:
        return fmt_rp(n) if f.kind == "money" else fmt_num(n)

    if f.min is not None and value < f.min:
        return f"Tidak boleh kurang dari {show(f.min)}."
    if f.max is not None and value > f.max:
        return f"Tidak boleh lebih dari {show(f.max)}."
    return ""


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_value(f: Field, value: object) -> str:
    """'' if `value` (not missing) is a valid value of `f`, else the Indonesian error."""
    kind = f.kind
    if kind == "text":
        if not isinstance(value, str):
            return "Harus berupa teks."
        if f.max_length is not None and len(value) > f.max_length:
            return f"Terlalu panjang: paling banyak {f.max_length} karakter."
        return ""
    if kind == "int":
        return _bound(f, value) if _is_int(value) else "Harus berupa bilangan bulat."
    if kind == "money":
        return _bound(f, value) if _is_int(value) else "Harus berupa jumlah rupiah bulat."
    if kind == "decimal":
        if not (isinstance(value, int | float) and not isinstance(value, bool)):
            return "Harus berupa angka."
        return _bound(f, value) if math.isfinite(value) else "Harus berupa angka."
    if kind == "date":
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                date.fromisoformat(value)
                return ""
            except ValueError:
                pass
        return "Tanggal tidak sah (format TTTT-BB-HH)."
    if kind == "bool":
        return "" if isinstance(value, bool) else "Harus Ya atau Tidak."
    if kind == "choice":
        return "" if value in f.values else f"Pilihan tidak dikenal: {value!r}."
    if kind == "multichoice":
        return _check_multichoice(f, value)
    if kind == "members":
        return _check_members(f, value)
    return _check_children(value)


def _check_multichoice(f: Field, value: object) -> str:
    if not isinstance(value, list | tuple):
        return "Harus berupa daftar pilihan."
    seen: set[object] = set()
    for item in value:
        if not isinstance(item, str) or item not in f.values:
            return f"Pilihan tidak dikenal: {item!r}."
        if item in seen:
            return f"Pilihan {item!r} tercantum dua kali."
        seen.add(item)
    return ""


def _check_members(f: Field, value: object) -> str:
    if not isinstance(value, list | tuple):
        return "Harus berupa daftar anggota."
    seen: set[str] = set()
    for i, member in enumerate(value, start=1):
        if not isinstance(member, Mapping):
            return f"Anggota ke-{i} tidak sah."
        person_id = member.get("person_id")
        if not isinstance(person_id, str) or not person_id.strip():
            return f"Anggota ke-{i}: orang belum dipilih."
        if person_id in seen:
            return f"Anggota ke-{i} tercantum dua kali."
        seen.add(person_id)
        if member.get("role") not in f.values:
            return f"Anggota ke-{i}: peran tidak dikenal: {member.get('role')!r}."
    return ""


def _check_children(value: object) -> str:
    if not isinstance(value, list | tuple):
        return "Harus berupa daftar anak."
    seen: set[str] = set()
    for i, person_id in enumerate(value, start=1):
        if not isinstance(person_id, str) or not person_id.strip():
            return f"Anak ke-{i}: orang belum dipilih."
        if person_id in seen:
            return f"Anak ke-{i} tercantum dua kali."
        seen.add(person_id)
    return ""


def validate(program: Program, data: Mapping[str, object]) -> dict[str, str]:
    """Field name -> Indonesian error for everything wrong in `data`; {} means valid.

    Cross-field checks run only on values that passed their own check, so they can trust types.
    """
    errors: dict[str, str] = {}
    known = set(program.field_names)
    for key in data:
        if key not in known:
            errors[key] = MSG_UNKNOWN_FIELD
    good: dict[str, object] = {}
    for f in program.fields:
        value = data.get(f.name)
        if _missing(value):
            if f.required:
                errors[f.name] = MSG_REQUIRED
            continue
        message = check_value(f, value)
        if message:
            errors[f.name] = message
        else:
            good[f.name] = value
    for check in program.checks:
        for name, message in check(good).items():
            errors.setdefault(name, message)
    return errors


# ---------------------------------------------------------------------------------------------
# Cleaning typed text into values


class ValidationError(UserError, ValueError):
    """`errors`: field name -> Indonesian message; `value`: what could be cleaned."""

    def __init__(self, errors: dict[str, str], value: dict[str, object] | None = None):
        super().__init__("Isian belum benar: " + ", ".join(sorted(errors)))
        self.errors = errors
        self.value = value or {}


_PLAIN = re.compile(r"^-?\d+$")
_GROUPED = re.compile(r"^-?\d{1,3}(?:\.\d{3})+$")  # 1.500.000: dots group thousands
_POINT = re.compile(r"^-?\d+\.\d+$")
_TRUE = frozenset({"ya", "y", "yes", "true", "benar", "1"})
_FALSE = frozenset({"tidak", "t", "no", "n", "false", "bukan", "0"})


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _parse_whole(text: str, money: bool) -> int:
    s = _compact(text)
    if money:
        # Receipts and forms write "Rp1.500.000", "Rp. 1.500.000,-" or "1.500.000,00".
        s = re.sub(r"^(-?)rp\.?", r"\1", s, flags=re.IGNORECASE)
        s = re.sub(r",(-|0+)$", "", s)
    if _PLAIN.match(s) or _GROUPED.match(s):
        return int(s.replace(".", ""))
    if money:
        raise ValueError("Tulis jumlah rupiah bulat, misalnya 1.500.000.")
    raise ValueError("Tulis bilangan bulat, misalnya 12.")


def _parse_decimal(text: str) -> float:
    s = _compact(text)
    if "," in s:
        # Indonesian writing: comma for decimals, dots (if any) for thousands: 1.234,5.
        whole, _, frac = s.partition(",")
        if frac.isdigit() and (_PLAIN.match(whole) or _GROUPED.match(whole)):
            return float(whole.replace(".", "") + "." + frac)
    elif _PLAIN.match(s) or _GROUPED.match(s):
        return float(s.replace(".", ""))
    elif _POINT.match(s):
        # "7.2" typed by calculator habit: one dot not followed by exactly three digits.
        return float(s)
    raise ValueError("Tulis angka, misalnya 12,5.")


def _to_date(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _parse_date(value: object) -> str:
    if isinstance(value, date):
        return _to_date(value).isoformat()
    message = "Tanggal tidak sah; tulis HH/BB/TTTT, misalnya 17/08/2025."
    if not isinstance(value, str):
        raise ValueError(message)
    s = value.strip()
    try:
        if _ISO_DATE.match(s):
            return date.fromisoformat(s).isoformat()
        m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", s)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
    except ValueError:
        pass
    raise ValueError(message)


def _parse_choice(f: Field, value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"Pilihan tidak dikenal: {value!r}.")
    s = value.strip()
    if s in f.values:
        return s
    # Imported sheets may carry a label or a different case instead of the stored value.
    folded = s.casefold()
    for c in f.choices:
        if folded in (c.value.casefold(), c.label_id.casefold(), c.label_en.casefold()):
            return c.value
    raise ValueError(f"Pilihan tidak dikenal: {s!r}.")


def parse_value(f: Field, raw: object) -> object:
    """The typed value of `f` from what a form or sheet gave; None when empty.

    Raises ValueError with an Indonesian message when the text cannot be read. Range and
    choice-set checks are left to `validate`, except for choices matched by label.
    """
    if _missing(raw):
        return None
    kind = f.kind
    if kind == "text":
        return raw.strip() if isinstance(raw, str) else raw
    if kind in ("int", "money"):
        if isinstance(raw, str):
            return _parse_whole(raw, money=kind == "money")
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        return raw
    if kind == "decimal":
        if isinstance(raw, str):
            return _parse_decimal(raw)
        return float(raw) if _is_int(raw) else raw
    if kind == "date":
        return _parse_date(raw)
    if kind == "bool":
        if isinstance(raw, str):
            s = raw.strip().casefold()
            if s in _TRUE:
                return True
            if s in _FALSE:
                return False
            raise ValueError("Harus Ya atau Tidak.")
        if _is_int(raw) and raw in (0, 1):
            return bool(raw)
        return raw
    if kind == "choice":
        return _parse_choice(f, raw)
    if kind == "multichoice":
        items = re.split(r"[,;]", raw) if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple):
            raise ValueError("Harus berupa daftar pilihan.")
        return [_parse_choice(f, item) for item in items if not _missing(item)]
    if kind == "members":
        if not isinstance(raw, list | tuple):
            raise ValueError("Harus berupa daftar anggota.")
        members = []
        for member in raw:
            if isinstance(member, Mapping) and isinstance(member.get("role"), str):
                member = {**member, "role": _parse_choice(f, member["role"])}
            members.append(member)
        return members
    if not isinstance(raw, list | tuple):  # children
        raise ValueError("Harus berupa daftar anak.")
    return [p.strip() if isinstance(p, str) else p for p in raw]


def clean(program: Program, data: Mapping[str, object]) -> dict[str, object]:
    """Typed values from form text ("1.500.000", "12,5", "17/08/2025", "ya"); empty ones dropped.

    Raises ValidationError carrying every problem (reading errors first, then `validate`'s).
    """
    known = {f.name: f for f in program.fields}
    out: dict[str, object] = {}
    errors: dict[str, str] = {}
    for key, raw in data.items():
        f = known.get(key)
        if f is None:
            errors[key] = MSG_UNKNOWN_FIELD
            continue
        try:
            value = parse_value(f, raw)
        except ValueError as exc:
            errors[key] = str(exc)
            continue
        if value is not None:
            out[key] = value
    for name, message in validate(program, out).items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors, out)
    return out


# ---------------------------------------------------------------------------------------------
# Eligibility


@dataclass(frozen=True)
class Reason:
    """One finding of an eligibility check. `code` names the rule, for tests and the interface."""

    ok: bool
    message_id: str
    message_en: str
    code: str = ""

    def message(self, lang: str = "id") -> str:
        return pick(lang, self.message_id, self.message_en)


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return all(r.ok for r in self.reasons)

    @property
    def blocking(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if not r.ok)

    def codes(self, ok: bool | None = None) -> tuple[str, ...]:
        """Rule codes of all reasons, or only of the passed (True) or failed (False) ones."""
        return tuple(r.code for r in self.reasons if ok is None or r.ok == ok)


@dataclass(frozen=True, kw_only=True)
class EligibilityContext:
    """Everything a rule may look at, gathered by the store; rows use the database columns.

    `enrolments` are the existing enrolments of this person and of their household (dicts with
    program, status, person_id, household_id, period_start, period_end and, if known, id).
    `enrolment_id` is the enrolment being checked, so it does not count against itself.
    `period_start`/`period_end` are its period; an empty start means "from today", an empty
    end "open-ended". For KUBE, `members` are the member people and `member_households` maps
    person id -> household id where a person row lacks household_id; for a Bakul Nasi
    institution, `members` may hold the children's people rows.
    """

    person: dict | None = None
    household: dict | None = None
    members: tuple[dict, ...] = ()
    member_households: Mapping[str, str] = field(default_factory=dict)
    enrolments: tuple[dict, ...] = ()
    data: Mapping[str, object] = field(default_factory=dict)
    reference: Mapping[str, object] = field(default_factory=dict)
    today: date = field(default_factory=date.today)
    institution: dict | None = None
    enrolment_id: str | None = None
    period_start: date | str | None = None
    period_end: date | str | None = None

    def ref(self, key: str) -> object:
        return reference_value(self.reference, key)

    def age(self, person: Mapping | None = None) -> int | None:
        """Age today of `person` (default: the context's person); None if unknown or invalid."""
        person = self.person if person is None else person
        birth = (person or {}).get("birth_date")
        if not birth:
            return None
        try:
            return age_on(birth, self.today)
        except (TypeError, ValueError):
            return None

    def household_of(self, person: Mapping) -> str | None:
        return person.get("household_id") or self.member_households.get(person.get("id"))


# Helpers shared by the program modules' rules.


def number(data: Mapping[str, object], key: str) -> float | None:
    """A numeric value of `data`, None when missing or not a number (rules must not raise)."""
    value = data.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None


def disabilities(person: Mapping | None) -> list[str]:
    """The person's disability codes; tolerates a comma-separated string from older rows."""
    value = (person or {}).get("disability")
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [v for v in value or () if isinstance(v, str) and v]


def age_reason(
    ctx: EligibilityContext,
    min_key: str | None,
    max_key: str | None,
    code: str = "age",
    person: Mapping | None = None,
) -> Reason:
    """Age within the reference limits (inclusive); either limit may be absent."""
    low = ctx.ref(min_key) if min_key else None
    high = ctx.ref(max_key) if max_key else None
    if low is not None and high is not None:
        limit_id = limit_en = f"{low}–{high}"
    elif low is not None:
        limit_id, limit_en = f"paling rendah {low}", f"at least {low}"
    else:
        limit_id, limit_en = f"paling tinggi {high}", f"at most {high}"
    who = person if person is not None else ctx.person
    name = (who or {}).get("name") or ""
    prefix_id = f"{name}: " if person is not None and name else ""
    age = ctx.age(who)
    if age is None:
        return Reason(
            False,
            f"{prefix_id}Tanggal lahir belum diisi; umur tidak dapat diperiksa "
            f"(batas {limit_id} tahun).",
            f"{prefix_id}Birth date missing; age cannot be checked (limit {limit_en} years).",
            code,
        )
    ok = (low is None or age >= low) and (high is None or age <= high)
    if ok:
        return Reason(
            True,
            f"{prefix_id}Umur {age} tahun (batas {limit_id} tahun).",
            f"{prefix_id}Age {age} (limit {limit_en} years).",
            code,
        )
    return Reason(
        False,
        f"{prefix_id}Umur {age} tahun, di luar batas {limit_id} tahun.",
        f"{prefix_id}Age {age}, outside the limit of {limit_en} years.",
        code,
    )


def decile_reason(ctx: EligibilityContext, max_key: str, code: str = "decile") -> Reason:
    """The household's welfare decile is known and at most the reference maximum."""
    limit = ctx.ref(max_key)
    decile = (ctx.household or {}).get("welfare_decile")
    if not _is_int(decile):
        return Reason(
            False,
            f"Desil kesejahteraan rumah tangga belum diisi (paling tinggi desil {limit}).",
            f"Household welfare decile missing (at most decile {limit}).",
            code,
        )
    if decile <= limit:
        return Reason(
            True,
            f"Desil kesejahteraan {decile} (paling tinggi desil {limit}).",
            f"Welfare decile {decile} (at most decile {limit}).",
            code,
        )
    return Reason(
        False,
        f"Desil kesejahteraan {decile}, di atas batas desil {limit}.",
        f"Welfare decile {decile}, above the limit of decile {limit}.",
        code,
    )


def _program_name(code: str) -> str:
    # Imported here: the registry imports this module, and messages need only the name.
    from muba_desk.domain.programs import PROGRAMS

    program = PROGRAMS.get(code)
    return program.name if program else code


def _period(start: object, end: object, default_start: date) -> tuple[date, date]:
    def read(value: object, fallback: date) -> date:
        if not value:
            return fallback
        try:
            return _to_date(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return fallback

    return read(start, default_start), read(end, date.max)


def periods_overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _is_active(enrolment: Mapping) -> bool:
    try:
        return Status(enrolment.get("status")) not in INACTIVE
    except ValueError:
        return True  # an unknown status is not proof that aid stopped


def _describe(enrolment: Mapping, lang: str) -> str:
    status = enrolment.get("status")
    with contextlib.suppress(ValueError):
        status = Status(status).label(lang)
    start, end = enrolment.get("period_start"), enrolment.get("period_end")
    try:
        period = f"{fmt_date(start) if start else '…'}–{fmt_date(end)}"
    except (TypeError, ValueError):
        period = "?"
    return f"{_program_name(str(enrolment.get('program')))} ({status}, {period})"


def _is_forbidden(reference: Mapping[str, object], a: str, b: str) -> bool:
    pairs = reference_value(reference, "forbidden_pairs")
    return any(
        {a, b} == set(pair)
        for pair in pairs  # type: ignore[union-attr]
        if isinstance(pair, list | tuple) and len(pair) == 2
    )


def _other_enrolments(ctx: EligibilityContext) -> list[Mapping]:
    """The context's enrolments minus the one being checked."""
    return [e for e in ctx.enrolments if not (ctx.enrolment_id and e.get("id") == ctx.enrolment_id)]


def _same_household(ctx: EligibilityContext, enrolment: Mapping) -> bool:
    household_id = (ctx.household or {}).get("id") or (ctx.person or {}).get("household_id")
    if household_id and enrolment.get("household_id"):
        return enrolment.get("household_id") == household_id
    person_id = (ctx.person or {}).get("id")
    return not person_id or enrolment.get("person_id") == person_id


def _enrolment_reasons(program: Program, ctx: EligibilityContext) -> list[Reason]:
    """Once-per-household, the same program twice at a time, and forbidden pairs."""
    reasons: list[Reason] = []
    mine = _period(ctx.period_start, ctx.period_end, ctx.today)
    person_id = (ctx.person or {}).get("id")
    for e in _other_enrolments(ctx):
        code = e.get("program")
        if program.once_per_household and code == program.code:
            if e.get("status") != Status.DITOLAK and _same_household(ctx, e):
                reasons.append(
                    Reason(
                        False,
                        f"{program.name} hanya sekali untuk satu rumah tangga; sudah ada: "
                        f"{_describe(e, 'id')}.",
                        f"{program.name} is once per household; already there: "
                        f"{_describe(e, 'en')}.",
                        "once",
                    )
                )
            continue
        if not _is_active(e):
            continue
        theirs = _period(e.get("period_start"), e.get("period_end"), date.min)
        if not periods_overlap(mine, theirs):
            continue
        if isinstance(code, str) and _is_forbidden(ctx.reference, program.code, code):
            if _same_household(ctx, e):
                reasons.append(
                    Reason(
                        False,
                        f"Bantuan rangkap: rumah tangga ini juga menerima {_describe(e, 'id')} "
                        f"pada periode yang sama.",
                        f"Double aid: this household also receives {_describe(e, 'en')} "
                        f"in the same period.",
                        "forbidden_pair",
                    )
                )
        elif code == program.code and person_id and e.get("person_id") == person_id:
            reasons.append(
                Reason(
                    False,
                    f"Orang ini sudah terdaftar di {_describe(e, 'id')} pada periode yang sama.",
                    f"This person is already enrolled in {_describe(e, 'en')} in the same period.",
                    "duplicate",
                )
            )
    return reasons


def _target_reason(program: Program, ctx: EligibilityContext) -> Reason | None:
    if program.target == "person" and ctx.person is None:
        return Reason(False, "Belum ada orang yang dipilih.", "No person chosen yet.", "target")
    if program.target == "person_or_institution" and ctx.person is None and not ctx.institution:
        return Reason(
            False,
            "Belum ada orang atau lembaga yang dipilih.",
            "No person or institution chosen yet.",
            "target",
        )
    return None


def check_eligibility(program: Program, ctx: EligibilityContext) -> Eligibility:
    """Every reason for and against enrolling: the program's rules, then enrolment clashes."""
    missing = _target_reason(program, ctx)
    if missing:
        return Eligibility((missing,))
    reasons: list[Reason] = []
    for rule in program.rules:
        result = rule(ctx)
        if result is None:
            continue
        if isinstance(result, Reason):
            reasons.append(result)
        else:
            reasons.extend(result)
    reasons.extend(_enrolment_reasons(program, ctx))
    return Eligibility(tuple(reasons))


# ---------------------------------------------------------------------------------------------
# Choice lists shared by several programs and by the person form


def choices(*rows: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(*row) for row in rows)


# Where a household's welfare decile comes from: the national lists the office imports, or a
# check by the Social Service's own staff. Kept on the household and in Bantu Umak's form.
DECILE_SOURCES = choices(
    ("dtsen", "DTSEN (Data Tunggal Sosial Ekonomi Nasional)", "DTSEN (national single registry)"),
    ("dtks", "DTKS (Data Terpadu Kesejahteraan Sosial)", "DTKS (integrated social welfare data)"),
    ("p3ke", "P3KE (Percepatan Penghapusan Kemiskinan Ekstrem)", "P3KE (extreme poverty data)"),
    ("musdes", "Musyawarah desa", "Village meeting"),
    ("verifikasi_dinsos", "Verifikasi Dinas Sosial", "Social Service verification"),
    ("survei_petugas", "Survei petugas lapangan", "Field worker's survey"),
)


OCCUPATIONS = choices(
    ("penyadap_karet", "Penyadap karet", "Rubber tapper"),
    ("nelayan", "Nelayan", "Fisher"),
    ("petani", "Petani", "Farmer"),
    ("pekebun", "Pekebun (sawit, karet)", "Smallholder (oil palm, rubber)"),
    ("buruh_tani", "Buruh tani / kebun", "Farm or plantation labourer"),
    ("buruh_harian", "Buruh harian lepas", "Day labourer"),
    ("pedagang_kecil", "Pedagang kecil / kaki lima", "Small trader / street vendor"),
    ("pekerja_keagamaan", "Pekerja keagamaan (marbot, guru ngaji)", "Religious worker"),
    ("ojek", "Pengemudi ojek", "Motorcycle taxi driver"),
    ("pengrajin", "Pengrajin", "Craftsperson"),
    ("wiraswasta", "Wiraswasta", "Self-employed"),
    ("karyawan_swasta", "Karyawan swasta", "Private employee"),
    ("pns", "PNS / PPPK (ASN)", "Civil servant (ASN)"),
    ("tni_polri", "TNI / Polri", "Military / police"),
    ("pensiunan", "Pensiunan", "Retired"),
    ("ibu_rumah_tangga", "Mengurus rumah tangga", "Homemaker"),
    ("pelajar", "Pelajar / mahasiswa", "Student"),
    ("tidak_bekerja", "Tidak bekerja", "Not working"),
    ("lainnya", "Lainnya", "Other"),
)
"""Values of person.occupation, shared with the programs that look at it."""

DISABILITY_TYPES = choices(
    ("fisik", "Disabilitas fisik", "Physical disability"),
    ("intelektual", "Disabilitas intelektual", "Intellectual disability"),
    ("mental", "Disabilitas mental", "Mental (psychosocial) disability"),
    ("sensorik_netra", "Disabilitas sensorik netra", "Sensory: sight"),
    ("sensorik_rungu", "Disabilitas sensorik rungu", "Sensory: hearing"),
    ("sensorik_wicara", "Disabilitas sensorik wicara", "Sensory: speech"),
    ("ganda", "Disabilitas ganda / multi", "Multiple disabilities"),
)
"""Law 8/2016 on persons with disabilities, article 4; also the values of person.disability."""

BANKS = choices(
    ("bri", "BRI", "BRI"),
    ("bni", "BNI", "BNI"),
    ("mandiri", "Bank Mandiri", "Bank Mandiri"),
    ("bsb", "Bank Sumsel Babel", "Bank Sumsel Babel"),
)

PAYMENT_CHANNELS = (*BANKS, Choice("tunai", "Tunai", "Cash"))

RELATIONS = choices(
    ("pasangan", "Suami / istri", "Spouse"),
    ("anak", "Anak", "Child"),
    ("orang_tua", "Orang tua", "Parent"),
    ("saudara", "Saudara kandung", "Sibling"),
    ("cucu", "Cucu", "Grandchild"),
    ("kerabat", "Kerabat lain", "Other relative"),
    ("tetangga", "Tetangga / pendamping", "Neighbour / carer"),
    ("lainnya", "Lainnya", "Other"),
)

BUSINESS_TYPES = choices(
    ("ternak", "Peternakan (kambing, sapi, ayam, itik)", "Livestock"),
    ("perikanan", "Perikanan (kolam, keramba)", "Fish farming"),
    ("pertanian", "Pertanian / hortikultura", "Crops / horticulture"),
    ("perkebunan", "Perkebunan (karet, sawit)", "Plantation (rubber, oil palm)"),
    ("warung", "Warung / dagang", "Shop / trading"),
    ("olahan_pangan", "Olahan pangan (kerupuk, pempek, kue)", "Food processing"),
    ("kerajinan", "Kerajinan (anyaman, tenun songket)", "Crafts (weaving, songket)"),
    ("jasa", "Jasa (bengkel, jahit, cukur)", "Services (repair, tailoring, barber)"),
    ("lainnya", "Lainnya", "Other"),
)

INSTITUTION_KINDS = choices(
    ("panti_asuhan", "Panti asuhan", "Orphanage"),
    ("panti_werdha", "Panti werdha", "Home for the elderly"),
    ("lks_lainnya", "Lembaga kesejahteraan sosial lain", "Other social welfare institution"),
)
"""Values of institution.kind."""


def required_when(condition: Callable[[dict], bool], *names: str) -> Check:
    """A check making `names` required when `condition(data)` holds (e.g. account if not cash)."""

    def check(data: dict) -> dict[str, str]:
        if not condition(data):
            return {}
        return {n: MSG_REQUIRED for n in names if _missing(data.get(n))}

    return check


def dates_in_order(first: str, second: str, message: str) -> Check:
    """A check that date field `second` is not before `first` when both are present."""

    def check(data: dict) -> dict[str, str]:
        a, b = data.get(first), data.get(second)
        if a and b and b < a:  # ISO strings compare as dates
            return {second: message}
        return {}

    return check
