"""Issue 19's first done-when: an office made in the window ("Ini kantor") and one made by
`muba-desk office init --supervisor` both open, are signed into, and take in a stick of
bundles through the window's import action. The laptops are provisioned by `office
add-laptop` and `setup --provision`, register through the core's operations and write their
bundles with `bundle export`, as in tests/sync/test_loop.py."""

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox

from muba_desk import app
from muba_desk.cli import main
from muba_desk.core import operations
from muba_desk.gui.first_start import FirstStartDialog
from muba_desk.gui.office import widgets
from muba_desk.gui.office.setup import office_db_path
from muba_desk.gui.signin import SignInPanel
from muba_desk.store import keys
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry, get_setting
from muba_desk.sync import keys as sync_keys
from muba_desk.sync.commands import PASSPHRASE_ENV
from tests.gui import office_world

OFFICE_PASSPHRASE = "kantor-dinas-sosial-muba"
SETUP_PASSPHRASE = "kode-penyiapan-laptop-muba"
SUPERVISOR_PASSWORD = "Sekayu-2026-kantor"
VILLAGE = "16.06.01.1009"


@pytest.fixture(autouse=True)
def _fast_office_keys(monkeypatch):
    monkeypatch.setattr(sync_keys, "SCRYPT_LOG_N", 10)


@pytest.fixture
def start(qtbot, monkeypatch):
    """`app.open_first_window` with the dialogs it shows answered as a clerk would: the
    first-start dialog by "Ini kantor" (passphrase, then the first supervisor), the sign-in
    by `start.user`'s name and password."""
    answers = {"user": ("rina", SUPERVISOR_PASSWORD)}

    def exec_(dialog):
        if isinstance(dialog, FirstStartDialog):
            choice = dialog.office_choice
            choice.button.click()
            qtbot.keyClicks(choice.page.passphrase, OFFICE_PASSPHRASE)
            qtbot.keyClicks(choice.page.repeat, OFFICE_PASSPHRASE)
            choice.page.next_button.click()
            fields = choice.operator_page.fields
            qtbot.keyClicks(fields.username, answers["user"][0])
            qtbot.keyClicks(fields.full_name, "Rina Kusuma")
            qtbot.keyClicks(fields.password, answers["user"][1])
            qtbot.keyClicks(fields.repeat, answers["user"][1])
            choice.operator_page.save_button.click()
            qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=20_000)
            return True
        panel = dialog.findChild(SignInPanel)
        qtbot.keyClicks(panel.username, answers["user"][0])
        qtbot.keyClicks(panel.password, answers["user"][1])
        panel.button.click()
        qtbot.waitUntil(lambda: panel.job is None, timeout=10_000)
        return dialog.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(QDialog, "exec", exec_)

    def open_(path=None):
        window = app.open_first_window(path)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.office_desk is not None and window._first_screen)
        return window

    yield open_
    keys.forget_all()


def _stick_from_two_laptops(office, tmp_path, monkeypatch):
    """Laptops L07 and L08 provisioned by `office`, each with one registered household sent
    in a bundle; returns the stick folder."""
    monkeypatch.setenv(PASSPHRASE_ENV, OFFICE_PASSPHRASE)
    setup_file = tmp_path / "setup.txt"
    setup_file.write_text(SETUP_PASSPHRASE + "\n", encoding="utf-8")
    stick = tmp_path / f"stick-{office.stem}"
    stick.mkdir()
    for i, code in enumerate(("L07", "L08")):
        provision, laptop = tmp_path / f"{code}.provision", tmp_path / f"{office.stem}-{code}.db"
        add = ["office", "add-laptop", "--db", str(office), "--name", f"Laptop {code}"]
        add += ["--code", code, "--district", "16.06.01", "--village", VILLAGE]
        add += ["--out", str(provision), "--setup-passphrase-file", str(setup_file)]
        assert main(add) == 0
        setup = ["setup", "--db", str(laptop), "--provision", str(provision)]
        assert main([*setup, "--passphrase-file", str(setup_file)]) == 0
        _register(laptop, code, i)
        assert main(["bundle", "export", "--db", str(laptop), "--to", str(stick)]) == 0
    monkeypatch.delenv(PASSPHRASE_ENV)
    return stick


def _register(laptop, code, i):
    worker = operations.Actor(f"op-{code}")
    db = connect(laptop)
    try:
        reg = Registry(db, operator_id=worker.operator_id)
        with reg.transaction():
            household = operations.register_household(
                reg, worker, village_code=VILLAGE, kk_number=str(1606010507700101 + i)
            ).row
            operations.register_person(
                reg,
                worker,
                name=("Sari Rahayu", "Wati Lestari")[i],
                sex="P",
                nik=str(1606014507700001 + i),
                birth_date="1970-07-05",
                household_id=household["id"],
                relation="kepala",
            )
    finally:
        db.close()


def _import_stick(qtbot, window, stick, monkeypatch) -> str:
    page = window.office_desk.laptops
    monkeypatch.setattr(widgets, "pick_folder", lambda *_a: stick)
    page.import_folder_button.click()
    return page


def _settings(path):
    db = connect(path)
    try:
        return get_setting(db, "mode"), get_setting(db, "device_name")
    finally:
        db.close()


def test_an_office_made_in_the_window_and_one_made_by_the_cli_both_take_a_stick(
    qtbot, start, tmp_path, monkeypatch, data_folder
):
    # -- the window's "Ini kantor": the supervisor is made in the same step ----------------
    made_here = start()
    office = office_db_path()
    assert made_here.db_path == office and made_here.operator.username == "rina"
    stick = _stick_from_two_laptops(office, tmp_path, monkeypatch)
    page = _import_stick(qtbot, made_here, stick, monkeypatch)
    # The passphrase typed at the set-up is not asked again in that session.
    qtbot.waitUntil(lambda: "2 paket diperiksa: 2 diterima" in page.report.toPlainText())
    assert made_here.office_desk.session.dialog is None
    made_here.instance_lock.release()
    made_here.close()

    # -- `office init --supervisor` with the password from a file --------------------------
    cli_office = tmp_path / "kantor-cli.db"
    password_file = tmp_path / "penyelia.txt"
    password_file.write_text(SUPERVISOR_PASSWORD + "\n", encoding="utf-8")
    monkeypatch.setenv(PASSPHRASE_ENV, OFFICE_PASSPHRASE)
    init = ["office", "init", "--db", str(cli_office), "--supervisor", "rina"]
    assert main([*init, "--supervisor-password-file", str(password_file)]) == 0
    # Both doors write the same settings.
    assert _settings(cli_office) == _settings(office) == ("office", "Kantor Dinas Sosial")
    cli_stick = _stick_from_two_laptops(cli_office, tmp_path, monkeypatch)

    keys.forget_all()  # as at a new start: the sign-in unwraps the file's key
    window = start(cli_office)
    assert window.operator.username == "rina"
    page = _import_stick(qtbot, window, cli_stick, monkeypatch)
    session = window.office_desk.session
    qtbot.waitUntil(lambda: session.dialog is not None and session.dialog.isVisible())
    ok = session.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    cancel = session.dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert (ok.text(), cancel.text()) == ("Buka kunci", "Batal")
    qtbot.keyClicks(session.dialog.passphrase, OFFICE_PASSPHRASE)
    ok.click()
    qtbot.waitUntil(lambda: "2 paket diperiksa: 2 diterima" in page.report.toPlainText())
    # Asked once per sign-in: the same stick again needs no passphrase.
    asked = session.dialog
    page.import_folder_button.click()
    qtbot.waitUntil(lambda: "sudah pernah diimpor" in page.report.toPlainText())
    assert session.dialog is asked
    # A new sign-in asks again.
    window.lock()
    panel = window.signin
    qtbot.keyClicks(panel.username, "rina")
    qtbot.keyClicks(panel.password, SUPERVISOR_PASSWORD)
    panel.button.click()
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    page.import_folder_button.click()
    qtbot.waitUntil(lambda: session.dialog is not asked and session.dialog.isVisible())
    window.instance_lock.release()


def test_results_stay_in_the_log_and_every_laptop_gets_its_return(
    qtbot, open_window, world, monkeypatch
):
    people = office_world.add_people(world["L07"], ["Siti Aminah", "Budi Santoso"])
    office_world.send_enrolments(world["L07"], people)
    office_world.deliver(world, "L07")
    window = open_window(world["office_db"])
    page = window.office_desk.laptops
    out = world["stick"] / "balasan"
    out.mkdir()
    monkeypatch.setattr(widgets, "pick_folder", lambda *_a: out)
    page.return_all_button.click()
    session = window.office_desk.session
    qtbot.waitUntil(lambda: session.dialog is not None and session.dialog.isVisible())
    qtbot.keyClicks(session.dialog.passphrase, office_world.PASSPHRASE)
    session.dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "2 paket balasan ditulis" in page.report.toPlainText())
    assert sorted(p.name.split("-")[2] for p in out.iterdir()) == ["L07", "L08"]
    # The next job's result comes under it; the first stays.
    monkeypatch.setattr(widgets, "pick_folder", lambda *_a: world["stick"])
    page.import_folder_button.click()
    qtbot.waitUntil(lambda: "sudah pernah diimpor" in page.report.toPlainText())
    log = page.report.toPlainText()
    assert log.index("2 paket balasan ditulis") < log.index("sudah pernah diimpor")
    assert log.count("WIB ──") == 2

    # Decisions say how many were approved and how many rejected.
    decisions = window.office_desk.decisions
    window.office_desk.show_page(decisions)
    qtbot.waitUntil(lambda: decisions.table.rowCount() == 2)
    for approve in (True, False):
        decisions.table.selectRow(0)
        qtbot.keyClicks(decisions.reason, "Bukan warga desa ini")
        (decisions.approve_button if approve else decisions.reject_button).click()
        box = decisions.confirm_box
        next(
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.YesRole
        ).click()
        tally = "1 disetujui, 0 ditolak." if approve else "1 disetujui, 1 ditolak."
        qtbot.waitUntil(lambda t=tally: t in decisions.result.text())
    assert decisions.result.text().splitlines() == [
        "1 pendaftaran ditolak.",
        "Sejak jendela dibuka: 1 disetujui, 1 ditolak.",
    ]


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world
