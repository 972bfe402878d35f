"""PKM (Program Keluarga Maju): a grant for a person starting or growing a small business."""

from __future__ import annotations

from muba_desk.domain.programs.base import (
    BUSINESS_TYPES,
    PAYMENT_CHANNELS,
    EligibilityContext,
    Field,
    Program,
    Reason,
    age_reason,
    choices,
    fmt_rp,
    number,
)

STAGES = choices(
    ("rintisan", "Baru mulai", "Starting"),
    ("berjalan", "Sudah berjalan", "Running"),
)

TRAININGS = choices(
    ("kewirausahaan", "Kewirausahaan", "Entrepreneurship"),
    ("pembukuan", "Pembukuan sederhana", "Simple bookkeeping"),
    ("pemasaran_digital", "Pemasaran digital", "Digital marketing"),
    ("keterampilan", "Keterampilan teknis", "Technical skills"),
    ("pengemasan", "Pengemasan dan izin usaha (PIRT, NIB)", "Packaging and permits (PIRT, NIB)"),
)

FIELDS = (
    Field(
        "business_type",
        "choice",
        "Jenis usaha",
        "Business type",
        required=True,
        choices=BUSINESS_TYPES,
    ),
    Field("business_stage", "choice", "Tahap usaha", "Business stage", choices=STAGES),
    Field("business_place", "text", "Tempat usaha", "Business place", max_length=200),
    Field(
        "current_capital",
        "money",
        "Modal saat ini",
        "Current capital",
        min=0,
        max=1_000_000_000,
    ),
    Field(
        "amount_asked",
        "money",
        "Jumlah yang diajukan",
        "Amount asked",
        required=True,
        min=1,
        max=1_000_000_000,
    ),
    Field(
        "amount_granted",
        "money",
        "Jumlah yang diberikan",
        "Amount granted",
        min=0,
        max=1_000_000_000,
        help_id="Diisi setelah diputuskan.",
        help_en="Filled in once decided.",
    ),
    Field(
        "payment_channel",
        "choice",
        "Cara pembayaran",
        "Payment channel",
        choices=PAYMENT_CHANNELS,
    ),
    Field(
        "trainings", "multichoice", "Pelatihan yang diikuti", "Training attended", choices=TRAININGS
    ),
)


def _granted_within_asked(data: dict) -> dict[str, str]:
    asked, granted = data.get("amount_asked"), data.get("amount_granted")
    if asked is not None and granted is not None and granted > asked:
        return {"amount_granted": "Tidak boleh lebih dari jumlah yang diajukan."}
    return {}


def _business(ctx: EligibilityContext) -> Reason:
    kind = ctx.data.get("business_type")
    if not kind:
        return Reason(False, "Jenis usaha belum diisi.", "Business type missing.", "business")
    field = FIELDS[0]
    return Reason(
        True,
        f"Jenis usaha: {field.choice_label(kind)}.",
        f"Business type: {field.choice_label(kind, 'en')}.",
        "business",
    )


def _amount(ctx: EligibilityContext) -> list[Reason]:
    limit = ctx.ref("PKM.max_grant")
    asked, granted = number(ctx.data, "amount_asked"), number(ctx.data, "amount_granted")
    if granted is None:
        # Not decided yet: nothing to refuse, but the office sees the ask against the limit.
        if asked is not None and asked > limit:
            return [
                Reason(
                    True,
                    f"Diajukan {fmt_rp(asked)}, di atas batas {fmt_rp(limit)}; "
                    f"yang diberikan paling banyak {fmt_rp(limit)}.",
                    f"Asked {fmt_rp(asked)}, above the limit of {fmt_rp(limit)}; "
                    f"at most {fmt_rp(limit)} can be granted.",
                    "amount",
                )
            ]
        return []
    reasons = []
    if granted > limit:
        reasons.append(
            Reason(
                False,
                f"Jumlah diberikan {fmt_rp(granted)} melebihi batas {fmt_rp(limit)}.",
                f"Amount granted {fmt_rp(granted)} exceeds the limit of {fmt_rp(limit)}.",
                "amount",
            )
        )
    if asked is not None and granted > asked:
        reasons.append(
            Reason(
                False,
                f"Jumlah diberikan {fmt_rp(granted)} melebihi yang diajukan {fmt_rp(asked)}.",
                f"Amount granted {fmt_rp(granted)} exceeds the {fmt_rp(asked)} asked.",
                "amount",
            )
        )
    if not reasons:
        reasons.append(
            Reason(
                True,
                f"Jumlah diberikan {fmt_rp(granted)} (batas {fmt_rp(limit)}).",
                f"Amount granted {fmt_rp(granted)} (limit {fmt_rp(limit)}).",
                "amount",
            )
        )
    return reasons


PROGRAM = Program(
    code="PKM",
    name="PKM",
    expansion="Program Keluarga Maju",
    summary_id="Bantuan modal untuk memulai atau mengembangkan usaha kecil.",
    summary_en="A grant to start or grow a small business.",
    target="person",
    # The largest one hand-over: one small-business grant (5 juta by the current rule).
    max_handover=10_000_000,
    fields=FIELDS,
    rules=(lambda ctx: age_reason(ctx, "PKM.min_age", None), _business, _amount),
    checks=(_granted_within_asked,),
)
