"""Reference data (amounts, quotas, limits, forbidden pairs) and the defaults used without it.

Headquarters changes these every budget year and sends them down in return bundles as a flat
dict with the same keys; a rule always asks `reference_value(reference, key)` so that a value
from the office wins and a laptop that never synced still has a sensible figure.
"""

from __future__ import annotations

from collections.abc import Mapping

DEFAULTS: dict[str, object] = {
    # Pake Kelambu: BPJS Ketenagakerjaan cover for informal workers, paid by the regency.
    "PAKE_KELAMBU.min_age": 18,
    "PAKE_KELAMBU.max_age": 60,
    "PAKE_KELAMBU.max_decile": 3,
    "PAKE_KELAMBU.occupations": (
        "penyadap_karet",
        "nelayan",
        "petani",
        "pekebun",
        "buruh_tani",
        "buruh_harian",
        "pedagang_kecil",
        "pekerja_keagamaan",
    ),
    "PAKE_KELAMBU.quota": 45_000,
    # The regency's BPJS Ketenagakerjaan premium (JKK + JKM) per worker per month, in rupiah
    # (LISTS.md: about Rp 16.800 elsewhere); the office sets the figure BPJS bills.
    "PAKE_KELAMBU.premium_month": 16_800,
    # Bantu Umak: cash per covered person per month. Coverage rows are (smallest household
    # size, people covered), read as steps (2023 rule: 1 -> 1, 2-7 -> 2, 8 and more -> 3).
    "BANTU_UMAK.max_decile": 2,
    "BANTU_UMAK.amount_per_person_month": 325_000,
    "BANTU_UMAK.coverage": ((1, 1), (2, 2), (8, 3)),
    "BANTU_UMAK.quota": 0,
    # Pedas Nia: elderly from this age, or any disability.
    "PEDAS_NIA.min_age": 60,
    "PEDAS_NIA.quota": 0,
    # Bertani: national RTLH criteria; the material lists are choice values of the Bertani form.
    "BERTANI.min_area_per_person": 7.2,
    "BERTANI.aid_gap_years": 5,
    "BERTANI.budget_per_house": 20_000_000,
    "BERTANI.fragile_roof": ("rumbia_daun", "terpal_plastik"),
    "BERTANI.fragile_wall": ("bambu", "triplek", "terpal_plastik"),
    "BERTANI.poor_floor": ("tanah", "papan_kayu", "bambu"),
    "BERTANI.damaged_conditions": ("rusak_sedang", "rusak_berat"),
    "BERTANI.quota": 0,
    # KUBE / UEP: national group rules; 10 households is the advice, 5-20 the limit.
    "KUBE_UEP.min_members": 5,
    "KUBE_UEP.max_members": 20,
    "KUBE_UEP.advised_members": 10,
    "KUBE_UEP.min_age": 18,
    "KUBE_UEP.max_age": 59,
    "KUBE_UEP.excluded_occupations": ("pns", "tni_polri"),
    "KUBE_UEP.max_grant": 20_000_000,
    "KUBE_UEP.quota": 0,
    # Bakul Nasi: meals for the elderly alone or neglected, and for children in orphanages.
    "BAKUL_NASI.min_age": 60,
    "BAKUL_NASI.max_child_age": 17,
    "BAKUL_NASI.institution_kinds": ("panti_asuhan",),
    "BAKUL_NASI.quota": 0,
    # PKM: small business grants.
    "PKM.min_age": 18,
    "PKM.max_grant": 5_000_000,
    "PKM.quota": 0,
    # Pairs of programs one household may not hold in overlapping periods (order does not
    # matter; a program paired with itself means "not twice for one household at a time").
    "forbidden_pairs": (("BANTU_UMAK", "PEDAS_NIA"), ("BANTU_UMAK", "BANTU_UMAK")),
    # Receipts of MORE than this amount need a duty stamp (UU 10/2020 on Bea Meterai, art. 3).
    "receipt.meterai_threshold": 5_000_000,
    "receipt.meterai_amount": 10_000,
}
"""Every known key with its default. A quota of 0 means the office has not set one."""


def reference_value(reference: Mapping[str, object] | None, key: str) -> object:
    """The office's value for `key` if it sent one, else the default; KeyError for unknown keys."""
    if reference and key in reference:
        return reference[key]
    try:
        return DEFAULTS[key]
    except KeyError:
        raise KeyError(f"unknown reference key {key!r}: add it to reference.DEFAULTS") from None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate_reference(reference: Mapping[str, object]) -> dict[str, str]:
    """Key -> Indonesian error for values whose shape does not match the default's; {} if fine.

    Used when the office edits reference data and when a return bundle brings it, so that a
    typo there cannot make every rule on every laptop crash.
    """
    errors: dict[str, str] = {}
    for key, value in reference.items():
        if key not in DEFAULTS:
            errors[key] = "Kunci data acuan tidak dikenal."
            continue
        default = DEFAULTS[key]
        if isinstance(default, bool):
            ok = isinstance(value, bool)
        elif isinstance(default, int):
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        elif isinstance(default, float):
            ok = _is_number(value) and value >= 0
        elif isinstance(default, tuple):
            ok = isinstance(value, list | tuple)
        else:
            ok = isinstance(value, type(default))
        if not ok:
            errors[key] = f"Bentuk nilai tidak sesuai (contoh yang benar: {default!r})."
    if "BANTU_UMAK.coverage" in reference and "BANTU_UMAK.coverage" not in errors:
        message = _coverage_error(reference["BANTU_UMAK.coverage"])
        if message:
            errors["BANTU_UMAK.coverage"] = message
    if "forbidden_pairs" in reference and "forbidden_pairs" not in errors:
        pairs = reference["forbidden_pairs"]
        if not all(
            isinstance(p, list | tuple) and len(p) == 2 and all(isinstance(c, str) for c in p)
            for p in pairs  # type: ignore[union-attr]
        ):
            errors["forbidden_pairs"] = "Setiap pasangan harus berisi dua kode program."
    return errors


def _coverage_error(rows: object) -> str:
    """'' if `rows` is a usable coverage table: (size, covered) pairs rising from size 1."""
    message = "Tabel cakupan harus berupa baris (ukuran rumah tangga, jumlah jiwa), mulai dari 1."
    if not isinstance(rows, list | tuple) or not rows:
        return message
    for row in rows:
        if not (isinstance(row, list | tuple) and len(row) == 2):
            return message
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in row):
            return message
    sizes = [row[0] for row in rows]
    if sizes[0] != 1 or sizes != sorted(set(sizes)):
        return message
    return ""
