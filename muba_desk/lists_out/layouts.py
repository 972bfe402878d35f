"""Layouts of the files handed to the bank and to BPJS, kept as data (LISTS.md: no public
template exists, and the partners change theirs): which columns, in which order, under which
headers, number and date formats, XLSX or CSV, and how their answer files name their columns.

The defaults ship in `resources/lists_out/` (`bank_bri.json`, `bpjs_tk.json`); the office can
copy one, adjust it and pass it with `--layout FILE`. A layout is checked when it is read, with
an Indonesian message naming the file and the key.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from muba_desk.errors import UserError
from muba_desk.i18n import _
from muba_desk.paths import resource

DEFAULTS = {"bank": "bank_bri.json", "bpjs": "bpjs_tk.json"}

# What a column can show, by list, and how its cells are written.
TEXT, MONEY, DATE, NUMBER = "text", "money", "date", "number"
FIELDS = {
    "bank": {
        "no": NUMBER,
        "nik": TEXT,
        "kk": TEXT,
        "name": TEXT,
        "account_number": TEXT,
        "account_holder": TEXT,
        "bank": TEXT,
        "address": TEXT,
        "village": TEXT,
        "district": TEXT,
        "birth_date": DATE,
        "period": TEXT,
        "tranche": NUMBER,
        "people_covered": NUMBER,
        "amount": MONEY,
    },
    "bpjs": {
        "no": NUMBER,
        "nik": TEXT,
        "kk": TEXT,
        "name": TEXT,
        "birth_date": DATE,
        "sex": TEXT,
        "occupation": TEXT,
        "address": TEXT,
        "village": TEXT,
        "district": TEXT,
        "member_number": TEXT,
        "change": TEXT,
        "change_reason": TEXT,
        "period": TEXT,
        "premium": MONEY,
    },
}
# The answer's columns each list reads; the first two are needed to match a row.
ANSWER_COLUMNS = {
    "bank": ("nik", "period", "status", "reason", "reference", "account_number", "date"),
    "bpjs": ("nik", "period", "status", "reason", "member_number"),
}
ANSWER_NEEDED = ("nik", "status")
_DATE_FORMAT = re.compile(r"(dd|mm|yyyy)([-/. ])(dd|mm|yyyy)\2(dd|mm|yyyy)")


class LayoutError(UserError, ValueError):
    """A layout file that cannot be used; str() is Indonesian and names the file and key."""


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    kind: str


@dataclass(frozen=True)
class Layout:
    name: str
    kind: str
    file_type: str
    sheet_name: str
    csv_delimiter: str
    date_format: str
    money_format: str
    columns: tuple[Column, ...]
    answer_columns: dict[str, tuple[str, ...]]
    done: frozenset[str]
    refused: frozenset[str]
    source: str

    @property
    def suffix(self) -> str:
        return "." + self.file_type

    def format_date(self, iso: str | None) -> str:
        """An ISO date in the layout's order (dd/mm/yyyy and the like); '' for none."""
        if not iso:
            return ""
        year, month, day = iso[:10].split("-")
        parts = {"dd": day, "mm": month, "yyyy": year}
        match = _DATE_FORMAT.fullmatch(self.date_format)
        assert match is not None  # checked when the layout was read
        sep = match.group(2)
        return sep.join(parts[match.group(i)] for i in (1, 3, 4))


def default_layout(kind: str) -> Layout:
    return load_layout(resource("lists_out", DEFAULTS[kind]), kind)


def load_layout(path: Path | str, kind: str) -> Layout:
    """The layout in `path` for a `kind` list ("bank" or "bpjs"), or LayoutError."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LayoutError(
            _("Berkas tata letak “{file}” tidak ditemukan.").format(file=path.name)
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise LayoutError(
            _("Berkas tata letak “{file}” bukan JSON yang sah: {error}").format(
                file=path.name, error=str(exc)[:120]
            )
        ) from None
    return parse_layout(data, kind, path.name)


def parse_layout(data: object, kind: str, source: str) -> Layout:
    def fail(key: str, what: str) -> LayoutError:
        return LayoutError(
            _("Tata letak “{file}”, kunci “{key}”: {what}").format(file=source, key=key, what=what)
        )

    if not isinstance(data, dict):
        raise fail("(seluruh berkas)", _("harus berupa objek JSON {...}."))
    if data.get("kind") != kind:
        raise fail("kind", _("harus “{kind}” untuk daftar ini.").format(kind=kind))
    file_type = data.get("file_type")
    if file_type not in ("xlsx", "csv"):
        raise fail("file_type", _("harus “xlsx” atau “csv”."))
    texts = {}
    for key, default in (
        ("name", source),
        ("sheet_name", "Daftar"),
        ("csv_delimiter", ";"),
        ("date_format", "dd/mm/yyyy"),
        ("money_format", "#,##0"),
    ):
        value = data.get(key, default)
        if not isinstance(value, str) or not value:
            raise fail(key, _("harus berupa teks yang tidak kosong."))
        texts[key] = value
    if len(texts["csv_delimiter"]) != 1:
        raise fail("csv_delimiter", _("harus satu tanda, misalnya “;” atau “,”."))
    if (
        not _DATE_FORMAT.fullmatch(texts["date_format"])
        or len(set(_DATE_FORMAT.fullmatch(texts["date_format"]).group(1, 3, 4))) != 3
    ):
        raise fail("date_format", _("harus memuat dd, mm dan yyyy, misalnya “dd/mm/yyyy”."))
    if len(texts["sheet_name"]) > 31 or set("[]:*?/\\") & set(texts["sheet_name"]):
        raise fail("sheet_name", _("paling banyak 31 huruf, tanpa tanda [ ] : * ? / \\."))
    columns = _columns(data.get("columns"), kind, fail)
    answer = data.get("answer")
    if not isinstance(answer, dict):
        raise fail("answer", _("harus berupa objek dengan “columns”, “done” dan “refused”."))
    answer_columns = _answer_columns(answer.get("columns"), kind, fail)
    words = {}
    for key in ("done", "refused"):
        value = answer.get(key)
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            raise fail(f"answer.{key}", _('harus berupa daftar kata status, misalnya ["GAGAL"].'))
        words[key] = frozenset(v.strip().upper() for v in value)
    return Layout(
        name=texts["name"],
        kind=kind,
        file_type=file_type,
        sheet_name=texts["sheet_name"],
        csv_delimiter=texts["csv_delimiter"],
        date_format=texts["date_format"],
        money_format=texts["money_format"],
        columns=columns,
        answer_columns=answer_columns,
        done=words["done"],
        refused=words["refused"],
        source=source,
    )


def _columns(value, kind: str, fail) -> tuple[Column, ...]:
    if not isinstance(value, list) or not value:
        raise fail("columns", _("harus berupa daftar kolom yang tidak kosong."))
    known = FIELDS[kind]
    out = []
    for number, column in enumerate(value, start=1):
        key = f"columns[{number}]"
        if not isinstance(column, dict):
            raise fail(key, _("harus berupa objek dengan “field” dan “header”."))
        field, header = column.get("field"), column.get("header")
        if field not in known:
            raise fail(
                f"{key}.field",
                _("“{field}” tidak dikenal; yang dikenal: {known}.").format(
                    field=str(field)[:40], known=", ".join(known)
                ),
            )
        if not isinstance(header, str) or not header.strip():
            raise fail(f"{key}.header", _("harus berupa teks yang tidak kosong."))
        out.append(Column(field, header.strip(), known[field]))
    fields = [c.field for c in out]
    if "nik" not in fields:
        raise fail("columns", _("harus memuat kolom “nik”: jawaban dicocokkan dengan NIK."))
    doubled = sorted({f for f in fields if fields.count(f) > 1})
    if doubled:
        raise fail("columns", _("kolom “{field}” muncul dua kali.").format(field=doubled[0]))
    return tuple(out)


def _answer_columns(value, kind: str, fail) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise fail("answer.columns", _("harus berupa objek: kolom -> daftar nama judul."))
    out = {}
    for key, names in value.items():
        if key not in ANSWER_COLUMNS[kind]:
            raise fail(
                f"answer.columns.{key}",
                _("tidak dikenal; yang dikenal: {known}.").format(
                    known=", ".join(ANSWER_COLUMNS[kind])
                ),
            )
        if not (isinstance(names, list) and names and all(isinstance(n, str) for n in names)):
            raise fail(f"answer.columns.{key}", _("harus berupa daftar nama judul kolom."))
        out[key] = tuple(names)
    for key in ANSWER_NEEDED:
        if key not in out:
            raise fail("answer.columns", _("harus memuat “{key}”.").format(key=key))
    return out
