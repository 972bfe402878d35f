"""First start: the demo village is built off the UI thread and opened; a laptop gets set up."""

import json
import threading

import pytest
from PySide6.QtWidgets import QDialog

from muba_desk.gui.first_start import FirstStartDialog, demo_db_path
from muba_desk.paths import default_db_path
from muba_desk.store import keys
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry, get_setting
from tests.gui.sample import fill


def small_demo(db, *, people, seed, progress):
    """Stands in for muba_desk.demo.create_demo: a few people, reporting progress."""
    for done in range(3):
        progress.update(done, 3, "Membuat penduduk")
    fill(Registry(db, operator_id="demo"), filler=people)
    progress.update(3, 3, "Selesai")
    return {"person": people + 2}


@pytest.fixture
def dialog(qtbot):
    def make(**kwargs):
        d = FirstStartDialog(**kwargs)
        qtbot.addWidget(d)
        d.show()
        return d

    return make


def test_first_start_offers_the_demo_and_setting_up_this_laptop(dialog):
    d = dialog(create_demo=small_demo)
    assert d.demo_button.text() == "Buka desa contoh"
    assert d.laptop_button.text() == "Siapkan laptop ini"
    assert d.demo_button.isEnabled() and d.laptop_button.isEnabled()
    assert d.office_button.isEnabled()  # a new laptop from the office's provisioning file
    assert "flashdisk" in d.office_button.description()


def test_the_demo_choice_builds_a_demo_registry_and_chooses_it(qtbot, dialog):
    d = dialog(create_demo=small_demo, demo_people=5)
    d.demo_button.click()
    qtbot.waitUntil(lambda: d.result() == QDialog.DialogCode.Accepted)
    assert d.chosen_path == demo_db_path()
    assert not demo_db_path().with_name("demo.db.partial").exists()
    db = connect(d.chosen_path)
    try:
        assert get_setting(db, "mode") == "demo"
        assert db.execute("SELECT count(*) FROM person").fetchone()[0] == 7
    finally:
        db.close()


def test_the_real_demo_generator_builds_a_registry_the_window_opens(qtbot, dialog, open_window):
    d = dialog(demo_people=60)
    d.demo_button.click()
    qtbot.waitUntil(lambda: d.result() == QDialog.DialogCode.Accepted, timeout=60_000)
    window = open_window(d.chosen_path)
    assert window.people_model.rowCount() > 0
    assert "DATA CONTOH" in window.registry_label.text()


def test_cancelling_the_demo_build_leaves_no_file_and_returns_to_the_choices(qtbot, dialog):
    started = threading.Event()

    def endless_demo(db, *, people, seed, progress):
        while True:  # until Cancel: progress.update raises Cancelled
            started.set()
            progress.update(1, 10, "Membuat penduduk")
            threading.Event().wait(0.005)

    d = dialog(create_demo=endless_demo)
    d.demo_button.click()
    qtbot.waitUntil(started.is_set)
    assert d.pages.currentWidget() is d.building
    d.reject()  # what Cancel and Escape do
    qtbot.waitUntil(lambda: d.pages.currentWidget() is d.welcome)
    assert d.isVisible() and d.result() != QDialog.DialogCode.Accepted
    assert not demo_db_path().exists()
    assert not demo_db_path().with_name("demo.db.partial").exists()


def test_an_existing_demo_is_opened_without_building_it_again(qtbot, dialog, data_folder):
    data_folder.mkdir(parents=True)
    connect(demo_db_path()).close()

    def must_not_run(db, **kwargs):
        raise AssertionError("the demo was built again")

    d = dialog(create_demo=must_not_run)
    d.demo_button.click()
    assert d.result() == QDialog.DialogCode.Accepted
    assert d.chosen_path == demo_db_path()


def test_setting_up_the_laptop_writes_its_settings(qtbot, dialog):
    d = dialog()
    d.laptop_button.click()
    assert d.pages.currentWidget() is d.laptop
    page = d.laptop
    qtbot.keyClicks(page.name, "Laptop Sekayu 1")
    page.district.setCurrentIndex(page.district.findText("Sekayu"))
    for row in (0, 1):
        page.villages.item(row).setCheckState(page.villages.item(row).checkState().Checked)
    chosen = page.checked_villages()
    page.save_button.click()
    assert d.pages.currentWidget() is d.laptop  # the recovery passphrase, twice, is asked
    qtbot.keyClicks(page.recovery, "pemulihan sekayu 1")
    qtbot.keyClicks(page.recovery_repeat, "pemulihan sekayu 2")
    page.save_button.click()
    assert d.pages.currentWidget() is d.laptop and "tidak sama" in page.error.text()
    page.recovery_repeat.clear()
    qtbot.keyClicks(page.recovery_repeat, "pemulihan sekayu 1")
    page.save_button.click()
    assert d.pages.currentWidget() is d.first_operator  # then the first supervisor
    fields = d.first_operator.fields
    qtbot.keyClicks(fields.username, "ani")
    qtbot.keyClicks(fields.full_name, "Ani Lestari")
    qtbot.keyClicks(fields.password, "Sekayu-2026!")
    qtbot.keyClicks(fields.repeat, "Sekayu-2026!")
    d.first_operator.save_button.click()
    qtbot.waitUntil(lambda: d.result() == QDialog.DialogCode.Accepted)
    assert d.chosen_path == default_db_path()
    assert d.chosen_operator.username == "ani" and d.chosen_operator.role == "supervisor"
    db = connect(default_db_path())
    try:
        assert get_setting(db, "device_name") == "Laptop Sekayu 1"
        assert get_setting(db, "district_code") == "16.06.01"
        assert json.loads(get_setting(db, "villages")) == chosen
        assert len(chosen) == 2 and all(code.startswith("16.06.01.") for code in chosen)
        assert get_setting(db, "mode") == "laptop"
    finally:
        db.close()
    # Encrypted: the supervisor's password and the recovery passphrase both open it.
    assert keys.is_encrypted(default_db_path())
    assert keys.usernames(default_db_path()) == ["ani"]
    keys.forget_all()
    keys.unlock_with_passphrase(default_db_path(), "pemulihan sekayu 1")


def test_laptop_setup_asks_for_a_name_and_at_least_one_village(qtbot, dialog):
    d = dialog()
    d.laptop_button.click()
    page = d.laptop
    page.save_button.click()
    assert page.error.text() == "Isi nama laptop."
    qtbot.keyClicks(page.name, "Laptop 2")
    page.save_button.click()
    assert "paling sedikit satu desa" in page.error.text()
    assert d.result() != QDialog.DialogCode.Accepted
    assert not default_db_path().exists()


def test_villages_follow_the_chosen_district(dialog):
    page = dialog().laptop
    page.district.setCurrentIndex(page.district.findText("Sekayu"))
    sekayu = {page.villages.item(i).text() for i in range(page.villages.count())}
    page.district.setCurrentIndex(page.district.findText("Sungai Lilin"))
    lilin = {page.villages.item(i).text() for i in range(page.villages.count())}
    assert page.district.count() == 15
    assert sekayu and lilin and not sekayu & lilin
