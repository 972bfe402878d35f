"""Window preferences (language, last registry opened) kept as a small JSON file in the data folder.

A JSON file rather than QSettings: it lives beside the registry, so MUBA_DESK_DATA gives tests and
a second office desk their own copy, and it is easy to read when helping someone by phone.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from muba_desk.paths import data_dir

log = logging.getLogger(__name__)

FILE_NAME = "preferences.json"


def _path() -> Path:
    return data_dir() / FILE_NAME


def load() -> dict[str, Any]:
    """Every stored preference; {} when the file is missing or unreadable (never fatal)."""
    try:
        value = json.loads(_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable preferences %s: %s", _path(), exc)
        return {}
    return value if isinstance(value, dict) else {}


def get(key: str, default: Any = None) -> Any:
    return load().get(key, default)


def put(key: str, value: Any) -> None:
    """Store one preference; written to a temporary file first so a power cut keeps the old one."""
    values = load()
    if key in values and values[key] == value:
        return  # as it is (the window stores the registry it opens at every start)
    values[key] = value
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(values, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(partial, path)
