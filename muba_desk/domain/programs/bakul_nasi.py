"""Bakul Nasi: meals for elderly people living alone or neglected, and for orphanage children."""

from __future__ import annotations

from muba_desk.domain.programs.base import (
    EligibilityContext,
    Field,
    Program,
    Reason,
    choices,
)

PERIODS = choices(
    ("mingguan", "Mingguan", "Weekly"),
    ("bulanan", "Bulanan", "Monthly"),
)

FIELDS = (
    Field(
        "meals_per_day",
        "int",
        "Makan per hari",
        "Meals per day",
        required=True,
        min=1,
        max=3,
    ),
    Field(
        "delivery_period",
        "choice",
        "Periode pengantaran",
        "Delivery period",
        required=True,
        choices=PERIODS,
    ),
    Field(
        "days_per_period",
        "int",
        "Hari per periode",
        "Days per period",
        required=True,
        min=1,
        max=31,
        help_id="Jumlah hari makan yang diantar dalam satu periode (tanda terima: makan × hari).",
        help_en="Days of meals delivered per period (receipt: meals × days).",
    ),
    Field(
        "delivery_address",
        "text",
        "Alamat pengantaran",
        "Delivery address",
        max_length=200,
        help_id="Untuk lansia; kosongkan bila sama dengan alamat rumah tangga.",
        help_en="For an elderly person; leave empty if it is the household address.",
    ),
    Field("lives_alone", "bool", "Tinggal sendiri", "Lives alone"),
    Field("neglected", "bool", "Terlantar", "Neglected"),
    Field(
        "children",
        "children",
        "Daftar anak panti",
        "Children in the orphanage",
        help_id="Untuk panti asuhan: anak yang menerima makanan.",
        help_en="For an orphanage: the children receiving meals.",
    ),
)


def _elderly(ctx: EligibilityContext) -> list[Reason]:
    min_age = ctx.ref("BAKUL_NASI.min_age")
    age = ctx.age()
    reasons = []
    if age is None:
        reasons.append(
            Reason(
                False,
                f"Tanggal lahir belum diisi; syaratnya umur {min_age} tahun ke atas.",
                f"Birth date missing; the program needs age {min_age} or over.",
                "age",
            )
        )
    elif age < min_age:
        reasons.append(
            Reason(
                False,
                f"Umur {age} tahun, belum {min_age} tahun.",
                f"Age {age}, under {min_age}.",
                "age",
            )
        )
    else:
        reasons.append(
            Reason(
                True,
                f"Lanjut usia: umur {age} tahun.",
                f"Elderly: age {age}.",
                "age",
            )
        )
    # Living alone may be answered on the form or follow from a one-person household.
    alone = ctx.data.get("lives_alone")
    if alone is None and ctx.members:
        alone = len(ctx.members) == 1
    neglected = ctx.data.get("neglected") is True
    if alone or neglected:
        text_id = " dan ".join(
            t for t, on in (("tinggal sendiri", alone), ("terlantar", neglected)) if on
        )
        text_en = " and ".join(
            t for t, on in (("lives alone", alone), ("neglected", neglected)) if on
        )
        reasons.append(
            Reason(True, f"{text_id.capitalize()}.", f"{text_en.capitalize()}.", "alone")
        )
    else:
        reasons.append(
            Reason(
                False,
                "Tidak tinggal sendiri dan tidak terlantar.",
                "Neither living alone nor neglected.",
                "alone",
            )
        )
    return reasons


def _orphanage(ctx: EligibilityContext) -> list[Reason]:
    inst = ctx.institution or {}
    name = inst.get("name") or "Lembaga"
    kinds = tuple(ctx.ref("BAKUL_NASI.institution_kinds"))  # type: ignore[arg-type]
    reasons = []
    if inst.get("kind") in kinds:
        reasons.append(Reason(True, f"{name}: panti asuhan.", f"{name}: an orphanage.", "kind"))
    else:
        reasons.append(
            Reason(
                False,
                f"{name} bukan panti asuhan.",
                f"{name} is not an orphanage.",
                "kind",
            )
        )
    licence = (inst.get("licence_no") or "").strip()
    if licence:
        reasons.append(
            Reason(True, f"Izin operasional {licence}.", f"Licence {licence}.", "licence")
        )
    else:
        reasons.append(
            Reason(
                False,
                "Nomor izin operasional panti belum diisi.",
                "The orphanage's licence number is missing.",
                "licence",
            )
        )
    children = ctx.data.get("children")
    n = len(children) if isinstance(children, list | tuple) else 0
    if n:
        reasons.append(Reason(True, f"{n} anak terdaftar.", f"{n} children listed.", "children"))
    else:
        reasons.append(
            Reason(
                False,
                "Belum ada anak yang didaftarkan.",
                "No children listed yet.",
                "children",
            )
        )
    # When the store supplies the children's rows, adults among them are named.
    max_age = ctx.ref("BAKUL_NASI.max_child_age")
    listed = set(children) if isinstance(children, list | tuple) else set()
    adults = [
        f"{p.get('name') or p.get('id')} ({age} tahun)"
        for p in ctx.members
        if p.get("id") in listed and (age := ctx.age(p)) is not None and age > max_age
    ]
    if adults:
        reasons.append(
            Reason(
                False,
                f"Bukan anak (di atas {max_age} tahun): " + ", ".join(adults) + ".",
                f"Not children (over {max_age}): "
                + ", ".join(a.replace("tahun", "years") for a in adults)
                + ".",
                "children",
            )
        )
    return reasons


def _rules(ctx: EligibilityContext) -> list[Reason]:
    # An institution is chosen: the orphanage rules; otherwise the elderly person's.
    return _orphanage(ctx) if ctx.institution else _elderly(ctx)


PROGRAM = Program(
    code="BAKUL_NASI",
    name="Bakul Nasi",
    expansion="Bantuan Permakanan untuk Lansia dan Anak Panti",
    summary_id="Makanan siap santap bagi lansia yang hidup sendiri atau terlantar, dan anak panti.",
    summary_en="Ready meals for elderly people living alone or neglected, and orphanage children.",
    target="person_or_institution",
    # The largest one hand-over: meals for a month or a term, bought in bulk for an orphanage.
    max_handover=10_000_000,
    fields=FIELDS,
    rules=(_rules,),
)
