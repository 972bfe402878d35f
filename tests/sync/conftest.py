"""Keys are made once per session (scrypt and key generation are the slow part); each test gets
fresh copies of an office database and a provisioned laptop database."""

import shutil

import pytest

from muba_desk.domain.nik import parse_nik
from muba_desk.store.db import connect
from muba_desk.store.records import add_household, add_person
from muba_desk.store.registry import Registry
from muba_desk.sync import keys
from tests.spelled import spelled

PASSPHRASE = "kantor-rahasia"
SETUP = "kode-penyiapan"
VILLAGE = "16.06.01.1009"
VILLAGE_B = "16.06.01.1010"


@pytest.fixture(scope="session", autouse=True)
def _fast_scrypt():
    # The real work factor costs seconds per unlock on this machine; the format is the same.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "SCRYPT_LOG_N", 10)
        yield


@pytest.fixture(scope="session")
def templates(tmp_path_factory, _fast_scrypt):
    """An office with laptops L07, L08 and L09 provisioned, and a second, unrelated office."""
    root = tmp_path_factory.mktemp("templates")
    office_db = root / "office.db"
    keys.create_office(office_db, PASSPHRASE)
    db = connect(office_db)
    office = keys.unlock_office(db, PASSPHRASE)
    db.close()
    laptops = {}
    # L07 and L08 serve the same village, L09 the next one.
    for code in ("L07", "L08", "L09"):
        prov = root / f"{code}.provision"
        keys.register_laptop(
            office_db,
            office,
            name=f"Laptop {code}",
            code=code,
            district_code="16.06.01",
            villages=[VILLAGE_B if code == "L09" else VILLAGE],
            out_path=prov,
            setup_passphrase=SETUP,
        )
        laptop_db = root / f"{code}.db"
        keys.apply_provisioning(laptop_db, prov, SETUP)
        laptops[code] = laptop_db
    other_db = root / "other-office.db"
    keys.create_office(other_db, PASSPHRASE)
    db = connect(other_db)
    other = keys.unlock_office(db, PASSPHRASE)
    db.close()
    return {
        "office_db": office_db,
        "office": office,
        "laptops": laptops,
        "other_db": other_db,
        "other": other,
    }


@pytest.fixture
def office_db(templates, tmp_path):
    return shutil.copy(templates["office_db"], tmp_path / "office.db")


@pytest.fixture
def office(templates):
    return templates["office"]


@pytest.fixture
def laptop_db(templates, tmp_path):
    return shutil.copy(templates["laptops"]["L07"], tmp_path / "L07.db")


@pytest.fixture
def laptop8_db(templates, tmp_path):
    return shutil.copy(templates["laptops"]["L08"], tmp_path / "L08.db")


@pytest.fixture
def laptop9_db(templates, tmp_path):
    return shutil.copy(templates["laptops"]["L09"], tmp_path / "L09.db")


@pytest.fixture
def stick(tmp_path):
    path = tmp_path / "stick"
    path.mkdir()
    return path


def add_people(
    db_path, count, *, nik_start=1606010101900001, operator="op-1", village=VILLAGE, prefix="Warga"
):
    """`count` people in households of four; returns their ids."""
    db = connect(db_path)
    try:
        reg = Registry(db, operator_id=operator)
        ids = []
        with reg.transaction():
            household = None
            for i in range(count):
                if i % 4 == 0:
                    kk = f"160601150120{i // 4 + 1:04d}"
                    household = add_household(reg, village_code=village, kk_number=kk)
                nik = str(nik_start + i)
                person = add_person(
                    reg,
                    name=spelled(f"{prefix} {i}"),
                    sex="L" if i % 2 else "P",
                    nik=nik,
                    household_id=household["id"],
                    relation="kepala" if i % 4 == 0 else "anak",
                    birth_date=parse_nik(nik).birth_date.isoformat(),
                )
                ids.append(person["id"])
        return ids
    finally:
        db.close()


def dump(db_path) -> list[str]:
    db = connect(db_path)
    try:
        return list(db.conn.iterdump())
    finally:
        db.close()


def edit(db_path, fn, operator="op-1"):
    """Run `fn(registry)` in one transaction on `db_path`, as the window would."""
    db = connect(db_path)
    try:
        reg = Registry(db, operator_id=operator)
        with reg.transaction():
            return fn(reg)
    finally:
        db.close()


def query(db_path, sql, params=()):
    db = connect(db_path)
    try:
        return db.conn.execute(sql, params).fetchall()
    finally:
        db.close()
