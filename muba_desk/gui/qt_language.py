"""Qt's own texts (OK, Cancel, the text fields' context menu, Qt's file and print dialogs) in the
app's language, next to ours from `muba_desk.i18n`.

PySide6 ships no `qtbase_id.qm`, so Indonesian comes from our own catalogue of Qt's standard
strings, `resources/locale/qt_id.po` (msgctxt = Qt's context, msgid = Qt's English), compiled
by `scripts/make_qt_translations.py` into `qt_id.qm`, which a plain QTranslator loads. (Not a
Python QTranslator subclass: with PySide6 6.11 a Python `translate()` that Qt calls while it
reads or writes an image breaks the image, and every photo came out blank.) English is Qt's
source language: nothing is loaded. The native Windows file and print dialogs are drawn by
Windows and follow its language.
"""

from __future__ import annotations

import struct

from PySide6.QtCore import QCoreApplication, QTranslator

from muba_desk import i18n
from muba_desk.paths import resource

_installed: QTranslator | None = None

# Qt's .qm format (qtbase/src/corelib/kernel/qtranslator.cpp): the magic, then tagged blocks.
QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
_HASHES, _MESSAGES = 0x42, 0x69
_END, _TRANSLATION, _SOURCE, _CONTEXT = 0x01, 0x03, 0x06, 0x07


def qt_catalogue(code: str) -> dict[tuple[str, str], str]:
    """(context, source) -> text from `resources/locale/qt_<code>.po`; {} when there is none."""
    path = resource("locale", f"qt_{code}.po")
    if not path.exists():
        return {}
    return {
        (entry["msgctxt"] or "", entry["msgid"]): entry["msgstr"]
        for entry in i18n.po_entries(path.read_text(encoding="utf-8"))
    }


def _elf_hash(data: bytes) -> int:
    """The hash Qt looks a source text up by (elfHash_continue + elfHash_finish)."""
    h = 0
    for byte in data:
        h = ((h << 4) + byte) & 0xFFFFFFFF
        g = h & 0xF0000000
        if g:
            h ^= g >> 24
        h &= ~g & 0xFFFFFFFF
    return h or 1


def _field(tag: int, data: bytes) -> bytes:
    return bytes([tag]) + struct.pack(">I", len(data)) + data


def compile_qm(entries: dict[tuple[str, str], str]) -> bytes:
    """A .qm file of `entries` ((context, source) -> translation) that QTranslator.load reads."""
    messages = bytearray()
    index = []
    for (context, source), text in sorted(entries.items()):
        index.append((_elf_hash(source.encode()), len(messages)))
        messages += _field(_TRANSLATION, text.encode("utf-16-be"))
        messages += _field(_SOURCE, source.encode())
        messages += _field(_CONTEXT, context.encode())
        messages += bytes([_END])
    hashes = b"".join(struct.pack(">II", h, offset) for h, offset in sorted(index))
    return QM_MAGIC + _field(_HASHES, hashes) + _field(_MESSAGES, bytes(messages))


def use_qt_language(code: str) -> QTranslator | None:
    """Install the translator of Qt's texts for `code` (replacing the one before); needs the
    QApplication. Returns it, or None when Qt's English source texts are shown as they are."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return None
    uninstall()
    translator = QTranslator(app)
    if not translator.load(f"qt_{code}", str(resource("locale"))):
        return None  # English, or a language Qt's own texts are not translated into
    QCoreApplication.installTranslator(translator)
    _installed = translator
    return translator


def uninstall() -> None:
    """Back to Qt's English source texts (tests call this between themselves)."""
    global _installed
    if _installed is not None:
        QCoreApplication.removeTranslator(_installed)
        _installed.deleteLater()
        _installed = None


def set_language(code: str) -> None:
    """Switch our texts (`i18n.set_language`) and Qt's together; ValueError for an unknown one."""
    i18n.set_language(code)
    use_qt_language(code)
