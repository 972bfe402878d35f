"""Drafts: saved, replaced and deleted; the newest first."""

from muba_desk.store.drafts import delete_draft, list_drafts, save_draft
from muba_desk.store.duplicates import name_key, people_like, people_with_nik


def test_a_draft_is_saved_replaced_and_deleted(db):
    save_draft(db, "a", kind="person", title="Siti", state={"fields": {"name": "Si"}})
    save_draft(db, "a", kind="person", title="Siti", state={"fields": {"name": "Siti"}})
    save_draft(db, "b", kind="household", title="KK", state={}, operator_id="op")
    drafts = list_drafts(db)
    assert [d.id for d in drafts] == ["b", "a"]
    assert drafts[1].state == {"fields": {"name": "Siti"}}
    delete_draft(db, "a")
    assert [d.id for d in list_drafts(db)] == ["b"]


def test_name_variants_fold_together():
    assert name_key("M. Ridwan") == name_key("muhamad  RIDWAN") == name_key("Muhammad Ridwan")
    assert name_key("Siti Aminah") != name_key("Siti Aminah Putri")


def test_likely_duplicates_by_nik_and_by_similar_name_birth_date_and_village(registry, db):
    from muba_desk.store import records

    with registry.transaction():
        h = records.add_household(registry, village_code="16.06.01.1009")
        p = records.add_person(
            registry,
            household_id=h["id"],
            name="Muhammad Ridwan",
            sex="L",
            nik="1606010101800001",
            birth_date="1980-01-01",
        )
    assert [x["id"] for x in people_with_nik(db, "1606010101800001")] == [p["id"]]
    assert people_with_nik(db, "1606010101800001", exclude_id=p["id"]) == []
    like = people_like(db, name="M Ridwan", birth_date="1980-01-01", village_code="16.06.01.1009")
    assert [x["id"] for x in like] == [p["id"]]
    assert not people_like(
        db, name="M Ridwan", birth_date="1980-01-02", village_code="16.06.01.1009"
    )


def test_a_person_typed_again_in_another_village_with_another_spelling_is_found(registry, db):
    from muba_desk.store import records

    with registry.transaction():
        far = records.add_household(registry, village_code="16.06.01.1010")
        here = records.add_household(registry, village_code="16.06.01.1009")
        there = records.add_person(
            registry,
            household_id=far["id"],
            name="Dimas Yusuf",
            sex="L",
            birth_date="1990-05-05",
            no_nik_reason="belum punya KTP",
        )
        near = records.add_person(
            registry,
            household_id=here["id"],
            name="Dimas Yusuf",
            sex="L",
            birth_date="1990-05-05",
            no_nik_reason="belum punya KTP",
        )
    like = people_like(
        db, name="Dymas Yusup", birth_date="1990-05-05", village_code="16.06.01.1009"
    )
    assert [x["id"] for x in like] == [near["id"], there["id"]]  # the form's village first
    assert people_like(db, name="Dimas Yunus", birth_date="1990-05-05") == []
