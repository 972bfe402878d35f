"""A preview of a generated PDF (QtPdf) with Print through the system dialog and Save as PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from muba_desk.gui.screen_budget import fit
from muba_desk.i18n import _

POINTS_PER_MM = 72 / 25.4


def page_size_of(document: QPdfDocument) -> QPageSize:
    """The paper of the PDF's first page (A4, A5, ID-1 card, thermal roll) for the printer."""
    points = document.pagePointSize(0)
    size = QSizeF(points.width() / POINTS_PER_MM, points.height() / POINTS_PER_MM)
    return QPageSize(size, QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.FuzzyMatch)


class PrintPreviewDialog(QDialog):
    """Shows `pdf` (bytes); `on_output(kind)` is called after a print or a save ("print" or
    "pdf"), which is where the caller counts a receipt's print."""

    def __init__(
        self,
        pdf: bytes,
        *,
        title: str,
        suggested_name: str = "dokumen.pdf",
        on_output: Callable[[str], None] | None = None,
        parent=None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        fit(self, 900, 700)  # Cetak / Simpan PDF stay on a 1366x768 screen (screen_budget)
        self._pdf = pdf
        self._suggested = suggested_name
        self._on_output = on_output
        # The buffer must outlive the document, which reads from it lazily.
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = QPushButton(_("Cetak…"), self)
        self.save_button = QPushButton(_("Simpan PDF…"), self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        orientation = QPageLayout.Orientation.Portrait
        points = self.document.pagePointSize(0)
        if points.width() > points.height():
            orientation = QPageLayout.Orientation.Landscape
        size = page_size_of(self.document)
        printer.setPageLayout(
            QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
        )
        printer.setFullPage(True)
        printer.setDocName(self.windowTitle())
        return printer

    def print_document(self) -> None:
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)
        if self._on_output:
            self._on_output("print")

    def print_to(self, printer: QPrinter) -> None:
        """Render each page at the printer's resolution, filling the paper."""
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, _("Cetak"), _("Printer tidak dapat dibuka."))
            return
        try:
            dpi = printer.resolution()
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                size = points.toSize() * (dpi / 72)
                image = self.document.render(page, size)
                target = painter.viewport()
                painter.drawImage(target, image)
        finally:
            painter.end()

    def save_pdf(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Simpan PDF"), str(Path.home() / self._suggested), "PDF (*.pdf)"
        )
        if not name:
            return
        self.save_to(Path(name))

    def save_to(self, path: Path) -> None:
        path.write_bytes(self._pdf)
        if self._on_output:
            self._on_output("pdf")
