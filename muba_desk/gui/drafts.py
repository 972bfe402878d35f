"""Keeps every open form's typing in the drafts table and offers it back after a crash."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from muba_desk.i18n import _
from muba_desk.store import drafts as store

DEBOUNCE_MS = 800  # a pause in typing
INTERVAL_MS = 5000  # and every few seconds while a form is open, whatever happens


class DraftKeeper(QObject):
    """Saves drafts on the window's database thread, one channel per form so saves never pile up."""

    def __init__(self, window, *, debounce_ms: int = DEBOUNCE_MS, interval_ms: int = INTERVAL_MS):
        super().__init__(window)
        self.window = window
        self.forms: list = []
        self._unsaved: set = set()
        self.saves_done = 0
        self._debounce = QTimer(self, singleShot=True, interval=debounce_ms)
        self._debounce.timeout.connect(self.flush)
        self._interval = QTimer(self, interval=interval_ms)
        self._interval.timeout.connect(self.flush)

    def channel(self, form) -> str:
        return f"draft:{form.draft_id}"

    def watch(self, form) -> None:
        self.forms.append(form)
        form.changed.connect(lambda f=form: self._typed(f))
        if not self._interval.isActive():
            self._interval.start()

    def _typed(self, form) -> None:
        self._unsaved.add(form)
        self._debounce.start()

    def flush(self) -> None:
        """Save now every form typed in since its last save."""
        reader = self.window.reader
        operator = self.window.operator
        for form in list(self._unsaved):
            self._unsaved.discard(form)
            if form not in self.forms or reader is None:
                continue
            draft_id, state, title = form.draft_id, form.draft_state(), form.windowTitle()
            operator_id = operator.id if operator else None
            self.window.track(self.channel(form))
            reader.submit(
                self.channel(form),
                lambda db, i=draft_id, s=state, t=title, o=operator_id, k=form.kind: (
                    store.save_draft(db, i, kind=k, title=t, state=s, operator_id=o)
                ),
                self._saved,
            )

    def _saved(self, _result) -> None:
        self.saves_done += 1

    def forget(self, form) -> None:
        """The form was saved or discarded: its draft goes (after any save still queued)."""
        self._unsaved.discard(form)
        if form in self.forms:
            self.forms.remove(form)
        if not self.forms:
            self._interval.stop()
        if self.window.reader is not None:
            draft_id = form.draft_id
            self.window.track(self.channel(form))
            self.window.reader.submit(
                self.channel(form), lambda db: store.delete_draft(db, draft_id), lambda _r: None
            )

    def release(self, form) -> None:
        """Stop watching without deleting: the draft stays to be offered at the next start."""
        self._unsaved.discard(form)
        if form in self.forms:
            self.forms.remove(form)

    # -- after a crash ---------------------------------------------------------------------
    def offer(self) -> None:
        """Look for drafts left behind; when there are some, ask whether to continue them."""
        if self.window.reader is not None:
            self.window.reader.submit("drafts", store.list_drafts, self._found)

    def _found(self, drafts: list[store.Draft]) -> None:
        open_ids = {form.draft_id for form in self.forms}
        left = [d for d in drafts if d.id not in open_ids]
        if left:
            self.window.draft_offer = DraftOfferDialog(left, self.window)
            self.window.draft_offer.open()

    def discard(self, drafts: list[store.Draft]) -> None:
        ids = [d.id for d in drafts]
        self.window.submit_write(
            lambda reg: [store.delete_draft(reg.db, i) for i in ids], on_done=lambda _r: None
        )


class DraftOfferDialog(QDialog):
    """ "Lanjutkan isian yang belum disimpan?": continue every draft, or throw them away."""

    def __init__(self, drafts: list[store.Draft], window):
        super().__init__(window)
        self.drafts = drafts
        self.window_ = window
        self.setWindowTitle(_("Isian yang belum disimpan"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        question = QLabel(_("Lanjutkan isian yang belum disimpan?"))
        question.setObjectName("pageTitle")
        explain = QLabel(
            _(
                "muba-desk ditutup sebelum formulir ini disimpan (mungkin listrik padam atau "
                "aplikasi berhenti). Isiannya masih ada."
            )
        )
        explain.setWordWrap(True)
        self.list = QListWidget()
        for draft in drafts:
            self.list.addItem(draft.title)
        self.continue_button = QPushButton(_("&Lanjutkan"))
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.restore)
        self.discard_button = QPushButton(_("&Buang"))
        self.discard_button.clicked.connect(self.discard)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.continue_button)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(explain)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def restore(self) -> None:
        self.accept()
        for draft in self.drafts:
            self.window_.open_draft(draft)

    def discard(self) -> None:
        self.reject()
        self.window_.drafts.discard(self.drafts)
