"""Check a built installer folder (dist/muba-desk) holds no Qt file the app never loads.

    .venv/bin/python scripts/check_installer.py [dist/muba-desk]

The Qt modules the app needs are the `PySide6.QtXxx` modules muba_desk's source imports (and
QtCore/QtGui beneath them), see installer/bundle_rules.py, the rules build_installer.spec
trims by. The folder fails the check when it holds
- a PySide6 binding module (QtXxx.abi3.so / QtXxx.pyd) not among those,
- a Qt plugin not listed in bundle_rules.KEEP_PLUGINS,
- a Qt library (libQt6Xxx.so.6 / Qt6Xxx.dll) that neither those modules nor the kept plugins
  load, directly or through each other,
- Qt translations or QML, or a link pointing at nothing;
or when it lacks a program, an imported module, or a folder of resources/.
Exit 0 with a summary (size, modules), 1 with the problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "installer"))

import bundle_rules  # noqa: E402

RESOURCE_FOLDERS = ("areas", "fonts", "locale", "icons", "lists", "lists_out")
PROGRAMS = ("muba-desk", "muba-desk-cli")


def folder_size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def _human(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MiB"


def _contents(dist: Path) -> Path:
    """PyInstaller 6 puts everything but the programs into _internal/."""
    inner = dist / "_internal"
    return inner if inner.is_dir() else dist


def check(dist: Path) -> tuple[list[str], dict]:
    problems: list[str] = []
    contents = _contents(dist)
    exe = ".exe" if sys.platform == "win32" else ""
    for program in PROGRAMS:
        if not (dist / f"{program}{exe}").is_file():
            problems.append(f"program {program}{exe} is missing")
    for name in RESOURCE_FOLDERS:
        folder = contents / "resources" / name
        if not folder.is_dir() or not any(folder.iterdir()):
            problems.append(f"resources/{name} is missing or empty")

    pyside = contents / "PySide6"
    if not pyside.is_dir():
        return problems + [f"{pyside} is missing: Qt was not bundled"], {}
    wanted = bundle_rules.bundled_qt_modules()
    files = [p for p in pyside.rglob("*") if p.is_file() or p.is_symlink()]

    modules = {}
    for path in pyside.iterdir():
        name = bundle_rules.qt_python_module(path.name)
        if name:
            modules[name] = path
    for name in sorted(set(modules) - wanted):
        problems.append(f"Qt module {name} is bundled ({modules[name].name}) but never imported")
    for name in sorted(wanted - set(modules)):
        problems.append(f"Qt module {name} is imported by muba_desk but not bundled")

    plugins = []
    for path in files:
        relative = path.relative_to(contents).as_posix()
        plugin = bundle_rules.qt_plugin_part(relative)
        if plugin is not None:
            plugins.append(path)
            if not bundle_rules.plugin_kept(plugin):
                problems.append(f"Qt plugin {plugin} is not in bundle_rules.KEEP_PLUGINS")
        parts = relative.split("/")
        if "translations" in parts or "qml" in parts:
            problems.append(f"{relative}: Qt translations / QML are never loaded")

    # Every binary in the folder, by the name the loader looks for.
    binaries = {}
    for path in contents.rglob("*"):
        if path.is_file() and not path.is_symlink() and _is_binary(path):
            binaries.setdefault(bundle_rules.library_key(path.name), path)
    roots = list(modules.values()) + plugins
    for helper in ("libpyside6", "libshiboken6", "pyside6.abi3", "shiboken6.abi3"):
        roots += [p for k, p in binaries.items() if k.lower().startswith(helper)]
    loaded = bundle_rules.library_closure(roots, binaries)
    qt_libraries = sorted(
        key for key in binaries if bundle_rules.qt_library_module(key) is not None
    )
    for key in qt_libraries:
        if key not in loaded:
            problems.append(f"Qt library {key} is loaded by no bundled Qt module or plugin")

    for path in contents.rglob("*"):
        if path.is_symlink() and not path.exists():
            problems.append(f"{path.relative_to(dist)} points at nothing")

    summary = {
        "size": folder_size(dist),
        "modules": sorted(modules),
        "optional_missing": sorted(bundle_rules.used_qt_modules() - wanted),
        "plugins": sorted(
            bundle_rules.qt_plugin_part(p.relative_to(contents).as_posix()) for p in plugins
        ),
        "qt_libraries": qt_libraries,
    }
    return problems, summary


def _is_binary(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".so", ".pyd", ".dll", ".dylib")) or ".so." in name


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    dist = Path(args[0]) if args else ROOT / "dist" / "muba-desk"
    if not dist.is_dir():
        print(f"{dist}: no such folder; build it first (pyinstaller build_installer.spec)")
        return 1
    problems, summary = check(dist)
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if summary:
        print(f"{dist}: {_human(summary['size'])}")
        print(f"  Qt modules: {', '.join(summary['modules'])}")
        if summary["optional_missing"]:
            print(
                f"  imported but not installed (optional, skipped): "
                f"{', '.join(summary['optional_missing'])}"
            )
        print(f"  Qt plugins: {', '.join(summary['plugins'])}")
        print(f"  Qt libraries: {', '.join(summary['qt_libraries'])}")
    if problems:
        print(f"{len(problems)} problem(s).")
        return 1
    print("installer folder OK: only what the app loads.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
