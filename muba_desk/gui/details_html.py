"""The read-only details page of a person or household, as rich text for a QTextBrowser.

Plain functions from the dicts of `store.views` to HTML, so they are tested without a window.
Links use `person:<id>` and `household:<id>`; images use `photo:<id>`, which the details pane
fills from the thumbnails in the same dicts.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date

from muba_desk.domain.age import age_on
from muba_desk.domain.goods import format_quantity, quantity_of
from muba_desk.domain.money import format_rupiah
from muba_desk.gui import format as fmt
from muba_desk.i18n import _, format_count, language

STATUS_COLOURS = {
    "DRAF": "#6b7280",
    "DIAJUKAN": "#1d4ed8",
    "TERKIRIM": "#0e7490",
    "DISETUJUI": "#15803d",
    "DITOLAK": "#b91c1c",
    "AKTIF": "#166534",
    "SELESAI": "#4b5563",
}

STYLE = """
h2 { margin-bottom: 2px; }
h3 { margin-top: 16px; margin-bottom: 4px; color: #0f4c81; }
td { padding: 2px 8px 2px 0; vertical-align: top; }
th { padding: 2px 8px 2px 0; text-align: left; color: #374151; background-color: #eef2f7; }
.key { color: #4b5563; }
.sub { color: #4b5563; }
.missing { color: #b91c1c; }
.enrolment { margin-top: 10px; }
"""


def e(value: object) -> str:
    return html.escape(fmt.EMPTY if value is None or value == "" else str(value))


def _key_values(rows: Iterable[tuple[str, str]]) -> str:
    """Two columns of label and already-escaped value."""
    cells = "".join(f'<tr><td class="key">{e(k)}</td><td>{v}</td></tr>' for k, v in rows)
    return f"<table>{cells}</table>"


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], nowrap: Sequence[int] = ()
) -> str:
    """A table of already-escaped cells under plain-text headers; the `nowrap` columns (numbers,
    dates) never break, since a NIK or receipt number split over two lines is easily misread.
    Qt honours white-space on table cells, not on spans."""
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="white-space: nowrap;">{c}</td>' if i in nowrap else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f'<table cellspacing="0">{head and f"<tr>{head}</tr>"}{body}</table>'


def _link(kind: str, row_id: str | None, text: object) -> str:
    return f'<a href="{kind}:{e(row_id)}">{e(text)}</a>' if row_id else e(text)


def _age(birth_date: str | None, today: date) -> str:
    try:
        return _("{years} tahun").format(years=age_on(birth_date or "", today))
    except ValueError:
        return ""


def _birth(person: dict, today: date) -> str:
    when = fmt.fmt_date(person.get("birth_date"))
    age = _age(person.get("birth_date"), today)
    place = person.get("birth_place")
    text = f"{place}, {when}" if place else when
    return e(f"{text} ({age})" if age else text)


def _nik(person: dict) -> str:
    if person.get("nik"):
        return e(person["nik"])
    reason = person.get("no_nik_reason") or fmt.EMPTY
    return f'<span class="missing">{e(_("Tanpa NIK: {reason}").format(reason=reason))}</span>'


def _address(row: dict) -> str:
    parts = [row.get("address") or ""]
    if row.get("rt") or row.get("rw"):
        parts.append(_("RT {rt}/RW {rw}").format(rt=row.get("rt") or "-", rw=row.get("rw") or "-"))
    return ", ".join(p for p in parts if p) or fmt.EMPTY


def _place(row: dict) -> str:
    if row.get("district"):
        return _("{village}, Kec. {district}").format(
            village=row.get("village") or fmt.EMPTY, district=row["district"]
        )
    return row.get("village") or fmt.EMPTY


def hint_html(message: str | None = None) -> str:
    """What the pane shows before anything is chosen: how to get around with the keyboard."""
    text = message or _("Pilih seseorang atau rumah tangga di daftar untuk melihat rinciannya.")
    keys = [
        ("Ctrl+F", _("Cari nama, NIK, KK, atau desa")),
        (_("↓ atau Enter"), _("Dari kotak cari ke daftar")),
        (_("Enter"), _("Buka rincian baris yang dipilih")),
        (_("Esc"), _("Kosongkan pencarian, atau kembali dari rincian ke daftar")),
        ("Ctrl+1 / Ctrl+2", _("Daftar penduduk / rumah tangga")),
    ]
    rows = "".join(f'<tr><td class="key"><b>{e(k)}</b></td><td>{e(v)}</td></tr>' for k, v in keys)
    return (
        f'<p class="sub" style="margin-top: 16px;">{e(text)}</p>'
        f"<h3>{e(_('Papan ketik'))}</h3><table>{rows}</table>"
    )


def person_html(person: dict, household: dict | None = None, *, today: date | None = None) -> str:
    today = today or date.today()
    consent = fmt.consent_label(
        person.get("consent_by"), person.get("consent_guardian"), person.get("consent_at")
    )
    consent_html = (
        e(consent) if person.get("consent_by") else f'<span class="missing">{e(consent)}</span>'
    )
    identity = [
        (_("NIK"), _nik(person)),
        (_("Tempat, tanggal lahir"), _birth(person, today)),
        (_("Jenis kelamin"), e(fmt.sex_label(person.get("sex")))),
        (_("Hubungan dengan kepala keluarga"), e(fmt.relation_label(person.get("relation")))),
        (_("Pekerjaan"), e(fmt.occupation_label(person.get("occupation")))),
        (_("Disabilitas"), e(fmt.disability_label(person.get("disability")))),
        (_("Telepon"), e(person.get("phone"))),
        (_("Persetujuan data pribadi"), consent_html),
    ]
    if person.get("notes"):
        identity.append((_("Catatan"), e(person["notes"])))
    state = person.get("verify_state")
    if state:  # a person an office list brought in (lists in, field verification)
        shown = fmt.verify_labels().get(state, state)
        identity.append((_("Verifikasi lapangan"), e(shown)))
    if person.get("source_note"):
        identity.append((_("Asal data"), e(person["source_note"])))
    parts = [
        _portrait(person),
        f"<h2>{e(person.get('name'))}</h2>",
        f'<p class="sub">{e(_subtitle(person, today))}</p>',
        f"<h3>{e(_('Identitas'))}</h3>",
        _key_values(identity),
        _household_section(person, household),
        _enrolments_section(person.get("enrolments") or [], show_person=False),
        _imports_section(person.get("imports") or []),
        _photos_section(person.get("photos") or [], skip=person.get("photo_id")),
    ]
    return "".join(parts)


def _imports_section(imports: list[dict]) -> str:
    """The lists this person came in by or was matched in (office: `list_row`)."""
    if not imports:
        return ""
    fates = {
        "new": _("baru"),
        "matched": _("cocok"),
        "updated": _("diperbarui"),
        "queued": _("periksa ganda"),
        "warned": _("peringatan"),
        "enrolled": _("didaftarkan"),
        "left_out": _("tidak didaftarkan"),
    }
    rows = [
        (
            e(fmt.fmt_date((i.get("imported_at") or "")[:10])),
            e(i.get("file_name")),
            e(i.get("row_number")),
            e(fates.get(i.get("fate"), i.get("fate"))),
            e(i.get("reason")),
        )
        for i in imports
    ]
    headers = (_("Tanggal"), _("Berkas"), _("Baris"), _("Hasil"), _("Keterangan"))
    return f"<h3>{e(_('Riwayat impor daftar'))}</h3>" + _table(headers, rows, nowrap=(0,))


def _subtitle(person: dict, today: date) -> str:
    bits = [fmt.sex_label(person.get("sex")), _age(person.get("birth_date"), today)]
    if person.get("village"):
        bits.append(_place(person))
    return " · ".join(b for b in bits if b)


def _portrait(person: dict) -> str:
    photo_id = person.get("photo_id")
    ids = {p.get("id") for p in person.get("photos") or []}
    if not photo_id or photo_id not in ids:
        return ""
    return f'<img src="photo:{e(photo_id)}" height="120" align="right">'


def _household_section(person: dict, household: dict | None) -> str:
    if not person.get("household_id"):
        return ""
    rows = [
        (_("No. KK"), _link("household", person["household_id"], person.get("kk_number"))),
        (_("Alamat"), e(_address(person))),
        (_("Desa/Kelurahan"), e(_place(person))),
    ]
    out = [f"<h3>{e(_('Rumah tangga'))}</h3>", _key_values(rows)]
    others = [m for m in (household or {}).get("members", []) if m.get("id") != person.get("id")]
    if others:
        out.append(f"<p><b>{e(_('Anggota lain'))}</b></p>")
        out.append(_members_table(others))
    return "".join(out)


def _members_table(members: Sequence[dict]) -> str:
    rows = [
        (
            _link("person", m.get("id"), m.get("name")),
            e(fmt.relation_label(m.get("relation"))),
            e(fmt.sex_short(m.get("sex"))),
            e(fmt.fmt_date(m.get("birth_date"))),
            _nik(m),
        )
        for m in members
    ]
    headers = (_("Nama"), _("Hubungan"), _("L/P"), _("Tanggal lahir"), _("NIK"))
    return _table(headers, rows, nowrap=(3, 4))


def _decile_source(source: str | None) -> str | None:
    """Where the decile is known from, in words (the programs are loaded only then: the
    window's first paint goes without them)."""
    if not source:
        return None
    from muba_desk.domain.programs.base import DECILE_SOURCES

    return next((c.label(language()) for c in DECILE_SOURCES if c.value == source), source)


def household_html(household: dict) -> str:
    members = household.get("members") or []
    head = next((m for m in members if m.get("id") == household.get("head_person_id")), None)
    decile = household.get("welfare_decile")
    rows = [
        (_("No. KK"), e(household.get("kk_number"))),
        (_("Kepala keluarga"), _link("person", (head or {}).get("id"), (head or {}).get("name"))),
        (_("Alamat"), e(_address(household))),
        (_("Desa/Kelurahan"), e(_place(household))),
        (_("Desil kesejahteraan"), e(decile)),
        (_("Sumber desil"), e(_decile_source(household.get("decile_source")))),
        (_("Tahun desil"), e(household.get("decile_year"))),
    ]
    if household.get("gps_lat") is not None and household.get("gps_lon") is not None:
        rows.append((_("Koordinat"), e(f"{household['gps_lat']:.5f}, {household['gps_lon']:.5f}")))
    if household.get("notes"):
        rows.append((_("Catatan"), e(household["notes"])))
    title = _("Rumah tangga {kk}").format(kk=household.get("kk_number") or fmt.EMPTY)
    parts = [
        f"<h2>{e(title)}</h2>",
        f'<p class="sub">{e(_place(household))}</p>',
        _key_values(rows),
        f"<h3>{e(_('Anggota ({count})').format(count=len(members)))}</h3>",
        _members_table(members) if members else f"<p>{e(_('Belum ada anggota.'))}</p>",
        _enrolments_section(household.get("enrolments") or [], show_person=True),
        _photos_section(household.get("photos") or []),
    ]
    return "".join(parts)


def _enrolments_section(enrolments: Sequence[dict], *, show_person: bool) -> str:
    title = _("Program ({count})").format(count=len(enrolments))
    if not enrolments:
        return f"<h3>{e(title)}</h3><p>{e(_('Belum terdaftar di program apa pun.'))}</p>"
    blocks = [_enrolment(en, show_person) for en in enrolments]
    return f"<h3>{e(title)}</h3>" + "".join(blocks)


def status_badge(code: str | None) -> str:
    colour = STATUS_COLOURS.get(code or "", "#6b7280")
    label = e(fmt.status_label(code))
    return f'<span style="background-color: {colour}; color: white;">&nbsp;{label}&nbsp;</span>'


def _enrolment(enrolment: dict, show_person: bool) -> str:
    head = f"<b>{e(fmt.program_name(enrolment.get('program', '')))}</b> &nbsp;"
    head += status_badge(enrolment.get("status"))
    facts = []
    if show_person and enrolment.get("person_name"):
        facts.append(
            (_("Penerima"), _link("person", enrolment.get("person_id"), enrolment["person_name"]))
        )
    facts.append((_("No. kartu"), e(enrolment.get("card_number"))))
    if enrolment.get("period_start") or enrolment.get("period_end"):
        period = f"{fmt.fmt_date(enrolment.get('period_start'))} – "
        period += fmt.fmt_date(enrolment.get("period_end"))
        facts.append((_("Periode"), e(period)))
    if enrolment.get("decision_reason"):
        facts.append((_("Alasan keputusan"), e(enrolment["decision_reason"])))
    facts += _program_data(enrolment.get("program", ""), enrolment.get("data") or {})
    parts = [f'<p class="enrolment">{head}</p>', _key_values(facts)]
    parts.append(_history(enrolment.get("history") or []))
    parts.append(_handovers(enrolment.get("handovers") or []))
    return "".join(parts)


def _program_data(program: str, data: dict) -> list[tuple[str, str]]:
    """The program's own fields in form order with their labels; unknown keys last, as stored."""
    rows = []
    fields = fmt.program_fields(program)
    for f in fields:
        if f.name in data:
            rows.append((f.label(language()), e(fmt.field_value(f, data[f.name]))))
    known = {f.name for f in fields}
    rows += [(k, e(v)) for k, v in data.items() if k not in known]
    return rows


def _history(history: Sequence[dict]) -> str:
    if not history:
        return ""
    rows = []
    for h in history:
        change = fmt.status_label(h.get("to_status"))
        if h.get("from_status"):
            change = f"{fmt.status_label(h['from_status'])} → {change}"
        rows.append(
            (
                e(fmt.fmt_datetime(h.get("created_at"))),
                e(change),
                e(h.get("reason")),
                e(h.get("operator") or h.get("created_by")),
            )
        )
    headers = (_("Waktu"), _("Status"), _("Alasan"), _("Petugas"))
    return f"<p><i>{e(_('Riwayat status'))}</i></p>" + _table(headers, rows, nowrap=(0,))


def _items(items) -> str:
    """Goods handed over: "Kursi roda: 1 unit, Makanan siap santap: 1.800 porsi"."""
    shown = []
    for item in items or []:
        if isinstance(item, dict):
            name = item.get("name") or fmt.EMPTY
            quantity = quantity_of(item)
            whole = isinstance(quantity, int) and not isinstance(quantity, bool)
            amount = format_count(quantity) if whole else format_quantity(quantity)
            shown.append(f"{name}: {amount} {item.get('unit') or ''}".strip() if amount else name)
        else:
            shown.append(str(item))
    return ", ".join(shown)


def _handovers(handovers: Sequence[dict]) -> str:
    if not handovers:
        return ""
    rows = []
    for h in handovers:
        # A no-break space keeps "Rp 650.000" whole while a list of goods may still wrap.
        amount = (
            format_rupiah(h["amount"]).replace(" ", "\u00a0") if h.get("amount") is not None else ""
        )
        what = " · ".join(x for x in (amount, _items(h.get("items"))) if x)
        rows.append(
            (
                e(fmt.fmt_date(h.get("handed_at"))),
                e(" ".join(x for x in (h.get("tranche"), h.get("period")) if x)),
                e(what),
                e(h.get("receipt_number")),
                e(fmt.confirmation_label(h.get("confirmed_by"), h.get("proxy_name"))),
            )
        )
    headers = (_("Tanggal"), _("Tahap/periode"), _("Bantuan"), _("No. kuitansi"), _("Konfirmasi"))
    return f"<p><i>{e(_('Penyerahan bantuan'))}</i></p>" + _table(headers, rows, nowrap=(0, 3))


def photo_kind_label(kind: str | None) -> str:
    labels = {
        "portrait": _("Foto diri"),
        "house_before": _("Rumah sebelum"),
        "house_during": _("Rumah saat dikerjakan"),
        "house_after": _("Rumah sesudah"),
        "business": _("Usaha"),
        "document": _("Dokumen"),
    }
    return labels.get(kind or "", kind or fmt.EMPTY)


def _photos_section(photos: Sequence[dict], skip: str | None = None) -> str:
    shown = [p for p in photos if p.get("id") != skip]
    if not shown:
        return ""
    cells = "".join(
        f'<td><img src="photo:{e(p.get("id"))}" height="96"><br>'
        f"{e(photo_kind_label(p.get('kind')))}<br>{e(fmt.fmt_date(p.get('taken_at')))}</td>"
        for p in shown
    )
    return f"<h3>{e(_('Foto'))}</h3><table><tr>{cells}</tr></table>"
