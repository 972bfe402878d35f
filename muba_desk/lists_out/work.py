"""The "Daftar & SK" page's work, Qt-free: reads on the window's reader connection, and the
long jobs (files, answers) that open their own connection on a worker thread."""

from __future__ import annotations

from pathlib import Path

from muba_desk.core.operations import OFFICE, Actor
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.lists_out import batches
from muba_desk.lists_out.answers import Answer, read_answer
from muba_desk.lists_out.bank import BankList, make_bank_list
from muba_desk.lists_out.bpjs import Roster, make_roster
from muba_desk.store.db import connect
from muba_desk.store.registry import Registry

# What the page's list can show: (key, label).
NOT_IN_SK, WAITING, FAILED = "not_in_sk", "waiting", "failed"
VIEWS = (
    (NOT_IN_SK, "Disetujui, belum masuk SK"),
    (WAITING, "Terkirim, menunggu jawaban bank / BPJS"),
    (FAILED, "Pembayaran gagal / ditolak BPJS"),
)

_NOT_IN_SK = """
SELECT e.id, p.name, p.nik, e.program, v.name, e.status
FROM enrolment e
JOIN person p ON p.id = e.person_id
LEFT JOIN household h ON h.id = coalesce(e.household_id, p.household_id)
LEFT JOIN area_village v ON v.code = h.village_code
WHERE e.status IN ('DISETUJUI', 'AKTIF') AND e.deleted_at IS NULL AND p.deleted_at IS NULL
  AND (? IS NULL OR e.program = ?)
  AND NOT EXISTS (SELECT 1 FROM sk_enrolment l WHERE l.enrolment_id = e.id)
ORDER BY e.program, v.name, p.name
LIMIT 5000
"""


def pending(db, view: str, program: str | None = None) -> list[tuple]:
    """Rows (enrolment id, name, NIK, program, period or village, what is pending)."""
    if view == NOT_IN_SK:
        return [
            (r[0], r[1], r[2] or "", r[3], r[4] or "", r[5])
            for r in db.conn.execute(_NOT_IN_SK, (program, program))
        ]
    kinds = (("bank", None), ("bpjs", None)) if view == WAITING else (
        ("bank", "gagal"), ("bpjs", "ditolak")
    )  # fmt: skip
    out = []
    for kind, outcome in kinds:
        for line in batches.open_lines(db, kind, outcome):
            if program and line["program"] != program:
                continue
            what = line["outcome_reason"] or (
                _("menunggu jawaban bank") if kind == "bank" else _("menunggu jawaban BPJS")
            )
            period = f"{line['period']} / {line['tranche']}" if kind == "bank" else line["period"]
            out.append(
                (
                    line["enrolment_id"],
                    line["name"],
                    line["nik"] or "",
                    line["program"],
                    period,
                    what,
                )  # fmt: skip
            )
    return out


def sks(db) -> list:
    from muba_desk.store.sk import list_sks

    return list_sks(db)


def bank_file(db_path: Path, period: str, out: Path, operator_id, progress) -> BankList:
    db = connect(db_path)
    try:
        return make_bank_list(
            db,
            program="BANTU_UMAK",
            period=period,
            out=out,
            made_by=operator_id,
            progress=progress,
        )
    finally:
        db.close()


def bpjs_file(db_path: Path, period: str, out: Path, operator_id, progress) -> Roster:
    db = connect(db_path)
    try:
        return make_roster(db, period=period, out=out, made_by=operator_id, progress=progress)
    finally:
        db.close()


def answer_file(db_path: Path, kind: str, path: Path, period, operator_id, progress) -> Answer:
    db = connect(db_path)
    try:
        reg = Registry(db, operator_id=operator_id)
        return read_answer(
            reg, Actor(operator_id, OFFICE), path, kind=kind, period=period, progress=progress
        )
    finally:
        db.close()


def attachment_file(db_path: Path, sk_number: str, out: Path) -> Path:
    """The SK's attachment as PDF or XLSX (helper sk's writers), by the file's ending."""
    from muba_desk.lists_out.sk import attachment_of
    from muba_desk.printing.base import office_settings

    db = connect(db_path)
    try:
        found = attachment_of(db, sk_number)
        settings = office_settings(db)
    finally:
        db.close()
    if found is None:
        raise UserError(_("SK nomor {number} tidak ditemukan.").format(number=sk_number))
    if out.suffix.lower() == ".pdf":
        from muba_desk.lists_out.sk_pdf import write_sk_pdf

        write_sk_pdf(found, out, address=settings["address"], place=settings["place"])
    else:
        from muba_desk.lists_out.sk_xlsx import write_sk_xlsx

        write_sk_xlsx(found, out)
    return out
