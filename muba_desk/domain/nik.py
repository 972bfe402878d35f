"""Checks of NIK and KK numbers as typed on a form, with messages in Indonesian."""

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


class InvalidNik(UserError, ValueError):
    """A NIK that cannot be right; str() is one Indonesian sentence for the person typing."""


class InvalidKk(UserError, ValueError):
    """A KK number that cannot be right; str() is one Indonesian sentence."""


@dataclass(frozen=True)
class Nik:
    number: str
    district_code: str
    birth_date: date
    sex: str  # "L" or "P"
    serial: str
    warnings: tuple[str, ...] = ()

    @property
    def masked(self) -> str:
        """The NIK for printed cards: the birth date (and so the sex) hidden, same length."""
        return f"{self.district_code}{'*' * 6}{self.serial}"


@dataclass(frozen=True)
class Kk:
    number: str
    district_code: str
    warnings: tuple[str, ...] = ()


def _fmt(d: date | tuple[int, int, int]) -> str:
    if isinstance(d, date):
        return d.strftime("%d/%m/%Y")
    year, month, day = d
    return f"{day:02d}/{month:02d}/{year:04d}"


def _digits(text: str, label: str, error: type[ValueError]) -> str:
    """The 16 digits of `text`, allowing the spaces, dots and dashes people type between groups."""
    if text and _SIXTEEN.fullmatch(text):
        return text  # as stored: every stored NIK and KK is checked on each write
    stripped = (text or "").translate(_SEPARATORS)
    if not stripped:
        raise error(f"{label} belum diisi: ketik 16 angka.")
    odd = next((c for c in stripped if not ("0" <= c <= "9")), None)
    if odd is not None:
        raise error(f'{label} hanya boleh berisi angka, tetapi yang diketik memuat "{odd}".')
    if len(stripped) != 16:
        raise error(f"{label} harus 16 angka, yang diketik {len(stripped)} angka.")
    return stripped


def _region(
    digits: str, label: str, error: type[ValueError], known_districts: Container[str] | None
) -> tuple[str, ...]:
    """Raise for an unknown province; return a warning for an unknown district."""
    if known_districts is None:
        return _region_of_country(digits[:6], label, error)
    return _region_uncached(digits, label, error, known_districts)


@functools.lru_cache(maxsize=4096)
def _region_of_country(district: str, label: str, error: type[ValueError]) -> tuple[str, ...]:
    """`_region` against the country's list, once per district code: every writer checks
    each stored NIK and KK (`muba_desk.core.rules`), a quarter of a million at a time."""
    return _region_uncached(district, label, error, None)


def _region_uncached(
    digits: str, label: str, error: type[ValueError], known_districts: Container[str] | None
) -> tuple[str, ...]:
    from muba_desk.domain.areas import areas  # loaded lazily: the tables are read on first use

    province = digits[:2]
    if province not in areas().provinces:
        raise error(f"Dua angka pertama {label} ({province}) bukan kode provinsi yang dikenal.")
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
        f"Kode kecamatan di {label} ({district}) tidak ada dalam daftar wilayah Kemendagri; "
        "periksa kembali, kecuali nomor ini dibuat sebelum pemekaran wilayah.",
    )


def _serial(digits: str, label: str, error: type[ValueError]) -> str:
    serial = digits[12:]
    if serial == "0000":
        raise error(f"Empat angka terakhir {label} (nomor urut) tidak boleh 0000.")
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


def _check_date(
    year: int, month: int, day: int, label: str, what: str, error: type[ValueError]
) -> date:
    """The date, or `error` naming what is impossible; `what` is "lahir" or "terbit"."""
    if not 1 <= month <= 12:
        raise error(f"Bulan {what} di {label} ({month:02d}) tidak mungkin: harus 01 sampai 12.")
    if day > calendar.monthrange(year, month)[1]:
        shown = _fmt((year, month, day))
        if month == 2 and day == 29:
            raise error(
                f"Tanggal {what} di {label} ({shown}) tidak ada: {year} bukan tahun kabisat."
            )
        raise error(f"Tanggal {what} di {label} ({shown}) tidak ada di kalender.")
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
    digits = _digits(text, "NIK", InvalidNik)
    warnings = _region(digits, "NIK", InvalidNik, known_districts)

    raw_day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    female = raw_day > _FEMALE_OFFSET
    day = raw_day - _FEMALE_OFFSET if female else raw_day
    if not 1 <= day <= 31:
        raise InvalidNik(
            f"Angka tanggal lahir di NIK ({raw_day:02d}) tidak mungkin: "
            "untuk laki-laki 01 sampai 31, untuk perempuan 41 sampai 71."
        )
    if birth_date is not None:
        year = _year_near(yy, birth_date.year)
    else:
        year = _year_not_after(yy, month, day, today or date.today())
    born = _check_date(year, month, day, "NIK", "lahir", InvalidNik)

    return Nik(
        number=digits,
        district_code=digits[:6],
        birth_date=born,
        sex="P" if female else "L",
        serial=_serial(digits, "NIK", InvalidNik),
        warnings=warnings,
    )


_SEX_WORDS = {"L": "laki-laki", "P": "perempuan"}


def check_nik_against(nik: Nik | str, *, birth_date: date | None, sex: str | None) -> list[str]:
    """Indonesian messages for each way the NIK disagrees with the birth date and sex typed.

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
                f"Tanggal lahir di NIK ({_fmt(shown)}) berbeda dengan tanggal lahir yang "
                f"diketik ({_fmt(birth_date)}). Periksa kembali."
            )
    if sex:  # None or "" (not chosen yet) skips the check
        typed = sex.strip().upper()
        if typed not in _SEX_WORDS:
            raise ValueError(f"jenis kelamin {sex!r}: expected 'L' or 'P'")
        if typed != nik.sex:
            messages.append(
                f"Jenis kelamin di NIK ({_SEX_WORDS[nik.sex]}) berbeda dengan jenis kelamin yang "
                f"dipilih ({_SEX_WORDS[typed]}). Periksa kembali."
            )
    return messages


def parse_kk(text: str, *, known_districts: Container[str] | None = None) -> Kk:
    """Check a typed family card (KK) number; raise InvalidKk with the first problem found."""
    label = "Nomor KK"
    digits = _digits(text, label, InvalidKk)
    warnings = _region(digits, label, InvalidKk, known_districts)
    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    if not 1 <= day <= 31:
        raise InvalidKk(f"Tanggal terbit di {label} ({day:02d}) tidak mungkin: harus 01 sampai 31.")
    # Only the leap year matters here, and 1900 + yy and 2000 + yy differ only for yy = 00.
    year = _year_not_after(yy, month, day, date.today())
    _check_date(year, month, day, label, "terbit", InvalidKk)
    _serial(digits, label, InvalidKk)
    return Kk(number=digits, district_code=digits[:6], warnings=warnings)
