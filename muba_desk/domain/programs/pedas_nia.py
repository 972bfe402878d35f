"""Pedas Nia: cash or goods for people with disabilities and for the elderly."""

from __future__ import annotations

from muba_desk.domain.programs.base import (
    DISABILITY_TYPES,
    RELATIONS,
    EligibilityContext,
    Field,
    Program,
    Reason,
    choices,
    disabilities,
    required_when,
)

SEVERITIES = choices(
    ("ringan", "Ringan", "Mild"),
    ("sedang", "Sedang", "Moderate"),
    ("berat", "Berat", "Severe"),
)

DEVICES = choices(
    ("kursi_roda", "Kursi roda", "Wheelchair"),
    ("tongkat", "Tongkat", "Walking stick"),
    ("kruk", "Kruk", "Crutches"),
    ("walker", "Alat bantu jalan (walker)", "Walking frame"),
    ("alat_bantu_dengar", "Alat bantu dengar", "Hearing aid"),
    ("tongkat_netra", "Tongkat netra", "White cane"),
    ("kacamata", "Kacamata", "Glasses"),
    ("kaki_palsu", "Kaki / tangan palsu", "Prosthetic limb"),
    ("lainnya", "Lainnya", "Other"),
)

AID_FORMS = choices(
    ("tunai", "Tunai", "Cash"),
    ("barang", "Barang (alat bantu, sembako)", "Goods (devices, food)"),
    ("tunai_barang", "Tunai dan barang", "Cash and goods"),
)

FIELDS = (
    Field(
        "disability_types",
        "multichoice",
        "Jenis disabilitas",
        "Disability types",
        choices=DISABILITY_TYPES,
        help_id="Menurut UU 8/2016. Kosongkan bila tidak ada.",
        help_en="As in Law 8/2016. Leave empty if none.",
    ),
    Field("severity", "choice", "Tingkat keparahan", "Severity", choices=SEVERITIES),
    Field("caregiver_name", "text", "Nama pendamping / perawat", "Caregiver", max_length=100),
    Field(
        "caregiver_relation",
        "choice",
        "Hubungan pendamping",
        "Caregiver's relation",
        choices=RELATIONS,
    ),
    Field(
        "assistive_devices",
        "multichoice",
        "Alat bantu yang dibutuhkan",
        "Assistive devices needed",
        choices=DEVICES,
    ),
    Field("lives_alone", "bool", "Tinggal sendiri", "Lives alone"),
    Field("aid_form", "choice", "Bentuk bantuan", "Form of aid", required=True, choices=AID_FORMS),
)


def _basis(ctx: EligibilityContext) -> Reason:
    min_age = ctx.ref("PEDAS_NIA.min_age")
    age = ctx.age()
    # The form's own list wins; the person row's list is the fallback for a fresh enrolment.
    kinds = list(ctx.data.get("disability_types") or ()) or disabilities(ctx.person)
    field = FIELDS[0]
    found_id: list[str] = []
    found_en: list[str] = []
    if age is not None and age >= min_age:
        found_id.append(f"lanjut usia ({age} tahun, batas {min_age} tahun)")
        found_en.append(f"elderly (age {age}, limit {min_age})")
    if kinds:
        found_id.append(
            "penyandang disabilitas: " + ", ".join(field.choice_label(k) for k in kinds)
        )
        found_en.append("disability: " + ", ".join(field.choice_label(k, "en") for k in kinds))
    if found_id:
        return Reason(
            True,
            "Memenuhi syarat sebagai " + " dan ".join(found_id) + ".",
            "Qualifies as " + " and ".join(found_en) + ".",
            "basis",
        )
    if age is None:
        return Reason(
            False,
            f"Tanggal lahir belum diisi dan tidak tercatat disabilitas; syaratnya umur "
            f"{min_age} tahun ke atas atau penyandang disabilitas.",
            f"Birth date missing and no disability recorded; the program needs age "
            f"{min_age} or over, or a disability.",
            "basis",
        )
    return Reason(
        False,
        f"Umur {age} tahun, belum {min_age} tahun, dan tidak tercatat disabilitas.",
        f"Age {age}, under {min_age}, and no disability recorded.",
        "basis",
    )


PROGRAM = Program(
    code="PEDAS_NIA",
    name="Pedas Nia",
    expansion="Peduli Disabilitas Lansia",
    summary_id="Bantuan tunai atau barang untuk penyandang disabilitas dan lanjut usia.",
    summary_en="Cash or goods for people with disabilities and the elderly.",
    target="person",
    # The largest one hand-over: an allowance of 600 ribu a month, paid for a few months at a time.
    max_handover=10_000_000,
    fields=FIELDS,
    rules=(_basis,),
    checks=(required_when(lambda d: bool(d.get("disability_types")), "severity"),),
)
