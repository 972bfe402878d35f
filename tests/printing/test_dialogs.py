"""The preview shows the PDF at its paper size; the check dialog answers a scanned code."""

from PySide6.QtCore import Qt

from muba_desk.printing.receipts import build_receipt, receipt_pdf
from muba_desk.signing import known_public_keys


def test_verify_dialog_says_genuine_then_forged(qtbot, db, sample):
    from muba_desk.gui.verify_dialog import VerifyDialog

    payload = build_receipt(db, sample.handover_cash_id).payload
    dialog = VerifyDialog(known_public_keys(db))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code, payload)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert "ASLI." in dialog.result.text() and "Siti Aminah" in dialog.result.text()
    dialog.code.setText(payload.replace("1950000", "9950000"))
    assert dialog.check() is False
    assert "TIDAK ASLI" in dialog.result.text()


def test_preview_loads_pdf_and_saves_it_with_a_callback(qtbot, db, sample, tmp_path):
    from muba_desk.gui.print_preview import PrintPreviewDialog, page_size_of

    pdf = receipt_pdf(build_receipt(db, sample.handover_cash_id), "a5")
    outputs = []
    dialog = PrintPreviewDialog(pdf, title="Kuitansi", on_output=outputs.append)
    qtbot.addWidget(dialog)
    assert dialog.document.pageCount() == 1
    size = page_size_of(dialog.document).size(page_size_of(dialog.document).Unit.Millimeter)
    assert (round(size.width()), round(size.height())) == (210, 148)
    dialog.save_to(tmp_path / "k.pdf")
    assert (tmp_path / "k.pdf").read_bytes() == pdf and outputs == ["pdf"]
