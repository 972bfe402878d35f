"""Registering households and people through the forms, as a social worker at the keyboard would."""

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from muba_desk.gui.household_form import HouseholdForm
from muba_desk.gui.person_form import PersonForm
from muba_desk.store import operators, records
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from tests.gui.sample import SITI_NIK

PASSWORD = "Sekayu-2026!"
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def add_operator(path, username="ani", role="supervisor"):
    db = connect(path)
    try:
        return operators.create_operator(
            db, username=username, full_name="Ani Lestari", role=role, password=PASSWORD
        )
    finally:
        db.close()


def sign_in(qtbot, window, username="ani", password=PASSWORD):
    panel = window.signin
    panel.username.clear()
    qtbot.keyClicks(panel.username, username)
    qtbot.keyClick(panel.username, Qt.Key.Key_Return)  # on to the password
    qtbot.keyClicks(panel.password, password)
    qtbot.keyClick(panel.password, Qt.Key.Key_Return)


def open_signed_in(qtbot, open_window, path):
    """A window on `path`, after the operator typed a user name and password."""
    operator = add_operator(path)
    window = open_window(path)
    assert window.pages.currentWidget() is window.signin
    sign_in(qtbot, window)
    qtbot.waitUntil(lambda: window.operator is not None)
    window.activateWindow()
    return window, operator


@pytest.fixture
def signed_in(qtbot, open_window):
    return lambda path: open_signed_in(qtbot, open_window, path)


def shortcut(qtbot, widget, key, modifier=CTRL):
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    qtbot.keyClick(widget, key, modifier)


def wait_form(qtbot, window, cls, count=1):
    qtbot.waitUntil(lambda: len(window.forms) == count and isinstance(window.forms[-1], cls))
    form = window.forms[-1]
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    return form


def fill_person(qtbot, form, *, nik="", name, relation=None, consent="Orang"):
    if nik:
        qtbot.keyClicks(form.nik, nik)
    qtbot.keyClicks(form.name, name)
    if relation:
        qtbot.keyClicks(form.relation, relation)
    qtbot.keyClicks(form.consent_by, consent)


def rows(path, sql, params=()):
    db = connect(path)
    try:
        return db.conn.execute(sql, params).fetchall()
    finally:
        db.close()


def test_a_household_with_its_head_and_two_members_is_registered_and_stamped(
    qtbot, signed_in, tmp_path
):
    path = tmp_path / "laptop.db"
    window, operator = signed_in(path)

    shortcut(qtbot, window, Qt.Key.Key_N)
    household = wait_form(qtbot, window, HouseholdForm)
    qtbot.keyClicks(household.kk, "1606011201100009")
    typed = {}
    for text in ("Sekayu", "Kayu", "Jl. Lintas Timur 5", "3", "1", "-2,8833", "103,85"):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)  # the next field, in order
        typed[QApplication.focusWidget()] = text
        qtbot.keyClicks(QApplication.focusWidget(), text)
    assert list(typed) == [
        household.district,
        household.village,
        household.address,
        household.rt,
        household.rw,
        household.gps_lat,
        household.gps_lon,
    ]
    assert household.village.currentText() == "Kayu Ara"
    assert household.check()
    shortcut(qtbot, household, Qt.Key.Key_S)

    # Saving the household opens its head's form at once.
    head = wait_form(qtbot, window, PersonForm)
    assert head.relation.value() == "kepala"
    fill_person(qtbot, head, nik="1606011505800003", name="Muhammad Ridwan")
    assert head.birth_date.text() == "15/05/1980"  # filled from the NIK
    assert head.sex.value() == "L"
    head.occupation.setFocus()
    qtbot.keyClicks(head.occupation, "Penyadap")
    shortcut(qtbot, head, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not window.forms and window.selected_person_id() is not None)
    qtbot.waitUntil(lambda: window.selected_household_id() is not None)

    shortcut(qtbot, window, Qt.Key.Key_N, CTRL_SHIFT)
    wife = wait_form(qtbot, window, PersonForm)
    fill_person(qtbot, wife, nik="1606015708850002", name="Siti Rohani", relation="Suami")
    wife.disability.boxes["fisik"].click()
    qtbot.keyClicks(wife.phone, "0812 3456 7890")
    shortcut(qtbot, wife, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not window.forms)

    shortcut(qtbot, window, Qt.Key.Key_N, CTRL_SHIFT)
    child = wait_form(qtbot, window, PersonForm)
    qtbot.mouseClick(child.no_nik, Qt.MouseButton.LeftButton)
    assert child.no_nik_reason.hasFocus()
    qtbot.keyClicks(child.no_nik_reason, "Belum dibuatkan akta dan KK baru")
    fill_person(qtbot, child, name="Rahma", relation="Anak", consent="Wali")
    qtbot.keyClicks(child.sex, "Perempuan")
    qtbot.keyClicks(child.birth_date, "03/02/2015")
    qtbot.keyClicks(child.consent_guardian, "Siti Rohani")
    shortcut(qtbot, child, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not window.forms)

    (h,) = rows(
        path,
        "SELECT id, kk_number, village_code, rt, rw, gps_lat, head_person_id, "
        "created_by FROM household",
    )
    assert h[1:6] == ("1606011201100009", "16.06.01.1009", "003", "001", -2.8833)
    assert h[7] == operator.id
    people = rows(
        path,
        "SELECT name, nik, no_nik_reason, sex, birth_date, relation, disability, phone, "
        "consent_by, consent_guardian, created_by, id FROM person WHERE household_id = ? "
        "ORDER BY pk",
        (h[0],),
    )
    assert [p[:6] for p in people] == [
        ("Muhammad Ridwan", "1606011505800003", None, "L", "1980-05-15", "kepala"),
        ("Siti Rohani", "1606015708850002", None, "P", "1985-08-17", "pasangan"),
        ("Rahma", None, "Belum dibuatkan akta dan KK baru", "P", "2015-02-03", "anak"),
    ]
    assert people[1][6:9] == ('["fisik"]', "081234567890", "sendiri")
    assert people[2][8:10] == ("wali", "Siti Rohani")
    assert {p[10] for p in people} == {operator.id}
    assert h[6] == people[0][11]  # the head
    actions = [
        a for (a,) in rows(path, "SELECT action FROM audit WHERE operator_id = ?", (operator.id,))
    ]
    assert actions[:2] == ["operator_add", "sign_in"]
    assert not rows(path, "SELECT * FROM draft")  # saved forms leave no draft


def test_a_wrong_nik_is_explained_at_the_field_and_blocks_saving(qtbot, signed_in, sample):
    path, ids = sample
    window, _operator = signed_in(path)
    window.add_person(ids["household"])
    form = wait_form(qtbot, window, PersonForm)
    qtbot.keyClicks(form.nik, "1606019912800001")
    message = form.fields["nik"].message
    assert message.isVisible() and message.level == "error"
    assert message.text() == (
        "Angka tanggal lahir di NIK (99) tidak mungkin: untuk laki-laki 01 sampai 31, "
        "untuk perempuan 41 sampai 71."
    )
    fill_person(qtbot, form, name="Budi Santoso")
    before = rows(path, "SELECT count(*) FROM person")
    shortcut(qtbot, form, Qt.Key.Key_S)
    assert form.error.text() == "Periksa isian yang ditandai merah."
    assert form.nik.hasFocus() and not form.saving
    assert rows(path, "SELECT count(*) FROM person") == before


def test_a_nik_disagreeing_with_the_typed_birth_date_and_sex_is_caught_at_the_field(
    qtbot, signed_in, sample
):
    path, ids = sample
    window, _operator = signed_in(path)
    window.add_person(ids["household"])
    form = wait_form(qtbot, window, PersonForm)
    qtbot.keyClicks(form.birth_date, "01/01/1990")
    qtbot.keyClicks(form.sex, "Perempuan")
    qtbot.keyClicks(form.nik, "1606011505800003")  # a man born 15/05/1980
    text = form.fields["nik"].message.text()
    assert form.fields["nik"].message.level == "error"
    assert "Tanggal lahir di NIK (15/05/1980) berbeda dengan tanggal lahir yang diketik" in text
    assert "Jenis kelamin di NIK (laki-laki) berbeda" in text
    assert form.fields["birth_date"].message.text() == "Tidak cocok dengan NIK."
    assert form.fields["sex"].message.text() == "Tidak cocok dengan NIK."
    assert not form.check()
    form.birth_date.clear()
    qtbot.keyClicks(form.birth_date, "15/05/1980")
    qtbot.keyClick(form.sex, Qt.Key.Key_Up)  # from Perempuan up to Laki-laki
    assert form.sex.value() == "L"
    assert form.fields["nik"].message.level == "hint", form.fields["nik"].message.text()
    assert "Menurut NIK: lahir 15/05/1980, laki-laki, terbit di Kec. Sekayu" in (
        form.fields["nik"].message.text()
    )


def test_a_birth_date_differing_from_the_nik_saves_once_checked_against_the_ktp(
    qtbot, signed_in, sample
):
    path, ids = sample
    window, _operator = signed_in(path)
    window.add_person(ids["household"])
    form = wait_form(qtbot, window, PersonForm)
    qtbot.keyClicks(form.birth_date, "01/01/1990")
    qtbot.keyClicks(form.sex, "Laki")
    fill_person(qtbot, form, nik="1606011505800003", name="Budi Santoso", relation="Anak")
    assert form.fields["nik"].message.level == "error"
    assert form.fields["nik_checked"].isVisibleTo(form)
    assert not form.check()
    form.nik_checked.click()
    assert form.check(), [(n, f.message.text()) for n, f in form.fields.items()]
    assert form.fields["nik"].message.level == "warning"
    shortcut(qtbot, form, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not window.forms)
    ((born, confirmed),) = rows(
        path, "SELECT birth_date, nik_confirmed_at FROM person WHERE nik = '1606011505800003'"
    )
    assert born == "1990-01-01" and confirmed


def test_a_duplicate_nik_is_warned_about_and_the_existing_record_can_be_opened(
    qtbot, signed_in, sample
):
    path, ids = sample
    window, _operator = signed_in(path)
    window.add_person(ids["household"])
    form = wait_form(qtbot, window, PersonForm)
    qtbot.keyClicks(form.nik, SITI_NIK)
    qtbot.waitUntil(form.banner.isVisible)
    assert "NIK ini sudah terdaftar atas nama Siti Aminah" in form.banner.label.text()
    qtbot.mouseClick(form.banner.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.details.shown == ("person", ids["siti"]))
    assert not window.forms


def test_a_similar_name_born_the_same_day_in_the_same_village_is_warned_about(
    qtbot, signed_in, sample
):
    path, ids = sample
    window, _operator = signed_in(path)
    window.add_person(ids["household"])
    form = wait_form(qtbot, window, PersonForm)
    qtbot.keyClicks(form.name, "SITI  aminah")
    qtbot.keyClicks(form.birth_date, "05/06/1978")
    qtbot.waitUntil(form.banner.isVisible)
    assert form.banner.label.text().startswith("Mungkin sudah terdaftar: Siti Aminah")


def test_editing_a_record_changed_meanwhile_is_refused_with_the_stale_edit_message(
    qtbot, signed_in, sample
):
    path, ids = sample
    window, _operator = signed_in(path)
    window.show_person(ids["siti"])
    qtbot.waitUntil(lambda: window.selected_person_id() == ids["siti"])
    shortcut(qtbot, window, Qt.Key.Key_F2, Qt.KeyboardModifier.NoModifier)
    form = wait_form(qtbot, window, PersonForm)
    assert form.name.text() == "Siti Aminah" and form.editing
    db = connect(path)
    try:
        reg = Registry(db, "someone-else")
        with reg.transaction():
            reg.update("person", ids["siti"], {"phone": "081200000000"})
    finally:
        db.close()
    qtbot.keyClicks(form.name, " Binti Ahmad")
    form.save()
    qtbot.waitUntil(form.error.isVisible)
    assert "sudah diubah orang lain sejak formulir dibuka" in form.error.text()
    assert rows(path, "SELECT name FROM person WHERE id = ?", (ids["siti"],)) == [("Siti Aminah",)]


def test_escape_on_a_typed_form_asks_before_throwing_the_typing_away(qtbot, signed_in, sample):
    path, ids = sample
    window, _operator = signed_in(path)
    window.add_person(ids["household"])
    form = wait_form(qtbot, window, PersonForm)
    qtbot.keyClicks(form.name, "Budi")
    qtbot.keyClick(form.name, Qt.Key.Key_Escape)
    assert form.guard is not None and form.guard.isVisible()
    assert window.forms == [form]
    form.guard_discard.click()
    qtbot.waitUntil(lambda: not window.forms)


def test_the_ui_keeps_processing_events_while_a_slow_save_runs(
    qtbot, signed_in, sample, monkeypatch
):
    path, ids = sample
    window, _operator = signed_in(path)
    release = threading.Event()
    real_add = records.add_people  # under records.add_person, which register_person calls

    def slow_add(reg, people):
        assert threading.current_thread() is not threading.main_thread()
        release.wait(10)
        return real_add(reg, people)

    monkeypatch.setattr(records, "add_people", slow_add)
    window.add_person(ids["household"])
    form = wait_form(qtbot, window, PersonForm)
    fill_person(qtbot, form, nik="1606011505800003", name="Muhammad Ridwan", relation="Anak")
    form.save()
    ticks = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    qtbot.waitUntil(lambda: len(ticks) >= 10)
    qtbot.keyClicks(window.search, "ridwan")  # the window still takes typing
    assert window.search.text() == "ridwan" and form.saving
    release.set()
    qtbot.waitUntil(lambda: not window.forms)
    timer.stop()
    assert rows(path, "SELECT count(*) FROM person WHERE nik = '1606011505800003'") == [(1,)]


def test_the_welfare_decile_is_typed_checked_saved_and_opens_bantu_umak(qtbot, signed_in, tmp_path):
    from muba_desk.domain.programs import check_eligibility, get_program
    from muba_desk.gui.details_html import household_html
    from muba_desk.store.enrolment_reads import load_target
    from muba_desk.store.views import household_details

    path = tmp_path / "laptop.db"
    window, _operator = signed_in(path)
    shortcut(qtbot, window, Qt.Key.Key_N)
    household = wait_form(qtbot, window, HouseholdForm)
    qtbot.keyClicks(household.kk, "1606011201100009")
    household.district.setFocus()
    qtbot.keyClicks(household.district, "Sekayu")
    qtbot.keyClicks(household.village, "Kayu")
    household.gps_lon.setFocus()
    qtbot.keyClick(household.gps_lon, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is household.decile  # after the GPS, in order
    qtbot.keyClicks(household.decile, "11")
    message = household.fields["welfare_decile"].message
    assert message.level == "error" and "1 sampai 10" in message.text()
    assert not household.check()
    household.decile.clear()
    qtbot.keyClicks(household.decile, "2")
    assert household.fields["welfare_decile"].message.level == ""
    qtbot.keyClick(household.decile, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is household.decile_source
    qtbot.keyClicks(household.decile_source, "DTSEN")
    assert household.decile_source.value() == "dtsen"
    qtbot.keyClick(household.decile_source, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is household.decile_year
    qtbot.keyClicks(household.decile_year, "1999")
    assert not household.check()
    message = household.fields["decile_year"].message
    assert message.level == "error" and "2000" in message.text()
    household.decile_year.clear()
    qtbot.keyClicks(household.decile_year, "2025")
    assert household.check()
    shortcut(qtbot, household, Qt.Key.Key_S)

    head = wait_form(qtbot, window, PersonForm)
    fill_person(qtbot, head, nik="1606011505800003", name="Muhammad Ridwan")
    shortcut(qtbot, head, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not window.forms and window.selected_household_id() is not None)

    ((household_id, decile, source, year),) = rows(
        path, "SELECT id, welfare_decile, decile_source, decile_year FROM household"
    )
    assert (decile, source, year) == (2, "dtsen", 2025)
    db = connect(path)
    try:
        target = load_target(db, household_id=household_id)
        shown = household_html(household_details(db, household_id))
    finally:
        db.close()
    assert "DTSEN (Data Tunggal Sosial Ekonomi Nasional)" in shown  # the details pane
    assert "Tahun desil" in shown and "2025" in shown
    verdict = check_eligibility(get_program("BANTU_UMAK"), target.context({}))
    assert "decile" in verdict.codes(ok=True)
