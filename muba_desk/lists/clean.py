"""Each row of a list in the registry's terms, or the reason it cannot be: never a guess.

A value the list got wrong is not repaired: a NIK Excel cut to 15 digits, a date that can be
read two ways, a village whose name two districts share. The row carries a `Problem` naming
the column, the value as written and what to do; a refusing problem keeps the row out, a
warning lets it in. What the code does decide is written here: a NIK's separators (spaces,
dots, apostrophes, invisible characters) are dropped, `dd/mm` is read before `mm/dd`, a sex
missing from the list is read from the NIK, a numeric NIK cell is kept only when it still has
all 16 digits (one Excel never wrote: Excel keeps 15 significant digits).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from muba_desk.core import rules
from muba_desk.domain.nik import InvalidKk, InvalidNik, check_nik_against, parse_kk, parse_nik
from muba_desk.domain.programs.base import RELATIONS
from muba_desk.i18n import _
from muba_desk.lists.mapping import FIELDS, Mapping, field_labels, header_key

# The person form's code for the head (gui/person_form.HEAD); RELATIONS holds the others.
HEAD = "kepala"
# Stored (not shown through `_()`): registry data stays Indonesian whatever the screen language.
NO_NIK_REASON = "Tanpa NIK di daftar yang diimpor; minta NIK saat verifikasi lapangan."

# Excel's 1900 date system counts a 29 February 1900 that never was (serial 60): from serial 61
# (1 March 1900) on, day 0 is 30 December 1899; before it, 31 December 1899.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_LEAP_BUG = 60
_EXACT_LIMIT = 2**53  # above this a float cannot hold every integer
_SCIENTIFIC = re.compile(r"^[0-9]+(?:[.,][0-9]+)?[eE][+-]?[0-9]+$")
_DECIMAL = re.compile(r"^([0-9]+)[.,]([0-9]+)$")
_DMY = re.compile(r"^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2,4})$")
_YMD = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_WORDY = re.compile(r"^([0-9]{1,2})[ \-.]+([a-z]+)\.?[ \-.]+([0-9]{4})$")
_SERIAL_TEXT = re.compile(r"^[0-9]{4,5}$")
_DECILE_TEXT = re.compile(r"^(?:desil\s*)?([0-9]+)(?:[.,]0+)?$")
_PHONE = re.compile(r"^(\+62|62|0)\d{8,13}$")  # as the person form accepts (gui/person_form.py)

MONTHS = {
    **dict.fromkeys(("januari", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei",), 5),
    **dict.fromkeys(("juni", "jun"), 6),
    **dict.fromkeys(("juli", "jul"), 7),
    **dict.fromkeys(("agustus", "agu", "agt", "ags", "agust"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "des"), 12),
}

SEXES = {
    **dict.fromkeys(("l", "lk", "laki laki", "laki", "lakilaki", "pria", "1"), "L"),
    **dict.fromkeys(("p", "pr", "pr", "perempuan", "wanita", "2"), "P"),
}

# Relation words of P3KE, DTKS and SIAK (as `header_key` folds them) -> the form's codes.
# Numbered codes are not read: SIAK's 2 is "Suami", DTKS's 2 "Istri/Suami", 4 Anak or Menantu.
RELATION_WORDS = {
    **dict.fromkeys(
        ("kepala keluarga", "kepala", "kepala rumah tangga", "krt", "kk", "kepala ruta"), HEAD
    ),
    **dict.fromkeys(
        ("istri", "isteri", "suami", "suami istri", "istri suami", "pasangan"), "pasangan"
    ),
    **dict.fromkeys(("anak", "anak kandung", "anak tiri", "anak angkat"), "anak"),
    **dict.fromkeys(
        ("orang tua", "orangtua", "ayah", "ibu", "bapak", "orang tua mertua"), "orang_tua"
    ),
    **dict.fromkeys(("saudara", "saudara kandung", "adik", "kakak"), "saudara"),
    **dict.fromkeys(("cucu",), "cucu"),
    **dict.fromkeys(
        ("famili lain", "famili", "keluarga lain", "menantu", "mertua", "kerabat", "keponakan"),
        "kerabat",
    ),
    **dict.fromkeys(("pembantu", "pembantu ruta", "lainnya", "lain lain", "lain"), "lainnya"),
}
_RELATION_CODES = {HEAD, *(c.value for c in RELATIONS)}

DECILE_SOURCES = {
    "p3ke": "p3ke",
    "dtsen": "dtsen",
    "dtks": "dtks",
    "musdes": "musdes",
    "musyawarah desa": "musdes",
}
_VILLAGE_PREFIXES = ("desa ", "ds ", "kelurahan ", "kel ")  # as `header_key` leaves them
_DISTRICT_PREFIXES = ("kecamatan ", "kec ")


@dataclass(frozen=True)
class Problem:
    field: str
    reason: str  # Indonesian: names the column, the value as written and what to do
    refuses: bool  # True: the row is refused; False: a warning


@dataclass
class CleanRow:
    row_number: int
    cells: list
    values: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return any(p.refuses for p in self.problems)


@dataclass(frozen=True)
class Areas:
    """The registry's villages and districts, looked up by code (dotted) or folded name."""

    villages: dict[str, tuple[str, str]]  # code -> (district code, name)
    districts: dict[str, str]  # code -> name
    village_names: dict[str, tuple[str, ...]]  # folded name -> codes
    district_names: dict[str, tuple[str, ...]]  # folded name -> codes


def _place_key(text: str, prefixes: tuple[str, ...]) -> str:
    """A place name as compared: folded (`header_key`), without its prefixes ("Desa/Kel.",
    "DS.", "Kec."), without spaces: "Soak Baru", "SOAKBARU" and "Ds. Soak-baru" are one."""
    key = header_key(text)
    stripped = True
    while stripped:
        stripped = False
        for prefix in prefixes:
            if key.startswith(prefix):
                key, stripped = key[len(prefix) :], True
    return key.replace(" ", "")


def areas_from(districts, villages) -> Areas:
    """Areas from (code, name) districts and (code, district code, name) villages."""
    village_names: dict[str, list[str]] = {}
    district_names: dict[str, list[str]] = {}
    for code, _district, name in villages:
        village_names.setdefault(_place_key(name, _VILLAGE_PREFIXES), []).append(code)
    for code, name in districts:
        district_names.setdefault(_place_key(name, _DISTRICT_PREFIXES), []).append(code)
    return Areas(
        villages={code: (district, name) for code, district, name in villages},
        districts=dict(districts),
        village_names={k: tuple(v) for k, v in village_names.items()},
        district_names={k: tuple(v) for k, v in district_names.items()},
    )


def load_areas(reg) -> Areas:
    """The villages and districts of the registry `reg` (a Registry or a database)."""
    conn = getattr(reg, "conn", None) or reg.db.conn
    districts = conn.execute("SELECT code, name FROM area_district").fetchall()
    villages = conn.execute("SELECT code, district_code, name FROM area_village").fetchall()
    return areas_from(districts, villages)


class _Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _shown(value) -> str:
    """A cell as the clerk sees it in the message: numbers without ".0", dates dd/mm/yyyy."""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())[:60]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


# -- NIK and KK ---------------------------------------------------------------------------------


def _excel_damaged(column: str, value, what: str) -> _Refused:
    return _Refused(
        _(
            "Kolom “{column}”: {what} “{value}” tersimpan sebagai angka, dan Excel hanya "
            "menyimpan 15 angka pertama, jadi angka terakhirnya sudah hilang (rusak oleh Excel). "
            "Ketik ulang dari KTP/KK di sel berformat Teks, lalu impor lagi."
        ).format(column=column, what=what, value=_shown(value))
    )


def identity_digits(value, column: str, what: str) -> str | None:
    """The 16 digits of a NIK or KK cell; None for an empty cell or `0`; _Refused for a number
    Excel cut to 15 significant digits, a number in scientific form, letters or a wrong length."""
    usual = type(value) is str and len(value) == 16 and value.isdigit() and value.isascii()
    if usual and value != "0" * 16:
        return value  # the usual cell: 16 digits as text
    if _blank(value):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            raise _excel_damaged(column, value, what)
        value = int(value)
    if isinstance(value, int):
        digits = str(value)
        if value == 0:
            return None
        # A number with 16 digits whose last is not 0 was not typed into Excel (which keeps
        # 15): it is whole. One ending in 0 may have been cut; which one, no one can tell.
        if len(digits) == 16 and (digits.endswith("0") or value > _EXACT_LIMIT):
            raise _excel_damaged(column, value, what)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip()
        if _SCIENTIFIC.match(text):
            raise _excel_damaged(column, value, what)
        decimal = _DECIMAL.match(text)
        if decimal and set(decimal.group(2)) == {"0"} and len(decimal.group(1)) >= 15:
            digits = decimal.group(1)
            if len(digits) == 16 and (digits.endswith("0") or int(digits) > _EXACT_LIMIT):
                raise _excel_damaged(column, value, what)
            text = digits
        kept = []
        for c in text:
            if c.isdigit() and c.isascii():
                kept.append(c)
            elif c.isspace() or unicodedata.category(c)[0] in "PZC" or c in "'`´‘’":
                continue  # separators, apostrophes, non-breaking and invisible characters
            else:
                raise _Refused(
                    _(
                        "Kolom “{column}”: {what} “{value}” memuat “{char}”, padahal hanya boleh "
                        "angka. Periksa dari KTP/KK lalu perbaiki di berkas."
                    ).format(column=column, what=what, value=_shown(value), char=c)
                )
        digits = "".join(kept)
        if set(digits) <= {"0"}:
            return None
    if len(digits) != 16:
        raise _Refused(
            _(
                "Kolom “{column}”: {what} “{value}” berisi {count} angka, padahal harus 16. "
                "Periksa dari KTP/KK lalu perbaiki di berkas."
            ).format(column=column, what=what, value=_shown(value), count=len(digits))
        )
    return digits


# -- dates ------------------------------------------------------------------------------------


def _serial_date(serial: int, column: str, value) -> date:
    if serial == _EXCEL_LEAP_BUG:
        raise _not_a_date(column, value)
    if serial < _EXCEL_LEAP_BUG:
        return _EXCEL_EPOCH + timedelta(days=serial + 1)
    return _EXCEL_EPOCH + timedelta(days=serial)


def _not_a_date(column: str, value) -> _Refused:
    return _Refused(
        _(
            "Kolom “{column}”: “{value}” tidak dapat dibaca sebagai tanggal. Tulis tanggal/bulan/"
            "tahun, mis. 12/08/1970 atau 12 Agustus 1970."
        ).format(column=column, value=_shown(value))
    )


def _made(column: str, value, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise _Refused(
            _(
                "Kolom “{column}”: “{value}” dibaca sebagai tanggal/bulan/tahun, tetapi bulan "
                "{month} tidak ada. Jika ditulis bulan/tanggal/tahun, ubah menjadi "
                "tanggal/bulan/tahun."
            ).format(column=column, value=_shown(value), month=month)
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise _Refused(
            _(
                "Kolom “{column}”: tanggal “{value}” tidak ada di kalender. Perbaiki di berkas."
            ).format(column=column, value=_shown(value))
        ) from None


def parse_list_date(value, column: str, today: date) -> date | None:
    """A date as lists write it: a date cell, an Excel serial, dd/mm/yyyy, dd-mm-yyyy,
    yyyy-mm-dd or "12 Agustus 1970"; None when empty; _Refused otherwise."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        found = value.date()
    elif isinstance(value, date):
        found = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value <= (today - _EXCEL_EPOCH).days:
            raise _not_a_date(column, value)
        found = _serial_date(int(value), column, value)
    else:
        text = " ".join(str(value).split()).lower()
        if m := _DMY.match(text):
            day, month, year = (int(g) for g in m.groups())
            if len(m.group(3)) != 4:
                raise _Refused(
                    _(
                        "Kolom “{column}”: tahun di “{value}” hanya dua angka, jadi abadnya tidak "
                        "pasti. Tulis tahun dengan empat angka."
                    ).format(column=column, value=_shown(value))
                )
            found = _made(column, value, year, month, day)
        elif m := _YMD.match(text):
            year, month, day = (int(g) for g in m.groups())
            found = _made(column, value, year, month, day)
        elif (m := _WORDY.match(text)) and m.group(2) in MONTHS:
            found = _made(column, value, int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
        elif _SERIAL_TEXT.match(text) and 1 <= int(text) <= (today - _EXCEL_EPOCH).days:
            found = _serial_date(int(text), column, value)  # a serial saved as text in a CSV
        else:
            raise _not_a_date(column, value)
    if found < rules.EARLIEST_BIRTH or found > today:
        raise _Refused(
            _(
                "Kolom “{column}”: tanggal lahir {date} tidak mungkin (sebelum 1900 atau setelah "
                "hari ini). Perbaiki di berkas."
            ).format(column=column, date=found.strftime("%d/%m/%Y"))
        )
    return found


# -- the row ----------------------------------------------------------------------------------


class _Sheet:
    """What every row of one sheet shares: the column of each field, the columns' names for
    messages, and what a cell value already came to (most columns repeat a few values)."""

    def __init__(self, sheet, mapping: Mapping, areas: Areas, today: date):
        self.sheet, self.mapping, self.areas, self.today = sheet, mapping, areas, today
        self.index = dict(mapping.columns)
        self.defaults = dict(mapping.defaults)
        # Each field's cell is read once per row: (field, column) pairs over a row of defaults.
        self.pairs = tuple(self.index.items())
        self.blank_row = {name: self.defaults.get(name) for name in FIELDS}
        self.columns: dict[str, str] = {}
        self.cache: dict[str, dict] = {}

    def column(self, name: str) -> str:
        """The column as the file heads it (or the field's label when the mapping gives it)."""
        found = self.columns.get(name)
        if found is None:
            found = self.columns[name] = self._column(name)
        return found

    def _column(self, name: str) -> str:
        index = self.index.get(name)
        if index is not None and index < len(self.sheet.headers):
            return self.sheet.headers[index] or _("kolom {number}").format(number=index + 1)
        label = field_labels()[name]
        if name in self.defaults:
            return _("{field} (bawaan pemetaan)").format(field=label)
        return label


class _Row:
    """One row being cleaned: the cell of each field, and the problems found so far."""

    __slots__ = ("at", "out", "today", "areas", "mapping", "_raw")

    def __init__(self, at: _Sheet, cells: list, row_number: int):
        self.at, self.today, self.areas, self.mapping = at, at.today, at.areas, at.mapping
        raw = dict(at.blank_row)
        width = len(cells)
        for name, index in at.pairs:
            raw[name] = cells[index] if index < width else None
        self._raw = raw
        self.out = CleanRow(row_number=row_number, cells=cells)

    def raw(self, name: str):
        return self._raw[name]

    def column(self, name: str) -> str:
        return self.at.column(name)

    def refuse(self, name: str, reason: str) -> None:
        self.out.problems.append(Problem(name, reason, True))

    def warn(self, name: str, reason: str) -> None:
        self.out.problems.append(Problem(name, reason, False))

    def once(self, name: str, key, clean):
        """`clean(self)` for a cell whose outcome depends only on `key`: worked out once per
        sheet, its value and problems given again to every row with the same `key`."""
        cache = self.at.cache.setdefault(name, {})
        hit = cache.get(key)
        if hit is None:
            start = len(self.out.problems)
            value = clean(self)
            cache[key] = (value, tuple(self.out.problems[start:]))
            return value
        value, problems = hit
        self.out.problems.extend(problems)
        return value

    def text(self, name: str) -> str | None:
        """A free-text cell (address, RT, ...) in its stored form; the field's name is also
        the registry column whose length limit applies."""
        value = self.raw(name)
        if value is None:
            return None
        if (
            type(value) is str
            and value.isascii()
            and value.isprintable()
            and len(value) <= rules.LIMITS["text"]
            and "  " not in value
            and value.strip() == value
        ):
            return value or None  # the usual cell: nothing to clean
        if _blank(value):
            return None
        try:
            return rules.clean_text(_text(value), name)
        except rules.RuleError as exc:
            self.refuse(
                name,
                _("Kolom “{column}”: {reason}").format(
                    column=self.column(name), reason=exc.message
                ),
            )
            return None


def clean_rows(
    sheet, mapping: Mapping, *, areas: Areas, today: date | None = None
) -> Iterator[CleanRow]:
    """Each row of `sheet` cleaned by `mapping`, in file order."""
    at = _Sheet(sheet, mapping, areas, today or date.today())
    for cells, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        row = _Row(at, cells, number)
        _clean(row)
        yield row.out


def _clean(row: _Row) -> None:
    values = row.out.values
    born = row.once("birth_date", row.raw("birth_date"), _birth_date)
    values["birth_date"] = born.isoformat() if born else None
    values["sex"] = row.once("sex", row.raw("sex"), _sex)
    values["nik"], nik = _nik(row, born)
    if values["nik"] is None and not any(p.field == "nik" for p in row.out.problems if p.refuses):
        values["no_nik_reason"] = NO_NIK_REASON
    if values["sex"] is None:
        if nik is not None:
            values["sex"] = nik.sex  # the NIK says it (women's day + 40): not a guess
        elif not any(p.field in ("sex", "nik") and p.refuses for p in row.out.problems):
            row.refuse(
                "sex",
                _(
                    "Kolom “{column}”: jenis kelamin kosong dan tidak ada NIK untuk membacanya. "
                    "Isi L atau P di berkas."
                ).format(column=row.column("sex")),
            )
    values["kk_number"] = _kk(row)
    family = row.raw("family_id")
    if not _blank(family):
        values["family_key"] = "id:" + _text(family)
    elif values["kk_number"]:
        values["family_key"] = "kk:" + values["kk_number"]
    else:
        values["family_key"] = None
    values["name"] = _name(row)
    values["birth_place"] = row.once("birth_place", row.raw("birth_place"), _birth_place)
    values["relation"] = row.once("relation", row.raw("relation"), _relation)
    values["address"] = row.text("address")
    for name in ("rt", "rw", "dusun", "p3ke_id", "dtks_id"):
        values[name] = row.text(name)
    place = (row.raw("village"), row.raw("district"))
    values["village_code"] = row.once("village", place, _village)
    values["welfare_decile"] = row.once("decile", row.raw("decile"), _decile)
    values["decile_source"] = row.once("decile_source", row.raw("decile_source"), _decile_source)
    values["decile_year"] = row.once("decile_year", row.raw("decile_year"), _decile_year)
    values["phone"] = _phone(row)


def _birth_place(row: _Row) -> str | None:
    return row.text("birth_place")


def _birth_date(row: _Row) -> date | None:
    try:
        return parse_list_date(row.raw("birth_date"), row.column("birth_date"), row.today)
    except _Refused as exc:
        row.refuse("birth_date", exc.reason)
        return None


def _nik(row: _Row, born: date | None):
    column = row.column("nik")
    value = row.raw("nik")
    try:
        digits = identity_digits(value, column, "NIK")
    except _Refused as exc:
        row.refuse("nik", exc.reason)
        return None, None
    if digits is None:
        if "nik" in row.mapping.columns:
            row.warn(
                "nik",
                _(
                    "Kolom “{column}”: NIK kosong atau 0, jadi orang ini dicatat tanpa NIK "
                    "(ditandai). Minta NIK-nya saat verifikasi lapangan."
                ).format(column=column),
            )
        return None, None
    try:
        nik = parse_nik(digits, birth_date=born, today=row.today)
    except InvalidNik as exc:
        row.refuse(
            "nik",
            _("Kolom “{column}”: NIK “{value}”: {reason}").format(
                column=column, value=_shown(value), reason=str(exc)
            ),
        )
        return None, None
    for warning in nik.warnings:
        row.warn("nik", _("Kolom “{column}”: {reason}").format(column=column, reason=warning))
    dates = check_nik_against(nik, birth_date=born, sex=None) if born else []
    if dates:
        # The registry keeps a NIK whose date differs only once someone checked the KTP/KK.
        row.refuse(
            "nik",
            _(
                "Kolom “{column}”: {reason} Cocokkan dengan KTP/KK lalu perbaiki NIK atau tanggal "
                "lahir di berkas."
            ).format(column=column, reason=dates[0]),
        )
    sex = row.out.values.get("sex")
    if sex and sex != nik.sex:
        row.warn(
            "sex",
            _("Kolom “{column}”: {reason}").format(
                column=row.column("sex"),
                reason=check_nik_against(nik, birth_date=None, sex=sex)[0],
            ),
        )
    return digits, nik


def _kk(row: _Row) -> str | None:
    column = row.column("kk")
    value = row.raw("kk")
    try:
        digits = identity_digits(value, column, _("Nomor KK"))
        if digits is None:
            return None
        kk = parse_kk(digits)
    except _Refused as exc:
        row.refuse("kk", exc.reason)
        return None
    except InvalidKk as exc:
        row.refuse(
            "kk",
            _("Kolom “{column}”: Nomor KK “{value}”: {reason}").format(
                column=column, value=_shown(value), reason=str(exc)
            ),
        )
        return None
    for warning in kk.warnings:
        row.warn("kk", _("Kolom “{column}”: {reason}").format(column=column, reason=warning))
    return digits


def _name(row: _Row) -> str | None:
    value = row.raw("name")
    if _blank(value):
        row.refuse(
            "name",
            _("Kolom “{column}”: nama kosong. Isi nama lengkap di berkas.").format(
                column=row.column("name")
            ),
        )
        return None
    try:
        return rules.clean_name(_text(value))
    except rules.RuleError as exc:
        row.refuse(
            "name",
            _("Kolom “{column}”: “{value}”: {reason}").format(
                column=row.column("name"), value=_shown(value), reason=exc.message
            ),
        )
        return None


def _sex(row: _Row) -> str | None:
    value = row.raw("sex")
    if _blank(value):
        return None
    code = SEXES.get(header_key(_text(value)))
    if code is None:
        row.refuse(
            "sex",
            _(
                "Kolom “{column}”: jenis kelamin “{value}” tidak dikenali. Tulis L atau P "
                "(Laki-laki atau Perempuan)."
            ).format(column=row.column("sex"), value=_shown(value)),
        )
    return code


def _relation(row: _Row) -> str | None:
    value = row.raw("relation")
    if _blank(value):
        return None
    code = RELATION_WORDS.get(header_key(_text(value)))
    if code is None or code not in _RELATION_CODES:
        row.refuse(
            "relation",
            _(
                "Kolom “{column}”: hubungan keluarga “{value}” tidak dikenali. Tulis dengan kata, "
                "mis. Kepala Keluarga, Istri, Suami, Anak, Cucu, Orang Tua, Famili Lain."
            ).format(column=row.column("relation"), value=_shown(value)),
        )
    return code


def _district(row: _Row) -> str | None:
    areas = row.areas
    value = row.raw("district")
    if _blank(value):
        return None
    text = _text(value)
    digits = text.replace(".", "").replace(" ", "")
    if digits.isdigit() and len(digits) == 6:
        code = f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}"
        codes = (code,) if code in areas.districts else ()
    else:
        codes = areas.district_names.get(_place_key(text, _DISTRICT_PREFIXES), ())
    if len(codes) != 1:
        row.warn(
            "district",
            _(
                "Kolom “{column}”: kecamatan “{value}” tidak ada dalam daftar wilayah; desa "
                "dicocokkan tanpa kecamatan."
            ).format(column=row.column("district"), value=_shown(value)),
        )
        return None
    return codes[0]


def _village(row: _Row) -> str | None:
    areas = row.areas
    column = row.column("village")
    value = row.raw("village")
    if _blank(value):
        row.refuse(
            "village",
            _(
                "Kolom “{column}”: desa kosong. Isi nama desa atau kode desa Kemendagri di berkas."
            ).format(column=column),
        )
        return None
    district = _district(row)
    text = _text(value)
    digits = re.sub(r"[.\s]", "", text)
    if digits.isdigit():
        code = (
            f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}" if len(digits) == 10 else ""
        )
        if code not in areas.villages:
            row.refuse(
                "village",
                _(
                    "Kolom “{column}”: kode desa “{value}” tidak ada dalam daftar desa "
                    "Musi Banyuasin "
                    "(10 angka, mis. 16.06.01.2001). Periksa kodenya."
                ).format(column=column, value=_shown(value)),
            )
            return None
        codes: tuple[str, ...] = (code,)
    else:
        codes = areas.village_names.get(_place_key(text, _VILLAGE_PREFIXES), ())
        if not codes:
            row.refuse(
                "village",
                _(
                    "Kolom “{column}”: desa “{value}” tidak ada dalam daftar desa Musi Banyuasin. "
                    "Periksa ejaannya atau pakai kode desa Kemendagri."
                ).format(column=column, value=_shown(value)),
            )
            return None
    if district is not None:
        inside = tuple(c for c in codes if areas.villages[c][0] == district)
        if not inside:
            row.refuse(
                "village",
                _(
                    "Kolom “{column}”: desa “{value}” tidak ada di Kecamatan {district}. Periksa "
                    "kolom desa dan kecamatan."
                ).format(column=column, value=_shown(value), district=areas.districts[district]),
            )
            return None
        codes = inside
    if len(codes) > 1:
        where = ", ".join(sorted(areas.districts.get(areas.villages[c][0], c) for c in codes))
        row.refuse(
            "village",
            _(
                "Kolom “{column}”: desa “{value}” ada di beberapa kecamatan ({districts}). "
                "Isi kolom "
                "kecamatan atau pakai kode desa Kemendagri."
            ).format(column=column, value=_shown(value), districts=where),
        )
        return None
    return codes[0]


def _decile(row: _Row) -> int | None:
    value = row.raw("decile")
    if _blank(value):
        return None
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and (m := _DECILE_TEXT.match(value.strip().lower())):
        number = int(m.group(1))
    if number is None or not 1 <= number <= 10:
        row.refuse(
            "decile",
            _(
                "Kolom “{column}”: desil “{value}” tidak sah: desil adalah angka bulat "
                "1 sampai 10. "
                "Perbaiki di berkas atau kosongkan."
            ).format(column=row.column("decile"), value=_shown(value)),
        )
        return None
    return number


def _decile_source(row: _Row) -> str | None:
    value = row.raw("decile_source")
    if _blank(value):
        return None
    source = DECILE_SOURCES.get(header_key(_text(value)))
    if source is None or source not in rules.decile_sources():
        row.refuse(
            "decile_source",
            _(
                "Kolom “{column}”: sumber desil “{value}” tidak dikenal. "
                "Tulis P3KE, DTSEN atau DTKS."
            ).format(column=row.column("decile_source"), value=_shown(value)),
        )
        return None
    return source


def _decile_year(row: _Row) -> int | None:
    value = row.raw("decile_year")
    if _blank(value):
        return None
    text = _text(value)
    if not (text.isdigit() and 2000 <= int(text) <= row.today.year + 1):
        row.refuse(
            "decile_year",
            _(
                "Kolom “{column}”: tahun desil “{value}” tidak sah. "
                "Tulis tahun empat angka, mis. 2025."
            ).format(column=row.column("decile_year"), value=_shown(value)),
        )
        return None
    return int(text)


def _phone(row: _Row) -> str | None:
    value = row.raw("phone")
    if _blank(value):
        return None
    phone = re.sub(r"[ \-.]", "", _text(value))
    if _PHONE.match(phone):
        return phone
    row.warn(
        "phone",
        _(
            "Kolom “{column}”: nomor telepon “{value}” tidak dikenali, jadi tidak disimpan "
            "(10 sampai 15 angka diawali 0 atau +62)."
        ).format(column=row.column("phone"), value=_shown(value)),
    )
    return None
