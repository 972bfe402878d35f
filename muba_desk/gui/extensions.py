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
    "muba_desk.gui.verify_actions",
    "muba_desk.gui.list_import_actions",
)


# The plug-ins that only fill menus (and their shortcuts). The window installs them once its
# first lists are painted, so a start neither imports nor builds them before; the ones that
# change what the first screen shows (the office desk, the sync tab) come with the window.
MENU_ONLY = frozenset(
    {
        "muba_desk.gui.enrolment_actions",
        "muba_desk.gui.print_actions",
        "muba_desk.gui.verify_actions",
        "muba_desk.gui.list_import_actions",
    }
)


def window_extensions(*, menus: bool | None = None) -> list[Callable]:
    """The `install` functions of the extension modules that exist, in a fixed order; with
    `menus` True only the menu-only ones, with False only the others."""
    installs = []
    for name in EXTENSION_MODULES:
        if menus is not None and (name in MENU_ONLY) != menus:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise  # a missing dependency inside an existing module is a real error
            continue
        installs.append(module.install)
    return installs


def on_retranslate(window, fn: Callable[[], None]) -> None:
    """Call `fn` after each language switch of `window`, to set a plug-in's texts again (a
    stand-in window of a test, without `retranslators`, never switches)."""
    hooks = getattr(window, "retranslators", None)
    if hooks is not None:
        hooks.append(fn)
