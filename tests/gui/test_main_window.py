"""The main window: search as you type off the UI thread, lists, details, keyboard, language."""

import threading

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from muba_desk.gui.main_window import HOUSEHOLDS, PEOPLE
from muba_desk.gui.reader import Queries
from muba_desk.store.search import search_people
from tests.gui.sample import SITI_NIK, make_registry


def names(model):
    return [model.hit(row).name for row in range(model.rowCount())]


def select_first(view):
    view.setCurrentIndex(view.model().index(0, 0))


def test_window_lists_people_and_households_when_opened(open_window, sample):
    path, _ids = sample
    window = open_window(path)
    assert window.people_model.rowCount() == 42
    assert window.households_model.rowCount() == 41
    assert "42 penduduk" in window.counts_label.text()
    assert window.registry_label.text() == "Registri: sample.db"


def test_typing_in_the_search_box_lists_the_matching_people(qtbot, open_window, sample):
    window = open_window(sample[0])
    qtbot.keyClicks(window.search, "siti")
    qtbot.waitUntil(lambda: names(window.people_model) == ["Siti Aminah"])
    qtbot.waitUntil(lambda: not window.searching())
    assert window.households_model.rowCount() == 1
    assert window.result_label.text() == "1 penduduk cocok dengan “siti”"


def test_a_search_with_no_match_says_so(qtbot, open_window, sample):
    window = open_window(sample[0])
    qtbot.keyClicks(window.search, "zzzz")
    qtbot.waitUntil(lambda: window.people_model.rowCount() == 0 and not window.searching())
    assert window.result_label.text() == "Tidak ada yang cocok dengan “zzzz”"


def test_the_ui_thread_keeps_running_while_a_slow_search_runs(qtbot, open_window, sample):
    """The slow search only finishes after the UI thread ticked a timer 10 times meanwhile; a
    search on the UI thread would block those ticks and time out with no results."""
    started, release = threading.Event(), threading.Event()
    ticks_during_search = []

    def slow_people(db, text, *, limit):
        if text:
            started.set()
            release.wait(timeout=10)
        return search_people(db, text, limit=limit)

    window = open_window(sample[0], queries=Queries(people=slow_people))

    def tick():
        if started.is_set() and not release.is_set():
            ticks_during_search.append(1)
            if len(ticks_during_search) >= 10:
                release.set()

    timer = QTimer(interval=5)
    timer.timeout.connect(tick)
    timer.start()
    qtbot.keyClicks(window.search, "siti")
    qtbot.waitUntil(lambda: names(window.people_model) == ["Siti Aminah"], timeout=5000)
    timer.stop()
    assert len(ticks_during_search) >= 10


def test_superseded_searches_are_skipped_and_stale_results_never_shown(qtbot, open_window, sample):
    started, release = threading.Event(), threading.Event()
    asked = []

    def people(db, text, *, limit):
        asked.append(text)
        if text == "warga":  # slow: two more searches are typed while it runs
            started.set()
            release.wait(timeout=10)
        return search_people(db, text, limit=limit)

    window = open_window(sample[0], queries=Queries(people=people))
    shown = []
    window.people_model.modelReset.connect(lambda: shown.append(names(window.people_model)))
    window.search.setText("warga")
    window.run_search()
    qtbot.waitUntil(started.is_set)
    for text in ("budi", "siti"):
        window.search.setText(text)
        window.run_search()
    release.set()
    qtbot.waitUntil(lambda: not window.searching())
    assert asked == ["", "warga", "siti"]  # "budi" was replaced before it started
    assert shown == [["Siti Aminah"]]  # the late "warga" answer was dropped


def test_selecting_a_person_shows_nik_and_enrolment_status(qtbot, open_window, sample):
    window = open_window(sample[0])
    qtbot.keyClicks(window.search, "siti")
    qtbot.waitUntil(lambda: names(window.people_model) == ["Siti Aminah"])
    select_first(window.people_view)
    qtbot.waitUntil(lambda: window.details.shown == ("person", sample[1]["siti"]))
    text = window.details.toPlainText()
    assert SITI_NIK in text
    assert "Bantu Umak" in text and "Aktif" in text
    assert "Rp 650.000" in text and "BU/2026/L00/000001" in text
    assert "Sumber data desil" in text and "DTSEN" in text  # program field with its label


def test_selecting_a_household_lists_its_members(qtbot, open_window, sample):
    window = open_window(sample[0])
    qtbot.keyClicks(window.search, "siti")
    qtbot.waitUntil(lambda: window.households_model.rowCount() == 1)
    window.show_tab(HOUSEHOLDS)
    select_first(window.households_view)
    qtbot.waitUntil(lambda: window.details.shown == ("household", sample[1]["household"]))
    text = window.details.toPlainText()
    assert "Anggota (2)" in text and "Ahmad Amin" in text and "Siti Aminah" in text


def test_a_link_in_the_details_opens_that_record(qtbot, open_window, sample):
    window = open_window(sample[0])
    window.show_household(sample[1]["household"])
    qtbot.waitUntil(lambda: window.details.shown is not None)
    window.details.person_link.emit(sample[1]["siti"])
    qtbot.waitUntil(lambda: window.details.shown == ("person", sample[1]["siti"]))


def test_escape_clears_the_search_and_ctrl_f_focuses_it(qtbot, open_window, sample):
    window = open_window(sample[0])
    window.activateWindow()
    qtbot.keyClicks(window.search, "siti")
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    window.people_view.setFocus()
    window.find_action.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search)


def test_down_goes_to_the_list_enter_opens_details_escape_comes_back(qtbot, open_window, sample):
    window = open_window(sample[0])
    window.activateWindow()
    window.search.setFocus()
    qtbot.keyClicks(window.search, "siti")
    qtbot.waitUntil(lambda: names(window.people_model) == ["Siti Aminah"])
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.people_view)
    qtbot.keyClick(window.people_view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.details.shown == ("person", sample[1]["siti"]))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.details)
    qtbot.keyClick(window.details, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.people_view)


def test_tab_order_runs_search_list_details(open_window, sample):
    window = open_window(sample[0])
    assert window.search.nextInFocusChain() is window.people_view
    chain, widget = [], window.people_view
    while widget is not window.details and len(chain) < 50:
        widget = widget.nextInFocusChain()
        chain.append(widget)
    assert chain[-1] is window.details


def test_the_tab_bar_leaves_the_tab_chain_and_the_search_gets_its_clear_button(open_window, sample):
    window = open_window(sample[0])
    assert window.tabs.tabBar().focusPolicy() == Qt.FocusPolicy.NoFocus
    assert window.search.isClearButtonEnabled()


def test_the_lists_show_their_titles_and_the_member_count_to_the_right(open_window, sample):
    window = open_window(sample[0])
    people = window.people_view.horizontalHeader().model()
    households = window.households_view.horizontalHeader().model()
    assert people.headerData(0, Qt.Orientation.Horizontal) == "Nama"
    assert households.headerData(4, Qt.Orientation.Horizontal) == "Anggota"
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    role = Qt.ItemDataRole.TextAlignmentRole
    members = window.households_model.index(0, 4)
    assert Qt.AlignmentFlag(members.data(role)) == right
    assert window.households_model.index(0, 1).data(role) is None
    assert members.data() == str(window.households_model.hit(0).members)


def test_switching_to_english_translates_the_window_at_once(qtbot, open_window, sample):
    window = open_window(sample[0])
    window.show_person(sample[1]["siti"])
    qtbot.waitUntil(lambda: window.details.shown is not None)
    window.set_language("en")
    assert window.tabs.tabText(PEOPLE) == "People"
    assert window.search.placeholderText() == "Search name, NIK, KK or village…"
    titles = window.people_view.horizontalHeader().model()
    assert titles.headerData(0, Qt.Orientation.Horizontal) == "Name"
    assert "Active" in window.details.toPlainText()
    qtbot.waitUntil(lambda: "42 people" in window.counts_label.text())
    window.set_language("id")
    assert window.tabs.tabText(PEOPLE) == "Penduduk"


def test_a_demo_registry_is_marked_as_demo_data(tmp_path, open_window):
    path = tmp_path / "demo.db"
    make_registry(path, filler=2)
    window = open_window(path)
    assert "DATA CONTOH" in window.registry_label.text()
    assert "DATA CONTOH" in window.windowTitle()


def test_the_details_pane_made_after_the_first_paint_keeps_its_share_of_the_width(
    qtbot, open_window, sample
):
    window = open_window(sample[0])
    qtbot.waitUntil(lambda: window._details is not None)  # made once the lists are painted
    window.resize(1200, 760)
    qtbot.wait(50)
    lists, details = window.splitter.sizes()
    # 5:4 as the place kept for it, not the pane's own (wide) size hint.
    assert window.splitter.widget(1) is window.details
    assert 0.45 < lists / (lists + details) < 0.65


def test_a_write_through_the_core_refreshes_the_window_from_its_change_notice(
    qtbot, open_window, sample
):
    """Whoever writes through the window's writer with a core operation, the lists and counts
    follow from the operation's `Changes`: nobody calls refresh by hand."""
    from muba_desk.core import operations

    path, ids = sample
    window = open_window(path)
    window.show_household(ids["household"])
    qtbot.waitUntil(lambda: "Ahmad Amin" in window.details.toPlainText())

    def register(reg):
        return operations.register_person(
            reg,
            operations.Actor(reg.operator_id),
            household_id=ids["household"],
            name="Nur Hidayah",
            sex="P",
            relation="anak",
            birth_date="2015-03-04",
            no_nik_reason="belum_rekam",
        )

    window.submit_write(register)
    qtbot.waitUntil(lambda: window.people_model.rowCount() == 43)
    qtbot.waitUntil(lambda: "43 penduduk" in window.counts_label.text())
    qtbot.waitUntil(lambda: "Nur Hidayah" in window.details.toPlainText())
