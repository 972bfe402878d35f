"""An office with approved Bantu Umak and Pake Kelambu enrolments, reached the way the field
reaches it: registered and submitted on laptop L07, sent in a bundle, approved at the office
through `core.operations.decide`."""

from __future__ import annotations

import pytest

from muba_desk.core import operations
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from tests.office import conftest as office_fixtures
from tests.office.helpers import person, submitted, villages

OFFICE_OPERATOR = "op-kantor"
# The office and laptop L07 of tests/office (fixtures `field_template` and `field`).
field_template = office_fixtures.field_template
field = office_fixtures.field


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
def db_path(field):
    return field.office_db


def office_registry(db) -> tuple[Registry, operations.Actor]:
    return Registry(db, operator_id=OFFICE_OPERATOR), operations.Actor(
        OFFICE_OPERATOR, operations.OFFICE
    )


def approve(field, ids) -> None:
    db = connect(field.office_db)
    try:
        reg, actor = office_registry(db)
        with reg.transaction():
            operations.decide(reg, actor, ids, True, "Memenuhi syarat")
    finally:
        db.close()


def register(field, people: list[tuple[str, str, int, dict]]) -> dict[str, str]:
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
def payees(field):
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
def workers(field):
    """Three Pake Kelambu workers, approved."""
    return register(
        field,
        [
            ("PAKE_KELAMBU", "Eko Empat", 5, {}),
            ("PAKE_KELAMBU", "Fajar Lima", 6, {}),
            ("PAKE_KELAMBU", "Gani Enam", 7, {}),
        ],
    )
