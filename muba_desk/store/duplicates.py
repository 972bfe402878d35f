"""Likely duplicates while a person is typed: the same NIK, or a similar name born the same day."""

from __future__ import annotations

from muba_desk.domain.names import name_key, phonetic_key

# One folding of Indonesian name variants for the whole app (domain/names.py): the form's
# warning and the office's duplicate queue must agree on what "the same name" means. `name_key`
# starts from `fold_name`, so look-alike letters and invisible characters hide nothing.


def _prepare(db) -> None:
    db.conn.create_function("muba_name_key", 1, name_key, deterministic=True)
    db.conn.create_function("muba_phonetic_key", 1, phonetic_key, deterministic=True)


def people_with_nik(db, nik: str, *, exclude_id: str | None = None) -> list[dict]:
    _prepare(db)
    return _people(db, "p.nik = ?", (nik,), exclude_id)


def people_like(
    db,
    *,
    name: str,
    birth_date: str,
    village_code: str | None = None,
    exclude_id: str | None = None,
) -> list[dict]:
    """The same birth date and a name of one spelling family or one sound ("Sity Sari" for
    "Siti Sari"), in any village: registering again in another village is the double aid
    the office looks for (docs/design.md, "Duplicates across the regency"). People of
    `village_code` come first."""
    _prepare(db)
    return _people(
        db,
        "p.birth_date = ? AND (muba_name_key(p.name) = ? OR muba_phonetic_key(p.name) = ?)",
        (birth_date, name_key(name), phonetic_key(name)),
        exclude_id,
        first_village=village_code,
    )


def households_with_kk(db, kk_number: str, *, exclude_id: str | None = None) -> list[dict]:
    rows = db.conn.execute(
        "SELECT h.id, h.kk_number, v.name FROM household h "
        "LEFT JOIN area_village v ON v.code = h.village_code "
        "WHERE h.kk_number = ? AND h.deleted_at IS NULL AND h.id IS NOT ?",
        (kk_number, exclude_id),
    )
    return [{"id": r[0], "kk_number": r[1], "village": r[2]} for r in rows]


def _people(
    db, where: str, params: tuple, exclude_id: str | None, first_village: str | None = None
) -> list[dict]:
    rows = db.conn.execute(
        "SELECT p.id, p.name, p.nik, p.birth_date, v.name FROM person p "
        "LEFT JOIN household h ON h.id = p.household_id "
        "LEFT JOIN area_village v ON v.code = h.village_code "
        f"WHERE {where} AND p.deleted_at IS NULL AND p.id IS NOT ? "
        "ORDER BY h.village_code IS NOT ?, p.id LIMIT 5",
        (*params, exclude_id, first_village),
    )
    return [
        {"id": r[0], "name": r[1], "nik": r[2], "birth_date": r[3], "village": r[4]} for r in rows
    ]
