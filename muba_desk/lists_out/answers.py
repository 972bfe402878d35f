"""The bank's and BPJS's answers read back, matched to the rows the office sent by NIK and
period.

Bank: a paid row becomes a hand-over recorded through `core.operations.record_handover`,
confirmed by bank transfer (`confirmed_by` "transfer_bank": no receipt is signed, and the
enrolment's history says so) for the amount that was sent; the bank's reference is kept on the
row sent. A failed row is listed with its reason for follow-up (it may go into a later tranche
of the month). BPJS: a registered row stores the member number (KPJ) in the enrolment's
program data; a refused one is listed. Rows that match nothing sent are listed as unknown.
Reading the same answer again changes nothing: a row already settled the same way is counted
as unchanged.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from muba_desk.core import operations
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.lists_out import batches
from muba_desk.lists_out.layouts import Layout, default_layout
from muba_desk.progress import Progress, SilentProgress
from muba_desk.store.records import HandoverRefused

PAID, FAILED, REGISTERED, REFUSED = "dibayar", "gagal", "terdaftar", "ditolak"
_SPACES = re.compile(r"\s+")
# A NIK Excel showed as a number ("1.60601E+15") before the file was saved as text.
_SCIENTIFIC = re.compile(r"[0-9]+(?:[.,][0-9]+)?[eE][+]?[0-9]+")
_PERIODS = (
    re.compile(r"(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})(?:[-/.][0-9]{1,2})?"),
    re.compile(r"(?:[0-9]{1,2}[-/.])?(?P<m>[0-9]{1,2})[-/.](?P<y>[0-9]{4})"),
)


@dataclass
class Answer:
    """What reading one answer file did."""

    kind: str
    rows: int = 0
    paid: list[dict] = field(default_factory=list)
    registered: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    unknown: list[dict] = field(default_factory=list)
    """Rows that match nothing sent, or cannot be read: {row, nik, why}."""
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return len(self.paid) + len(self.registered) + len(self.failed) + len(self.refused)

    def summary(self) -> str:
        if self.kind == "bank":
            text = _(
                "{rows} baris: {paid} dibayar (penyerahan dicatat), {failed} gagal, "
                "{unknown} tidak dikenal, {same} sudah tercatat sebelumnya."
            ).format(
                rows=self.rows,
                paid=len(self.paid),
                failed=len(self.failed),
                unknown=len(self.unknown),
                same=self.unchanged,
            )
        else:
            text = _(
                "{rows} baris: {ok} terdaftar (nomor KPJ disimpan), {refused} ditolak, "
                "{unknown} tidak dikenal, {same} sudah tercatat sebelumnya."
            ).format(
                rows=self.rows,
                ok=len(self.registered),
                refused=len(self.refused),
                unknown=len(self.unknown),
                same=self.unchanged,
            )
        return text


def read_answer(
    reg,
    actor: operations.Actor,
    path: Path,
    *,
    kind: str,
    period: str | None = None,
    layout: Layout | None = None,
    progress: Progress | None = None,
) -> Answer:
    """Read the answer in `path` (XLSX, XLS, ODS or CSV) and record what it says, in one
    transaction. `period` (YYYY-MM) stands for rows whose file has no period column. A
    cancel through `progress` rolls the whole answer back."""
    if kind not in ("bank", "bpjs"):
        raise UserError(_("Jenis jawaban harus “bank” atau “bpjs”."))
    if period is not None:
        batches.check_period(period)
    layout = layout or default_layout(kind)
    table = _read_table(Path(path))
    header_at, columns = _find_header(table, layout, Path(path).name)
    answer = Answer(kind)
    wanted = []
    for number, cells in enumerate(table[header_at + 1 :], start=header_at + 2):
        values = {key: cells[i] if i < len(cells) else None for key, i in columns.items()}
        if all(_blank(v) for v in values.values()):
            continue
        answer.rows += 1
        nik, why = _nik(values.get("nik"))
        row_period = _period(values.get("period")) or period
        entry = {"row": number, "nik": nik or _text(values.get("nik")), "values": values}
        if why:
            answer.unknown.append({**entry, "why": why})
            continue
        if not row_period:
            answer.unknown.append({**entry, "why": _("periode tidak terbaca; beri --period")})
            continue
        status = _text(values.get("status")).upper()
        if status in layout.done:
            entry["outcome"] = PAID if kind == "bank" else REGISTERED
        elif status in layout.refused:
            entry["outcome"] = FAILED if kind == "bank" else REFUSED
        else:
            answer.unknown.append(
                {**entry, "why": _("status “{status}” tidak dikenal").format(status=status)}
            )
            continue
        entry["period"] = row_period
        wanted.append(entry)
    sent = batches.lines_for_answer(reg.db, kind, None, {e["nik"] for e in wanted})
    progress = progress or SilentProgress()
    with reg.transaction():
        for number, entry in enumerate(wanted):
            if number % 200 == 0:
                progress.update(number, len(wanted), _("Mencatat jawaban…"))
            line = sent.get((entry["nik"], entry["period"]))
            if line is None:
                answer.unknown.append(
                    {**entry, "why": _("tidak ada di daftar yang dikirim untuk periode ini")}
                )
                continue
            _apply(reg, actor, answer, entry, line)
    return answer


def _apply(reg, actor, answer: Answer, entry: dict, line: dict) -> None:
    values, outcome = entry["values"], entry["outcome"]
    reason = _text(values.get("reason")) or None
    reference = _text(values.get("reference")) or None
    entry = {**entry, "name": line["name"], "amount": line["amount"], "reason": reason}
    if line["outcome"] == outcome and (outcome != FAILED or line["reference"] == reference):
        answer.unchanged += 1
        return
    if line["outcome"] in (PAID, REGISTERED) and outcome in (FAILED, REFUSED):
        answer.unknown.append(
            {**entry, "why": _("sudah tercatat {outcome} sebelumnya; periksa dengan mitra")
             .format(outcome=line["outcome"])}
        )  # fmt: skip
        return
    handover_id = None
    if outcome == PAID:
        try:
            handed = operations.record_handover(
                reg,
                actor,
                enrolment_id=line["enrolment_id"],
                handed_at=_date(values.get("date")) or date.today().isoformat(),
                confirmed_by="transfer_bank",
                amount=line["amount"],
                tranche=_("Tahap {n} (transfer bank)").format(n=line["tranche"]),
                period=line["period"],
            )
        except HandoverRefused as exc:
            answer.unknown.append({**entry, "why": str(exc)})
            return
        handover_id = handed.id
        answer.paid.append({**entry, "reference": reference})
    elif outcome == REGISTERED:
        member = _text(values.get("member_number"))
        if member:
            operations.set_program_fields(reg, actor, line["enrolment_id"], {"bpjs_number": member})
        reference = member or None
        answer.registered.append({**entry, "member_number": member})
    elif outcome == FAILED:
        answer.failed.append(entry)
    else:
        answer.refused.append(entry)
    batches.set_outcome(
        reg.db,
        line["batch_id"],
        line["enrolment_id"],
        outcome=outcome,
        reason=reason,
        reference=reference,
        handover_id=handover_id,
    )


# -- reading the file ---------------------------------------------------------------------------
def _read_table(path: Path) -> list[list]:
    """The first sheet's cells (XLSX/XLS/ODS through python-calamine) or a CSV's fields."""
    if not path.exists():
        raise UserError(_("Berkas jawaban “{file}” tidak ditemukan.").format(file=path))
    if path.suffix.lower() in (".csv", ".txt"):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            text = path.read_text(encoding="cp1252")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,|\t")
        except csv.Error:
            dialect = csv.excel
        return [list(r) for r in csv.reader(text.splitlines(), dialect)]
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        return [list(r) for r in book.get_sheet_by_index(0).to_python(skip_empty_area=False)]
    except (CalamineError, OSError, ValueError) as exc:
        raise UserError(
            _("Berkas jawaban “{file}” tidak dapat dibaca sebagai lembar kerja: {error}").format(
                file=path.name, error=str(exc)[:120]
            )
        ) from None


def _fold(text) -> str:
    return _SPACES.sub(" ", str(text or "")).strip().casefold()


def _find_header(table: list[list], layout: Layout, name: str) -> tuple[int, dict[str, int]]:
    """The header row (among the first 20) naming the NIK and status columns."""
    aliases = {key: {_fold(a) for a in names} for key, names in layout.answer_columns.items()}
    for at, cells in enumerate(table[:20]):
        folded = [_fold(c) for c in cells]
        columns = {}
        for key, names in aliases.items():
            for i, text in enumerate(folded):
                if text in names and i not in columns.values():
                    columns[key] = i
                    break
        if "nik" in columns and "status" in columns:
            return at, columns
    raise UserError(
        _(
            "Berkas jawaban “{file}”: judul kolom NIK ({nik}) dan status ({status}) tidak "
            "ditemukan di 20 baris pertama; sesuaikan “answer.columns” di tata letak."
        ).format(
            file=name,
            nik=", ".join(layout.answer_columns["nik"]),
            status=", ".join(layout.answer_columns["status"]),
        )
    )


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value)).strip()


def _nik(value) -> tuple[str | None, str | None]:
    """(16 digits, None) or (None, why): a NIK kept as a number has lost digits for good."""
    number = isinstance(value, float | int) and not isinstance(value, bool)
    if number or _SCIENTIFIC.fullmatch(_text(value)):
        return None, _(
            "NIK tersimpan sebagai angka (digit terakhir hilang); "
            "minta berkas dengan NIK sebagai teks"
        )
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    if len(digits) != 16:
        return None, _("NIK harus 16 angka")
    return digits, None


def _period(value) -> str | None:
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    text = _text(value)
    for pattern in _PERIODS:
        match = pattern.fullmatch(text)
        if match and 1 <= int(match.group("m")) <= 12:
            return f"{int(match.group('y')):04d}-{int(match.group('m')):02d}"
    return None


def _date(value) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None
