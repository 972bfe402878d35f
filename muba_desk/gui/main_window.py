"""The main window: search at the top, people and households below, details of the chosen one.

Every read and every write runs on the `Reader` thread with its own connection (writes through
`submit_write`, stamped with the signed-in operator); the window's own connection (`self.db`)
only runs the migrations when a registry is opened and reads its settings. Registration forms,
sign-in and the idle lock live in their own modules; this one ties them together.

The contract other window parts use: `db_path`, `reader`, `operator`, `selected_person_id()`,
`selected_household_id()`, `refresh()`, `submit_write(fn, on_done, on_error)`, `program_menu`
and `print_menu`; they plug in through `muba_desk.gui.extensions`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from muba_desk import __version__, i18n
from muba_desk.gui import prefs
from muba_desk.gui.extensions import window_extensions
from muba_desk.gui.idle_lock import IDLE_MS, IdleWatcher, hide_the_work, show_the_work
from muba_desk.gui.models import HitsModel, household_columns, people_columns
from muba_desk.gui.reader import Queries, Reader
from muba_desk.gui.results_view import ResultsView
from muba_desk.gui.search_box import SearchBox
from muba_desk.i18n import _, _n, format_count
from muba_desk.paths import data_dir
from muba_desk.store import operators
from muba_desk.store.db import connect
from muba_desk.store.operators import Operator
from muba_desk.store.registry import RecordNotFound, Registry, StaleEdit, get_setting

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    # The registration forms (and their NIK, name and duplicate checks) are imported when
    # a form is first opened: the first screen is the list. So are the details pane, the
    # sign-in panel and the draft keeper (see `details`, `signin`, `drafts`).
    from muba_desk.gui.details_pane import DetailsPane
    from muba_desk.gui.drafts import DraftKeeper
    from muba_desk.gui.household_form import HouseholdForm
    from muba_desk.gui.record_form import RecordForm
    from muba_desk.gui.signin import SignInPanel
    from muba_desk.store.drafts import Draft

SEARCH_DELAY_MS = 150  # long enough to skip the words being typed, short enough to feel instant
SEARCH_LIMIT = 200
PEOPLE, HOUSEHOLDS = 0, 1
WORK, SIGN_IN = 0, 1
DRAIN_TIMEOUT_S = 30.0
FIRST_SCREEN_WAIT_MS = 1000
LISTS_STRETCH, DETAILS_STRETCH = 5, 4  # the lists and the details pane share the width 5:4
SPLIT = [LISTS_STRETCH * 1000, DETAILS_STRETCH * 1000]


def is_demo(db, path: Path) -> bool:
    """The made-up registry; marked everywhere so nobody takes it for real data."""
    return get_setting(db, "mode") == "demo" or Path(path).name == "demo.db"


class MainWindow(QMainWindow):
    """`operator` signs in straight away (the first supervisor, just made at set-up); `idle_ms`
    and `clock` are for tests of the lock and the sign-in back-off."""

    def __init__(
        self,
        db_path: Path,
        *,
        queries: Queries | None = None,
        operator: Operator | None = None,
        idle_ms: int = IDLE_MS,
        clock: Callable[[], float] = time.time,
    ):
        super().__init__()
        self.queries = queries or Queries()
        self.db = None
        self.db_path = Path(db_path)
        self.reader: Reader | None = None
        self.demo = False
        self.operator: Operator | None = None
        self.locked = False
        self.forms: list[RecordForm] = []
        self.draft_offer = None
        self._hidden_forms: list[QWidget] = []  # record forms and an enrolment dialog
        # The search hidden by the lock or sign-out (gui/idle_lock.py), None while shown.
        self._locked_search: str | None = None
        self._disabled_actions: list[QAction] = []
        self._tracked: set[str] = set()
        # The plug-ins' own "set your texts again" (menus, tabs, pages), after a language switch.
        self.retranslators: list[Callable[[], None]] = []
        self._write_seq = count(1)
        self._person_household: str | None = None
        self.idle = IdleWatcher(self, interval_ms=idle_ms)
        self.idle.idle.connect(self.lock)
        self._clock = clock
        self._signin: SignInPanel | None = None
        self._drafts: DraftKeeper | None = None
        self._details: DetailsPane | None = None
        # Work that waits until the first lists are on screen (see _first_screen_shown).
        self._first_screen = False
        self._after_first_screen: list[Callable[[], None]] = []
        self._last_text: str | None = None
        self._households_wait = False
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.people_model = HitsModel(people_columns(), self)
        self.households_model = HitsModel(household_columns(), self)
        # The registry is opened and the people list's search sent before the window is built:
        # the reader's thread runs it meanwhile, so the rows are there when the window shows.
        self._open_database(self.db_path)
        self._build()
        self._show_database(operator)
        for install in window_extensions(menus=False):
            install(self)
        self._when_first_screen_shown(lambda: self.details)  # the pane, with its hint
        self._when_first_screen_shown(self._install_menus)

    def _install_menus(self) -> None:
        for install in window_extensions(menus=True):
            install(self)

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = SearchBox()
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.to_results.connect(self.focus_results)
        # Its clear button shows only over typed text: it is made once the lists are painted.
        self._when_first_screen_shown(lambda: self.search.setClearButtonEnabled(True))
        self.people_view = ResultsView(self.people_model, "people")
        self.households_view = ResultsView(self.households_model, "households")
        for view, show in (
            (self.people_view, self.show_person),
            (self.households_view, self.show_household),
        ):
            view.chosen.connect(show)
            # Enter shows the row again (after a link was followed) and moves on to read it.
            view.opened.connect(show)
            view.opened.connect(lambda _id: self.details.setFocus())
        self.tabs = QTabWidget()
        # Search -> list -> details: the tab bar leaves the Tab chain once the lists are painted,
        # before anyone can press Tab (Qt.FocusPolicy is one of the enums kept off the start).
        self._when_first_screen_shown(
            lambda: self.tabs.tabBar().setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus)
        )
        self.tabs.addTab(self.people_view, "")
        self.tabs.addTab(self.households_view, "")
        self.tabs.currentChanged.connect(lambda _i: self._show_result_count())
        # The details pane's place; the pane itself is made right after the first lists are
        # painted (or when something asks for it first): see `details`.
        self._details_place = QWidget()
        self.splitter = splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(self._details_place)
        splitter.setStretchFactor(0, LISTS_STRETCH)
        splitter.setStretchFactor(1, DETAILS_STRETCH)
        # Proportions, scaled to the real width at the first layout: the pane that replaces the
        # place later keeps this share instead of its own (wide) size hint.
        splitter.setSizes(SPLIT)
        splitter.setChildrenCollapsible(False)
        work = QWidget()
        layout = QVBoxLayout(work)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        # The sign-in covers the registry: before signing in and while locked nothing shows.
        # Its panel (page SIGN_IN) is added when first needed: see `signin`.
        self.pages = QStackedWidget()
        self.pages.addWidget(work)
        self.setCentralWidget(self.pages)
        self.setTabOrder(self.search, self.people_view)
        self.setTabOrder(self.people_view, self.households_view)
        self.result_label = QLabel()
        self.counts_label = QLabel()
        self.registry_label = QLabel()
        self.registry_label.setObjectName("registry")
        self.statusBar().addWidget(self.result_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.registry_label)
        self._build_menus()
        self.retranslate()
        self.resize(1200, 700)  # un-maximized, within the 1366x728 budget

    @property
    def details(self) -> DetailsPane:
        """The details pane, made on first use in the place kept for it."""
        if self._details is None:
            from muba_desk.gui.details_pane import DetailsPane

            details = DetailsPane()
            details.person_link.connect(self.show_person)
            details.household_link.connect(self.show_household)
            details.back_requested.connect(lambda: self.current_view().setFocus())
            sizes = self.splitter.sizes()
            place = self._details_place
            index = self.splitter.indexOf(place)
            self.splitter.replaceWidget(index, details)
            place.deleteLater()
            # The stretch lives in the widget's size policy: the pane takes the place's share
            # whether the window has been laid out yet or not.
            self.splitter.setStretchFactor(index, DETAILS_STRETCH)
            self.splitter.setSizes(sizes if all(sizes) else SPLIT)
            self.setTabOrder(self.households_view, details)
            self._details = details
        return self._details

    @property
    def signin(self) -> SignInPanel:
        """The sign-in panel (page SIGN_IN), made the first time it is shown or asked for."""
        if self._signin is None:
            from muba_desk.gui.signin import SignInPanel

            self._signin = SignInPanel(clock=self._clock)
            self._signin.signed_in.connect(self._signed_in)
            self.pages.insertWidget(SIGN_IN, self._signin)
        return self._signin

    @property
    def drafts(self) -> DraftKeeper:
        if self._drafts is None:
            from muba_desk.gui.drafts import DraftKeeper

            self._drafts = DraftKeeper(self)
        return self._drafts

    def _when_first_screen_shown(self, fn: Callable[[], None]) -> None:
        """Run `fn` once the first lists are on screen; at once when they already are."""
        if self._first_screen:
            fn()
        else:
            self._after_first_screen.append(fn)

    def _first_screen_shown(self) -> None:
        """The first people list is painted (or empty, or failed): what waited for it runs."""
        if self._first_screen:
            return
        self._first_screen = True
        waiting, self._after_first_screen = self._after_first_screen, []
        for fn in waiting:
            fn()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.switch_action = self.file_menu.addAction("", self.switch_registry)
        self.file_menu.addSeparator()
        self.operators_action = self.file_menu.addAction("", self.show_operators)
        self.lock_action = self.file_menu.addAction("", self.lock)
        set_shortcut(self.lock_action, "Ctrl+L")
        # Ctrl+L locks from any window of the app (a form is a window of its own); set once the
        # lists are painted, as Qt.ShortcutContext is one of the enums kept off the start.
        self._when_first_screen_shown(
            lambda: self.lock_action.setShortcutContext(
                QtCore.Qt.ShortcutContext.ApplicationShortcut
            )
        )
        self.sign_out_action = self.file_menu.addAction("", self.sign_out)
        self.file_menu.addSeparator()
        self.quit_action = self.file_menu.addAction("", self.close)
        set_shortcut(self.quit_action, QKeySequence.StandardKey.Quit)
        self.data_menu = bar.addMenu("")
        self.new_household_action = self.data_menu.addAction("", self.new_household)
        set_shortcut(self.new_household_action, "Ctrl+N")
        self.add_person_action = self.data_menu.addAction("", self.add_person)
        set_shortcut(self.add_person_action, "Ctrl+Shift+N")
        self.edit_action = self.data_menu.addAction("", self.edit_selected)
        set_shortcut(self.edit_action, "F2")  # Ctrl+E is "end of line" in text fields
        # Filled by the enrolment and printing parts (see extensions.py).
        self.program_menu = bar.addMenu(_("&Program"))
        self.print_menu = bar.addMenu(_("&Cetak"))
        self.view_menu = bar.addMenu("")
        self.find_action = self.view_menu.addAction("", self.focus_search)
        set_shortcut(self.find_action, QKeySequence.StandardKey.Find)
        self.people_action = self.view_menu.addAction("", lambda: self.show_tab(PEOPLE))
        set_shortcut(self.people_action, "Ctrl+1")
        self.households_action = self.view_menu.addAction("", lambda: self.show_tab(HOUSEHOLDS))
        set_shortcut(self.households_action, "Ctrl+2")
        self.details_action = self.view_menu.addAction("", lambda: self.details.setFocus())
        set_shortcut(self.details_action, "Ctrl+3")
        # The title stays bilingual so someone stuck in the wrong language still finds it.
        self.language_menu = bar.addMenu("Bahasa / Lan&guage")  # Alt+L is "Lihat"
        group = QActionGroup(self)
        for code, name in i18n.LANGUAGES.items():
            action = self.language_menu.addAction(name)  # QAction(...) would build QIcon's enums
            action.setCheckable(True)
            action.setChecked(code == i18n.language())
            action.triggered.connect(lambda _checked, c=code: self.set_language(c))
            group.addAction(action)
        self.help_menu = bar.addMenu("")
        self.about_action = self.help_menu.addAction("", self.show_about)

    def retranslate(self) -> None:
        """Set every text of the window in the current language (also after a switch)."""
        self.file_menu.setTitle(_("&Berkas"))
        self.switch_action.setText(_("&Ganti registri…"))
        self.operators_action.setText(_("&Petugas…"))
        self.lock_action.setText(_("Kunci &layar"))
        self.sign_out_action.setText(_("Keluar &akun"))
        self.quit_action.setText(_("&Keluar"))
        self.data_menu.setTitle(_("&Data"))
        self.new_household_action.setText(_("Rumah tangga &baru…"))
        self.add_person_action.setText(_("&Tambah anggota rumah tangga…"))
        self.edit_action.setText(_("&Ubah data terpilih…"))
        self.program_menu.setTitle(_("&Program"))
        self.print_menu.setTitle(_("&Cetak"))
        self.view_menu.setTitle(_("&Lihat"))
        self.find_action.setText(_("&Cari"))
        self.people_action.setText(_("&Penduduk"))
        self.households_action.setText(_("&Rumah tangga"))
        self.details_action.setText(_("R&incian"))
        self.help_menu.setTitle(_("Ba&ntuan"))
        self.about_action.setText(_("&Tentang muba-desk"))
        self.search.setPlaceholderText(_("Cari nama, NIK, KK, atau desa…"))
        self.search.setToolTip(_("Ketik untuk mencari (Ctrl+F). Esc mengosongkan."))
        self.tabs.setTabText(PEOPLE, _("Penduduk"))
        self.tabs.setTabText(HOUSEHOLDS, _("Rumah tangga"))
        for model in (self.people_model, self.households_model):
            model.retitle()
        if self._details is not None:
            self._details.refresh()
        self._show_result_count()
        if self._signin is not None:
            self._signin.retranslate()
        work_tabs = getattr(self, "work_tabs", None)  # made by the sync and office plug-ins
        if work_tabs is not None:
            work_tabs.setTabText(0, _("Pencarian"))
        for fn in list(self.retranslators):
            fn()
        if self.db is not None:
            self._show_registry()
            if self._first_screen:
                self.refresh_counts()  # before it, they are asked for with it (_show_database)

    # -- the registry ----------------------------------------------------------------------
    def set_database(self, path: Path, *, operator: Operator | None = None) -> None:
        """Show the registry in `path`; DatabaseError (Indonesian) if it cannot be opened.

        A registry with operators shows the sign-in first, unless `operator` is given.
        """
        self._open_database(Path(path))
        self._show_database(operator)

    def _open_database(self, path: Path) -> None:
        """Connect, start the reader and send it the lists' searches (nothing shown yet)."""
        db = connect(path)  # the new one first: on failure the current registry stays open
        self._close_database()
        self.db, self.db_path = db, path
        self.demo = is_demo(db, path)
        if self.demo:
            operators.ensure_demo_password(db)
        self.reader = Reader(path, self)
        self.people_model.set_hits([])
        self.households_model.set_hits([])
        # The lists first: the reader answers in order, and the status bar's totals are asked
        # for after them (at the start, once the people list is painted: see _show_database).
        search = getattr(self, "search", None)  # None while the window is being built
        self._send_searches(search.text().strip() if search is not None else "")

    def _show_database(self, operator: Operator | None) -> None:
        """The opened registry on screen: its name, the sign-in or the work."""
        if self._details is not None:
            self._details.show_hint()
        self._show_registry()
        self.result_label.setText(_("Mencari…"))
        self._when_first_screen_shown(self.refresh_counts)
        prefs.put("last_db", str(self.db_path.resolve()))
        if operator is not None:
            self._signed_in(operator, audited=False)
        elif operators.has_operators(self.db):
            self._show_sign_in()
        else:
            self._start_work()

    def _close_database(self) -> None:
        self._search_timer.stop()
        self.idle.stop()
        if self.reader is not None and self._drafts is not None:
            self._drafts.flush()  # the open forms' typing is offered back at the next start
            for form in list(self.forms):
                self.drafts.release(form)
                form.main = None
                form.deleteLater()
            self.forms.clear()
            if self.operator is not None and not self.locked:
                self._audit("sign_out")
            self.drain()
        self.operator, self.locked = None, False
        if self.reader is not None:
            self.reader.stop()
            self.reader.deleteLater()
            self.reader = None
        if self.db is not None:
            self.db.close()
            self.db = None

    def _show_registry(self) -> None:
        if self.demo:
            label = _("DATA CONTOH – bukan data sungguhan")
            self.registry_label.setStyleSheet(
                "QLabel { background: #b45309; color: white; font-weight: bold; padding: 2px 8px; }"
            )
            title = _("muba-desk – DATA CONTOH")
        else:
            device = get_setting(self.db, "device_name")
            label = _("Registri: {name}").format(name=device or self.db_path.name)
            self.registry_label.setStyleSheet("QLabel { padding: 2px 8px; }")
            title = f"muba-desk – {device}" if device else "muba-desk"
        self.registry_label.setText(label)
        self.registry_label.setToolTip(str(self.db_path))
        self.setWindowTitle(title)

    def refresh_counts(self) -> None:
        self.reader.submit("counts", self.queries.counts, self._show_counts)

    def _show_counts(self, counts: dict[str, int]) -> None:
        self.counts_label.setText(
            _("{people} penduduk · {households} rumah tangga · {enrolments} pendaftaran").format(
                people=format_count(counts.get("person", 0)),
                households=format_count(counts.get("household", 0)),
                enrolments=format_count(counts.get("enrolment", 0)),
            )
        )

    # -- searching -------------------------------------------------------------------------
    def run_search(self) -> None:
        """Ask the reader for both lists; older answers still on their way are dropped."""
        self._search_timer.stop()
        if self.reader is None:
            return  # closed: nothing to search
        self._send_searches(self.search.text().strip())
        self.result_label.setText(_("Mencari…"))

    def _send_searches(self, text: str) -> None:
        self._last_text = text
        q = self.queries
        self.reader.submit(
            "people",
            lambda db: q.people(db, text, limit=SEARCH_LIMIT),
            self._show_people,
            self._search_failed,
        )
        if self._first_screen:
            self._search_households()
        elif not self._households_wait:
            # The households tab is not on the first screen: its search waits until the people
            # list is painted, rather than share the time up to that paint with it.
            self._households_wait = True
            self._when_first_screen_shown(self._search_households)

    def _search_households(self) -> None:
        self._households_wait = False
        if self.reader is None:
            return
        text, q = self._last_text or "", self.queries
        self.reader.submit(
            "households",
            lambda db: q.households(db, text, limit=SEARCH_LIMIT),
            self._show_households,
            self._search_failed,
        )

    def searching(self) -> bool:
        return self.reader is not None and (
            self.reader.busy("people") or self.reader.busy("households")
        )

    def _show_people(self, hits) -> None:
        self.people_model.set_hits(hits if not self.locked else [])
        self._show_result_count()
        if not self._first_screen:
            if hits and self.people_view.isVisible():
                # What waits for the first screen runs once these rows are painted (or after
                # a while, should the paint not come).
                self.people_view.call_after_paint(self._first_screen_shown)
                QTimer.singleShot(FIRST_SCREEN_WAIT_MS, self, self._first_screen_shown)
            else:
                self._first_screen_shown()

    def _show_households(self, hits) -> None:
        self.households_model.set_hits(hits if not self.locked else [])
        self._show_result_count()

    def _search_failed(self, exc: BaseException) -> None:
        self.result_label.setText(_("Pencarian gagal: {reason}").format(reason=exc))
        self._first_screen_shown()

    def _show_result_count(self) -> None:
        if self.reader is None or self.searching() or self.locked:
            return
        people = self.tabs.currentIndex() == PEOPLE
        model = self.people_model if people else self.households_model
        n = model.rowCount()
        if people and getattr(self, "to_verify_only", False):
            # The View menu's filter (gui/verify_actions.py): imported people not yet checked.
            text = (
                _n("{count} penduduk perlu diverifikasi", n)
                if not self._last_text
                else _n("{count} penduduk perlu diverifikasi cocok dengan “{text}”", n)
            )
        elif not self._last_text:
            text = (
                _n("{count} penduduk pertama menurut nama", n)
                if people
                else _n("{count} rumah tangga terakhir didaftarkan", n)
            )
        elif n == 0:
            text = _("Tidak ada yang cocok dengan “{text}”")
        elif n >= SEARCH_LIMIT:
            text = _("{count} teratas untuk “{text}”; ketik lebih banyak untuk mempersempit")
        else:
            text = (
                _n("{count} penduduk cocok dengan “{text}”", n)
                if people
                else _n("{count} rumah tangga cocok dengan “{text}”", n)
            )
        self.result_label.setText(text.format(count=format_count(n), text=self._last_text))

    # -- details ---------------------------------------------------------------------------
    def current_view(self) -> ResultsView:
        return self.people_view if self.tabs.currentIndex() == PEOPLE else self.households_view

    def show_person(self, person_id: str) -> None:
        q = self.queries

        def load(db):
            person = q.person(db, person_id)
            household_id = (person or {}).get("household_id")
            return person, (q.household(db, household_id) if household_id else None)

        self.reader.submit("details", load, self._person_loaded, self._details_failed)

    def _person_loaded(self, result) -> None:
        person, household = result
        self._person_household = (person or {}).get("household_id")
        if person is None:
            self.details.show_hint(_("Data ini tidak ditemukan; mungkin sudah dihapus."))
        else:
            self.details.show_person(person, household)

    def show_household(self, household_id: str) -> None:
        self.reader.submit(
            "details",
            lambda db: self.queries.household(db, household_id),
            self._household_loaded,
            self._details_failed,
        )

    def _household_loaded(self, household) -> None:
        if household is None:
            self.details.show_hint(_("Data ini tidak ditemukan; mungkin sudah dihapus."))
        else:
            self.details.show_household(household)

    def _details_failed(self, exc: BaseException) -> None:
        self.details.show_hint(_("Rincian tidak dapat dimuat: {reason}").format(reason=exc))

    # -- actions ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(QtCore.Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_results(self) -> None:
        view = self.current_view()
        view.setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        view.select_first()

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.current_view().setFocus()

    def set_language(self, code: str) -> None:
        """Switch at once: every text is set again, so no restart is needed."""
        from muba_desk.gui import qt_language

        qt_language.set_language(code)
        prefs.put("language", code)
        self.retranslate()

    def switch_registry(self) -> None:
        from muba_desk.gui.first_start import FirstStartDialog

        dialog = FirstStartDialog(self)
        if dialog.exec() and dialog.chosen_path is not None:
            from muba_desk.app import switch_registry  # sign-in, health check, instance lock

            switch_registry(self, dialog.chosen_path, dialog.chosen_operator)

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            _("Tentang muba-desk"),
            _(
                "muba-desk {version}\n\nRegistri bantuan sosial Dinas Sosial Kabupaten Musi "
                "Banyuasin. Bekerja tanpa internet; data tersimpan di:\n{folder}"
            ).format(version=__version__, folder=data_dir()),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        from muba_desk.gui.screen_budget import remember_maximized

        remember_maximized(self)  # opened the same way next time (screen_budget.py)
        self._close_database()
        super().closeEvent(event)

    # -- writing ---------------------------------------------------------------------------
    def submit_write(
        self,
        fn: Callable[[Registry], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> int:
        """Run `fn(registry)` in one transaction on the database thread, stamped with the
        signed-in operator; `on_done(result)` runs on the UI thread. Failures are shown in
        Indonesian unless `on_error` is given."""
        operator_id = self.operator.id if self.operator else None

        def run(db):
            reg = Registry(db, operator_id)
            with reg.transaction():
                return fn(reg)

        def done(result) -> None:
            # An operation of the core says what it wrote (`core.operations.Changes`): the
            # window refreshes from that notice, whoever asked for the write.
            if hasattr(result, "rows") and hasattr(result, "tables"):
                self.records_changed(result)
            if on_done is not None:
                on_done(result)

        channel = f"write:{next(self._write_seq)}"
        self.track(channel)
        return self.reader.submit(channel, run, done, on_error or self._write_failed)

    def records_changed(self, changes) -> None:
        """A change notice (`core.operations.Changes`): the counts, the result list (when people,
        households or enrolments changed) and the record shown are read again."""
        self.refresh_counts()
        if changes.tables & {"person", "household", "enrolment"}:
            self.run_search()
        # The record shown may hold what changed (a new member, an enrolment, a photo): one
        # details read on the reader thread, cheaper than working out whether it does.
        shown = self._details_shown()
        if shown is not None:
            (self.show_person if shown[0] == "person" else self.show_household)(shown[1])

    def _write_failed(self, exc: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, _("Gagal"), write_error(exc))

    def track(self, channel: str) -> None:
        """A channel whose work must finish before the registry closes (writes, drafts)."""
        self._tracked.add(channel)

    def writing(self) -> bool:
        return self.reader is not None and any(self.reader.busy(c) for c in self._tracked)

    def drain(self, timeout_s: float = DRAIN_TIMEOUT_S) -> None:
        """Wait, still painting, until queued writes are done: the reader drops what is left."""
        from PySide6.QtCore import QCoreApplication, QEventLoop

        deadline = time.monotonic() + timeout_s
        while self.writing() and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.002)
        self._tracked.clear()

    def _audit(self, action: str) -> None:
        operator = self.operator
        if operator is not None:
            self.submit_write(
                lambda reg: reg.audit_event(
                    action, "operator", operator.id, {"username": operator.username}
                )
            )

    # -- signing in and the lock -----------------------------------------------------------
    def _show_sign_in(self, locked: Operator | None = None) -> None:
        self.idle.stop()
        self._disabled_actions = [
            a for a in self.findChildren(QAction) if a.isEnabled() and a not in self._always_on()
        ]
        for action in self._disabled_actions:
            action.setEnabled(False)
        self.signin.prepare(self.db_path, demo=self.demo, locked=locked)
        self.pages.setCurrentIndex(SIGN_IN)

    def _always_on(self) -> list[QAction]:
        menus = (self.file_menu, self.language_menu)
        return [self.quit_action, *self.language_menu.actions(), *(m.menuAction() for m in menus)]

    def _signed_in(self, operator: Operator, audited: bool = True) -> None:
        resumed = self.locked and self.operator is not None and operator.id == self.operator.id
        if not audited:
            self.operator = operator
            self._audit("sign_in")
        self.operator, self.locked = operator, False
        self._start_work()
        if self._locked_search is not None:
            show_the_work(self, self._locked_search if resumed else "")
            self._locked_search = None
        if resumed:
            for form in self._hidden_forms:
                form.show()
                form.raise_()
            self._hidden_forms = []

    def _start_work(self) -> None:
        for action in self._disabled_actions:
            action.setEnabled(True)
        self._disabled_actions = []
        self.pages.setCurrentIndex(WORK)
        supervisor = self.operator is not None and self.operator.is_supervisor
        self.operators_action.setEnabled(supervisor)
        for action in (self.lock_action, self.sign_out_action):
            action.setEnabled(self.operator is not None)
        if self.operator is not None:
            # Input restarts the count from the first paint on: an app-wide event filter
            # before it would run Python for every event of the first screen.
            self.idle.start(watch_input=False)
            self._when_first_screen_shown(self.idle.watch_input)
            name = self.operator.full_name
            self.statusBar().showMessage(_("Masuk sebagai {name}").format(name=name), 5000)
        if not self._hidden_forms:
            self._when_first_screen_shown(self._offer_drafts)

    def _offer_drafts(self) -> None:
        if not self._hidden_forms:
            self.drafts.offer()

    def lock(self) -> None:
        """Cover the registry with the sign-in; open forms are hidden, never closed."""
        if self.operator is None or self.locked:
            return
        self.locked = True
        if self._drafts is not None:
            self._drafts.flush()
        self._hidden_forms = [form for form in self.forms if form.isVisible()]
        # The hand-over, status and enrolment dialogs too (opened with open(), not exec(),
        # so hiding one neither closes nor answers it; it comes back as it was).
        dialog = getattr(self, "_enrolment_dialog", None)
        if dialog is not None and dialog.isVisible():
            self._hidden_forms.append(dialog)
        for form in self._hidden_forms:
            form.hide()
        if self.draft_offer is not None and self.draft_offer.isVisible():
            self.draft_offer.hide()
        self._locked_search = hide_the_work(self)
        self._audit("lock")
        self._show_sign_in(locked=self.operator)

    def sign_out(self) -> None:
        """End the session; open forms stay as drafts for whoever signs in next."""
        if self.operator is None:
            return
        if self._drafts is not None:
            self._drafts.flush()
        for form in list(self.forms):
            self.drafts.release(form)
            self.form_closed(form)
            form.main = None
            form.hide()
            form.deleteLater()
        hide_the_work(self)
        self._locked_search = ""  # whoever signs in next starts from an empty search
        self._audit("sign_out")
        self.operator, self.locked = None, False
        self._show_sign_in()

    def show_operators(self) -> None:
        from muba_desk.gui.operators import OperatorsDialog

        if self.operator is not None and self.operator.is_supervisor:
            self.operators_dialog = OperatorsDialog(self)
            self.operators_dialog.open()

    # -- registering -----------------------------------------------------------------------
    def _details_shown(self) -> tuple[str, str] | None:
        return self._details.shown if self._details is not None else None

    def selected_person_id(self) -> str | None:
        shown = self._details_shown()
        return shown[1] if shown and shown[0] == "person" else None

    def selected_household_id(self) -> str | None:
        shown = self._details_shown()
        if shown is None:
            return None
        return shown[1] if shown[0] == "household" else self._person_household

    def refresh(self) -> None:
        """Search again and reload the record shown (after something was saved)."""
        if self.reader is None:
            return  # closed meanwhile: a dialog that finishes as the app quits has nothing to show
        self.run_search()
        self.refresh_counts()
        shown = self._details_shown()
        if shown and shown[0] == "person":
            self.show_person(shown[1])
        elif shown:
            self.show_household(shown[1])

    def _open_form(self, form: RecordForm) -> RecordForm:
        self.forms.append(form)
        self.drafts.watch(form)
        form.show()
        form.raise_()
        form.activateWindow()
        next(iter(form.inputs.values())).setFocus(QtCore.Qt.FocusReason.OtherFocusReason)
        return form

    def form_closed(self, form: RecordForm) -> None:
        if form in self.forms:
            self.forms.remove(form)

    def new_household(self) -> HouseholdForm | None:
        if self.locked or self.reader is None:
            return None
        from muba_desk.gui.household_form import HouseholdForm

        district = get_setting(self.db, "district_code")
        return self._open_form(HouseholdForm(self, context={"district_code": district}))

    def add_person(self, household_id: str | None = None, relation: str | None = None) -> None:
        """The person form for the chosen household (loaded first for its village)."""
        household_id = household_id or self.selected_household_id()
        if self.locked or self.reader is None:
            return
        if household_id is None:
            self.statusBar().showMessage(
                _("Pilih dulu rumah tangga (atau salah satu anggotanya), lalu tambah anggota."),
                8000,
            )
            return
        self.reader.submit(
            "open-form",
            lambda db: self.queries.household(db, household_id),
            lambda household: self._person_form_for(household, relation),
            self._details_failed,
        )

    def _person_form_for(self, household: dict | None, relation: str | None) -> None:
        from muba_desk.gui.person_form import HEAD, PersonForm

        if household is None:
            return
        members = household.get("members") or []
        if relation is None and not members:
            relation = HEAD
        context = {
            "household_id": household["id"],
            "village_code": household["village_code"],
            "household_label": household_label(household),
            "relation": relation,
        }
        self._open_form(PersonForm(self, context=context))

    def edit_selected(self) -> None:
        shown = self._details_shown()
        if self.locked or shown is None:
            return
        kind, record_id = shown
        q, household_id = self.queries, self._person_household

        def load(db):
            if kind == "household":
                return None, q.household(db, record_id)
            return q.person(db, record_id), q.household(db, household_id) if household_id else None

        self.reader.submit("open-form", load, self._edit_loaded, self._details_failed)

    def _edit_loaded(self, loaded) -> None:
        from muba_desk.gui.household_form import HouseholdForm
        from muba_desk.gui.person_form import PersonForm

        person, household = loaded
        if person is not None:
            context = {
                "record_id": person["id"],
                "base_rev": person["rev"],
                "household_id": person.get("household_id"),
                "village_code": person.get("village_code"),
                "household_label": household_label(household) if household else "",
            }
            form = PersonForm(self, context=context)
        elif household is not None:
            context = {"record_id": household["id"], "base_rev": household["rev"]}
            form = HouseholdForm(self, context=context)
        else:
            return
        form.fill_from(person or household)
        self._open_form(form)

    def open_draft(self, draft: Draft) -> RecordForm:
        """A form from a draft left behind, with everything typed in it."""
        from muba_desk.gui.household_form import HouseholdForm
        from muba_desk.gui.person_form import PersonForm

        state = draft.state
        cls = HouseholdForm if state.get("kind") == "household" else PersonForm
        form = cls(self, context=state.get("context") or {}, draft_id=draft.id)
        form.restore(state.get("fields") or {})
        return self._open_form(form)

    def record_saved(self, kind: str, record_id: str, *, created: bool) -> None:
        """After a form's save: the counts and the list were refreshed by the change notice
        (`records_changed`); the saved record is shown."""
        if kind == "household":
            self.show_household(record_id)
            if created:  # a new household is typed together with its head
                from muba_desk.gui.person_form import HEAD

                self.add_person(record_id, HEAD)
        else:
            self.show_person(record_id)
        self.statusBar().showMessage(_("Tersimpan."), 5000)

    def show_existing(self, kind: str, record_id: str) -> None:
        """The record a duplicate warning pointed at, instead of the one being typed."""
        (self.show_household if kind == "household" else self.show_person)(record_id)
        self.details.setFocus()


def set_shortcut(action: QAction, keys: str | QKeySequence.StandardKey) -> None:
    """`action.setShortcut(keys)` in a form that builds no enums: PySide picks among the
    overloads of setShortcut by looking into Qt's namespace, which builds its 94 enum classes
    (0.03-0.07 s) when the window is made; setShortcuts with a list does not."""
    action.setShortcuts([QKeySequence(keys)])


def household_label(household: dict) -> str:
    """KK number, head's name and village: how a household is named in a form's title."""
    from muba_desk.gui.person_form import HEAD

    head = next(
        (m["name"] for m in household.get("members") or [] if m.get("relation") == HEAD), None
    )
    parts = (household.get("kk_number"), head, household.get("village"))
    return " · ".join(p for p in parts if p) or _("rumah tangga tanpa KK")


def write_error(exc: BaseException) -> str:
    """The Indonesian sentence for a failed save."""
    if isinstance(exc, (StaleEdit, RecordNotFound)):
        return str(exc)
    from muba_desk.gui.jobs import describe_error

    return describe_error(exc)
