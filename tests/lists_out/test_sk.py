"""Decisions (SK): made and filled through the core and the command line, refusals that say
why, and the enrolment's history naming its SK."""

import pytest

from muba_desk.cli import main
from muba_desk.core import operations
from muba_desk.gui.office.history_html import person_html
from muba_desk.office.registry_query import RegistryFilter, browse_people, person_history
from muba_desk.store.db import connect
from muba_desk.store.enrolment_reads import load_enrolment
from muba_desk.store.registry import Registry
from tests.lists_out.conftest import SK_NUMBER, sk_new

CLERK = operations.Actor("op-kantor", side=operations.OFFICE)


def _on_office(db_path, fn):
    db = connect(db_path)
    try:
        reg = Registry(db, operator_id="op-kantor")
        with reg.transaction():
            return fn(reg)
    finally:
        db.close()


def _count(db_path, sql, params=()):
    db = connect(db_path)
    try:
        return db.conn.execute(sql, params).fetchone()[0]
    finally:
        db.close()


def test_all_approved_sets_the_approved_of_its_program_only(with_sk, capsys):
    members = _count(
        with_sk.office_db,
        "SELECT group_concat(enrolment_id) FROM sk_enrolment l JOIN sk s ON s.id = l.sk_id "
        "WHERE s.number = ?",
        (SK_NUMBER,),
    ).split(",")
    assert sorted(members) == sorted(with_sk.approved)
    assert with_sk.rejected not in members and with_sk.other_program not in members
    capsys.readouterr()
    assert main(["sk", "list", "--db", str(with_sk.office_db)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.split("\t")[:5] == [SK_NUMBER, "2026-02-02", "PKM", "2026", "30"]


def test_adding_again_changes_nothing(with_sk, capsys):
    add = ["sk", "add", "--db", str(with_sk.office_db), "--sk", SK_NUMBER]
    assert main([*add, "--all-approved"]) == 0
    assert main([*add, "--enrolment", with_sk.approved[0]]) == 0
    assert "0 pendaftaran ditambahkan" in capsys.readouterr().out
    assert _count(with_sk.office_db, "SELECT count(*) FROM sk_enrolment") == 30


@pytest.mark.parametrize(
    ("which", "reason"),
    [
        ("rejected", "statusnya Ditolak; hanya yang Disetujui atau Aktif dapat ditetapkan"),
        ("other_program", "programnya PEDAS_NIA, bukan PKM"),
    ],
)
def test_a_refused_enrolment_refuses_the_whole_addition_and_says_why(
    decided, capsys, which, reason
):
    assert sk_new(decided.office_db) == 0
    wanted = [decided.approved[0], getattr(decided, which)]
    add = ["sk", "add", "--db", str(decided.office_db), "--sk", SK_NUMBER, "--enrolment"]
    capsys.readouterr()
    assert main([*add, *wanted]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert f"Tidak ada yang ditambahkan ke SK {SK_NUMBER}" in err and reason in err
    assert getattr(decided, which) in err
    assert _count(decided.office_db, "SELECT count(*) FROM sk_enrolment") == 0


def test_an_enrolment_is_set_by_one_sk_of_a_program_and_year(with_sk, capsys):
    assert sk_new(with_sk.office_db, number="460/018/KPTS/DINSOS/2026") == 0
    capsys.readouterr()
    add = ["sk", "add", "--db", str(with_sk.office_db), "--sk", "460/018/KPTS/DINSOS/2026"]
    assert main([*add, "--enrolment", with_sk.approved[3]]) == 1
    assert f"sudah ditetapkan dalam SK nomor {SK_NUMBER}" in capsys.readouterr().err
    # Another budget year may set it again.
    assert sk_new(with_sk.office_db, number="460/001/KPTS/DINSOS/2027", period="2027") == 0
    add = ["sk", "add", "--db", str(with_sk.office_db), "--sk", "460/001/KPTS/DINSOS/2027"]
    assert main([*add, "--enrolment", with_sk.approved[3]]) == 0


def test_numbers_are_unique_and_values_are_checked(decided, capsys):
    assert sk_new(decided.office_db) == 0
    capsys.readouterr()
    assert sk_new(decided.office_db) == 1
    assert f"SK nomor {SK_NUMBER} sudah ada" in capsys.readouterr().err
    assert sk_new(decided.office_db, number="1/2026", period="26") == 1
    assert "harus tahun anggaran TTTT" in capsys.readouterr().err
    assert sk_new(decided.office_db, number="2/2026", program="BANSOS") == 1
    assert "Program 'BANSOS' tidak dikenal" in capsys.readouterr().err
    missing = ["sk", "add", "--db", str(decided.office_db), "--sk", "9/2026", "--all-approved"]
    assert main(missing) == 1
    assert "SK nomor 9/2026 tidak ditemukan" in capsys.readouterr().err
    assert _count(decided.office_db, "SELECT count(*) FROM sk") == 1


def test_only_the_office_makes_decisions(field):
    worker = operations.Actor("op-L07")  # a laptop's worker
    values = dict(
        number="1/2026",
        decided_on="2026-01-02",
        about="Uji",
        program="PKM",
        period="2026",
        signatory_name="Kepala",
        signatory_title="Kepala Dinas",
    )
    with pytest.raises(operations.NotAllowed, match="hanya dibuat di kantor"):
        _on_office(field.office_db, lambda reg: operations.make_sk(reg, worker, **values))
    # Calling itself the office does not make a laptop's registry one.
    with pytest.raises(operations.NotAllowed, match="hanya dibuat di kantor"):
        field.on_laptop(lambda reg: operations.make_sk(reg, CLERK, **values))


def test_the_enrolments_history_names_its_sk(with_sk):
    enrolment_id = with_sk.approved[0]
    db = connect(with_sk.office_db)
    try:
        shown = load_enrolment(db, enrolment_id)
        assert [d["number"] for d in shown.decisions] == [SK_NUMBER]
        entries = person_history(db, shown.person_id)
    finally:
        db.close()
    named = [e for e in entries if e.action == "sk_add" and e.row_id == enrolment_id]
    assert len(named) == 1
    assert named[0].detail["sk"] == SK_NUMBER
    assert f"SK nomor {SK_NUMBER} tanggal 2026-02-02" in named[0].detail["reason"]
    # The registry page's history pane shows it in the clerk's words.
    db = connect(with_sk.office_db)
    try:
        (row,) = browse_people(db, RegistryFilter(text=with_sk.long_name_nik)).rows
    finally:
        db.close()
    pane = person_html(row, entries)
    assert "menetapkan pendaftaran program" in pane and f"SK nomor {SK_NUMBER}" in pane
