"""How stored values read on screen: dates dd/mm/yyyy, times in WIB, codes as Indonesian labels."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from muba_desk.i18n import _, _n, language

if TYPE_CHECKING:
    from muba_desk.domain.programs.base import Field

# The programs' rules, choices and money formats (domain.programs, 0.05 s to import) are
# imported by the labels that need them: the result lists use only dates and sex, and they
# are the first screen.

WIB = timezone(timedelta(hours=7), "WIB")
EMPTY = "–"


def fmt_date(value: str | None) -> str:
    """ "1978-06-05" -> "05/06/1978"; other text as it is, so odd old data stays readable."""
    if not value:
        return EMPTY
    try:
        return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return value


def fmt_datetime(value: str | None) -> str:
    """A stored UTC time as the user's clock shows it: "05/06/2026 14:30 WIB"."""
    if not value:
        return EMPTY
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(WIB).strftime("%d/%m/%Y %H:%M WIB")


def sex_label(code: str | None) -> str:
    return {"L": _("Laki-laki"), "P": _("Perempuan")}.get(code or "", code or EMPTY)


def sex_short(code: str | None) -> str:
    """One letter for narrow tables: L/P in Indonesian, M/F in English."""
    return {"L": _("L"), "P": _("P")}.get(code or "", code or EMPTY)


def relation_label(code: str | None) -> str:
    """Relation to the household head; unknown codes are shown readable rather than hidden."""
    if not code:
        return EMPTY
    own = {
        "kepala": _("Kepala keluarga"),
        "istri": _("Istri"),
        "suami": _("Suami"),
        "menantu": _("Menantu"),
        "mertua": _("Mertua"),
        "famili_lain": _("Famili lain"),
    }
    if code in own:
        return own[code]
    from muba_desk.domain.programs.base import RELATIONS

    return _choice(RELATIONS, code)


def verify_labels() -> dict[str, str]:
    """What the field found of a person an office list brought in (`person.verify_state`)."""
    return {
        "to_verify": _("Belum diverifikasi"),
        "confirmed": _("Sudah diverifikasi: orangnya ada, data sudah dicocokkan"),
        "moved": _("Pindah"),
        "died": _("Meninggal"),
        "not_found": _("Tidak ditemukan"),
    }


def occupation_label(code: str | None) -> str:
    from muba_desk.domain.programs.base import OCCUPATIONS

    return _choice(OCCUPATIONS, code) if code else EMPTY


def disability_label(codes: Iterable[str] | None) -> str:
    from muba_desk.domain.programs.base import DISABILITY_TYPES

    codes = list(codes or [])
    if not codes:
        return _("Tidak ada")
    return ", ".join(_choice(DISABILITY_TYPES, code) for code in codes)


def status_label(code: str | None) -> str:
    from muba_desk.domain.status import Status

    try:
        return Status(code).label(language())
    except ValueError:
        return code or EMPTY


def program_name(code: str) -> str:
    from muba_desk.domain.programs import get_program

    try:
        return get_program(code).label(language())
    except KeyError:
        return code


def program_fields(code: str) -> tuple[Field, ...]:
    from muba_desk.domain.programs import get_program

    try:
        return get_program(code).fields
    except KeyError:
        return ()


def confirmation_label(code: str | None, proxy_name: str | None = None) -> str:
    labels = {
        "tanda_tangan": _("Tanda tangan"),
        "cap_jempol": _("Cap jempol"),
        "kuasa": _("Kuasa: {name}").format(name=proxy_name or EMPTY),
        "transfer_bank": _("Transfer bank (jawaban bank; tanpa kuitansi)"),
    }
    return labels.get(code or "", code or EMPTY)


def consent_label(by: str | None, guardian: str | None, at: str | None) -> str:
    if by == "sendiri":
        text = _("Diberikan sendiri")
    elif by == "wali":
        text = _("Diberikan oleh wali ({name})").format(name=guardian or EMPTY)
    else:
        return _("Belum dicatat")
    return f"{text}, {fmt_date(at)}" if at else text


def field_value(f: Field, value: object) -> str:
    """A program field's stored value as its form would show it."""
    from muba_desk.domain.money import format_rupiah
    from muba_desk.domain.programs.base import fmt_num

    lang = language()
    if value is None or value == "" or value == []:
        return EMPTY
    if f.kind == "money" and isinstance(value, int | float):
        return format_rupiah(int(value))
    if f.kind == "date" and isinstance(value, str):
        return fmt_date(value)
    if f.kind == "bool":
        return _("Ya") if value else _("Tidak")
    if f.kind == "choice":
        return f.choice_label(str(value), lang)
    if f.kind == "multichoice" and isinstance(value, list | tuple):
        return ", ".join(f.choice_label(str(v), lang) for v in value)
    if f.kind in ("members", "children") and isinstance(value, list | tuple):
        return _n("{count} orang", len(value)).format(count=len(value))
    if f.kind == "decimal" and isinstance(value, int | float):
        return fmt_num(value, lang)
    return str(value)


def _choice(options, code: str) -> str:
    for option in options:
        if option.value == code:
            return option.label(language())
    return code.replace("_", " ").capitalize()
