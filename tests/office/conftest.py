"""An office and one provisioned laptop (L07), made once per session; each test that asks for
`field` gets fresh copies. Enrolments reach the office the way they do in the field: the laptop
submits, its export sends (Terkirim), the office imports."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from muba_desk.sync import keys
from muba_desk.sync.export import export_bundle
from muba_desk.sync.importer import import_bundle
from tests.office.helpers import villages

PASSPHRASE = "kantor-rahasia-uji"
SETUP = "kode-penyiapan-uji"


@pytest.fixture(scope="session")
def field_template(tmp_path_factory):
    root = tmp_path_factory.mktemp("office-field")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "SCRYPT_LOG_N", 10)
        office_db = root / "office.db"
        keys.create_office(office_db, PASSPHRASE)
        db = connect(office_db)
        try:
            office = keys.unlock_office(db, PASSPHRASE)
            codes = villages(db)
            district = db.conn.execute(
                "SELECT district_code FROM area_village WHERE code = ?", (codes[0],)
            ).fetchone()[0]
        finally:
            db.close()
        provision = root / "L07.provision"
        keys.register_laptop(
            office_db,
            office,
            name="Laptop L07",
            code="L07",
            district_code=district,
            villages=codes,
            out_path=provision,
            setup_passphrase=SETUP,
        )
        laptop_db = root / "L07.db"
        keys.apply_provisioning(laptop_db, provision, SETUP)
    return office_db, laptop_db, office


@dataclass
class Field:
    office_db: Path
    laptop_db: Path
    office: object
    stick: Path

    def on_laptop(self, fn, operator: str = "op-L07"):
        """`fn(registry)` in one transaction on the laptop, as its window would run it."""
        db = connect(self.laptop_db)
        try:
            reg = Registry(db, operator_id=operator)
            with reg.transaction():
                return fn(reg)
        finally:
            db.close()

    def deliver(self) -> None:
        """The laptop exports, the office imports the bundle."""
        report = import_bundle(
            self.office_db, export_bundle(self.laptop_db, self.stick), office=self.office
        )
        assert report.status == "diimpor", report.summary()


@pytest.fixture
def field(field_template, tmp_path) -> Field:
    office_db, laptop_db, office = field_template
    stick = tmp_path / "stick"
    stick.mkdir()
    return Field(
        office_db=Path(shutil.copy(office_db, tmp_path / "office.db")),
        laptop_db=Path(shutil.copy(laptop_db, tmp_path / "L07.db")),
        office=office,
        stick=stick,
    )
