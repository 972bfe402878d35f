"""Who the demo enrols in each of the seven programs, with valid program data, the statuses
each enrolment went through, its hand-overs and its photos.

People are picked by the programs' own rules (age limits, deciles, occupations from the
reference data) with a year's margin, so they are still eligible on any day of the demo's year.
A household in Bantu Umak gets no Pedas Nia, the pair the office forbids.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from muba_desk.demo import pictures
from muba_desk.demo.names import KUBE_NAMES, person_name
from muba_desk.demo.population import Household, Institution, Person, Village, Weighted
from muba_desk.domain.ids import uuid7
from muba_desk.domain.programs.bantu_umak import monthly_amount
from muba_desk.domain.programs.pedas_nia import DEVICES
from muba_desk.domain.reference import reference_value
from muba_desk.domain.status import Status

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip

# How often each final status is drawn; the first enrolments take one of each in turn so that
# even a tiny demo shows every status.
STATUSES = Weighted(
    (
        Status.DRAF,
        Status.DIAJUKAN,
        Status.TERKIRIM,
        Status.DISETUJUI,
        Status.DITOLAK,
        Status.AKTIF,
        Status.SELESAI,
    ),
    (8, 8, 8, 12, 9, 45, 10),
)
FIRST_STATUSES = (
    Status.AKTIF,
    Status.DITOLAK,
    Status.DISETUJUI,
    Status.DRAF,
    Status.SELESAI,
    Status.DIAJUKAN,
    Status.TERKIRIM,
)
# Days between the application and today, by where it has got to.
DAYS_AGO = {
    Status.DRAF: (2, 40),
    Status.DIAJUKAN: (5, 60),
    Status.TERKIRIM: (10, 90),
    Status.DISETUJUI: (30, 120),
    Status.DITOLAK: (30, 200),
    Status.AKTIF: (90, 330),
    Status.SELESAI: (420, 580),
}
DECIDED = (Status.DISETUJUI, Status.AKTIF, Status.SELESAI)
PAID = (Status.AKTIF, Status.SELESAI)

REJECTIONS = (
    "Desil kesejahteraan tidak sesuai hasil verifikasi lapangan.",
    "Data ganda: sudah terdaftar lewat pendaftaran lain.",
    "NIK tidak ditemukan di data Disdukcapil; mohon periksa KTP.",
    "Tidak ditemukan di alamat saat verifikasi lapangan.",
    "Kuota tahun anggaran ini sudah penuh.",
)
WITHDRAWN = "Persetujuan dicabut: data ganda ditemukan di berkas laptop lain."
ENDINGS = (
    "Periode bantuan berakhir.",
    "Penerima meninggal dunia.",
    "Pindah domisili ke luar kabupaten.",
    "Keadaan ekonomi membaik, tidak lagi memenuhi syarat.",
)
APPROVED = "Memenuhi syarat menurut verifikasi lapangan."

# Kept as the person's relation to the household head; the programs ask for the relation
# between two people (an heir, a caregiver, a proxy) in their own words.
_AS_SEEN_BY_HEAD = {
    "istri": "pasangan",
    "suami": "pasangan",
    "anak": "anak",
    "cucu": "cucu",
    "orang_tua": "orang_tua",
    "mertua": "kerabat",
    "famili_lain": "kerabat",
}
_AS_SEEN_BY_SPOUSE = {"kepala": "pasangan", "anak": "anak", "cucu": "cucu", "mertua": "orang_tua"}
_AS_SEEN_BY_CHILD = {"kepala": "orang_tua", "istri": "orang_tua", "suami": "orang_tua"}

PKM_BUSINESSES = {
    "pedagang_kecil": ("warung", "olahan_pangan"),
    "ibu_rumah_tangga": ("olahan_pangan", "warung", "jasa", "kerajinan"),
    "pengrajin": ("kerajinan",),
    "wiraswasta": ("warung", "jasa", "olahan_pangan"),
    "petani": ("pertanian", "ternak"),
    "pekebun": ("perkebunan", "ternak"),
    "nelayan": ("perikanan",),
    "buruh_harian": ("jasa", "ternak", "warung"),
    "tidak_bekerja": ("warung", "olahan_pangan"),
}
PKM_PLACES = ("Rumah sendiri", "Depan rumah", "Pasar desa", "Pinggir jalan lintas")
KUBE_BUSINESSES = ("ternak", "perikanan", "olahan_pangan", "kerajinan", "warung", "pertanian")
INCOME_SOURCES = {
    "penyadap_karet": "tani_kebun",
    "pekebun": "tani_kebun",
    "petani": "tani_kebun",
    "buruh_tani": "buruh",
    "buruh_harian": "buruh",
    "nelayan": "tani_kebun",
    "pedagang_kecil": "dagang",
    "tidak_bekerja": "kiriman",
}
FOOD_PARCEL = {"name": "Paket sembako (beras 10 kg, minyak 2 L, gula 2 kg)", "quantity": 1}
MEALS = "Makanan siap santap"
BPJS_CARD = {"name": "Kartu peserta BPJS Ketenagakerjaan", "quantity": 1, "unit": "lembar"}
BERTANI_STAGES = (
    (
        "Tahap 1 (0-50 %)",
        [
            {"name": "Semen 50 kg", "quantity": 40, "unit": "sak"},
            {"name": "Seng gelombang", "quantity": 30, "unit": "lembar"},
            {"name": "Kayu dan papan", "quantity": 2, "unit": "m3"},
        ],
    ),
    (
        "Tahap 2 (50-100 %)",
        [
            {"name": "Keramik lantai", "quantity": 12, "unit": "dus"},
            {"name": "Kusen pintu dan jendela", "quantity": 3, "unit": "set"},
            {"name": "Cat tembok", "quantity": 4, "unit": "kaleng"},
        ],
    ),
)
# Demo figure only: Pedas Nia's cash is not yet in the reference data.
PEDAS_NIA_CASH = 600_000


@dataclass(slots=True, eq=False)
class Group:
    id: str
    name: str
    village: Village
    business_type: str
    bank_name: str
    bank_account: str
    members: list[tuple[Person, str]]


@dataclass(slots=True)
class Handover:
    handed_at: str
    confirmed_by: str
    amount: int | None = None
    items: list[dict] | None = None
    tranche: str | None = None
    period: str | None = None
    proxy_name: str | None = None
    proxy_relation: str | None = None


@dataclass(slots=True)
class Photo:
    kind: str
    owner_table: str  # "person" or "enrolment"
    image: bytes


@dataclass(slots=True, eq=False)
class Enrolment:
    program: str
    data: dict
    village: Village
    applied: date
    final: Status
    person: Person | None = None
    household: Household | None = None
    group: Group | None = None
    institution: Institution | None = None
    period_start: date | None = None
    period_end: date | None = None
    path: list[tuple[Status, str | None]] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)


def _month_start(d: date, months_ahead: int = 0) -> date:
    month = d.month - 1 + months_ahead
    return date(d.year + month // 12, month % 12 + 1, 1)


def _month_label(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.year}"


def _relation(of: Person, seen_by: Person) -> str:
    """How `of` relates to `seen_by`, as the programs' relation choices say it."""
    if seen_by.relation == "kepala":
        return _AS_SEEN_BY_HEAD.get(of.relation or "", "kerabat")
    if seen_by.relation in ("istri", "suami"):
        return _AS_SEEN_BY_SPOUSE.get(of.relation or "", "kerabat")
    if seen_by.relation == "anak":
        if of.relation == "anak":
            return "saudara"
        return _AS_SEEN_BY_CHILD.get(of.relation or "", "kerabat")
    return "kerabat"


class Planner:
    """Plans enrolments batch by batch; keeps the tallies that make every program appear."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        reference: Mapping[str, object],
        photo_limit: int,
    ):
        self.rng = rng
        self.today = today
        self.reference = reference
        self.tally: Counter[str] = Counter()
        self.planned = 0
        self.photos_left = photo_limit
        # A third of the photos for portraits; Bertani houses take what they need first.
        self.portraits_left = photo_limit // 3
        self.stalls_left = max(1, photo_limit // 10)
        self._portrayed: set[str] = set()
        # Limits asked for every person, looked up once.
        self.bantu_umak_decile = self.ref("BANTU_UMAK.max_decile")
        self.elderly_age = self.ref("PEDAS_NIA.min_age")
        self.alone_age = self.ref("BAKUL_NASI.min_age")
        self.pake_jobs = frozenset(self.ref("PAKE_KELAMBU.occupations"))
        self.pake_decile = self.ref("PAKE_KELAMBU.max_decile")
        self.pake_ages = (self.ref("PAKE_KELAMBU.min_age"), self.ref("PAKE_KELAMBU.max_age"))
        self.pkm_age = self.ref("PKM.min_age")

    def ref(self, key: str):
        return reference_value(self.reference, key)

    # -- choosing people ------------------------------------------------------------------
    def plan(
        self, households: list[Household], institutions: list[Institution]
    ) -> tuple[list[Group], list[Enrolment]]:
        """Groups and enrolments for one batch of households (and orphanages) of a village."""
        enrolments: list[Enrolment] = []
        for institution in institutions:
            enrolments.append(self._orphanage(institution))
        for household in households:
            enrolments.extend(self._household(household))
        groups = self._groups(households)
        enrolments.extend(self._kube(group) for group in groups)
        return groups, enrolments

    def _first(self, program: str) -> bool:
        """True while `program` has no enrolment yet: a small demo must still show it."""
        return self.tally[program] == 0

    def _household(self, household: Household) -> list[Enrolment]:
        rng = self.rng
        found: list[Enrolment] = []
        head = household.head
        size = len(household.members)
        bantu_umak = household.decile <= self.bantu_umak_decile and (
            rng.random() < 0.1 or self._first("BANTU_UMAK")
        )
        if bantu_umak:
            found.append(self._bantu_umak(household))
        if household.decile <= 3 and (rng.random() < 0.006 or self._first("BERTANI")):
            found.append(self._bertani(household))
        for person in household.members:
            if person.no_nik_reason and rng.random() < 0.5:
                continue  # half of those without papers have not come forward yet
            needy = person.age >= self.elderly_age or bool(person.disability)
            chance = 0.3 if person.disability else 0.1
            if needy and not bantu_umak and (rng.random() < chance or self._first("PEDAS_NIA")):
                found.append(self._pedas_nia(person))
            if self._pake_kelambu_fits(person) and (
                rng.random() < 0.06 or self._first("PAKE_KELAMBU")
            ):
                found.append(self._pake_kelambu(person))
            if self._pkm_fits(person) and (rng.random() < 0.012 or self._first("PKM")):
                found.append(self._pkm(person))
        # Orphanages count for Bakul Nasi too, so the elderly side keeps its own tally.
        first_alone = self.tally["BAKUL_NASI:lansia"] == 0
        if size == 1 and head.age >= self.alone_age and (rng.random() < 0.3 or first_alone):
            self.tally["BAKUL_NASI:lansia"] += 1
            found.append(self._bakul_nasi(head))
        return found

    def _pake_kelambu_fits(self, person: Person) -> bool:
        household = person.household
        low, high = self.pake_ages
        return (
            household is not None
            and household.decile <= self.pake_decile
            and low <= person.age < high
            and person.occupation in self.pake_jobs
        )

    def _pkm_fits(self, person: Person) -> bool:
        household = person.household
        return (
            household is not None
            and household.decile <= 4
            and self.pkm_age <= person.age <= 58
            and person.occupation in PKM_BUSINESSES
        )

    def _groups(self, households: list[Household]) -> list[Group]:
        """KUBE groups: adults of working age from different poor households of one village."""
        rng = self.rng
        low, high = self.ref("KUBE_UEP.min_age"), self.ref("KUBE_UEP.max_age")
        excluded = tuple(self.ref("KUBE_UEP.excluded_occupations"))
        candidates = []
        for household in households:
            if household.decile > 3:
                continue
            fit = [
                p
                for p in household.members
                if low <= p.age < high and p.occupation not in excluded and p.nik
            ]
            if fit:
                candidates.append(rng.choice(fit))
        rng.shuffle(candidates)
        smallest = self.ref("KUBE_UEP.min_members")
        largest = self.ref("KUBE_UEP.max_members")
        wanted = int(len(households) / 250 + rng.random())
        if self._first("KUBE_UEP"):
            wanted = max(wanted, 1)
        groups = []
        for _ in range(wanted):
            size = min(len(candidates), int(rng.triangular(smallest, largest, 10)))
            if size < smallest:
                break
            chosen, candidates = candidates[:size], candidates[size:]
            roles = ["ketua", "sekretaris", "bendahara"] + ["anggota"] * (size - 3)
            bank = rng.choice(("BRI", "BRI", "BRI", "Bank Sumsel Babel"))
            groups.append(
                Group(
                    id=uuid7(),
                    name=f"KUBE {rng.choice(KUBE_NAMES)}",
                    village=households[0].village,
                    business_type=rng.choice(KUBE_BUSINESSES),
                    bank_name=bank,
                    bank_account=self._digits(15),
                    members=list(zip(chosen, roles, strict=True)),
                )
            )
        return groups

    # -- statuses and dates ---------------------------------------------------------------
    def _start(self, program: str, person: Person | None, applied_after: date | None = None):
        """The final status, the application date and the status path for a new enrolment."""
        rng = self.rng
        if self.planned < len(FIRST_STATUSES):
            final = FIRST_STATUSES[self.planned]
        else:
            final = STATUSES.draw(rng)
        self.planned += 1
        self.tally[program] += 1
        low, high = DAYS_AGO[final]
        applied = self.today - timedelta(days=rng.randint(low, high))
        earliest = applied_after or (person.consent_at if person else None)
        if earliest and applied < earliest:
            applied = min(earliest, self.today)
        return final, applied, self._path(final)

    def _path(self, final: Status) -> list[tuple[Status, str | None]]:
        rng = self.rng
        sent = [(Status.DIAJUKAN, None), (Status.TERKIRIM, None)]
        if final == Status.DRAF:
            roll = rng.random()
            if roll < 0.1:
                return [(Status.DIAJUKAN, None), (Status.DRAF, "Koreksi data sebelum dikirim.")]
            if roll < 0.15:
                return [
                    *sent,
                    (Status.DITOLAK, rng.choice(REJECTIONS)),
                    (Status.DRAF, "Diperbaiki setelah ditolak; akan diajukan ulang."),
                ]
            return []
        if final == Status.DIAJUKAN:
            return sent[:1]
        if final == Status.TERKIRIM:
            return sent
        approved = [*sent, (Status.DISETUJUI, APPROVED)]
        if final == Status.DISETUJUI:
            return approved
        if final == Status.DITOLAK:
            if rng.random() < 0.15:
                return [*approved, (Status.DITOLAK, WITHDRAWN)]
            return [*sent, (Status.DITOLAK, rng.choice(REJECTIONS))]
        active = [*approved, (Status.AKTIF, None)]
        if final == Status.AKTIF:
            return active
        return [*active, (Status.SELESAI, rng.choice(ENDINGS))]

    def _enrolment(self, program: str, person: Person | None, data: dict, months: int | None):
        """A person's enrolment with its dates; `months` is the aid period's length if any."""
        final, applied, path = self._start(program, person)
        household = person.household if person else None
        start = _month_start(applied, 1)
        end = None
        if months is not None:
            end = _month_start(start, months) - timedelta(days=1)
        return Enrolment(
            program=program,
            data=data,
            village=household.village if household else person.institution.village,
            applied=applied,
            final=final,
            person=person,
            household=household,
            period_start=start,
            period_end=end,
            path=path,
        )

    def _handed_at(self, day: date) -> str:
        """A time in office hours (08:00-15:00 WIB) on `day`, stored in UTC like every stamp."""
        day = min(day, self.today)
        hour, minute = self.rng.randint(1, 8), self.rng.randrange(0, 60, 5)
        return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00.000Z"

    def _paid_days(self, start: date, count: int, step_months: int = 1) -> list[date]:
        """Up to `count` payment days, a step apart from `start`, none after today."""
        days = []
        for i in range(count):
            day = _month_start(start, i * step_months) + timedelta(days=self.rng.randint(2, 20))
            if day > self.today:
                break
            days.append(day)
        return days or [min(start + timedelta(days=3), self.today)]

    def _confirmation(self, person: Person) -> dict:
        """Signed, thumbprinted, or collected by a relative with a power of attorney."""
        rng = self.rng
        frail = person.age >= 70 or bool(person.disability)
        roll = rng.random()
        if roll < (0.2 if frail else 0.04):
            household = person.household
            others = [p for p in (household.members if household else []) if p is not person]
            adults = [p for p in others if p.age >= 17]
            if adults:
                proxy = rng.choice(adults)
                relation = _relation(proxy, person)
                return {
                    "confirmed_by": "kuasa",
                    "proxy_name": proxy.name,
                    "proxy_relation": relation,
                }
            neighbour = person_name(rng, rng.choice("LP"), rng.randint(1965, 1995), False)
            return {"confirmed_by": "kuasa", "proxy_name": neighbour, "proxy_relation": "tetangga"}
        if roll < (0.55 if person.age >= 60 else 0.15):
            return {"confirmed_by": "cap_jempol"}
        return {"confirmed_by": "tanda_tangan"}

    def _digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(self.rng.choices("0123456789", k=n - 1))

    # -- the seven programs ---------------------------------------------------------------
    def _pake_kelambu(self, person: Person) -> Enrolment:
        rng = self.rng
        heir, relation = self._heir(person)
        data = {
            "occupation": person.occupation,
            "monthly_income": rng.randrange(600_000, 2_600_000, 50_000),
            "cover": ["jkk", "jkm"],
            "heir_name": heir,
            "heir_relation": relation,
        }
        enrolment = self._enrolment("PAKE_KELAMBU", person, data, 12)
        if enrolment.final in DECIDED:
            data["bpjs_number"] = self._digits(11)
            data["cover_start"] = enrolment.period_start.isoformat()
            data["cover_end"] = enrolment.period_end.isoformat()
        if enrolment.final in PAID:
            day = enrolment.period_start + timedelta(days=rng.randint(3, 25))
            enrolment.handovers.append(
                Handover(
                    handed_at=self._handed_at(day),
                    items=[dict(BPJS_CARD)],
                    period=f"{_month_label(enrolment.period_start)} - "
                    f"{_month_label(enrolment.period_end)}",
                    **self._confirmation(person),
                )
            )
        self._portrait(enrolment)
        return enrolment

    def _heir(self, person: Person) -> tuple[str, str]:
        """The heir for Pake Kelambu: spouse, else an adult child, else another adult at home."""
        household = person.household
        others = [p for p in household.members if p is not person and p.age >= 17]
        order = {"pasangan": 0, "anak": 1, "orang_tua": 2, "saudara": 3}
        ranked = sorted(others, key=lambda p: order.get(_relation(p, person), 9))
        if ranked:
            return ranked[0].name, _relation(ranked[0], person)
        name = person_name(self.rng, self.rng.choice("LP"), person.birth.year, False)
        return name, "saudara"

    def _bantu_umak(self, household: Household) -> Enrolment:
        rng = self.rng
        head = household.head
        size = len(household.members)
        channel = rng.choices(("bri", "bsb", "tunai"), (70, 5, 25))[0]
        data = {
            "decile_source": household.decile_source,
            "household_size": size,
            "monthly_spending": size * rng.randrange(350_000, 650_000, 25_000),
            "income_source": INCOME_SOURCES.get(head.occupation or "", "lainnya"),
            "payment_channel": channel,
        }
        if channel != "tunai":
            data["account_number"] = self._digits(15)
            data["account_holder"] = head.name
        enrolment = self._enrolment("BANTU_UMAK", head, data, 12)
        if enrolment.final in PAID:
            _, amount = monthly_amount(size, self.reference)
            count = rng.randint(1, 3) if enrolment.final == Status.AKTIF else rng.randint(3, 6)
            for i, day in enumerate(self._paid_days(enrolment.period_start, count), start=1):
                enrolment.handovers.append(
                    Handover(
                        handed_at=self._handed_at(day),
                        amount=amount,
                        tranche=f"Tahap {i}",
                        period=_month_label(day),
                        **self._confirmation(head),
                    )
                )
        self._portrait(enrolment)
        return enrolment

    def _pedas_nia(self, person: Person) -> Enrolment:
        rng = self.rng
        data: dict = {}
        devices: list[str] = []
        if person.disability:
            data["disability_types"] = list(person.disability)
            data["severity"] = rng.choice(("ringan", "sedang", "berat"))
            kind = person.disability[0]
            devices = {
                "fisik": [rng.choice(("kursi_roda", "kruk", "tongkat", "walker"))],
                "sensorik_netra": ["tongkat_netra"],
                "sensorik_rungu": ["alat_bantu_dengar"],
                "ganda": ["kursi_roda"],
            }.get(kind, [])
        elif rng.random() < 0.3:
            devices = [rng.choice(("tongkat", "walker", "kacamata"))]
        if devices:
            data["assistive_devices"] = devices
        household = person.household
        carers = [p for p in household.members if p is not person and 17 <= p.age < 70]
        if carers:
            carer = rng.choice(carers)
            data["caregiver_name"] = carer.name
            data["caregiver_relation"] = _relation(carer, person)
        data["lives_alone"] = len(household.members) == 1
        data["aid_form"] = "barang" if devices else rng.choice(("tunai", "barang", "tunai_barang"))
        enrolment = self._enrolment("PEDAS_NIA", person, data, 12)
        if enrolment.final in PAID:
            labels = {c.value: c.label_id for c in DEVICES}
            goods = [{"name": labels[d], "quantity": 1, "unit": "unit"} for d in devices]
            count = 1 if enrolment.final == Status.AKTIF else 2
            for i, day in enumerate(self._paid_days(enrolment.period_start, count, 6), 1):
                # Devices come once; food and cash come every half year.
                items = [*(goods if i == 1 else []), dict(FOOD_PARCEL, unit="paket")]
                cash = data["aid_form"] in ("tunai", "tunai_barang")
                enrolment.handovers.append(
                    Handover(
                        handed_at=self._handed_at(day),
                        amount=PEDAS_NIA_CASH if cash else None,
                        items=items if data["aid_form"] != "tunai" else None,
                        tranche=f"Tahap {i}",
                        **self._confirmation(person),
                    )
                )
        self._portrait(enrolment)
        return enrolment

    def _bertani(self, household: Household) -> Enrolment:
        rng = self.rng
        head = household.head
        occupants = len(household.members)
        fragile_wall = rng.random() < 0.6
        data = {
            "roof_material": rng.choice(("seng", "rumbia_daun", "terpal_plastik", "asbes")),
            "roof_condition": rng.choice(("rusak_sedang", "rusak_berat")),
            "wall_material": rng.choice(("bambu", "triplek") if fragile_wall else ("papan_kayu",)),
            "wall_condition": rng.choice(("rusak_sedang", "rusak_berat")),
            "floor_material": rng.choice(("tanah", "papan_kayu", "bambu")),
            "floor_condition": rng.choice(("rusak_ringan", "rusak_sedang", "rusak_berat")),
            "floor_area": round(max(9.0, occupants * rng.uniform(4.0, 7.0)), 1),
            "occupants": occupants,
            "water_source": rng.choice(("sumur_gali", "sungai", "air_hujan", "sumur_bor")),
            "toilet": rng.choice(("tidak_ada", "bersama", "umum", "tidak_ada")),
            "lighting": rng.choice(("pln_menumpang", "pln_meter", "pelita", "non_pln")),
            "land_evidence": rng.choice(("shm", "ajb", "girik_sporadik", "sk_desa")),
            "land_disputed": False,
            "had_housing_aid": False,
            "gps_lat": household.lat,
            "gps_lon": household.lon,
            "budget": int(self.ref("BERTANI.budget_per_house")),
        }
        gap = int(self.ref("BERTANI.aid_gap_years"))
        if rng.random() < 0.15:
            data["had_housing_aid"] = True
            data["housing_aid_year"] = self.today.year - rng.randint(gap + 2, gap + 15)
        enrolment = self._enrolment("BERTANI", head, data, None)
        stage = None
        if enrolment.final == Status.DISETUJUI:
            stage = "0"
        elif enrolment.final == Status.AKTIF:
            stage = rng.choice(("50", "100"))
        elif enrolment.final == Status.SELESAI:
            stage = "100"
        start = enrolment.period_start
        if stage is not None:
            data["progress"] = stage
        if stage in ("50", "100"):
            data["work_start"] = start.isoformat()
        if stage == "100":
            finished = max(start, min(start + timedelta(days=rng.randint(45, 90)), self.today))
            data["work_end"] = finished.isoformat()
        stages_paid = {"50": 1, "100": 2}.get(stage or "", 0)
        for i in range(stages_paid):
            label, items = BERTANI_STAGES[i]
            day = start + timedelta(days=3 + 45 * i)
            enrolment.handovers.append(
                Handover(
                    handed_at=self._handed_at(day),
                    amount=data["budget"] // 2,
                    items=[dict(item) for item in items],
                    tranche=label,
                    **self._confirmation(head),
                )
            )
        self._house_photos(enrolment, stage)
        return enrolment

    def _house_photos(self, enrolment: Enrolment, stage: str | None) -> None:
        kinds = ["house_before"]
        if stage == "50":
            kinds.append("house_during")
        elif stage == "100":
            kinds.append("house_after")
        if len(kinds) > self.photos_left:
            return
        household = enrolment.household
        start = enrolment.period_start
        days = {
            "house_before": enrolment.applied,
            "house_during": start + timedelta(days=30),
            "house_after": start + timedelta(days=90),
        }
        for kind in kinds:
            day = min(days[kind], self.today)
            caption = f"{household.head.name}, {household.village.name}, {day:%d/%m/%Y}"
            taken = datetime(day.year, day.month, day.day, self.rng.randint(8, 15), 0)
            # Taken from the same spot each time, as the Bertani file asks.
            image = pictures.house(self.rng, kind, caption, taken, (household.lat, household.lon))
            enrolment.photos.append(Photo(kind, "enrolment", image))
            self.photos_left -= 1

    def _bakul_nasi(self, person: Person) -> Enrolment:
        rng = self.rng
        weekly = rng.random() < 0.3
        data = {
            "meals_per_day": rng.choice((2, 3)),
            "delivery_period": "mingguan" if weekly else "bulanan",
            "days_per_period": 7 if weekly else rng.choice((26, 30)),
            "lives_alone": True,
            "neglected": rng.random() < 0.2,
        }
        enrolment = self._enrolment("BAKUL_NASI", person, data, 6)
        self._deliveries(enrolment, data, 1, self._confirmation(person))
        self._portrait(enrolment)
        return enrolment

    def _orphanage(self, institution: Institution) -> Enrolment:
        final, applied, path = self._start("BAKUL_NASI", None, institution.registered)
        data = {
            "meals_per_day": 3,
            "delivery_period": "bulanan",
            "days_per_period": 30,
            "children": [child.id for child in institution.children],
        }
        start = _month_start(applied, 1)
        enrolment = Enrolment(
            program="BAKUL_NASI",
            data=data,
            village=institution.village,
            applied=applied,
            final=final,
            institution=institution,
            period_start=start,
            period_end=_month_start(start, 12) - timedelta(days=1),
            path=path,
        )
        signed = {"confirmed_by": "tanda_tangan"}  # by the head of the orphanage
        self._deliveries(enrolment, data, len(institution.children), signed)
        return enrolment

    def _deliveries(self, enrolment: Enrolment, data: dict, eaters: int, confirm: dict) -> None:
        if enrolment.final not in PAID:
            return
        count = self.rng.randint(1, 3) if enrolment.final == Status.AKTIF else 4
        for day in self._paid_days(enrolment.period_start, count):
            portions = data["meals_per_day"] * data["days_per_period"] * eaters
            period = _month_label(day)
            if data["delivery_period"] == "mingguan":
                period = f"Minggu ke-{(day.day - 1) // 7 + 1} {period}"
            enrolment.handovers.append(
                Handover(
                    handed_at=self._handed_at(day),
                    items=[{"name": MEALS, "quantity": portions, "unit": "porsi"}],
                    period=period,
                    **confirm,
                )
            )

    def _kube(self, group: Group) -> Enrolment:
        rng = self.rng
        final, applied, path = self._start("KUBE_UEP", None)
        grant = min(int(self.ref("KUBE_UEP.max_grant")), rng.choice((10, 15, 20)) * 1_000_000)
        bank = "bri" if group.bank_name == "BRI" else "bsb"
        data = {
            "group_name": group.name,
            "members": [{"person_id": p.id, "role": role} for p, role in group.members],
            "business_type": group.business_type,
            "business_description": f"Usaha bersama anggota {group.name} di {group.village.name}.",
            "grant_amount": grant,
            "bank": bank,
            "account_number": group.bank_account,
            "formed_on": (applied - timedelta(days=rng.randint(10, 60))).isoformat(),
        }
        enrolment = Enrolment(
            program="KUBE_UEP",
            data=data,
            village=group.village,
            applied=applied,
            final=final,
            group=group,
            period_start=_month_start(applied, 1),
            path=path,
        )
        if final in PAID:
            day = enrolment.period_start + timedelta(days=rng.randint(3, 20))
            enrolment.handovers.append(
                Handover(
                    handed_at=self._handed_at(day),
                    amount=grant,
                    tranche="Sekaligus",
                    confirmed_by="tanda_tangan",  # by the chair and the treasurer
                )
            )
        return enrolment

    def _pkm(self, person: Person) -> Enrolment:
        rng = self.rng
        limit = int(self.ref("PKM.max_grant"))
        asked = rng.randrange(1_000_000, 7_500_001, 250_000)
        data = {
            "business_type": rng.choice(PKM_BUSINESSES[person.occupation]),
            "business_stage": rng.choice(("rintisan", "berjalan")),
            "business_place": f"{rng.choice(PKM_PLACES)}, {person.household.address}",
            "current_capital": rng.randrange(0, 3_000_001, 100_000),
            "amount_asked": asked,
            "payment_channel": rng.choice(("bri", "tunai", "bsb")),
            "trainings": sorted(
                rng.sample(("kewirausahaan", "pembukuan", "pemasaran_digital"), rng.randint(0, 2))
            ),
        }
        enrolment = self._enrolment("PKM", person, data, None)
        if enrolment.final in DECIDED:
            data["amount_granted"] = min(asked, limit, rng.choice((asked, 2_500_000, 3_000_000)))
        if enrolment.final in PAID:
            day = enrolment.period_start + timedelta(days=rng.randint(3, 20))
            enrolment.handovers.append(
                Handover(
                    handed_at=self._handed_at(day),
                    amount=data["amount_granted"],
                    tranche="Sekaligus",
                    **self._confirmation(person),
                )
            )
            if self.stalls_left and self.photos_left:
                self.stalls_left -= 1
                self.photos_left -= 1
                taken = datetime(day.year, day.month, day.day, 10, 0)
                caption = f"{person.name} - {data['business_place']}"
                household = person.household
                image = pictures.stall(rng, caption, taken, (household.lat, household.lon))
                enrolment.photos.append(Photo("business", "enrolment", image))
        return enrolment

    def _portrait(self, enrolment: Enrolment) -> None:
        person = enrolment.person
        if not (self.portraits_left and self.photos_left) or enrolment.final not in DECIDED:
            return
        if person.id in self._portrayed:
            return
        self._portrayed.add(person.id)
        self.portraits_left -= 1
        self.photos_left -= 1
        day = enrolment.applied
        taken = datetime(day.year, day.month, day.day, 9, 30)
        image = pictures.portrait(self.rng, person.name, person.sex, taken)
        enrolment.photos.append(Photo("portrait", "person", image))
