"""Checks of NIK and KK numbers as typed on a form, with messages in Indonesian and English.

The domain cannot use `muba_desk.i18n`, so each message carries both languages, as
`status.InvalidTransition` does: `str()` is the Indonesian and `message_en` the English, which
`muba_desk.i18n.localized()` picks in English mode.
"""

from __future__ import annotations

import calendar
import contextlib
import functools
import re
from collections.abc import Container
from dataclasses import dataclass
from datetime import date

from muba_desk.domain.errors import UserError

_SIXTEEN = re.compile(r"[0-9]{16}")
_SEPARATORS = str.maketrans("", "", " .-\t")
_FEMALE_OFFSET = 40  # women's NIK carry the birth day plus 40


class Message(str):
    """One sentence for the person typing: the Indonesian itself, with `message_en`."""

    message_en: str

    def __new__(cls, message_id: str, message_en: str) -> Message:
        self = super().__new__(cls, message_id)
        self.message_en = message_en
        return self

    def __getnewargs__(self) -> tuple[str, str]:  # copy and pickle keep the English
        return (str(self), self.message_en)


class _Invalid(UserError, ValueError):
    def __init__(self, message_id: str, message_en: str = ""):
        super().__init__(message_id)
        self.message_id = message_id
        self.message_en = message_en


class InvalidNik(_Invalid):
    """A NIK that cannot be right; str() is one Indonesian sentence, `message_en` its English."""


class InvalidKk(_Invalid):
    """A KK number that cannot be right; str() is one Indonesian sentence, `message_en` too."""


# The number's name in each language: (Indonesian, English).
NIK_LABEL = ("NIK", "NIK")
KK_LABEL = ("Nomor KK", "KK number")


@dataclass(frozen=True)
class Nik:
    number: str
    district_code: str
    birth_date: date
    sex: str  # "L" or "P"
    serial: str
    warnings: tuple[Message, ...] = ()

    @property
    def masked(self) -> str:
        """The NIK for printed cards: the birth date (and so the sex) hidden, same length."""
        return f"{self.district_code}{'*' * 6}{self.serial}"


@dataclass(frozen=True)
class Kk:
    number: str
    district_code: str
    warnings: tuple[Message, ...] = ()


def _fmt(d: date | tuple[int, int, int]) -> str:
    if isinstance(d, date):
        return d.strftime("%d/%m/%Y")
    year, month, day = d
    return f"{day:02d}/{month:02d}/{year:04d}"


def _digits(text: str, label: tuple[str, str], error: type[_Invalid]) -> str:
    """The 16 digits of `text`, allowing the spaces, dots and dashes people type between groups."""
    if text and _SIXTEEN.fullmatch(text):
        return text  # as stored: every stored NIK and KK is checked on each write
    stripped = (text or "").translate(_SEPARATORS)
    name, name_en = label
    if not stripped:
        raise error(
            f"{name} belum diisi: ketik 16 angka.", f"The {name_en} is empty: type 16 digits."
        )
    odd = next((c for c in stripped if not ("0" <= c <= "9")), None)
    if odd is not None:
        raise error(
            f'{name} hanya boleh berisi angka, tetapi yang diketik memuat "{odd}".',
            f'The {name_en} may hold only digits, but what was typed contains "{odd}".',
        )
    if len(stripped) != 16:
        raise error(
            f"{name} harus 16 angka, yang diketik {len(stripped)} angka.",
            f"The {name_en} must be 16 digits, not {len(stripped)}.",
        )
    return stripped


def _region(
    digits: str,
    label: tuple[str, str],
    error: type[_Invalid],
    known_districts: Container[str] | None,
) -> tuple[Message, ...]:
    """Raise for an unknown province; return a warning for an unknown district."""
    if known_districts is None:
        return _region_of_country(digits[:6], label, error)
    return _region_uncached(digits, label, error, known_districts)


@functools.lru_cache(maxsize=4096)
def _region_of_country(
    district: str, label: tuple[str, str], error: type[_Invalid]
) -> tuple[Message, ...]:
    """`_region` against the country's list, once per district code: every writer checks
    each stored NIK and KK (`muba_desk.core.rules`), a quarter of a million at a time."""
    return _region_uncached(district, label, error, None)


def _region_uncached(
    digits: str,
    label: tuple[str, str],
    error: type[_Invalid],
    known_districts: Container[str] | None,
) -> tuple[Message, ...]:
    from muba_desk.domain.areas import areas  # loaded lazily: the tables are read on first use

    province = digits[:2]
    name, name_en = label
    if province not in areas().provinces:
        raise error(
            f"Dua angka pertama {name} ({province}) bukan kode provinsi yang dikenal.",
            f"The first two digits of the {name_en} ({province}) are not a known province code.",
        )
    district = digits[:6]
    if known_districts is None:
        known = areas().is_known_district(district)
    else:
        dotted = f"{district[0:2]}.{district[2:4]}.{district[4:6]}"
        known = district in known_districts or dotted in known_districts
    if known:
        return ()
    # Districts split and get new codes, so an old number may carry a code no longer listed.
    return (
        Message(
            f"Kode kecamatan di {name} ({district}) tidak ada dalam daftar wilayah Kemendagri; "
            "periksa kembali, kecuali nomor ini dibuat sebelum pemekaran wilayah.",
            f"The district code in the {name_en} ({district}) is not in the Ministry of Home "
            "Affairs' list of areas; check it again, unless the number is older than a split of "
            "the area.",
        ),
    )


def _serial(digits: str, label: tuple[str, str], error: type[_Invalid]) -> str:
    serial = digits[12:]
    if serial == "0000":
        raise error(
            f"Empat angka terakhir {label[0]} (nomor urut) tidak boleh 0000.",
            f"The last four digits of the {label[1]} (the serial number) cannot be 0000.",
        )
    return serial


def _year_near(yy: int, reference_year: int) -> int:
    """The year ending in `yy` closest to `reference_year`, preferring the reference's century."""
    base = reference_year - reference_year % 100 + yy
    # Arithmetic, not min() over the three candidates (each row of an imported list asks a few
    # times); a tie keeps the reference's century, as min() kept the first candidate.
    gap = base - reference_year
    if gap > 50:
        return base - 100
    if gap < -50:
        return base + 100
    return base


def _year_not_after(yy: int, month: int, day: int, today: date) -> int:
    """The most recent year ending in `yy` whose day and month are not after `today`."""
    year = today.year - today.year % 100 + yy
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year


_BIRTH = ("lahir", "birth")
_ISSUE = ("terbit", "issue")


def _check_date(
    year: int,
    month: int,
    day: int,
    label: tuple[str, str],
    what: tuple[str, str],
    error: type[_Invalid],
) -> date:
    """The date, or `error` naming what is impossible; `what` is _BIRTH or _ISSUE."""
    (name, name_en), (kind, kind_en) = label, what
    if not 1 <= month <= 12:
        raise error(
            f"Bulan {kind} di {name} ({month:02d}) tidak mungkin: harus 01 sampai 12.",
            f"The {kind_en} month in the {name_en} ({month:02d}) is impossible: 01 to 12 only.",
        )
    if day > calendar.monthrange(year, month)[1]:
        shown = _fmt((year, month, day))
        if month == 2 and day == 29:
            raise error(
                f"Tanggal {kind} di {name} ({shown}) tidak ada: {year} bukan tahun kabisat.",
                f"The {kind_en} date in the {name_en} ({shown}) does not exist: {year} is not a "
                "leap year.",
            )
        raise error(
            f"Tanggal {kind} di {name} ({shown}) tidak ada di kalender.",
            f"The {kind_en} date in the {name_en} ({shown}) is not in the calendar.",
        )
    return date(year, month, day)


def parse_nik(
    text: str,
    *,
    birth_date: date | None = None,
    today: date | None = None,
    known_districts: Container[str] | None = None,
) -> Nik:
    """Check a typed NIK and read its parts; raise InvalidNik with the first problem found.

    `birth_date` (the one typed on the form) only chooses the century; whether it agrees with
    the NIK is `check_nik_against`'s job. `known_districts` holds district codes with or without
    dots; by default the country's list.
    """
    if birth_date is not None and known_districts is None and type(text) is str:
        return _parse_nik_near(text, birth_date)
    return _parse_nik(text, birth_date, today, known_districts)


@functools.lru_cache(maxsize=8192)
def _parse_nik_near(text: str, birth_date: date) -> Nik:
    """`parse_nik` with a typed birth date and the country's districts, kept for the last few
    thousand NIKs: cleaning a row and checking it (the form's operation, then the Registry's
    rules) parse the same NIK several times, and an imported list does it for each of 100,000
    rows. A Nik is immutable; a NIK that raises is not kept, so it raises every time."""
    return _parse_nik(text, birth_date, None, None)


def _parse_nik(
    text: str,
    birth_date: date | None,
    today: date | None,
    known_districts: Container[str] | None,
) -> Nik:
    digits = _digits(text, NIK_LABEL, InvalidNik)
    warnings = _region(digits, NIK_LABEL, InvalidNik, known_districts)

    raw_day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    female = raw_day > _FEMALE_OFFSET
    day = raw_day - _FEMALE_OFFSET if female else raw_day
    if not 1 <= day <= 31:
        raise InvalidNik(
            f"Angka tanggal lahir di NIK ({raw_day:02d}) tidak mungkin: "
            "untuk laki-laki 01 sampai 31, untuk perempuan 41 sampai 71.",
            f"The birth day digits in the NIK ({raw_day:02d}) are impossible: "
            "01 to 31 for a man, 41 to 71 for a woman.",
        )
    if birth_date is not None:
        year = _year_near(yy, birth_date.year)
    else:
        year = _year_not_after(yy, month, day, today or date.today())
    born = _check_date(year, month, day, NIK_LABEL, _BIRTH, InvalidNik)

    return Nik(
        number=digits,
        district_code=digits[:6],
        birth_date=born,
        sex="P" if female else "L",
        serial=_serial(digits, NIK_LABEL, InvalidNik),
        warnings=warnings,
    )


_SEX_WORDS = {"L": "laki-laki", "P": "perempuan"}
_SEX_WORDS_EN = {"L": "male", "P": "female"}


def check_nik_against(nik: Nik | str, *, birth_date: date | None, sex: str | None) -> list[Message]:
    """A message for each way the NIK disagrees with the birth date and sex typed.

    A disagreement is nearly always a typing error, so the form shows these at once. A `nik`
    given as text is parsed first (InvalidNik propagates). `sex` is "L" or "P"; None or ""
    skips that check.
    """
    if isinstance(nik, str):
        nik = parse_nik(nik, birth_date=birth_date)
    messages: list[str] = []
    if birth_date is not None:
        shown = nik.birth_date
        # The NIK has only two year digits: show it in the century nearest the typed date.
        # (Kept as parsed when that century has no 29 February.)
        with contextlib.suppress(ValueError):
            shown = shown.replace(year=_year_near(shown.year % 100, birth_date.year))
        if shown != birth_date:
            messages.append(
                Message(
                    f"Tanggal lahir di NIK ({_fmt(shown)}) berbeda dengan tanggal lahir yang "
                    f"diketik ({_fmt(birth_date)}). Periksa kembali.",
                    f"The birth date in the NIK ({_fmt(shown)}) differs from the birth date "
                    f"typed ({_fmt(birth_date)}). Check again.",
                )
            )
    if sex:  # None or "" (not chosen yet) skips the check
        typed = sex.strip().upper()
        if typed not in _SEX_WORDS:
            raise ValueError(f"jenis kelamin {sex!r}: expected 'L' or 'P'")
        if typed != nik.sex:
            messages.append(
                Message(
                    f"Jenis kelamin di NIK ({_SEX_WORDS[nik.sex]}) berbeda dengan jenis kelamin "
                    f"yang dipilih ({_SEX_WORDS[typed]}). Periksa kembali.",
                    f"The sex in the NIK ({_SEX_WORDS_EN[nik.sex]}) differs from the sex chosen "
                    f"({_SEX_WORDS_EN[typed]}). Check again.",
                )
            )
    return messages


def parse_kk(text: str, *, known_districts: Container[str] | None = None) -> Kk:
    """Check a typed family card (KK) number; raise InvalidKk with the first problem found."""
    label = KK_LABEL
    digits = _digits(text, label, InvalidKk)
    warnings = _region(digits, label, InvalidKk, known_districts)
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if not 1 <= day <= 31:
        raise InvalidKk(
            f"Tanggal terbit di {label[0]} ({day:02d}) tidak mungkin: harus 01 sampai 31.",
            f"The issue day in the {label[1]} ({day:02d}) is impossible: 01 to 31 only.",
        )
    # Only the leap year matters here, and 1900 + yy and 2000 + yy differ only for yy = 00.
    year = _year_not_after(yy, month, day, date.today())
    _check_date(year, month, day, label, _ISSUE, InvalidKk)
    _serial(digits, label, InvalidKk)
    return Kk(number=digits, district_code=digits[:6], warnings=warnings)
