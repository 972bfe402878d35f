"""`_()` for every text people read: Indonesian source strings, English from `locale/en.po`.

Indonesian is the default language and the source of truth, so a missing, fuzzy or broken
translation always falls back to the Indonesian text. Call `_()` when a text is shown, never
in a module constant: the language can change after import.
"""

from __future__ import annotations

import ast
import logging
import string
from pathlib import Path

from muba_desk.paths import resource

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "id"
# Each language is named in itself, so a user who cannot read the current one still finds theirs.
LANGUAGES: dict[str, str] = {"id": "Bahasa Indonesia", "en": "English"}

_language = SOURCE_LANGUAGE
_catalogue: dict[str, str] = {}
_plurals: dict[str, tuple[str, ...]] = {}


def _(text: str) -> str:
    """The current language's text for the Indonesian `text` (itself when untranslated)."""
    return _catalogue.get(text, text)


def _n(text: str, n: int) -> str:
    """`_()` for a text about `n` things: Indonesian has one form ("1 penduduk", "2 penduduk"),
    English two, from an en.po entry with `msgid_plural` and `msgstr[0]` (one), `msgstr[1]`."""
    forms = _plurals.get(text)
    if not forms:
        return _(text)
    return forms[0 if n == 1 else -1]


def localized(message: object) -> str:
    """A message of the domain in the current language. The domain cannot import `_()`, so its
    messages carry their English along (`InvalidTransition`, `InvalidNik`, `nik.Message`:
    `str()` is the Indonesian, `message_en` the English); anything else is shown as it is."""
    if _language == "en":
        english = getattr(message, "message_en", None)
        if english:
            return english
    return str(message)


def language() -> str:
    """The current language code: "id" or "en"."""
    return _language


def set_language(code: str, *, locale_dir: Path | None = None) -> None:
    """Switch every later `_()` to `code`; ValueError for a language the app does not ship."""
    global _language, _catalogue, _plurals
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; known: {', '.join(LANGUAGES)}")
    if code == SOURCE_LANGUAGE:
        catalogue: dict[str, str] = {}
        plurals: dict[str, tuple[str, ...]] = {}
    else:
        folder = locale_dir if locale_dir is not None else resource("locale")
        catalogue = load_catalogue(folder / f"{code}.po")
        plurals = load_plurals(folder / f"{code}.po")
    _language, _catalogue, _plurals = code, catalogue, plurals


def placeholders(text: str) -> set[str] | None:
    """The `{names}` in a str.format template; None when the template is malformed."""
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError:
        return None


def load_catalogue(path: Path) -> dict[str, str]:
    """Usable translations from a .po file; a missing file gives an empty catalogue."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        log.warning("translation catalogue %s not found; showing Indonesian", path)
        return {}
    catalogue: dict[str, str] = {}
    for source, translated in parse_po(text).items():
        # A translation with other placeholders would raise KeyError or show the wrong value
        # when formatted, so it is dropped (Electrum does the same).
        wanted = placeholders(source)
        if wanted is None or placeholders(translated) != wanted:
            log.warning("%s: placeholders differ, ignoring translation of %r", path.name, source)
            continue
        catalogue[source] = translated
    return catalogue


def parse_po(text: str) -> dict[str, str]:
    """msgid -> msgstr of a gettext .po file, skipping the header, fuzzy and empty entries.

    Enough of the format for a hand-kept catalogue: comments, `msgctxt` (ignored here), and
    strings continued over several quoted lines. An entry with plural forms gives its last
    form here (see `load_plurals` for all of them).
    """
    entries: dict[str, str] = {}
    for entry in po_entries(text):
        forms = entry.get("forms")
        if forms:
            entries[entry["msgid"]] = forms[-1]
        else:
            entries[entry["msgid"]] = entry["msgstr"]
    return entries


def load_plurals(path: Path) -> dict[str, tuple[str, ...]]:
    """msgid -> its translated forms, for the entries of `path` with `msgid_plural`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    plurals = {}
    for entry in po_entries(text):
        forms = entry.get("forms")
        wanted = placeholders(entry["msgid"])
        if forms and wanted is not None and all(placeholders(f) == wanted for f in forms):
            plurals[entry["msgid"]] = tuple(forms)
    return plurals


def po_entries(text: str) -> list[dict]:
    """The translated entries of a .po file: each a dict with "msgid", "msgstr", "msgctxt"
    (None when absent) and, for plural entries, "forms" (msgstr[0], msgstr[1], ...)."""
    entries: list[dict] = []
    fields: dict[str, str] = {}
    current: str | None = None
    fuzzy = next_fuzzy = False

    def flush() -> None:
        source = fields.get("msgid")
        forms = [fields[k] for k in sorted(fields) if k.startswith("msgstr[")]
        translated = fields.get("msgstr")
        if source and not fuzzy and (translated or (forms and all(forms))):
            entry = {"msgid": source, "msgstr": translated or forms[-1]}
            entry["msgctxt"] = fields.get("msgctxt")
            if forms:
                entry["forms"] = forms
            entries.append(entry)
        fields.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            # Flags belong to the entry that follows them.
            if line.startswith("#,") and "fuzzy" in line:
                next_fuzzy = True
            continue
        keyword, _sep, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid", "msgstr", "msgid_plural") or keyword.startswith(
            "msgstr["
        ):
            starts_entry = keyword == "msgctxt" or (keyword == "msgid" and current != "msgctxt")
            if starts_entry:
                flush()
                fuzzy, next_fuzzy = next_fuzzy, False
            current = keyword
            fields[current] = _unquote(rest, number)
        elif line.startswith('"') and current is not None:
            fields[current] += _unquote(line, number)
        else:
            raise ValueError(f"line {number}: cannot read {raw!r}")
    flush()
    return entries


def _unquote(token: str, number: int) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"line {number}: expected a quoted string, got {token!r}")
    # A .po string uses C escapes, which a Python string literal reads the same way.
    return ast.literal_eval(token)


def format_count(n: int) -> str:
    """2000 -> "2.000" in Indonesian, "2,000" in English."""
    grouped = f"{n:,}"
    return grouped if _language == "en" else grouped.replace(",", ".")
