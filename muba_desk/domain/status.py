"""Enrolment statuses, the moves allowed between them, and which moves need a written reason.

The path is Draf -> Diajukan -> Terkirim -> Disetujui | Ditolak, then Disetujui -> Aktif ->
Selesai. The extra moves, and why each exists:

- Diajukan -> Draf: the worker spots a mistake before the bundle leaves the laptop; nothing
  has been sent, so editing is still safe.
- Disetujui -> Ditolak: the office may find a duplicate in a bundle from another laptop after
  approving; before any aid is handed over it must be able to withdraw the approval, with a
  reason. Once Aktif, aid has been paid and the enrolment can only end (Selesai).
- Ditolak -> Draf: a rejection for a fixable cause (a wrong NIK, a missing photo) is corrected
  on the laptop and submitted again, keeping the history on the same enrolment.

Refused on purpose: Terkirim -> Draf (the office owns the record once it left, an edit would
only become a sync conflict), anything out of Selesai (a new period is a new enrolment), and
skipping steps (approval happens only at the office, after the record arrived there).

Who makes each move (`MOVERS`, checked when `check_transition` is given a `side`): the laptop's
worker by hand (submit, take back, correct a rejection, end), the laptop's export
(Diajukan -> Terkirim, for what the bundle carries), the laptop's first hand-over
(Disetujui -> Aktif), and the office (decisions). Neither side can make the other's moves, so a
laptop's window or command line can never approve, and the office never submits for a worker.
"""

from __future__ import annotations

from enum import StrEnum

from muba_desk.domain.errors import UserError


class Status(StrEnum):
    DRAF = "DRAF"
    DIAJUKAN = "DIAJUKAN"
    TERKIRIM = "TERKIRIM"
    DISETUJUI = "DISETUJUI"
    DITOLAK = "DITOLAK"
    AKTIF = "AKTIF"
    SELESAI = "SELESAI"

    def label(self, lang: str = "id") -> str:
        label_id, label_en = _LABELS[self]
        return label_en if lang == "en" else label_id


_LABELS: dict[Status, tuple[str, str]] = {
    Status.DRAF: ("Draf", "Draft"),
    Status.DIAJUKAN: ("Diajukan", "Submitted"),
    Status.TERKIRIM: ("Terkirim", "Sent"),
    Status.DISETUJUI: ("Disetujui", "Approved"),
    Status.DITOLAK: ("Ditolak", "Rejected"),
    Status.AKTIF: ("Aktif", "Active"),
    Status.SELESAI: ("Selesai", "Ended"),
}

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAF: frozenset({Status.DIAJUKAN}),
    Status.DIAJUKAN: frozenset({Status.DRAF, Status.TERKIRIM}),
    Status.TERKIRIM: frozenset({Status.DISETUJUI, Status.DITOLAK}),
    Status.DISETUJUI: frozenset({Status.AKTIF, Status.DITOLAK}),
    Status.AKTIF: frozenset({Status.SELESAI}),
    Status.DITOLAK: frozenset({Status.DRAF}),
    Status.SELESAI: frozenset(),
}

REASON_REQUIRED: frozenset[Status] = frozenset({Status.DITOLAK, Status.SELESAI})
"""Moving into these needs a written reason: the beneficiary is told why aid stops or is refused."""

INACTIVE: frozenset[Status] = frozenset({Status.DITOLAK, Status.SELESAI})
"""Enrolments in these statuses no longer count for double-dipping checks."""

DECIDED_AT_OFFICE: frozenset[Status] = frozenset({Status.DISETUJUI, Status.DITOLAK})
"""Only office mode may move an enrolment into these."""


class InvalidTransition(UserError, ValueError):
    """A status change that is not allowed; `str()` is the Indonesian message, `message_en` too."""

    def __init__(self, message_id: str, message_en: str):
        super().__init__(message_id)
        self.message_id = message_id
        self.message_en = message_en


def _status(value: Status | str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise InvalidTransition(
            f"Status tidak dikenal: {value!r}.", f"Unknown status: {value!r}."
        ) from None


def can_transition(current: Status | str, new: Status | str) -> bool:
    """True if `new` may follow `current` (reasons aside); False also for unknown statuses."""
    try:
        return _status(new) in TRANSITIONS[_status(current)]
    except InvalidTransition:
        return False


def check_transition(
    current: Status | str,
    new: Status | str,
    reason: str | None = None,
    side: Side | str | None = None,
) -> None:
    """Raise InvalidTransition unless `current` -> `new` is allowed, has its required reason
    and, when `side` is given, is a move that side makes (see MOVERS)."""
    a, b = _status(current), _status(new)
    if b not in TRANSITIONS[a]:
        allowed = sorted(TRANSITIONS[a], key=list(Status).index)
        if allowed:
            hint_id = " Yang boleh: " + ", ".join(s.label("id") for s in allowed) + "."
            hint_en = " Allowed: " + ", ".join(s.label("en") for s in allowed) + "."
        else:
            hint_id = f" Status {a.label('id')} sudah akhir."
            hint_en = f" {a.label('en')} is final."
        raise InvalidTransition(
            f"Status tidak dapat diubah dari {a.label('id')} ke {b.label('id')}.{hint_id}",
            f"Status cannot change from {a.label('en')} to {b.label('en')}.{hint_en}",
        )
    if b in REASON_REQUIRED and not (reason and reason.strip()):
        raise InvalidTransition(
            f"Alasan wajib diisi untuk status {b.label('id')}.",
            f"A reason is required for status {b.label('en')}.",
        )
    if side is not None:
        who = Side(side)
        movers = MOVERS.get((a, b), frozenset())
        if who not in movers:
            by = sorted(movers, key=list(Side).index)
            raise InvalidTransition(
                f"Perubahan status {a.label('id')} ke {b.label('id')} tidak dapat dilakukan oleh "
                f"{_SIDE_LABELS[who][0]}; hanya oleh "
                + " atau ".join(_SIDE_LABELS[s][0] for s in by)
                + ".",
                f"{_SIDE_LABELS[who][1].capitalize()} cannot move {a.label('en')} to "
                f"{b.label('en')}; only " + " or ".join(_SIDE_LABELS[s][1] for s in by) + " can.",
            )


class Side(StrEnum):
    """Who moves an enrolment: a person at either end, or an operation the laptop runs."""

    LAPTOP = "laptop"  # the worker, by hand (the window's status dialog, the command line)
    EXPORT = "export"  # the laptop's export, for the enrolments its bundle carries
    HANDOVER = "handover"  # the laptop's first hand-over after approval
    OFFICE = "office"  # the office, deciding
    TRANSFER = "transfer"  # the office, recording a bank transfer from the bank's answer
    # The office's import of a beneficiary list (issue 14): an enrolment made from a list row
    # is submitted and arrives at the office in one go, so it waits in the decision queue
    # (Terkirim) like one a laptop sent; it makes no other move.
    LIST = "list"


LAPTOP_SIDES: frozenset[Side] = frozenset({Side.LAPTOP, Side.EXPORT, Side.HANDOVER})
"""The sides a laptop's registry acts as."""

OFFICE_SIDES: frozenset[Side] = frozenset({Side.OFFICE, Side.TRANSFER})
"""The sides an office registry acts as: deciding, and recording the bank's transfers."""

MOVERS: dict[tuple[Status, Status], frozenset[Side]] = {
    (Status.DRAF, Status.DIAJUKAN): frozenset({Side.LAPTOP, Side.LIST}),
    (Status.DIAJUKAN, Status.DRAF): frozenset({Side.LAPTOP}),
    (Status.DIAJUKAN, Status.TERKIRIM): frozenset({Side.EXPORT, Side.LIST}),
    (Status.TERKIRIM, Status.DISETUJUI): frozenset({Side.OFFICE}),
    (Status.TERKIRIM, Status.DITOLAK): frozenset({Side.OFFICE}),
    (Status.DISETUJUI, Status.DITOLAK): frozenset({Side.OFFICE}),
    # The first hand-over: in the village, or a bank transfer the bank's answer confirms.
    (Status.DISETUJUI, Status.AKTIF): frozenset({Side.HANDOVER, Side.TRANSFER}),
    # Aid ends where it is known: the worker in the village, or the office (a death reported
    # at the regency, a program closed).
    (Status.AKTIF, Status.SELESAI): frozenset({Side.LAPTOP, Side.OFFICE}),
    (Status.DITOLAK, Status.DRAF): frozenset({Side.LAPTOP}),
}

_SIDE_LABELS: dict[Side, tuple[str, str]] = {
    Side.LAPTOP: ("petugas di laptop", "the worker on the laptop"),
    Side.EXPORT: ("ekspor paket di laptop", "the laptop's bundle export"),
    Side.HANDOVER: ("penyerahan bantuan pertama", "the first hand-over of aid"),
    Side.OFFICE: ("kantor dinas", "the regency office"),
    Side.TRANSFER: ("transfer bank yang dicatat kantor", "a bank transfer the office records"),
    Side.LIST: ("impor daftar di kantor", "the office's list import"),
}


def moves_for(current: Status | str, side: Side | str) -> list[Status]:
    """The statuses `side` may move an enrolment in `current` to, in path order."""
    a, who = _status(current), Side(side)
    return [b for b in Status if b in TRANSITIONS[a] and who in MOVERS.get((a, b), ())]


HANDOVER_ALLOWED: frozenset[Status] = frozenset({Status.DISETUJUI, Status.AKTIF})
"""Aid is handed over only on an enrolment the office approved; the first makes it Aktif."""
