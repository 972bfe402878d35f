"""The read-only details pane: shows one person or household and follows links between them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QImage, QKeyEvent, QTextDocument, QTextOption
from PySide6.QtWidgets import QTextBrowser

from muba_desk.gui.details_html import STYLE, hint_html, household_html, person_html


class DetailsPane(QTextBrowser):
    """Rich text with photo thumbnails; a later issue adds the edit actions beside it."""

    person_link = Signal(str)
    household_link = Signal(str)
    back_requested = Signal()  # Escape: return to the list the user came from

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        # Break lines only between words: a NIK split over two lines is easily misread.
        self.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.setObjectName("details")
        self.anchorClicked.connect(self._follow)
        self.document().setDefaultStyleSheet(STYLE)
        self.document().setDocumentMargin(12)
        self._thumbnails: dict[str, bytes] = {}
        self._shown: tuple[str, Any] | None = None
        self.show_hint()

    @property
    def shown(self) -> tuple[str, str] | None:
        """("person" | "household", id) of what is on screen, or None."""
        if self._shown is None or self._shown[0] == "hint":
            return None
        kind, payload = self._shown
        record = payload[0] if kind == "person" else payload
        return kind, record["id"]

    def show_hint(self, text: str | None = None) -> None:
        self._shown = ("hint", text)
        self._thumbnails = {}
        self.setHtml(hint_html(text))

    def show_person(self, person: dict, household: dict | None = None) -> None:
        self._shown = ("person", (person, household))
        self._thumbnails = _thumbnails(person.get("photos"))
        self.setHtml(person_html(person, household))

    def show_household(self, household: dict) -> None:
        self._shown = ("household", household)
        self._thumbnails = _thumbnails(household.get("photos"))
        self.setHtml(household_html(household))

    def refresh(self) -> None:
        """Render again what is shown, e.g. in a newly chosen language."""
        kind, payload = self._shown or ("hint", None)
        if kind == "person":
            self.show_person(*payload)
        elif kind == "household":
            self.show_household(payload)
        else:
            self.show_hint(payload)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        url = QUrl(url)
        if int(kind) == QTextDocument.ResourceType.ImageResource.value and url.scheme() == "photo":
            data = self._thumbnails.get(url.path())
            return QImage.fromData(data) if data else QImage()
        return super().loadResource(kind, url)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.back_requested.emit()
            return
        super().keyPressEvent(event)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == "person":
            self.person_link.emit(url.path())
        elif url.scheme() == "household":
            self.household_link.emit(url.path())


def _thumbnails(photos) -> dict[str, bytes]:
    return {p["id"]: p["thumbnail"] for p in photos or [] if p.get("thumbnail")}
