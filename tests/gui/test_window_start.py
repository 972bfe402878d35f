"""The window's start pays only for its first screen: what `muba-desk` imports before the window
leaves out the heavy libraries, and the parts not on the first screen are made after it."""

import subprocess
import sys

from muba_desk.gui.details_pane import DetailsPane
from muba_desk.gui.idle_lock import IdleWatcher
from muba_desk.store import kind

HEAVY = (
    "sqlite_utils",
    "click",
    "cryptography",
    "pyrage",
    "reportlab",
    "PIL",
    "muba_desk.domain.programs",
    "muba_desk.signing",
    "muba_desk.sync.keys",
    "muba_desk.gui.details_pane",
    "muba_desk.gui.signin",
    "muba_desk.gui.drafts",
)

START = """
import sys
from muba_desk import cli
cli._parser()
import muba_desk.app
from muba_desk.gui.extensions import window_extensions
window_extensions()
print(" ".join(m for m in {heavy!r} if m in sys.modules))
"""

OPEN_WINDOW = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from muba_desk import app as muba_app
from muba_desk.gui.main_window import MainWindow
loaded = []
show_people = MainWindow._show_people
def _show_people(self, hits):
    show_people(self, hits)
    loaded.extend(m for m in {heavy!r} if m in sys.modules)
MainWindow._show_people = _show_people
app = QApplication([])
muba_app.configure_application(app)
window = MainWindow(Path(sys.argv[1]))
window.show()
while window.people_model.rowCount() == 0:
    app.processEvents()
print(" ".join(loaded))
window.close()
"""


# The start as `muba-desk` makes it, signed in, up to the people list's first paint with rows.
# Fetching `Qt` (or a Python method Qt hands a Qt enum) builds the 94 enum classes of Qt's
# namespace at once, 0.03-0.07 s: none of them may be built before that paint.
FIRST_PAINT = """
import enum, os, sys
from pathlib import Path
built = []
create = enum.EnumType._create_
def spy(cls, class_name, *args, **kwargs):
    built.append(class_name)
    return create(cls, class_name, *args, **kwargs)
enum.EnumType._create_ = spy
from PySide6.QtWidgets import QApplication
from muba_desk import cli
cli._parser(commands=False)
from muba_desk import app as muba_app
from muba_desk.gui.main_window import MainWindow
from muba_desk.store.operators import Operator
app = QApplication([])
muba_app.configure_application(app)
muba_app.apply_saved_language()
operator = Operator(id="op-1", username="ani", full_name="Ani", role="supervisor")
window = MainWindow(Path(sys.argv[1]), operator=operator)
def painted():
    qt = {{"GlobalColor", "ItemDataRole", "AlignmentFlag", "FocusPolicy"}}
    print(window.people_model.rowCount(), " ".join(sorted(qt.intersection(built))))
    sys.stdout.flush()
    os._exit(0)
window.people_view.call_after_paint(painted)
window.show()
app.exec()
"""


def run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_what_muba_desk_imports_before_the_window_leaves_out_the_heavy_libraries():
    assert run(START) == ""


def test_a_window_with_its_lists_filled_has_imported_none_of_them_either(sample, data_folder):
    # A registry without operators opens straight to the lists, as signed in at the start.
    assert run(OPEN_WINDOW, str(sample[0])) == ""


def test_the_first_paint_of_the_list_builds_none_of_the_qt_namespace_enums(sample, data_folder):
    assert run(FIRST_PAINT, str(sample[0])) == "42"


def test_the_details_pane_is_made_after_the_first_lists_with_its_hint(qtbot, open_window, sample):
    window = open_window(sample[0])
    qtbot.waitUntil(lambda: window._details is not None)
    assert isinstance(window.details, DetailsPane)
    assert window.details.parent() is window.splitter
    assert "Papan ketik" in window.details.toPlainText()
    assert window.details.shown is None


def test_the_details_pane_is_made_at_once_when_asked_for_first(qtbot, sample):
    from muba_desk.gui.main_window import MainWindow

    window = MainWindow(sample[0])  # never shown: no first paint
    qtbot.addWidget(window)
    assert window._details is None
    window.show_person(sample[1]["siti"])
    qtbot.waitUntil(lambda: window._details is not None and window.details.shown is not None)
    assert window.selected_person_id() == sample[1]["siti"]
    assert window.details.parent() is window.splitter


def test_the_sign_in_panel_is_made_only_when_shown(qtbot, open_window, sample):
    window = open_window(sample[0])
    assert window._signin is None and window.pages.count() == 1
    window._show_sign_in()
    assert window.pages.currentWidget() is window.signin
    assert window.pages.indexOf(window.signin) == 1


def test_the_idle_watcher_watches_input_only_when_told_and_running(qtbot):
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    qtbot.addWidget(owner)
    watcher = IdleWatcher(owner, interval_ms=60_000)
    watcher.watch_input()
    assert not watcher._installed  # not running: nothing to restart
    watcher.start(watch_input=False)
    assert watcher.timer.isActive() and not watcher._installed
    watcher.watch_input()
    assert watcher._installed
    watcher.stop()
    assert not watcher._installed and not watcher.timer.isActive()


def test_the_window_watches_input_once_its_first_lists_are_painted(qtbot, sample):
    from muba_desk.gui.main_window import MainWindow
    from muba_desk.store.operators import Operator

    operator = Operator(id="op-1", username="ani", full_name="Ani", role="supervisor")
    window = MainWindow(sample[0], operator=operator)
    qtbot.addWidget(window)
    assert window.idle.timer.isActive() and not window.idle._installed
    window.show()
    qtbot.waitUntil(lambda: window.idle._installed)


def test_the_registry_kind_reads_the_settings_sync_keys_writes():
    from muba_desk.sync import keys as sync_keys

    assert kind.OFFICE_SECRET == sync_keys.OFFICE_SECRET
    assert kind.LAPTOP_AGE_IDENTITY == sync_keys.LAPTOP_AGE_IDENTITY


def test_a_window_start_parses_as_the_whole_command_line_without_building_the_subcommands():
    from muba_desk import cli

    light, full = cli._parser(commands=False), cli._parser()
    for argv in ([], ["--db", "desa.db"], ["--db=desa.db"]):
        assert cli._window_start(argv)
        assert vars(light.parse_args(argv)) == vars(full.parse_args(argv))
    for argv in (["demo", "--db", "x.db"], ["--db", "x.db", "report"], ["--help"], ["--self-test"]):
        assert not cli._window_start(argv)
    imported = run(
        "import sys\nfrom muba_desk import cli\ncli._parser(commands=False)\n"
        "print(' '.join(m for m in sys.modules if m.endswith('.commands')))"
    )
    assert imported == ""


STYLE = """
import sys
from PySide6.QtWidgets import QApplication
if sys.argv[1] == "app-first":
    app = QApplication([])
import muba_desk.app as muba_app
if sys.argv[1] == "module-first":
    app = QApplication([])
print(muba_app._STYLE_BY_ENVIRONMENT, app.style().name())
"""


def test_fusion_is_asked_of_qt_before_the_application_exists(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k != "QT_STYLE_OVERRIDE"}
    env["QT_QPA_PLATFORM"] = "offscreen"

    def style(order: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", STYLE, order], capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    # Imported first (as `muba-desk` does), Qt makes Fusion itself: no setStyle() needed.
    assert style("module-first") == "True fusion"
    # An application made earlier keeps its style until configure_application sets Fusion.
    assert style("app-first").startswith("False ")
