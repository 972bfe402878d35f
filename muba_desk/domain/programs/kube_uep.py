"""KUBE / UEP: a joint-business grant to a group of poor households, kept as a group asset."""

from __future__ import annotations

from muba_desk.domain.programs.base import (
    BANKS,
    BUSINESS_TYPES,
    OCCUPATIONS,
    EligibilityContext,
    Field,
    Program,
    Reason,
    choices,
    fmt_rp,
    number,
    required_when,
)
from muba_desk.domain.programs.base import age_reason as _age_reason

ROLES = choices(
    ("ketua", "Ketua", "Chair"),
    ("sekretaris", "Sekretaris", "Secretary"),
    ("bendahara", "Bendahara", "Treasurer"),
    ("anggota", "Anggota", "Member"),
)

FIELDS = (
    Field("group_name", "text", "Nama kelompok", "Group name", required=True, max_length=100),
    Field(
        "members",
        "members",
        "Anggota kelompok",
        "Group members",
        required=True,
        choices=ROLES,
        help_id="Satu orang per rumah tangga: satu ketua, satu bendahara, paling banyak satu "
        "sekretaris.",
        help_en="One person per household: one chair, one treasurer, at most one secretary.",
    ),
    Field(
        "business_type",
        "choice",
        "Jenis usaha",
        "Business type",
        required=True,
        choices=BUSINESS_TYPES,
    ),
    Field(
        "business_description",
        "text",
        "Uraian usaha",
        "Business description",
        max_length=500,
    ),
    Field("grant_amount", "money", "Nilai bantuan", "Grant amount", min=0, max=1_000_000_000),
    Field("bank", "choice", "Bank rekening kelompok", "Group account bank", choices=BANKS),
    Field(
        "account_number", "text", "Nomor rekening kelompok", "Group account number", max_length=30
    ),
    Field("formed_on", "date", "Tanggal pembentukan", "Date formed"),
)

ROLE_LIMITS = {"ketua": (1, 1), "bendahara": (1, 1), "sekretaris": (0, 1)}
"""Role -> (fewest, most) members holding it."""


def _roles(data: dict) -> dict[str, str]:
    members = data.get("members")
    if not members:
        return {}
    counts = {role: 0 for role in ROLE_LIMITS}
    for member in members:
        if member["role"] in counts:
            counts[member["role"]] += 1
    problems = []
    for role, (fewest, most) in ROLE_LIMITS.items():
        label = ROLES[[c.value for c in ROLES].index(role)].label_id.lower()
        if counts[role] < fewest:
            problems.append(f"belum ada {label}")
        elif counts[role] > most:
            problems.append(f"{label} lebih dari satu")
    if problems:
        return {"members": "Susunan pengurus: " + ", ".join(problems) + "."}
    return {}


def _people(ctx: EligibilityContext) -> list[dict]:
    """Member people rows: ctx.members, or only those listed in the form when it has a list."""
    listed = ctx.data.get("members")
    if not isinstance(listed, list | tuple) or not listed:
        return list(ctx.members)
    ids = {m.get("person_id") for m in listed if isinstance(m, dict)}
    return [p for p in ctx.members if p.get("id") in ids]


def _count(ctx: EligibilityContext) -> Reason:
    listed = ctx.data.get("members")
    n = len(listed) if isinstance(listed, list | tuple) else len(ctx.members)
    low, high = ctx.ref("KUBE_UEP.min_members"), ctx.ref("KUBE_UEP.max_members")
    advised = ctx.ref("KUBE_UEP.advised_members")
    if not low <= n <= high:
        return Reason(
            False,
            f"Kelompok beranggota {n} orang; harus {low}–{high} orang (dianjurkan {advised}).",
            f"The group has {n} members; it needs {low}–{high} (advised {advised}).",
            "members",
        )
    note_id = "" if n == advised else f" (dianjurkan {advised})"
    note_en = "" if n == advised else f" (advised {advised})"
    return Reason(
        True,
        f"Kelompok beranggota {n} orang, dalam batas {low}–{high}{note_id}.",
        f"The group has {n} members, within {low}–{high}{note_en}.",
        "members",
    )


def _ages(ctx: EligibilityContext) -> list[Reason]:
    people = _people(ctx)
    failed = [
        r
        for person in people
        if not (r := _age_reason(ctx, "KUBE_UEP.min_age", "KUBE_UEP.max_age", person=person)).ok
    ]
    listed = ctx.data.get("members")
    if isinstance(listed, list | tuple):
        # A listed member whose person row was not supplied cannot be checked: say so.
        known = {p.get("id") for p in people}
        unknown = [
            str(m.get("person_id"))
            for m in listed
            if isinstance(m, dict) and m.get("person_id") not in known
        ]
        if unknown:
            failed.append(
                Reason(
                    False,
                    "Data orang tidak ditemukan untuk anggota: " + ", ".join(unknown) + ".",
                    "No person record for members: " + ", ".join(unknown) + ".",
                    "age",
                )
            )
    if failed:
        return failed
    low, high = ctx.ref("KUBE_UEP.min_age"), ctx.ref("KUBE_UEP.max_age")
    return [
        Reason(
            True,
            f"Semua anggota berumur {low}–{high} tahun.",
            f"All members are aged {low}–{high}.",
            "age",
        )
    ]


def _households(ctx: EligibilityContext) -> Reason:
    seen: dict[str, str] = {}
    clashes: list[str] = []
    missing: list[str] = []
    for person in _people(ctx):
        name = person.get("name") or person.get("id") or "?"
        household = ctx.household_of(person)
        if not household:
            missing.append(name)
        elif household in seen:
            clashes.append(f"{seen[household]} dan {name}")
        else:
            seen[household] = name
    if clashes:
        return Reason(
            False,
            "Anggota harus dari rumah tangga berbeda; serumah: " + "; ".join(clashes) + ".",
            "Members must come from different households; same household: "
            + "; ".join(c.replace(" dan ", " and ") for c in clashes)
            + ".",
            "households",
        )
    if missing:
        return Reason(
            False,
            "Rumah tangga belum tercatat untuk: " + ", ".join(missing) + ".",
            "Household not recorded for: " + ", ".join(missing) + ".",
            "households",
        )
    return Reason(
        True,
        "Setiap anggota dari rumah tangga berbeda.",
        "Every member comes from a different household.",
        "households",
    )


def _occupations(ctx: EligibilityContext) -> Reason:
    excluded = tuple(ctx.ref("KUBE_UEP.excluded_occupations"))  # type: ignore[arg-type]
    labels = {c.value: c for c in OCCUPATIONS}
    found = [
        (person.get("name") or person.get("id") or "?", labels.get(person.get("occupation")))
        for person in _people(ctx)
        if person.get("occupation") in excluded
    ]
    if found:
        return Reason(
            False,
            "Anggota tidak boleh ASN/TNI/Polri: "
            + ", ".join(f"{n} ({c.label_id if c else '?'})" for n, c in found)
            + ".",
            "Members may not be civil servants, military or police: "
            + ", ".join(f"{n} ({c.label_en if c else '?'})" for n, c in found)
            + ".",
            "occupation",
        )
    return Reason(
        True,
        "Tidak ada anggota ASN/TNI/Polri.",
        "No civil servants, military or police among the members.",
        "occupation",
    )


def _grant(ctx: EligibilityContext) -> Reason | None:
    amount = number(ctx.data, "grant_amount")
    if amount is None:
        return None
    limit = ctx.ref("KUBE_UEP.max_grant")
    if amount > limit:
        return Reason(
            False,
            f"Nilai bantuan {fmt_rp(amount)} melebihi batas {fmt_rp(limit)} per kelompok.",
            f"Grant {fmt_rp(amount)} exceeds the limit of {fmt_rp(limit)} per group.",
            "grant",
        )
    return Reason(
        True,
        f"Nilai bantuan {fmt_rp(amount)} (batas {fmt_rp(limit)}).",
        f"Grant {fmt_rp(amount)} (limit {fmt_rp(limit)}).",
        "grant",
    )


PROGRAM = Program(
    code="KUBE_UEP",
    name="KUBE / UEP",
    expansion="Kelompok Usaha Bersama / Usaha Ekonomi Produktif",
    summary_id="Modal usaha bersama untuk kelompok rumah tangga miskin; menjadi aset kelompok.",
    summary_en="Joint-business capital for a group of poor households; it stays a group asset.",
    target="group",
    # The largest one hand-over: a group's whole grant at once (20 juta by the 2024 rule).
    max_handover=50_000_000,
    fields=FIELDS,
    rules=(_count, _ages, _households, _occupations, _grant),
    checks=(_roles, required_when(lambda d: bool(d.get("bank")), "account_number")),
)
