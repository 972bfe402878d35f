"""Every printed document with the longest values the rules allow, made the way the app makes
them: an office and a laptop set up from the command line; the laptop registers and submits
through `core.operations`, its bundle goes to the office, the office decides, the return bundle
brings the approvals back, and the laptop hands over aid. Nothing is set by hand.

The values: names at the rules' 100-character limit with titles, institution names at 150 (a
KUBE group's at 100, its program field's limit), a 120-character address, the amounts whose
words are the longest each program allows, 30 goods lines, a 40-member KUBE and a 60-child
orphanage."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest

from muba_desk.cli import main
from muba_desk.core import operations
from muba_desk.core.rules import LIMITS
from muba_desk.domain.money import terbilang
from muba_desk.domain.programs import PROGRAMS
from muba_desk.store import records
from muba_desk.store.db import connect
from muba_desk.store.operators import create_operator
from muba_desk.store.registry import Registry
from muba_desk.sync.commands import PASSPHRASE_ENV
from tests.program_data import DATA

OFFICE_PASSPHRASE = "kantor-dinas-sosial-muba"
SETUP_PASSPHRASE = "kode-penyiapan-laptop-muba"
VILLAGE = "16.06.01.1009"
PHOTOS = Path(__file__).parent.parent / "data" / "photos"

KUBE_NAME = 100  # the program's "group_name" field holds at most 100 characters
TITLES = ("Prof. Dr. H.", "Dr. Hj.", "Drs. H.", "Ir. H.")
DEGREES = ", S.Kom., M.Si., M.Kes."
WORDS = (
    "Muhammad", "Rizki", "Pratama", "Wijayakusuma", "Kartanegara", "Setiabudi", "Purnamasari",
    "Mangkubumi", "Hadiningrat", "Suryadiningrat", "Cokroaminoto", "Tjokrosuyoso", "Notonegoro",
    "Wiryawan",
)  # fmt: skip
FILLER = "Kusumawardhaniputri"


def long_name(n: int, limit: int = LIMITS["person_name"]) -> str:
    """A name of exactly `limit` characters: titles, words, a last word cut to fill, degrees."""
    words = WORDS[n % len(WORDS) :] + WORDS[: n % len(WORDS)]
    name = TITLES[n % len(TITLES)]
    for word in words * 3:
        if len(f"{name} {word}") + len(DEGREES) > limit - 4:
            break
        name = f"{name} {word}"
    gap = limit - len(name) - len(DEGREES)
    name = f"{name} {FILLER[: gap - 1]}{DEGREES}"
    assert len(name) == limit, name
    return name


def long_org(kind: str, limit: int = LIMITS["org_name"]) -> str:
    text = f"{kind} " + " ".join(WORDS * 3)
    return text[:limit].rstrip()


ADDRESS = (
    "Jalan Lintas Sumatera Kilometer 127 Gang Masjid Al-Ikhlas Nomor 45 Blok C, Dusun III "
    "Sungai Lilin Jaya, RT 012 RW 004 Kel"
)[:120]
assert len(ADDRESS) == 120
OFFICE_ADDRESS = (
    "Kompleks Perkantoran Pemerintah Kabupaten Musi Banyuasin, Jalan Kolonel Wahid Udin Nomor "
    "254, Kelurahan Serasan Jaya, Kecamatan Sekayu, Kabupaten Musi Banyuasin, Sumatera Selatan "
    "30711, Telepon (0714) 321456, Surel dinsos@mubakab.go.id"
)


def longest_amount(cap: int) -> int:
    """The amount up to `cap` whose words (terbilang) are the longest."""
    candidates = {cap}
    digits = len(str(cap))
    for length in range(1, digits + 1):
        for lead in range(1, 10):
            for fill in "79":
                candidates.add(int(str(lead) + fill * (length - 1)))
    fitting = [n for n in candidates if 0 < n <= cap]
    return max(fitting, key=lambda n: (len(terbilang(n)), n))


def nik(born: str, serial: int, woman: bool = False) -> str:
    year, month, day = born.split("-")
    return f"160601{int(day) + (40 if woman else 0):02d}{month}{year[2:]}{serial:04d}"


def goods(count: int) -> list[dict]:
    names = (
        "Kursi roda lipat dengan sandaran kaki dan rem tangan",
        "Beras premium kemasan karung",
        "Tongkat kaki empat aluminium",
        "Alat bantu dengar digital dua telinga",
        "Minyak goreng kemasan botol",
        "Susu bubuk lansia rendah lemak",
    )
    units = ("unit", "kg", "buah", "pasang", "liter", "kotak")
    return [
        {
            "name": f"{names[i % len(names)]} nomor {i + 1}",
            "quantity": 1_000 + i * 137,
            "unit": units[i % len(units)],
        }
        for i in range(count)
    ]


class Field:
    """The office and one laptop, with their paths; each step as the app does it."""

    def __init__(self, root: Path):
        self.root = root
        self.office = root / "office.db"
        self.laptop = root / "L07.db"
        self.stick = root / "stick"
        self.stick.mkdir()
        setup_file = root / "setup.txt"
        setup_file.write_text(SETUP_PASSPHRASE + "\n", encoding="utf-8")
        assert main(["office", "init", "--db", str(self.office)]) == 0
        provision = root / "L07.provision"
        add = ["office", "add-laptop", "--db", str(self.office), "--name", "Laptop L07"]
        add += ["--code", "L07", "--district", "16.06.01", "--village", VILLAGE]
        add += ["--out", str(provision), "--setup-passphrase-file", str(setup_file)]
        assert main(add) == 0
        setup = ["setup", "--db", str(self.laptop), "--provision", str(provision)]
        assert main([*setup, "--passphrase-file", str(setup_file)]) == 0
        with closing(connect(self.laptop)) as db:
            self.officer = create_operator(
                db,
                username="petugas",
                full_name=long_name(99),
                role="operator",
                password="kata-sandi-petugas-panjang",
            ).id
        self.worker = operations.Actor(self.officer)

    def on_laptop(self, fn):
        with closing(connect(self.laptop)) as db:
            reg = Registry(db, operator_id=self.officer)
            with reg.transaction():
                return fn(reg)

    def send_decide_return(self, approve: list[str]) -> None:
        assert main(["bundle", "export", "--db", str(self.laptop), "--to", str(self.stick)]) == 0
        assert main(["bundle", "import", "--db", str(self.office), str(self.stick)]) == 0
        clerk = operations.Actor("op-kantor", side=operations.OFFICE)
        with closing(connect(self.office)) as db:
            reg = Registry(db, operator_id="op-kantor")
            with reg.transaction():
                operations.decide(reg, clerk, approve, True)
                operations.set_reference(reg, clerk, "office.address", OFFICE_ADDRESS)
        back = ["office", "return", "--db", str(self.office), "--laptop", "L07"]
        assert main([*back, "--to", str(self.stick)]) == 0
        with pytest.MonkeyPatch.context() as env:
            env.delenv(PASSPHRASE_ENV)  # the laptop opens with its own key
            assert main(["bundle", "import", "--db", str(self.laptop), str(self.stick)]) == 0


def _person(reg, worker, household_id, name, born, serial, *, woman=False, relation="kepala"):
    return operations.register_person(
        reg,
        worker,
        name=name,
        sex="P" if woman else "L",
        nik=nik(born, serial, woman),
        birth_date=born,
        household_id=household_id,
        relation=relation,
    ).row


def register_everything(field: Field) -> dict:
    """People, a group, an orphanage and their enrolments, submitted from the laptop."""
    worker = field.worker

    def fill(reg) -> dict:
        from muba_desk.photos import ingest

        out: dict = {}

        def household(serial):
            return operations.register_household(
                reg,
                worker,
                village_code=VILLAGE,
                address=ADDRESS,
                kk_number=f"16060101017{serial:05d}",
            ).row

        home = household(1)
        elder = _person(reg, worker, home["id"], long_name(0), "1950-01-01", 1)
        operations.add_photo(
            reg, worker, ingest(PHOTOS / "jpg" / "Canon_40D.jpg"), kind="portrait",
            owner_table="person", owner_id=elder["id"],
        )  # fmt: skip

        def enrol(program, data, **target):
            return operations.enrol(
                reg, worker, program=program, data=data, submit=True, village_code=VILLAGE,
                **target,
            ).row["id"]  # fmt: skip

        person = {"person_id": elder["id"], "household_id": home["id"]}
        out["umak"] = enrol("BANTU_UMAK", DATA["BANTU_UMAK"], **person)
        out["pkm"] = enrol("PKM", DATA["PKM"], **person)
        out["kelambu"] = enrol("PAKE_KELAMBU", DATA["PAKE_KELAMBU"], **person)
        out["nia"] = enrol("PEDAS_NIA", {"aid_form": "tunai_barang", "lives_alone": True}, **person)
        bertani = {**DATA["BERTANI"], "budget": longest_amount(PROGRAMS["BERTANI"].max_handover)}
        out["bertani"] = enrol("BERTANI", bertani, **person)
        for kind, name in (("house_before", "DSCN0010"), ("house_during", "DSCN0012"),
                           ("house_after", "DSCN0021")):  # fmt: skip
            operations.add_photo(
                reg, worker, ingest(PHOTOS / "jpg_gps" / f"{name}.jpg"), kind=kind,
                owner_table="enrolment", owner_id=out["bertani"],
            )  # fmt: skip
        meals = {"meals_per_day": 3, "delivery_period": "bulanan", "days_per_period": 31}
        out["bakul_person"] = enrol(
            "BAKUL_NASI", {**meals, "lives_alone": True, "delivery_address": ADDRESS},
            period_start="2026-01-01", period_end="2026-12-31", **person,
        )  # fmt: skip
        members = []
        for i in range(40):
            house = household(100 + i)
            member = _person(reg, worker, house["id"], long_name(i + 1), "1985-03-01", 100 + i)
            role = ("ketua", "sekretaris", "bendahara")[i] if i < 3 else "anggota"
            members.append((member["id"], role))
        group = {
            "name": long_org("KUBE", KUBE_NAME),
            "members": members,
            "business_type": "ternak",
            "bank_name": "Bank Sumsel Babel",
            "bank_account": "0123-01-000456-50-7",
        }
        grant = longest_amount(PROGRAMS["KUBE_UEP"].max_handover)
        kube = {"group_name": group["name"], "business_type": "ternak", "grant_amount": grant,
                "members": [{"person_id": p, "role": r} for p, r in members]}  # fmt: skip
        out["kube"] = enrol("KUBE_UEP", kube, group=group)
        orphanage = records.add_institution(
            reg, name=long_org("Panti Asuhan"), kind="panti_asuhan", address=ADDRESS,
            village_code=VILLAGE, head_name=long_name(50), licence_no="503/123/DINSOS/2024",
        )  # fmt: skip
        children = []
        for i in range(60):
            child = operations.register_person(
                reg, worker, name=long_name(200 + i), sex="L", birth_date="2015-02-01",
                nik=nik("2015-02-01", 500 + i), institution_id=orphanage["id"],
            ).row  # fmt: skip
            children.append(child["id"])
        out["bakul_institution"] = enrol(
            "BAKUL_NASI", {**meals, "children": children}, institution_id=orphanage["id"],
            period_start="2026-01-01", period_end="2026-12-31",
        )  # fmt: skip
        return out

    return field.on_laptop(fill)


def hand_over_everything(field: Field, enrolments: dict) -> dict:
    """Hand-overs of every kind on the laptop after the office approved."""

    def give(reg) -> dict:
        def handover(key, **values):
            values.setdefault("handed_at", "2026-07-01")
            values.setdefault("confirmed_by", "tanda_tangan")
            return operations.record_handover(
                reg, field.worker, enrolment_id=enrolments[key], **values
            ).row["id"]

        umak = longest_amount(PROGRAMS["BANTU_UMAK"].max_handover)
        period = {"tranche": "Tahap 4 (terakhir)", "period": "Oktober - Desember 2026"}
        out = {
            "cash": handover("umak", amount=umak, **period),
            "thumb": handover("umak", amount=umak, confirmed_by="cap_jempol", **period),
            "proxy": handover(
                "umak",
                amount=umak,
                confirmed_by="kuasa",
                proxy_name=long_name(7),
                proxy_relation="orang_tua",
                **period,
            ),  # fmt: skip
            "pkm": handover("pkm", amount=longest_amount(PROGRAMS["PKM"].max_handover)),
            "kelambu": handover(
                "kelambu",
                amount=longest_amount(PROGRAMS["PAKE_KELAMBU"].max_handover),
                tranche="Iuran setahun",
            ),  # fmt: skip
            "goods30": handover("nia", items=goods(30), confirmed_by="cap_jempol"),
            "goods12": handover("nia", items=goods(12)),
            "bertani": handover(
                "bertani",
                amount=longest_amount(PROGRAMS["BERTANI"].max_handover),
                items=goods(8),
                tranche="Tahap 2: bahan dan upah",
            ),  # fmt: skip
            "kube": handover(
                "kube",
                amount=longest_amount(PROGRAMS["KUBE_UEP"].max_handover),
                tranche="Sekaligus",
            ),  # fmt: skip
            "bakul_person": handover(
                "bakul_person",
                items=[{"name": "Makanan siap santap", "quantity": 93, "unit": "porsi"}],
                period="Juli 2026",
            ),  # fmt: skip
            "bakul_institution": handover(
                "bakul_institution",
                items=[{"name": "Makanan siap santap", "quantity": 3 * 31 * 60, "unit": "porsi"}],
                period="Juli 2026",
            ),
        }
        return out

    return field.on_laptop(give)


def build(root: Path) -> tuple[Field, dict, dict]:
    """(field, enrolment ids, hand-over ids) by key; the office passphrase is in the
    environment while the office works, as `muba-desk` reads it."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv(PASSPHRASE_ENV, OFFICE_PASSPHRASE)
        field = Field(root)
        enrolments = register_everything(field)
        field.send_decide_return(list(enrolments.values()))
    return field, enrolments, hand_over_everything(field, enrolments)
