"""What of Qt goes into the installer: shared by build_installer.spec and check_installer.py.

The Qt modules are not listed by hand: they are the `PySide6.QtXxx` modules that muba_desk's
source imports, so a new `from PySide6.QtMultimedia import ...` brings its module (and its
plugins, through PyInstaller's hooks) into the next build, and the check keeps agreeing.
Everything else of PySide6 is excluded. Qt plugins are kept only when listed below.
"""

from __future__ import annotations

import os
import re
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "muba_desk"

_IMPORT = re.compile(r"^\s*(?:from|import)\s+PySide6\.(Qt\w+)", re.MULTILINE)

# Qt modules the app needs whatever it imports: PySide6's Python modules depend on these.
ALWAYS = {"QtCore", "QtGui"}

# Qt plugins worth shipping, as "<type>/<pattern>" on the plugin file name, any platform.
# - platforms: the desktop one (Windows, X11, macOS) and offscreen (the self-test, CI).
# - imageformats: JPEG, the only format the app hands to Qt (photo thumbnails).
# - printsupport: CUPS on Linux (Windows and macOS print through QtPrintSupport itself).
# - platforminputcontexts: compose, for dead keys on X11; no extra libraries.
# Left out on purpose: Wayland (XWayland runs the xcb plugin), EGL/eglfs/linuxfb/vnc,
# platform themes (GTK, portal: they pull GTK/DBus; the app uses the Fusion style and Qt's own
# dialogs), styles (Fusion is built in), icon engines (no SVG icons), input generics, GL
# integrations (nothing is drawn with OpenGL), the QtPdf image-format plugin, other formats.
KEEP_PLUGINS = (
    "platforms/*qwindows*",
    "platforms/*qxcb*",
    "platforms/*qcocoa*",
    "platforms/*qoffscreen*",
    "imageformats/*qjpeg*",
    "printsupport/*",
    "platforminputcontexts/*compose*",
    # Only collected when PySide6-Addons is installed and the app imports QtMultimedia (the
    # camera in the photo widget, which is optional: without Addons it offers no camera).
    "multimedia/*",
)

# Stdlib and third-party modules nothing in the app uses, but which hooks could pull in.
EXCLUDE_MODULES = ["tkinter", "_tkinter", "pydoc_data", "lib2to3", "pytest", "hypothesis"]


def used_qt_modules(package: Path = PACKAGE) -> set[str]:
    """The `QtXxx` module names imported anywhere in the package, plus ALWAYS."""
    found = set(ALWAYS)
    for path in package.rglob("*.py"):
        found.update(_IMPORT.findall(path.read_text(encoding="utf-8")))
    return found


def all_qt_modules() -> set[str]:
    """Every `QtXxx` binding module of the installed PySide6 (Essentials, Pdf, Addons...)."""
    import PySide6

    folder = Path(PySide6.__file__).parent
    names = set()
    for path in folder.iterdir():
        match = re.match(r"^(Qt\w+?)(?:\.abi3)?\.(?:so|pyd)$|^(Qt\w+?)\..*\.(?:so|pyd)$", path.name)
        if match:
            names.add(match.group(1) or match.group(2))
    return names


def bundled_qt_modules(package: Path = PACKAGE) -> set[str]:
    """The imported modules that are installed (an optional import of a module of
    PySide6-Addons, when only the Essentials are installed, ships nothing)."""
    return used_qt_modules(package) & all_qt_modules()


def excluded_qt_modules(package: Path = PACKAGE) -> list[str]:
    """`PySide6.QtXxx` names to pass to PyInstaller's `excludes`."""
    return sorted(f"PySide6.{name}" for name in all_qt_modules() - used_qt_modules(package))


def plugin_kept(relative: str) -> bool:
    """`relative`: "<type>/<file>" below Qt's plugin folder."""
    return any(fnmatch(relative, pattern) for pattern in KEEP_PLUGINS)


def qt_plugin_part(dest: str) -> str | None:
    """ "<type>/<file>" when a bundle path lies in a Qt plugin folder, else None."""
    parts = Path(dest).as_posix().split("/")
    if "PySide6" in parts and "plugins" in parts:
        i = parts.index("plugins")
        if len(parts) > i + 2:
            return "/".join(parts[i + 1 :])
    return None


def qt_library_module(name: str) -> str | None:
    """The Qt module of a Qt shared library file name: libQt6Pdf.so.6 / Qt6Pdf.dll -> "QtPdf"."""
    match = re.match(r"^(?:lib)?Qt6(\w+?)(?:\.so(?:\.\d+)*|\.dll|\.dylib)$", name)
    if match:
        return "Qt" + match.group(1)
    match = re.match(r"^Qt(\w+)$", name)  # a macOS framework binary
    return "Qt" + match.group(1) if match else None


def qt_python_module(name: str) -> str | None:
    """The binding module of an extension file name: QtPdf.abi3.so / QtPdf.pyd -> "QtPdf"."""
    match = re.match(r"^(Qt\w+?)(?:\.abi3)?(?:\.cpython-[\w-]+)?\.(?:so|pyd)$", name)
    return match.group(1) if match else None


# -- which libraries a binary loads ---------------------------------------------------------
def needed_libraries(path: str | Path) -> list[str]:
    """The names a binary asks the loader for (ELF DT_NEEDED, PE imports); [] if unknown."""
    path = Path(path)
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == b"\x7fELF":
        return _elf_needed(path)
    if magic[:2] == b"MZ":
        try:
            import pefile
        except ImportError:
            return []
        pe = pefile.PE(str(path), fast_load=True)
        pe.parse_data_directories(
            directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]]
        )
        return [entry.dll.decode() for entry in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])]
    return []


def _elf_needed(path: Path) -> list[str]:
    import struct

    data = path.read_bytes()
    if data[4] != 2 or data[5] != 1:  # only 64-bit little-endian, all this project builds
        return []
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)
    ]
    names = []
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab_offset = sections[link][4]
        for pos in range(offset, offset + size, entsize or 16):
            tag, value = struct.unpack_from("<qQ", data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strtab_offset + value)
                names.append(data[strtab_offset + value : end].decode())
    return names


def library_key(name: str) -> str:
    """How a library name is compared: Windows' DLL names are case-insensitive."""
    return name.lower() if name.lower().endswith((".dll", ".pyd")) else name


def library_closure(roots, by_name: dict[str, Path]) -> set[str]:
    """Keys (library_key) of the files in `by_name` (key -> path) that `roots` (paths) load,
    directly or through each other."""
    seen: set[str] = set()
    todo = [Path(p) for p in roots]
    while todo:
        for name in needed_libraries(todo.pop()):
            key = library_key(name)
            if key in by_name and key not in seen:
                seen.add(key)
                todo.append(by_name[key])
    return seen


# -- the trim the spec applies to PyInstaller's lists ----------------------------------------
def _dest(entry) -> str:
    return Path(entry[0]).as_posix()


def _unwanted_data(dest: str) -> bool:
    """Plugins not listed in KEEP_PLUGINS, and Qt's own translations (the app's texts, and
    Qt's own in Indonesian, qt_id.qm, come from resources/locale)."""
    plugin = qt_plugin_part(dest)
    if plugin is not None:
        return not plugin_kept(plugin)
    parts = dest.split("/")
    return parts[0] == "PySide6" and "translations" in parts


def trim(binaries: list, datas: list) -> tuple[list, list, list[str]]:
    """Drop unwanted plugins and translations, then the libraries only they loaded.

    A library goes only when it was collected for a dropped plugin (or is a Qt library) and
    nothing kept loads it: libraries collected for other reasons (a hook's ctypes library)
    stay. Returns (binaries, datas, dropped dest names).
    """
    dropped_plugins = [e for e in binaries if _unwanted_data(_dest(e))]
    binaries = [e for e in binaries if not _unwanted_data(_dest(e))]
    datas = [e for e in datas if not _unwanted_data(_dest(e))]
    files = [e for e in binaries if e[2] != "SYMLINK"]
    by_key = {library_key(Path(e[0]).name): Path(e[1]) for e in files}
    candidates = library_closure([e[1] for e in dropped_plugins], by_key)
    candidates |= {key for key in by_key if qt_library_module(key) is not None}
    roots = [e[1] for e in files if library_key(Path(e[0]).name) not in candidates]
    loaded = library_closure(roots, by_key)
    gone = candidates - loaded
    dropped = [_dest(e) for e in dropped_plugins]
    kept = []
    for entry in binaries:
        if entry[2] != "SYMLINK" and library_key(Path(entry[0]).name) in gone:
            dropped.append(_dest(entry))
        else:
            kept.append(entry)
    # The top-level links PyInstaller makes to libraries (SYMLINK entries, among the datas):
    # those whose library is not kept (dropped above, or never collected) would dangle.
    present = {_dest(e) for e in kept + datas if e[2] != "SYMLINK"}
    lists = []
    for entries in (kept, datas):
        lists.append([])
        for entry in entries:
            if entry[2] == "SYMLINK" and not _link_target_present(entry, present):
                dropped.append(_dest(entry))
            else:
                lists[-1].append(entry)
    return lists[0], lists[1], dropped


def _link_target_present(entry, present: set[str]) -> bool:
    dest, target = Path(entry[0]), Path(entry[1])
    if target.is_absolute():
        return target.exists()
    beside = os.path.normpath(dest.parent / target)
    return target.as_posix() in present or Path(beside).as_posix() in present
