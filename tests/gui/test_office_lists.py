"""The office's "Daftar & SK" page: an SK made and filled, its attachment printed, the bank
file made and the bank's answer read back, with what stays pending shown."""

from __future__ import annotations

import xlsxwriter

from muba_desk.core import operations
from muba_desk.gui.office import widgets
from muba_desk.lists_out import work
from muba_desk.store.records import enrol
from tests.gui import office_world
from tests.gui.office_world import add_people, deliver, edit, query
from tests.program_data import DATA

NIKS = (1606010101900001, 1606010202900001)


def _bank_payees(world) -> list[str]:
    """Two households on laptop L07 asking Bantu Umak paid through BRI, approved at the office."""
    people = [add_people(world["L07"], [name], nik_start=nik)[0]
              for name, nik in zip(("Siti Aminah", "Budi Santoso"), NIKS, strict=True)]  # fmt: skip

    def fill(reg):
        out = []
        for number, pid in enumerate(people):
            data = {
                **DATA["BANTU_UMAK"],
                "payment_channel": "bri",
                "account_number": f"00120100011{number}501",
                "account_holder": "Pemilik Rekening",
            }
            e = enrol(reg, program="BANTU_UMAK", data=data, person_id=pid)
            # The worker submits, as the window's Ajukan does; the export then sends it.
            operations.submit(reg, operations.Actor(reg.operator_id), e["id"])
            out.append(e["id"])
        return out

    ids = edit(world["L07"], fill)
    deliver(world, "L07")
    actor = operations.Actor("op-1", operations.OFFICE)
    edit(world["office_db"], lambda reg: operations.decide(reg, actor, ids, True, "Layak"))
    return ids


def _bank_answer(path) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    rows = [
        ("NIK", "Periode", "Status", "Keterangan", "Referensi"),
        (str(NIKS[0]), "2026-03", "BERHASIL", "", "TRX-1"),
        (str(NIKS[1]), "2026-03", "GAGAL", "Rekening ditutup", ""),
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()


def test_sk_attachment_bank_file_and_answer(qtbot, open_window, world, tmp_path, monkeypatch):
    ids = _bank_payees(world)
    window = open_window(world["office_db"])
    page = window.office_desk.lists
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.table.rowCount() == 2)  # approved, in no SK yet

    page.new_sk_button.click()
    dialog = page.dialog
    dialog.number.setText("460/012/KPTS/DINSOS/2026")
    dialog.about.setText("Penerima Bantu Umak tahun 2026")
    dialog.program.setCurrentIndex(dialog.program.findData("BANTU_UMAK"))
    dialog.period.setText("2026")
    dialog.signatory_name.setText("Drs. H. Ahmad Yani")
    dialog.accept()
    qtbot.waitUntil(lambda: page.sk.count() == 1)
    assert page.sk.currentData() == "460/012/KPTS/DINSOS/2026"
    page.table.selectAll()
    page.add_button.click()
    qtbot.waitUntil(lambda: "dimasukkan" in page.result.text() and page.table.rowCount() == 0)

    pdf = tmp_path / "lampiran.pdf"
    monkeypatch.setattr(widgets, "pick_save", lambda *_a: pdf)
    page.pdf_button.click()
    qtbot.waitUntil(lambda: page.last_file == pdf, timeout=20_000)
    assert pdf.read_bytes().startswith(b"%PDF")

    bank = tmp_path / "bri-2026-03.xlsx"
    monkeypatch.setattr(widgets, "pick_save", lambda *_a: bank)
    page.period.setText("2026-03")
    page.bank_button.click()
    qtbot.waitUntil(lambda: page.last_file == bank, timeout=20_000)
    assert page.view.currentData() == work.WAITING
    qtbot.waitUntil(lambda: page.table.rowCount() == 2)  # sent, waiting for the bank

    answer = tmp_path / "jawaban.xlsx"
    _bank_answer(answer)
    monkeypatch.setattr(widgets, "pick_files", lambda *_a: [answer])
    page.bank_answer_button.click()
    qtbot.waitUntil(lambda: page.last_answer is not None, timeout=20_000)
    assert "1 dibayar" in page.result.text() and "Rekening ditutup" in page.result.text()
    page.view.setCurrentIndex(page.view.findData(work.FAILED))
    qtbot.waitUntil(
        lambda: page.table.rowCount() == 1 and page.table.item(0, 4).text() == "Rekening ditutup"
    )
    paid = query(
        world["office_db"],
        "SELECT enrolment_id, confirmed_by FROM handover WHERE deleted_at IS NULL",
    )
    assert paid == [(ids[0], "transfer_bank")]


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world
