"""An office with PKM enrolments decided through the real doors: laptop L07 registers and
submits them (the core's operations, as the window's forms call them), its export sends them,
the office imports the bundle and decides with `operations.decide`; the SK is made and filled
with the command line. Nothing is set by hand."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from muba_desk.cli import main
from muba_desk.core import operations
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from tests.office.conftest import PASSPHRASE, field, field_template  # noqa: F401
from tests.office.helpers import person, submitted, villages
from tests.program_data import DATA

SK_NUMBER = "460/017/KPTS/DINSOS/2026"
LONG_NAME = "Prof. Dr. Hj. Siti Nurhaliza Rahmawati Kusumawati, S.H., MH."
LONG_ADDRESS = (
    "Jalan Lintas Sekayu-Betung Kilometer 12, Lorong Kenanga Indah, Dusun III Sungai Buluh "
    "Baru, Gang Masjid Al-Ikhlas No. 17"
)
FIRST_NAMES = ("Sari", "Wati", "Rina", "Dewi", "Yanti", "Nur", "Lia", "Eka", "Tuti", "Ani")
PEOPLE = 30  # enough rows, with long addresses, for several pages


@dataclass
class Decided:
    office_db: Path
    approved: list[str]  # PKM, Disetujui at the office
    rejected: str  # PKM, Ditolak
    other_program: str  # PEDAS_NIA, Disetujui
    long_name_nik: str


def _nik(i: int) -> str:
    """A woman's NIK born 05-07-1970 (day + 40), serial i + 1."""
    return f"160601450770{i + 1:04d}"


def _register(reg, codes) -> dict:
    worker = operations.Actor("op-L07")
    made: dict = {"pkm": [], "pedas": None}
    for i in range(PEOPLE + 2):
        village = codes[i % len(codes)]
        household = operations.register_household(
            reg,
            worker,
            village_code=village,
            kk_number=f"160601050770{i + 1:04d}",
            address=LONG_ADDRESS if i % 3 == 0 else f"Jalan Merdeka Lorong {FIRST_NAMES[i % 10]}",
            rt="01",
            rw="02",
        ).row
        name = LONG_NAME if i == 0 else f"{FIRST_NAMES[i % 10]} Rahayu {FIRST_NAMES[i // 10]}"
        person = operations.register_person(
            reg,
            worker,
            name=name,
            sex="P",
            nik=_nik(i),
            birth_date="1970-07-05",
            birth_place="Sekayu",
            household_id=household["id"],
            relation="kepala",
        ).row
        program = "PEDAS_NIA" if i == PEOPLE + 1 else "PKM"
        data = DATA[program]
        if program == "PKM":
            data = {**data, "amount_asked": 5_000_000, "amount_granted": 1_000_000 + 50_000 * i}
        enrolment = operations.enrol(
            reg,
            worker,
            program=program,
            data=data,
            person_id=person["id"],
            household_id=household["id"],
            village_code=village,
            submit=True,
        ).row
        if program == "PKM":
            made["pkm"].append(enrolment["id"])
        else:
            made["pedas"] = enrolment["id"]
    return made


@pytest.fixture
def decided(field, monkeypatch) -> Decided:  # noqa: F811
    monkeypatch.setenv("MUBA_DESK_PASSPHRASE", PASSPHRASE)
    db = connect(field.office_db)
    try:
        codes = villages(db)
    finally:
        db.close()
    made = field.on_laptop(lambda reg: _register(reg, codes))
    field.deliver()
    pkm, rejected = made["pkm"][:PEOPLE], made["pkm"][PEOPLE]
    clerk = operations.Actor("op-kantor", side=operations.OFFICE)
    db = connect(field.office_db)
    try:
        reg = Registry(db, operator_id="op-kantor")
        with reg.transaction():
            operations.decide(reg, clerk, [*pkm, made["pedas"]], True)
            operations.decide(reg, clerk, rejected, False, "Usaha belum berjalan")
    finally:
        db.close()
    return Decided(field.office_db, pkm, rejected, made["pedas"], _nik(0))


def sk_new(db_path, number: str = SK_NUMBER, program: str = "PKM", period: str = "2026") -> int:
    return main(
        [
            "sk",
            "new",
            "--db",
            str(db_path),
            "--number",
            number,
            "--date",
            "2026-02-02",
            "--about",
            "Penetapan Penerima Bantuan Program Keluarga Maju Tahun Anggaran 2026",
            "--program",
            program,
            "--period",
            period,
            "--signatory-name",
            "Drs. H. Ahmad Toyibir, M.Si.",
            "--signatory-title",
            "Kepala Dinas Sosial Kabupaten Musi Banyuasin",
            "--signatory-nip",
            "197001012000031001",
        ]
    )


@pytest.fixture
def with_sk(decided) -> Decided:
    """`decided` with an SK for PKM 2026 setting every approved PKM enrolment."""
    assert sk_new(decided.office_db) == 0
    add = ["sk", "add", "--db", str(decided.office_db), "--sk", SK_NUMBER, "--all-approved"]
    assert main(add) == 0
    return decided


# -- bank lists, BPJS rosters and answers (helper payouts): Bantu Umak and Pake Kelambu
# enrolments registered and submitted on L07, delivered, approved at the office.
OFFICE_OPERATOR = "op-kantor"


def nik(day: int, serial: int) -> str:
    """A NIK of Sekayu district for a man born 1970-07-`day`."""
    return f"160601{day:02d}0770{serial:04d}"


def bantu_umak(size: int, account: str | None, holder: str = "") -> dict:
    if account is None:
        return {"data": {"household_size": size, "payment_channel": "tunai"}}
    return {
        "data": {
            "household_size": size,
            "payment_channel": "bri",
            "account_number": account,
            "account_holder": holder,
        }
    }


@pytest.fixture
def db_path(field):  # noqa: F811
    return field.office_db


def office_registry(db) -> tuple[Registry, operations.Actor]:
    return Registry(db, operator_id=OFFICE_OPERATOR), operations.Actor(
        OFFICE_OPERATOR, operations.OFFICE
    )


def approve(field, ids) -> None:  # noqa: F811
    db = connect(field.office_db)
    try:
        reg, actor = office_registry(db)
        with reg.transaction():
            operations.decide(reg, actor, ids, True, "Memenuhi syarat")
    finally:
        db.close()


def register(field, people: list[tuple[str, str, int, dict]]) -> dict[str, str]:  # noqa: F811
    """(program, name, NIK day, enrolment kwargs) each, registered and submitted on the
    laptop, delivered to the office and approved there: name -> enrolment id."""

    def fill(reg):
        village = villages(reg.db)[0]
        made = {}
        for number, (program, name, day, kw) in enumerate(people, start=1):
            p = person(reg, village, name, "L", f"1970-07-{day:02d}", nik(day, number))
            extra = dict(kw)
            made[name] = submitted(reg, program, p["id"], **extra)["id"]
        return made

    made = field.on_laptop(fill)
    field.deliver()
    approve(field, list(made.values()))
    return made


@pytest.fixture
def payees(field):  # noqa: F811
    """Three Bantu Umak households paid through BRI (1, 3 and 8 people: Rp 325.000,
    650.000 and 975.000 a month) and one paid in cash."""
    return register(
        field,
        [
            ("BANTU_UMAK", "Ahmad Satu", 1, bantu_umak(1, "0012-01-000111-50-1", "Ahmad Satu")),
            ("BANTU_UMAK", "Budi Dua", 2, bantu_umak(3, "001201000222501", "Budi Dua")),
            ("BANTU_UMAK", "Candra Tiga", 3, bantu_umak(8, "001201000333501", "Siti Candra")),
            ("BANTU_UMAK", "Dedi Tunai", 4, bantu_umak(2, None)),
        ],
    )


@pytest.fixture
def workers(field):  # noqa: F811
    """Three Pake Kelambu workers, approved."""
    return register(
        field,
        [
            ("PAKE_KELAMBU", "Eko Empat", 5, {}),
            ("PAKE_KELAMBU", "Fajar Lima", 6, {}),
            ("PAKE_KELAMBU", "Gani Enam", 7, {}),
        ],
    )
