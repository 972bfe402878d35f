"""The photo slot: broken photos are refused in Indonesian, ingest never freezes the window."""

from __future__ import annotations

import threading

from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent

from muba_desk.gui import photos_widget
from muba_desk.gui.photos_widget import PhotoSlot
from muba_desk.photos import ingest
from tests.gui.enrolment_people import PHOTOS


def make_slot(qtbot, **kwargs) -> PhotoSlot:
    slot = PhotoSlot("house_before", "Sebelum (0 %)", **kwargs)
    qtbot.addWidget(slot)
    slot.show()
    return slot


def test_a_text_file_named_jpg_shows_the_photo_error_and_keeps_nothing(qtbot, tmp_path):
    fake = tmp_path / "rumah.jpg"
    fake.write_text("ini bukan foto", encoding="utf-8")
    slot = make_slot(qtbot)
    slot.add_file(fake)
    qtbot.waitUntil(lambda: not slot.busy)
    assert slot.photo is None and slot.jpeg() is None
    assert "Berkas 'rumah.jpg' bukan foto yang bisa dibaca" in slot.status.text()
    assert slot.error == slot.status.text()


def test_a_truncated_camera_photo_is_refused(qtbot, tmp_path):
    cut = tmp_path / "terpotong.jpg"
    cut.write_bytes((PHOTOS / "jpg_gps" / "DSCN0010.jpg").read_bytes()[:3000])
    slot = make_slot(qtbot)
    slot.add_file(cut)
    qtbot.waitUntil(lambda: not slot.busy)
    assert slot.photo is None
    assert "rusak atau terpotong" in slot.status.text()


def test_the_ui_keeps_running_while_a_slow_photo_is_read(qtbot):
    release = threading.Event()

    def slow_ingest(source):
        release.wait(5)  # a big HEIC on a slow laptop
        return ingest(source)

    slot = make_slot(qtbot, ingest_fn=slow_ingest)
    ticks = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    slot.add_file(PHOTOS / "jpg_orientation" / "landscape_1.jpg")
    assert slot.busy and not slot.rotate_button.isEnabled()
    qtbot.waitUntil(lambda: len(ticks) >= 20, timeout=3000)
    assert slot.busy  # still reading, and the event loop ran 20 timer ticks meanwhile
    release.set()
    qtbot.waitUntil(lambda: not slot.busy)
    timer.stop()
    assert slot.photo is not None and slot.photo.width == 600


def test_rotate_turns_the_photo_and_keeps_when_it_was_taken(qtbot):
    slot = make_slot(qtbot)
    slot.add_file(PHOTOS / "jpg_gps" / "DSCN0010.jpg")
    qtbot.waitUntil(lambda: slot.photo is not None)
    qtbot.mouseClick(slot.rotate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not slot.busy)
    assert (slot.photo.width, slot.photo.height) == (480, 640)
    assert slot.photo.taken_at == "2008-10-22T16:28:39"
    assert slot.photo.gps is not None


def test_a_dropped_file_is_taken_in(qtbot):
    slot = make_slot(qtbot)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(PHOTOS / "jpg_orientation" / "portrait_1.jpg"))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    # Qt routes a real drop only inside a drag it started itself; the handler is the same.
    slot.dropEvent(event)
    assert event.isAccepted()
    qtbot.waitUntil(lambda: slot.photo is not None)
    assert slot.photo.height > slot.photo.width


def test_without_a_camera_the_slot_says_so(qtbot, monkeypatch):
    monkeypatch.setattr(photos_widget, "cameras", lambda: [])
    slot = make_slot(qtbot)
    qtbot.mouseClick(slot.camera_button, Qt.MouseButton.LeftButton)
    assert slot.status.text().startswith("Kamera tidak ditemukan")
