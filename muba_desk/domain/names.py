"""Indonesian personal names compared as clerks read them: spelling variants, initials, spacing.

"M. Yusuf", "Muhamad Jusuf" and "MOH. YUSUF" are one name written three ways; "Nurhayati" and
"Nur Hayati" too. `similarity` gives a score from 0 to 1 and says in Indonesian why.

Every comparison and search of names starts from `fold_name`, the one form in which invisible
characters, look-alike letters of other scripts, full-width letters, case and accents no
longer tell two names apart (docs/design.md, "Names compared and searched in one folded form").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

# Written forms of one name part, folded to one form before names are compared.
VARIANTS: dict[str, str] = {
    **dict.fromkeys(
        (
            "m",
            "mu",
            "muh",
            "muhd",
            "mhd",
            "mhmd",
            "moh",
            "mohd",
            "mochd",
            "moch",
            "much",
            "muchamad",
            "muchammad",
            "muhamad",
            "muhammad",
            "muhamat",
            "muhammat",
            "mohamad",
            "mohammad",
            "mohamed",
            "mochamad",
            "mochammad",
            "mukhamad",
            "mukhammad",
        ),
        "muhammad",
    ),
    **dict.fromkeys(("st", "sitti", "siti"), "siti"),
    **dict.fromkeys(("nur", "noor", "nor"), "nur"),
    **dict.fromkeys(("abd", "abdul", "abdoel"), "abdul"),
    **dict.fromkeys(("ahmad", "achmad", "akhmad", "ahmat", "amad"), "ahmad"),
    **dict.fromkeys(("hj", "haji"), "haji"),
    **dict.fromkeys(("h",), "haji"),
}
# Abbreviations that stand for a whole word (so "M." is not read as an initial of anything).
ABBREVIATIONS = {
    *("m", "mu", "muh", "muhd", "mhd", "mhmd", "moh", "mohd", "mochd", "moch", "much"),
    *("st", "abd", "hj"),
}
# Words that do not tell people apart: titles and "son/daughter of".
NOISE = {"haji", "hajjah", "hjh", "bin", "binti", "bt", "bn", "alm", "almh", "dr", "ir", "s"}
# Pre-1972 (van Ophuijsen / Soewandi) spellings still on many old documents, and common
# aspirations, in the order they must be applied.
OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("ch", "kh"), ("nj", "ny"))
WORD_THRESHOLD = 0.75
_NOT_LETTERS = re.compile(r"[^a-z]+")
_DOUBLE = re.compile(r"(.)\1+")


# Letters of other scripts drawn like a Latin letter, each to that letter: the Cyrillic and
# Greek entries of Unicode's confusables.txt (UTS #39) whose prototype is one Latin letter,
# both cases, so "Sіti Аminah" typed with a Ukrainian і and a Cyrillic А is "siti aminah".
# Changing this table changes the search index's content: it needs a migration rebuilding
# it (as m011 did, store/schema.py).
CONFUSABLES: dict[str, str] = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M",
    "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ү": "Y",
    "Ӏ": "l", "Ԛ": "Q", "Ԝ": "W",
    # Cyrillic small letters
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
    "і": "i", "ј": "j", "һ": "h", "ү": "y", "ӏ": "l", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Greek small letters
    "α": "a", "γ": "y", "ι": "i", "ν": "v", "ο": "o", "ρ": "p", "υ": "u",
    # Latin dotless i, drawn as i in most fonts of Indonesian keyboards' fallbacks
    "ı": "i",
}  # fmt: skip
_CONFUSABLES = str.maketrans(CONFUSABLES)
# Invisible characters that are not of category Cf (format), also dropped: Hangul fillers,
# which render as nothing. Cf (zero-width space and joiners, soft hyphen, word joiner, byte
# order mark, direction marks) and marks (accents, variation selectors, the combining
# grapheme joiner) are found by category.
_INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0")


def _dropped(c: str) -> bool:
    return c in _INVISIBLE or unicodedata.category(c) in ("Cf", "Mn", "Me")


def fold_name(name: object) -> str:
    """The one form names are compared and searched in: "Ｓｉｔｉ  Aminah", "Si\u200bti
    AMINAH", "Sіti Аminah" (Cyrillic і, А) and "Sití Aminah" all give "siti aminah".

    Compatibility forms folded (NFKC's table: full-width letters, ligatures, no-break spaces),
    invisible characters and accents dropped, look-alike letters of other scripts turned
    into the Latin letter (CONFUSABLES), case folded, runs of spaces made one. Punctuation
    stays: `fold` and the search's tokenizer read it as a word break.
    """
    if not name:
        return ""
    if not isinstance(name, str):  # a number in a bundle's JSON, a BLOB through SQL
        name = str(name)
    if name.isascii():  # nearly every name: nothing to fold but case and spaces
        return " ".join(name.casefold().split())
    # NFKD: the compatibility folding of NFKC, with accents split off so they can be dropped.
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not _dropped(c)).translate(_CONFUSABLES)
    return " ".join(text.casefold().split())


def has_hidden_differences(name: str | None) -> bool:
    """Whether `name` holds characters `fold_name` drops or swaps for another letter, beyond
    case and accents: invisible ones, look-alikes of other scripts, full-width forms."""
    for c in name or "":
        if c.isascii():
            continue
        if c in CONFUSABLES or c in _INVISIBLE or unicodedata.category(c) == "Cf":
            return True
        if unicodedata.normalize("NFKC", c) != unicodedata.normalize("NFC", c):
            return True
    return False


def fold(name: str | None) -> str:
    """`fold_name`, with punctuation and digits turned into spaces: the words of a name."""
    return " ".join(_NOT_LETTERS.sub(" ", fold_name(name)).split())


def _respell(word: str) -> str:
    for old, new in OLD_SPELLING:
        word = word.replace(old, new)
    # "Jusuf" is the old spelling of "Yusuf": a j before a vowel at the start is a y then.
    if len(word) > 2 and word[0] == "j" and word[1] in "aiueo" and word[1:3] in ("us", "un"):
        word = "y" + word[1:]
    # Sounds South Sumatran speech and clerks swap: Fatimah / Patimah, Yusuf / Yusup, Khadijah /
    # Kadijah, Fatimah / Fatima.
    word = word.replace("kh", "k").replace("f", "p").replace("v", "p")
    if len(word) > 3 and word[-1] == "h" and word[-2] in "aiueo":
        word = word[:-1]
    word = _DOUBLE.sub(r"\1", word)
    # "Rahmawaty", "Hendry": a final y after a consonant is the old way to write i.
    if len(word) > 2 and word[-1] == "y" and word[-2] not in "aiueo":
        word = word[:-1] + "i"
    return word


def tokens(name: str | None) -> list[str]:
    """The name's words after variants, old spelling and doubled letters are folded."""
    out = []
    for word in fold(name).split():
        word = VARIANTS.get(word, word)
        if word in NOISE:
            continue
        out.append(_respell(word))
    return out


def name_key(name: str | None) -> str:
    """One string per spelling family, spaces dropped: "M. Yusuf", "Muhamad Jusuf" and
    "Muhammad  Yusuf" all give "muhamadyusuf" (for blocking and exact look-ups)."""
    return "".join(tokens(name))


def search_key(name: object) -> str:
    """The words of a name as the duplicate finder compares them ("Achmad Firdaus" ->
    "ahmad pirdaus", "M. Yoga" -> "muhamad yoga"): what the middle-of-names search index holds
    (m018) and what a typed query is turned into before it is looked up there. Changing
    `tokens` changes the index's content: it needs a migration rebuilding it."""
    if not isinstance(name, str):
        name = "" if name is None else str(name)
    return " ".join(tokens(name))


# Sound-alike spellings `tokens` keeps apart, folded for the regency-wide duplicate scan's
# blocking (office/duplicates.py): th/dh/ph (Thamrin/Tamrin), q/x/z (Zainal/Jainal), sy/s
# (Syamsul/Samsul). Applied to words `_respell` already made (oe, dj, tj, ch/kh, f/p done).
_SOUNDS = (("ph", "p"), ("th", "t"), ("dh", "d"), ("sy", "s"), ("q", "k"), ("x", "ks"), ("z", "j"))
_VOWELS = "aiueo"


def phonetic_word(word: str) -> str:
    """One word as it sounds to a clerk in Muba: "dymas" and "dimas", "rahmat" and "ramat",
    "yusup" and "yusuf" (after `_respell`), "yuliyanti" and "yulianti" give one form."""
    for old, new in _SOUNDS:
        word = word.replace(old, new)
    out: list[str] = []
    for i, c in enumerate(word):
        before = out[-1] if out else ""
        after = word[i + 1] if i + 1 < len(word) else ""
        if c == "y" and before and before not in _VOWELS:
            c = "i"  # Dymas / Dimas, Sity / Siti: y after a consonant is the old i
        elif c == "y" and before == "i" and after in _VOWELS:
            continue  # Yuliyanti / Yulianti: a glide written or not
        elif c == "h" and before in _VOWELS and before and after not in _VOWELS:
            continue  # Rahmat / Ramat, Fahmi / Fami: an h after a vowel is barely heard
        out.append(c)
    word = _DOUBLE.sub(r"\1", "".join(out))
    if len(word) > 3 and word.endswith("ie"):
        word = word[:-1]  # Hayatie / Hayati, Tatie / Tati: the Dutch way to end on an i
    # Ahmad / Ahmat, Yakub / Yakup: a final stop is voiceless in speech, written either way.
    if len(word) > 2 and word[-2] in _VOWELS and word[-1] in "dtbp":
        word = word[:-1] + {"d": "t", "b": "p"}.get(word[-1], word[-1])
    return word


# "ch" or "kh" between a vowel and a consonant is the h of Rahmat, Fahri, Ihsan written the
# old way (Rachmat, Fachri, Ikhsan), not the k `_respell` makes of it elsewhere (Chairil).
_ASPIRATED = re.compile(r"(?<=[aiueo])[ck]h(?=[^aiueo])")


def phonetic_words(name: str | None) -> list[str]:
    """The name's words as they sound (as `tokens`, then `phonetic_word`): Muhammad / Muhamad /
    Mohammad / M., Achmad / Ahmad, Noer / Nur, Sity / Siti, Dymas / Dimas, Yusup / Yusuf,
    Rachmat / Rahmat each give one word. Initials stay one letter."""
    out = []
    for word in fold(name).split():
        word = VARIANTS.get(word, word)
        if word in NOISE:
            continue
        out.append(phonetic_word(_respell(_ASPIRATED.sub("h", word))))
    return out


def phonetic_key(name: str | None) -> str:
    """`phonetic_words` joined without spaces: "Nur Hayati" and "Noerhayatie" give one key."""
    return "".join(phonetic_words(name))


@dataclass(frozen=True)
class NameMatch:
    score: float
    reasons: tuple[str, ...]


def _word_score(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        # An initial matches any word it starts: "A. Rahman" may be "Ahmad Rahman".
        return 0.85 if a[0] == b[0] else 0.0
    ratio = SequenceMatcher(None, a, b).ratio()
    # Below this, two words are different names (Yusuf / Yunus is 0.6), not two spellings.
    return ratio if ratio >= WORD_THRESHOLD else 0.0


def _align(short: list[str], long: list[str]) -> float:
    """Best one-to-one pairing of words, averaged over the longer name (greedy is enough for
    the two to five words a name has)."""
    free = list(long)
    total = 0.0
    for word in short:
        best = max(free, key=lambda other: _word_score(word, other))
        total += _word_score(word, best)
        free.remove(best)
    return total / len(long)


def similarity(a: str | None, b: str | None) -> NameMatch:
    """How alike two names are, from 0 (nothing shared) to 1 (the same name), with reasons."""
    if not fold(a) or not fold(b):
        return NameMatch(0.0, ("nama kosong",))
    if (a or "").strip() == (b or "").strip():
        return NameMatch(1.0, ("nama sama persis",))
    reasons: list[str] = []
    if has_hidden_differences(a) or has_hidden_differences(b):
        # The clerk may see two names that look the same: say why they were not equal.
        reasons.append("berisi huruf mirip dari abjad lain atau karakter tak terlihat")
    if fold(a) == fold(b):
        reasons.append("beda huruf besar/kecil, tanda baca atau aksen saja")
        return NameMatch(1.0, tuple(reasons))
    ta, tb = tokens(a), tokens(b)
    raw_a, raw_b = set(fold(a).split()), set(fold(b).split())
    for raw in sorted(raw_a ^ raw_b):
        if VARIANTS.get(raw, raw) not in (raw, *NOISE):
            written = f"'{raw.capitalize()}.'" if raw in ABBREVIATIONS else f"'{raw.capitalize()}'"
            reasons.append(f"{written} dibaca '{VARIANTS[raw].capitalize()}'")
    old_a = any(old in w for w in raw_a for old, _ in OLD_SPELLING)
    old_b = any(old in w for w in raw_b for old, _ in OLD_SPELLING)
    if old_a != old_b:
        reasons.append("ejaan lama (oe/dj/tj/ch) disamakan dengan ejaan baru")
    if "".join(ta) == "".join(tb):
        if ta != tb:
            reasons.append("beda spasi antarkata")
        return NameMatch(0.98, tuple(reasons or ["ejaan berbeda, bunyinya sama"]))
    if ta and phonetic_key(a) == phonetic_key(b):
        reasons.append("ejaan berbeda, bunyinya sama")
        return NameMatch(0.95, tuple(reasons))
    if not ta or not tb:
        return NameMatch(0.0, ("hanya gelar atau sebutan",))
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    score = _align(short, long)
    if sorted(ta) == sorted(tb):
        reasons.append("urutan kata berbeda")
    elif len(short) < len(long):
        by_letters = SequenceMatcher(None, "".join(ta), "".join(tb)).ratio()
        if by_letters >= 0.9:
            # "Nur Hayatie" / "Nurhayati": words split differently, letters almost the same.
            score = max(score, by_letters * 0.95)
            reasons.append("beda spasi antarkata")
        elif all(word in long for word in short):
            # "Siti Aminah" in "Siti Aminah Hasan": likely, though a third word may be a parent;
            # one word inside two ("Cahaya", "Nur Cahaya") is too common to count as alike.
            score = max(score, 0.9 if len(short) > 1 else 0.8)
            reasons.append("satu nama lebih lengkap")
    score = round(score, 3)
    if any(len(w) == 1 for w in ta + tb):
        reasons.append("inisial dicocokkan dengan kata lengkap")
    if score < 0.98:
        reasons.append(f"kemiripan ejaan {round(score * 100)} %")
    return NameMatch(score, tuple(reasons))
