"""Shared fixtures: each test gets its own migrated database; Qt runs offscreen."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

PHOTOS = Path(__file__).parent / "data" / "photos"


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "registry.db"


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
