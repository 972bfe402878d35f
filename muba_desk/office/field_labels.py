"""Fields and tables named in the users' words, for the conflicts page and the history.

One place, so a clerk reads "Pekerjaan" and "Nomor HP", never `occupation` or `phone`. A
column with no label here is shown as written (a column added later, before it is named).
"""

from __future__ import annotations

import functools

from muba_desk import i18n
from muba_desk.i18n import _


@functools.cache
def _labels(language: str) -> tuple[dict, dict, dict]:
    """(common, by table, tables) in `language` (cached: the history names many fields)."""
    # Columns named alike in every table; a table's own entry below wins.
    common = {
        "name": _("Nama"),
        "address": _("Alamat"),
        "village_code": _("Desa"),
        "phone": _("Nomor HP"),
        "notes": _("Catatan"),
        "deleted_at": _("Dihapus pada"),
        "gps_lat": _("Lintang GPS"),
        "gps_lon": _("Bujur GPS"),
        "status": _("Status"),
        "program": _("Program"),
        "kind": _("Jenis"),
        "created_at": _("Didaftarkan pada"),
        "updated_at": _("Terakhir diubah pada"),
    }
    by_table = {
        "person": {
            "household_id": _("Keluarga"),
            "institution_id": _("Lembaga"),
            "nik": _("NIK"),
            "no_nik_reason": _("Alasan tanpa NIK"),
            "sex": _("Jenis kelamin"),
            "birth_place": _("Tempat lahir"),
            "birth_date": _("Tanggal lahir"),
            "relation": _("Hubungan dalam keluarga"),
            "occupation": _("Pekerjaan"),
            "disability": _("Disabilitas"),
            "consent_by": _("Persetujuan oleh"),
            "consent_guardian": _("Wali yang menyetujui"),
            "consent_at": _("Tanggal persetujuan"),
            "photo_id": _("Foto"),
            "merged_into": _("Digabung ke"),
            "nik_confirmed_at": _("NIK dikonfirmasi pada"),
        },
        "household": {
            "kk_number": _("Nomor KK"),
            "head_person_id": _("Kepala keluarga"),
            "rt": _("RT"),
            "rw": _("RW"),
            "welfare_decile": _("Desil kesejahteraan"),
            "decile_source": _("Sumber desil"),
        },
        "institution": {"head_name": _("Nama pimpinan"), "licence_no": _("Nomor izin")},
        "grp": {
            "business_type": _("Jenis usaha"),
            "bank_account": _("Nomor rekening"),
            "bank_name": _("Nama bank"),
        },
        "grp_member": {"grp_id": _("Kelompok"), "person_id": _("Anggota"), "role": _("Peran")},
        "enrolment": {
            "person_id": _("Penerima"),
            "household_id": _("Keluarga"),
            "grp_id": _("Kelompok"),
            "institution_id": _("Lembaga"),
            "period_start": _("Mulai"),
            "period_end": _("Selesai"),
            "data": _("Isian program"),
            "card_number": _("Nomor kartu"),
            "decision_reason": _("Alasan keputusan"),
        },
        "enrolment_status": {
            "from_status": _("Dari status"),
            "to_status": _("Ke status"),
            "reason": _("Alasan"),
        },
        "handover": {
            "tranche": _("Tahap"),
            "period": _("Periode"),
            "amount": _("Jumlah"),
            "items": _("Barang"),
            "handed_at": _("Diserahkan pada"),
            "receipt_number": _("Nomor tanda terima"),
            "confirmed_by": _("Dikonfirmasi oleh"),
            "proxy_name": _("Nama wakil"),
            "proxy_relation": _("Hubungan wakil"),
        },
        "photo": {"taken_at": _("Diambil pada"), "width": _("Lebar"), "height": _("Tinggi")},
        "reference_data": {"key": _("Kunci"), "value": _("Nilai")},
    }
    tables = {
        "person": _("Penduduk"),
        "household": _("Keluarga"),
        "institution": _("Lembaga"),
        "grp": _("Kelompok"),
        "grp_member": _("Anggota kelompok"),
        "photo": _("Foto"),
        "enrolment": _("Pendaftaran program"),
        "enrolment_status": _("Perubahan status"),
        "handover": _("Penyerahan bantuan"),
        "reference_data": _("Data acuan"),
    }
    return common, by_table, tables


def field_label(table: str, column: str) -> str:
    """The column's name for a clerk, in the current language."""
    common, by_table, _tables = _labels(i18n.language())
    return by_table.get(table, {}).get(column) or common.get(column) or column


def table_label(table: str) -> str:
    return _labels(i18n.language())[2].get(table, table)
