"""The duplicates queue, made to be cleared: two queues (people who may be one person, double
aid), every pair's names, score and reason in the list, a decision in two keys (the action,
then Enter on a reason from a short list), the next pair selected after each one, buttons that
never move, and bulk "not the same" for ticked pairs."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from muba_desk.gui.jobs import BackgroundJob
from muba_desk.gui.office import widgets
from muba_desk.gui.office.pair_facts import PairView, pair_view
from muba_desk.i18n import _, _n
from muba_desk.office.duplicate_queue import AID, PEOPLE, QueueItem, left, queue
from muba_desk.office.duplicates import (
    MergeProblem,
    allow_double_aid,
    find_duplicates,
    mark_not_same,
    mark_not_same_many,
    merge_people,
    stop_one_aid,
)

DIFFERENT = QColor("#fef3c7")
MERGE, NOT_SAME, SKIP, SWAP = "merge", "not_same", "skip", "swap"
STOP_A, STOP_B, ALLOW = "stop_a", "stop_b", "allow"
# The keys of each queue's actions (also written on their buttons).
KEYS = {
    PEOPLE: {Qt.Key.Key_G: MERGE, Qt.Key.Key_B: NOT_SAME, Qt.Key.Key_L: SKIP, Qt.Key.Key_T: SWAP},
    AID: {Qt.Key.Key_1: STOP_A, Qt.Key.Key_2: STOP_B, Qt.Key.Key_I: ALLOW, Qt.Key.Key_L: SKIP},
}
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def kind_label(kind: str) -> str:
    return {
        "nik": _("NIK sama"),
        "name_birth": _("Nama dan tanggal lahir sama"),
        "similar": _("Mungkin orang yang sama"),
        "forbidden_pair": _("Bantuan rangkap yang dilarang"),
        "once": _("Bantuan yang hanya boleh sekali"),
        "twice": _("Dua kali dalam satu program"),
    }.get(kind, kind)


def reasons_for(action: str) -> list[str]:
    """The short list a reason is chosen from (typing one is optional)."""
    return {
        MERGE: [
            _("Orang yang sama: didaftarkan dua kali"),
            _("Orang yang sama: pindah desa"),
            _("Orang yang sama: NIK atau KK dicocokkan"),
            _("Orang yang sama: dipastikan petugas desa"),
        ],
        NOT_SAME: [
            _("Orang berbeda: dicek ke desa"),
            _("Orang berbeda: orang tua atau alamat berbeda"),
            _("Kembar atau saudara serumah"),
            _("Nama umum, orang lain"),
        ],
        STOP_A: [
            _("Bantuan rangkap tidak diperbolehkan"),
            _("Sudah menerima program lain"),
            _("Terdaftar dua kali"),
        ],
        ALLOW: [
            _("Diizinkan kepala dinas"),
            _("Periodenya tidak bersamaan"),
            _("Pengecualian sesuai aturan program"),
        ],
    }[STOP_A if action == STOP_B else action]


def _button(text: str, key: str) -> QPushButton:
    button = QPushButton(f"{text} [{key}]")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the list
    return button


class DuplicatesPage(QWidget):
    """The queue on the left; the chosen pair side by side with the decision on the right."""

    def __init__(self, desk):
        super().__init__()
        self.desk = desk
        self.which = PEOPLE
        self.queue: list[QueueItem] = []
        self.current: QueueItem | None = None
        self.view: PairView | None = None
        self.people: tuple[str | None, str | None] = (None, None)
        self.pending: str | None = None
        self._after: int | None = None  # the pair to select once the queue is read again
        self.job: BackgroundJob | None = None
        self.scan_button = QPushButton(_("Periksa data ganda"))
        self.scan_button.clicked.connect(self.scan)
        self.scan_label = QLabel()
        self.people_queue = QRadioButton(_("Orang ganda"))
        self.aid_queue = QRadioButton(_("Bantuan rangkap"))
        self.people_queue.setChecked(True)
        choice = QButtonGroup(self)
        for button in (self.people_queue, self.aid_queue):
            choice.addButton(button)
            button.toggled.connect(self._queue_chosen)
        self.list = widgets.table(
            ["✓", _("Skor"), _("Jenis"), _("Data A"), _("Data B"), _("Alasan")]
        )
        self.list.itemSelectionChanged.connect(self._open_selected)
        self.pair = widgets.table([_("Data"), _("Kiri (A)"), _("Kanan (B)")])
        self.keep = QComboBox()
        self.keep.addItem(_("Simpan kiri (A), gabungkan kanan ke dalamnya"), 0)
        self.keep.addItem(_("Simpan kanan (B), gabungkan kiri ke dalamnya"), 1)
        self.keep.currentIndexChanged.connect(self._say_kept)
        self.kept = QLabel()
        self.prompt = widgets.hint(_("Pilih pasangan di daftar, lalu tekan tombol atau hurufnya."))
        self.reasons = QListWidget()
        self.reasons.setMaximumHeight(96)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("Alasan lain (boleh diketik; jika kosong, yang dipilih)"))
        self.save_button = _button(_("Simpan keputusan"), "Enter")
        self.save_button.clicked.connect(self.commit)
        self.cancel_button = _button(_("Batal"), "Esc")
        self.cancel_button.clicked.connect(self.cancel)
        self.merge_button = _button(_("Gabungkan"), "G")
        self.not_same_button = _button(_("Bukan orang yang sama"), "B")
        self.swap_button = _button(_("Tukar yang dipertahankan"), "T")
        self.skip_button = _button(_("Lewati"), "L")
        self.stop_a_button = _button(_("Tolak kiri (A)"), "1")
        self.stop_b_button = _button(_("Tolak kanan (B)"), "2")
        self.allow_button = _button(_("Boleh keduanya"), "I")
        self.aid_skip_button = _button(_("Lewati"), "L")
        self.bulk_button = _button(_("Bukan orang yang sama: semua yang dicentang"), _("Spasi, B"))
        self.bulk_button.clicked.connect(lambda: self.ask(NOT_SAME, bulk=True))
        for button, action in (
            (self.merge_button, MERGE),
            (self.not_same_button, NOT_SAME),
            (self.swap_button, SWAP),
            (self.skip_button, SKIP),
            (self.stop_a_button, STOP_A),
            (self.stop_b_button, STOP_B),
            (self.allow_button, ALLOW),
            (self.aid_skip_button, SKIP),
        ):
            button.clicked.connect(lambda _c=False, a=action: self.act(a))
        self.result = widgets.hint()
        self.bulk = False
        self._lay_out()
        for watched in (self.list, self.pair, self.reasons, self.reason, self.keep):
            watched.installEventFilter(self)
        self._enable(False)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.scan_button)
        top.addWidget(self.people_queue)
        top.addWidget(self.aid_queue)
        top.addWidget(self.scan_label, 1)
        people_row, aid_row = QWidget(), QWidget()
        for row, buttons in (
            (people_row, (self.merge_button, self.not_same_button, self.swap_button)),
            (aid_row, (self.stop_a_button, self.stop_b_button, self.allow_button)),
        ):
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            for button in buttons:
                line.addWidget(button)
            line.addWidget(self.skip_button if row is people_row else self.aid_skip_button)
        self.actions = QStackedWidget()
        self.actions.addWidget(people_row)
        self.actions.addWidget(aid_row)
        confirm = QHBoxLayout()
        confirm.addWidget(self.reason, 1)
        confirm.addWidget(self.save_button)
        confirm.addWidget(self.cancel_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        # The buttons above the pair, every text below them in a box of fixed height: no
        # message, long or short, moves a button the clerk's hand has found.
        lines = self.fontMetrics().lineSpacing()
        for label in (self.kept, self.prompt, self.result):
            label.setWordWrap(True)
            label.setFixedHeight(2 * lines + 6)
        right_layout.addWidget(self.actions)
        right_layout.addWidget(self.kept)
        right_layout.addWidget(self.keep)
        right_layout.addWidget(self.pair, 1)
        right_layout.addWidget(self.prompt)
        right_layout.addWidget(self.reasons)
        right_layout.addLayout(confirm)
        right_layout.addWidget(self.result)
        left_side = QWidget()
        left_layout = QVBoxLayout(left_side)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.bulk_button)
        splitter = QSplitter()
        splitter.addWidget(left_side)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(widgets.title(_("Kemungkinan data ganda")))
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def _enable(self, on: bool) -> None:
        """Buttons are disabled, never hidden: they stay where the clerk's hand expects them."""
        person = on and self.which == PEOPLE
        for button in (self.merge_button, self.not_same_button, self.swap_button):
            button.setEnabled(person)
        self.keep.setEnabled(person)
        for button in (self.stop_a_button, self.stop_b_button, self.allow_button):
            button.setEnabled(on and self.which == AID)
        self.skip_button.setEnabled(on)
        self.aid_skip_button.setEnabled(on)
        waiting = self.pending is not None
        for widget in (self.reasons, self.reason, self.save_button, self.cancel_button):
            widget.setEnabled(waiting)

    # -- keys ----------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.KeyPress and self._key(event, typing=watched is self.reason):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if not self._key(event, typing=False):
            super().keyPressEvent(event)

    def _key(self, event, *, typing: bool) -> bool:
        """One key of the clerk's; True when it was a decision key and was used."""
        key = event.key()
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False  # Ctrl+C and the like belong to the widgets
        if self.pending is not None:
            if key in ENTER:
                self.commit()
                return True
            if key == Qt.Key.Key_Escape:
                self.cancel()
                return True
            return False  # typing a reason, or moving in the list of reasons
        if typing:
            return False
        if key == Qt.Key.Key_Space and self.which == PEOPLE:
            self._tick_current()
            return True
        action = KEYS[self.which].get(Qt.Key(key))
        if action is None:
            return False
        self.act(action)
        return True

    # -- the queue -----------------------------------------------------------------------
    def reload(self) -> None:
        which = self.which
        self.desk.read("duplicates", lambda db: (which, queue(db, which), left(db)), self._show)

    def _queue_chosen(self) -> None:
        which = PEOPLE if self.people_queue.isChecked() else AID
        if which != self.which:
            self.which = which
            self.actions.setCurrentIndex(0 if which == PEOPLE else 1)
            self.cancel()
            self._after = None
            self.reload()

    def _show(self, read) -> None:
        which, items, counts = read
        if which != self.which:
            return  # the clerk switched queues meanwhile; that read is on its way
        ticked = self._ticked()
        self.queue = items
        self.list.blockSignals(True)
        widgets.fill(
            self.list,
            [
                [
                    "",
                    f"{c.score:.2f}" if c.score is not None else "–",
                    kind_label(c.kind),
                    c.name_a,
                    c.name_b,
                    "; ".join(c.reasons),
                ]
                for c in items
            ],
            [c.id for c in items],
        )
        for row, item in enumerate(items):
            self.list.item(row, 5).setToolTip("\n".join(item.reasons))  # the whole of it
            cell = self.list.item(row, 0)
            if which == PEOPLE:
                cell.setFlags(cell.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                on = item.id in ticked
                cell.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._say_ticked()
        self.people_queue.setText(_("Orang ganda ({count})").format(count=counts[PEOPLE]))
        self.aid_queue.setText(_("Bantuan rangkap ({count})").format(count=counts[AID]))
        self.scan_label.setText(
            _n("Tersisa {count} pasangan di antrean ini", len(items)).format(count=len(items))
        )
        self.current = None
        self.view = None
        self.pair.setRowCount(0)
        self._enable(False)
        self._select_after()

    def _select_after(self) -> None:
        """The next pair after a decision (the one that followed it), else the first."""
        if not self.queue:
            self.kept.clear()
            return
        ids = [c.id for c in self.queue]
        row = ids.index(self._after) if self._after in ids else 0
        self.list.setFocus()
        self.list.selectRow(row)

    def _ticked(self) -> set[int]:
        out = set()
        for row in range(self.list.rowCount()):
            cell = self.list.item(row, 0)
            if cell is not None and cell.checkState() == Qt.CheckState.Checked:
                out.add(cell.data(widgets.ID_ROLE))
        return out

    def _tick_current(self) -> None:
        row = self.list.currentRow()
        cell = self.list.item(row, 0) if row >= 0 else None
        if cell is not None:
            on = cell.checkState() == Qt.CheckState.Checked
            cell.setCheckState(Qt.CheckState.Unchecked if on else Qt.CheckState.Checked)
            self.list.selectRow(min(row + 1, self.list.rowCount() - 1))
        self._say_ticked()

    def _say_ticked(self) -> None:
        count = len(self._ticked())
        if count:
            text = _("Bukan orang yang sama: {count} yang dicentang").format(count=count) + " [B]"
        else:
            text = _("Bukan orang yang sama: semua yang dicentang") + f" [{_('Spasi, B')}]"
        self.bulk_button.setText(text)

    def scan(self) -> None:
        path = self.desk.db_path
        self.scan_button.setEnabled(False)
        self.scan_label.setText(_("Memeriksa…"))

        def finished() -> None:
            self.scan_button.setEnabled(True)
            self.reload()

        self.job = BackgroundJob(
            lambda progress: find_duplicates(path, progress),
            parent=self,
            success=lambda _n: finished(),
            cancelled=finished,
        )
        self.job.finished.connect(lambda: self.scan_button.setEnabled(True))
        self.job.with_progress(_("Memeriksa data ganda di seluruh registri…")).start()

    # -- one pair --------------------------------------------------------------------------
    def _open_selected(self) -> None:
        chosen = widgets.selected_ids(self.list)
        self.cancel()
        self.current = next((c for c in self.queue if chosen and c.id == chosen[0]), None)
        if self.current is None:
            return
        c = self.current
        self.view = None
        self.desk.read(
            "duplicate-pair",
            lambda db: (c.id, pair_view(db, c.table_name, c.row_a, c.row_b)),
            self._pair,
        )

    def _pair(self, read) -> None:
        candidate_id, view = read
        if self.current is None or self.current.id != candidate_id:
            return  # another pair was chosen meanwhile
        self.view = view
        self.people = (view.person_a, view.person_b)
        labels = list(dict.fromkeys([*view.a, *view.b]))
        self.pair.setRowCount(len(labels))
        for row, label in enumerate(labels):
            values = (label, view.a.get(label, "–"), view.b.get(label, "–"))
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if col and values[1] != values[2]:
                    item.setBackground(DIFFERENT)  # what differs is what the clerk must check
                self.pair.setItem(row, col, item)
        self.pair.resizeColumnsToContents()
        if view.keep is not None:
            self.keep.blockSignals(True)
            self.keep.setCurrentIndex(0 if view.keep == view.person_a else 1)
            self.keep.blockSignals(False)
        self._say_kept()
        self._enable(True)

    def _kept_and_other(self) -> tuple[str | None, str | None]:
        a, b = self.people
        return (a, b) if self.keep.currentData() == 0 else (b, a)

    def _say_kept(self) -> None:
        if self.view is None or self.current is None or self.current.table_name != "person":
            self.kept.clear()
            return
        keep, _other = self._kept_and_other()
        self.kept.setText(
            _("Yang dipertahankan: {name}").format(name=self.view.names.get(keep, keep))
        )

    # -- decisions -------------------------------------------------------------------------
    def act(self, action: str) -> None:
        if action == SKIP:
            self._step(+1)
        elif action == SWAP:
            if self.view is not None:
                self.keep.setCurrentIndex(1 - self.keep.currentIndex())
        else:
            self.ask(action)

    def _step(self, by: int) -> None:
        row = self.list.currentRow()
        if self.list.rowCount():
            self.list.setFocus()
            self.list.selectRow((row + by) % self.list.rowCount())

    def ask(self, action: str, bulk: bool = False) -> None:
        """The first key of a decision: the reasons to choose from, the first one chosen."""
        # Ticked pairs: "not the same" is for all of them.
        self.bulk = (bulk or action == NOT_SAME) and bool(self._ticked())
        if not self.bulk and (self.current is None or self.view is None):
            self.result.setText(_("Pilih pasangan di daftar dulu."))
            return
        self.pending = action
        self.reasons.clear()
        self.reasons.addItems(reasons_for(action))
        self.reasons.setCurrentRow(0)
        self.reason.clear()
        self.prompt.setText(self._question(action))
        self._enable(self.current is not None)
        self.reasons.setFocus()

    def _question(self, action: str) -> str:
        done = _("Enter menyimpan, Esc membatalkan.")
        if action == MERGE:
            keep, _other = self._kept_and_other()
            name = self.view.names.get(keep, keep) if self.view else ""
            return _("Gabungkan? Yang dipertahankan: {name}.").format(name=name) + " " + done
        if action == NOT_SAME and self.bulk:
            count = len(self._ticked())
            return (
                _("Tandai {count} pasangan yang dicentang bukan orang yang sama?").format(
                    count=count
                )
                + " "
                + done
            )
        if action == NOT_SAME:
            return _("Bukan orang yang sama? Pasangan ini tidak diantrekan lagi.") + " " + done
        if action in (STOP_A, STOP_B):
            side = _("kiri (A)") if action == STOP_A else _("kanan (B)")
            return _("Tolak pendaftaran {side}?").format(side=side) + " " + done
        return _("Biarkan keduanya? Bantuan rangkap ini tidak diantrekan lagi.") + " " + done

    def cancel(self) -> None:
        if self.pending is None:
            return
        self.pending = None
        self.bulk = False
        self.reasons.clear()
        self.reason.clear()
        self.prompt.setText(_("Pilih pasangan di daftar, lalu tekan tombol atau hurufnya."))
        self._enable(self.current is not None and self.view is not None)
        self.list.setFocus()

    def _chosen_reason(self) -> str:
        typed = self.reason.text().strip()
        if typed:
            return typed
        item = self.reasons.currentItem()
        return item.text() if item is not None else ""

    def commit(self) -> None:
        """The second key: the decision is written with the chosen (or typed) reason."""
        action, reason = self.pending, self._chosen_reason()
        if action is None:
            return
        if not reason:
            self.result.setText(_("Pilih atau tuliskan alasan keputusan dulu."))
            return
        current = self.current
        if self.bulk:
            ids = [i for c in self.queue if c.id in self._ticked() for i in c.ids]
            self._remember_next(None)
            self._write(lambda reg: mark_not_same_many(reg, ids, reason), self._marked_many, action)
            return
        if current is None:
            return
        self._remember_next(current)
        if action == MERGE:
            keep, other = self._kept_and_other()
            name = self.view.names.get(keep, keep) if self.view else keep
            self._write(
                lambda reg: merge_people(reg, keep, other, reason),
                lambda moved: self._merged(moved, name),
                action,
            )
        elif action == NOT_SAME:
            self._write(lambda reg: mark_not_same(reg, current.id, reason), self._marked, action)
        elif action in (STOP_A, STOP_B):
            row = current.row_a if action == STOP_A else current.row_b
            self._write(
                lambda reg: stop_one_aid(reg, current.id, row, reason), self._stopped, action
            )
        elif action == ALLOW:
            self._write(
                lambda reg: allow_double_aid(reg, current.id, reason), self._allowed, action
            )

    def _remember_next(self, current: QueueItem | None) -> None:
        """The pair after `current` (or after the last ticked one) is selected once the queue
        is read again: the clerk's eyes stay at the same place in the list."""
        ticked = self._ticked()
        ids = [c.id for c in self.queue]
        gone = {current.id} if current is not None else ticked
        after = [i for i in ids[ids.index(current.id) + 1 :]] if current is not None else []
        if current is None and ticked:
            last = max(ids.index(i) for i in ticked)
            after = ids[last + 1 :]
        rest = [i for i in after if i not in gone] or [i for i in ids if i not in gone]
        self._after = rest[0] if rest else None

    def _write(self, fn, done, action: str) -> None:
        self.pending = None
        self.bulk = False
        self._enable(False)
        self.prompt.setText(_("Menyimpan…"))
        self.desk.write(fn, done, self._failed)

    def _decided(self, text: str, changed: bool = False) -> None:
        self.reasons.clear()
        self.reason.clear()
        self.prompt.setText(_("Pilih pasangan di daftar, lalu tekan tombol atau hurufnya."))
        self.result.setText(text)
        self.reload()
        if changed:
            self.desk.data_changed()

    def _merged(self, moved: dict, name: str) -> None:
        notes = " ".join(moved.get("notes", []))
        text = _("Digabung ke {name}: {count} pendaftaran dipindahkan.").format(
            name=name, count=len(moved.get("enrolment", []))
        )
        self._decided(f"{text} {notes}".strip(), changed=True)

    def _marked(self, _result) -> None:
        self._decided(_("Ditandai bukan orang yang sama."))

    def _marked_many(self, count: int) -> None:
        self._decided(
            _n("{count} pasangan ditandai bukan orang yang sama.", count).format(count=count)
        )

    def _stopped(self, _result) -> None:
        self._decided(_("Satu pendaftaran ditolak; bantuan rangkap selesai."), changed=True)

    def _allowed(self, _result) -> None:
        self._decided(_("Bantuan rangkap dibiarkan, dengan alasannya."))

    def _failed(self, exc: BaseException) -> None:
        self.prompt.setText(_("Pilih pasangan di daftar, lalu tekan tombol atau hurufnya."))
        self._enable(self.current is not None and self.view is not None)
        self.list.setFocus()
        if isinstance(exc, MergeProblem):
            self.result.setText(str(exc))
        else:
            from muba_desk.gui.main_window import write_error

            self.result.setText(write_error(exc))
