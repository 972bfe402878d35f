"""Pake Kelambu: BPJS Ketenagakerjaan cover (JKK + JKM) for informal workers in vulnerable jobs."""

from __future__ import annotations

from muba_desk.domain.programs.base import (
    OCCUPATIONS,
    RELATIONS,
    EligibilityContext,
    Field,
    Program,
    Reason,
    age_reason,
    choices,
    dates_in_order,
    decile_reason,
)

COVERS = choices(
    ("jkk", "Jaminan Kecelakaan Kerja (JKK)", "Work accident cover (JKK)"),
    ("jkm", "Jaminan Kematian (JKM)", "Death cover (JKM)"),
)

FIELDS = (
    Field(
        "occupation",
        "choice",
        "Pekerjaan",
        "Occupation",
        required=True,
        choices=OCCUPATIONS,
        help_id="Pekerjaan utama yang dijamin.",
        help_en="The main work being insured.",
    ),
    Field(
        "monthly_income",
        "money",
        "Penghasilan per bulan (pengakuan)",
        "Declared monthly income",
        required=True,
        min=0,
        max=100_000_000,
    ),
    Field(
        "cover",
        "multichoice",
        "Jaminan",
        "Cover",
        required=True,
        choices=COVERS,
    ),
    Field(
        "bpjs_number",
        "text",
        "Nomor kepesertaan BPJS Ketenagakerjaan",
        "BPJS Ketenagakerjaan membership number",
        max_length=20,
        help_id="Diisi setelah kartu terbit.",
        help_en="Filled in once the card is issued.",
    ),
    Field("cover_start", "date", "Mulai perlindungan", "Cover starts"),
    Field("cover_end", "date", "Akhir perlindungan", "Cover ends"),
    Field("heir_name", "text", "Nama ahli waris", "Heir's name", required=True, max_length=100),
    Field(
        "heir_relation",
        "choice",
        "Hubungan ahli waris",
        "Heir's relation",
        required=True,
        choices=RELATIONS,
    ),
)


def _occupation(ctx: EligibilityContext) -> Reason:
    allowed = tuple(ctx.ref("PAKE_KELAMBU.occupations"))  # type: ignore[arg-type]
    value = ctx.data.get("occupation") or (ctx.person or {}).get("occupation")
    field = FIELDS[0]
    if not value:
        return Reason(False, "Pekerjaan belum diisi.", "Occupation missing.", "occupation")
    label_id, label_en = field.choice_label(value, "id"), field.choice_label(value, "en")
    if value in allowed:
        return Reason(
            True,
            f"Pekerjaan rentan: {label_id}.",
            f"Vulnerable occupation: {label_en}.",
            "occupation",
        )
    return Reason(
        False,
        f"Pekerjaan {label_id} tidak termasuk pekerjaan rentan yang dijamin.",
        f"Occupation {label_en} is not one of the vulnerable jobs covered.",
        "occupation",
    )


PROGRAM = Program(
    code="PAKE_KELAMBU",
    name="Pake Kelambu",
    expansion="Perlindungan Ketenagakerjaan, Keluarga Aman Terbantu",
    summary_id=(
        "Iuran BPJS Ketenagakerjaan (JKK dan JKM) dibayar Pemkab untuk pekerja informal rentan."
    ),
    summary_en=(
        "The regency pays BPJS Ketenagakerjaan premiums (work accident and death cover) "
        "for vulnerable informal workers."
    ),
    target="person",
    # The largest one hand-over: a year of premiums, if ever paid out in cash.
    max_handover=5_000_000,
    fields=FIELDS,
    rules=(
        lambda ctx: age_reason(ctx, "PAKE_KELAMBU.min_age", "PAKE_KELAMBU.max_age"),
        _occupation,
        lambda ctx: decile_reason(ctx, "PAKE_KELAMBU.max_decile"),
    ),
    checks=(
        dates_in_order(
            "cover_start", "cover_end", "Akhir perlindungan tidak boleh sebelum mulainya."
        ),
    ),
)
