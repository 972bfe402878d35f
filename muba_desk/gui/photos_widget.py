"""A photo slot: from a file, a drop or the camera; taken in on a worker, previewed, rotated."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.jobs import BackgroundJob, describe_error
from muba_desk.i18n import _
from muba_desk.photos import IngestedPhoto, PhotoError, ingest

PREVIEW = (280, 210)
PATTERNS = "(*.jpg *.jpeg *.png *.heic *.heif *.JPG *.JPEG *.PNG *.HEIC)"


def rotated(photo_jpeg: bytes) -> bytes:
    """The JPEG turned a quarter clockwise, as a new JPEG to ingest again (worker thread)."""
    with Image.open(io.BytesIO(photo_jpeg)) as im:
        turned = im.transpose(Image.Transpose.ROTATE_270)
    buffer = io.BytesIO()
    turned.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def pixmap(jpeg: bytes, size: tuple[int, int]) -> QPixmap:
    picture = QPixmap()
    picture.loadFromData(jpeg)
    return picture.scaled(
        *size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def cameras() -> list:
    """The laptop's cameras; empty when there is none or Qt Multimedia is not installed."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError:
        return []
    return list(QMediaDevices.videoInputs())


class PhotoSlot(QFrame):
    """One photo of a kind (house_before, …): what is stored, or a new one waiting to be saved."""

    changed = Signal()
    gps_found = Signal(float, float)

    def __init__(
        self,
        kind: str,
        title: str,
        parent: QWidget | None = None,
        *,
        ingest_fn: Callable[[object], IngestedPhoto] = ingest,
        preview: tuple[int, int] = PREVIEW,
    ):
        super().__init__(parent)
        self.kind, self.title = kind, title
        self.ingest_fn = ingest_fn
        self.photo: IngestedPhoto | None = None  # new, not saved yet
        self.stored: dict | None = None  # the saved photo row it would replace
        self.busy = False
        self.error = ""
        self.job: BackgroundJob | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        heading = QLabel(f"<b>{title}</b>")
        self.preview = QLabel(_("Belum ada foto.\nSeret foto ke sini."))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_size = preview
        self.preview.setFixedSize(*preview)
        self.preview.setStyleSheet("background: #f1f5f9; color: #64748b;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setMaximumWidth(preview[0] + 40)
        self.file_button = QPushButton(_("Pilih berkas…"))
        self.camera_button = QPushButton(_("Kamera…"))
        self.rotate_button = QPushButton(_("Putar ↻"))
        for button in (self.file_button, self.camera_button, self.rotate_button):
            button.setAutoDefault(False)
        self.file_button.clicked.connect(self.choose_file)
        self.camera_button.clicked.connect(self.take_from_camera)
        self.rotate_button.clicked.connect(self.rotate)
        self.gps_button = QPushButton()
        self.gps_button.setAutoDefault(False)
        self.gps_button.hide()
        self.gps_button.clicked.connect(self._offer_gps)
        # Two rows of buttons keep a slot as narrow as its preview: three fit side by side.
        buttons = QGridLayout()
        buttons.addWidget(self.file_button, 0, 0, 1, 2)
        buttons.addWidget(self.camera_button, 1, 0)
        buttons.addWidget(self.rotate_button, 1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.preview)
        layout.addLayout(buttons)
        layout.addWidget(self.gps_button)
        layout.addWidget(self.status)
        self._sync()

    # -- what the slot holds -------------------------------------------------------------
    def jpeg(self) -> bytes | None:
        if self.photo is not None:
            return self.photo.jpeg
        return (self.stored or {}).get("jpeg")

    def set_stored(self, row: dict | None) -> None:
        self.stored, self.photo = row, None
        self._show()

    def _sync(self) -> None:
        has = self.jpeg() is not None
        self.file_button.setText(_("Ganti…") if has else _("Pilih berkas…"))
        self.rotate_button.setEnabled(has and not self.busy)
        self.file_button.setEnabled(not self.busy)
        self.camera_button.setEnabled(not self.busy)

    def _show(self) -> None:
        jpeg = self.jpeg()
        if jpeg is not None:
            self.preview.setPixmap(pixmap(jpeg, self.preview_size))
        self._sync()

    # -- adding --------------------------------------------------------------------------
    def choose_file(self) -> None:
        files = _("Foto") + " " + PATTERNS
        path, _filter = QFileDialog.getOpenFileName(self, self.title, "", files)
        if path:
            self.add_file(path)

    def add_file(self, path: str | Path) -> None:
        source = str(path)
        self._run(lambda: self.ingest_fn(source), _("Membaca foto…"))

    def add_bytes(self, data: bytes) -> None:
        self._run(lambda: self.ingest_fn(data), _("Membaca foto…"))

    def rotate(self) -> None:
        jpeg = self.jpeg()
        if jpeg is None:
            return
        source = self.photo
        keep = {
            "taken_at": source.taken_at if source else (self.stored or {}).get("taken_at"),
            "gps": source.gps if source else None,
        }
        self._run(lambda: replace(self.ingest_fn(rotated(jpeg)), **keep), _("Memutar foto…"))

    def _run(self, work: Callable[[], IngestedPhoto], label: str) -> None:
        self.busy = True
        self.error = ""
        self.status.setStyleSheet("")
        self.status.setText(label)
        self._sync()
        self.job = BackgroundJob(
            lambda _progress: work(), parent=self, success=self._ingested, failure=self._failed
        ).start()

    def _ingested(self, photo: IngestedPhoto) -> None:
        self.busy = False
        self.photo = photo
        taken = ""
        if photo.taken_at:
            day = photo.taken_at[:10].split("-")
            taken = _(", diambil {date}").format(date="/".join(reversed(day)))
        self.status.setText(
            _("Foto siap: {w} × {h} piksel{taken}. Tersimpan saat formulir disimpan.").format(
                w=photo.width, h=photo.height, taken=taken
            )
        )
        if photo.gps:
            lat, lon = photo.gps
            self.gps_button.setText(
                _("Pakai lokasi GPS foto ({lat:.5f}, {lon:.5f})").format(lat=lat, lon=lon)
            )
            self.gps_button.show()
        else:
            self.gps_button.hide()
        self._show()
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.error = str(exc) if isinstance(exc, PhotoError) else describe_error(exc)
        self.status.setStyleSheet("color: #b91c1c;")
        self.status.setText(self.error)
        self._sync()

    def _offer_gps(self) -> None:
        if self.photo is not None and self.photo.gps:
            self.gps_found.emit(*self.photo.gps)
            self.gps_button.hide()

    # -- camera --------------------------------------------------------------------------
    def take_from_camera(self) -> None:
        devices = cameras()
        if not devices:
            self.error = _(
                "Kamera tidak ditemukan. Sambungkan kamera, atau pilih foto dari berkas."
            )
            self.status.setStyleSheet("color: #b91c1c;")
            self.status.setText(self.error)
            return
        dialog = CameraDialog(devices[0], self)
        if dialog.exec() and dialog.jpeg:
            self.add_bytes(dialog.jpeg)

    # -- drag and drop -------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and not self.busy:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.add_file(urls[0].toLocalFile())
            event.acceptProposedAction()


class CameraDialog(QDialog):
    """The camera's live picture and a Take button; `jpeg` holds the picture taken."""

    def __init__(self, device, parent: QWidget | None = None):
        super().__init__(parent)
        from PySide6.QtMultimedia import QCamera, QImageCapture, QMediaCaptureSession
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self.setWindowTitle(_("Ambil foto dengan kamera"))
        self.jpeg: bytes | None = None
        self.camera = QCamera(device)
        self.capture = QImageCapture()
        self.session = QMediaCaptureSession()
        self.session.setCamera(self.camera)
        self.session.setImageCapture(self.capture)
        view = QVideoWidget()
        view.setMinimumSize(640, 480)
        self.session.setVideoOutput(view)
        self.capture.imageCaptured.connect(self._captured)
        take = QPushButton(_("Ambil foto"))
        take.clicked.connect(lambda: self.capture.capture())
        layout = QVBoxLayout(self)
        layout.addWidget(view)
        layout.addWidget(take)
        self.camera.start()

    def _captured(self, _id: int, image: QImage) -> None:
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPG", 92)
        self.jpeg = bytes(data.data())
        self.camera.stop()
        self.accept()
