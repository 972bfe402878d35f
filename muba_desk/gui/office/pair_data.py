"""Two records side by side: the facts a clerk compares before merging or keeping both."""

from __future__ import annotations

from muba_desk.gui.format import fmt_date, program_name, status_label
from muba_desk.i18n import _
from muba_desk.office.registry_query import device_names


def person_facts(db, person_id: str) -> dict[str, str]:
    """Label -> shown value for one person (also a merged or deleted one)."""
    row = db.conn.execute(
        """SELECT p.name, p.nik, p.sex, p.birth_place, p.birth_date, h.kk_number, v.name,
                  d.name, substr(p.rev, 20), p.phone, p.deleted_at, p.merged_into
           FROM person p LEFT JOIN household h ON h.id = p.household_id
           LEFT JOIN area_village v ON v.code = h.village_code
           LEFT JOIN area_district d ON d.code = v.district_code WHERE p.id = ?""",
        (person_id,),
    ).fetchone()
    if row is None:
        return {_("Nama"): _("(tidak ditemukan)")}
    enrolments = db.conn.execute(
        "SELECT program, status FROM enrolment WHERE person_id = ? AND deleted_at IS NULL",
        (person_id,),
    ).fetchall()
    laptop = device_names(db).get(row[8], row[8])
    facts = {
        _("Nama"): row[0],
        _("NIK"): row[1] or "–",
        _("JK"): row[2],
        _("Tempat lahir"): row[3] or "–",
        _("Tanggal lahir"): fmt_date(row[4]),
        _("No. KK"): row[5] or "–",
        _("Desa"): row[6] or "–",
        _("Kecamatan"): row[7] or "–",
        _("Laptop"): laptop,
        _("Telepon"): row[9] or "–",
        _("Program"): ", ".join(f"{program_name(p)} ({status_label(s)})" for p, s in enrolments)
        or "–",
    }
    if row[10]:
        facts[_("Catatan")] = _("sudah dihapus atau digabung")
    return facts


def enrolment_person(db, enrolment_id: str) -> str | None:
    row = db.conn.execute(
        "SELECT person_id FROM enrolment WHERE id = ?", (enrolment_id,)
    ).fetchone()
    return row[0] if row else None


def pair_facts(db, table: str, row_a: str, row_b: str) -> tuple[dict, dict, str | None, str | None]:
    """Facts of both sides and their person ids (for enrolments: the enrolled people)."""
    if table == "enrolment":
        a, b = enrolment_person(db, row_a), enrolment_person(db, row_b)
    else:
        a, b = row_a, row_b
    return (person_facts(db, a) if a else {}), (person_facts(db, b) if b else {}), a, b
