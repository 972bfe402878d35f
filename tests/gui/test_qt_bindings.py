"""The pinned Qt bindings must not corrupt reference counts (PySide6 6.12.0 on Python 3.11 did)."""

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
w.show()
before = sys.getrefcount(None)
for _ in range(2000):
    w.update()
    app.processEvents()
print(sys.getrefcount(None) - before)
"""


def test_void_calls_keep_the_reference_count_of_none_and_the_interpreter_exits_cleanly():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    # A binding that drops a reference per call would lose about 4,000 here.
    assert abs(int(result.stdout.strip())) < 100
