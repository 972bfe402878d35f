"""The bank payment list of a program for a month and tranche (Bantu Umak through BRI).

Only approved (Disetujui) and active (Aktif) enrolments paid into a bank account; the amount
from the program's rules and the office's reference data; one file per tranche, numbered per
program and month. Each file is recorded (`batches`), so a tranche number is never used twice
and an enrolment already in a file of the month is not listed again unless the bank's answer
said that payment failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from muba_desk.domain.programs import PROGRAMS
from muba_desk.domain.programs.bantu_umak import monthly_amount
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.lists_out import batches, people
from muba_desk.lists_out.files import write_rows
from muba_desk.lists_out.layouts import Layout, default_layout
from muba_desk.progress import Progress, SilentProgress


def _bantu_umak(item: dict, ref: dict) -> tuple[int, int]:
    size = item["data"].get("household_size")
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise ValueError(_("jumlah anggota rumah tangga belum diisi"))
    return monthly_amount(size, ref)


# Programs paid into bank accounts: enrolment -> (people covered, rupiah for one month).
PAID_BY_BANK = {"BANTU_UMAK": _bantu_umak}


@dataclass
class BankList:
    path: Path
    batch: batches.Batch
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, NIK, why) of approved enrolments not in the file."""


def make_bank_list(
    db,
    *,
    program: str,
    period: str,
    out: Path,
    tranche: int | None = None,
    layout: Layout | None = None,
    made_by: str | None = None,
    progress: Progress | None = None,
) -> BankList:
    """Write the payment list of `program` for `period` (YYYY-MM) to `out` and record it as
    tranche `tranche` (the next free number when None). `progress` may cancel until the file
    is written; nothing is recorded then."""
    if program not in PAID_BY_BANK:
        known = ", ".join(PAID_BY_BANK)
        raise UserError(
            _("Program “{program}” tidak dibayar lewat bank; yang dibayar lewat bank: {known}.")
            .format(program=program, known=known)
        )  # fmt: skip
    first, last = batches.check_period(period)
    layout = layout or default_layout("bank")
    if tranche is None:
        tranche = batches.next_tranche(db, "bank", program, period)
    elif tranche < 1:
        raise UserError(_("Nomor tahap harus 1 atau lebih."))
    made = batches.find_batch(db, "bank", program, period, tranche)
    if made is not None:
        raise UserError(
            _(
                "Tahap {tranche} periode {period} sudah dibuat pada {at} (berkas “{file}”); "
                "buat tahap {next}."
            ).format(
                tranche=tranche,
                period=period,
                at=made.made_at[:10],
                file=made.file_name or "-",
                next=batches.next_tranche(db, "bank", program, period),
            )
        )
    progress = progress or SilentProgress()
    rows, lines, skipped = _rows(db, program, period, tranche, first, last, progress)
    if not rows:
        raise UserError(
            _(
                "Tidak ada penerima {program} untuk periode {period} yang belum masuk daftar bank "
                "({skipped} dilewati); tidak ada berkas yang dibuat."
            ).format(program=PROGRAMS[program].name, period=period, skipped=len(skipped))
        )
    title = _("Daftar pembayaran {program} periode {period}, tahap {tranche}").format(
        program=PROGRAMS[program].name, period=period, tranche=tranche
    )
    out = Path(out)
    write_rows(out, layout, rows, title)
    try:
        batch = batches.record_batch(
            db,
            kind="bank",
            program=program,
            period=period,
            tranche=tranche,
            layout=layout.source,
            file_name=out.name,
            lines=lines,
            made_by=made_by,
        )
    except BaseException:
        out.unlink(missing_ok=True)  # a file that is not recorded must not reach the bank
        raise
    return BankList(out, batch, skipped)


def _rows(db, program, period, tranche, first, last, progress):
    ref = batches.reference_for(db, period)
    amount_of = PAID_BY_BANK[program]
    listed = batches.unsettled_in_period(db, "bank", program, period)
    rows, lines, skipped = [], [], []
    found = people.enrolled(db, program, first, last)
    for number, item in enumerate(found):
        if number % 500 == 0:
            progress.update(number, len(found), _("Menyusun daftar bank…"))
        data = item["data"]
        who = (item["name"], item["nik"] or "")
        if item["enrolment_id"] in listed:
            continue  # in a file of this month already, not failed: never paid twice
        channel = data.get("payment_channel")
        account = "".join(ch for ch in str(data.get("account_number") or "") if ch.isdigit())
        if channel in (None, "tunai"):
            skipped.append((*who, _("dibayar tunai")))
            continue
        if not account:
            skipped.append((*who, _("nomor rekening belum diisi")))
            continue
        if not item["nik"]:
            skipped.append((*who, _("belum punya NIK: jawaban bank dicocokkan dengan NIK")))
            continue
        try:
            covered, amount = amount_of(item, ref)
        except ValueError as exc:
            skipped.append((*who, str(exc)))
            continue
        if amount <= 0:
            skipped.append((*who, _("jumlah bantuan 0")))
            continue
        row = {
            "no": len(rows) + 1,
            "nik": item["nik"],
            "kk": item["kk"],
            "name": item["name"],
            "account_number": account,
            "account_holder": data.get("account_holder") or item["name"],
            "bank": str(channel).upper(),
            "address": item["address"],
            "village": item["village"],
            "district": item["district"],
            "birth_date": item["birth_date"],
            "period": period,
            "tranche": tranche,
            "people_covered": covered,
            "amount": amount,
        }
        rows.append(row)
        lines.append(
            {
                "enrolment_id": item["enrolment_id"],
                "nik": item["nik"],
                "name": item["name"],
                "account_number": account,
                "amount": amount,
            }
        )
    return rows, lines, skipped
