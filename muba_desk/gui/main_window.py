"""The main window: search at the top, people and households below, details of the chosen one.

This slice only reads. Every read runs on the `Reader` thread with its own connection; the
window's own connection (`self.db`) runs the migrations once when a registry is opened and is
where the data-entry forms of the next issue will write through a `Registry`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from muba_desk import __version__, i18n
from muba_desk.gui import prefs
from muba_desk.gui.details_pane import DetailsPane
from muba_desk.gui.models import HitsModel, household_columns, people_columns
from muba_desk.gui.reader import Queries, Reader
from muba_desk.gui.results_view import ResultsView
from muba_desk.gui.search_box import SearchBox
from muba_desk.i18n import _, format_count
from muba_desk.paths import data_dir
from muba_desk.store.db import DatabaseError, connect
from muba_desk.store.registry import get_setting

SEARCH_DELAY_MS = 150  # long enough to skip the words being typed, short enough to feel instant
SEARCH_LIMIT = 200
PEOPLE, HOUSEHOLDS = 0, 1


def is_demo(db, path: Path) -> bool:
    """The made-up registry; marked everywhere so nobody takes it for real data."""
    return get_setting(db, "mode") == "demo" or Path(path).name == "demo.db"


class MainWindow(QMainWindow):
    def __init__(self, db_path: Path, *, queries: Queries | None = None):
        super().__init__()
        self.queries = queries or Queries()
        self.db = None
        self.db_path = Path(db_path)
        self.reader: Reader | None = None
        self.demo = False
        self._last_text: str | None = None
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.people_model = HitsModel(people_columns(), self)
        self.households_model = HitsModel(household_columns(), self)
        self._build()
        self.set_database(self.db_path)

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = SearchBox()
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.to_results.connect(self.focus_results)
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
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # search -> list -> details
        self.tabs.addTab(self.people_view, "")
        self.tabs.addTab(self.households_view, "")
        self.tabs.currentChanged.connect(lambda _i: self._show_result_count())
        self.details = DetailsPane()
        self.details.person_link.connect(self.show_person)
        self.details.household_link.connect(self.show_household)
        self.details.back_requested.connect(lambda: self.current_view().setFocus())
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 4)
        splitter.setChildrenCollapsible(False)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.setTabOrder(self.search, self.people_view)
        self.setTabOrder(self.people_view, self.households_view)
        self.setTabOrder(self.households_view, self.details)
        self.result_label = QLabel()
        self.counts_label = QLabel()
        self.registry_label = QLabel()
        self.registry_label.setObjectName("registry")
        self.statusBar().addWidget(self.result_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)
        self.statusBar().addPermanentWidget(self.registry_label)
        self._build_menus()
        self.retranslate()
        self.resize(1200, 760)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.switch_action = self.file_menu.addAction("", self.switch_registry)
        self.file_menu.addSeparator()
        self.quit_action = self.file_menu.addAction("", self.close)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.view_menu = bar.addMenu("")
        self.find_action = self.view_menu.addAction("", self.focus_search)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.people_action = self.view_menu.addAction("", lambda: self.show_tab(PEOPLE))
        self.people_action.setShortcut(QKeySequence("Ctrl+1"))
        self.households_action = self.view_menu.addAction("", lambda: self.show_tab(HOUSEHOLDS))
        self.households_action.setShortcut(QKeySequence("Ctrl+2"))
        self.details_action = self.view_menu.addAction("", lambda: self.details.setFocus())
        self.details_action.setShortcut(QKeySequence("Ctrl+3"))
        # The title stays bilingual so someone stuck in the wrong language still finds it.
        self.language_menu = bar.addMenu("Bahasa / &Language")
        group = QActionGroup(self)
        for code, name in i18n.LANGUAGES.items():
            action = QAction(name, self, checkable=True)
            action.setChecked(code == i18n.language())
            action.triggered.connect(lambda _checked, c=code: self.set_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
        self.help_menu = bar.addMenu("")
        self.about_action = self.help_menu.addAction("", self.show_about)

    def retranslate(self) -> None:
        """Set every text of the window in the current language (also after a switch)."""
        self.file_menu.setTitle(_("&Berkas"))
        self.switch_action.setText(_("&Ganti registri…"))
        self.quit_action.setText(_("&Keluar"))
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
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, model.columnCount() - 1)
        self.details.refresh()
        self._show_result_count()
        if self.db is not None:
            self._show_registry()
            self.refresh_counts()

    # -- the registry ----------------------------------------------------------------------
    def set_database(self, path: Path) -> None:
        """Show the registry in `path`; DatabaseError (Indonesian) if it cannot be opened."""
        path = Path(path)
        db = connect(path)  # the new one first: on failure the current registry stays open
        self._close_database()
        self.db, self.db_path = db, path
        self.demo = is_demo(db, path)
        self.reader = Reader(path, self)
        self.people_model.set_hits([])
        self.households_model.set_hits([])
        self.details.show_hint()
        self._show_registry()
        self.refresh_counts()
        self.run_search()
        prefs.put("last_db", str(path.resolve()))

    def _close_database(self) -> None:
        self._search_timer.stop()
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
        text = self.search.text().strip()
        self._last_text = text
        q = self.queries
        self.reader.submit(
            "people",
            lambda db: q.people(db, text, limit=SEARCH_LIMIT),
            self._show_people,
            self._search_failed,
        )
        self.reader.submit(
            "households",
            lambda db: q.households(db, text, limit=SEARCH_LIMIT),
            self._show_households,
            self._search_failed,
        )
        self.result_label.setText(_("Mencari…"))

    def searching(self) -> bool:
        return self.reader is not None and (
            self.reader.busy("people") or self.reader.busy("households")
        )

    def _show_people(self, hits) -> None:
        self.people_model.set_hits(hits)
        self._show_result_count()

    def _show_households(self, hits) -> None:
        self.households_model.set_hits(hits)
        self._show_result_count()

    def _search_failed(self, exc: BaseException) -> None:
        self.result_label.setText(_("Pencarian gagal: {reason}").format(reason=exc))

    def _show_result_count(self) -> None:
        if self.reader is None or self.searching():
            return
        people = self.tabs.currentIndex() == PEOPLE
        model = self.people_model if people else self.households_model
        n = model.rowCount()
        if not self._last_text:
            text = (
                _("{count} penduduk pertama menurut nama")
                if people
                else _("{count} rumah tangga terakhir didaftarkan")
            )
        elif n == 0:
            text = _("Tidak ada yang cocok dengan “{text}”")
        elif n >= SEARCH_LIMIT:
            text = _("{count} teratas untuk “{text}”; ketik lebih banyak untuk mempersempit")
        else:
            text = (
                _("{count} penduduk cocok dengan “{text}”")
                if people
                else _("{count} rumah tangga cocok dengan “{text}”")
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
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_results(self) -> None:
        view = self.current_view()
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        view.select_first()

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.current_view().setFocus()

    def set_language(self, code: str) -> None:
        """Switch at once: every text is set again, so no restart is needed."""
        i18n.set_language(code)
        prefs.put("language", code)
        self.retranslate()

    def switch_registry(self) -> None:
        from muba_desk.gui.first_start import FirstStartDialog

        dialog = FirstStartDialog(self)
        if dialog.exec() and dialog.chosen_path is not None:
            try:
                self.set_database(dialog.chosen_path)
            except DatabaseError as exc:
                QMessageBox.warning(self, _("Registri tidak dapat dibuka"), str(exc))

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            _("Tentang muba-desk"),
            _(
                "muba-desk {version}\n\nRegistri bantuan sosial Dinas Sosial Kabupaten Musi "
                "Banyuasin. Bekerja tanpa internet; data tersimpan di:\n{folder}"
            ).format(version=__version__, folder=data_dir()),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._close_database()
        super().closeEvent(event)
