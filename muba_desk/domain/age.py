"""Age in whole years on a given day, as the programs' age limits count it."""

from __future__ import annotations

from datetime import date, datetime


def age_on(birth_date: date | str, on: date) -> int:
    """Completed years on `on`; someone born on 29 February turns a year older on 1 March."""
    if isinstance(birth_date, str):
        birth_date = date.fromisoformat(birth_date.strip())
    if isinstance(birth_date, datetime):
        birth_date = birth_date.date()
    if isinstance(on, datetime):
        on = on.date()
    if birth_date > on:
        raise ValueError(f"tanggal lahir {birth_date.isoformat()} sesudah {on.isoformat()}")
    years = on.year - birth_date.year
    # Comparing (month, day) pairs rather than building a birthday date avoids 29 February
    # being invalid in common years.
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
