"""Operators: hashed passwords, sign-in with a growing wait, the demo password, audit events."""

import pytest

from muba_desk.store import operators
from muba_desk.store.operators import (
    OperatorError,
    SignInRefused,
    authenticate,
    create_operator,
    ensure_demo_password,
    hash_password,
    verify_password,
)


@pytest.fixture
def ani(db):
    return create_operator(
        db, username="Ani", full_name="Ani  Lestari", role="supervisor", password="rahasia-123"
    )


def test_the_password_is_stored_only_as_a_salted_scrypt_hash(db, ani):
    (stored,) = db.conn.execute("SELECT password_hash FROM operator").fetchone()
    assert "rahasia-123" not in stored
    assert stored.startswith("scrypt$16384$8$1$")
    assert hash_password("rahasia-123") != hash_password("rahasia-123")  # salted
    assert verify_password("rahasia-123", stored)
    assert not verify_password("rahasia-124", stored)
    assert not verify_password("x", None)
    assert ani.username == "ani" and ani.full_name == "Ani Lestari"


def test_a_right_password_signs_in(db, ani):
    assert authenticate(db, "ani", "rahasia-123", now=1000.0) == ani


def test_each_failure_doubles_the_wait_and_a_blocked_name_is_refused_even_with_the_right_password(
    db, ani
):
    now = 1000.0
    waits = []
    for _ in range(5):
        with pytest.raises(SignInRefused) as refused:
            authenticate(db, "ani", "salah", now=now)
        assert str(refused.value) == "Nama pengguna atau kata sandi salah."
        waits.append(refused.value.retry_at - now)
        with pytest.raises(SignInRefused, match="Coba lagi dalam"):
            authenticate(db, "ani", "rahasia-123", now=now)
        now = refused.value.retry_at
    assert waits == [1, 2, 4, 8, 16]
    assert authenticate(db, "ani", "rahasia-123", now=now) == ani
    with pytest.raises(SignInRefused) as refused:  # a success starts the count again
        authenticate(db, "ani", "salah", now=now)
    assert refused.value.retry_at - now == 1


def test_an_unknown_name_is_refused_with_the_same_words_and_also_waits(db, ani):
    with pytest.raises(SignInRefused, match="Nama pengguna atau kata sandi salah") as refused:
        authenticate(db, "budi", "rahasia-123", now=50.0)
    assert refused.value.retry_at == 51.0


def test_the_wait_is_capped():
    assert operators.wait_after(30) == operators.MAX_WAIT_S


def test_weak_passwords_taken_names_and_bad_names_are_refused_in_indonesian(db, ani):
    with pytest.raises(OperatorError, match="paling sedikit 8 karakter"):
        create_operator(db, username="budi", full_name="Budi", role="operator", password="123")
    with pytest.raises(OperatorError, match="sudah dipakai"):
        create_operator(db, username="ANI", full_name="Ani", role="operator", password="12345678x")
    with pytest.raises(OperatorError, match="Nama pengguna"):
        create_operator(db, username="a b", full_name="A", role="operator", password="12345678x")


def test_operator_creation_and_sign_in_are_audited(db, ani):
    operators.record_event(db, ani, "sign_in")
    rows = db.conn.execute("SELECT action, operator_id FROM audit ORDER BY seq").fetchall()
    assert rows == [("operator_add", ani.id), ("sign_in", ani.id)]


def test_the_demo_operator_gets_the_password_demo(db):
    db.conn.execute(
        "INSERT INTO operator (id, username, full_name, role, password_hash, created_at) "
        "VALUES ('d', 'demo', 'Operator Demo', 'supervisor', NULL, 'now')"
    )
    assert ensure_demo_password(db)
    assert authenticate(db, "demo", "demo", now=0).id == "d"
    assert not ensure_demo_password(db)


def test_strength_grows_with_length_and_kinds():
    strength = operators.password_strength
    assert strength("abc") == 0
    assert strength("abcdefgh") == 1
    assert strength("abcdefg1") == 2
    assert strength("Sekayu-2026!") == 3
