"""The walls between layers: only muba_desk/gui and muba_desk/app.py import Qt, the window runs
no SQL of its own, and the laptop's sync modules reach nothing of the office."""

import ast
import pkgutil
import re
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


# -- the window runs no SQL of its own --------------------------------------------------------
SQL_START = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|PRAGMA|BEGIN|REPLACE)\b")
SQL_CALLS = {"execute", "executemany", "executescript"}


def sql_in(path: Path) -> list[str]:
    """Calls of execute/executemany/executescript and string literals that start as SQL."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            found.append(f"{path.name}:{node.lineno}: .{node.func.attr}(")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and SQL_START.match(node.value)
        ):
            found.append(f"{path.name}:{node.lineno}: {node.value.strip()[:40]!r}")
    return found


def test_the_sql_finder_finds_queries_and_writes(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'db.conn.execute("SELECT 1")\n'
        "rows = conn.executemany(sql, values)\n"
        'SQL = f"""\n  UPDATE person SET name = ?"""\n'
        'TEXT = "Select a person"  # words, not SQL\n',
        encoding="utf-8",
    )
    found = sql_in(sample)
    assert len(found) == 4, found
    assert not any("Select a person" in line for line in found)


def test_no_module_of_the_window_runs_sql():
    window = [*sorted((ROOT / "gui").rglob("*.py")), ROOT / "app.py"]
    offenders = [line for path in window for line in sql_in(path)]
    assert offenders == []


# -- sync split by side: the laptop's modules reach nothing of the office -------------------
LAPTOP_SIDE = ("muba_desk.sync.export", "muba_desk.sync.receive", "muba_desk.sync.outbox")
OFFICE_SIDE = ("muba_desk.sync.importer", "muba_desk.sync.returns", "muba_desk.sync.review")


def module_path(name: str) -> Path | None:
    """The source file of the muba_desk module `name`; None when `name` is not a module (an
    imported function or class)."""
    base = ROOT.parent / name.replace(".", "/")
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def our_imports(module: str) -> set[str]:
    """The muba_desk modules `module` imports anywhere in its source (also inside functions),
    read from the source without importing anything."""
    found = set()
    for node in ast.walk(ast.parse(module_path(module).read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("muba_desk") and module_path(name)}


def reached_from(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(our_imports(current) - seen)
    return seen


def is_office_side(module: str) -> bool:
    return (
        module in OFFICE_SIDE
        or module == "muba_desk.office"
        or module.startswith("muba_desk.office.")
    )


def test_the_import_follower_sees_the_office_behind_the_command_line():
    # sync/commands.py serves both sides, so it reaches the office's import.
    assert "muba_desk.sync.importer" in reached_from("muba_desk.sync.commands")


def test_laptop_side_sync_imports_nothing_of_the_office():
    offenders = {
        module: sorted(filter(is_office_side, reached_from(module))) for module in LAPTOP_SIDE
    }
    assert offenders == {module: [] for module in LAPTOP_SIDE}
