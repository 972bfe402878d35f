"""`UserError`: the one base of every error whose message is meant for the person at the screen.

It lives in the domain because the domain's own errors (a wrong NIK, a refused status change)
derive from it and the domain imports nothing of ours outside it; everyone else imports it as
`muba_desk.errors.UserError`.
"""

from __future__ import annotations


class UserError(Exception):
    """`str()` is one sentence (or a few) for the user, already in the user's language: raisers
    outside the domain build it with `_()` (`muba_desk.i18n`), so a command prints it as it is
    and the window shows it in a dialog, never with a traceback."""
