"""Which column of a list holds which field: aliases (the header spellings of the official
lists), a guess from a header row, the four shipped mappings (`resources/lists/*.json`) and the
office's own, saved by name in the registry's `setting` table."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field

from muba_desk.i18n import _
from muba_desk.paths import resource

FIELDS = (
    "nik",
    "kk",
    "family_id",
    "name",
    "birth_place",
    "birth_date",
    "sex",
    "relation",
    "address",
    "rt",
    "rw",
    "dusun",
    "village",
    "district",
    "decile",
    "decile_source",
    "decile_year",
    "p3ke_id",
    "dtks_id",
    "phone",
)


def field_labels() -> dict[str, str]:
    """Each field's name for the clerk (the mapping dialog, messages about unmapped fields)."""
    return {
        "nik": _("NIK"),
        "kk": _("Nomor KK"),
        "family_id": _("ID keluarga di daftar"),
        "name": _("Nama"),
        "birth_place": _("Tempat lahir"),
        "birth_date": _("Tanggal lahir"),
        "sex": _("Jenis kelamin"),
        "relation": _("Hubungan dengan kepala keluarga"),
        "address": _("Alamat"),
        "rt": _("RT"),
        "rw": _("RW"),
        "dusun": _("Dusun"),
        "village": _("Desa/Kelurahan"),
        "district": _("Kecamatan"),
        "decile": _("Desil kesejahteraan"),
        "decile_source": _("Sumber desil"),
        "decile_year": _("Tahun desil"),
        "p3ke_id": _("ID P3KE"),
        "dtks_id": _("ID DTKS/DTSEN"),
        "phone": _("Telepon"),
    }


# Header spellings seen in P3KE, DTKS/DTSEN, SIKS-NG BNBA, OpenSID and SIAK exports (docs/lists.md),
# compared by `header_key`. Within a field the first alias found wins: a Kemendagri code beats a
# village name, the national decile beats the provincial one.
ALIASES: dict[str, tuple[str, ...]] = {
    "nik": (
        "nik",
        "no nik",
        "nomor nik",
        "nik art",
        "nik penduduk",
        "nik peserta",
        "nik penerima",
        "nomor induk kependudukan",
    ),
    "kk": (
        "no kk",
        "nomor kk",
        "nokk",
        "nkk",
        "kk",
        "no kartu keluarga",
        "nomor kartu keluarga",
        "no kk art",
    ),
    "family_id": (
        "id keluarga p3ke",
        "id keluarga",
        "idkeluarga",
        "id kel",
        "id rumah tangga",
        "idartbdt",
    ),
    "name": (
        "nama",
        "nama lengkap",
        "nama art",
        "nama penduduk",
        "nama peserta",
        "nama penerima",
        "nama anggota keluarga",
    ),
    "birth_place": ("tempat lahir", "tmp lahir", "tmpt lahir", "tempat lhr"),
    "birth_date": ("tanggal lahir", "tgl lahir", "tgllahir", "tanggal lhr", "tgl lhr"),
    "sex": ("jenis kelamin", "jk", "kelamin", "l p", "jns kelamin", "jenkel"),
    "relation": (
        "hubungan dengan kepala keluarga",
        "hubungan dengan kk",
        "hubungan keluarga",
        "hubungan dalam keluarga",
        "status hubungan dalam keluarga",
        "shdk",
        "hub keluarga",
        "hub kel",
        "hubungan",
    ),
    "address": ("alamat", "alamat lengkap", "alamat rumah"),
    "rt": ("rt", "no rt"),
    "rw": ("rw", "no rw"),
    "dusun": ("dusun", "dusun lingkungan", "lingkungan", "nama dusun"),
    "village": (
        "kode kemendagri",
        "kode wilayah",
        "kode desa",
        "kode desa kelurahan",
        "kd desa",
        "desa",
        "desa kelurahan",
        "desa kel",
        "kelurahan",
        "nama desa",
    ),
    "district": ("kecamatan", "nama kecamatan", "kode kecamatan", "kec"),
    "decile": (
        "desil nasional",
        "desil kesejahteraan",
        "desil",
        "peringkat desil",
        "desil kabupaten",
        "desil provinsi",
    ),
    "decile_source": ("sumber desil", "sumber data desil"),
    "decile_year": ("tahun desil", "tahun data"),
    "p3ke_id": ("id individu", "id individu p3ke", "id art p3ke", "id p3ke"),
    "dtks_id": ("id dtks", "iddtks", "id dtsen", "iddtsen"),
    "phone": ("no hp", "nomor hp", "hp", "no telp", "no telepon", "nomor telepon", "telepon"),
}

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(text) -> str:
    """A header as compared: lower case, accents, brackets ("(dd/mm/yyyy)") and punctuation
    gone, so "No. KK", "NO_KK" and "no  kk" are one key."""
    if text is None:
        return ""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _BRACKETS.sub(" ", text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


@functools.cache
def _field_of_key() -> dict[str, str]:
    return {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def fields_named(cells) -> set[str]:
    """The fields whose aliases appear among `cells` (a header row scores by this)."""
    known = _field_of_key()
    return {known[key] for key in map(header_key, cells) if key in known}


@dataclass
class Mapping:
    """`columns`: field -> index in `Sheet.headers`; `defaults`: values for fields the list has
    no column for (e.g. `decile_source="p3ke"`)."""

    name: str
    columns: dict[str, int]
    defaults: dict[str, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)  # the sheet's, which `columns` index

    def header_of(self, name: str) -> str:
        index = self.columns[name]
        return self.headers[index] if index < len(self.headers) else ""

    def as_json(self) -> str:
        """The mapping as an import records it: sorted keys, so one mapping is one text."""
        columns = {
            name: {"index": index, "header": self.header_of(name)}
            for name, index in sorted(self.columns.items())
        }
        return json.dumps(
            {
                "name": self.name,
                "columns": columns,
                "defaults": dict(sorted(self.defaults.items())),
            },
            ensure_ascii=False,
            sort_keys=True,
        )


@dataclass(frozen=True)
class Template:
    """A mapping kept by header names, applied to a sheet by `resolve`: each field lists the
    header spellings of that list's shape, the first found wins."""

    name: str
    columns: dict[str, tuple[str, ...]]
    defaults: dict[str, str]

    def resolve(self, headers: list[str]) -> Mapping:
        keys = [header_key(h) for h in headers]
        columns: dict[str, int] = {}
        for name, spellings in self.columns.items():
            for spelling in spellings:
                wanted = header_key(spelling)
                index = next(
                    (i for i, k in enumerate(keys) if k == wanted and i not in columns.values()),
                    None,
                )
                if index is not None:
                    columns[name] = index
                    break
        return Mapping(self.name, columns, dict(self.defaults), list(headers))


def guess_mapping(headers: list[str]) -> Mapping:
    """Each field's column by its aliases, in the order of `ALIASES`; a column serves one field."""
    template = Template("", {name: ALIASES[name] for name in FIELDS}, {})
    return template.resolve(headers)


def _template(data: dict) -> Template:
    unknown = set(data["columns"]) - set(FIELDS)
    if unknown:
        raise ValueError(f"mapping {data['name']!r}: unknown fields {sorted(unknown)}")
    columns = {
        name: tuple(spellings) if isinstance(spellings, list) else (spellings,)
        for name, spellings in data["columns"].items()
    }
    return Template(data["name"], columns, dict(data.get("defaults", {})))


@functools.cache
def shipped_mappings() -> dict[str, Template]:
    """The mappings shipped for the four shapes of docs/lists.md, by name."""
    found = {}
    for path in sorted(resource("lists").glob("*.json")):
        template = _template(json.loads(path.read_text(encoding="utf-8")))
        found[template.name] = template
    return found


SETTING_PREFIX = "list_mapping:"


def save_mapping(reg, mapping: Mapping) -> None:
    """Keep `mapping` under its name, each column by its header, so the next file of the same
    shape finds its columns again whatever their order."""
    from muba_desk.store.registry import set_settings

    stored = {
        "name": mapping.name,
        "columns": {name: [mapping.header_of(name)] for name in sorted(mapping.columns)},
        "defaults": mapping.defaults,
    }
    text = json.dumps(stored, ensure_ascii=False, sort_keys=True)
    set_settings(getattr(reg, "db", reg), {SETTING_PREFIX + mapping.name: text})


def saved_mappings(reg) -> dict[str, Template]:
    """The office's saved mappings, by name."""
    db = getattr(reg, "db", reg)
    rows = db.conn.execute(
        "SELECT key, value FROM setting WHERE key >= ? AND key < ? ORDER BY key",
        (SETTING_PREFIX, SETTING_PREFIX[:-1] + chr(ord(":") + 1)),
    ).fetchall()
    found = {}
    for _key, value in rows:
        try:
            template = _template(json.loads(value))
        except (ValueError, KeyError, TypeError):
            continue  # a damaged setting is skipped, never fatal to the import dialog
        found[template.name] = template
    return found


def mapping_for(sheet, name: str, *, reg=None) -> Mapping:
    """The mapping `name` (a saved one first, then a shipped one) applied to `sheet`'s
    headers; KeyError for an unknown name."""
    known = {**shipped_mappings(), **(saved_mappings(reg) if reg is not None else {})}
    return known[name].resolve(sheet.headers)
