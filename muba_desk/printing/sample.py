"""A small invented registry with one of each printed document, for tests and screenshots."""

from __future__ import annotations

from dataclasses import dataclass

from muba_desk.store import records
from muba_desk.store.registry import Registry

VILLAGE = "16.06.01.2003"


@dataclass
class Sample:
    person_id: str
    enrolment_id: str  # Bantu Umak, with a card number
    handover_cash_id: str  # Rp 1.950.000 signed by the recipient
    handover_goods_id: str  # Pedas Nia goods, thumbprint
    handover_proxy_id: str  # Rp 5.000.000, received by a proxy
    bertani_id: str
    kube_id: str  # KUBE enrolment of a group
    bakul_id: str


# The walk of an enrolment the office approved, as a return bundle brings it back to a laptop.
APPROVAL = ("DIAJUKAN", "TERKIRIM", "DISETUJUI")


def approve(reg: Registry, enrolment_id: str, *, active: bool = False) -> None:
    """Move a DRAF enrolment of a plain (unprovisioned) registry to Disetujui (and Aktif, as
    its first hand-over does): cards are printed only for approved enrolments."""
    for status in APPROVAL + (("AKTIF",) if active else ()):
        records.set_status(reg, enrolment_id, status, "Contoh: keputusan kantor.")


def _photo(source):
    """An IngestedPhoto from a path, or None when the photo module cannot take it in."""
    if source is None:
        return None
    from muba_desk.photos import ingest

    return ingest(source)


def build_sample(db, *, portrait=None, house_photos=(), operator_name="Rahmat Hidayat") -> Sample:
    """Households, people, enrolments and hand-overs in one village; photos are optional paths."""
    db.conn.execute(
        "INSERT OR IGNORE INTO operator (id, username, full_name, role, created_at) "
        "VALUES ('op-sample', 'rahmat', ?, 'operator', '2026-01-05T00:00:00Z')",
        (operator_name,),
    )
    reg = Registry(db, operator_id="op-sample")
    with reg.transaction():
        home = records.add_household(
            reg, village_code=VILLAGE, kk_number="1606012003120001", address="Jl. Lintas Desa"
        )
        siti = records.add_person(
            reg,
            name="Siti Aminah",
            sex="P",
            nik="1606014507780003",
            birth_date="1978-07-05",
            household_id=home["id"],
            relation="kepala",
        )
        photo = _photo(portrait)
        if photo is not None:
            records.add_photo(
                reg, photo, kind="portrait", owner_table="person", owner_id=siti["id"]
            )
        umak = records.enrol(
            reg,
            program="BANTU_UMAK",
            data={"decile_source": "dtsen", "household_size": 1, "payment_channel": "tunai"},
            person_id=siti["id"],
            household_id=home["id"],
            village_code=VILLAGE,
        )
        approve(reg, umak["id"], active=True)
        cash = records.record_handover(
            reg,
            enrolment_id=umak["id"],
            handed_at="2026-03-15",
            confirmed_by="tanda_tangan",
            amount=1_950_000,
            tranche="Tahap 1",
            period="Januari - Maret 2026",
        )
        proxy = records.record_handover(
            reg,
            enrolment_id=umak["id"],
            handed_at="2026-06-15",
            confirmed_by="kuasa",
            amount=5_000_000,
            tranche="Tahap 2",
            period="April - Juni 2026",
            proxy_name="Ahmad Fauzi",
            proxy_relation="anak",
        )
        other = records.add_household(reg, village_code=VILLAGE, address="Dusun II")
        darmo = records.add_person(
            reg,
            name="Darmo bin Sukiman",
            sex="L",
            nik="1606010101500007",
            birth_date="1950-01-01",
            household_id=other["id"],
            relation="kepala",
        )
        nia = records.enrol(
            reg,
            program="PEDAS_NIA",
            data={"aid_form": "tunai_barang", "lives_alone": True},
            person_id=darmo["id"],
            household_id=other["id"],
            village_code=VILLAGE,
        )
        approve(reg, nia["id"], active=True)
        goods = records.record_handover(
            reg,
            enrolment_id=nia["id"],
            handed_at="2026-04-02",
            confirmed_by="cap_jempol",
            items=[
                {"name": "Kursi roda", "quantity": 1, "unit": "unit"},
                {"name": "Beras", "quantity": 10, "unit": "kg"},
            ],
        )
        bertani = records.enrol(
            reg,
            program="BERTANI",
            data={
                "roof_material": "rumbia_daun",
                "roof_condition": "rusak_berat",
                "wall_material": "papan_kayu",
                "wall_condition": "rusak_sedang",
                "floor_material": "tanah",
                "floor_condition": "rusak_berat",
                "floor_area": 24.0,
                "occupants": 5,
                "water_source": "sungai",
                "toilet": "tidak_ada",
                "lighting": "pln_menumpang",
                "land_evidence": "sk_desa",
                "land_disputed": False,
                "had_housing_aid": False,
                "gps_lat": -2.8812,
                "gps_lon": 103.8421,
                "budget": 17_500_000,
                "progress": "100",
                "work_start": "2026-04-01",
                "work_end": "2026-06-30",
            },
            person_id=darmo["id"],
            household_id=other["id"],
            village_code=VILLAGE,
        )
        approve(reg, bertani["id"], active=True)
        for kind, source in zip(
            ("house_before", "house_during", "house_after"), house_photos, strict=False
        ):
            taken = _photo(source)
            if taken is not None:
                records.add_photo(
                    reg, taken, kind=kind, owner_table="enrolment", owner_id=bertani["id"]
                )
        members = []
        names = ["Sulaiman", "Yusuf Effendi", "Nurhayati", "Rohani", "Bambang Sutrisno"]
        for i, name in enumerate(names):
            house = records.add_household(reg, village_code=VILLAGE, address=f"RT 0{i + 1}")
            person = records.add_person(
                reg,
                name=name,
                sex="P" if name in ("Nurhayati", "Rohani") else "L",
                nik=f"16060101018{i}000{i + 1}",
                household_id=house["id"],
                relation="kepala",
                occupation="penyadap_karet",
            )
            role = ("ketua", "sekretaris", "bendahara")[i] if i < 3 else "anggota"
            members.append((person["id"], role))
        group = records.add_group(
            reg,
            name="KUBE Karya Bersama",
            program="KUBE_UEP",
            members=members,
            village_code=VILLAGE,
            business_type="ternak",
            bank_name="BRI",
            bank_account="0123-01-000456-50-7",
        )
        kube = records.enrol(
            reg,
            program="KUBE_UEP",
            data={
                "group_name": "KUBE Karya Bersama",
                "business_type": "ternak",
                "grant_amount": 20_000_000,
            },
            grp_id=group["id"],
        )
        bakul = records.enrol(
            reg,
            program="BAKUL_NASI",
            data={
                "meals_per_day": 2,
                "delivery_period": "bulanan",
                "days_per_period": 30,
                "lives_alone": True,
            },
            person_id=darmo["id"],
            household_id=other["id"],
            period_start="2026-03-01",
            period_end="2026-03-31",
        )
    return Sample(
        person_id=siti["id"],
        enrolment_id=umak["id"],
        handover_cash_id=cash["id"],
        handover_goods_id=goods["id"],
        handover_proxy_id=proxy["id"],
        bertani_id=bertani["id"],
        kube_id=kube["id"],
        bakul_id=bakul["id"],
    )
