"""Translations: Indonesian is the source, English comes from en.po, broken ones fall back."""

import ast
from pathlib import Path

import pytest

import muba_desk
from muba_desk import i18n
from muba_desk.i18n import _, load_catalogue, parse_po, set_language
from muba_desk.paths import resource

PACKAGE = Path(muba_desk.__file__).parent


def translated_literals() -> set[str]:
    """Every string literal passed to `_()` (or `_n()`, for a number of things) in the package."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "_n")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_indonesian_is_the_default_and_returns_the_source_text():
    assert i18n.language() == "id"
    assert _("Penduduk") == "Penduduk"


def test_the_english_catalogue_translates_a_known_label():
    set_language("en")
    assert i18n.language() == "en"
    assert _("Penduduk") == "People"
    assert _("{count} orang").format(count=3) == "3 people"
    set_language("id")
    assert _("Penduduk") == "Penduduk"


def test_a_translation_with_different_placeholders_falls_back_to_indonesian(tmp_path):
    (tmp_path / "en.po").write_text(
        'msgid "Halo {name}"\nmsgstr "Hello {nama}"\n\n'
        'msgid "Rumah {kk}"\nmsgstr "House {kk}"\n\n'
        'msgid "Kurung {"\nmsgstr "Brace {"\n',
        encoding="utf-8",
    )
    set_language("en", locale_dir=tmp_path)
    assert _("Halo {name}") == "Halo {name}"
    assert _("Halo {name}").format(name="Siti") == "Halo Siti"
    assert _("Rumah {kk}") == "House {kk}"
    assert _("Kurung {") == "Kurung {"  # a malformed template is never trusted


def test_fuzzy_and_untranslated_entries_are_ignored():
    catalogue = parse_po(
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        '#, fuzzy\nmsgid "Desa"\nmsgstr "Village"\n\n'
        'msgid "Kecamatan"\nmsgstr ""\n\n'
        '# a comment\nmsgid "Baris\\n"\n"dua"\nmsgstr "Line\\n"\n"two"\n'
    )
    assert catalogue == {"Baris\ndua": "Line\ntwo"}


def test_a_missing_catalogue_shows_indonesian(tmp_path):
    set_language("en", locale_dir=tmp_path)
    assert _("Penduduk") == "Penduduk"


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        set_language("fr")
    assert i18n.language() == "id"


def test_every_text_of_the_app_has_an_english_translation():
    catalogue = load_catalogue(resource("locale", "en.po"))
    missing = sorted(translated_literals() - catalogue.keys())
    assert missing == []


def test_the_english_catalogue_has_no_unused_or_broken_entries():
    raw = parse_po(resource("locale", "en.po").read_text(encoding="utf-8"))
    assert raw.keys() == load_catalogue(resource("locale", "en.po")).keys()  # placeholders agree
    assert sorted(raw.keys() - translated_literals()) == []


def test_counts_are_grouped_the_way_each_language_writes_them():
    assert i18n.format_count(2000) == "2.000"
    set_language("en")
    assert i18n.format_count(2000) == "2,000"


def test_english_says_one_thing_and_many_things_differently():
    from muba_desk.i18n import _n

    text = "{count} penduduk cocok dengan “{text}”"
    assert _n(text, 1).format(count=1, text="siti") == "1 penduduk cocok dengan “siti”"
    set_language("en")
    assert _n(text, 1).format(count=1, text="siti") == "1 person matches “siti”"
    assert _n(text, 2).format(count=2, text="siti") == "2 people match “siti”"
    assert _n(text, 0).format(count=0, text="siti") == "0 people match “siti”"


def test_a_plural_entry_is_read_with_all_its_forms(tmp_path):
    (tmp_path / "en.po").write_text(
        'msgid "{count} foto"\nmsgid_plural "{count} foto"\n'
        'msgstr[0] "{count} photo"\nmsgstr[1] "{count} photos"\n\n'
        'msgid "{count} kartu"\nmsgid_plural "{count} kartu"\n'
        'msgstr[0] "{count} card"\nmsgstr[1] "{number} cards"\n',
        encoding="utf-8",
    )
    set_language("en", locale_dir=tmp_path)
    from muba_desk.i18n import _n

    assert _n("{count} foto", 1) == "{count} photo"
    assert _n("{count} foto", 3) == "{count} photos"
    assert _n("{count} kartu", 3) == "{count} kartu"  # a form with other placeholders: Indonesian


@pytest.mark.parametrize(
    "text",
    [
        "{count} baris",
        "Tersisa {count} pasangan di antrean ini",
        "{count} pendaftaran menunggu keputusan",
        "{count} paket diperiksa: {good} diterima, {bad} ditolak.",
        "{count} penduduk pertama menurut nama",
    ],
)
def test_counted_texts_have_one_and_many_in_english(text):
    from muba_desk.i18n import _n, set_language

    set_language("en")
    try:
        one = _n(text, 1).format(count=1, good=1, bad=0)
        many = _n(text, 2).format(count=2, good=2, bad=0)
    finally:
        set_language("id")
    assert one != many.replace("2", "1"), (one, many)  # "1 row", not "1 rows"
    assert _n(text, 1) == text  # Indonesian has one form
