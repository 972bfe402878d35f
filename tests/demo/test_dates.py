"""The demo's dated work in order: registered first, then applied, decided and handed over."""

from datetime import UTC, datetime

import pytest

from muba_desk import cli as cli_module
from muba_desk.store.db import connect


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A demo made as people make it, by the command, on the real date; `doctor` passes."""
    tmp = tmp_path_factory.mktemp("demo-dates")
    path = tmp / "contoh.db"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MUBA_DESK_DATA", str(tmp / "data"))
        env.setenv("MUBA_DESK_ENCRYPT", "0")
        assert cli_module.main(["demo", "--db", str(path), "--people", "400"]) == 0
        assert cli_module.main(["doctor", "--db", str(path)]) == 0
    db = connect(path)
    yield db
    db.close()


def _count(db, sql: str) -> int:
    return db.conn.execute(sql).fetchone()[0]


def test_doctor_finds_the_demo_healthy(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MUBA_DESK_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("MUBA_DESK_ENCRYPT", "0")
    path = tmp_path / "contoh.db"
    assert cli_module.main(["demo", "--db", str(path), "--people", "150"]) == 0
    capsys.readouterr()
    assert cli_module.main(["doctor", "--db", str(path)]) == 0
    assert "sehat" in capsys.readouterr().out


def test_no_hand_over_precedes_the_registration_it_follows(demo_db):
    assert _count(demo_db, "SELECT count(*) FROM handover") > 0
    early = """SELECT count(*) FROM handover h JOIN enrolment e ON e.id = h.enrolment_id
               WHERE h.handed_at < e.created_at"""
    assert _count(demo_db, early) == 0


def test_no_status_change_precedes_its_registration_and_they_come_in_order(demo_db):
    early = """SELECT count(*) FROM enrolment_status s JOIN enrolment e ON e.id = s.enrolment_id
               WHERE s.created_at < e.created_at"""
    assert _count(demo_db, early) == 0
    histories: dict[str, list[str]] = {}
    for enrolment_id, at in demo_db.conn.execute(
        "SELECT enrolment_id, created_at FROM enrolment_status ORDER BY pk"
    ):
        histories.setdefault(enrolment_id, []).append(at)
    assert histories and all(h == sorted(h) for h in histories.values())
    assert any(len(set(h)) > 1 for h in histories.values())  # decided on another day


def test_people_and_households_are_registered_before_their_enrolments(demo_db):
    for table, column in (("person", "person_id"), ("household", "household_id")):
        early = f"""SELECT count(*) FROM enrolment e JOIN {table} t ON t.id = e.{column}
                    WHERE e.created_at < t.created_at"""
        assert _count(demo_db, early) == 0, table


def test_the_registrations_are_spread_over_the_past_and_none_is_in_the_future(demo_db):
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    months = {m for (m,) in demo_db.conn.execute("SELECT substr(created_at, 1, 7) FROM enrolment")}
    assert len(months) > 3  # the report's "Terdaftar" month is the application's
    for table in ("person", "household", "enrolment", "enrolment_status", "handover"):
        latest = _count(demo_db, f"SELECT max(created_at) FROM {table}")
        assert latest <= now, table
    assert _count(demo_db, "SELECT max(at) FROM audit") <= now
