"""Run in a subprocess by benchmarks.window: `python -m benchmarks.window_child ours DB OPERATOR`
or `… base`. Prints `PAINTED <peak RSS kB>` once the list (or the bare window) is painted.

"ours" starts as `muba-desk` does (the command-line parser of a window start, the application
set-up, the saved language), then opens the window signed in as the operator given
(as the first start does after set-up) and waits for the people list's first paint with rows.
"base" shows a bare QMainWindow in the same interpreter and waits for its first paint.
"""

import os
import sys


def peak_rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def report() -> None:
    sys.stdout.write(f"PAINTED {peak_rss_kb()}\n")
    sys.stdout.flush()
    os._exit(0)  # the exit is not part of the task; closing a 250,000-person window is not


def main() -> None:
    which = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class FirstPaint(QObject):
        def __init__(self, ready):
            super().__init__()
            self.ready = ready
            self.done = False

        def eventFilter(self, watched, event):
            if not self.done and event.type() == QEvent.Type.Paint and self.ready():
                self.done = True
                QTimer.singleShot(0, report)  # after this paint has been drawn
            return False

    if which == "base":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        watcher = FirstPaint(lambda: True)
        window.installEventFilter(watcher)
        window.show()
        app.exec()
        return

    import json
    from pathlib import Path

    from muba_desk import cli

    cli._parser(commands=False)  # what `muba-desk` (no subcommand) builds before the window
    from muba_desk import app as muba_app
    from muba_desk.gui.main_window import MainWindow
    from muba_desk.store.operators import Operator

    db_path, operator = Path(sys.argv[2]), Operator(**json.loads(sys.argv[3]))
    app = QApplication(sys.argv[:1])
    muba_app.configure_application(app)
    muba_app.apply_saved_language()
    window = MainWindow(db_path, operator=operator)
    # The list's own hook: called from the event loop once it has painted itself with rows.
    # (An event filter on `people_view.viewport()` would make PySide wrap a widget Qt created
    # and so build every QtWidgets class, a cost the app never pays before its first paint.)
    window.people_view.call_after_paint(report)
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
