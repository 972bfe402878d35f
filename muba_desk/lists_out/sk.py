"""What an SK's attachment lists: one row per enrolment it sets, grouped by district and village,
with the amount where the program pays money. Read by the PDF, the XLSX, the window and the
command line alike (helper `payouts` reads `sk_rows` for lists built on a decision).

Reads only; the SK itself is written by `core.operations.make_sk` / `add_to_sk`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from muba_desk.domain.programs.bantu_umak import monthly_amount
from muba_desk.domain.reference import DEFAULTS
from muba_desk.store import records
from muba_desk.store.sk import Sk, find_sk, list_sks, settable, sks_of_enrolment  # noqa: F401

# The column of money an SK's program pays, by program; programs not named pay in kind or in
# premiums (Pake Kelambu: the regency pays BPJS), so their attachment has no amount column.
AMOUNT_HEADERS = {
    "BANTU_UMAK": "Jumlah per Bulan (Rp)",
    "BERTANI": "Anggaran (Rp)",
    "KUBE_UEP": "Nilai Bantuan (Rp)",
    "PKM": "Jumlah Diberikan (Rp)",
}


@dataclass(frozen=True, slots=True)
class SkRow:
    nik: str
    kk: str
    name: str
    birth_place: str
    birth_date: str
    address: str
    village: str
    district: str
    amount: int | None
    enrolment_id: str


@dataclass
class Attachment:
    """An SK with its rows in print order (district, village, name) and their totals."""

    sk: Sk
    rows: list[SkRow]
    pays_money: bool
    amount_header: str | None
    by_village: dict[tuple[str, str], int] = field(default_factory=dict)
    by_district: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(r.amount or 0 for r in self.rows)


@contextmanager
def without_gc() -> Iterator[None]:
    """The cycle collector paused while a long list is built: its rows and layout make no
    cycles, and for 45,000 rows the collector would otherwise rescan hundreds of thousands of
    live objects again and again. Restored afterwards as it was."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def pays_money(program: str) -> bool:
    return program in AMOUNT_HEADERS


def _reference(db, period: str) -> dict:
    """Reference data with the SK's budget year's values over the plain ones
    (`"{year}.{PROGRAM}.{field}"` keys, office/decisions.py)."""
    ref = {**DEFAULTS, **records.reference(db)}
    prefix = f"{period}."
    for key, value in list(ref.items()):
        if key.startswith(prefix):
            ref[key[len(prefix) :]] = value
    return ref


# Where in an enrolment's data its amount (or what it is computed from) is kept, by program.
AMOUNT_KEYS = {
    "BANTU_UMAK": "$.household_size",
    "BERTANI": "$.budget",
    "KUBE_UEP": "$.grant_amount",
    "PKM": "$.amount_granted",
}


def _whole(value) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _amount(program: str, value, members: int | None, ref: dict) -> int | None:
    """The rupiah an enrolment receives under the SK, from its stored value (AMOUNT_KEYS)."""
    if program == "BANTU_UMAK":
        size = _whole(value)
        size = size if size and size >= 1 else members
        return monthly_amount(size, ref)[1] if size else None
    if program == "BERTANI":
        budget = _whole(value)
        return budget if budget is not None else int(ref["BERTANI.budget_per_house"])
    return _whole(value)


def _address(address: str | None, rt: str | None, rw: str | None) -> str:
    base = address.strip() if address else ""
    if rt or rw:
        place = f"RT {rt or '-'}/RW {rw or '-'}"
        return f"{base}, {place}" if base else place
    return base or "-"


ROWS_SQL = """
    SELECT e.id, CASE WHEN ? IS NOT NULL THEN json_extract(e.data, ?) END,
           coalesce(p.name, g.name, i.name, ''), coalesce(p.nik, ''),
           coalesce(h.kk_number, ''), coalesce(p.birth_place, ''), coalesce(p.birth_date, ''),
           coalesce(h.address, i.address), h.rt, h.rw,
           coalesce(h.village_code, i.village_code, g.village_code),
           CASE WHEN ? AND json_extract(e.data, '$.household_size') IS NULL
                THEN (SELECT count(*) FROM person m
                             WHERE m.household_id = h.id AND m.deleted_at IS NULL) END
    FROM sk_enrolment l
    JOIN enrolment e ON e.id = l.enrolment_id
    LEFT JOIN person p ON p.id = e.person_id
    LEFT JOIN grp g ON g.id = e.grp_id
    LEFT JOIN institution i ON i.id = e.institution_id
    LEFT JOIN household h ON h.id = coalesce(e.household_id, p.household_id)
    WHERE l.sk_id = ?
"""


def attachment(db, sk: Sk) -> Attachment:
    """The SK's rows in print order with subtotals per village and district."""
    with without_gc():
        return _attachment(db, sk)


def _attachment(db, sk: Sk) -> Attachment:
    ref = _reference(db, sk.period)
    money = pays_money(sk.program)
    rows = []
    amounts: dict = {}  # the same stored value gives the same amount: computed once
    key = AMOUNT_KEYS.get(sk.program)
    # Village and district names from one read of the 242 villages, not two lookups a row.
    places = {
        code: (village, district)
        for code, village, district in db.conn.execute(
            "SELECT v.code, v.name, coalesce(d.name, '') FROM area_village v "
            "LEFT JOIN area_district d ON d.code = v.district_code"
        )
    }
    # Household members are counted only where the amount depends on them (Bantu Umak
    # without a household size typed).
    params = (key, key, sk.program == "BANTU_UMAK", sk.id)
    for values in db.conn.execute(ROWS_SQL, params):
        (eid, value, name, nik, kk, place, born, address, rt, rw, code, members) = values
        village, district = places.get(code, ("", ""))
        amount = None
        if money:
            if (value, members) not in amounts:
                amounts[(value, members)] = _amount(sk.program, value, members, ref)
            amount = amounts[(value, members)]
        rows.append(
            SkRow(
                nik,
                kk,
                name,
                place,
                born,
                _address(address, rt, rw),
                village,
                district,
                amount,
                eid,
            )
        )
    rows.sort(key=lambda r: (r.district, r.village, r.name.casefold(), r.nik))
    out = Attachment(sk, rows, money, AMOUNT_HEADERS.get(sk.program))
    for r in rows:
        key = (r.district, r.village)
        out.by_village[key] = out.by_village.get(key, 0) + (r.amount or 0)
        out.by_district[r.district] = out.by_district.get(r.district, 0) + (r.amount or 0)
    return out


def attachment_of(db, number: str) -> Attachment | None:
    """The attachment of the SK numbered `number`, or None if there is no such SK."""
    sk = find_sk(db, number)
    return attachment(db, sk) if sk else None
