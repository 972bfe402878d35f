"""Two records side by side, worded for the clerk (the values come from office/pair_data.py)."""

from __future__ import annotations

from dataclasses import dataclass

from muba_desk.gui.format import fmt_date, program_name, status_label
from muba_desk.i18n import _
from muba_desk.office.duplicate_queue import default_keep
from muba_desk.office.pair_data import pair_people, person_record


def person_facts(db, person_id: str) -> dict[str, str]:
    """Label -> shown value for one person (also a merged or deleted one)."""
    record = person_record(db, person_id)
    if record is None:
        return {_("Nama"): _("(tidak ditemukan)")}
    facts = {
        _("Nama"): record.name,
        _("NIK"): record.nik or "–",
        _("JK"): record.sex,
        _("Tempat lahir"): record.birth_place or "–",
        _("Tanggal lahir"): fmt_date(record.birth_date),
        _("No. KK"): record.kk_number or "–",
        _("Desa"): record.village or "–",
        _("Kecamatan"): record.district or "–",
        _("Laptop"): record.laptop,
        _("Telepon"): record.phone or "–",
        _("Program"): ", ".join(
            f"{program_name(p)} ({status_label(s)})" for p, s in record.enrolments
        )
        or "–",
    }
    if record.gone:
        facts[_("Catatan")] = _("sudah dihapus atau digabung")
    return facts


def pair_facts(db, table: str, row_a: str, row_b: str) -> tuple[dict, dict, str | None, str | None]:
    """Facts of both sides and their person ids (for enrolments: the enrolled people)."""
    a, b = pair_people(db, table, row_a, row_b)
    return (person_facts(db, a) if a else {}), (person_facts(db, b) if b else {}), a, b


@dataclass(frozen=True)
class PairView:
    """What the page shows of one pair: both sides' facts, the people, and for a person pair
    the record a merge keeps unless the clerk swaps it, named as the clerk reads it."""

    a: dict
    b: dict
    person_a: str | None
    person_b: str | None
    keep: str | None
    names: dict


def pair_view(db, table: str, row_a: str, row_b: str) -> PairView:
    a, b, person_a, person_b = pair_facts(db, table, row_a, row_b)
    keep = default_keep(db, row_a, row_b) if table == "person" else None
    names = {}
    for person_id, facts in ((person_a, a), (person_b, b)):
        if person_id:
            where = ", ".join(
                v for v in (facts.get(_("Desa")), facts.get(_("Laptop"))) if v and v != "–"
            )
            names[person_id] = (
                f"{facts.get(_('Nama'), '')} ({where})" if where else facts.get(_("Nama"), "")
            )
    return PairView(a, b, person_a, person_b, keep, names)
