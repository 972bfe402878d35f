"""Qt's own texts in Indonesian from our catalogue of them (PySide6 ships no qtbase_id.qm)."""

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox

from muba_desk import i18n
from muba_desk.gui import qt_language
from muba_desk.paths import resource


def test_the_shipped_qm_is_the_po_compiled(qapp):
    """resources/locale/qt_id.qm is what `scripts/make_qt_translations.py` makes of the .po."""
    shipped = resource("locale", "qt_id.qm").read_bytes()
    assert shipped == qt_language.compile_qm(qt_language.qt_catalogue("id"))


def test_indonesian_mode_gives_qt_s_buttons_menus_and_dialogs_in_indonesian(qapp):
    qt_language.set_language("id")
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Tanya",
        "Simpan?",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
    )
    assert {b.text() for b in box.buttons()} == {"Simpan", "Buang", "Batal"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    assert buttons.buttons()[0].text() == "Tutup"
    field = QLineEdit()
    menu = field.createStandardContextMenu()
    texts = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert texts == ["&Batalkan", "&Ulangi", "&Potong", "&Salin", "T&empel", "Hapus", "Pilih semua"]
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "&Nama berkas:"
    assert QCoreApplication.translate("QPrintPreviewDialog", "Print Preview") == "Pratinjau cetak"
    qt_language.set_language("en")
    assert i18n.language() == "en"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_photos_still_decode_with_the_indonesian_translator_installed(qapp):
    """Qt asks for texts while it reads an image: a broken translator blanked every photo."""
    qt_language.set_language("id")
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    for kind in ("JPEG", "PNG"):
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        assert image.save(buffer, kind)
        buffer.close()
        decoded = QImage.fromData(bytes(data))
        assert not decoded.isNull() and decoded.size() == image.size()
