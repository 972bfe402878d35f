"""Qt's own texts (OK, Cancel, the text fields' context menu, Qt's file and print dialogs) in the
app's language, next to ours from `muba_desk.i18n`.

PySide6 ships no `qtbase_id.qm`, so Indonesian comes from our own catalogue of Qt's standard
strings, `resources/locale/qt_id.po` (msgctxt = Qt's context, msgid = Qt's English), read by
`CatalogueTranslator`. English is Qt's source language: `qtbase_en.qm` when PySide6 has it.
The native Windows file and print dialogs are drawn by Windows and follow its language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from muba_desk import i18n
from muba_desk.paths import resource

_installed: QTranslator | None = None


class CatalogueTranslator(QTranslator):
    """A QTranslator over a dict (context, English source) -> translation."""

    def __init__(self, entries: dict[tuple[str, str], str], parent=None):
        super().__init__(parent)
        self.entries = entries

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002
        # "" tells Qt "not mine": it then tries the next translator, or shows the source.
        return self.entries.get((context, source_text), "")

    def isEmpty(self) -> bool:  # Qt skips the LanguageChange event for an empty translator
        return not self.entries


def qt_catalogue(code: str) -> dict[tuple[str, str], str]:
    """(context, source) -> text from `resources/locale/qt_<code>.po`; {} when there is none."""
    path = resource("locale", f"qt_{code}.po")
    if not path.exists():
        return {}
    return {
        (entry["msgctxt"] or "", entry["msgid"]): entry["msgstr"]
        for entry in i18n.po_entries(path.read_text(encoding="utf-8"))
    }


def use_qt_language(code: str) -> QTranslator | None:
    """Install the translator of Qt's texts for `code` (replacing the one before); needs the
    QApplication. Returns it, or None when Qt's English source texts are shown as they are."""
    global _installed
    app = QCoreApplication.instance()
    if app is None:
        return None
    uninstall()
    translator: QTranslator | None
    if code == "id":
        translator = CatalogueTranslator(qt_catalogue("id"), app)
    else:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if not translator.load(f"qtbase_{code}", folder):
            translator = None
    if translator is not None:
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
