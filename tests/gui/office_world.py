"""An office and its laptops for the office-desk and sync-page tests, built as
tests/sync/conftest.py does (keys once per session at a low scrypt work factor)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from muba_desk.core import operations
from muba_desk.domain.nik import parse_nik
from muba_desk.store.db import connect
from muba_desk.store.records import add_household, add_person, enrol
from muba_desk.store.registry import Registry
from muba_desk.sync import keys
from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import import_bundle
from tests.program_data import DATA

PASSPHRASE = "kantor-rahasia"
SETUP = "kode-penyiapan"
VILLAGE = "16.06.01.1009"


@pytest.fixture(scope="session")
def _fast_sync_keys():
    # The real work factor costs seconds per unlock; the format is the same.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "SCRYPT_LOG_N", 10)
        yield


@pytest.fixture(scope="session")
def world_templates(tmp_path_factory, _fast_sync_keys):
    """office.db with laptops L07 and L08 (same village) provisioned as L07.db and L08.db."""
    root = tmp_path_factory.mktemp("office-world")
    office_db = root / "office.db"
    keys.create_office(office_db, PASSPHRASE)
    office = unlock(office_db)
    laptops = {}
    for code in ("L07", "L08"):
        prov = root / f"{code}.provision"
        keys.register_laptop(
            office_db,
            office,
            name=f"Laptop {code}",
            code=code,
            district_code="16.06.01",
            villages=[VILLAGE],
            out_path=prov,
            setup_passphrase=SETUP,
        )
        keys.apply_provisioning(root / f"{code}.db", prov, SETUP)
        laptops[code] = root / f"{code}.db"
    return {"office_db": office_db, "office": office, "laptops": laptops}


@pytest.fixture
def world(world_templates, tmp_path, _fast_sync_keys):
    """Fresh copies: {"office_db", "office", "L07", "L08", "stick"}."""
    stick = tmp_path / "stick"
    stick.mkdir()
    out = {"office": world_templates["office"], "stick": stick}
    out["office_db"] = Path(shutil.copy(world_templates["office_db"], tmp_path / "office.db"))
    for code, path in world_templates["laptops"].items():
        out[code] = Path(shutil.copy(path, tmp_path / f"{code}.db"))
    return out


def unlock(office_db: Path) -> keys.OfficeKeys:
    db = connect(office_db)
    try:
        return keys.unlock_office(db, PASSPHRASE)
    finally:
        db.close()


def edit(db_path: Path, fn, operator: str = "op-1"):
    """Run `fn(registry)` in one transaction on `db_path`."""
    db = connect(db_path)
    try:
        reg = Registry(db, operator_id=operator)
        with reg.transaction():
            return fn(reg)
    finally:
        db.close()


def query(db_path: Path, sql: str, params=()) -> list:
    db = connect(db_path)
    try:
        return db.conn.execute(sql, params).fetchall()
    finally:
        db.close()


def add_people(db_path: Path, names: list[str], nik_start: int = 1606010101900001) -> list[str]:
    """One household in VILLAGE with these people; returns their ids."""

    def fill(reg):
        kk = f"160601150120{nik_start // 10_000 % 9999 + 1:04d}"
        household = add_household(reg, village_code=VILLAGE, kk_number=kk)
        ids = []
        for i, name in enumerate(names):
            nik = str(nik_start + i)
            person = add_person(
                reg,
                name=name,
                sex="L" if i % 2 else "P",
                nik=nik,
                household_id=household["id"],
                relation="kepala" if i == 0 else "anak",
                birth_date=parse_nik(nik).birth_date.isoformat(),  # as the NIK says
            )
            ids.append(person["id"])
        return ids

    return edit(db_path, fill)


def send_enrolments(db_path: Path, person_ids: list[str], program: str = "PEDAS_NIA") -> list[str]:
    """Enrol and submit each person (Diajukan); the next export (`deliver`) makes them Terkirim."""

    def fill(reg):
        out = []
        for pid in person_ids:
            e = enrol(reg, program=program, data=DATA.get(program, {}), person_id=pid)
            # The worker submits, as the window's Ajukan does; the export then sends it.
            operations.submit(reg, operations.Actor(reg.operator_id), e["id"])
            out.append(e["id"])
        return out

    return edit(db_path, fill)


def deliver(world: dict, code: str) -> None:
    """Export `code`'s changes and import them at the office, without the window."""
    path = export_bundle(world[code], world["stick"])
    import_bundle(world["office_db"], path, office=world["office"])
