"""Issue 19, item 3: a queue a clerk can clear with the keyboard. Fifty pairs from two laptops
(one NIK, two spellings) are decided with key presses on the page, counted: at most three a
pair. The buttons stay put, the next pair is selected after each decision, the kept record is
named before and after a merge, and ticked pairs are marked "not the same" at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from muba_desk.office.duplicates import MERGED, NOT_SAME
from tests.gui import office_world
from tests.gui.office_world import add_people, deliver, query, send_enrolments

FIRST = [
    "Ahmad", "Budi", "Citra", "Dimas", "Erna", "Fikri", "Gita", "Hendra", "Indah", "Joko",
    "Kartini", "Lukman", "Maya", "Nanda", "Oktaviani", "Putri", "Rizal", "Sari", "Taufik",
    "Umi", "Vina", "Wahyu", "Yoga", "Zainal", "Agus",
]  # fmt: skip
SECOND = ["Saputra", "Lestari"]
NIK = 1606016001750001


def _names() -> tuple[list[str], list[str]]:
    first = [f"{f} {s}" for s in SECOND for f in FIRST]
    again = [name.upper() for name in first]  # another clerk's typing
    return first, again


def _queue_of_fifty(world) -> None:
    first, again = _names()
    add_people(world["L07"], first, nik_start=NIK)
    add_people(world["L08"], again, nik_start=NIK)
    deliver(world, "L07")
    deliver(world, "L08")


class Keys:
    """Key clicks on the page (at the widget holding its focus), counted."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def __call__(self, key) -> None:
        target = self.page.focusWidget() or self.page
        QTest.keyClick(target, key)
        self.count += 1


def _where(button) -> tuple[int, int]:
    at = button.mapTo(button.window(), button.rect().topLeft())
    return at.x(), at.y()


def test_fifty_pairs_cleared_with_the_keyboard_at_most_three_keys_each(qtbot, open_window, world):
    _queue_of_fifty(world)
    window = open_window(world["office_db"])
    page = window.office_desk.duplicates
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.list.rowCount() == 50, timeout=10_000)
    # Names, score and reason are in the list before a pair is opened; the kind agrees.
    for row in range(page.list.rowCount()):
        texts = [page.list.item(row, c).text() for c in range(page.list.columnCount())]
        assert texts[2] == "NIK sama" and texts[5].startswith("NIK sama (")
        assert texts[3] and texts[4] and texts[1] != "–"
    buttons = [page.merge_button, page.not_same_button, page.skip_button]
    places = [_where(b) for b in buttons]
    press = Keys(page)
    decided = {MERGED: 0, NOT_SAME: 0}
    for n in range(50):
        qtbot.waitUntil(lambda: page.view is not None, timeout=10_000)
        assert page.list.currentRow() == 0  # the next pair is chosen without a click
        merge = n % 2 == 0
        if merge:
            kept = page.kept.text()
            assert kept.startswith("Yang dipertahankan: ")
            press(Qt.Key.Key_G)
            assert kept.removeprefix("Yang dipertahankan: ") in page.prompt.text()
        else:
            press(Qt.Key.Key_B)
        press(Qt.Key.Key_Return)
        decided[MERGED if merge else NOT_SAME] += 1
        qtbot.waitUntil(lambda n=n: len(page.queue) == 49 - n, timeout=10_000)
        if merge:
            name = kept.removeprefix("Yang dipertahankan: ")
            assert page.result.text().startswith(f"Digabung ke {name}: 0 pendaftaran")
        assert [_where(b) for b in buttons] == places  # the buttons never move
    assert press.count <= 3 * 50
    assert page.scan_label.text() == "Tersisa 0 pasangan di antrean ini"
    resolved = dict(
        query(
            world["office_db"],
            # Pairs, not entries: the importer queued each twice (one NIK; one name and birth
            # date), the list showed it once, and one decision settled both.
            "SELECT resolution, count(DISTINCT row_a || row_b) FROM duplicate_candidate "
            "GROUP BY resolution",
        )
    )
    assert resolved == {MERGED: 25, NOT_SAME: 25}
    merged = query(world["office_db"], "SELECT count(*) FROM person WHERE merged_into IS NOT NULL")
    assert merged == [(25,)]


def test_skip_moves_on_and_ticked_pairs_are_not_the_same_at_once(qtbot, open_window, world):
    _queue_of_fifty(world)
    window = open_window(world["office_db"])
    page = window.office_desk.duplicates
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.list.rowCount() == 50, timeout=10_000)
    qtbot.waitUntil(lambda: page.view is not None)
    press = Keys(page)
    press(Qt.Key.Key_L)  # skip: the second pair, nothing written
    assert page.list.currentRow() == 1
    for _ in range(3):
        press(Qt.Key.Key_Space)  # tick and move down
    assert "3 yang dicentang" in page.bulk_button.text()
    press(Qt.Key.Key_B)
    assert "3 pasangan yang dicentang" in page.prompt.text()
    page.reasons.setCurrentRow(2)  # another reason from the short list
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.queue) == 47, timeout=10_000)
    assert page.result.text() == "3 pasangan ditandai bukan orang yang sama."
    reasons = query(
        world["office_db"],
        "SELECT DISTINCT resolution_reason FROM duplicate_candidate WHERE resolved_at IS NOT NULL",
    )
    assert reasons == [("Kembar atau saudara serumah",)]
    # Esc takes back a half-made decision; typing a reason is optional but used when given.
    qtbot.waitUntil(lambda: page.view is not None)
    press(Qt.Key.Key_B)
    press(Qt.Key.Key_Escape)
    assert page.pending is None
    press(Qt.Key.Key_B)
    page.reason.setFocus()
    QTest.keyClicks(page.reason, "Beda ibu kandung")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.queue) == 46, timeout=10_000)
    typed = query(
        world["office_db"],
        "SELECT count(DISTINCT row_a || row_b) FROM duplicate_candidate "
        "WHERE resolution_reason = 'Beda ibu kandung'",
    )
    assert typed == [(1,)]


def test_double_aid_is_its_own_queue_with_its_own_keys(qtbot, open_window, world):
    """One woman registered twice, each record enrolled in Pedas Nia: merged at the office,
    the next scan queues her two enrolments as double aid, and "2" rejects the right one."""
    (first,) = add_people(world["L07"], ["Siti Rahmawati"], nik_start=NIK)
    (again,) = add_people(world["L07"], ["Sity Rahmawaty"], nik_start=NIK)
    send_enrolments(world["L07"], [first, again])
    deliver(world, "L07")
    window = open_window(world["office_db"])
    page = window.office_desk.duplicates
    window.office_desk.show_page(page)
    qtbot.waitUntil(lambda: page.view is not None, timeout=10_000)
    press = Keys(page)
    press(Qt.Key.Key_G)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.result.text().startswith("Digabung ke"), timeout=10_000)
    page.scan_button.click()
    qtbot.waitUntil(lambda: page.aid_queue.text() == "Bantuan rangkap (1)", timeout=20_000)
    assert page.people_queue.text() == "Orang ganda (0)"
    page.aid_queue.click()
    qtbot.waitUntil(lambda: page.view is not None and page.list.rowCount() == 1, timeout=10_000)
    assert page.list.item(0, 2).text() == "Dua kali dalam satu program"
    assert page.list.item(0, 3).text() == page.list.item(0, 4).text() != ""
    assert not page.not_same_button.isEnabled()  # not a question of two people here
    right = page.current.row_b
    press(Qt.Key.Key_B)  # the people queue's key does nothing here
    assert page.pending is None
    press(Qt.Key.Key_2)
    assert "kanan (B)" in page.prompt.text()
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.list.rowCount() == 0, timeout=10_000)
    assert page.result.text() == "Satu pendaftaran ditolak; bantuan rangkap selesai."
    assert query(world["office_db"], "SELECT status FROM enrolment WHERE id = ?", (right,)) == [
        ("DITOLAK",)
    ]


# The shared office and laptops (fixtures live in office_world.py).
_fast_sync_keys = office_world._fast_sync_keys
world_templates = office_world.world_templates
world = office_world.world
