"""The registry in the users' words: households, people, enrolments, hand-overs and photos.

Each function takes a `Registry` (which knows the operator and the device) and must be called
inside `registry.transaction()`, so a whole registration commits or rolls back as one.
"""

from __future__ import annotations

import json
from datetime import date

from muba_desk.domain.numbers import card_number, receipt_number
from muba_desk.domain.status import (
    HANDOVER_ALLOWED,
    LAPTOP_SIDES,
    OFFICE_SIDES,
    InvalidTransition,
    Side,
    Status,
    check_transition,
)
from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.store.kind import LAPTOP, OFFICE, registry_kind
from muba_desk.store.registry import Registry, get_setting

DEFAULT_DEVICE_CODE = "L00"


def device_code(reg: Registry) -> str:
    """The laptop's short code (L07) for human numbers; L00 until the office provisions it."""
    return get_setting(reg.db, "device_code", DEFAULT_DEVICE_CODE)


def next_serial(reg: Registry, name: str) -> int:
    return reserve_serials(reg, name, 1)[0]


def reserve_serials(reg: Registry, name: str, count: int) -> range:
    """The next `count` serials of counter `name`, as `count` calls of `next_serial` give them."""
    reg._require_transaction()
    if count < 1:
        return range(0)
    reg.conn.execute(
        "INSERT INTO counter (name, value) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
        (name, count),
    )
    last = reg.conn.execute("SELECT value FROM counter WHERE name = ?", (name,)).fetchone()[0]
    return range(last - count + 1, last + 1)


def add_household(reg: Registry, *, village_code: str, **fields) -> dict:
    return reg.insert("household", {"village_code": village_code, **fields})


def add_households(reg: Registry, households: list[dict]) -> list[dict]:
    """`add_household` for many, in order (each dict holds its keyword arguments)."""
    for values in households:
        if not values.get("village_code"):
            raise TypeError("add_households: every household needs its village_code")
    return reg.insert_many("household", households)


def add_person(reg: Registry, *, name: str, sex: str, **fields) -> dict:
    """A person; the first one added with relation 'kepala' becomes the household head."""
    return add_people(reg, [{"name": name, "sex": sex, **fields}])[0][0]


def add_people(reg: Registry, people: list[dict]) -> tuple[list[dict], list[dict]]:
    """`add_person` for many, in order: (the people, the households that got their head). A
    household whose row already names its head (an import that knew the head's id in advance)
    is left as it is; one without gets its first 'kepala' of these."""
    rows = (
        reg.insert_many("person", people) if len(people) != 1 else [reg.insert("person", people[0])]
    )
    heads: dict[str, str] = {}
    for row in rows:
        household_id = row.get("household_id")
        if household_id and row.get("relation") == "kepala":
            heads.setdefault(household_id, row["id"])
    if not heads:
        return rows, []
    current = reg.get_many("household", heads)
    updates = [
        (household, {"head_person_id": heads[household_id]})
        for household_id, household in current.items()
        if not household["head_person_id"]
    ]
    return rows, reg.update_many("household", updates) if updates else []


def add_institution(reg: Registry, *, name: str, **fields) -> dict:
    return reg.insert("institution", {"name": name, **fields})


def add_group(reg: Registry, *, name: str, program: str, members, **fields) -> dict:
    """A KUBE group and its members: `members` is a list of (person_id, role)."""
    group = reg.insert("grp", {"name": name, "program": program, **fields})
    for person_id, role in members:
        reg.insert("grp_member", {"grp_id": group["id"], "person_id": person_id, "role": role})
    return group


def enrol(
    reg: Registry,
    *,
    program: str,
    data: dict,
    person_id: str | None = None,
    household_id: str | None = None,
    grp_id: str | None = None,
    institution_id: str | None = None,
    period_start: str | None = None,
    period_end: str | None = None,
    village_code: str | None = None,
) -> dict:
    """A new enrolment in Draf, with its first history entry and, when the village is known,
    a card number that carries the laptop."""
    spec = {
        "program": program,
        "data": data,
        "person_id": person_id,
        "household_id": household_id,
        "grp_id": grp_id,
        "institution_id": institution_id,
        "period_start": period_start,
        "period_end": period_end,
        "village_code": village_code,
    }
    return enrol_many(reg, [spec])[0]


def enrol_many(reg: Registry, enrolments: list[dict], *, at: list[str] | None = None) -> list[dict]:
    """`enrol` for many at once (each dict holds `enrol`'s keyword arguments), for bulk writers:
    the same rows and card numbers, in order, written with a few statements. `at`: when each
    was registered, see `Registry.insert_many`."""
    specs = [dict(spec) for spec in enrolments]
    for spec in specs:
        if spec.get("person_id") and spec.get("household_id") is None:
            person = reg.get("person", spec["person_id"])
            spec["household_id"] = person["household_id"] if person else None
    carded = sum(1 for spec in specs if spec.get("village_code"))
    serials = iter(reserve_serials(reg, "card", carded))
    code = device_code(reg) if carded else None
    values = []
    for spec in specs:
        village = spec.pop("village_code", None)
        card = card_number(village, code, next(serials)) if village else None
        values.append(
            _enrolment_values(
                spec.pop("program"),
                spec.pop("data"),
                spec.pop("person_id", None),
                spec.pop("household_id", None),
                spec.pop("grp_id", None),
                spec.pop("institution_id", None),
                spec.pop("period_start", None),
                spec.pop("period_end", None),
                card,
            )
        )
        if spec:
            raise TypeError(f"enrol_many: unexpected {sorted(spec)}")
    rows = reg.insert_many("enrolment", values, at=at)
    reg.insert_many("enrolment_status", [_first_status(row) for row in rows], at=at)
    return rows


def _enrolment_values(
    program, data, person_id, household_id, grp_id, institution_id, period_start, period_end, card
) -> dict:
    return {
        "program": program,
        "person_id": person_id,
        "household_id": household_id,
        "grp_id": grp_id,
        "institution_id": institution_id,
        "status": str(Status.DRAF),
        "period_start": period_start,
        "period_end": period_end,
        "data": data,
        "card_number": card,
    }


def _first_status(enrolment: dict) -> dict:
    return {"enrolment_id": enrolment["id"], "from_status": None, "to_status": str(Status.DRAF)}


def set_status(
    reg: Registry,
    enrolment_id: str,
    to: str,
    reason: str | None = None,
    *,
    side: Side | str | None = None,
) -> dict:
    """Move an enrolment along its allowed path, keeping who, when and why in its history.

    `side` is who makes the move (`domain.status.Side`); see `set_statuses`."""
    enrolment = reg.get("enrolment", enrolment_id)
    if enrolment is None:
        raise LookupError(f"pendaftaran {enrolment_id} tidak ditemukan")
    return set_statuses(reg, [(enrolment, to, reason)], side=side)[0]


def set_statuses(
    reg: Registry,
    moves: list[tuple[dict, str, str | None]],
    *,
    side: Side | str | None = None,
    at: list[str] | None = None,
) -> list[dict]:
    """`set_status` for many enrolments at once: (enrolment row as read in this transaction,
    new status, reason) each, every enrolment once; returns the updated rows in order.

    Each move must be one `side` makes. Without `side`, an office registry moves as the office
    and a laptop's as its worker (by hand); a side the registry cannot act as is refused (a
    laptop never decides). A registry that is neither (the demo village, a test's) checks the
    path and reasons only, unless a side is given."""
    acting = acting_side(reg, side)
    changes = [_status_change(enrolment, to, reason, acting) for enrolment, to, reason in moves]
    updated = reg.update_many(
        "enrolment",
        [(move[0], change) for move, (change, _) in zip(moves, changes, strict=True)],
        at=at,
    )
    reg.insert_many("enrolment_status", [history for _, history in changes], at=at)
    return updated


def acting_side(reg: Registry, side: Side | str | None) -> Side | None:
    """The side a status change on this registry is made as: `side`, checked against what the
    registry is, or (None given) the registry's own hand."""
    kind = registry_kind(reg.db)
    if side is None:
        return {OFFICE: Side.OFFICE, LAPTOP: Side.LAPTOP}.get(kind)
    side = Side(side)
    if kind == OFFICE and side not in OFFICE_SIDES | {Side.LIST}:
        raise InvalidTransition(
            "Registri ini milik kantor: status yang diubah di laptop tidak dapat diubah di sini.",
            "This is the office's registry: a laptop's status moves cannot be made here.",
        )
    if kind == LAPTOP and side not in LAPTOP_SIDES:
        # A list is imported at the office only (Side.LIST is refused here too).
        raise InvalidTransition(
            "Registri ini milik laptop: keputusan hanya dapat dibuat di kantor dinas.",
            "This is a laptop's registry: decisions are made only at the regency office.",
        )
    return side


def _status_change(
    enrolment: dict, to: str, reason: str | None, side: Side | None = None
) -> tuple[dict, dict]:
    """The enrolment's changed columns and its history row, once the move is allowed."""
    current, target = Status(enrolment["status"]), Status(to)
    check_transition(current, target, reason, side)
    changes = {"status": str(target)}
    if target in (Status.DISETUJUI, Status.DITOLAK):
        changes["decision_reason"] = reason
    history = {
        "enrolment_id": enrolment["id"],
        "from_status": str(current),
        "to_status": str(target),
        "reason": reason,
    }
    return changes, history


FIRST_HANDOVER_REASON = "Penyerahan bantuan pertama."


class HandoverRefused(UserError, ValueError):
    """A hand-over the enrolment's status does not allow; str() is Indonesian."""


def hand_over(reg: Registry, *, enrolment_id: str, **handover) -> dict:
    """Record a hand-over as the window and command line do: only after the office approved
    (Disetujui or Aktif); the first one makes the enrolment Aktif. `handover` holds
    `record_handover`'s other keyword arguments. (`record_handover(s)` write what they are
    given: the demo's history and the office's import use them.)"""
    enrolment = reg.get("enrolment", enrolment_id)
    status = Status(enrolment["status"]) if enrolment else None
    if status not in HANDOVER_ALLOWED:
        label = status.label() if status else "?"
        raise HandoverRefused(
            _(
                "Bantuan hanya dapat diserahkan setelah pendaftaran disetujui kantor "
                "(status sekarang: {status})."
            ).format(status=label)
        )
    row = record_handover(reg, enrolment_id=enrolment_id, **handover)
    if status is Status.DISETUJUI:
        # A bank transfer is recorded at the office from the bank's answer; any other
        # hand-over happens in the village, on a laptop.
        side = Side.TRANSFER if handover.get("confirmed_by") == "transfer_bank" else Side.HANDOVER
        set_statuses(reg, [(enrolment, Status.AKTIF, FIRST_HANDOVER_REASON)], side=side)
    return row


def record_handover(
    reg: Registry,
    *,
    enrolment_id: str,
    handed_at: str,
    confirmed_by: str,
    amount: int | None = None,
    items: list | None = None,
    tranche: str | None = None,
    period: str | None = None,
    proxy_name: str | None = None,
    proxy_relation: str | None = None,
) -> dict:
    """Cash per tranche or goods per item, with a receipt number that carries the laptop."""
    enrolment = reg.get("enrolment", enrolment_id)
    if enrolment is None:
        raise LookupError(f"pendaftaran {enrolment_id} tidak ditemukan")
    fields = {
        "handed_at": handed_at,
        "confirmed_by": confirmed_by,
        "amount": amount,
        "items": items,
        "tranche": tranche,
        "period": period,
        "proxy_name": proxy_name,
        "proxy_relation": proxy_relation,
    }
    return record_handovers(reg, [(enrolment, fields)])[0]


def record_handovers(
    reg: Registry, handovers: list[tuple[dict, dict]], *, at: list[str] | None = None
) -> list[dict]:
    """`record_handover` for many at once: (enrolment row, `record_handover`'s other keyword
    arguments) each; the same rows and receipt numbers, in order. `at`: when each was
    recorded, see `Registry.insert_many`."""
    for _enrolment, fields in handovers:
        _check_handover(fields.get("amount"), fields.get("items"))
    counters = [_receipt_counter(enrolment, f["handed_at"]) for enrolment, f in handovers]
    wanted: dict[str, int] = {}
    for name in counters:
        wanted[name] = wanted.get(name, 0) + 1
    serials = {name: iter(reserve_serials(reg, name, count)) for name, count in wanted.items()}
    code = device_code(reg) if handovers else None
    values = [
        _handover_values(reg, enrolment, next(serials[name]), code, **fields)
        for (enrolment, fields), name in zip(handovers, counters, strict=True)
    ]
    return reg.insert_many("handover", values, at=at)


def _check_handover(amount, items) -> None:
    if amount is None and not items:
        raise ValueError("Isi jumlah uang atau daftar barang yang diserahkan.")


def _receipt_counter(enrolment: dict, handed_at: str) -> str:
    year = date.fromisoformat(handed_at[:10]).year
    return f"receipt:{enrolment['program']}:{year}"


def _handover_values(
    reg: Registry,
    enrolment: dict,
    serial: int,
    code: str,
    *,
    handed_at: str,
    confirmed_by: str,
    amount: int | None = None,
    items: list | None = None,
    tranche: str | None = None,
    period: str | None = None,
    proxy_name: str | None = None,
    proxy_relation: str | None = None,
) -> dict:
    program = enrolment["program"]
    year = date.fromisoformat(handed_at[:10]).year
    return {
        "enrolment_id": enrolment["id"],
        "tranche": tranche,
        "period": period,
        "amount": amount,
        "items": items or [],
        "handed_at": handed_at,
        "receipt_number": receipt_number(program, year, code, serial),
        "confirmed_by": confirmed_by,
        "proxy_name": proxy_name,
        "proxy_relation": proxy_relation,
        "operator_id": reg.operator_id,
    }


def add_photo(reg: Registry, photo, *, kind: str, owner_table: str, owner_id: str) -> dict:
    """Store an `IngestedPhoto` (from muba_desk.photos.ingest) against its owner row."""
    lat, lon = photo.gps if photo.gps else (None, None)
    row = reg.insert(
        "photo",
        {
            "sha256": photo.sha256,
            "jpeg": photo.jpeg,
            "thumbnail": photo.thumbnail,
            "width": photo.width,
            "height": photo.height,
            "taken_at": photo.taken_at,
            "gps_lat": lat,
            "gps_lon": lon,
            "kind": kind,
            "owner_table": owner_table,
            "owner_id": owner_id,
        },
    )
    if kind == "portrait" and owner_table == "person":
        reg.update("person", owner_id, {"photo_id": row["id"]})
    return row


def set_reference(reg: Registry, key: str, value) -> dict:
    """Reference data (amounts, quotas): the office sets it, bundles carry it to laptops."""
    existing = reg.conn.execute(
        "SELECT id FROM reference_data WHERE key = ? AND deleted_at IS NULL", (key,)
    ).fetchone()
    encoded = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if existing:
        return reg.update("reference_data", existing[0], {"value": encoded})
    return reg.insert("reference_data", {"key": key, "value": encoded})


def reference(db) -> dict:
    """All reference data as a dict of decoded values (domain defaults fill the gaps)."""
    rows = db.conn.execute("SELECT key, value FROM reference_data WHERE deleted_at IS NULL")
    return {key: json.loads(value) for key, value in rows}
