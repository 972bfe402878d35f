"""The domain's rules on plain values, for every writer: the window's operations, the Registry
(demo, command line), the office's import and the laptop's return import.

Two kinds of function live here:

- `clean_*` take what a person typed and give the stored form (NFC, invisible format
  characters removed, spaces collapsed) or raise `RuleError`;
- `check_row(table, row)` takes a whole stored row and raises `RuleError` naming the field if
  any value breaks a rule. A stored row must already be in its clean form: a name with a
  zero-width space is refused here, because a row arriving in a bundle is signed as it is.

The limits are in `LIMITS`, in one place. Each check is cheap for the common case (ASCII
text, an ASCII name) because the demo writes 250,000 people through the Registry.
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from datetime import date

from muba_desk.domain.nik import (
    InvalidKk,
    InvalidNik,
    Nik,
    check_nik_against,
    parse_kk,
    parse_nik,
)
from muba_desk.domain.reference import DEFAULTS, validate_reference
from muba_desk.domain.status import Status
from muba_desk.errors import UserError
from muba_desk.i18n import _, localized


def _programs():
    """The programs, imported on first use: the window starts without them (see
    tests/gui/test_window_start.py), and the Registry imports this module."""
    from muba_desk.domain import programs

    return programs.PROGRAMS, programs.base


# Longest value of each kind of text, in characters (a message says so; nothing is cut).
LIMITS = {
    "person_name": 100,  # a person's name (also a guardian's, a proxy's, a head's)
    "org_name": 150,  # a group's or an institution's name
    "text": 500,  # any other short text: address, birth place, reason, ...
    "notes": 2000,  # notes and free reasons
    "json": 200_000,  # program data, hand-over items, reference values (JSON text)
}
EARLIEST_BIRTH = date(1900, 1, 1)
# SQLite's integers are 64-bit: a bigger Python int makes the write itself crash.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1

STATUSES = frozenset(str(s) for s in Status)
SEXES = frozenset({"L", "P"})
# Where an imported person stands in the field's verification (store.schema.VERIFY_STATES).
VERIFY_STATES = frozenset({"to_verify", "confirmed", "moved", "died", "not_found"})
# "transfer_bank": paid into the account, confirmed by the bank's answer (lists_out.answers).
CONFIRMATIONS = frozenset({"tanda_tangan", "cap_jempol", "kuasa", "transfer_bank"})

# Columns holding a person's name, an organisation's name, and long notes.
PERSON_NAMES = {
    "person": ("name", "consent_guardian"),
    "handover": ("proxy_name",),
    "institution": ("head_name",),
}
ORG_NAMES = {"institution": ("name",), "grp": ("name",)}
NOTES = frozenset({"notes", "reason", "decision_reason", "no_nik_reason", "address"})
JSON_COLUMNS = frozenset({"data", "items", "value", "disability"})
BLOBS = frozenset({"jpeg", "thumbnail"})
# Free text may hold line breaks; every other control character is refused.
_MULTILINE = frozenset({"notes", "reason", "decision_reason", "address"})

_NAME_ASCII = re.compile(r"[A-Za-z.,'-]+(?: [A-Za-z.,'-]+)*")
_NAME_PUNCT = frozenset(".,'- \u2019")  # ’ is the apostrophe phones and word processors type
_ORG_PUNCT = frozenset(".,'- \u2019/&()\"")
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ASCII_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGITS16 = re.compile(r"[0-9]{16}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SPACES = re.compile(r"\s+")

# Field labels for messages (Indonesian, translated when shown).
_LABELS = {
    "name": "Nama",
    "consent_guardian": "Nama wali",
    "proxy_name": "Nama penerima kuasa",
    "head_name": "Nama pimpinan",
    "nik": "NIK",
    "kk_number": "Nomor KK",
    "birth_date": "Tanggal lahir",
    "sex": "Jenis kelamin",
    "amount": "Jumlah uang",
    "program": "Program",
    "data": "Isian program",
    "status": "Status",
    "to_status": "Status",
    "from_status": "Status",
    "handed_at": "Tanggal penyerahan",
    "confirmed_by": "Konfirmasi penerimaan",
    "value": "Data acuan",
    "welfare_decile": "Desil kesejahteraan",
    "decile_source": "Sumber desil",
    "decile_year": "Tahun desil",
    "verify_state": "Status verifikasi",
    "source_note": "Asal data",
}


class RuleError(UserError, ValueError):
    """A value that breaks a rule of the domain. `message` is Indonesian (through `_()`) and
    names the field; `table`, `row_id` and `field` say where, for an import's refusal."""

    def __init__(
        self, message: str, *, table: str = "", row_id: str | None = None, field: str = ""
    ):
        super().__init__(message)
        self.message = message
        self.table = table
        self.row_id = row_id
        self.field = field

    def where(self) -> str:
        """ "person 0190…, nik" — the row and field, for a refused bundle's message."""
        parts = [p for p in (self.table, self.row_id) if p]
        return " ".join(parts) + (f", {self.field}" if self.field else "")


def _label(field: str) -> str:
    label = _LABELS.get(field)
    return _(label) if label else field


def _refuse(field: str, message: str) -> RuleError:
    return RuleError(message, field=field)


# -- text and names -------------------------------------------------------------------------


def _strip_format(text: str) -> str:
    """NFC, with the invisible format characters (zero-width, soft hyphen, direction marks,
    category Cf) removed: they cannot be seen, so removing them changes nothing a person meant."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _too_long(field: str, text: str, limit: int) -> RuleError:
    return _refuse(
        field,
        _("{label} terlalu panjang: {length} karakter, paling banyak {limit}.").format(
            label=_label(field), length=len(text), limit=limit
        ),
    )


def _check_name_chars(field: str, text: str, org: bool) -> None:
    """Letters (any script) and the punctuation names use; for an organisation also digits
    and a few more signs. Control characters, emoji and other symbols are refused."""
    allowed = _ORG_PUNCT if org else _NAME_PUNCT
    letter = False
    for c in text:
        category = unicodedata.category(c)
        if category[0] == "L":
            letter = True
        elif category[0] == "M" or c in allowed or (org and category == "Nd"):
            continue
        else:
            shown = c if c.isprintable() else f"U+{ord(c):04X}"
            raise _refuse(
                field,
                _("{label} memuat tanda yang tidak dipakai dalam nama: “{char}”.").format(
                    label=_label(field), char=shown
                ),
            )
    if not letter:
        raise _refuse(field, _("{label} harus memuat huruf.").format(label=_label(field)))


def clean_name(text: str, field: str = "name", *, org: bool = False) -> str:
    """A typed name in its stored form (NFC, format characters removed, spaces collapsed), or
    RuleError naming `field`: empty, too long, or holding what no name holds."""
    if not isinstance(text, str):
        raise _refuse(field, _("{label} harus berupa teks.").format(label=_label(field)))
    cleaned = _SPACES.sub(" ", _strip_format(text)).strip()
    if not cleaned:
        raise _refuse(field, _("{label} belum diisi.").format(label=_label(field)))
    _check_name(field, cleaned, org)
    return cleaned


def _check_name(field: str, text: str, org: bool) -> None:
    limit = LIMITS["org_name" if org else "person_name"]
    if len(text) > limit:
        raise _too_long(field, text, limit)
    if not org and _NAME_ASCII.fullmatch(text):
        return
    _check_name_chars(field, text, org)


def _check_stored_name(field: str, text: str, org: bool) -> None:
    if len(text) > LIMITS["org_name" if org else "person_name"]:
        raise _too_long(field, text, LIMITS["org_name" if org else "person_name"])
    if not org and _NAME_ASCII.fullmatch(text):
        return
    if text != _SPACES.sub(" ", _strip_format(text)).strip():
        raise _refuse(
            field,
            _("{label} memuat spasi berlebih atau karakter tak terlihat.").format(
                label=_label(field)
            ),
        )
    _check_name_chars(field, text, org)


def clean_text(text: str | None, field: str, *, limit: int | None = None) -> str | None:
    """Free text (an address, a note) in its stored form: NFC, format characters removed,
    trimmed; None when empty. RuleError for control characters or text over its limit."""
    if text is None:
        return None
    if not isinstance(text, str):
        raise _refuse(field, _("{label} harus berupa teks.").format(label=_label(field)))
    cleaned = _strip_format(text).strip()
    if not cleaned:
        return None
    _check_text(field, cleaned, limit)
    return cleaned


def _text_limit(field: str) -> int:
    if field in JSON_COLUMNS:
        return LIMITS["json"]
    return LIMITS["notes"] if field in NOTES else LIMITS["text"]


def _check_text(field: str, text: str, limit: int | None = None) -> None:
    limit = limit or _text_limit(field)
    if len(text) > limit:
        raise _too_long(field, text, limit)
    control = _ASCII_CONTROL_BUT_LINES if field in _MULTILINE else _ASCII_CONTROL
    if text.isascii():
        bad = control.search(text)
        if bad is None:
            return
        shown = f"U+{ord(bad.group()):04X}"
    else:
        shown = ""
        if not unicodedata.is_normalized("NFC", text):
            shown = "NFC"
        for c in text:
            category = unicodedata.category(c)
            if category in ("Cc", "Cf", "Cs", "Co", "Cn") and not (
                c in "\n\r\t" and field in _MULTILINE
            ):
                shown = f"U+{ord(c):04X}"
                break
        if not shown:
            return
    raise _refuse(
        field,
        _("{label} memuat karakter yang tidak boleh disimpan ({char}).").format(
            label=_label(field), char=shown
        ),
    )


# -- numbers, dates -------------------------------------------------------------------------


def check_nik(nik: str, field: str = "nik", *, birth_date: date | None = None) -> Nik:
    """16 digits that can be a NIK (RuleError with the domain's message otherwise)."""
    if not isinstance(nik, str) or not _DIGITS16.fullmatch(nik):
        raise _refuse(field, _("NIK harus 16 angka tanpa spasi atau tanda lain."))
    try:
        return parse_nik(nik, birth_date=birth_date)
    except InvalidNik as exc:
        raise _refuse(field, localized(exc)) from None


def check_kk(kk: str, field: str = "kk_number") -> None:
    if not isinstance(kk, str) or not _DIGITS16.fullmatch(kk):
        raise _refuse(field, _("Nomor KK harus 16 angka tanpa spasi atau tanda lain."))
    try:
        parse_kk(kk)
    except InvalidKk as exc:
        raise _refuse(field, localized(exc)) from None


def parse_date(value: object, field: str) -> date:
    """An ISO date (yyyy-mm-dd) that exists, from 1900 on; RuleError naming `field`."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise _refuse(
            field,
            _("{label} harus tanggal berbentuk TTTT-BB-HH, bukan “{value}”.").format(
                label=_label(field), value=str(value)[:40]
            ),
        )
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise _refuse(
            field,
            _("{label} ({value}) tidak ada di kalender.").format(label=_label(field), value=value),
        ) from None
    if day < EARLIEST_BIRTH:
        raise _refuse(
            field, _("{label} tidak boleh sebelum tahun 1900.").format(label=_label(field))
        )
    return day


def check_birth_date(value: object, field: str = "birth_date", *, today: date | None = None):
    born = parse_date(value, field)
    if born > (today or date.today()):
        raise _refuse(field, _("{label} tidak boleh setelah hari ini.").format(label=_label(field)))
    return born


def check_amount(amount: object, program: str | None = None, field: str = "amount") -> None:
    """Whole rupiah above zero, within the program's `max_handover` (or the cap of all
    programs when the program is not known here). bool, float and text are refused."""
    if type(amount) is not int:
        raise _refuse(
            field,
            _("{label} harus rupiah bulat, bukan “{value}”.").format(
                label=_label(field), value=str(amount)[:40]
            ),
        )
    known, base = _programs()
    spec = known.get(program) if program else None
    cap = spec.max_handover if spec else base.MAX_HANDOVER_ANY
    if not 0 < amount <= cap:
        raise _refuse(
            field,
            _("{label} harus lebih dari 0 dan paling banyak {cap} rupiah.").format(
                label=_label(field), cap=f"{cap:,}".replace(",", ".")
            ),
        )


def check_program_data(program: object, data: object, status: object = None) -> None:
    """The program is known and its data fits the program's definition. A draft may still
    lack required fields (the form saves those); everything else must already be right."""
    known, base = _programs()
    spec = known.get(program) if isinstance(program, str) else None
    if spec is None:
        raise _refuse(
            "program",
            _("Program tidak dikenal: “{value}”.").format(value=str(program)[:40]),
        )
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            data = None
    if not isinstance(data, dict):
        raise _refuse("data", _("Isian program rusak: bukan daftar isian."))
    errors = base.validate(spec, data)
    if status == Status.DRAF:
        errors = {k: v for k, v in errors.items() if v != base.MSG_REQUIRED}
    if errors:
        name, message = next(iter(sorted(errors.items())))
        raise _refuse(
            f"data.{name}",
            _("Isian program {program}, “{field}”: {message}").format(
                program=spec.name, field=name, message=message
            ),
        )


def _check_choice(field: str, value: object, allowed: frozenset, nullable: bool) -> None:
    if value is None and nullable:
        return
    if value not in allowed:
        raise _refuse(
            field,
            _("{label} tidak dikenal: “{value}”.").format(
                label=_label(field), value=str(value)[:40]
            ),
        )


# -- whole rows -----------------------------------------------------------------------------


def _check_values(table: str, row: dict) -> None:
    """What every column of every table must be: finite numbers that fit SQLite, text without
    control characters and within its limit. The usual row (short printable ASCII text, no
    reals) is passed by a few C-level calls over all its values at once."""
    values = row.values()
    texts = [v for v in values if type(v) is str]
    joined = "".join(texts)
    longest = max(map(len, texts), default=0)
    if not (joined.isascii() and joined.isprintable() and longest <= LIMITS["text"]):
        for field, value in row.items():
            if type(value) is str and field not in BLOBS:
                _check_text(field, value)
    kinds = set(map(type, values))
    if float in kinds or int in kinds:
        for field, value in row.items():
            kind = type(value)
            if kind is float and not math.isfinite(value):
                raise _refuse(field, _("{label} bukan angka yang sah.").format(label=field))
            if kind is int and not _INT_MIN <= value <= _INT_MAX:
                raise _refuse(field, _("{label} terlalu besar.").format(label=field))


def _check_person(row: dict) -> None:
    _check_names("person", row, PERSON_NAMES, org=False)
    if "sex" in row:
        _check_choice("sex", row["sex"], SEXES, nullable=False)
    if "verify_state" in row:
        _check_choice("verify_state", row["verify_state"], VERIFY_STATES, nullable=True)
    born = None
    if row.get("birth_date") is not None:
        born = check_birth_date(row["birth_date"])
    nik = row.get("nik")
    if nik is not None:
        parsed = check_nik(nik, birth_date=born)
        # The birth date only: a sex that differs is said on the form, but is not a rule here.
        if born is not None and row.get("nik_confirmed_at") is None:
            problems = check_nik_against(parsed, birth_date=born, sex=None)
            if problems:
                # Dukcapil never changes a NIK when a birth date is corrected: a mismatch
                # checked against the KTP/KK saves with `nik_confirmed_at` set.
                raise _refuse("nik", localized(problems[0]))


def check_decile(value: object, field: str = "welfare_decile") -> None:
    """A welfare decile is a whole number 1 to 10 (the national lists' ten groups)."""
    if type(value) is not int or not 1 <= value <= 10:
        raise _refuse(
            field,
            _("Desil kesejahteraan harus angka bulat 1 sampai 10, bukan “{value}”.").format(
                value=str(value)[:20]
            ),
        )


@functools.cache
def decile_sources() -> frozenset[str]:
    """The known sources of a decile (DTSEN, DTKS, P3KE, ...), as stored."""
    return frozenset(c.value for c in _programs()[1].DECILE_SOURCES)


# The first year of a decile any list the office holds can carry (DTKS from 2000 on).
EARLIEST_DECILE_YEAR = 2000


def check_decile_year(value: object, field: str = "decile_year", *, today: date | None = None):
    """The year of the list a decile came from: a whole number from 2000 to next year (a list
    for the coming budget year is published before it starts)."""
    latest = (today or date.today()).year + 1
    if type(value) is not int or not EARLIEST_DECILE_YEAR <= value <= latest:
        raise _refuse(
            field,
            _("Tahun desil harus tahun {first} sampai {last}, bukan “{value}”.").format(
                first=EARLIEST_DECILE_YEAR, last=latest, value=str(value)[:20]
            ),
        )


def _check_decile(row: dict) -> None:
    if row.get("welfare_decile") is not None:
        check_decile(row["welfare_decile"])
    if "decile_source" in row:
        _check_choice("decile_source", row["decile_source"], decile_sources(), nullable=True)
    if row.get("decile_year") is not None:
        check_decile_year(row["decile_year"])


def _refuse_type(field: str) -> None:
    raise _refuse(field, _("{label} harus berupa teks.").format(label=_label(field)))


def _check_names(table: str, row: dict, columns: dict, org: bool) -> None:
    for field in columns.get(table, ()):
        value = row.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            _refuse_type(field)
        _check_stored_name(field, value, org)


def _check_enrolment(row: dict) -> None:
    if "status" in row:
        _check_choice("status", row["status"], STATUSES, nullable=False)
    if "program" in row or "data" in row:
        check_program_data(row.get("program"), row.get("data", "{}"), row.get("status"))
    for field in ("period_start", "period_end"):
        if row.get(field) is not None:
            parse_date(row[field], field)


def _check_handover(row: dict, program: str | None) -> None:
    if row.get("amount") is not None:
        check_amount(row["amount"], program)
    if "confirmed_by" in row:
        _check_choice("confirmed_by", row["confirmed_by"], CONFIRMATIONS, nullable=False)
    handed = row.get("handed_at")
    if handed is not None:
        parse_date(handed[:10] if isinstance(handed, str) else handed, "handed_at")
    _check_names("handover", row, PERSON_NAMES, org=False)


_REFERENCE_KEY = re.compile(r"[A-Za-z0-9_.]{1,100}")


def _finite(value) -> bool:
    """No Infinity or NaN anywhere in a decoded JSON value (json.loads reads both)."""
    if type(value) is float:
        return math.isfinite(value)
    if isinstance(value, list):
        return all(map(_finite, value))
    if isinstance(value, dict):
        return all(map(_finite, value.values()))
    return True


def _check_reference(row: dict) -> None:
    """A key of `domain.reference.DEFAULTS` holds a value of its default's shape; any other
    key (the office's budget figures, `2026.PKM.quota`) a short name and a finite value."""
    if "key" not in row or "value" not in row:
        return
    key, value = row["key"], row["value"]
    if not isinstance(key, str) or not _REFERENCE_KEY.fullmatch(key):
        raise _refuse("key", _("Kunci data acuan tidak sah: “{key}”.").format(key=str(key)[:40]))
    try:
        value = json.loads(value) if isinstance(value, str) else value
    except (ValueError, RecursionError):
        raise _refuse("value", _("Data acuan rusak: bukan JSON.")) from None
    if not _finite(value):
        raise _refuse("value", _("Data acuan “{key}” bukan angka yang sah.").format(key=key))
    if key not in DEFAULTS:
        return
    errors = validate_reference({key: value})
    if errors:
        raise _refuse(
            "value",
            _("Data acuan “{key}”: {message}").format(key=key, message=errors[key]),
        )


def clean_row(table: str, row: dict) -> dict:
    """`row` with its text as a writer of this device stores it: NFC, the invisible format
    characters (Cf) removed, and names' spaces collapsed. Only rows made here are cleaned (the
    Registry does it before `check_row`); a row arriving in a bundle is signed as it is, so it
    is checked, never rewritten. The usual all-ASCII row is returned at once."""
    texts = [v for v in row.values() if type(v) is str]
    if "".join(texts).isascii():
        return row
    names = {*PERSON_NAMES.get(table, ()), *ORG_NAMES.get(table, ())}
    out = dict(row)
    for field, value in row.items():
        if type(value) is str and field not in BLOBS and not value.isascii():
            value = _strip_format(value)
            out[field] = _SPACES.sub(" ", value).strip() if field in names else value
    return out


def check_row(table: str, row: dict, *, program: str | None = None) -> None:
    """Raise RuleError (with `table`, `row_id` and `field` set) if any value of `row` breaks
    a rule. `row` holds stored values (JSON columns as text or as lists and dicts); only the
    columns present are checked, so an update's changed columns can be checked alone, with
    the columns they are checked against. `program`: a hand-over's program, for its cap."""
    try:
        _check_values(table, row)
        if table == "person":
            _check_person(row)
        elif table == "household":
            if row.get("kk_number") is not None:
                check_kk(row["kk_number"])
            _check_decile(row)
        elif table == "enrolment":
            _check_enrolment(row)
        elif table == "enrolment_status":
            if "to_status" in row:
                _check_choice("to_status", row["to_status"], STATUSES, nullable=False)
            _check_choice("from_status", row.get("from_status"), STATUSES, nullable=True)
        elif table == "handover":
            _check_handover(row, program)
        elif table in ("institution", "grp"):
            _check_names(table, row, ORG_NAMES, org=True)
            _check_names(table, row, PERSON_NAMES, org=False)
            if table == "grp" and "program" in row and row["program"] not in _programs()[0]:
                raise _refuse(
                    "program",
                    _("Program tidak dikenal: “{value}”.").format(value=str(row["program"])[:40]),
                )
        elif table == "reference_data":
            _check_reference(row)
    except RuleError as exc:
        exc.table = table
        exc.row_id = row.get("id") if isinstance(row.get("id"), str) else None
        raise


# Columns checked together: a change of one re-checks the others with it.
RELATED = {
    "person": ("nik", "birth_date", "sex", "nik_confirmed_at"),
    "enrolment": ("program", "data", "status"),
    "handover": ("amount", "enrolment_id"),
    "reference_data": ("key", "value"),
}


def changed_columns(table: str, before: dict, changes: dict) -> dict:
    """What an update must have checked: the changed columns, and the columns checked with
    them (`RELATED`) as they will be after the update, with the row's id."""
    row = dict(changes)
    related = RELATED.get(table, ())
    if any(column in changes for column in related):
        for column in related:
            if column not in row and column in before:
                row[column] = before[column]
    row["id"] = before.get("id")
    return row


def bundle_row_problems(rows: dict, stored_program=None) -> dict[tuple[str, str], str]:
    """`check_row` for every row of a bundle (`rows` maps a table to its records, each
    {"row": ..., "ancestors": ...}): (table, row id) -> why the row breaks a rule (`refusal`),
    for every row that breaks one; both sides hold those rows back and apply the rest. A
    hand-over's program comes from an enrolment in the same bundle, else from
    `stored_program(enrolment_id)` (the receiving registry). Only the text is kept: an
    exception would keep its frames, and with them the copies a check made of a long value,
    alive until the import ends."""
    programs = {
        record["row"].get("id"): record["row"].get("program")
        for record in rows.get("enrolment", ())
    }

    def program_of(enrolment_id):
        if enrolment_id in programs:
            return programs[enrolment_id]
        return stored_program(enrolment_id) if stored_program else None

    problems: dict[tuple[str, str], str] = {}
    for table, records in rows.items():
        for record in records:
            row = record["row"]
            program = program_of(row.get("enrolment_id")) if table == "handover" else None
            try:
                check_row(table, row, program=program)
            except RuleError as exc:
                problems[(table, row.get("id"))] = refusal(exc)
    return problems


def refusal(exc: RuleError) -> str:
    """The reason a bundle is refused for `exc`, naming the row and the field."""
    return _("baris {table} {row_id}, isian {field}: {message}").format(
        table=exc.table, row_id=exc.row_id or "?", field=exc.field or "?", message=exc.message
    )
