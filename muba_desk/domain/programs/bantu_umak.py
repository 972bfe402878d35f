"""Bantu Umak: monthly cash for poor households, per covered person by household size."""

from __future__ import annotations

from collections.abc import Mapping

from muba_desk.domain.programs.base import (
    DECILE_SOURCES,
    PAYMENT_CHANNELS,
    EligibilityContext,
    Field,
    Program,
    Reason,
    choices,
    decile_reason,
    fmt_rp,
    required_when,
)
from muba_desk.domain.reference import reference_value

INCOME_SOURCES = choices(
    ("buruh", "Upah buruh", "Labour wages"),
    ("tani_kebun", "Hasil tani / kebun", "Farm or plantation produce"),
    ("dagang", "Berdagang", "Trading"),
    ("kiriman", "Kiriman keluarga", "Family remittances"),
    ("bantuan", "Bantuan sosial", "Social assistance"),
    ("tidak_ada", "Tidak ada penghasilan tetap", "No regular income"),
    ("lainnya", "Lainnya", "Other"),
)

FIELDS = (
    Field(
        "decile_source",
        "choice",
        "Sumber data desil",
        "Source of the welfare decile",
        required=True,
        choices=DECILE_SOURCES,
    ),
    Field(
        "household_size",
        "int",
        "Jumlah anggota rumah tangga",
        "Household size",
        required=True,
        min=1,
        max=30,
        help_id="Menentukan jumlah jiwa yang dibantu.",
        help_en="Decides how many people are covered.",
    ),
    Field(
        "monthly_spending",
        "money",
        "Pengeluaran per bulan",
        "Monthly spending",
        min=0,
        max=100_000_000,
    ),
    Field(
        "income_source",
        "choice",
        "Sumber penghasilan utama",
        "Main income source",
        choices=INCOME_SOURCES,
    ),
    Field(
        "payment_channel",
        "choice",
        "Cara pembayaran",
        "Payment channel",
        required=True,
        choices=PAYMENT_CHANNELS,
    ),
    Field("account_number", "text", "Nomor rekening", "Account number", max_length=30),
    Field("account_holder", "text", "Nama pemilik rekening", "Account holder", max_length=100),
)


def _account_digits(data: dict) -> dict[str, str]:
    number = data.get("account_number")
    if number and not number.replace(" ", "").replace("-", "").isdigit():
        return {"account_number": "Nomor rekening hanya berisi angka."}
    return {}


def monthly_amount(household_size: int, reference: Mapping[str, object] | None) -> tuple[int, int]:
    """(people covered, rupiah per month) for a household of `household_size` people."""
    if household_size < 1:
        raise ValueError(f"household size must be at least 1, not {household_size}")
    rows = reference_value(reference, "BANTU_UMAK.coverage")
    per_person = int(reference_value(reference, "BANTU_UMAK.amount_per_person_month"))
    covered = 0
    # Rows are steps (smallest size, covered): the last row whose size is reached applies.
    for size, people in sorted(tuple(r) for r in rows):  # type: ignore[union-attr]
        if household_size >= size:
            covered = people
    return covered, covered * per_person


def _size(ctx: EligibilityContext) -> int | None:
    size = ctx.data.get("household_size")
    if isinstance(size, int) and not isinstance(size, bool) and size >= 1:
        return size
    return len(ctx.members) or None


def _amount(ctx: EligibilityContext) -> Reason:
    size = _size(ctx)
    if size is None:
        return Reason(
            False,
            "Jumlah anggota rumah tangga belum diisi; besar bantuan tidak dapat dihitung.",
            "Household size missing; the amount cannot be computed.",
            "amount",
        )
    covered, amount = monthly_amount(size, ctx.reference)
    per_person = fmt_rp(int(ctx.ref("BANTU_UMAK.amount_per_person_month")))
    return Reason(
        True,
        f"{size} anggota rumah tangga: {covered} jiwa dibantu × {per_person} = "
        f"{fmt_rp(amount)} per bulan.",
        f"Household of {size}: {covered} people covered × {per_person} = {fmt_rp(amount)} a month.",
        "amount",
    )


PROGRAM = Program(
    code="BANTU_UMAK",
    name="Bantu Umak",
    expansion="Bantuan Tunai Untuk Masyarakat Miskin",
    summary_id="Bantuan tunai bulanan untuk rumah tangga miskin dan miskin ekstrem.",
    summary_en="Monthly cash for poor and extremely poor households.",
    target="person",
    # The largest one hand-over: up to three covered people for a few months per tranche.
    max_handover=10_000_000,
    fields=FIELDS,
    rules=(lambda ctx: decile_reason(ctx, "BANTU_UMAK.max_decile"), _amount),
    checks=(
        required_when(
            lambda d: d.get("payment_channel") not in (None, "tunai"),
            "account_number",
            "account_holder",
        ),
        _account_digits,
    ),
)
