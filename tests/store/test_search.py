import pytest

from muba_desk.store.search import fts_query, search_households, search_people


@pytest.fixture
def village(registry):
    """Two households in Sekayu's villages with a few people."""
    with registry.transaction():
        h1 = registry.insert(
            "household", {"village_code": "16.06.01.1009", "kk_number": "1606011201100003"}
        )
        h2 = registry.insert(
            "household", {"village_code": "16.06.01.1010", "kk_number": "1606011506150008"}
        )
        people = {
            "siti": registry.insert(
                "person",
                {
                    "household_id": h1["id"],
                    "name": "Siti Aminah",
                    "sex": "P",
                    "nik": "1606014506780001",
                    "relation": "kepala",
                },
            ),
            "ahmad": registry.insert(
                "person",
                {
                    "household_id": h1["id"],
                    "name": "Ahmad Amin",
                    "sex": "L",
                    "nik": "1606010101800002",
                },
            ),
            "sitir": registry.insert(
                "person",
                {
                    "household_id": h2["id"],
                    "name": "Siti Rohani",
                    "sex": "P",
                    "no_nik_reason": "lansia terlantar",
                },
            ),
        }
        registry.update("household", h1["id"], {"head_person_id": people["siti"]["id"]})
    return {"h1": h1, "h2": h2, **people}


def names(hits):
    return sorted(h.name for h in hits)


def test_fts_query_makes_every_word_a_required_prefix():
    assert fts_query("Siti  am") == '"siti"* "am"*'
    assert fts_query('si"ti') == '"si"* "ti"*'  # quotes cannot break out of the query
    assert fts_query("  ") is None


def test_prefix_of_two_words_finds_the_person(db, village):
    assert names(search_people(db, "siti am")) == ["Siti Aminah"]
    assert names(search_people(db, "siti")) == ["Siti Aminah", "Siti Rohani"]
    assert names(search_people(db, "am")) == ["Ahmad Amin", "Siti Aminah"]


def test_search_by_nik_kk_and_village_prefix(db, village):
    assert names(search_people(db, "16060145")) == ["Siti Aminah"]
    assert names(search_people(db, "1606011506")) == ["Siti Rohani"]
    assert names(search_people(db, "kayu")) == ["Ahmad Amin", "Siti Aminah"]  # Kayu Ara
    hit = search_people(db, "rohani")[0]
    assert hit.village == "Serasan Jaya" and hit.nik is None


def test_tombstoned_people_disappear_from_search(db, registry, village):
    with registry.transaction():
        registry.delete("person", village["ahmad"]["id"])
    assert names(search_people(db, "amin")) == ["Siti Aminah"]


def test_a_household_move_is_searchable_at_once(db, registry, village):
    with registry.transaction():
        registry.update("household", village["h2"]["id"], {"village_code": "16.06.01.1009"})
    assert names(search_people(db, "kayu ara")) == ["Ahmad Amin", "Siti Aminah", "Siti Rohani"]


def test_household_search_returns_each_household_once_with_its_head(db, village):
    hits = search_households(db, "1606011201")
    assert [(h.kk_number, h.head_name, h.members) for h in hits] == [
        ("1606011201100003", "Siti Aminah", 2)
    ]
    assert len(search_households(db, "")) == 2


def test_prefix_search_uses_the_index_not_a_scan(db, village):
    statements = []
    db.conn.set_trace_callback(statements.append)
    search_people(db, "siti am")
    db.conn.set_trace_callback(None)
    matches = [s for s in statements if "MATCH" in s]
    # Word beginnings first, then (the list not being full) the middle of names.
    assert ["person_search" in s for s in matches] == [True, False]
    assert "person_trigram" in matches[1]
    for sql, index in zip(matches, ("person_search", "person_trigram"), strict=True):
        plan = [row[-1] for row in db.conn.execute("EXPLAIN QUERY PLAN " + sql)]
        assert any(f"{index} VIRTUAL TABLE INDEX" in step for step in plan), plan
        # Every other table is reached through an index, never scanned whole.
        scans = [s for s in plan if s.startswith("SCAN") and "VIRTUAL TABLE" not in s]
        assert scans == [] or all("hits" in s for s in scans), plan


def test_a_typed_number_goes_to_the_nik_and_kk_indexes(db, registry, village):
    # NIK matches first (in NIK order), then the members of households whose KK matches.
    assert [h.name for h in search_people(db, "1606")] == [
        "Ahmad Amin",
        "Siti Aminah",
        "Siti Rohani",
    ]
    assert names(search_people(db, "1606011201")) == ["Ahmad Amin", "Siti Aminah"]  # by KK
    assert names(search_people(db, "1606014506780001")) == ["Siti Aminah"]
    assert search_people(db, "1606014506780002") == []
    assert [h.kk_number for h in search_households(db, "1606")] == [
        "1606011201100003",
        "1606011506150008",
    ]
    # A member's NIK finds the household too.
    assert [h.kk_number for h in search_households(db, "16060101")] == ["1606011201100003"]
    assert len(search_people(db, "1606", limit=2)) == 2
    with registry.transaction():
        registry.delete("person", village["ahmad"]["id"])
    assert names(search_people(db, "1606")) == ["Siti Aminah", "Siti Rohani"]


def test_number_search_walks_index_ranges(db, village):
    statements = []
    db.conn.set_trace_callback(statements.append)
    search_people(db, "1606")
    search_households(db, "1606")
    db.conn.set_trace_callback(None)
    assert statements and not any("MATCH" in s for s in statements)
    for sql in statements:
        plan = [row[-1] for row in db.conn.execute("EXPLAIN QUERY PLAN " + sql)]
        # Only the few rows already found are scanned, never a table.
        scans = [s for s in plan if s.startswith("SCAN")]
        assert all("found" in s or "subquery" in s for s in scans), plan


def test_short_numbers_and_mixed_text_still_use_fts(db, village):
    from muba_desk.store.search import number_prefix

    assert number_prefix("1606") == ("1606", "1607")
    assert number_prefix(" 160609 ") == ("160609", "16060:")
    assert number_prefix("2") is None  # "Lumpatan 2" is a village
    assert number_prefix("siti 1606") is None
    # Grouped as on a printed card: one number.
    assert number_prefix("1606 0101") == ("16060101", "16060102")
    assert number_prefix("16.06.01") == ("160601", "160602")
    assert number_prefix("1606 siti") is None


def test_status_bar_counts_walk_the_live_indexes_not_the_tables(db, registry, village):
    from muba_desk.store.views import counts

    with registry.transaction():
        registry.delete("person", village["ahmad"]["id"])
    assert counts(db) == {"household": 2, "person": 2, "enrolment": 0}
    for table in ("household", "person", "enrolment"):
        plan = db.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT count(*) FROM {table} WHERE deleted_at IS NULL"
        ).fetchall()
        assert [row[-1] for row in plan] == [f"SCAN {table} USING COVERING INDEX {table}_live"]


def test_list_queries_keep_their_own_indexes_beside_the_live_ones(db, village):
    """The partial live-row indexes must not lure the planner away from the list's index
    (that sorted all 250,000 people for the first screen)."""
    statements = []
    db.conn.set_trace_callback(statements.append)
    search_people(db, "")
    search_people(db, "1606")
    search_households(db, "")
    db.conn.set_trace_callback(None)
    for sql in statements:
        plan = [row[-1] for row in db.conn.execute("EXPLAIN QUERY PLAN " + sql)]
        assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan
        assert not any("person_live" in step for step in plan), plan


def test_the_middle_of_a_name_and_its_other_spellings_are_found(db, registry, village):
    with registry.transaction():
        registry.insert(
            "person",
            {
                "household_id": village["h2"]["id"],
                "name": "Yanti Achmad",
                "sex": "P",
                "no_nik_reason": "lansia terlantar",
            },
        )
    # Word beginnings first, then names holding the words further in.
    assert [h.name for h in search_people(db, "anti")] == ["Yanti Achmad"]
    assert [h.name for h in search_people(db, "ahmad")] == ["Ahmad Amin", "Yanti Achmad"]
    assert [h.name for h in search_people(db, "achmad")] == ["Yanti Achmad", "Ahmad Amin"]
    assert [h.name for h in search_people(db, "mina")] == ["Siti Aminah"]
    # A word too short for the middle index still narrows what it found.
    assert [h.name for h in search_people(db, "ya hmad")] == ["Yanti Achmad"]
    assert search_people(db, "ro hmad") == []
    # The household list follows the same words.
    assert [h.kk_number for h in search_households(db, "anti")] == ["1606011506150008"]


def test_the_end_or_middle_of_a_nik_or_kk_is_found_typed_in_groups(db, village):
    # The end of Siti Aminah's NIK; the middle of her household's KK; as printed, in groups.
    assert names(search_people(db, "6780001")) == ["Siti Aminah"]
    assert names(search_people(db, "1201 1000")) == ["Ahmad Amin", "Siti Aminah"]
    assert names(search_people(db, "1606 0145 0678 0001")) == ["Siti Aminah"]
    assert names(search_people(db, "16.06.01.4506")) == ["Siti Aminah"]
    assert [h.kk_number for h in search_households(db, "6780001")] == ["1606011201100003"]
    assert search_people(db, "99999") == []
