"""Where the app keeps its data and finds the files it ships (also when frozen)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "muba-desk"


def resources_dir() -> Path:
    """The shipped `resources/`: beside the package in a checkout, in the bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """The data folder: MUBA_DESK_DATA when set (tests, a second office desk), else the user's."""
    override = os.environ.get("MUBA_DESK_DATA")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "registry.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"
