import pytest

from muba_desk.office.decisions import decide
from muba_desk.office.registry_query import (
    OFFICE_NAME,
    RegistryFilter,
    _where,
    browse_people,
    count_people,
    history,
)
from tests.office.helpers import person, submitted, villages


def warga(i: int) -> str:
    """Thirty names in the order of `i`: Warga Aa, Warga Ab, ..."""
    return f"Warga {chr(65 + i // 26)}{chr(97 + i % 26)}"


@pytest.fixture
def db_path(field):
    """The office's registry (`db` and `registry` open it)."""
    return field.office_db


@pytest.fixture
def people(field, db, registry):
    """30 people registered on laptop L07, six of them enrolled and submitted, sent to the
    office; the office approves the PKM one."""
    v = villages(db)

    def fill(reg):
        made = [
            person(reg, v[i % 3], warga(i), "P" if i % 2 else "L", "1970-01-01") for i in range(30)
        ]
        for p in made[:5]:
            submitted(reg, "BANTU_UMAK", p["id"])
        return made, submitted(reg, "PKM", made[5]["id"])

    made, pkm = field.on_laptop(fill)
    field.deliver()
    decide(registry, pkm["id"], True)
    return v, made


def _names(page):
    return [r.name for r in page.rows]


def test_pages_follow_each_other_by_name(db, people):
    f = RegistryFilter()
    assert count_people(db, f) == 30
    first = browse_people(db, f, limit=12)
    second = browse_people(db, f, limit=12, after=first.after)
    third = browse_people(db, f, limit=12, after=second.after)
    names = _names(first) + _names(second) + _names(third)
    assert names == sorted(warga(i) for i in range(30))
    assert third.after is None and len(third.rows) == 6
    # The big-result plan (walking the name index) gives the same pages.
    assert _names(browse_people(db, f, limit=12, total=10**6)) == _names(first)


def test_filters(db, people):
    v, made = people
    district = db.conn.execute(
        "SELECT district_code FROM area_village WHERE code = ?", (v[0],)
    ).fetchone()[0]
    assert count_people(db, RegistryFilter(village=v[0])) == 10
    assert count_people(db, RegistryFilter(district=district)) == 20
    assert count_people(db, RegistryFilter(program="BANTU_UMAK")) == 5
    assert count_people(db, RegistryFilter(program="PKM", status="DISETUJUI")) == 1
    assert count_people(db, RegistryFilter(status="TERKIRIM")) == 5
    assert count_people(db, RegistryFilter(text="warga ah")) == 1
    # The middle of a name, as on the laptop: "arga" is in all thirty.
    assert count_people(db, RegistryFilter(text="arga")) == 30
    assert count_people(db, RegistryFilter(text="arga ah")) == 1
    assert count_people(db, RegistryFilter(date_from="2000-01-01", date_to="2000-12-31")) == 0
    assert count_people(db, RegistryFilter(date_from="2000-01-01")) == 30
    page = browse_people(db, RegistryFilter(program="BANTU_UMAK"))
    assert all(r.enrolments == (("BANTU_UMAK", "TERKIRIM"),) for r in page.rows)
    assert page.rows[0].laptop == "L07 Laptop L07" and page.rows[0].village_code in v
    device = page.rows[0].device_id
    assert count_people(db, RegistryFilter(laptop=device)) == 30
    assert count_people(db, RegistryFilter(laptop="L99")) == 0


@pytest.mark.parametrize(
    "f",
    [
        RegistryFilter(village="16.06.01.2001"),
        RegistryFilter(district="16.06.01"),
        RegistryFilter(program="BANTU_UMAK", status="AKTIF"),
        RegistryFilter(laptop="abcdef123456"),
        RegistryFilter(date_from="2026-01-01", date_to="2026-01-31"),
        RegistryFilter(text="siti"),
    ],
)
def test_every_filter_searches_an_index(db, f):
    where, params = _where(db, f)
    query = f"EXPLAIN QUERY PLAN SELECT pk FROM person p WHERE {where}"
    plan = [r[3] for r in db.conn.execute(query, params)]
    assert not any(step == "SCAN p" or step.startswith("SCAN p USING") for step in plan), plan
    assert any(step.startswith("SEARCH") for step in plan), plan


def test_history_names_the_devices_in_time_order(db, registry, people):
    _, made = people
    target = made[0]["id"]
    with registry.transaction():
        registry.update("person", target, {"phone": "0811"})
    db.conn.execute(
        "INSERT INTO office_laptop (device_id, code, name, district_code, key_id, "
        "signing_public, age_recipient, created_at) VALUES ('dev11', 'L11', 'Sungai Lilin', "
        "'16.06.01', 'k7', 's', 'a', '2026-01-01')"
    )
    db.conn.execute(
        "INSERT INTO audit_import (device_id, device_seq, at, action, table_name, row_id, "
        "before, after, prev_hash, hash, sequence) VALUES ('dev11', 1, '2000-01-01T00:00:00Z', "
        '\'update\', \'person\', ?, \'{"id": "x", "name": "A"}\', '
        '\'{"id": "x", "name": "B"}\', \'p\', \'h\', 1)',
        (target,),
    )
    entries = history(db, [("person", target)])
    assert [e.action for e in entries] == ["update", "insert", "update"]
    assert entries[0].laptop == "L11 Sungai Lilin" and entries[0].changes == {"name": ("A", "B")}
    assert entries[1].laptop == "L07 Laptop L07"  # registered there, arrived in its bundle
    assert entries[-1].laptop == OFFICE_NAME and entries[-1].changes == {"phone": (None, "0811")}


def test_the_laptop_column_names_who_registered_not_who_changed_last(db, registry, people):
    _, made = people
    target = made[0]["id"]
    with registry.transaction():
        registry.update("person", target, {"phone": "0811"})
    (row,) = [r for r in browse_people(db, RegistryFilter(text=made[0]["name"])).rows]
    assert row.laptop == "L07 Laptop L07"  # not the office, which edited it last
    # The duplicates page's side-by-side view names the same laptop.
    from muba_desk.office.pair_data import person_record

    assert person_record(db, target).laptop == "L07 Laptop L07"
    assert row.updated_at > row.created_at
    # The laptop filter agrees with the column: still 30 registered on L07.
    assert count_people(db, RegistryFilter(laptop="L07")) == 30
