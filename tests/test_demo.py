"""The demo registry: realistic, valid for every rule, reproducible by seed, and cancellable."""

import json
import random
from collections import Counter
from datetime import date

import pytest

import muba_desk.demo as demo
from muba_desk.demo import PHOTO_LIMIT, create_demo
from muba_desk.demo.names import respell
from muba_desk.domain.areas import areas
from muba_desk.domain.nik import check_nik_against, parse_kk, parse_nik
from muba_desk.domain.programs import PROGRAMS, EligibilityContext, check_eligibility, validate
from muba_desk.domain.status import REASON_REQUIRED, Status, can_transition
from muba_desk.progress import Cancelled, Progress
from muba_desk.store.db import connect
from muba_desk.store.doctor import check
from muba_desk.store.registry import get_setting

TODAY = date(2026, 3, 15)
RELATIONS = {"kepala", "istri", "suami", "anak", "cucu", "orang_tua", "mertua", "famili_lain"}


def rows(db, sql, params=()):
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]


def make(path, people, seed=1, **kwargs):
    db = connect(path)
    summary = create_demo(db, people=people, seed=seed, today=TODAY, **kwargs)
    return db, summary


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    db, summary = make(tmp_path_factory.mktemp("demo") / "small.db", 300)
    yield db, summary
    db.close()


@pytest.fixture(scope="module")
def village(tmp_path_factory):
    """What the window's "open a demo village" button makes: 2,000 people."""
    db, summary = make(tmp_path_factory.mktemp("demo") / "village.db", 2000, seed=7)
    yield db, summary
    db.close()


def people_of(db):
    return rows(
        db,
        """SELECT p.*, coalesce(h.village_code, i.village_code) AS village_code
           FROM person p LEFT JOIN household h ON h.id = p.household_id
           LEFT JOIN institution i ON i.id = p.institution_id""",
    )


def test_the_summary_counts_what_is_in_the_database(small):
    db, summary = small
    assert summary["penduduk"] == 300 == db["person"].count
    assert summary["rumah tangga"] == db["household"].count
    assert summary["pendaftaran"] == db["enrolment"].count
    assert summary["penyerahan"] == db["handover"].count
    assert summary["foto"] == db["photo"].count
    assert summary["lembaga"] == db["institution"].count == 1
    assert summary["kelompok"] == db["grp"].count >= 1


def test_every_program_is_represented(small):
    db, _ = small
    found = {r["program"] for r in rows(db, "SELECT DISTINCT program FROM enrolment")}
    assert found == set(PROGRAMS)


def test_bakul_nasi_feeds_both_an_elderly_person_alone_and_an_orphanage(small):
    db, _ = small
    enrolments = rows(db, "SELECT * FROM enrolment WHERE program = 'BAKUL_NASI'")
    assert any(e["person_id"] for e in enrolments)
    orphanage = next(e for e in enrolments if e["institution_id"])
    children = json.loads(orphanage["data"])["children"]
    listed = rows(
        db, "SELECT id FROM person WHERE institution_id = ?", (orphanage["institution_id"],)
    )
    assert sorted(children) == sorted(r["id"] for r in listed) and children


def test_every_nik_parses_and_agrees_with_birth_date_sex_and_district(small):
    db, _ = small
    checked = 0
    for person in people_of(db):
        if person["nik"] is None:
            assert person["no_nik_reason"]
            continue
        born = date.fromisoformat(person["birth_date"])
        assert check_nik_against(person["nik"], birth_date=born, sex=person["sex"]) == []
        nik = parse_nik(person["nik"], birth_date=born)
        assert nik.warnings == ()
        assert nik.district_code == person["village_code"][:8].replace(".", "")
        checked += 1
    assert checked > 280


def test_kk_numbers_parse_and_carry_the_village_district(small):
    db, _ = small
    for household in rows(db, "SELECT kk_number, village_code FROM household"):
        kk = parse_kk(household["kk_number"])
        assert kk.district_code == household["village_code"][:8].replace(".", "")


def test_every_place_is_a_real_muba_village(small):
    db, _ = small
    codes = {
        r["code"]
        for r in rows(
            db,
            """SELECT village_code AS code FROM household UNION SELECT village_code FROM grp
               UNION SELECT village_code FROM institution""",
        )
    }
    assert codes
    for code in codes:
        assert areas().village(code).code == code


def test_relations_and_households_look_like_families(small):
    db, _ = small
    people = people_of(db)
    in_households = [p for p in people if p["household_id"]]
    assert {p["relation"] for p in in_households} <= RELATIONS
    heads = Counter(p["household_id"] for p in in_households if p["relation"] == "kepala")
    households = rows(db, "SELECT id, head_person_id FROM household")
    assert all(heads[h["id"]] == 1 for h in households)
    by_id = {p["id"]: p for p in people}
    head_of = {}
    for household in households:
        head = by_id[household["head_person_id"]]
        assert head["relation"] == "kepala" and head["household_id"] == household["id"]
        head_of[household["id"]] = head
    for child in (p for p in in_households if p["relation"] == "anak"):
        head = head_of[child["household_id"]]
        # Born to a mother of 18 or more: at least about 15 years younger than the parents.
        assert int(child["birth_date"][:4]) - int(head["birth_date"][:4]) >= 15


def test_every_enrolment_holds_data_its_program_accepts(small):
    db, _ = small
    for enrolment in rows(db, "SELECT program, data FROM enrolment"):
        program = PROGRAMS[enrolment["program"]]
        assert validate(program, json.loads(enrolment["data"])) == {}, enrolment


def test_statuses_include_the_main_ones_and_rejections_say_why(small):
    db, _ = small
    enrolments = rows(db, "SELECT status, decision_reason FROM enrolment")
    statuses = {e["status"] for e in enrolments}
    assert {"DRAF", "DISETUJUI", "DITOLAK", "AKTIF"} <= statuses
    assert all(e["decision_reason"] for e in enrolments if e["status"] == "DITOLAK")


def test_every_status_history_follows_the_allowed_path(village):
    db, _ = village
    history: dict[str, list[dict]] = {}
    for step in rows(db, "SELECT * FROM enrolment_status ORDER BY pk"):
        history.setdefault(step["enrolment_id"], []).append(step)
    for enrolment in rows(db, "SELECT id, status FROM enrolment"):
        steps = history[enrolment["id"]]
        assert (steps[0]["from_status"], steps[0]["to_status"]) == (None, "DRAF")
        for before, after in zip(steps, steps[1:], strict=False):
            assert after["from_status"] == before["to_status"]
            assert can_transition(after["from_status"], after["to_status"])
            if Status(after["to_status"]) in REASON_REQUIRED:
                assert after["reason"]
        assert steps[-1]["to_status"] == enrolment["status"]
    assert {e["status"] for e in rows(db, "SELECT status FROM enrolment")} == set(Status)


def _context(db, enrolment) -> EligibilityContext:
    data = json.loads(enrolment["data"])

    def person(person_id):
        found = rows(db, "SELECT * FROM person WHERE id = ?", (person_id,))[0]
        found["disability"] = json.loads(found["disability"])
        return found

    if enrolment["grp_id"]:
        members = tuple(person(m["person_id"]) for m in data["members"])
        return EligibilityContext(members=members, data=data, today=TODAY)
    if enrolment["institution_id"]:
        institution = rows(
            db, "SELECT * FROM institution WHERE id = ?", (enrolment["institution_id"],)
        )[0]
        children = tuple(person(c) for c in data["children"])
        return EligibilityContext(institution=institution, members=children, data=data, today=TODAY)
    who = person(enrolment["person_id"])
    household = rows(db, "SELECT * FROM household WHERE id = ?", (who["household_id"],))[0]
    members = tuple(
        person(r["id"])
        for r in rows(db, "SELECT id FROM person WHERE household_id = ?", (household["id"],))
    )
    others = rows(
        db,
        """SELECT id, program, status, person_id, household_id, period_start, period_end
           FROM enrolment WHERE person_id = ? OR household_id = ?""",
        (who["id"], household["id"]),
    )
    return EligibilityContext(
        person=who,
        household=household,
        members=members,
        enrolments=tuple(others),
        data=data,
        today=TODAY,
        enrolment_id=enrolment["id"],
        period_start=enrolment["period_start"],
        period_end=enrolment["period_end"],
    )


def test_people_are_picked_by_the_programs_own_rules(village):
    db, _ = village
    enrolments = rows(db, "SELECT * FROM enrolment WHERE status != 'DITOLAK'")
    assert len(enrolments) > 50
    for enrolment in enrolments:
        program = PROGRAMS[enrolment["program"]]
        result = check_eligibility(program, _context(db, enrolment))
        assert result.eligible, (enrolment["program"], [r.message_en for r in result.blocking])


def test_kube_groups_are_adults_from_different_households_of_one_village(village):
    db, _ = village
    for group in rows(db, "SELECT * FROM grp"):
        members = rows(
            db,
            """SELECT m.role, p.household_id, h.village_code FROM grp_member m
               JOIN person p ON p.id = m.person_id JOIN household h ON h.id = p.household_id
               WHERE m.grp_id = ?""",
            (group["id"],),
        )
        assert 5 <= len(members) <= 20
        assert len({m["household_id"] for m in members}) == len(members)
        assert {m["village_code"] for m in members} == {group["village_code"]}
        assert Counter(m["role"] for m in members)["ketua"] == 1


def test_handovers_are_signed_thumbprinted_or_collected_by_a_named_proxy(village):
    db, _ = village
    handovers = rows(db, "SELECT * FROM handover")
    assert {h["confirmed_by"] for h in handovers} == {"tanda_tangan", "cap_jempol", "kuasa"}
    for handover in handovers:
        assert handover["amount"] is not None or json.loads(handover["items"])
        if handover["confirmed_by"] == "kuasa":
            assert handover["proxy_name"] and handover["proxy_relation"]
    programs = {
        r["program"]
        for r in rows(
            db,
            "SELECT DISTINCT e.program FROM handover h JOIN enrolment e ON e.id = h.enrolment_id",
        )
    }
    assert {"BANTU_UMAK", "PEDAS_NIA", "BAKUL_NASI"} <= programs


def test_photos_are_few_and_include_bertani_houses_and_portraits(village):
    db, summary = village
    kinds = Counter(r["kind"] for r in rows(db, "SELECT kind FROM photo"))
    assert 0 < sum(kinds.values()) <= PHOTO_LIMIT
    assert kinds["house_before"] >= 1 and kinds["portrait"] >= 1
    for photo in rows(db, "SELECT * FROM photo WHERE kind LIKE 'house_%'"):
        assert photo["owner_table"] == "enrolment" and photo["gps_lat"] is not None
    with_portrait = rows(db, "SELECT photo_id FROM person WHERE photo_id IS NOT NULL")
    assert len(with_portrait) == kinds["portrait"]


def test_the_village_has_a_realistic_make_up(village):
    db, _ = village
    people = people_of(db)
    households = db["household"].count
    in_households = [p for p in people if p["household_id"]]
    assert 2.8 <= len(in_households) / households <= 3.5
    disabled = sum(1 for p in people if json.loads(p["disability"]))
    assert 0.015 <= disabled / len(people) <= 0.05
    assert 0.001 <= sum(1 for p in people if p["nik"] is None) / len(people) <= 0.02
    deciles = Counter(r["welfare_decile"] for r in rows(db, "SELECT welfare_decile FROM household"))
    assert sum(deciles[d] for d in (1, 2, 3, 4)) / households > 0.8
    for household in rows(db, "SELECT gps_lat, gps_lon FROM household"):
        assert -3.2 <= household["gps_lat"] <= -1.6 and 103.2 <= household["gps_lon"] <= 104.7
    assert all(p["phone"].startswith("08") for p in people if p["phone"])
    assert all(p["consent_by"] in ("sendiri", "wali") and p["consent_at"] for p in people)
    assert all(p["consent_guardian"] for p in people if p["consent_by"] == "wali")


def test_a_repeated_nik_is_one_person_registered_twice(village):
    db, _ = village
    repeated = rows(
        db,
        """SELECT nik, count(DISTINCT birth_date) AS births, count(DISTINCT sex) AS sexes,
                  count(DISTINCT household_id) AS households, count(*) AS n
           FROM person WHERE nik IS NOT NULL GROUP BY nik HAVING count(*) > 1""",
    )
    for group in repeated:
        assert group["births"] == group["sexes"] == 1
        assert group["households"] == group["n"] == 2


def test_a_respelled_name_is_a_variant_of_the_same_name():
    rng = random.Random(3)
    assert respell("Muhammad Rizki", rng) in {
        f"{a} {b}"
        for a in ("Muhamad", "M.", "Mohammad", "Moh.", "Muhammad")
        for b in ("Rizki", "Rizky", "Riski")
    } - {"Muhammad Rizki"}
    assert respell("Nurhayati", rng) == "Nur Hayati"
    assert respell("Dedi", rng) == "Dedy"


def test_the_demo_is_marked_and_stamped_by_its_own_operator(small):
    db, _ = small
    assert get_setting(db, "mode") == "demo"
    assert get_setting(db, "device_name") == "Laptop Demo"
    operators = rows(db, "SELECT * FROM operator")
    assert [(o["username"], o["full_name"], o["role"], o["password_hash"]) for o in operators] == [
        ("demo", "Operator Demo", "supervisor", None)
    ]
    stamps = {r["created_by"] for r in rows(db, "SELECT created_by FROM person")}
    assert stamps == {operators[0]["id"]}
    audit = {r["operator_id"] for r in rows(db, "SELECT DISTINCT operator_id FROM audit")}
    assert audit == {operators[0]["id"]}


def test_the_demo_database_is_healthy(small):
    db, _ = small
    assert check(db) == []


def identity(db):
    return sorted(
        (p["name"], p["nik"] or "", p["birth_date"], p["relation"] or "")
        for p in rows(db, "SELECT name, nik, birth_date, relation FROM person")
    )


def test_the_same_seed_gives_the_same_people_and_another_seed_others(tmp_path):
    first, _ = make(tmp_path / "a.db", 150, seed=5)
    again, _ = make(tmp_path / "b.db", 150, seed=5)
    other, _ = make(tmp_path / "c.db", 150, seed=6)
    try:
        assert identity(first) == identity(again)
        assert identity(first) != identity(other)
        ids = {r["id"] for r in rows(first, "SELECT id FROM person")}
        assert ids.isdisjoint(r["id"] for r in rows(again, "SELECT id FROM person"))
    finally:
        for db in (first, again, other):
            db.close()


def test_a_second_demo_in_the_same_file_gets_new_numbers(tmp_path):
    db, _ = make(tmp_path / "twice.db", 120, seed=2)
    try:
        create_demo(db, people=120, seed=2, today=TODAY)
        niks = [r["nik"] for r in rows(db, "SELECT nik FROM person WHERE nik IS NOT NULL")]
        kks = [r["kk_number"] for r in rows(db, "SELECT kk_number FROM household")]
        assert len(set(kks)) == len(kks)
        assert len(set(niks)) >= len(niks) - 4  # only the re-registered parents repeat
        assert len(rows(db, "SELECT id FROM operator")) == 1
        assert check(db) == []
    finally:
        db.close()


class CancelAfterFirstBatch(Progress):
    def update(self, done, total, label=""):
        if done > 0:
            self.cancel()
        super().update(done, total, label)


def test_cancel_after_the_first_batch_keeps_that_batch_and_a_healthy_file(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "BATCH_HOUSEHOLDS", 20)
    db = connect(tmp_path / "cancelled.db")
    try:
        with pytest.raises(Cancelled):
            create_demo(db, people=300, seed=1, today=TODAY, progress=CancelAfterFirstBatch())
        written = db["person"].count
        assert 0 < written < 300
        assert check(db) == []
        # Whole households only: every head is there, and every person's household too.
        orphans = rows(
            db,
            """SELECT h.id FROM household h LEFT JOIN person p ON p.id = h.head_person_id
               WHERE p.id IS NULL""",
        )
        assert orphans == []
    finally:
        db.close()


def test_progress_reaches_the_total_and_never_goes_back(tmp_path):
    seen = []
    progress = Progress(lambda done, total, label: seen.append((done, total)))
    db, _ = make(tmp_path / "progress.db", 200, progress=progress)
    db.close()
    assert seen[0] == (0, 200) and seen[-1] == (200, 200)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_people_must_be_at_least_one(db):
    with pytest.raises(ValueError):
        create_demo(db, people=0)
