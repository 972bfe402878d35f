import pytest

from muba_desk.domain.status import InvalidTransition
from muba_desk.store import records
from muba_desk.store.audit import verify_chain
from muba_desk.store.registry import set_setting
from muba_desk.store.views import household_details, person_details
from tests.program_data import DATA


@pytest.fixture
def family(registry):
    with registry.transaction():
        household = records.add_household(
            registry, village_code="16.06.01.2003", kk_number="1606011201100003"
        )
        head = records.add_person(
            registry,
            household_id=household["id"],
            name="Siti Aminah",
            sex="P",
            nik="1606014506780001",
            birth_date="1978-06-05",
            relation="kepala",
        )
    return household, head


def test_the_first_head_added_becomes_the_household_head(registry, family):
    household, head = family
    assert registry.get("household", household["id"])["head_person_id"] == head["id"]


def test_enrolment_carries_a_card_number_with_the_laptop_and_a_history(registry, db, family):
    household, head = family
    set_setting(db, "device_code", "L07")
    with registry.transaction():
        enrolment = records.enrol(
            registry,
            program="PEDAS_NIA",
            data={"aid_form": "tunai"},
            person_id=head["id"],
            household_id=household["id"],
            village_code="16.06.01.2003",
        )
        records.set_status(registry, enrolment["id"], "DIAJUKAN")
    assert enrolment["card_number"] == "1606-01-L07-000001"
    details = person_details(db, head["id"])
    (shown,) = details["enrolments"]
    assert shown["status"] == "DIAJUKAN"
    assert [(h["from_status"], h["to_status"]) for h in shown["history"]] == [
        (None, "DRAF"),
        ("DRAF", "DIAJUKAN"),
    ]


def test_a_forbidden_status_move_changes_nothing(registry, family):
    household, head = family
    with registry.transaction():
        enrolment = records.enrol(
            registry, program="PKM", data={}, person_id=head["id"], household_id=household["id"]
        )
    with pytest.raises(InvalidTransition), registry.transaction():
        records.set_status(registry, enrolment["id"], "AKTIF")
    assert registry.get("enrolment", enrolment["id"])["status"] == "DRAF"


def test_aid_is_handed_over_only_after_the_office_approved(registry, db, family):
    _household, head = family
    with registry.transaction():
        enrolment = records.enrol(
            registry, program="BANTU_UMAK", data=DATA["BANTU_UMAK"], person_id=head["id"]
        )
        records.set_status(registry, enrolment["id"], "DIAJUKAN")
    refused = pytest.raises(records.HandoverRefused, match="status sekarang: Diajukan")
    with refused, registry.transaction():
        records.hand_over(
            registry,
            enrolment_id=enrolment["id"],
            handed_at="2026-03-02",
            confirmed_by="cap_jempol",
            amount=650_000,
        )
    assert db.conn.execute("SELECT count(*) FROM handover").fetchone()[0] == 0
    assert registry.get("enrolment", enrolment["id"])["status"] == "DIAJUKAN"


def test_handover_receipt_numbers_count_per_program_and_year(registry, db, family):
    household, head = family
    set_setting(db, "device_code", "L07")
    with registry.transaction():
        enrolment = records.enrol(registry, program="BANTU_UMAK", data={}, person_id=head["id"])
        first = records.record_handover(
            registry,
            enrolment_id=enrolment["id"],
            handed_at="2026-03-02",
            confirmed_by="cap_jempol",
            amount=650_000,
            tranche="1",
        )
        second = records.record_handover(
            registry,
            enrolment_id=enrolment["id"],
            handed_at="2026-04-02",
            confirmed_by="kuasa",
            proxy_name="Rudi",
            proxy_relation="anak",
            amount=650_000,
            tranche="2",
        )
    assert (first["receipt_number"], second["receipt_number"]) == (
        "BU/2026/L07/000001",
        "BU/2026/L07/000002",
    )
    assert first["operator_id"] == "op-test"
    assert len(household_details(db, household["id"])["enrolments"][0]["handovers"]) == 2
    assert verify_chain(db.conn) == []


def test_a_proxy_handover_needs_the_proxy_name(registry, family):
    import sqlite3

    _household, head = family
    with registry.transaction():
        enrolment = records.enrol(registry, program="PKM", data={}, person_id=head["id"])
    with pytest.raises(sqlite3.IntegrityError), registry.transaction():
        records.record_handover(
            registry,
            enrolment_id=enrolment["id"],
            handed_at="2026-03-02",
            confirmed_by="kuasa",
            amount=1,
        )


def test_reference_values_are_data_that_can_change(registry, db):
    with registry.transaction():
        records.set_reference(registry, "BANTU_UMAK.amount_per_person_month", 350_000)
        records.set_reference(registry, "BANTU_UMAK.amount_per_person_month", 375_000)
    assert records.reference(db) == {"BANTU_UMAK.amount_per_person_month": 375_000}
