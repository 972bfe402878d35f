"""`muba-desk list bank|bpjs|answer`: the bank payment list, the BPJS Ketenagakerjaan roster
and the partners' answers read back (lists_out.bank, .bpjs, .answers).

Each prints one line of what it did; an error is one Indonesian line (exit 1).
"""

from __future__ import annotations

from pathlib import Path


def add_list_commands(list_sub) -> None:
    """Register the bank, BPJS and answer commands on the `list` group's subparsers."""
    from muba_desk.passphrase import add_passphrase_argument

    bank = list_sub.add_parser(
        "bank", help="daftar pembayaran bank untuk satu program, periode dan tahap"
    )
    bank.add_argument("--db", type=Path, required=True, help="basis data kantor")
    bank.add_argument("--program", type=str.upper, required=True, help="kode program, BANTU_UMAK")
    bank.add_argument("--period", required=True, help="bulan yang dibayar, TTTT-BB")
    bank.add_argument("--tranche", type=int, help="nomor tahap (bawaan: tahap berikutnya)")
    bank.add_argument("--out", type=Path, required=True, help="berkas tujuan (.xlsx atau .csv)")
    bank.add_argument("--layout", type=Path, help="berkas tata letak JSON (bawaan: BRI)")
    bank.set_defaults(handler=cmd_bank)

    bpjs = list_sub.add_parser("bpjs", help="daftar peserta BPJS Ketenagakerjaan satu bulan")
    bpjs.add_argument("--db", type=Path, required=True, help="basis data kantor")
    bpjs.add_argument("--period", required=True, help="bulan iuran, TTTT-BB")
    bpjs.add_argument("--out", type=Path, required=True, help="berkas tujuan (.xlsx atau .csv)")
    bpjs.add_argument("--layout", type=Path, help="berkas tata letak JSON (bawaan: BPJS TK)")
    bpjs.add_argument(
        "--rate", type=int, help="ubah dulu iuran per pekerja per bulan (data acuan), rupiah"
    )
    bpjs.set_defaults(handler=cmd_bpjs)

    answer = list_sub.add_parser("answer", help="baca jawaban bank atau BPJS (XLSX/CSV)")
    answer.add_argument("--db", type=Path, required=True, help="basis data kantor")
    answer.add_argument("--kind", choices=("bank", "bpjs"), required=True, help="jawaban siapa")
    answer.add_argument("--period", help="periode TTTT-BB, bila berkasnya tanpa kolom periode")
    answer.add_argument("--layout", type=Path, help="berkas tata letak JSON (bawaan sesuai jenis)")
    answer.add_argument("file", type=Path, help="berkas jawaban")
    answer.set_defaults(handler=cmd_answer)
    for parser in (bank, bpjs, answer):
        add_passphrase_argument(parser)


def _open(args):
    from muba_desk.errors import UserError
    from muba_desk.i18n import _
    from muba_desk.store.db import connect
    from muba_desk.store.kind import LAPTOP, registry_kind

    db = connect(args.db)
    if registry_kind(db) == LAPTOP:
        db.close()
        raise UserError(_("Daftar bank dan BPJS dibuat di kantor, bukan di laptop petugas."))
    return db


def _layout(args, kind: str):
    from muba_desk.lists_out.layouts import load_layout

    return load_layout(args.layout, kind) if args.layout else None


def _skipped_line(skipped) -> str:
    from muba_desk.i18n import _

    if not skipped:
        return ""
    reasons: dict[str, int] = {}
    for _name, _nik, why in skipped:
        reasons[why] = reasons.get(why, 0) + 1
    parts = ", ".join(f"{n} {why}" for why, n in sorted(reasons.items()))
    return _("; dilewati: {parts}").format(parts=parts)


def cmd_bank(args) -> int:
    from muba_desk.domain.money import format_rupiah
    from muba_desk.i18n import _
    from muba_desk.lists_out.bank import make_bank_list

    layout = _layout(args, "bank")
    db = _open(args)
    try:
        made = make_bank_list(
            db,
            program=args.program,
            period=args.period,
            tranche=args.tranche,
            out=args.out,
            layout=layout,
        )
    finally:
        db.close()
    print(
        _("{file}: tahap {tranche} periode {period}, {rows} penerima, jumlah {total}").format(
            file=made.path,
            tranche=made.batch.tranche,
            period=made.batch.period,
            rows=made.batch.rows,
            total=format_rupiah(made.batch.total),
        )
        + _skipped_line(made.skipped)
    )
    return 0


def cmd_bpjs(args) -> int:
    from muba_desk.core.operations import OFFICE, Actor
    from muba_desk.domain.money import format_rupiah
    from muba_desk.i18n import _
    from muba_desk.lists_out.bpjs import make_roster, set_premium_rate
    from muba_desk.store.registry import Registry

    layout = _layout(args, "bpjs")
    db = _open(args)
    try:
        if args.rate is not None:
            set_premium_rate(Registry(db), Actor(None, OFFICE), args.rate)
        made = make_roster(db, period=args.period, out=args.out, layout=layout)
    finally:
        db.close()
    since = (
        _("dibanding {month}").format(month=made.previous) if made.previous else _("daftar pertama")
    )
    print(
        _(
            "{file}: bulan {period}, {new} baru, {continuing} lanjut, {stopped} berhenti "
            "({since}); iuran {rate} x {count} = {total}"
        ).format(
            file=made.path,
            period=made.batch.period,
            new=made.new,
            continuing=made.continuing,
            stopped=made.stopped,
            since=since,
            rate=format_rupiah(made.rate),
            count=made.new + made.continuing,
            total=format_rupiah(made.batch.total),
        )
    )
    return 0


def cmd_answer(args) -> int:
    from muba_desk.core.operations import OFFICE, Actor
    from muba_desk.i18n import _
    from muba_desk.lists_out.answers import read_answer
    from muba_desk.store.registry import Registry

    layout = _layout(args, args.kind)
    db = _open(args)
    try:
        answer = read_answer(
            Registry(db),
            Actor(None, OFFICE),
            args.file,
            kind=args.kind,
            period=args.period,
            layout=layout,
        )
    finally:
        db.close()
    print(f"{args.file}: {answer.summary()}")
    for item in answer.failed + answer.refused:
        print(
            _("  {outcome}: {nik} {name}: {reason}").format(
                outcome=_("gagal") if args.kind == "bank" else _("ditolak"),
                nik=item["nik"],
                name=item["name"],
                reason=item["reason"] or "-",
            )
        )
    for item in answer.unknown:
        print(
            _("  tidak dikenal, baris {row}: {nik}: {why}").format(
                row=item["row"], nik=item["nik"] or "-", why=item["why"]
            )
        )
    return 0
