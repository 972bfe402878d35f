"""The monthly BPJS Ketenagakerjaan roster of Pake Kelambu workers, with its changes since the
last roster sent: new, continuing, and stopped with the reason (the enrolment ended, was
withdrawn, the record was removed or merged). The premium is the office's reference rate
`PAKE_KELAMBU.premium_month` per worker listed (new or continuing). What was sent is stored
per month (`batches`), which is what the next month's changes are counted against.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from muba_desk.core import operations
from muba_desk.domain.programs.base import OCCUPATIONS
from muba_desk.domain.reference import reference_value
from muba_desk.domain.status import Status
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.lists_out import batches, people
from muba_desk.lists_out.files import write_rows
from muba_desk.lists_out.layouts import Layout, default_layout
from muba_desk.progress import Progress, SilentProgress

PROGRAM = "PAKE_KELAMBU"
RATE_KEY = "PAKE_KELAMBU.premium_month"
NEW, CONTINUING, STOPPED = "baru", "lanjut", "berhenti"


def change_label(change: str | None) -> str:
    return {NEW: _("Baru"), CONTINUING: _("Lanjut"), STOPPED: _("Berhenti")}.get(change or "", "")


@dataclass
class Roster:
    path: Path
    batch: batches.Batch
    rate: int
    new: int
    continuing: int
    stopped: int
    previous: str | None
    """The month the changes are counted against (None: the first roster)."""


def premium_rate(db, period: str) -> int:
    """The premium per worker for the month: the budget year's figure, else the plain one."""
    return int(reference_value(batches.reference_for(db, period), RATE_KEY))


def set_premium_rate(reg, actor: operations.Actor, rate: int) -> None:
    """The office's premium per worker per month (reference data, through the core)."""
    if type(rate) is not int or rate <= 0:
        raise UserError(_("Iuran per pekerja harus rupiah bulat lebih dari 0."))
    with reg.transaction():
        operations.set_reference(reg, actor, RATE_KEY, rate)


def previous_roster(db, period: str) -> batches.Batch | None:
    row = db.conn.execute(
        "SELECT max(period) FROM payout_batch WHERE kind = 'bpjs' AND period < ?", (period,)
    ).fetchone()
    return batches.find_batch(db, "bpjs", PROGRAM, row[0], 1) if row[0] else None


def make_roster(
    db,
    *,
    period: str,
    out: Path,
    layout: Layout | None = None,
    made_by: str | None = None,
    progress: Progress | None = None,
) -> Roster:
    first, last = batches.check_period(period)
    layout = layout or default_layout("bpjs")
    made = batches.find_batch(db, "bpjs", PROGRAM, period, 1)
    if made is not None:
        raise UserError(
            _("Daftar BPJS bulan {period} sudah dibuat pada {at} (berkas “{file}”).").format(
                period=period, at=made.made_at[:10], file=made.file_name or "-"
            )
        )
    later = db.conn.execute(
        "SELECT min(period) FROM payout_batch WHERE kind = 'bpjs' AND period > ?", (period,)
    ).fetchone()[0]
    if later:
        raise UserError(
            _(
                "Daftar BPJS bulan {later} sudah dibuat: bulan {period} tidak dapat dibuat "
                "sesudahnya."
            ).format(later=later, period=period)
        )
    rate = premium_rate(db, period)
    previous = previous_roster(db, period)
    before = {}
    if previous is not None:
        before = {
            line["enrolment_id"]: line
            for line in batches.lines_of(db, previous.id)
            if line["change"] != STOPPED and line["outcome"] != "ditolak"
        }
    rows, lines = [], []
    counts = {NEW: 0, CONTINUING: 0, STOPPED: 0}
    current = people.enrolled(db, PROGRAM, first, last)
    progress = progress or SilentProgress()
    for number, item in enumerate(current):
        if number % 500 == 0:
            progress.update(number, len(current), _("Menyusun daftar BPJS…"))
        change = CONTINUING if item["enrolment_id"] in before else NEW
        counts[change] += 1
        member = item["data"].get("bpjs_number") or ""
        rows.append(_row(len(rows) + 1, item, change, None, member, rate, period))
        lines.append(_line(item, change, None, rate))
    gone = sorted(set(before) - {i["enrolment_id"] for i in current})
    now = people.by_id(db, gone)
    for enrolment_id in gone:
        reason = _stop_reason(now.get(enrolment_id))
        line = before[enrolment_id]
        counts[STOPPED] += 1
        item = {"enrolment_id": enrolment_id, "nik": line["nik"], "name": line["name"]}
        rows.append(_row(len(rows) + 1, item, STOPPED, reason, "", None, period))
        lines.append(_line(item, STOPPED, reason, None))
    if not rows:
        raise UserError(
            _("Tidak ada peserta Pake Kelambu yang disetujui untuk bulan {period}.").format(
                period=period
            )
        )
    out = Path(out)
    title = _("Daftar peserta BPJS Ketenagakerjaan Pake Kelambu bulan {period}").format(
        period=period
    )
    write_rows(out, layout, rows, title)
    try:
        batch = batches.record_batch(
            db,
            kind="bpjs",
            program=PROGRAM,
            period=period,
            tranche=1,
            layout=layout.source,
            file_name=out.name,
            lines=lines,
            made_by=made_by,
        )
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return Roster(
        out,
        batch,
        rate,
        counts[NEW],
        counts[CONTINUING],
        counts[STOPPED],
        previous.period if previous else None,
    )


def _stop_reason(now: dict | None) -> str:
    if now is None or now["deleted"]:
        return _("data pendaftaran dihapus")
    if now["merged"]:
        return _("data orang digabung dengan data lain")
    if now["status"] in (Status.SELESAI, Status.DITOLAK):
        label = Status(now["status"]).label()
        return f"{label}: {now['reason']}" if now["reason"] else label
    return _("masa kepesertaan tidak mencakup bulan ini")


def _occupation(item: dict) -> str:
    code = item["data"].get("occupation") or item.get("occupation")
    for choice in OCCUPATIONS:
        if choice.value == code:
            return choice.label("id")
    return code or ""


def _row(number, item, change, reason, member, rate, period) -> dict:
    stopped = change == STOPPED
    return {
        "no": number,
        "nik": item.get("nik") or "",
        "kk": item.get("kk"),
        "name": item.get("name"),
        "birth_date": None if stopped else item.get("birth_date"),
        "sex": None if stopped else item.get("sex"),
        "occupation": None if stopped else _occupation(item),
        "address": item.get("address"),
        "village": item.get("village"),
        "district": item.get("district"),
        "member_number": member,
        "change": change_label(change),
        "change_reason": reason,
        "period": period,
        "premium": rate,
    }


def _line(item, change, reason, rate) -> dict:
    return {
        "enrolment_id": item["enrolment_id"],
        "nik": item.get("nik"),
        "name": item.get("name"),
        "amount": rate,
        "change": change,
        "change_reason": reason,
    }
