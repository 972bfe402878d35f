"""The rules that trim Qt out of the installer, and the check of a built folder, on a fake one.

The real build (`make installer`, a minute or more) is checked by `make test-installer`.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "installer"))
sys.path.insert(0, str(ROOT / "scripts"))

import bundle_rules  # noqa: E402
import check_installer  # noqa: E402


def test_the_qt_modules_come_from_the_imports_of_the_app():
    used = bundle_rules.used_qt_modules()
    assert {"QtCore", "QtGui", "QtWidgets", "QtPdf", "QtPrintSupport"} <= used
    excluded = bundle_rules.excluded_qt_modules()
    assert "PySide6.QtQml" in excluded and "PySide6.QtQuick" in excluded
    assert not any(name.removeprefix("PySide6.") in used for name in excluded)


def test_plugins_kept_are_the_listed_ones():
    assert bundle_rules.plugin_kept("platforms/libqxcb.so")
    assert bundle_rules.plugin_kept("platforms/qwindows.dll")
    assert bundle_rules.plugin_kept("platforms/libqoffscreen.so")
    assert bundle_rules.plugin_kept("imageformats/qjpeg.dll")
    assert not bundle_rules.plugin_kept("platforms/libqwayland.so")
    assert not bundle_rules.plugin_kept("imageformats/libqsvg.so")
    assert not bundle_rules.plugin_kept("platformthemes/libqgtk3.so")
    assert bundle_rules.qt_plugin_part("PySide6/Qt/plugins/platforms/libqxcb.so") == (
        "platforms/libqxcb.so"
    )
    assert bundle_rules.qt_plugin_part("PySide6/plugins/imageformats/qjpeg.dll") == (
        "imageformats/qjpeg.dll"
    )
    assert bundle_rules.qt_plugin_part("PySide6/Qt/lib/libQt6Core.so.6") is None


def test_library_and_module_names():
    assert bundle_rules.qt_library_module("libQt6PdfWidgets.so.6") == "QtPdfWidgets"
    assert bundle_rules.qt_library_module("Qt6Core.dll") == "QtCore"
    assert bundle_rules.qt_library_module("libicudata.so.73") is None
    assert bundle_rules.qt_python_module("QtPdf.abi3.so") == "QtPdf"
    assert bundle_rules.qt_python_module("QtGui.pyd") == "QtGui"
    assert bundle_rules.qt_python_module("libpyside6.abi3.so.6.12") is None


@pytest.mark.skipif(sys.platform != "linux", reason="reads an ELF library of the venv")
def test_needed_libraries_reads_the_elf_dynamic_section():
    import PySide6

    pdf = Path(PySide6.__file__).parent / "Qt" / "lib" / "libQt6Pdf.so.6"
    needed = bundle_rules.needed_libraries(pdf)
    assert "libQt6Core.so.6" in needed and "libQt6Network.so.6" in needed


def test_trim_drops_unlisted_plugins_their_libraries_links_and_translations(tmp_path, monkeypatch):
    # Stand-ins for ELF files: needed_libraries() is faked from this table.
    needs = {
        "libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
        "libqgtk3.so": ["libgtk-3.so.0", "libQt6Gui.so.6"],
        "libqsvgicon.so": ["libQt6Svg.so.6"],
        "QtGui.abi3.so": ["libQt6Gui.so.6"],
    }
    files = {}
    for name in [
        *needs,
        "libQt6XcbQpa.so.6",
        "libQt6Gui.so.6",
        "libgtk-3.so.0",
        "libQt6Svg.so.6",
        "libkept-by-a-hook.so",
    ]:
        files[name] = tmp_path / name
        files[name].write_bytes(b"")
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", str(files["libqxcb.so"]), "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", str(files["libqgtk3.so"]), "BINARY"),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", str(files["libqsvgicon.so"]), "BINARY"),
        ("PySide6/QtGui.abi3.so", str(files["QtGui.abi3.so"]), "EXTENSION"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", str(files["libQt6XcbQpa.so.6"]), "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", str(files["libQt6Gui.so.6"]), "BINARY"),
        ("PySide6/Qt/lib/libQt6Svg.so.6", str(files["libQt6Svg.so.6"]), "BINARY"),
        ("libgtk-3.so.0", str(files["libgtk-3.so.0"]), "BINARY"),
        ("libkept-by-a-hook.so", str(files["libkept-by-a-hook.so"]), "BINARY"),
    ]
    datas = [
        ("PySide6/Qt/translations/qtbase_en.qm", "/x/qtbase_en.qm", "DATA"),
        ("resources/fonts/DejaVuSans.ttf", "/x/DejaVuSans.ttf", "DATA"),
        ("libQt6Svg.so.6", "PySide6/Qt/lib/libQt6Svg.so.6", "SYMLINK"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
    ]
    monkeypatch.setattr(
        bundle_rules, "needed_libraries", lambda path: needs.get(Path(path).name, [])
    )
    kept_binaries, kept_datas, dropped = bundle_rules.trim(binaries, datas)
    kept = {dest for dest, _src, _kind in kept_binaries + kept_datas}
    assert kept == {
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/QtGui.abi3.so",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "libkept-by-a-hook.so",  # not collected for a dropped plugin: not ours to judge
        "resources/fonts/DejaVuSans.ttf",
        "libQt6Gui.so.6",
    }
    assert "libgtk-3.so.0" in dropped and "libQt6Svg.so.6" in dropped


def _fake_dist(root: Path, modules, plugins=(), libraries=()) -> Path:
    dist = root / "muba-desk"
    inner = dist / "_internal"
    exe = ".exe" if sys.platform == "win32" else ""
    for program in check_installer.PROGRAMS:
        (dist / f"{program}{exe}").parent.mkdir(parents=True, exist_ok=True)
        (dist / f"{program}{exe}").write_bytes(b"")
    for name in check_installer.RESOURCE_FOLDERS:
        (inner / "resources" / name).mkdir(parents=True)
        (inner / "resources" / name / "file").write_text("x")
    (inner / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    for module in modules:
        (inner / "PySide6" / f"{module}.abi3.so").write_bytes(b"")
    for plugin in plugins:
        path = inner / "PySide6" / "Qt" / "plugins" / plugin
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    for library in libraries:
        (inner / "PySide6" / "Qt" / "lib" / library).write_bytes(b"")
    return dist


def test_the_check_passes_a_folder_with_only_what_the_app_loads(tmp_path):
    dist = _fake_dist(tmp_path, bundle_rules.bundled_qt_modules(), plugins=["platforms/libqxcb.so"])
    problems, summary = check_installer.check(dist)
    assert problems == []
    assert summary["plugins"] == ["platforms/libqxcb.so"]


def test_the_check_names_each_file_the_app_never_loads(tmp_path):
    dist = _fake_dist(
        tmp_path,
        [*bundle_rules.bundled_qt_modules() - {"QtPdf"}, "QtQml"],
        plugins=["platforms/libqxcb.so", "platforms/libqwayland.so"],
        libraries=["libQt6Quick.so.6"],
    )
    (dist / "_internal" / "PySide6" / "Qt" / "translations").mkdir()
    (dist / "_internal" / "PySide6" / "Qt" / "translations" / "qtbase_en.qm").write_bytes(b"")
    problems, _summary = check_installer.check(dist)
    text = "\n".join(problems)
    assert "Qt module QtQml is bundled" in text
    assert "Qt module QtPdf is imported by muba_desk but not bundled" in text
    assert "Qt plugin platforms/libqwayland.so is not in" in text
    assert "Qt library libQt6Quick.so.6 is loaded by no bundled Qt module" in text
    assert "qtbase_en.qm: Qt translations / QML are never loaded" in text
    assert len(problems) == 5
