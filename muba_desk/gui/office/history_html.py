"""A person's history across laptops as simple HTML for a text browser: who changed what,
when (WIB) and on which laptop, with fields in the users' words and names instead of ids."""

from __future__ import annotations

import json
from html import escape

from muba_desk.domain.money import format_rupiah
from muba_desk.gui import format as fmt
from muba_desk.i18n import _
from muba_desk.office.field_labels import field_label, table_label
from muba_desk.office.registry_query import HistoryEntry, PersonRow

# Bookkeeping a clerk does not read: the entry's own time and laptop already say it.
NOT_SHOWN = {"id", "created_at", "created_by", "enrolment_id", "owner_table", "owner_id"}
NOT_SHOWN |= {"sha256", "jpeg", "thumbnail"}
DATE_COLUMNS = {"birth_date", "period_start", "period_end", "consent_at", "handed_at"}
TIME_COLUMNS = {"deleted_at", "nik_confirmed_at", "taken_at"}


def _value(value: object) -> str:
    return "–" if value in (None, "") else escape(str(value))


def _action(action: str) -> str:
    words = {
        "insert": _("mendaftarkan"),
        "update": _("mengubah"),
        "delete": _("menghapus"),
        "merge_person": _("menggabungkan"),
        "not_same": _("menandai bukan orang yang sama"),
        "resolve_conflict": _("menyelesaikan konflik pada"),
        "print": _("mencetak"),
        "sk_add": _("menetapkan"),
        "double_aid_allowed": _("mengizinkan bantuan ganda pada"),
        "double_aid_stopped": _("menghentikan satu bantuan ganda pada"),
    }
    return words.get(action, action)


def plain_value(column: str, value: object, names: dict[str, str] | None = None) -> str:
    """A stored value as the clerk knows it (a date, a village's or a person's name, a label),
    as plain text."""
    names = names or {}
    if value in (None, "", "[]"):
        return "–"
    if (
        isinstance(value, str)
        and value in names
        and (column.endswith("_id") or column in ("village_code", "merged_into"))
    ):
        return names[value]
    shown = {
        "sex": fmt.sex_label,
        "relation": fmt.relation_label,
        "occupation": fmt.occupation_label,
        "status": fmt.status_label,
        "from_status": fmt.status_label,
        "to_status": fmt.status_label,
        "program": fmt.program_name,
    }
    if column in shown and isinstance(value, str):
        return shown[column](value)
    if column == "consent_by" and isinstance(value, str):
        return fmt.consent_label(value, None, None)
    if column == "disability" and isinstance(value, str):
        try:
            return fmt.disability_label(json.loads(value))
        except ValueError:
            return value
    if column in DATE_COLUMNS and isinstance(value, str):
        return fmt.fmt_date(value)
    if column in TIME_COLUMNS and isinstance(value, str):
        return fmt.fmt_datetime(value)
    if column == "amount" and isinstance(value, int):
        return format_rupiah(value)
    if column == "data":
        return _("(isian program, lihat formulirnya)")
    if column.endswith("_id") or column == "merged_into":
        return _("(data lain)")
    return str(value)


def readable(column: str, value: object, names: dict[str, str]) -> str:
    return escape(plain_value(column, value, names))


def person_html(
    row: PersonRow, entries: list[HistoryEntry], names: dict[str, str] | None = None
) -> str:
    """The person's main facts, then every change, oldest first: when, on which laptop, who,
    and each field from its old value to its new one."""
    names = names or {}
    programs = (
        ", ".join(f"{fmt.program_name(p)} ({fmt.status_label(s)})" for p, s in row.enrolments)
        or "–"
    )
    facts = [
        (_("NIK"), row.nik),
        (_("No. KK"), row.kk_number),
        (_("Lahir"), fmt.fmt_date(row.birth_date) if row.birth_date else None),
        (_("Desa"), row.village),
        (_("Kecamatan"), row.district),
        (_("Laptop pendaftar"), row.laptop),
        (_("Didaftarkan pada"), fmt.fmt_datetime(row.created_at)),
        (_("Terakhir diubah pada"), fmt.fmt_datetime(row.updated_at or row.created_at)),
        (_("Program"), programs),
    ]
    parts = [f"<h3>{escape(row.name)}</h3><table>"]
    parts += [f"<tr><td><b>{escape(k)}</b></td><td>{_value(v)}</td></tr>" for k, v in facts]
    parts.append(f"</table><h4>{escape(_('Riwayat di kantor dan di laptop'))}</h4>")
    if not entries:
        parts.append(f"<p>{escape(_('Belum ada riwayat.'))}</p>")
    for e in entries:
        who = e.who or _("petugas")
        head = _("{when} · {laptop} · {who} {action} {what}").format(
            when=fmt.fmt_datetime(e.at),
            laptop=e.laptop,
            who=who,
            action=_action(e.action),
            what=table_label(e.table_name).lower(),
        )
        changes = "".join(
            f"<li>{escape(field_label(e.table_name, k))}: {readable(k, old, names)} → "
            f"{readable(k, new, names)}</li>"
            for k, (old, new) in e.changes.items()
            if k not in NOT_SHOWN and (e.action != "insert" or new not in (None, "", "[]"))
        )
        if e.detail and e.detail.get("reason"):
            changes += f"<li>{escape(_('Alasan'))}: {_value(e.detail['reason'])}</li>"
        head = escape(head)
        parts.append(f"<p><b>{head}</b></p><ul>{changes}</ul>" if changes else f"<p>{head}</p>")
    return "".join(parts)
