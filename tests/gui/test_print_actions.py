"""The Cetak menu against a stand-in window that keeps the main window's contract, and a
thousand cards with photos printed in the background while the window keeps ticking."""

import io
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMainWindow

from muba_desk.gui.jobs import BackgroundJob
from muba_desk.gui.print_actions import install
from muba_desk.gui.print_dialogs import ChoiceDialog, VillageCardsDialog
from muba_desk.gui.print_preview import PrintPreviewDialog
from muba_desk.gui.reader import Reader
from muba_desk.gui.receipt_preview import ReceiptPreview
from muba_desk.gui.verify_dialog import VerifyDialog
from muba_desk.photos import ingest
from muba_desk.printing.sample import APPROVAL, VILLAGE, build_sample
from muba_desk.store import records
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry
from tests.conftest import PHOTOS
from tests.printing.conftest import decode_qr, render_pages
from tests.spelled import letters


class StandInWindow(QMainWindow):
    """What print_actions needs of the main window, and nothing else."""

    def __init__(self, db_path: Path):
        super().__init__()
        self.db_path = Path(db_path)
        self.reader = Reader(self.db_path, self)
        self.operator = SimpleNamespace(id="op-sample", full_name="Rahmat Hidayat")
        self.person_id: str | None = None
        self.household_id: str | None = None
        self.print_menu = self.menuBar().addMenu("&Cetak")

    def selected_person_id(self) -> str | None:
        return self.person_id

    def selected_household_id(self) -> str | None:
        return self.household_id

    def refresh(self) -> None:
        pass

    def submit_write(self, fn, on_done=None, on_error=None) -> None:
        """Like the window's: one transaction on another thread, the answer comes back later."""

        def work(_progress):
            db = connect(self.db_path)
            try:
                registry = Registry(db, operator_id=self.operator.id)
                with registry.transaction():
                    return fn(registry)
            finally:
                db.close()

        BackgroundJob(work, parent=self, success=on_done, failure=on_error).start()


@pytest.fixture
def window(qtbot, db_path):
    def open_(person_id=None):
        shown = StandInWindow(db_path)
        qtbot.addWidget(shown)
        shown.person_id = person_id
        install(shown)
        shown.show()
        opened.append(shown)
        return shown

    opened: list[StandInWindow] = []
    yield open_
    for shown in opened:
        shown.reader.stop()


@pytest.fixture
def sample(db):
    return build_sample(db)


def _person(db, name: str) -> str:
    return db.conn.execute("SELECT id FROM person WHERE name = ?", (name,)).fetchone()[0]


def _wait_for(qtbot, window, kind):
    qtbot.waitUntil(lambda: isinstance(window.print_actions.dialog, kind), timeout=10_000)
    return window.print_actions.dialog


def test_install_fills_the_print_menu_with_shortcuts(window):
    shown = window()
    texts = [a.text() for a in shown.print_menu.actions() if not a.isSeparator()]
    assert texts[0] == "&Kartu peserta orang ini…"
    assert "&Periksa kartu atau kuitansi…" in texts and len(texts) == 8
    actions = shown.print_actions
    assert actions.person_card.shortcut().toString() == "Ctrl+P"
    assert actions.verify.shortcut().toString() == "Ctrl+Shift+V"


def test_the_main_window_installs_the_print_menu(open_window, sample, db_path):
    shown = open_window(db_path)
    actions = shown.print_actions
    assert actions.person_card in shown.print_menu.actions()
    assert actions.verify in shown.print_menu.actions()


def test_without_a_selection_the_worker_is_told_to_choose_someone(window, sample):
    shown = window()
    shown.print_actions.person_card.trigger()
    assert shown.print_actions.message == "Pilih dulu satu orang di daftar Penduduk."
    shown.print_actions.receipt.trigger()
    assert shown.print_actions.message == "Pilih dulu satu orang atau rumah tangga."


def _print_to_file(monkeypatch, preview, path: Path) -> None:
    """ "Cetak…" with the print dialog answered OK and the printer writing `path`."""
    from PySide6.QtPrintSupport import QPrinter

    from muba_desk.gui import print_preview

    class Accepting:
        def __init__(self, printer, parent):
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(path))

        def exec(self):
            return print_preview.QDialog.DialogCode.Accepted

    monkeypatch.setattr(print_preview, "QPrintDialog", Accepting)
    preview.print_button.click()


def test_a_receipt_is_counted_when_printed_and_a_saved_pdf_is_an_archive_copy(
    qtbot, window, db, sample, tmp_path, monkeypatch
):
    shown = window(sample.person_id)
    shown.print_actions.receipt.trigger()
    chooser = _wait_for(qtbot, shown, ChoiceDialog)
    assert chooser.list.count() == 2  # Siti's two Bantu Umak tranches
    rows = [chooser.list.item(i) for i in range(chooser.list.count())]
    chooser.list.setCurrentItem(
        next(r for r in rows if r.data(Qt.ItemDataRole.UserRole) == sample.handover_cash_id)
    )
    assert "Rp1.950.000" in chooser.list.currentItem().text().replace(" ", "")
    chooser.layout_combo.setCurrentIndex(chooser.layout_combo.findData("a5"))
    chooser.accept()

    preview = _wait_for(qtbot, shown, ReceiptPreview)
    assert preview.document.pageCount() == 1
    number = preview.receipt.row["receipt_number"]

    def printed() -> int:
        return db.conn.execute(
            "SELECT times_printed FROM handover WHERE id = ?", (sample.handover_cash_id,)
        ).fetchone()[0]

    # Saved for the archive first: marked ARSIP, not counted, the original still to print.
    preview.save_to(tmp_path / "arsip.pdf")
    qtbot.waitUntil(lambda: preview.archived is not None, timeout=10_000)
    archived = PdfReader(str(tmp_path / "arsip.pdf")).pages[0].extract_text()
    assert number in archived and "ARSIP" in archived and "SALINAN" not in archived
    assert printed() == 0 and preview.receipt.copy_number == 0

    def shown_text() -> str:
        return PdfReader(io.BytesIO(preview._pdf)).pages[0].extract_text()

    # The printer gets what the preview shows: the original, then the copy.
    assert number in shown_text() and "SALINAN" not in shown_text()
    _print_to_file(monkeypatch, preview, tmp_path / "first.pdf")
    qtbot.waitUntil(lambda: preview.receipt.copy_number == 1, timeout=10_000)
    assert preview.save_button.isEnabled() and "SALINAN ke-1" in preview.windowTitle()
    assert "SALINAN ke-1" in shown_text()
    _print_to_file(monkeypatch, preview, tmp_path / "second.pdf")
    qtbot.waitUntil(lambda: preview.receipt.copy_number == 2, timeout=10_000)
    assert printed() == 2 and (tmp_path / "second.pdf").stat().st_size > 0


def test_a_printed_card_is_genuine_in_the_check_dialog_and_an_altered_one_is_not(
    qtbot, window, sample, tmp_path
):
    shown = window(sample.person_id)
    shown.print_actions.print_cards(layout="card", person_id=sample.person_id)
    preview = _wait_for(qtbot, shown, PrintPreviewDialog)
    path = tmp_path / "card.pdf"
    preview.save_to(path)
    (payload,) = decode_qr(render_pages(path, dpi=600))

    shown.print_actions.verify.trigger()

    check = _wait_for(qtbot, shown, VerifyDialog)
    check.code.setText(payload)
    assert check.check() is True
    assert "<b>ASLI:" in check.result.text() and "Siti Aminah" in check.result.text()
    body, _, signature = payload.rpartition(".")
    altered = body.replace("Siti", "Sita") + "." + signature
    check.code.setText(altered)
    assert check.check() is False
    assert "TIDAK ASLI" in check.result.text()
    assert "Tanda tangan digital tidak cocok" in check.result.text()


@pytest.mark.parametrize(
    ("sheet", "person", "heading"),
    [
        ("bertani", "Darmo bin Sukiman", "BEDAH RUMAH"),
        ("kube", "Nurhayati", "KELOMPOK USAHA BERSAMA"),
        ("bakul_nasi", "Darmo bin Sukiman", "BAKUL NASI"),
    ],
)
def test_each_sheet_opens_in_the_preview(
    qtbot, window, db, sample, tmp_path, sheet, person, heading
):
    shown = window(_person(db, person))
    getattr(shown.print_actions, sheet).trigger()
    preview = _wait_for(qtbot, shown, PrintPreviewDialog)
    preview.save_to(tmp_path / "sheet.pdf")
    assert heading in PdfReader(str(tmp_path / "sheet.pdf")).pages[0].extract_text()


def test_village_cards_can_be_cancelled(qtbot, window, sample):
    shown = window()
    shown.print_actions.village_cards.trigger()
    chooser = _wait_for(qtbot, shown, VillageCardsDialog)
    chooser.district.setCurrentIndex(chooser.district.findData(VILLAGE.rsplit(".", 1)[0]))
    chooser.village.setCurrentIndex(chooser.village.findData(VILLAGE))
    chooser.accept()
    job = shown.print_actions.job
    job.cancel()
    qtbot.waitUntil(lambda: not job.running, timeout=10_000)
    assert shown.statusBar().currentMessage() == "Pencetakan dibatalkan."
    assert isinstance(shown.print_actions.dialog, VillageCardsDialog)  # no preview opened


CARDS = 1000
TICK_MS = 10


def fill_village(db, count: int) -> None:
    """`count` people with a portrait and an approved Bantu Umak card, one household each (the
    program allows one per household); every portrait reuses one ingested photo, so building
    the registry stays quick."""
    photo = ingest(PHOTOS / "jpg" / "Canon_40D.jpg")
    reg = Registry(db, operator_id="op-test")
    with reg.transaction():
        enrolments = []
        for n in range(count):
            home = records.add_household(
                reg, village_code=VILLAGE, kk_number=f"160601150120{n + 1:04d}"
            )
            person = records.add_person(
                reg,
                name=f"Warga Nomor {letters(n)}",
                sex="L" if n % 2 else "P",
                nik=f"160601010180{n + 1:04d}",
                birth_date="1980-01-01",
                household_id=home["id"],
                relation="kepala",
            )
            records.add_photo(
                reg, photo, kind="portrait", owner_table="person", owner_id=person["id"]
            )
            enrolments.append(
                records.enrol(
                    reg,
                    program="BANTU_UMAK",
                    data={
                        "decile_source": "dtsen",
                        "household_size": 1,
                        "payment_channel": "tunai",
                    },
                    person_id=person["id"],
                    household_id=home["id"],
                    village_code=VILLAGE,
                )
            )
        # Cards are printed for approved enrolments only: the office's decision, as a return
        # bundle brings it (a plain registry allows the moves).
        for step in APPROVAL:
            enrolments = records.set_statuses(reg, [(e, step, "Uji.") for e in enrolments])


def test_a_thousand_cards_print_in_the_background_without_freezing_the_window(
    qtbot,
    db,
    window,
    tmp_path,
):
    fill_village(db, CARDS)
    shown = window()
    shown.print_actions.village_cards.trigger()
    chooser = shown.print_actions.dialog
    assert isinstance(chooser, VillageCardsDialog)
    chooser.district.setCurrentIndex(chooser.district.findData(VILLAGE.rsplit(".", 1)[0]))
    chooser.village.setCurrentIndex(chooser.village.findData(VILLAGE))

    ticks: list[float] = []
    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    chooser.accept()
    job = shown.print_actions.job
    qtbot.waitUntil(lambda: not job.running, timeout=60_000)
    took = time.monotonic() - started
    timer.stop()

    preview = shown.print_actions.dialog
    assert isinstance(preview, PrintPreviewDialog)
    assert preview.document.pageCount() == CARDS // 10
    # The UI thread kept running its event loop: ticks all along, no long gap.
    gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
    assert len(ticks) >= took / (TICK_MS / 1000) / 4, (len(ticks), took)
    assert max(gaps) < 0.5, max(gaps)
    preview.save_to(tmp_path / "village.pdf")
    assert len(PdfReader(str(tmp_path / "village.pdf")).pages) == CARDS // 10
    print(
        f"{CARDS} cards in {took:.1f} s, {len(ticks)} ticks, longest gap {max(gaps) * 1000:.0f} ms"
    )


def test_the_card_job_says_how_many_enrolments_were_left_out(qtbot, db, window):
    from tests.printing.test_cards import OTHER_VILLAGE, _village_in_every_status

    _village_in_every_status(db)  # Draf ... Selesai: two approved or active
    shown = window()
    shown.print_actions.print_cards(layout="a4", village_code=OTHER_VILLAGE, village="Uji")
    preview = _wait_for(qtbot, shown, PrintPreviewDialog)
    assert preview.document.pageCount() == 1
    note = "3 pendaftaran belum disetujui kantor tidak dicetak."
    assert shown.print_actions.message == note
    assert shown.statusBar().currentMessage() == f"2 kartu siap dicetak. {note}"


def test_a_laptops_thermal_width_is_kept_and_its_roll_receipts_keep_inside_it(
    qtbot, window, db, sample, tmp_path
):
    from muba_desk.gui.print_actions import thermal_printable_mm
    from muba_desk.gui.print_dialogs import ThermalWidthDialog

    shown = window(sample.person_id)
    assert thermal_printable_mm("58mm") == 48.0 and thermal_printable_mm("a4") is None
    shown.print_actions.thermal_width.trigger()
    dialog = _wait_for(qtbot, shown, ThermalWidthDialog)
    dialog.spins["58mm"].setValue(44)
    dialog.accept()
    assert thermal_printable_mm("58mm") == 44.0 and thermal_printable_mm("80mm") == 72.0

    shown.print_actions.print_receipt(sample.handover_cash_id, "58mm")
    preview = _wait_for(qtbot, shown, ReceiptPreview)
    preview.save_to(tmp_path / "roll.pdf")  # the archive copy, made at the same width
    qtbot.waitUntil(lambda: preview.archived is not None, timeout=10_000)
    (page,) = render_pages(tmp_path / "roll.pdf", dpi=203)
    black = page.point(lambda v: 255 if v < 128 else 0)
    left, _top, right, _bottom = black.getbbox()
    assert (right - left) / (203 / 25.4) <= 44
