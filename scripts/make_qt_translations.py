"""Compile resources/locale/qt_<lang>.po (our translation of Qt's own texts) into qt_<lang>.qm.

.venv/bin/python scripts/make_qt_translations.py    (tests/gui/test_qt_language.py checks that
the shipped .qm is the one this makes from the .po)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from muba_desk.gui.qt_language import compile_qm, qt_catalogue

    for po in sorted((ROOT / "resources" / "locale").glob("qt_*.po")):
        code = po.stem.removeprefix("qt_")
        out = po.with_suffix(".qm")
        out.write_bytes(compile_qm(qt_catalogue(code)))
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
