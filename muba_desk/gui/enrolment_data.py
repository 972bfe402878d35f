"""What the enrolment dialogs write, as plain functions of a Registry (their reads are in
muba_desk/store/enrolment_reads.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from muba_desk.domain.status import Status
from muba_desk.store import records
from muba_desk.store.registry import Registry

Read = Callable[[Callable[[Any], Any], Callable[[Any], None]], None]
"""read(fn(db), on_result): runs `fn` on a database thread (or at once), hands back its result."""

Write = Callable[..., None]
"""write(fn(registry), on_done=None, on_error=None): `fn` runs inside registry.transaction()."""

# -- writes (run inside registry.transaction()) --------------------------------------------


def save_enrolment(
    reg: Registry,
    *,
    program: str,
    data: dict,
    submit: bool,
    person_id: str | None = None,
    household_id: str | None = None,
    institution_id: str | None = None,
    group: dict | None = None,
    village_code: str | None = None,
    period_start: str | None = None,
    period_end: str | None = None,
) -> dict:
    """A new enrolment (a KUBE group first when `group` is given), in Draf or moved to Diajukan."""
    grp_id = None
    if group is not None:
        grp_id = records.add_group(reg, program=program, village_code=village_code, **group)["id"]
    enrolment = records.enrol(
        reg,
        program=program,
        data=data,
        person_id=person_id,
        household_id=household_id,
        grp_id=grp_id,
        institution_id=institution_id,
        period_start=period_start,
        period_end=period_end,
        village_code=village_code,
    )
    if submit:
        enrolment = records.set_status(reg, enrolment["id"], Status.DIAJUKAN)
    return enrolment


def save_handover(reg: Registry, *, enrolment_id: str, **handover) -> dict:
    """Record a hand-over; the first one after approval makes the enrolment Aktif (the rule
    lives in the store, `records.hand_over`, for every door)."""
    return records.hand_over(reg, enrolment_id=enrolment_id, **handover)
