"""A registry small enough to count by hand (see each comment for the expected figures)."""

import pytest

from muba_desk.store import records
from tests import program_data
from tests.office.helpers import person, submitted, villages


def sent(reg, program: str, person_id: str, **kw) -> dict:
    """A submitted enrolment as the office holds it once a bundle brought it (Terkirim). The
    report's figures are counted on a plain registry, where the store allows every move; the
    path through a real export is tested in tests/sync/test_loop.py."""
    enrolment = submitted(reg, program, person_id, **kw)
    return records.set_status(reg, enrolment["id"], "TERKIRIM")


@pytest.fixture
def small(registry, db):
    a, b, c = villages(db)
    with registry.transaction():
        p1 = person(registry, a, "Ahmad Tua", "L", "1950-01-01", "1606010101500001")
        p2 = person(
            registry, a, "Siti Kursi", "P", "1990-05-05", "1606014505900001", disability=["fisik"]
        )
        p3 = person(registry, b, "Rini Tanpa", "P", "1980-02-02")  # no NIK
        p4 = person(registry, c, "Budi Rumah", "L", "1985-03-03", "1606020303850001")
        cash = sent(registry, "BANTU_UMAK", p1["id"])
        records.set_status(registry, cash["id"], "DISETUJUI")
        for day in ("2026-01-31T18:00:00Z", "2026-03-05T03:00:00Z"):  # Feb (WIB!) and Mar 2026
            records.record_handover(
                registry,
                enrolment_id=cash["id"],
                handed_at=day,
                confirmed_by="cap_jempol",
                amount=650_000,
            )
        records.record_handover(
            registry,
            enrolment_id=cash["id"],
            handed_at="2025-12-01T03:00:00Z",
            confirmed_by="tanda_tangan",
            amount=325_000,
        )
        aid = sent(registry, "PEDAS_NIA", p2["id"])
        records.record_handover(
            registry,
            enrolment_id=aid["id"],
            handed_at="2026-04-10T03:00:00Z",
            confirmed_by="tanda_tangan",
            items=[{"name": "Kursi roda", "quantity": 1, "unit": "unit"}],
        )
        records.set_status(registry, aid["id"], "DITOLAK", "Sudah dapat dari provinsi")
        sent(registry, "BERTANI", p4["id"], data={"progress": "50", "work_start": "2026-02-01"})
        members = [(p1["id"], "ketua"), (p2["id"], "bendahara"), (p3["id"], "anggota")]
        group = records.add_group(
            registry, name="KUBE Maju", program="KUBE_UEP", village_code=a, members=members
        )
        data = program_data.kube("KUBE Maju", members)
        kube = records.enrol(registry, program="KUBE_UEP", data=data, grp_id=group["id"])
        for to in ("DIAJUKAN", "TERKIRIM", "DISETUJUI", "AKTIF"):
            records.set_status(registry, kube["id"], to)
        records.record_handover(
            registry,
            enrolment_id=kube["id"],
            handed_at="2026-05-01T03:00:00Z",
            confirmed_by="tanda_tangan",
            amount=20_000_000,
        )
    return {"villages": (a, b, c)}
