"""The demo writes in bulk, yet every row is as real as the window's: audited, logged for sync,
searchable, and the chain verifies."""

from datetime import date

import pytest

from muba_desk.demo import create_demo
from muba_desk.store.db import connect
from muba_desk.store.doctor import check
from muba_desk.store.schema import SYNCED_TABLES


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    db = connect(tmp_path_factory.mktemp("demo") / "bulk.db")
    create_demo(db, people=400, seed=3, today=date(2026, 3, 15))
    yield db
    db.close()


def count(db, sql):
    return db.conn.execute(sql).fetchone()[0]


def test_every_row_has_its_insert_entry_and_its_change_log_rows(demo_db):
    for table in SYNCED_TABLES:
        rows = count(demo_db, f"SELECT count(*) FROM {table}")
        audited = count(
            demo_db,
            f"""SELECT count(DISTINCT row_id) FROM audit
                WHERE table_name = '{table}' AND action = 'insert'""",
        )
        assert audited == rows, table
    # One change-log row per audit entry of a travelling row (insert or update).
    assert count(demo_db, "SELECT count(*) FROM change_log") == count(
        demo_db, "SELECT count(*) FROM audit WHERE action IN ('insert', 'update')"
    )


def test_each_enrolment_went_through_its_history_by_updates(demo_db):
    updates = count(
        demo_db, "SELECT count(*) FROM audit WHERE table_name = 'enrolment' AND action = 'update'"
    )
    moves = count(demo_db, "SELECT count(*) FROM enrolment_status WHERE from_status IS NOT NULL")
    assert updates == moves > 0
    last = demo_db.conn.execute(
        """SELECT e.status, (SELECT s.to_status FROM enrolment_status s
                             WHERE s.enrolment_id = e.id ORDER BY s.pk DESC LIMIT 1)
           FROM enrolment e"""
    ).fetchall()
    assert all(status == latest for status, latest in last)


def test_every_person_is_in_the_search_index_and_the_file_is_healthy(demo_db):
    assert count(demo_db, "SELECT count(*) FROM person_search") == count(
        demo_db, "SELECT count(*) FROM person WHERE deleted_at IS NULL"
    )
    seqs = [r[0] for r in demo_db.conn.execute("SELECT seq FROM audit ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    assert check(demo_db) == []
