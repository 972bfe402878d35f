"""When the demo's made-up work was registered: the stamps it hands `Registry.insert_many`.

A demo registry tells a year and a half of field work, with applications, decisions and
hand-overs on their own days. Stamped with the moment the demo was made, every household and
enrolment would be registered after the aid it received, and the report's "Terdaftar" month
and the registry's "Didaftarkan pada" would say so. So each row carries the day it happened:
households and their people the day they were registered, an enrolment the day it was
applied for (never before its household's registration), each status change a day between
the application and the hand-overs, each hand-over its own day and hour. Nothing is stamped
after the real now.
"""

from __future__ import annotations

from datetime import date, timedelta

from muba_desk.demo.enrolments import Enrolment
from muba_desk.domain.status import Status
from muba_desk.store.registry import now_iso

# 08:00 WIB, when the office opens: before any hand-over of the day (`Planner._handed_at`).
OPENING = "T01:00"
FIRST_MONTH_DAYS = 30  # a path with no hand-over is spread over the month after the application


def stamp(day: date, second: int = 0) -> str:
    """`day` at opening time (plus `second`s, to keep a day's steps in order), as stored."""
    text = f"{day.isoformat()}{OPENING}:{second:02d}.000Z"
    # Only the last days can reach the real now (UTC may still be yesterday): one clock read
    # for those, none for the year before them (a big demo stamps a million rows).
    return min(text, now_iso()) if day >= date.today() - timedelta(days=1) else text


def not_after_now(stamps: list[str]) -> list[str]:
    now = now_iso()
    return [min(s, now) for s in stamps]


def registered(e: Enrolment) -> date:
    """The day the enrolment was registered: its application, not before its subject's."""
    subject = e.household or e.institution
    return max(e.applied, subject.registered) if subject is not None else e.applied


def step_days(e: Enrolment, today: date) -> list[date]:
    """The day of each status change of `e.path`, from its registration on: spread up to the
    first hand-over (up to the last one for a finished enrolment), never after `today`."""
    start = registered(e)
    handed = sorted(date.fromisoformat(h.handed_at[:10]) for h in e.handovers)
    if not handed:
        end = start + timedelta(days=FIRST_MONTH_DAYS)
    elif e.final is Status.SELESAI:
        end = handed[-1]
    else:
        end = handed[0]
    end = max(start, min(end, today))
    steps = len(e.path)
    return [start + (end - start) * (i + 1) // steps for i in range(steps)]
