"""Made-up households and people of Musi Banyuasin: families, ages, work, NIK and KK numbers.

Everything here is drawn from one `random.Random`, in a fixed order, so the same seed gives the
same people. Ages are counted on 1 January of the demo's year (`Population.anchor`): everyone is
born on or before it, and a rule's age limit checked any day of that year sees at most one more
birthday than the generator planned for.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from muba_desk.demo.names import (
    JAVANESE_BIRTH_PLACES,
    MUBA_BIRTH_PLACES,
    ORPHANAGE_NAMES,
    STREETS,
    person_name,
    respell,
)
from muba_desk.domain.areas import areas
from muba_desk.domain.ids import uuid7


class Weighted:
    """Values with weights, drawn with one `random()` each: the cumulative sums are made once,
    which matters when a quarter of a million people draw their jobs."""

    __slots__ = ("values", "_cumulative", "_total")

    def __init__(self, values: Sequence, weights: Sequence[float]):
        self.values = tuple(values)
        self._cumulative = list(accumulate(weights))
        self._total = self._cumulative[-1]

    def draw(self, rng: random.Random):
        return self.values[bisect(self._cumulative, rng.random() * self._total)]


def _table(text: str) -> Weighted:
    """Weighted choices written as "value weight, value weight": compact and easy to adjust."""
    pairs = [entry.split() for entry in text.split(",")]
    return Weighted([value for value, _ in pairs], [float(weight) for _, weight in pairs])


# Rough centres of the 15 districts (lat, lon); villages scatter around them. Muba spans about
# lat -1.6 to -3.2 and lon 103.2 to 104.7.
DISTRICT_CENTRES: dict[str, tuple[float, float]] = {
    "16.06.01": (-2.88, 103.85),  # Sekayu
    "16.06.02": (-2.62, 104.05),  # Lais
    "16.06.03": (-3.00, 103.62),  # Sungai Keruh
    "16.06.04": (-2.50, 103.45),  # Batang Hari Leko
    "16.06.05": (-2.90, 103.48),  # Sanga Desa
    "16.06.06": (-2.70, 103.58),  # Babat Toman
    "16.06.07": (-2.60, 104.17),  # Sungai Lilin
    "16.06.08": (-2.42, 104.05),  # Keluang
    "16.06.09": (-2.05, 103.68),  # Bayung Lencir
    "16.06.10": (-2.82, 103.66),  # Plakat Tinggi
    "16.06.11": (-2.30, 104.38),  # Lalan
    "16.06.12": (-2.25, 103.88),  # Tungkal Jaya
    "16.06.13": (-2.95, 103.97),  # Lawang Wetan
    "16.06.14": (-2.72, 104.27),  # Babat Supat
    "16.06.15": (-2.95, 103.30),  # Jirak Jaya
}
LAT_RANGE = (-3.2, -1.6)
LON_RANGE = (103.2, 104.7)

# Share of families of Javanese descent: the transmigration districts of the 1980s-90s.
JAVANESE_SHARE = {
    "16.06.07": 0.55,
    "16.06.08": 0.6,
    "16.06.09": 0.45,
    "16.06.11": 0.5,
    "16.06.12": 0.6,
    "16.06.14": 0.4,
}
DEFAULT_JAVANESE_SHARE = 0.08
# Districts on the Musi and Lalan rivers, where fishing is a living.
RIVER_DISTRICTS = frozenset(
    {"16.06.01", "16.06.02", "16.06.05", "16.06.06", "16.06.11", "16.06.13"}
)

# A small demo fills villages of about this size; from about 60,000 people every village of the
# regency is used and they grow instead.
PEOPLE_PER_VILLAGE = 250

# Household sizes 1-10: mean about 3.1 people, as the brief for Muba's registry asks.
SIZES = Weighted(range(1, 11), (15, 24, 25, 20, 9, 4, 1.5, 0.7, 0.5, 0.3))
DECILES = Weighted(range(1, 11), (30, 27, 20, 13, 5, 2.5, 1.2, 0.7, 0.4, 0.2))
DECILE_SOURCES = Weighted(("dtsen", "dtks", "p3ke", "musdes"), (70, 15, 10, 5))

ADULT_OCCUPATIONS = {
    "L": _table(
        "penyadap_karet 25, pekebun 14, petani 10, buruh_tani 12, buruh_harian 10, "
        "nelayan 2, pedagang_kecil 7, ojek 3, wiraswasta 4, karyawan_swasta 4, "
        "pekerja_keagamaan 1.5, pengrajin 1, pns 1.5, tni_polri 0.5, tidak_bekerja 1.5"
    ),
    "P": _table(
        "ibu_rumah_tangga 50, penyadap_karet 10, buruh_tani 8, pedagang_kecil 10, "
        "petani 5, pekebun 3, pengrajin 2, buruh_harian 3, pekerja_keagamaan 2, pns 1.5, "
        "wiraswasta 3, karyawan_swasta 2, tidak_bekerja 1.5"
    ),
}
ELDERLY_OCCUPATIONS = _table(
    "tidak_bekerja 50, petani 12, penyadap_karet 10, pekebun 8, pedagang_kecil 6, "
    "pekerja_keagamaan 4, pensiunan 5, ibu_rumah_tangga 5"
)
DISABILITIES = _table(
    "fisik 40, sensorik_netra 15, sensorik_rungu 12, intelektual 10, mental 10, "
    "sensorik_wicara 5, ganda 8"
)
PHONE_PREFIXES = (
    "0812", "0813", "0821", "0822", "0852", "0853", "0856", "0857", "0877", "0878", "0831",
    "0838", "0895", "0896",
)  # fmt: skip
NO_NIK_ELDERLY = "Lansia terlantar, tidak punya dokumen kependudukan."
NO_NIK_BABY = "Belum punya akta kelahiran dan belum masuk KK; sedang diurus ke Disdukcapil."
NO_NIK_ADULT = "KTP dan KK hilang terbakar; sedang diurus ke Disdukcapil."
NO_NIK_ORPHAN = "Anak terlantar, orang tua tidak diketahui; belum punya dokumen."
ROMAN = ("I", "II", "III", "IV", "V", "VI")


@dataclass(slots=True)
class Village:
    code: str  # dotted, "16.06.01.2003"
    name: str
    district: str  # dotted, "16.06.01"
    lat: float
    lon: float
    kelurahan: bool
    javanese_share: float
    dusun_count: int
    rt_per_dusun: int
    district_digits: str = ""  # "160601", as NIK and KK numbers carry it
    birth_place: str = ""  # what locals born here write on their KTP
    people: int = 0  # quota of people to make here

    def __post_init__(self) -> None:
        self.district_digits = self.district.replace(".", "")
        self.birth_place = "Sekayu" if self.kelurahan else self.name.title()


@dataclass(slots=True, eq=False)
class Person:
    id: str
    name: str
    sex: str
    birth: date
    age: int  # completed years on the anchor day
    relation: str | None
    occupation: str | None
    disability: list[str]
    birth_place: str
    nik: str | None = None
    no_nik_reason: str | None = None
    phone: str | None = None
    consent_by: str | None = None
    consent_guardian: str | None = None
    consent_at: date | None = None
    household: Household | None = None
    institution: Institution | None = None
    duplicate_of: Person | None = None


@dataclass(slots=True, eq=False)
class Household:
    id: str
    village: Village
    kk: str
    address: str
    rt: str
    rw: str
    lat: float
    lon: float
    decile: int
    decile_source: str
    registered: date
    members: list[Person] = field(default_factory=list)

    @property
    def head(self) -> Person:
        return self.members[0]


@dataclass(slots=True, eq=False)
class Institution:
    id: str
    name: str
    village: Village
    address: str
    head_name: str
    licence_no: str
    phone: str
    registered: date
    children: list[Person] = field(default_factory=list)


class NumberBook:
    """Hands out NIK and KK serials: unique per district and date, as Disdukcapil numbers them."""

    def __init__(
        self,
        taken_nik: Iterable[tuple[str, int]] = (),
        taken_kk: Iterable[tuple[str, int]] = (),
    ):
        # Start after numbers already in the file, so a second demo in one file stays unique.
        self._nik: dict[str, int] = dict(taken_nik)
        self._kk: dict[str, int] = dict(taken_kk)

    @staticmethod
    def _next(counters: dict[str, int], prefix: str) -> str:
        serial = counters.get(prefix, 0) + 1
        counters[prefix] = serial
        return f"{prefix}{serial:04d}"

    def nik(self, district_digits: str, birth: date, sex: str) -> str:
        day = birth.day + (40 if sex == "P" else 0)
        return self._next(
            self._nik, f"{district_digits}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        )

    def kk(self, district_digits: str, issued: date) -> str:
        prefix = f"{district_digits}{issued.day:02d}{issued.month:02d}{issued.year % 100:02d}"
        return self._next(self._kk, prefix)


class Population:
    """Villages to fill and the households, people and orphanages in them, in seed order."""

    def __init__(self, rng: random.Random, people: int, today: date, book: NumberBook):
        self.rng = rng
        self.today = today
        self.anchor = date(today.year, 1, 1)
        self.book = book
        self.villages = self._pick_villages(people)
        # Elderly people living alone, per village: some turn up again in a child's household,
        # typed by another clerk (the office's duplicate finder should catch them).
        self._alone: dict[str, list[Person]] = {}

    # -- villages -------------------------------------------------------------------------
    def _pick_villages(self, people: int) -> list[Village]:
        rng = self.rng
        every = areas().villages()
        count = min(len(every), math.ceil(people / PEOPLE_PER_VILLAGE))
        chosen = sorted(rng.sample(every, count), key=lambda v: v.code)
        villages = []
        for v in chosen:
            c_lat, c_lon = DISTRICT_CENTRES.get(v.district_code, (-2.7, 103.9))
            villages.append(
                Village(
                    code=v.code,
                    name=v.name,
                    district=v.district_code,
                    lat=_clamp(rng.gauss(c_lat, 0.06), *LAT_RANGE),
                    lon=_clamp(rng.gauss(c_lon, 0.06), *LON_RANGE),
                    kelurahan=v.is_kelurahan,
                    javanese_share=JAVANESE_SHARE.get(v.district_code, DEFAULT_JAVANESE_SHARE),
                    dusun_count=rng.randint(2, 6),
                    rt_per_dusun=rng.randint(2, 4),
                )
            )
        # Towns (kelurahan) are bigger than villages; the rest vary by a factor of about three.
        weights = [rng.uniform(0.6, 1.8) * (2 if v.kelurahan else 1) for v in villages]
        total = sum(weights)
        left = people
        for village, weight in zip(villages, weights, strict=True):
            village.people = min(left, round(people * weight / total))
            left -= village.people
        villages[-1].people += left
        return villages

    # -- dates ----------------------------------------------------------------------------
    def birth_for_age(self, age: int) -> date:
        """A birth date giving exactly `age` completed years on the anchor day."""
        start = date(self.anchor.year - age - 1, 1, 2)
        return start + timedelta(days=self.rng.randrange(365))

    def _between(self, low: date, high: date) -> date:
        if high <= low:
            return low
        return low + timedelta(days=self.rng.randrange((high - low).days + 1))

    # -- households -----------------------------------------------------------------------
    def households(self, village: Village, people: int) -> list[Household]:
        """Households of `village` holding `people` people in all (the last one may be cut)."""
        rng = self.rng
        made: list[Household] = []
        left = people
        while left > 0:
            size = min(left, SIZES.draw(rng))
            made.append(self.household(village, size))
            left -= size
        return made

    def household(self, village: Village, size: int) -> Household:
        rng = self.rng
        javanese = rng.random() < village.javanese_share
        dusun = rng.randint(1, village.dusun_count)
        rt = (dusun - 1) * village.rt_per_dusun + rng.randint(1, village.rt_per_dusun)
        household = Household(
            id=uuid7(),
            village=village,
            kk="",
            address=self._address(village, dusun),
            rt=f"{rt:03d}",
            rw=f"{dusun:03d}",
            lat=round(_clamp(rng.gauss(village.lat, 0.012), *LAT_RANGE), 6),
            lon=round(_clamp(rng.gauss(village.lon, 0.012), *LON_RANGE), 6),
            decile=DECILES.draw(rng),
            decile_source=DECILE_SOURCES.draw(rng),
            # Registered in the office's big data drive, 20-30 months before today.
            registered=self.today - timedelta(days=rng.randint(600, 900)),
        )
        for relation, sex, age in self._family(size, village):
            person = self._person(village, relation, sex, age, javanese)
            person.household = household
            household.members.append(person)
        self._finish(household)
        return household

    def _address(self, village: Village, dusun: int) -> str:
        rng = self.rng
        if village.kelurahan:
            return f"{rng.choice(STREETS)} No. {rng.randint(1, 120)}"
        if rng.random() < 0.7:
            return f"Dusun {ROMAN[dusun - 1]}"
        return f"{rng.choice(STREETS)}, Dusun {ROMAN[dusun - 1]}"

    def _family(self, size: int, village: Village) -> list[tuple[str, str, int]]:
        """(relation, sex, age) of each member, the head first, ages consistent with relations."""
        rng = self.rng
        if size == 1:
            if rng.random() < 0.45:  # widows and widowers living alone
                return [("kepala", "P" if rng.random() < 0.65 else "L", rng.randint(61, 88))]
            return [("kepala", "L" if rng.random() < 0.7 else "P", rng.randint(20, 59))]
        head_age = int(rng.triangular(22, 78, 38))
        if size >= 5:
            head_age = max(head_age, rng.randint(32, 48))
        if rng.random() < 0.88:
            female_head = rng.random() < 0.03
            head_sex = "P" if female_head else "L"
            gap = rng.randint(-2, 8)  # husbands are mostly a few years older
            spouse_age = max(18, head_age + gap if female_head else head_age - gap)
            spouse = ("suami", "L", spouse_age) if female_head else ("istri", "P", spouse_age)
            members = [("kepala", head_sex, head_age), spouse]
            mother_age = head_age if female_head else spouse_age
        else:
            head_sex = "P" if rng.random() < 0.75 else "L"
            members = [("kepala", head_sex, head_age)]
            mother_age = head_age if head_sex == "P" else max(18, head_age - rng.randint(0, 6))
        room = size - len(members)
        if room and head_age <= 58 and rng.random() < 0.12:
            parent_age = head_age + rng.randint(22, 34)
            if parent_age <= 95:
                relation = "orang_tua" if rng.random() < 0.6 else "mertua"
                members.append((relation, "P" if rng.random() < 0.7 else "L", parent_age))
                room -= 1
        if room >= 2 and head_age >= 50 and rng.random() < 0.35:
            grandchildren = rng.randint(1, min(3, room - 1))
            for _ in range(grandchildren):
                members.append(("cucu", rng.choice("LP"), rng.randint(0, min(15, head_age - 38))))
            room -= grandchildren
        # Children born while their mother was 18 to 44, at least a year apart.
        low, high = max(0, mother_age - 44), mother_age - 18
        children = min(room, max(0, high - low + 1))
        for age in sorted(rng.sample(range(low, high + 1), children), reverse=True):
            members.append(("anak", rng.choice("LP"), age))
        for _ in range(room - children):
            members.append(("famili_lain", rng.choice("LP"), rng.randint(8, 40)))
        return members

    def _person(self, village: Village, relation: str, sex: str, age: int, javanese: bool):
        rng = self.rng
        if relation in ("orang_tua", "mertua"):
            twin = self._reuse_alone(village, relation, sex, age)
            if twin is not None:
                return twin
        birth = self.birth_for_age(age)
        if javanese and age >= 35:
            place = rng.choice(JAVANESE_BIRTH_PLACES)
        elif rng.random() < 0.75:
            place = village.birth_place
        else:
            place = rng.choice(MUBA_BIRTH_PLACES)
        person = Person(
            id=uuid7(),
            name=person_name(rng, sex, birth.year, javanese),
            sex=sex,
            birth=birth,
            age=age,
            relation=relation,
            occupation=self._occupation(sex, age, village),
            disability=self._disability(age),
            birth_place=place,
        )
        if relation == "kepala" and age >= 61 and rng.random() < 0.05:
            person.no_nik_reason = NO_NIK_ELDERLY
        elif age <= 4 and rng.random() < 0.01:
            person.no_nik_reason = NO_NIK_BABY
        elif rng.random() < 0.001:
            person.no_nik_reason = NO_NIK_ADULT
        else:
            person.nik = self.book.nik(village.district_digits, birth, sex)
        if 18 <= age <= 70 and rng.random() < (0.6 if relation in ("kepala", "istri") else 0.35):
            person.phone = rng.choice(PHONE_PREFIXES) + "".join(
                rng.choices("0123456789", k=rng.randint(7, 8))
            )
        return person

    def _reuse_alone(self, village: Village, relation: str, sex: str, age: int) -> Person | None:
        """Now and then an elderly parent already registered alone turns up again here."""
        alone = self._alone.get(village.code)
        if not alone or self.rng.random() >= 0.1:
            return None
        for i, original in enumerate(alone):
            if original.sex == sex and abs(original.age - age) <= 6:
                del alone[i]
                return Person(
                    id=uuid7(),
                    name=respell(original.name, self.rng),
                    sex=sex,
                    birth=original.birth,
                    age=original.age,
                    relation=relation,
                    occupation=original.occupation,
                    disability=list(original.disability),
                    birth_place=original.birth_place,
                    nik=original.nik,
                    duplicate_of=original,
                )
        return None

    def _occupation(self, sex: str, age: int, village: Village) -> str:
        rng = self.rng
        if age < 6:
            return "tidak_bekerja"
        if age < 18:
            return "pelajar" if age < 16 or rng.random() < 0.8 else "buruh_harian"
        if age < 23 and rng.random() < 0.3:
            return "pelajar"
        if age >= 65:
            return ELDERLY_OCCUPATIONS.draw(rng)
        job = ADULT_OCCUPATIONS[sex].draw(rng)
        river = village.district in RIVER_DISTRICTS and job in ("petani", "buruh_tani")
        if river and rng.random() < 0.4:
            return "nelayan"
        return job

    def _disability(self, age: int) -> list[str]:
        rng = self.rng
        chance = 0.014 if age < 18 else 0.026 if age < 60 else 0.1
        if rng.random() >= chance:
            return []
        return [DISABILITIES.draw(rng)]

    def _finish(self, household: Household) -> None:
        """KK number and consent: what needs every member known."""
        rng = self.rng
        head = household.head
        youngest = max(p.birth for p in household.members)
        issued = self._between(max(youngest, date(2008, 1, 1)), self.anchor)
        household.kk = self.book.kk(household.village.district_digits, issued)
        adults = [p for p in household.members if p.age >= 17]
        for person in household.members:
            capable = person.age >= 17 and not {"intelektual", "mental"} & set(person.disability)
            if capable:
                person.consent_by = "sendiri"
            else:
                person.consent_by = "wali"
                guardians = [p for p in adults if p is not person]
                person.consent_guardian = guardians[0].name if guardians else "Ketua RT setempat"
            # A baby born after the visit was added (and consented for) when the KK changed.
            after_birth = person.birth + timedelta(days=rng.randint(14, 90))
            person.consent_at = min(max(household.registered, after_birth), self.today)
        if len(household.members) == 1 and head.age >= 61 and head.nik:
            self._alone.setdefault(household.village.code, []).append(head)

    # -- orphanages -----------------------------------------------------------------------
    def orphanage(self, village: Village, children: int, number: int) -> Institution:
        rng = self.rng
        registered = self.today - timedelta(days=rng.randint(600, 900))
        head_sex = rng.choice("LP")
        institution = Institution(
            id=uuid7(),
            name=ORPHANAGE_NAMES[number % len(ORPHANAGE_NAMES)],
            village=village,
            address=self._address(village, rng.randint(1, village.dusun_count)),
            head_name=person_name(rng, head_sex, rng.randint(1960, 1985), False),
            licence_no=f"460/{rng.randint(10, 999):03d}/SK/DINSOS/{rng.randint(2012, 2022)}",
            phone=rng.choice(PHONE_PREFIXES) + "".join(rng.choices("0123456789", k=8)),
            registered=registered,
        )
        for _ in range(children):
            sex = rng.choice("LP")
            age = rng.randint(4, 16)
            birth = self.birth_for_age(age)
            child = Person(
                id=uuid7(),
                name=person_name(rng, sex, birth.year, rng.random() < village.javanese_share),
                sex=sex,
                birth=birth,
                age=age,
                relation=None,
                occupation="pelajar" if age >= 6 else "tidak_bekerja",
                disability=self._disability(age),
                birth_place=rng.choice(MUBA_BIRTH_PLACES),
                consent_by="wali",
                consent_guardian=institution.head_name,
                consent_at=registered,
                institution=institution,
            )
            if rng.random() < 0.3:
                child.no_nik_reason = NO_NIK_ORPHAN
            else:
                child.nik = self.book.nik(village.district_digits, birth, sex)
            institution.children.append(child)
        return institution


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))
