"""A registry with someone suited to each of the seven programs, for the enrolment tests."""

from __future__ import annotations

from pathlib import Path

from muba_desk.store import records
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry

SEKAYU = "16.06.01.1009"
OPERATOR = "op-rina"
PHOTOS = Path(__file__).resolve().parents[1] / "data" / "photos"


def _household(reg, kk: str, decile: int | None = 1, **fields) -> dict:
    return records.add_household(
        reg, village_code=SEKAYU, kk_number=kk, welfare_decile=decile, **fields
    )


def _person(reg, household: dict | None, name: str, sex: str, nik: str, born: str, **fields):
    return records.add_person(
        reg,
        household_id=household["id"] if household else None,
        name=name,
        sex=sex,
        nik=nik,
        birth_date=born,
        **fields,
    )


def fill(reg: Registry) -> dict[str, str]:
    """Ids by role: siti (worker, decile 1), sarni (76, alone), budi (40, no disability),
    rahmat (Bertani house), yanti (PKM), kube0..kube5 (six households), panti and its children."""
    ids: dict[str, str] = {}
    with reg.transaction():
        operator = {"id": OPERATOR, "username": "rina", "full_name": "Rina Operator"}
        reg.conn.execute(
            "INSERT INTO operator (id, username, full_name, role, created_at) "
            "VALUES (?, ?, ?, 'operator', '2026-01-01')",
            (operator["id"], operator["username"], operator["full_name"]),
        )
        home = _household(reg, "1606011201100003", address="Jl. Merdeka 12")
        siti = _person(
            reg, home, "Siti Aminah", "P", "1606014506780001", "1978-06-05",
            relation="kepala", occupation="penyadap_karet",
        )  # fmt: skip
        _person(reg, home, "Ahmad Amin", "L", "1606010101050002", "2005-01-01", relation="anak")
        ids.update(siti=siti["id"], siti_household=home["id"])
        alone = _household(reg, "1606011201100004")
        sarni = _person(
            reg, alone, "Sarni binti Ali", "P", "1606014102500001", "1950-02-01",
            relation="kepala", disability=["fisik"],
        )  # fmt: skip
        ids["sarni"] = sarni["id"]
        other = _household(reg, "1606011201100005", decile=4)
        budi = _person(
            reg, other, "Budi Santoso", "L", "1606010303860001", "1986-03-03", relation="kepala"
        )
        ids["budi"] = budi["id"]
        house = _household(reg, "1606011201100006")
        rahmat = _person(
            reg, house, "Rahmat Hidayat", "L", "1606011505700001", "1970-05-15", relation="kepala"
        )
        ids.update(rahmat=rahmat["id"], rahmat_household=house["id"])
        shop = _household(reg, "1606011201100007")
        yanti = _person(
            reg, shop, "Yanti Lestari", "P", "1606015208950001", "1995-08-12", relation="kepala"
        )
        ids["yanti"] = yanti["id"]
        for i, name in enumerate(("Joko", "Sri", "Agus", "Wati", "Hendra", "Lina")):
            kube_home = _household(reg, f"16060112011001{i:02d}")
            person = _person(
                reg, kube_home, f"{name} Kube", "L" if i % 2 == 0 else "P",
                f"16060101018{i}0001", f"198{i}-01-01", relation="kepala",
                occupation="petani",
            )  # fmt: skip
            ids[f"kube{i}"] = person["id"]
        panti = records.add_institution(
            reg,
            name="Panti Asuhan Al-Ikhlas",
            kind="panti_asuhan",
            village_code=SEKAYU,
            licence_no="460/123/DINSOS/2024",
        )
        ids["panti"] = panti["id"]
        for i, (name, born) in enumerate(
            (("Dimas Anak", "2014-04-04"), ("Rara Anak", "2016-06-06"))
        ):
            child = records.add_person(
                reg,
                institution_id=panti["id"],
                name=name,
                sex="L" if i == 0 else "P",
                birth_date=born,
                no_nik_reason="Anak panti, belum punya NIK",
            )
            ids[f"child{i}"] = child["id"]
    return ids


def make(path: Path) -> dict[str, str]:
    db = connect(path)
    try:
        return fill(Registry(db, operator_id=OPERATOR))
    finally:
        db.close()
