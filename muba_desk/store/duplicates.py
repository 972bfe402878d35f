"""Likely duplicates while a person is typed: the same NIK, or a similar name born the same day."""

from __future__ import annotations

from muba_desk.domain.names import name_key

# One folding of Indonesian name variants for the whole app (domain/names.py): the form's
# warning and the office's duplicate queue must agree on what "the same name" means. `name_key`
# starts from `fold_name`, so look-alike letters and invisible characters hide nothing.


def _prepare(db) -> None:
    db.conn.create_function("muba_name_key", 1, name_key, deterministic=True)


def people_with_nik(db, nik: str, *, exclude_id: str | None = None) -> list[dict]:
    _prepare(db)
    return _people(db, "p.nik = ?", (nik,), exclude_id)


def people_like(
    db, *, name: str, birth_date: str, village_code: str, exclude_id: str | None = None
) -> list[dict]:
    """Similar name, same birth date, a household in the same village."""
    _prepare(db)
    return _people(
        db,
        "p.birth_date = ? AND h.village_code = ? AND muba_name_key(p.name) = ?",
        (birth_date, village_code, name_key(name)),
        exclude_id,
    )


def households_with_kk(db, kk_number: str, *, exclude_id: str | None = None) -> list[dict]:
    rows = db.conn.execute(
        "SELECT h.id, h.kk_number, v.name FROM household h "
        "LEFT JOIN area_village v ON v.code = h.village_code "
        "WHERE h.kk_number = ? AND h.deleted_at IS NULL AND h.id IS NOT ?",
        (kk_number, exclude_id),
    )
    return [{"id": r[0], "kk_number": r[1], "village": r[2]} for r in rows]


def _people(db, where: str, params: tuple, exclude_id: str | None) -> list[dict]:
    rows = db.conn.execute(
        "SELECT p.id, p.name, p.nik, p.birth_date, v.name FROM person p "
        "LEFT JOIN household h ON h.id = p.household_id "
        "LEFT JOIN area_village v ON v.code = h.village_code "
        f"WHERE {where} AND p.deleted_at IS NULL AND p.id IS NOT ? LIMIT 5",
        (*params, exclude_id),
    )
    return [
        {"id": r[0], "name": r[1], "nik": r[2], "birth_date": r[3], "village": r[4]} for r in rows
    ]
