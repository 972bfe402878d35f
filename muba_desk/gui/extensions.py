"""The window's plug-ins: other parts of the app add their menus without editing the window."""

from __future__ import annotations

import importlib
from collections.abc import Callable

# Each module, when it exists, has `install(window)`.
EXTENSION_MODULES = (
    "muba_desk.gui.enrolment_actions",
    "muba_desk.gui.print_actions",
    "muba_desk.gui.office_actions",
    "muba_desk.gui.sync_actions",
)


def window_extensions() -> list[Callable]:
    """The `install` functions of the extension modules that exist, in a fixed order."""
    installs = []
    for name in EXTENSION_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise  # a missing dependency inside an existing module is a real error
            continue
        installs.append(module.install)
    return installs
