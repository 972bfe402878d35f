"""Issue 16, item 1: a laptop set up from the window with the office's provisioning file, both
ways round (a new laptop at first start; an existing registry from the Berkas menu), and a
rehearsal office for the demo whose bundles never mix with a real office's."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from muba_desk.cli import main
from muba_desk.gui import enrolment_actions
from muba_desk.gui.first_start import FirstStartDialog
from muba_desk.gui.household_form import HouseholdForm
from muba_desk.gui.office import widgets
from muba_desk.gui.person_form import PersonForm
from muba_desk.gui.provision_page import ProvisionDialog
from muba_desk.gui.signin import SignInPanel
from muba_desk.paths import default_db_path
from muba_desk.store import keys as db_keys
from muba_desk.store.db import connect
from muba_desk.store.registry import get_setting
from muba_desk.sync import keys as sync_keys
from muba_desk.sync.commands import PASSPHRASE_ENV
from tests.gui.enrolment_helpers import choose, submit
from tests.gui.test_registration_forms import fill_person, shortcut, wait_form

OFFICE_PASSPHRASE = "kantor-dinas-sosial-muba"
SETUP_PASSPHRASE = "kode-penyiapan-laptop-muba"
RECOVERY = "pemulihan laptop sekayu"
PASSWORD = "Sekayu-2026!"
VILLAGE = "16.06.01.1009"  # Kayu Ara, Sekayu


@pytest.fixture(autouse=True)
def _fast_sync_keys(monkeypatch):
    monkeypatch.setattr(sync_keys, "SCRYPT_LOG_N", 10)


def make_office(tmp_path, monkeypatch, *, rehearsal=False, name="office.db"):
    """`office init` and `office add-laptop` L07, as the office's administrator runs them."""
    monkeypatch.setenv(PASSPHRASE_ENV, OFFICE_PASSPHRASE)
    setup_file = tmp_path / "setup.txt"
    setup_file.write_text(SETUP_PASSPHRASE + "\n", encoding="utf-8")
    office = tmp_path / name
    provision = tmp_path / f"{office.stem}-L07.provision"
    init = ["office", "init", "--db", str(office)] + (["--rehearsal"] if rehearsal else [])
    assert main(init) == 0
    add = ["office", "add-laptop", "--db", str(office), "--name", "Laptop Sekayu 1"]
    add += ["--code", "L07", "--district", "16.06.01", "--village", VILLAGE]
    add += ["--out", str(provision), "--setup-passphrase-file", str(setup_file)]
    assert main(add) == 0
    db_keys.forget_all()  # the laptop knows nothing of the office's keys
    return office, provision


def provision_first_start(qtbot, provision):
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.office_button.isEnabled()
    dialog.office_button.click()
    page = dialog.provision
    assert dialog.pages.currentWidget() is page
    qtbot.keyClicks(page.file, str(provision))
    qtbot.keyClicks(page.setup, SETUP_PASSPHRASE)
    qtbot.keyClicks(page.recovery, RECOVERY)
    qtbot.keyClicks(page.recovery_repeat, RECOVERY)
    fields = page.supervisor
    qtbot.keyClicks(fields.username, "ani")
    qtbot.keyClicks(fields.full_name, "Ani Lestari")
    qtbot.keyClicks(fields.password, PASSWORD)
    qtbot.keyClicks(fields.repeat, PASSWORD)
    page.save_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=20_000)
    return dialog


def register_and_submit(qtbot, window) -> str:
    """A household with its head through the window's forms, enrolled in Bantu Umak and
    submitted; the enrolment's id."""
    shortcut(qtbot, window, Qt.Key.Key_N)
    household = wait_form(qtbot, window, HouseholdForm)
    qtbot.keyClicks(household.kk, "1606011201100009")
    household.district.setFocus()
    qtbot.keyClicks(household.district, "Sekayu")
    qtbot.keyClicks(household.village, "Kayu")
    qtbot.keyClicks(household.decile, "2")
    qtbot.keyClicks(household.decile_source, "DTSEN")
    assert household.check()
    shortcut(qtbot, household, Qt.Key.Key_S)
    head = wait_form(qtbot, window, PersonForm)
    fill_person(qtbot, head, nik="1606014505800003", name="Sari Rahayu")
    shortcut(qtbot, head, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: not window.forms and window.selected_person_id() is not None)
    form = enrolment_actions.enrol(window, "BANTU_UMAK")
    qtbot.waitUntil(lambda: form.target is not None)
    choose(qtbot, form, "decile_source", "DTSEN")
    choose(qtbot, form, "payment_channel", "Tunai")
    return submit(qtbot, form)["id"]


def export_from_window(qtbot, window, stick):
    page = window.sync_page
    assert page is not None
    window.work_tabs.setCurrentWidget(page)
    page.add_folder(stick)
    page.send_button.click()
    qtbot.waitUntil(lambda: page.last_written is not None, timeout=20_000)
    return page.last_written


def waiting_at(office) -> set[str]:
    from muba_desk.office.decision_queue import waiting
    from muba_desk.passphrase import unlock_database

    unlock_database(office)  # the office passphrase, from MUBA_DESK_PASSPHRASE
    db = connect(office)
    try:
        return {row[0] for row in waiting(db, None, None)}
    finally:
        db.close()


def test_a_new_laptop_set_up_from_the_office_file_sends_its_first_household(
    qtbot, open_window, tmp_path, monkeypatch
):
    office, provision = make_office(tmp_path, monkeypatch)
    dialog = provision_first_start(qtbot, provision)
    path = dialog.chosen_path
    assert path == default_db_path()
    assert dialog.chosen_operator.username == "ani" and dialog.chosen_operator.is_supervisor
    # The laptop's own recovery passphrase opens it, the setup one does not; the supervisor's
    # password does, and the office holds a recovery copy.
    db_keys.forget_all()
    with pytest.raises(db_keys.KeyProblem):
        db_keys.unlock_with_passphrase(path, SETUP_PASSPHRASE)
    db_keys.unlock_with_passphrase(path, RECOVERY)
    assert "office" in {slot["kind"] for slot in db_keys.read_key_file(path)["slots"]}
    db = connect(path)
    try:
        assert get_setting(db, "device_code") == "L07"
        assert get_setting(db, "device_name") == "Laptop Sekayu 1"
        assert get_setting(db, "mode") == "laptop"
    finally:
        db.close()

    # A later start: the registry is locked, and the sign-in before the window (as
    # app.sign_in_first shows it) opens it with the password made in the dialog.
    db_keys.forget_all()
    panel = SignInPanel()
    qtbot.addWidget(panel)
    panel.record_event = False
    panel.prepare(path, demo=False)
    signed = []
    panel.signed_in.connect(signed.append)
    qtbot.keyClicks(panel.username, "ani")
    qtbot.keyClicks(panel.password, PASSWORD)
    qtbot.keyClick(panel.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(signed), timeout=20_000)
    window = open_window(path, operator=signed[0])
    assert window.operator.username == "ani" and window.operator.is_supervisor
    window.activateWindow()

    enrolment_id = register_and_submit(qtbot, window)
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = export_from_window(qtbot, window, stick)
    window.close()

    assert main(["bundle", "import", "--db", str(office), str(bundle)]) == 0
    assert enrolment_id in waiting_at(office)


def test_an_existing_laptop_registry_keeps_its_recovery_passphrase_and_operators(
    qtbot, open_window, tmp_path, monkeypatch
):
    office, provision = make_office(tmp_path, monkeypatch)
    # A laptop set up in the window before the office's file came (name, villages, supervisor).
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    dialog.laptop_button.click()
    page = dialog.laptop
    qtbot.keyClicks(page.name, "Laptop lama")
    page.villages.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(page.recovery, RECOVERY)
    qtbot.keyClicks(page.recovery_repeat, RECOVERY)
    page.save_button.click()
    fields = dialog.first_operator.fields
    for edit, text in (
        (fields.username, "ani"),
        (fields.full_name, "Ani Lestari"),
        (fields.password, PASSWORD),
        (fields.repeat, PASSWORD),
    ):
        qtbot.keyClicks(edit, text)
    dialog.first_operator.save_button.click()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=20_000)
    # Now that the registry exists, the first start sends its file to the Berkas menu.
    assert not FirstStartDialog().office_button.isEnabled()

    window = open_window(dialog.chosen_path, operator=dialog.chosen_operator)
    assert window.sync_page is not None  # a laptop (set up) already
    window.provision_action.trigger()
    qtbot.waitUntil(lambda: isinstance(getattr(window, "provision_dialog", None), ProvisionDialog))
    provision_dialog = window.provision_dialog
    qtbot.waitUntil(provision_dialog.isVisible)
    page = provision_dialog.page
    assert not page.recovery.isVisibleTo(page) and not page.supervisor.isVisibleTo(page)
    monkeypatch.setattr(widgets, "pick_files", lambda *_a: [provision])
    page.browse_button.click()
    assert page.file.text() == str(provision)
    qtbot.keyClicks(page.setup, "salah-kata-sandi-penyiapan")
    page.save_button.click()
    qtbot.waitUntil(lambda: "salah" in page.error.text(), timeout=20_000)
    page.setup.clear()
    qtbot.keyClicks(page.setup, SETUP_PASSPHRASE)
    page.save_button.click()
    qtbot.waitUntil(
        lambda: provision_dialog.result() == QDialog.DialogCode.Accepted, timeout=20_000
    )
    qtbot.waitUntil(lambda: "Laptop Sekayu 1" in window.registry_label.text())
    assert window.operator is not None and window.operator.username == "ani"
    window.close()

    path = dialog.chosen_path
    db_keys.forget_all()
    db_keys.unlock_with_passphrase(path, RECOVERY)  # the laptop's own, kept
    db_keys.forget_all()
    db_keys.unlock(path, "ani", PASSWORD)
    db = connect(path)
    try:
        assert get_setting(db, "device_code") == "L07"
    finally:
        db.close()


def test_the_demo_rehearses_with_a_rehearsal_office_and_never_with_a_real_one(
    qtbot, open_window, tmp_path, monkeypatch, capsys
):
    from muba_desk.gui.first_start import build_demo
    from muba_desk.paths import demo_db_path
    from muba_desk.progress import SilentProgress
    from tests.gui.test_first_start import small_demo

    real, real_file = make_office(tmp_path, monkeypatch)
    rehearsal, rehearsal_file = make_office(tmp_path, monkeypatch, rehearsal=True, name="lat.db")
    demo_db_path().parent.mkdir(parents=True, exist_ok=True)
    demo = build_demo(demo_db_path(), SilentProgress(), people=3, create_demo=small_demo)
    window = open_window(demo)
    assert window.demo and window.operator is None  # the made-up village has no operator
    assert window.provision_action.isVisible() and window.sync_page is None

    def provision_with(file):
        window.provision_action.trigger()
        qtbot.waitUntil(lambda: getattr(window, "provision_dialog", None) is not None)
        dialog = window.provision_dialog
        qtbot.waitUntil(dialog.isVisible)
        page = dialog.page
        page.file.setText(str(file))
        qtbot.keyClicks(page.setup, SETUP_PASSPHRASE)
        if page.supervisor.isVisibleTo(page):  # the first supervisor, made with the set-up
            for edit, text in (
                (page.supervisor.username, "trainer"),
                (page.supervisor.full_name, "Pelatih"),
                (page.supervisor.password, PASSWORD),
                (page.supervisor.repeat, PASSWORD),
            ):
                qtbot.keyClicks(edit, text)
        dialog.page.save_button.click()
        return dialog

    refused = provision_with(real_file)
    qtbot.waitUntil(lambda: "kantor latihan" in refused.page.error.text(), timeout=20_000)
    refused.reject()
    window.provision_dialog = None
    accepted = provision_with(rehearsal_file)
    qtbot.waitUntil(lambda: accepted.result() == QDialog.DialogCode.Accepted, timeout=20_000)
    tabs = window.work_tabs
    qtbot.waitUntil(
        lambda: window.sync_page is not None and tabs.isTabVisible(tabs.indexOf(window.sync_page))
    )
    assert "DATA CONTOH" in window.registry_label.text()  # still marked as made-up
    window.activateWindow()
    enrolment_id = register_and_submit(qtbot, window)
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = export_from_window(qtbot, window, stick)
    window.close()

    # The real office refuses the rehearsal bundle; the rehearsal office takes it.
    capsys.readouterr()
    assert main(["bundle", "import", "--db", str(real), str(bundle)]) == 1
    assert "laptop latihan (desa contoh) tidak pernah diterima" in capsys.readouterr().out
    assert enrolment_id not in waiting_at(real)
    assert main(["bundle", "import", "--db", str(rehearsal), str(bundle)]) == 0
    assert enrolment_id in waiting_at(rehearsal)
    # Generated people may fill a rehearsal laptop (its bundles reach only the rehearsal office);
    # a real office's laptop is refused (below).
    db_keys.forget_all()
    db_keys.unlock_with_passphrase(demo, db_keys.DEMO_PASSPHRASE)
    assert main(["demo", "--db", str(demo), "--people", "3"]) == 0
    # A rehearsal office's file never makes a real laptop.
    db_keys.forget_all()
    laptop = tmp_path / "real-laptop.db"
    setup = ["setup", "--db", str(laptop), "--provision", str(rehearsal_file)]
    setup += ["--passphrase-file", str(tmp_path / "setup.txt")]
    assert main(setup) == 1
    assert not laptop.exists()
    # ... and the rehearsal office refuses a real laptop's bundle.
    setup = ["setup", "--db", str(laptop), "--provision", str(real_file)]
    assert main([*setup, "--passphrase-file", str(tmp_path / "setup.txt")]) == 0
    db_keys.forget_all()
    db_keys.unlock_with_passphrase(laptop, SETUP_PASSPHRASE)
    real_stick = tmp_path / "real-stick"
    real_stick.mkdir()
    assert main(["bundle", "export", "--db", str(laptop), "--to", str(real_stick)]) == 0
    capsys.readouterr()
    assert main(["bundle", "import", "--db", str(rehearsal), str(real_stick)]) == 1
    assert "Ini kantor latihan" in capsys.readouterr().out
    assert main(["demo", "--db", str(laptop), "--people", "3"]) == 1
    assert "sudah disiapkan kantor" in capsys.readouterr().err


def test_setup_on_the_command_line_can_make_the_first_supervisor(tmp_path, monkeypatch):
    """Without one, a registry set up on the command line could not be signed in to."""
    from muba_desk.store import operators

    _office, provision = make_office(tmp_path, monkeypatch)
    password_file = tmp_path / "ani.txt"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    laptop = tmp_path / "laptop.db"
    setup = ["setup", "--db", str(laptop), "--provision", str(provision)]
    setup += ["--passphrase-file", str(tmp_path / "setup.txt"), "--supervisor", "ani"]
    assert main([*setup, "--supervisor-password-file", str(tmp_path / "missing.txt")]) == 1
    assert not laptop.exists()  # refused before anything was written
    assert main([*setup, "--supervisor-password-file", str(password_file)]) == 0
    db_keys.forget_all()
    assert db_keys.usernames(laptop) == ["ani"]
    db_keys.unlock(laptop, "ani", PASSWORD)
    db = connect(laptop)
    try:
        (made,) = operators.list_operators(db)
        assert made.username == "ani" and made.is_supervisor
    finally:
        db.close()


def test_a_wrong_setup_passphrase_or_a_borrowed_recovery_passphrase_writes_nothing(
    qtbot, tmp_path, monkeypatch
):
    _office, provision = make_office(tmp_path, monkeypatch)
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.office_button.click()
    page = dialog.provision
    page.save_button.click()
    assert ".provision" in page.error.text() and dialog.focusWidget() is page.file
    qtbot.keyClicks(page.file, str(provision))
    qtbot.keyClicks(page.setup, SETUP_PASSPHRASE)
    qtbot.keyClicks(page.recovery, SETUP_PASSPHRASE)  # the one read out over the phone
    qtbot.keyClicks(page.recovery_repeat, SETUP_PASSPHRASE)
    page.save_button.click()
    assert "bukan kata sandi penyiapan" in page.error.text()
    for edit in (page.setup, page.recovery, page.recovery_repeat):
        edit.clear()
    qtbot.keyClicks(page.setup, "kata-sandi-yang-keliru")
    qtbot.keyClicks(page.recovery, RECOVERY)
    qtbot.keyClicks(page.recovery_repeat, RECOVERY)
    fields = page.supervisor
    for edit, text in (
        (fields.username, "ani"),
        (fields.full_name, "Ani Lestari"),
        (fields.password, PASSWORD),
        (fields.repeat, PASSWORD),
    ):
        qtbot.keyClicks(edit, text)
    page.save_button.click()
    qtbot.waitUntil(lambda: "Kata sandi salah" in page.error.text(), timeout=20_000)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not default_db_path().exists()
    assert not db_keys.key_file_of(default_db_path()).exists()


def test_setup_on_the_command_line_keeps_an_existing_laptops_own_recovery_passphrase(
    tmp_path, monkeypatch
):
    from muba_desk.gui.laptop_setup import write_laptop_settings

    _office, provision = make_office(tmp_path, monkeypatch)
    laptop = tmp_path / "laptop.db"
    # Made as the window's set-up makes it: its own recovery passphrase, settings, no data.
    db_keys.create_key_file(laptop, recovery_passphrase=RECOVERY)
    write_laptop_settings(laptop, device_name="Laptop lama", district_code="16.06.01", villages=[])
    db_keys.forget_all()
    recovery_file = tmp_path / "recovery.txt"
    recovery_file.write_text(RECOVERY + "\n", encoding="utf-8")
    setup = ["setup", "--db", str(laptop), "--provision", str(provision)]
    setup += ["--passphrase-file", str(tmp_path / "setup.txt")]
    assert main(setup) == 1  # the setup passphrase does not open this registry
    assert main([*setup, "--db-passphrase-file", str(recovery_file)]) == 0
    db_keys.forget_all()
    db_keys.unlock_with_passphrase(laptop, RECOVERY)
    db = connect(laptop)
    try:
        assert get_setting(db, "device_code") == "L07"
    finally:
        db.close()
