"""Bertani: the house assessment form with photo slots, and the before/after view of a house."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.enrolment_form import ERROR_STYLE, EnrolmentForm
from muba_desk.gui.field_widgets import show_value
from muba_desk.gui.photos_widget import PhotoSlot, pixmap
from muba_desk.i18n import _, _n
from muba_desk.store import records
from muba_desk.store.enrolment_reads import house_photos, load_enrolment

# Before and after side by side, with the three slots above, within 1366x728 (screen_budget).
SIDE_BY_SIDE = (400, 300)


def stage_titles() -> dict[str, str]:
    return {
        "house_before": _("Sebelum (0 %)"),
        "house_during": _("Sedang dikerjakan (50 %)"),
        "house_after": _("Sesudah (100 %)"),
    }


def make_slots(preview: tuple[int, int] = (200, 150)) -> dict[str, PhotoSlot]:
    # Small previews: three side by side must fit the form without scrolling sideways.
    return {kind: PhotoSlot(kind, title, preview=preview) for kind, title in stage_titles().items()}


def save_slots(reg, slots: dict[str, PhotoSlot], enrolment_id: str) -> list[dict]:
    """New photos of the slots, each replacing the stored one of its slot (same transaction)."""
    rows = []
    for kind, slot in slots.items():
        if slot.photo is None:
            continue
        if slot.stored is not None:
            reg.delete("photo", slot.stored["id"])
        rows.append(
            records.add_photo(
                reg, slot.photo, kind=kind, owner_table="enrolment", owner_id=enrolment_id
            )
        )
    return rows


def slots_row(slots: dict[str, PhotoSlot]) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for slot in slots.values():
        row.addWidget(slot)
    row.addStretch()
    return box


class BertaniForm(EnrolmentForm):
    """The generic form for BERTANI, with before/during/after photos saved alongside."""

    def bottom_widgets(self) -> list[QWidget]:
        self.slots = make_slots()
        self.household_gps: tuple[float, float] | None = None
        for slot in self.slots.values():
            slot.gps_found.connect(self.use_gps)
        title = QLabel("<b>" + escape(_("Foto rumah dari titik yang sama")) + "</b>")
        return [title, slots_row(self.slots)]

    def use_gps(self, lat: float, lon: float) -> None:
        """The photo's position becomes the house's and, on saving, the household's."""
        self.inputs["gps_lat"].set_raw(round(lat, 6))
        self.inputs["gps_lon"].set_raw(round(lon, 6))
        self.household_gps = (lat, lon)

    def extra_error(self, submit: bool) -> str:
        if any(slot.busy for slot in self.slots.values()):
            return _("Tunggu sampai foto selesai dibaca.")
        if submit and self.slots["house_before"].jpeg() is None:
            return _("Foto rumah sebelum dikerjakan wajib ada sebelum diajukan.")
        return ""

    def save_more(self, reg, enrolment: dict) -> None:
        save_slots(reg, self.slots, enrolment["id"])
        household_id = enrolment.get("household_id")
        if self.household_gps and household_id:
            lat, lon = self.household_gps
            reg.update("household", household_id, {"gps_lat": lat, "gps_lon": lon})


class BeforeAfterView(QWidget):
    """The house before and after, side by side at the same size, with dates and stages."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt;")
        self.grid.addWidget(self.heading, 0, 0, 1, 2)
        self.pictures: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for column, kind in enumerate(("house_before", "house_after")):
            title = QLabel("<b>" + escape(stage_titles()[kind]) + "</b>")
            picture = QLabel(_("Belum ada foto."))
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            picture.setFixedSize(*SIDE_BY_SIDE)
            picture.setStyleSheet("background: #f1f5f9; color: #64748b;")
            caption = QLabel()
            self.grid.addWidget(title, 1, column)
            self.grid.addWidget(picture, 2, column)
            self.grid.addWidget(caption, 3, column)
            self.pictures[kind], self.captions[kind] = picture, caption

    def show_photos(self, who: str, photos: dict[str, list[dict]]) -> None:
        self.heading.setText(_("Rumah {who}: sebelum dan sesudah").format(who=escape(who)))
        for kind, picture in self.pictures.items():
            rows = photos.get(kind) or []
            if not rows:
                picture.setText(_("Belum ada foto."))
                self.captions[kind].setText("")
                continue
            latest = rows[-1]
            picture.setPixmap(pixmap(latest["jpeg"], SIDE_BY_SIDE))
            taken = latest.get("taken_at")
            self.captions[kind].setText(
                _("Diambil {date}").format(date=show_value_date(taken)) if taken else ""
            )


def show_value_date(value: str) -> str:
    from muba_desk.domain.programs import Field

    return show_value(Field("d", "date", "", ""), value[:10])


class HousePhotosDialog(QDialog):
    """Photos of one Bertani house after enrolment: add or replace, and compare before/after."""

    def __init__(self, backend, enrolment_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.backend, self.enrolment_id = backend, enrolment_id
        self.setWindowTitle(_("Foto rumah Bertani"))
        self.slots = make_slots()
        self.view = BeforeAfterView()
        self.message = QLabel()
        self.message.setWordWrap(True)
        save = QPushButton(_("Simpan foto"))
        save.setAutoDefault(False)
        save.clicked.connect(self.save)
        close = QPushButton(_("Tutup"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(close)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(slots_row(self.slots))
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.loaded = False
        self.load()

    def load(self) -> None:
        enrolment_id = self.enrolment_id
        self.backend.read(
            lambda db: (load_enrolment(db, enrolment_id), house_photos(db, enrolment_id)),
            self._loaded,
        )

    def _loaded(self, result) -> None:
        enrolment, photos = result
        for kind, slot in self.slots.items():
            slot.set_stored(photos[kind][-1] if photos[kind] else None)
        self.view.show_photos(enrolment.who if enrolment else "", photos)
        self.loaded = True

    def save(self) -> None:
        if any(slot.busy for slot in self.slots.values()):
            self.message.setText(_("Tunggu sampai foto selesai dibaca."))
            return
        slots, enrolment_id = self.slots, self.enrolment_id
        self.backend.write(
            lambda reg: save_slots(reg, slots, enrolment_id), self._saved, self._failed
        )

    def _saved(self, rows: list[dict]) -> None:
        self.message.setStyleSheet("")
        self.message.setText(_n("{count} foto disimpan.", len(rows)).format(count=len(rows)))
        self.loaded = False
        self.load()

    def _failed(self, exc: BaseException) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(_("Gagal menyimpan: {reason}").format(reason=exc))
