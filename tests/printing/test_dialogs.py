"""The preview shows the PDF at its paper size; the check dialog answers a scanned code."""

from html import escape

from PySide6.QtCore import Qt

from muba_desk.printing.receipts import build_receipt, receipt_pdf
from muba_desk.signing import known_public_keys


def _cli_verify(payload, db_path, capsys) -> str:
    import argparse

    from muba_desk.printing import commands

    parser = argparse.ArgumentParser()
    commands.add_arguments(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["verify", payload, "--db", str(db_path)])
    args.handler(args)
    printed = capsys.readouterr()
    return printed.out + printed.err


def test_three_scans_with_enter_give_three_verdicts_and_the_dialog_stays_open(
    qtbot, db, db_path, sample, capsys
):
    from muba_desk.gui.verify_dialog import VerifyDialog

    genuine = build_receipt(db, sample.handover_cash_id).payload
    body, _, signature = genuine.rpartition(".")
    tampered = body.replace("Siti", "Sita") + "." + signature
    garbage = "https://contoh.id/bukan-kode"
    dialog = VerifyDialog(known_public_keys(db))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    verdicts = []
    for scan in (genuine, tampered, garbage):
        qtbot.keyClicks(dialog.code, scan)
        qtbot.keyClick(dialog.code, Qt.Key.Key_Return)  # what a USB scanner sends after a code
        assert dialog.isVisible()
        assert dialog.code.text() == "" and dialog.focusWidget() is dialog.code
        verdicts.append(dialog.result.text())
        # The words are those of `muba-desk verify` for the same code.
        for line in _cli_verify(scan, db_path, capsys).splitlines():
            if line.strip():
                assert escape(line.strip()) in verdicts[-1]
    assert "Pemeriksaan ke-1" in verdicts[0] and "<b>ASLI:" in verdicts[0]
    assert "Siti Aminah" in verdicts[0]
    assert "Pemeriksaan ke-2" in verdicts[1] and "TIDAK ASLI" in verdicts[1]
    assert "Tanda tangan digital tidak cocok" in verdicts[1]
    assert "Pemeriksaan ke-3" in verdicts[2] and "bukan kode kartu" in verdicts[2]
    qtbot.keyClick(dialog.code, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_check_dialog_closes_with_its_tutup_button(qtbot, db, sample):
    from muba_desk.gui.verify_dialog import VerifyDialog

    dialog = VerifyDialog(known_public_keys(db))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


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
