"""The wall between the window and the rest: only muba_desk/gui and muba_desk/app.py import Qt."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import muba_desk

ROOT = Path(muba_desk.__file__).parent

BLOCK_QT_AND_IMPORT = """
import importlib, sys

class BlockQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name == "shiboken6":
            raise ImportError(f"Qt imported outside the gui layer: {name}")
        return None

sys.meta_path.insert(0, BlockQt())
for name in sys.argv[1:]:
    importlib.import_module(name)
print("imported", len(sys.argv) - 1)
"""


def non_gui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(ROOT)], prefix="muba_desk."):
        if info.name.startswith("muba_desk.gui") or info.name == "muba_desk.app":
            continue
        if info.name == "muba_desk.__main__":
            continue  # running it starts the program
        names.append(info.name)
    return names


def test_every_module_outside_gui_imports_with_qt_blocked():
    modules = non_gui_modules()
    assert "muba_desk.store.db" in modules and "muba_desk.domain.nik" in modules
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_QT_AND_IMPORT, *modules],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"imported {len(modules)}" in result.stdout


def test_no_source_file_outside_gui_mentions_a_qt_import():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("gui/") or relative == "app.py":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import PySide6", "from PySide6")):
                offenders.append(f"{relative}: {stripped}")
    assert offenders == []


def test_domain_imports_nothing_of_ours_but_paths():
    offenders = []
    for path in (ROOT / "domain").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("from muba_desk.", "import muba_desk.")):
                target = stripped.split()[1]
                if not (target.startswith("muba_desk.domain") or target == "muba_desk.paths"):
                    offenders.append(f"{path.name}: {stripped}")
    assert offenders == []
