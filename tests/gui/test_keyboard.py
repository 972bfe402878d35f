"""The keyboard first: one mnemonic per letter in every form, each sending focus somewhere,
choices reached by any word's first letters, Ctrl+L from a form, a guardian from the household,
and a household of four registered with few keys beyond its data."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from muba_desk import i18n
from muba_desk.domain.programs import PROGRAMS
from muba_desk.gui import enrolment_backend
from muba_desk.gui.fields import ChoiceBox
from muba_desk.gui.first_start import FirstStartDialog
from muba_desk.gui.handover_form import HandoverForm
from muba_desk.gui.household_form import HouseholdForm
from muba_desk.gui.person_form import PersonForm
from muba_desk.gui.status_dialog import StatusDialog
from muba_desk.i18n import _
from tests.gui.enrolment_helpers import open_program
from tests.gui.enrolment_people import OPERATOR, make
from tests.gui.test_handover_form import approved
from tests.gui.test_registration_forms import (
    CTRL,
    CTRL_SHIFT,
    PASSWORD,
    open_signed_in,
    rows,
    shortcut,
    wait_form,
)
from tests.program_data import DATA

ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def signed_in(qtbot, open_window):
    return lambda path: open_signed_in(qtbot, open_window, path)


_MNEMONIC = re.compile(r"&(.)")


def mnemonic(text: str) -> str | None:
    """The letter after a single & ("&&" is a plain ampersand)."""
    for match in _MNEMONIC.finditer(text.replace("&&", "")):
        return match.group(1).casefold()
    return None


def focus_target(widget: QWidget | None) -> QWidget | None:
    """Where focus really lands on `widget.setFocus()`: down its chain of focus proxies."""
    while widget is not None and widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return widget


def on_another_page(widget: QWidget, root: QWidget) -> bool:
    """True inside a page of a stacked widget that is not the one shown: the letters of pages
    never shown together may repeat."""
    while widget is not None and widget is not root:
        stack = widget.parentWidget()
        on_page = isinstance(stack, QStackedWidget) and stack.indexOf(widget) >= 0
        if on_page and stack.currentWidget() is not widget:
            return True
        widget = stack
    return False


def mnemonics(root: QWidget) -> list[tuple[str, QWidget, QWidget | None]]:
    """(letter, the widget showing it, where it sends focus) for every mnemonic in `root`'s
    window: labels with buddies, buttons, check and radio boxes, group boxes."""
    found = []
    window = root.window()
    if isinstance(window, QMainWindow):  # its menus answer Alt+letter too, when enabled
        for action in window.menuBar().actions():
            if action.isEnabled() and action.isVisible() and mnemonic(action.text()):
                found.append((mnemonic(action.text()), action, action.menu()))
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.window() is not window or on_another_page(widget, root):
            continue  # a window of its own (a message box), or a page not shown now
        if isinstance(widget, QLabel):
            letter, target = mnemonic(widget.text()), widget.buddy()
        elif isinstance(widget, QAbstractButton):
            letter, target = mnemonic(widget.text()), widget
        elif isinstance(widget, QGroupBox):
            letter, target = mnemonic(widget.title()), widget
        else:
            continue
        if letter:
            found.append((letter, widget, target))
    return found


def mnemonic_problems(root: QWidget) -> list[str]:
    problems, seen = [], {}
    for letter, widget, target in mnemonics(root):
        text = widget.title() if isinstance(widget, QGroupBox) else widget.text()
        if letter in seen:
            problems.append(f"Alt+{letter.upper()}: {seen[letter]!r} and {text!r}")
        seen.setdefault(letter, text)
        if target is None:
            problems.append(f"{text!r}: no buddy, Alt+{letter.upper()} sends focus nowhere")
        elif isinstance(widget, QLabel) and (
            target.focusPolicy() == Qt.FocusPolicy.NoFocus
            or focus_target(target).focusPolicy() == Qt.FocusPolicy.NoFocus
        ):
            problems.append(f"{text!r}: its buddy {type(target).__name__} takes no focus")
    return problems


def check_labels_send_focus(qtbot, root: QWidget) -> int:
    """Press Alt+letter for every label shown whose field can be used; focus must land there."""
    root.activateWindow()
    qtbot.waitUntil(root.isActiveWindow)
    pressed = 0
    for letter, widget, target in mnemonics(root):
        if not isinstance(widget, QLabel) or not widget.isVisible():
            continue
        landing = focus_target(target)
        if not landing.isEnabled() or not landing.isVisible():
            continue
        qtbot.keyClick(QApplication.focusWidget() or root, letter, ALT)
        assert QApplication.focusWidget() is landing, widget.text()
        pressed += 1
    return pressed


# -- every form ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_household_and_person_forms_have_one_working_mnemonic_per_letter(
    qtbot, signed_in, sample, language
):
    i18n.set_language(language)  # the labels and their letters differ between the languages
    path, ids = sample
    window, _operator = signed_in(path)
    shortcut(qtbot, window, Qt.Key.Key_N)
    household = wait_form(qtbot, window, HouseholdForm)
    assert mnemonic_problems(household) == []
    assert check_labels_send_focus(qtbot, household) == 10  # "Tahun desil" among them
    household.discard()

    window.add_person(ids["household"])
    person = wait_form(qtbot, window, PersonForm)
    assert mnemonic_problems(person) == []
    assert check_labels_send_focus(qtbot, person) == 12
    # Alt+N reaches the NIK, or the reason once "no NIK" is ticked (Alt+I).
    person.name.setFocus()
    nik, no_nik = mnemonic(_("&NIK")), mnemonic(_("T&idak punya NIK"))
    qtbot.keyClick(person.name, nik, ALT)
    assert person.nik.hasFocus()
    qtbot.keyClick(person.nik, no_nik, ALT)
    qtbot.waitUntil(person.no_nik.isChecked)
    assert person.no_nik_reason.hasFocus()
    person.name.setFocus()
    qtbot.keyClick(person.name, nik, ALT)
    assert person.no_nik_reason.hasFocus()
    person.discard()


@pytest.fixture
def office_registry(tmp_path):
    path = tmp_path / "keys.db"
    return path, make(path)


@pytest.fixture
def backend(office_registry):
    path, _ids = office_registry
    backend = enrolment_backend.threaded(path, OPERATOR, "Rina Operator")
    yield backend
    backend.close()


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("program", sorted(PROGRAMS))
def test_every_enrolment_form_has_one_mnemonic_per_letter(
    qtbot, office_registry, backend, program, language
):
    i18n.set_language(language)
    _path, ids = office_registry
    target = {} if program in ("KUBE_UEP", "BAKUL_NASI") else {"person_id": ids["siti"]}
    form = open_program(qtbot, backend, program, **target)
    assert mnemonic_problems(form) == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_handover_and_status_dialogs_have_one_mnemonic_per_letter(
    qtbot, office_registry, backend, language
):
    i18n.set_language(language)
    path, ids = office_registry
    eid = approved(path, ids["siti"], "BANTU_UMAK", DATA["BANTU_UMAK"])
    handover = HandoverForm(backend, eid)
    qtbot.addWidget(handover)
    handover.show()
    qtbot.waitUntil(lambda: handover.enrolment is not None)
    assert mnemonic_problems(handover) == []
    status = StatusDialog(backend, eid)
    qtbot.addWidget(status)
    status.show()
    assert mnemonic_problems(status) == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_window_its_sign_in_and_the_operators_dialog_have_one_mnemonic_per_letter(
    qtbot, signed_in, sample, language
):
    i18n.set_language(language)
    window, _operator = signed_in(sample[0])
    assert mnemonic_problems(window) == []  # the menus, the search and the lists
    window.show_operators()
    qtbot.waitUntil(lambda: window.operators_dialog.isVisible())
    assert mnemonic_problems(window.operators_dialog) == []
    window.operators_dialog.accept()
    window.lock()
    assert mnemonic_problems(window) == []  # the sign-in with the menus still open then
    assert check_labels_send_focus(qtbot, window.signin) == 2


@pytest.mark.parametrize("language", ["id", "en"])
def test_each_menu_has_one_mnemonic_per_letter(qtbot, signed_in, sample, language):
    i18n.set_language(language)
    window, _operator = signed_in(sample[0])
    qtbot.waitUntil(lambda: bool(window.print_menu.actions()))  # filled after the first paint
    for bar_action in window.menuBar().actions():
        seen: dict[str, str] = {}
        for action in bar_action.menu().actions():
            letter = mnemonic(action.text())
            assert letter is None or letter not in seen, (seen.get(letter), action.text())
            if letter:
                seen[letter] = action.text()


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_first_start_and_laptop_set_up_pages_have_one_mnemonic_per_letter(qtbot, language):
    i18n.set_language(language)
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert mnemonic_problems(dialog) == []
    dialog.laptop_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentWidget() is dialog.laptop)
    assert mnemonic_problems(dialog) == []


def test_a_mnemonic_used_twice_or_sending_focus_nowhere_is_found():
    """The checker itself: the two traps the field test met."""
    form = QWidget()
    place, consent, orphan = QLabel("&Tempat lahir"), QLabel("Perse&tujuan"), QLabel("&NIK")
    place.setBuddy(ChoiceBox([], form))
    consent.setBuddy(ChoiceBox([], form))
    orphan.setBuddy(QWidget(form))  # a row of two editors without a focus proxy
    for label in (place, consent, orphan):
        label.setParent(form)
    problems = mnemonic_problems(form)
    assert problems[0] == "Alt+T: '&Tempat lahir' and 'Perse&tujuan'"
    assert problems[1] == "'&NIK': its buddy QWidget takes no focus"
    assert len(problems) == 2


# -- choices, the no-NIK box, the guardian, the lock ------------------------------------------


def test_a_choice_is_reached_by_the_first_letters_of_any_of_its_words(qtbot):
    combo = ChoiceBox([("anak", "Anak"), ("pasangan", "Suami / istri"), ("x", "Kayu Ara")])
    qtbot.addWidget(combo)
    qtbot.keyClicks(combo, "i")
    assert combo.value() == "pasangan"
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    qtbot.keyClicks(combo, "ara")
    assert combo.value() == "x"
    qtbot.keyClicks(combo, "zz")  # nothing starts so: the choice stays
    assert combo.value() == "x"


def test_tab_skips_no_nik_and_the_guardian_comes_from_the_household(qtbot, signed_in, sample):
    path, ids = sample
    window, _operator = signed_in(path)
    window.add_person(ids["household"], "anak")
    child = wait_form(qtbot, window, PersonForm)
    qtbot.waitUntil(lambda: bool(child.guardian_names))
    assert child.nik.hasFocus()
    qtbot.keyClick(child.nik, Qt.Key.Key_Tab)
    assert child.name.hasFocus()  # not the "no NIK" box
    qtbot.keyClick(child.name, "u", ALT)
    qtbot.keyClicks(child.consent_by, "w")
    assert child.consent_by.value() == "wali"
    qtbot.keyClick(child.consent_by, "w", ALT)
    first = child.guardian_names[0]
    qtbot.keyClicks(child.consent_guardian, first[0])
    assert child.consent_guardian.text() == first  # completed from the household's adults
    child.discard()


def test_ctrl_l_locks_from_inside_a_form_and_the_form_comes_back(qtbot, signed_in, sample):
    path, ids = sample
    window, _operator = signed_in(path)
    window.add_person(ids["household"])
    form = wait_form(qtbot, window, PersonForm)
    qtbot.keyClicks(form.name, "Budi")
    qtbot.keyClick(form.name, Qt.Key.Key_L, CTRL)
    assert window.locked and not form.isVisible()
    assert window.pages.currentWidget() is window.signin
    qtbot.keyClicks(window.signin.password, PASSWORD)
    qtbot.keyClick(window.signin.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked and form.isVisible())
    assert form.name.text() == "Budi"


def test_ctrl_l_locks_from_inside_a_window_modal_dialog_and_it_comes_back(qtbot, signed_in, sample):
    """The hand-over, status and enrolment dialogs are window-modal: the window's own
    shortcut is blocked there, so the dialog carries Ctrl+L; the lock hides it until the
    worker is back."""
    from muba_desk.gui import enrolment_actions

    path, _ids = sample
    window, _operator = signed_in(path)
    dialog = enrolment_actions.new_institution(window)
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()  # as the window system does for a dialog it opens
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClicks(dialog.name, "Panti Asuhan Harapan")
    qtbot.keyClick(dialog.name, Qt.Key.Key_L, CTRL)
    assert window.locked and not dialog.isVisible()
    qtbot.keyClicks(window.signin.password, PASSWORD)
    qtbot.keyClick(window.signin.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked and dialog.isVisible())
    assert dialog.name.text() == "Panti Asuhan Harapan" and dialog.result() == 0


# -- a household of four -------------------------------------------------------------------


class Keys:
    """Every key pressed, sent to whatever has focus, as a user's fingers would."""

    def __init__(self, qtbot):
        self.qtbot, self.count = qtbot, 0

    @staticmethod
    def target() -> QWidget:
        return QApplication.focusWidget() or QApplication.activeWindow()

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.target(), text)
        self.count += len(text)

    def press(self, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.target(), key, modifier)
        self.count += 1


def test_a_household_of_four_takes_at_most_a_quarter_key_beyond_its_data(
    qtbot, signed_in, tmp_path
):
    """Data: the characters of every text the household's record keeps from typing (numbers,
    names, places, address, reasons, the guardian). Every other key counts against the goal:
    Tab, Alt+letter, the letters that pick a choice, Ctrl+N, Ctrl+S. A guardian completed from
    the household is data not typed, so it counts in the keys' favour, as it does for the user."""
    path = tmp_path / "laptop.db"
    window, _operator = signed_in(path)
    keys = Keys(qtbot)

    def form(cls):
        found = wait_form(qtbot, window, cls)
        qtbot.waitUntil(
            lambda: (
                found.isActiveWindow()
                and QApplication.focusWidget() is not None
                and found.isAncestorOf(QApplication.focusWidget())
            )
        )
        return found

    def save(record_form):
        keys.press(Qt.Key.Key_S, CTRL)
        saved = lambda: record_form not in window.forms  # noqa: E731
        qtbot.waitUntil(lambda: saved() or record_form.error.isVisible(), timeout=15000)
        assert saved(), {n: f.message.text() for n, f in record_form.fields.items()}
        if not window.forms:  # the window manager gives the window back its focus
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow)

    keys.press(Qt.Key.Key_N, CTRL)
    household = form(HouseholdForm)
    keys.type("1606011201100009")
    keys.press(Qt.Key.Key_Tab)
    keys.type("sek")  # Sekayu
    keys.press(Qt.Key.Key_Tab)
    keys.type("kayu a")  # Kayu Ara
    keys.press(Qt.Key.Key_Tab)
    keys.type("Jl. Lintas Timur No. 5")
    keys.press(Qt.Key.Key_Tab)
    keys.type("3")
    keys.press(Qt.Key.Key_Tab)
    keys.type("1")
    assert household.village.currentText() == "Kayu Ara"
    save(household)

    head = form(PersonForm)  # opens by itself after the household
    keys.type("1606011505800003")  # birth date and sex come from the NIK
    keys.press(Qt.Key.Key_Tab)
    keys.type("Muhammad Ridwan")
    keys.press(Qt.Key.Key_T, ALT)
    keys.type("Sekayu")
    keys.press(Qt.Key.Key_U, ALT)
    keys.type("o")  # Orang itu sendiri
    save(head)

    people = (
        ("1606015708850002", "Siti Rohani", "i", "Palembang", "0812 3456 7890"),
        ("1606010304100001", "Ahmad Fauzi", "a", "Sekayu", ""),
    )
    for nik, name, relation, place, phone in people:
        keys.press(Qt.Key.Key_N, CTRL_SHIFT)
        person = form(PersonForm)
        keys.type(nik)
        keys.press(Qt.Key.Key_Tab)
        keys.type(name)
        keys.press(Qt.Key.Key_T, ALT)
        keys.type(place)
        keys.press(Qt.Key.Key_H, ALT)
        keys.type(relation)  # "i" is enough for "Suami / istri"
        if phone:
            keys.press(Qt.Key.Key_P, ALT)
            keys.type(phone)
        keys.press(Qt.Key.Key_U, ALT)
        if relation == "a":  # a child: the guardian, picked from the household's adults
            keys.type("w")
            keys.press(Qt.Key.Key_W, ALT)
            qtbot.waitUntil(lambda p=person: "Siti Rohani" in p.guardian_names)
            keys.type("S")
        else:
            keys.type("o")
        save(person)

    keys.press(Qt.Key.Key_N, CTRL_SHIFT)
    child = form(PersonForm)
    keys.press(Qt.Key.Key_I, ALT)  # no NIK: straight to the reason
    qtbot.waitUntil(child.no_nik_reason.hasFocus)  # the box shows its click first
    keys.type("Belum dibuatkan akta kelahiran")
    keys.press(Qt.Key.Key_M, ALT)
    keys.type("Rahma")
    keys.press(Qt.Key.Key_Tab)
    keys.type("p")  # Perempuan
    keys.press(Qt.Key.Key_Tab)
    keys.type("Sekayu")
    keys.press(Qt.Key.Key_Tab)
    keys.type("03/02/2015")
    keys.press(Qt.Key.Key_H, ALT)
    keys.type("a")
    keys.press(Qt.Key.Key_U, ALT)
    keys.type("w")
    keys.press(Qt.Key.Key_W, ALT)
    qtbot.waitUntil(lambda: "Siti Rohani" in child.guardian_names)
    keys.type("S")
    save(child)

    saved = rows(
        path,
        "SELECT nik, no_nik_reason, name, sex, birth_date, birth_place, relation, phone, "
        "consent_by, consent_guardian, consent_at FROM person ORDER BY pk",
    )
    assert [p[:8] for p in saved] == [
        ("1606011505800003", None, "Muhammad Ridwan", "L", "1980-05-15", "Sekayu", "kepala", None),
        (
            "1606015708850002",
            None,
            "Siti Rohani",
            "P",
            "1985-08-17",
            "Palembang",
            "pasangan",
            "081234567890",
        ),
        ("1606010304100001", None, "Ahmad Fauzi", "L", "2010-04-03", "Sekayu", "anak", None),
        (
            None,
            "Belum dibuatkan akta kelahiran",
            "Rahma",
            "P",
            "2015-02-03",
            "Sekayu",
            "anak",
            None,
        ),
    ]
    assert [p[8:10] for p in saved] == [
        ("sendiri", None),
        ("sendiri", None),
        ("wali", "Siti Rohani"),
        ("wali", "Siti Rohani"),
    ]
    assert all(p[10] for p in saved)  # the consent's date, filled when it was given
    (h,) = rows(path, "SELECT kk_number, village_code, address, rt, rw FROM household")
    assert h == ("1606011201100009", "16.06.01.1009", "Jl. Lintas Timur No. 5", "003", "001")

    texts = [h[0], h[2], "3", "1"]
    for p in saved:
        texts += [p[0] or "", p[1] or "", p[2], p[5], p[9] or ""]
    texts += ["0812 3456 7890", "03/02/2015"]  # as typed (the phone), and the typed date
    data = sum(len(t) for t in texts)
    beyond = keys.count - data
    assert data >= 200
    assert beyond / data <= 0.25, (keys.count, data, beyond)
    # Even if the two guardians completed from "S" counted only that letter as data:
    typed = data - 2 * (len("Siti Rohani") - 1)
    assert (keys.count - typed) / typed <= 0.25, (keys.count, typed)
