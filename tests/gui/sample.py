"""A small hand-made registry for the window tests: known names, one enrolment with a hand-over."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from muba_desk.store import records
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from tests.spelled import spelled

SEKAYU = "16.06.01.1009"
SITI_NIK = "1606014506780001"
FILLER_NAMES = ("Budi", "Dewi", "Rahmat", "Yanti", "Joko", "Sri", "Agus", "Wati", "Hendra", "Lina")


def _thumbnail() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (96, 128), (180, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def fill(reg: Registry, *, filler: int = 40) -> dict[str, str]:
    """Siti Aminah (enrolled in Bantu Umak, Aktif, one hand-over) and her household, plus
    `filler` other people, in one transaction. Returns the ids tests look up."""
    with reg.transaction():
        household = records.add_household(
            reg, village_code=SEKAYU, kk_number="1606011201100003", address="Jl. Merdeka 12"
        )
        siti = records.add_person(
            reg,
            household_id=household["id"],
            name="Siti Aminah",
            sex="P",
            nik=SITI_NIK,
            birth_place="Sekayu",
            birth_date="1978-06-05",
            relation="kepala",
            occupation="penyadap_karet",
            consent_by="sendiri",
            consent_at="2026-01-10",
        )
        records.add_person(
            reg,
            household_id=household["id"],
            name="Ahmad Amin",
            sex="L",
            relation="anak",
            nik="1606010101050002",
            birth_date="2005-01-01",
        )
        enrolment = records.enrol(
            reg,
            program="BANTU_UMAK",
            person_id=siti["id"],
            household_id=household["id"],
            village_code=SEKAYU,
            period_start="2026-01-01",
            period_end="2026-12-31",
            data={
                "decile_source": "dtsen",
                "household_size": 2,
                "payment_channel": "bri",
                "account_number": "012301000123456",
                "account_holder": "Siti Aminah",
            },
        )
        for status in ("DIAJUKAN", "TERKIRIM", "DISETUJUI", "AKTIF"):
            records.set_status(reg, enrolment["id"], status)
        records.record_handover(
            reg,
            enrolment_id=enrolment["id"],
            handed_at="2026-02-01",
            confirmed_by="cap_jempol",
            amount=650_000,
            tranche="Januari",
        )
        portrait = reg.insert(
            "photo",
            {
                "sha256": "0" * 64,
                "jpeg": _thumbnail(),
                "thumbnail": _thumbnail(),
                "width": 96,
                "height": 128,
                "kind": "portrait",
                "owner_table": "person",
                "owner_id": siti["id"],
            },
        )
        reg.update("person", siti["id"], {"photo_id": portrait["id"]})
        for i in range(filler):
            home = records.add_household(
                reg, village_code="16.06.01.1010", kk_number=f"160601010190{i + 1:04d}"
            )
            records.add_person(
                reg,
                household_id=home["id"],
                name=f"{FILLER_NAMES[i % len(FILLER_NAMES)]} Warga {spelled(i)}",
                sex="L" if i % 2 else "P",
                nik=f"16060101019{i + 1:05d}",
                relation="kepala",
            )
    return {"household": household["id"], "siti": siti["id"], "enrolment": enrolment["id"]}


def make_registry(path: Path, *, filler: int = 40) -> dict[str, str]:
    db = connect(path)
    try:
        return fill(Registry(db, operator_id="op-test"), filler=filler)
    finally:
        db.close()
