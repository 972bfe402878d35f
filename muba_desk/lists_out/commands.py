"""`muba-desk sk ...` (decisions) and `muba-desk list ...` (lists handed on).

`list bank|bpjs|answer` live in `payout_commands.py` (helper `payouts`); this module registers
the groups, the `sk` commands and `list sk`.
"""

from __future__ import annotations

from muba_desk.lists_out.payout_commands import add_list_commands


def add_arguments(subparsers) -> None:
    """Register the `sk` and `list` command groups on the `muba-desk` parser's subparsers."""
    sk = subparsers.add_parser("sk", help="keputusan (SK) dan peserta yang ditetapkannya")
    sk_sub = sk.add_subparsers(dest="sk_command", metavar="PERINTAH", required=True)
    listing = subparsers.add_parser("list", help="daftar untuk pihak lain (SK, bank, BPJS)")
    list_sub = listing.add_subparsers(dest="list_command", metavar="DAFTAR", required=True)
    _add_sk_commands(sk_sub)
    add_list_commands(list_sub)


def _add_sk_commands(sk_sub) -> None:
    """The decisions' commands (filled in below as they land)."""
