"""One language at a time: after a switch, no menu, form, dialog or message shows the other one.

English mode: no text on screen is an Indonesian text of ours that en.po translates otherwise
(i.e. left untranslated), nor a sentence with Indonesian words. Indonesian mode: none of Qt's
own English texts (OK, Cancel, Yes, No, Close, the text fields' context menu...).
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from muba_desk.domain.programs import PROGRAMS
from muba_desk.gui import qt_language
from muba_desk.i18n import parse_po
from muba_desk.paths import resource
from tests.gui import office_world

# Words of Indonesian sentences that no English text of ours has (names and places aside).
INDONESIAN_WORDS = {
    "yang", "tidak", "dengan", "belum", "harus", "untuk", "atau", "sudah", "dulu", "pilih",
    "simpan", "cetak", "batal", "tutup", "ketik", "isi", "periksa", "kembali", "tanggal", "lahir",
    "angka", "kartu", "rumah", "tangga", "penduduk", "anggota", "pendaftaran", "penyerahan",
}  # fmt: skip
# Qt's own English texts that Indonesian mode must not show ("OK" is Indonesian too).
QT_ENGLISH = {
    "Cancel", "&Yes", "Yes", "&No", "No", "Close", "Save", "Open", "Apply", "Discard", "Help",
    "Reset", "Abort", "Retry", "Ignore", "Save All", "Yes to &All", "N&o to All",
    "Restore Defaults", "&Undo", "&Redo", "Cu&t", "&Copy", "&Paste", "Delete", "Select All",
    "&Open", "&Save", "&Choose", "Look in:", "File &name:", "Files of &type:", "Directory:",
    "New Folder", "Name", "Size", "Type", "Date Modified", "Print", "&Print", "Print Preview",
}  # fmt: skip


def texts_of(widget: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text a user can read in `widget` and its children."""
    found: list[tuple[str, str]] = []

    def add(where: QWidget | QMenu, kind: str, text: str | None) -> None:
        if isinstance(text, str) and text.strip():
            found.append((f"{type(where).__name__}.{kind}", text))

    def menu_texts(menu: QMenu) -> None:
        add(menu, "title", menu.title())
        for action in menu.actions():
            add(menu, "action", action.text().split("\t")[0])
            add(menu, "tooltip", action.toolTip() if action.toolTip() != action.text() else "")
            if action.menu() is not None:
                menu_texts(action.menu())

    for w in [widget, *widget.findChildren(QWidget)]:
        if w is not widget and not w.isVisibleTo(widget):
            continue
        if w.isWindow():
            add(w, "title", w.windowTitle())
        add(w, "tooltip", w.toolTip())
        if isinstance(w, (QLabel, QAbstractButton)):
            add(w, "text", w.text())
        elif isinstance(w, QGroupBox):
            add(w, "title", w.title())
        elif isinstance(w, (QLineEdit, QTextEdit, QPlainTextEdit)):
            add(w, "placeholder", w.placeholderText())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(w, "item", w.itemText(i))
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                if w.isTabVisible(i):
                    add(w, "tab", w.tabText(i))
        elif isinstance(w, QMenu):
            menu_texts(w)
        if isinstance(w, QListWidget):
            for i in range(w.count()):
                add(w, "item", w.item(i).text())
        header = getattr(w, "horizontalHeader", None) or getattr(w, "header", None)
        if isinstance(w, QAbstractItemView) and header is not None and not header().isHidden():
            model = header().model()
            for column in range(model.columnCount() if model is not None else 0):
                add(w, "header", model.headerData(column, Qt.Orientation.Horizontal))
    if hasattr(widget, "menuBar"):
        for action in widget.menuBar().actions():
            if action.menu() is not None:
                menu_texts(action.menu())
    return found


def untranslated(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The texts that are Indonesian: an en.po msgid shown as it is (alone or formatted), or a
    text with words of an Indonesian sentence."""
    catalogue = {
        k: v
        for k, v in parse_po(resource("locale", "en.po").read_text(encoding="utf-8")).items()
        if k != v
    }
    patterns = []
    for msgid in catalogue:
        pieces = re.split(r"\{[^{}]*\}", msgid)
        if len(pieces) > 1 and sum(len(p.strip(" :·()–-")) for p in pieces) >= 8:
            patterns.append(re.compile(".+?".join(map(re.escape, pieces)), re.DOTALL))
    # The programs' names and the acronyms' expansions are the official names in both languages.
    names = [p.expansion for p in PROGRAMS.values()] + [p.name for p in PROGRAMS.values()]
    bad = []
    for where, text in found:
        plain = text.replace("&", "")
        for name in names:
            plain = plain.replace(name, "")
        words = set(re.findall(r"[a-z]+", plain.lower()))
        if (
            text in catalogue
            or words & INDONESIAN_WORDS
            or any(p.fullmatch(text) for p in patterns)
        ):
            bad.append((where, text))
    return bad


def qt_english(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(where, text) for where, text in found if text in QT_ENGLISH]


def newest_dialog(before: set[QWidget]) -> QWidget | None:
    new = [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()]
    return new[-1] if new else None


def one_page_pdf() -> bytes:
    import io

    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "1")
    canvas.save()
    return buffer.getvalue()


@pytest.fixture
def english_window(qtbot, open_window, sample):
    """The window on the sample registry, switched to English once it is up (Siti shown)."""
    path, ids = sample
    window = open_window(path)
    window.show_person(ids["siti"])
    qtbot.waitUntil(
        lambda: window.details.shown is not None and bool(window.program_menu.actions())
    )
    window.set_language("en")
    qtbot.waitUntil(lambda: "people" in window.counts_label.text())
    return window, ids


def test_the_window_and_its_menus_are_all_english_after_a_switch(qtbot, english_window):
    window, _ids = english_window
    found = texts_of(window)
    assert ("QMenu.title", "&Program") in found and ("QMenu.title", "Pri&nt") in found
    assert ("QMenu.action", "&Enrol in a program…") in found
    assert untranslated(found) == []
    sexes = {window.people_model.index(r, 1).data() for r in range(5)}
    assert sexes <= {"M", "F"}  # the list's sex column follows the switch too
    window.search.setText("Siti Aminah")
    window.run_search()
    qtbot.waitUntil(lambda: "match" in window.result_label.text())
    assert window.result_label.text() == "1 person matches “Siti Aminah”"


def test_every_form_and_dialog_opened_in_english_is_english(qtbot, english_window):
    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.bakul_nasi import InstitutionDialog
    from muba_desk.gui.enrolment_form import open_form
    from muba_desk.gui.handover_form import HandoverForm
    from muba_desk.gui.person_form import PersonForm
    from muba_desk.gui.status_dialog import StatusDialog

    window, ids = english_window
    bad: list[tuple[str, str]] = []
    seen: set[str] = set()

    def check(widget: QWidget) -> None:
        if not widget.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose):
            qtbot.addWidget(widget)
        widget.show()
        qtbot.wait(200)  # what each form reads arrives
        found = texts_of(widget)
        seen.update(text for _where, text in found)
        bad.extend(untranslated(found))
        widget.close()

    window.new_household()
    check(window.forms[-1])
    window.add_person(ids["household"])
    qtbot.waitUntil(lambda: any(isinstance(f, PersonForm) for f in window.forms))
    check(window.forms[-1])
    backend = enrolment_backend.for_window(window)
    for program in PROGRAMS:
        form = open_form(program, backend, person_id=ids["siti"], household_id=ids["household"])
        qtbot.waitUntil(lambda f=form: getattr(f, "target", None) is not None, timeout=5000)
        check(form)
    check(HandoverForm(backend, ids["enrolment"], window))
    check(StatusDialog(backend, ids["enrolment"], window))
    actions = window.print_actions
    for action in (actions.person_card, actions.village_cards, actions.thermal_width):
        before = set(QApplication.topLevelWidgets())
        action.trigger()
        qtbot.waitUntil(lambda b=before: newest_dialog(b) is not None, timeout=5000)
        check(newest_dialog(before))
    actions.verify.trigger()
    qtbot.waitUntil(lambda: type(actions.dialog).__name__ == "VerifyDialog", timeout=5000)
    check(actions.dialog)
    check(actions.preview(one_page_pdf(), "Card", "card.pdf"))
    check(InstitutionDialog(backend, window))
    assert {"New household", "&Save", "Cancel", "&Submit", "Print…", "Save PDF…"} <= seen
    assert bad == [], "\n".join(map(str, bad))


def test_nik_messages_and_a_saving_refusal_are_english(qtbot, english_window):
    window, ids = english_window
    window.add_person(ids["household"])
    qtbot.waitUntil(lambda: bool(window.forms))
    form = window.forms[-1]
    said = []
    for typed in ("1606033213900001", "9906031203900001", "1606031203900000"):
        form.nik.setText(typed)
        form.tried_save = True
        form.check()
        said.append(form.fields["nik"].message.text())
    assert said[0].startswith("The birth day digits in the NIK (32) are impossible")
    assert said[1].startswith("The first two digits of the NIK (99)")
    assert said[2].startswith("The last four digits of the NIK")
    assert untranslated([("nik", text) for text in said]) == []
    form.nik.setText("1606035203900001")
    form.birth_date.set_value(__import__("datetime").date(1990, 3, 2))
    form.check()
    assert "differs from the birth date typed" in form.fields["nik"].message.text()


def test_qt_s_own_texts_are_indonesian_in_indonesian_mode(qtbot, open_window, sample):
    """As `muba-desk` starts: the saved language (Indonesian by default) for ours and Qt's."""
    from muba_desk.gui import enrolment_backend
    from muba_desk.gui.bakul_nasi import InstitutionDialog

    qt_language.set_language("id")
    path, ids = sample
    window = open_window(path)
    found = texts_of(window)
    window.add_person(ids["household"])
    qtbot.waitUntil(lambda: bool(window.forms))
    form = window.forms[-1]
    menu = form.name.createStandardContextMenu()
    found += texts_of(menu)
    assert [a.text().split("\t")[0] for a in menu.actions()][:2] == ["&Batalkan", "&Ulangi"]
    institution = InstitutionDialog(enrolment_backend.for_window(window), window)
    qtbot.addWidget(institution)
    institution.show()
    found += texts_of(institution)
    assert {b.text() for b in institution.findChildren(QAbstractButton)} >= {"Simpan", "Batal"}
    files = QFileDialog(window, "Pilih berkas")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(files)
    files.show()
    found += texts_of(files)
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Tanya",
        "Lanjutkan?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Close,
        window,
    )  # fmt: skip
    qtbot.addWidget(box)
    found += texts_of(box)
    assert qt_english(found) == []
    assert {b.text() for b in box.buttons()} == {"&Ya", "&Tidak", "Batal", "Tutup"}
    window.set_language("en")
    again = QMessageBox(QMessageBox.Icon.Question, "Ask", "Go on?", QMessageBox.StandardButton.Yes)
    qtbot.addWidget(again)
    assert again.buttons()[0].text() == "&Yes"  # the switch swaps Qt's texts too
    assert isinstance(institution, QDialog)


def test_the_sync_page_and_the_office_desk_follow_a_switch(qtbot, open_window, world):
    laptop = open_window(world["L07"])
    page = laptop.sync_page
    laptop.work_tabs.setCurrentWidget(page)
    laptop.set_language("en")
    qtbot.waitUntil(lambda: "office" in laptop.sync_page.pending_label.text())
    found = texts_of(laptop)
    assert ("QTabWidget.tab", "Sync") in found and ("QTabWidget.tab", "Search") in found
    bad = untranslated(found)
    laptop.close()
    office = open_window(world["office_db"])
    office.set_language("en")
    desk = office.office_desk
    for page, _label in desk.pages:
        desk.show_page(page)
        qtbot.wait(300)  # the page reads what it shows
        bad += untranslated(texts_of(office))
    assert bad == [], "\n".join(map(str, sorted(set(bad))))


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world


def test_the_first_start_the_sign_in_and_the_lock_follow_a_switch(qtbot, open_window, sample):
    from muba_desk.gui.first_start import FirstStartDialog
    from tests.gui.test_registration_forms import PASSWORD, add_operator

    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    found = texts_of(dialog)
    for page in (dialog.laptop, dialog.office_choice.page):
        dialog.pages.setCurrentWidget(page)
        found += texts_of(dialog)
    dialog.close()
    path, _ids = sample
    add_operator(path)
    window = open_window(path)
    window.set_language("en")
    found += texts_of(window)  # the sign-in page
    qtbot.keyClicks(window.signin.username, "ani")
    qtbot.keyClicks(window.signin.password, PASSWORD)
    window.signin.submit()
    qtbot.waitUntil(lambda: window.operator is not None)
    window.lock()
    found += texts_of(window)  # the lock screen
    shown = {text for _where, text in found}
    assert {"Welcome to muba-desk", "Set up this laptop", "This is the office", "Sign in"} <= shown
    assert untranslated(found) == [], "\n".join(map(str, untranslated(found)))
