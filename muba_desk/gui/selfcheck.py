"""The Qt half of `muba-desk --self-test` (muba_desk.selftest): Qt code lives under gui/.

Reads the QR codes of a PDF through QtPdf, checks the Qt plugins an installation needs, and
opens the main window on a registry.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication

_APP: QApplication | None = None


def application() -> QApplication:
    """The running QApplication, or a new one (the platform from QT_QPA_PLATFORM)."""
    global _APP
    app = QApplication.instance()
    if app is None:
        _APP = app = QApplication([sys.argv[0] if sys.argv else "muba-desk"])
    return app


def qr_texts(pdf: Path, dpi: int = 200) -> list[str]:
    """The QR codes on the PDF's pages, rendered by QtPdf and read by zxing-cpp."""
    import zxingcpp
    from PIL import Image

    application()
    document = QPdfDocument()
    try:
        if document.load(str(pdf)) != QPdfDocument.Error.None_:
            raise ValueError(f"QtPdf cannot open {pdf}")
        texts = []
        for page in range(document.pageCount()):
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = document.render(page, size).convertToFormat(QImage.Format.Format_Grayscale8)
            data = bytes(image.constBits())[: image.bytesPerLine() * image.height()]
            pil = Image.frombuffer(
                "L", (image.width(), image.height()), data, "raw", "L", image.bytesPerLine(), 1
            )
            found = zxingcpp.read_barcodes(pil, formats=zxingcpp.BarcodeFormat.QRCode)
            texts += [barcode.text for barcode in found]
        return texts
    finally:
        document.close()


def missing_plugins() -> list[str]:
    """The Qt plugins an installed app needs on this system, missing from Qt's plugin folder:
    the desktop platform (the self-test itself runs offscreen) and JPEG."""
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    if sys.platform == "win32":
        wanted = ["platforms/qwindows.dll", "imageformats/qjpeg.dll"]
    elif sys.platform == "darwin":
        wanted = ["platforms/libqcocoa.dylib", "imageformats/libqjpeg.dylib"]
    else:
        wanted = ["platforms/libqxcb.so", "imageformats/libqjpeg.so"]
    return [name for name in wanted if not (folder / name).is_file()]


def jpeg_readable(jpeg: bytes) -> bool:
    """Whether Qt decodes a JPEG, as the details pane does with photo thumbnails."""
    application()
    return not QImage.fromData(jpeg).isNull()


def window_people(db_path: Path, timeout: float = 20.0) -> int:
    """Open the main window on `db_path`, wait for its first list; the people listed."""
    from muba_desk.gui.main_window import MainWindow

    app = application()
    window = MainWindow(db_path)
    try:
        window.show()
        deadline = time.monotonic() + timeout
        while (window.searching() or window.people_model.rowCount() == 0) and (
            time.monotonic() < deadline
        ):
            app.processEvents()
            time.sleep(0.01)
        return window.people_model.rowCount()
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
