import pytest

from muba_desk.domain.status import InvalidTransition
from muba_desk.office.decisions import (
    BudgetProblem,
    budget_year,
    decide,
    decide_many,
    set_budget_year,
)
from muba_desk.store import records
from tests.office.helpers import person, submitted, villages
from tests.spelled import spelled


@pytest.fixture
def db_path(field):
    """The office's registry (`db` and `registry` open it)."""
    return field.office_db


@pytest.fixture
def enrolments(field, db):
    """Three enrolments submitted on laptop L07 and one left in Draf, sent to the office."""
    v = villages(db)

    def fill(reg):
        born = [f"1960-01-0{i + 1}" for i in range(4)]
        people = [person(reg, v[0], f"Orang {spelled(i)}", "L", born[i]) for i in range(4)]
        arrived = [submitted(reg, "PEDAS_NIA", p["id"]) for p in people[:3]]
        draft = records.enrol(reg, program="PEDAS_NIA", data={}, person_id=people[3]["id"])
        return [e["id"] for e in arrived], draft["id"]

    made = field.on_laptop(fill)
    field.deliver()
    return made


def _status(registry, enrolment_id):
    return registry.get("enrolment", enrolment_id)["status"]


def test_single_decisions_need_a_reason_to_reject(registry, enrolments):
    arrived, _ = enrolments
    assert {_status(registry, e) for e in arrived} == {"TERKIRIM"}  # sent by the export
    decide(registry, arrived[0], True)
    assert _status(registry, arrived[0]) == "DISETUJUI"
    with pytest.raises(ValueError, match="Alasan wajib"):
        decide(registry, arrived[1], False)
    decide(registry, arrived[1], False, "Bukan warga desa ini")
    row = registry.get("enrolment", arrived[1])
    assert (row["status"], row["decision_reason"]) == ("DITOLAK", "Bukan warga desa ini")


def test_bulk_moves_the_valid_ones_together_and_lists_the_refused(registry, db, enrolments):
    arrived, draft = enrolments
    result = decide_many(registry, [*arrived, draft, "tidak-ada"], True, "Memenuhi syarat")
    assert result.moved == arrived
    assert set(result.refused) == {draft, "tidak-ada"}
    assert "Draf ke Disetujui" in result.refused[draft]
    assert result.summary == "3 pendaftaran disetujui, 2 tidak dapat diubah."
    assert [_status(registry, e) for e in arrived] == ["DISETUJUI"] * 3
    assert _status(registry, draft) == "DRAF"
    # Each move has its history row with the reason.
    reasons = db.conn.execute(
        "SELECT count(*) FROM enrolment_status WHERE to_status = 'DISETUJUI' AND reason = ?",
        ("Memenuhi syarat",),
    ).fetchone()[0]
    assert reasons == 3


def test_bulk_strict_moves_nothing_on_one_refusal(registry, enrolments):
    arrived, draft = enrolments
    result = decide_many(registry, [*arrived, draft], True, strict=True)
    assert result.moved == [] and list(result.refused) == [draft]
    assert {_status(registry, e) for e in arrived} == {"TERKIRIM"}


def test_bulk_is_all_or_nothing_on_a_failure_midway(registry, enrolments, monkeypatch):
    arrived, _ = enrolments
    calls = []
    real = records.set_status

    def failing(reg, enrolment_id, to, reason=None, **side):
        calls.append(enrolment_id)
        if len(calls) == 2:
            raise RuntimeError("disk penuh")
        return real(reg, enrolment_id, to, reason, **side)

    monkeypatch.setattr("muba_desk.office.decisions.set_status", failing)
    with pytest.raises(RuntimeError):
        decide_many(registry, arrived, True)
    assert {_status(registry, e) for e in arrived} == {"TERKIRIM"}


def test_budget_year_is_reference_data_that_travels(registry, db):
    written = set_budget_year(
        registry,
        2027,
        {
            "BANTU_UMAK": {
                "amount_per_person_month": 350_000,
                "quota": 12_000,
                "period_start": "2027-01-01",
                "period_end": "2027-12-31",
            },
            "BERTANI": {"budget_per_house": 22_000_000, "quota": 300},
        },
    )
    assert "2027.BANTU_UMAK.amount_per_person_month" in written
    assert records.reference(db)["2027.BERTANI.quota"] == 300
    year = budget_year(db, 2027)
    assert year["BANTU_UMAK"]["amount_per_person_month"] == 350_000
    assert year["PKM"]["max_grant"] == 5_000_000  # default where the office set nothing
    assert year["PKM"]["period_start"] == "2027-01-01"
    logged = db.conn.execute(
        "SELECT count(*) FROM change_log WHERE table_name = 'reference_data'"
    ).fetchone()[0]
    assert logged == 6


def test_wrong_budget_values_save_nothing(registry, db):
    with pytest.raises(BudgetProblem) as caught:
        set_budget_year(
            registry,
            2027,
            {
                "BANTU_UMAK": {"amount_per_person_month": -5, "period_start": "2026-12-01"},
                "PKM": {"colour": "merah"},
                "NOPE": {"quota": 1},
            },
        )
    assert set(caught.value.errors) == {
        "2027.BANTU_UMAK.amount_per_person_month",
        "2027.BANTU_UMAK.period_start",
        "2027.PKM.colour",
        "2027.NOPE.*",
    }
    assert "2027" not in str(records.reference(db))


def test_a_laptop_cannot_decide(field, enrolments):
    """On the laptop's own registry, single and bulk decisions are refused, nothing moves."""
    arrived, _ = enrolments
    with pytest.raises(InvalidTransition, match="hanya dapat dibuat di kantor"):
        field.on_laptop(lambda reg: decide(reg, arrived[0], True))
    with pytest.raises(InvalidTransition, match="hanya dapat dibuat di kantor"):
        field.on_laptop(lambda reg: decide_many(reg, arrived, False, "Tidak memenuhi syarat"))
    statuses = field.on_laptop(lambda reg: {reg.get("enrolment", e)["status"] for e in arrived})
    assert statuses == {"TERKIRIM"}
