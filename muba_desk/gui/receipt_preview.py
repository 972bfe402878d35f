"""The preview of a receipt: each print is counted and then shows the SALINAN copy; a saved
PDF is the record copy, marked ARSIP, and leaves the original unprinted."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice

from muba_desk.gui.jobs import BackgroundJob, show_error
from muba_desk.gui.print_preview import PrintPreviewDialog
from muba_desk.i18n import _
from muba_desk.printing.jobs import receipt_document
from muba_desk.printing.receipts import Receipt, record_print


def file_name(*parts: str) -> str:
    """A PDF name safe on every file system, from words and numbers."""
    return re.sub(r"[^\w.-]+", "-", "-".join(p for p in parts if p)).strip("-") + ".pdf"


class ReceiptPreview(PrintPreviewDialog):
    """The preview of a receipt: each print is counted through the window's writer, then the
    preview shows the next copy, marked SALINAN, so a second print says so. "Simpan arsip"
    writes the record copy, marked ARSIP and not counted: a file on the laptop is never an
    original someone could print and hand over again."""

    def __init__(
        self, window, receipt: Receipt, pdf: bytes, layout: str, printable_mm: float | None = None
    ):
        super().__init__(
            pdf,
            title=receipt_title(receipt),
            suggested_name=file_name("kuitansi", receipt.row["receipt_number"]),
            on_output=self._printed,
            parent=window,
        )
        self._main, self.receipt, self.layout = window, receipt, layout
        self.printable_mm = printable_mm  # the roll printer's width, kept for the copies
        self.archived: Path | None = None
        self.save_button.setText(_("Simpan arsip PDF…"))
        self.save_button.setToolTip(
            _("Berkas PDF untuk arsip, bertanda ARSIP; kuitansi aslinya tetap belum dicetak.")
        )

    def save_to(self, path: Path) -> None:
        """Write the ARSIP copy to `path` (made afresh in a job, written whole or not at all);
        nothing is counted."""
        db_path, handover_id, layout = self._main.db_path, self.receipt.row["id"], self.layout
        target = Path(path)

        def work(_progress) -> Path:
            _receipt, pdf = receipt_document(
                db_path, handover_id, layout, self.printable_mm, archive=True
            )
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(pdf)
            partial.replace(target)
            return target

        self._set_busy(True)
        BackgroundJob(work, parent=self, success=self._archived, failure=self._failed).start()

    def _archived(self, path: Path) -> None:
        self.archived = path
        self._set_busy(False)

    def _printed(self, _kind: str) -> None:
        receipt, layout = self.receipt, self.layout
        self._set_busy(True)
        self._main.submit_write(
            lambda registry: record_print(registry, receipt, layout),
            on_done=self._recorded,
            on_error=self._failed,
        )

    def _recorded(self, _count=None) -> None:
        db_path, handover_id = self._main.db_path, self.receipt.row["id"]
        BackgroundJob(
            lambda _progress: receipt_document(
                db_path, handover_id, self.layout, self.printable_mm
            ),
            parent=self,
            success=self._reloaded,
            failure=self._failed,
        ).start()

    def _reloaded(self, result: tuple[Receipt, bytes]) -> None:
        self.receipt, pdf = result
        self.show_pdf(pdf)
        self.setWindowTitle(receipt_title(self.receipt))
        self._set_busy(False)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        show_error(self, exc)

    def _set_busy(self, busy: bool) -> None:
        # A print before the count is stored would go out without its SALINAN mark.
        self.print_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)

    def show_pdf(self, pdf: bytes) -> None:
        """Replace the document shown (and printed or saved) by `pdf`."""
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        self._buffer.deleteLater()
        self._buffer, self._pdf = buffer, pdf


def receipt_title(receipt: Receipt) -> str:
    title = _("Kuitansi {number}").format(number=receipt.row["receipt_number"])
    return f"{title} – {receipt.copy_label}" if receipt.copy_number else title
