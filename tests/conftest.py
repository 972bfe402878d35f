"""Shared fixtures: each test gets its own migrated database; Qt runs offscreen."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

PHOTOS = Path(__file__).parent / "data" / "photos"


# The test passphrase of the encrypted `db_path` registries (recovery slot and operator "op-test").
TEST_PASSPHRASE = "kata sandi uji coba"


@pytest.fixture(autouse=True)
def _fast_keys(monkeypatch):
    """Key wrapping at scrypt 2**10 in tests (the app uses 2**15); no key outlives a test."""
    from muba_desk.store import keys

    monkeypatch.setattr(keys, "SCRYPT_LOG_N", 10)
    yield
    keys.forget_all()


@pytest.fixture
def db_path(tmp_path):
    """An encrypted registry's path: its key file is made and unlocked, so `connect(db_path)`
    opens it through SQLCipher like the app does. Tests that connect to other paths of their
    own get plain files (the encryption tests cover those paths)."""
    from muba_desk.store import keys

    path = tmp_path / "registry.db"
    keys.create_key_file(
        path, operators={"op-test": TEST_PASSPHRASE}, recovery_passphrase=TEST_PASSPHRASE
    )
    return path


@pytest.fixture
def db(db_path):
    from muba_desk.store.db import connect

    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture
def registry(db):
    from muba_desk.store.registry import Registry

    return Registry(db, operator_id="op-test")


@pytest.fixture
def photos_dir():
    return PHOTOS
