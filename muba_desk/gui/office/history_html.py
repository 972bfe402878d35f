"""A person's history across laptops as simple HTML for a text browser."""

from __future__ import annotations

from html import escape

from muba_desk.gui.format import fmt_datetime
from muba_desk.i18n import _
from muba_desk.office.registry_query import HistoryEntry, PersonRow

TABLE_NAMES = {
    "person": "penduduk",
    "enrolment": "pendaftaran",
    "enrolment_status": "status",
    "handover": "penyerahan",
    "grp_member": "anggota kelompok",
    "photo": "foto",
}


def _action_names() -> dict[str, str]:
    """Events that are not a row's insert/update/delete, in the clerk's words."""
    return {"sk_add": _("penetapan SK untuk")}


def _value(value: object) -> str:
    return "–" if value in (None, "") else escape(str(value))


def person_html(row: PersonRow, entries: list[HistoryEntry]) -> str:
    """The person's main facts, then every change, oldest first, with who and where."""
    programs = ", ".join(f"{p} ({s})" for p, s in row.enrolments) or "–"
    facts = [
        (_("NIK"), row.nik),
        (_("No. KK"), row.kk_number),
        (_("Lahir"), row.birth_date),
        (_("Desa"), row.village),
        (_("Kecamatan"), row.district),
        (_("Terakhir diubah di"), row.laptop),
        (_("Program"), programs),
    ]
    parts = [f"<h3>{escape(row.name)}</h3><table>"]
    parts += [f"<tr><td><b>{escape(k)}</b></td><td>{_value(v)}</td></tr>" for k, v in facts]
    parts.append(f"</table><h4>{escape(_('Riwayat di kantor dan di laptop'))}</h4>")
    if not entries:
        parts.append(f"<p>{escape(_('Belum ada riwayat.'))}</p>")
    actions = _action_names()
    for e in entries:
        what = TABLE_NAMES.get(e.table_name, e.table_name)
        action = actions.get(e.action, e.action)
        head = f"{fmt_datetime(e.at)} · {escape(e.laptop)} · {escape(action)} {escape(what)}"
        changes = "".join(
            f"<li>{escape(k)}: {_value(old)} → {_value(new)}</li>"
            for k, (old, new) in e.changes.items()
        )
        if e.detail and e.detail.get("reason"):
            changes += f"<li>{escape(_('alasan'))}: {_value(e.detail['reason'])}</li>"
        parts.append(f"<p><b>{head}</b></p><ul>{changes}</ul>" if changes else f"<p>{head}</p>")
    return "".join(parts)
