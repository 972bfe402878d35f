"""Window tests: each gets its own data folder, starts in Indonesian and has a small registry."""

import sys

import pytest

from muba_desk import i18n
from tests.gui.sample import make_registry


@pytest.fixture(autouse=True)
def data_folder(tmp_path, monkeypatch):
    """Preferences, demo and laptop registries of one test stay in its own folder."""
    folder = tmp_path / "data"
    monkeypatch.setenv("MUBA_DESK_DATA", str(folder))
    yield folder
    i18n.set_language("id")
    qt_language = sys.modules.get("muba_desk.gui.qt_language")
    if qt_language is not None:
        qt_language.uninstall()  # Qt's own texts back to its English source


@pytest.fixture
def sample(tmp_path):
    """(path, ids) of a registry with Siti Aminah enrolled in Bantu Umak and 40 others."""
    path = tmp_path / "sample.db"
    return path, make_registry(path)


@pytest.fixture
def open_window(qtbot):
    """Open the main window on a registry and wait until its first lists arrived."""
    from muba_desk.gui.main_window import MainWindow

    def open_(path, **kwargs):
        window = MainWindow(path, **kwargs)
        qtbot.addWidget(window)
        window.show()
        # The lists, and what the window adds once they are painted (details pane, menus).
        qtbot.waitUntil(lambda: not window.searching() and window._first_screen)
        return window

    return open_
