"""`muba-desk list bank|bpjs|answer`: helper `payouts` fills this module (it replaces the file).

Until then `add_list_commands` registers nothing, so `muba-desk list` offers only what
`lists_out/commands.py` registers itself (`list sk`).
"""

from __future__ import annotations


def add_list_commands(list_sub) -> None:
    """Register the bank, BPJS and answer commands on the `list` group's subparsers."""
