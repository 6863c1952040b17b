"""Which characters names and bank text may hold, so that what people see is what is stored.

One module for every way text comes in (usernames, live-game nicknames, class names, banks),
so the rules are the same everywhere. Plain Python, no Flask. The `regex` package supplies
Unicode's Script_Extensions property, which the standard library does not have.

The rules, and why:

- Invisible and direction-changing characters (Unicode's format characters, category Cf:
  zero-width space and joiners, U+2060, the byte-order mark, bidi embeddings, overrides and
  isolates; plus the Hangul fillers and the Braille blank, which are letters that print
  nothing) make two names that look the same differ, or make text display in an order other
  than the one stored ("Trojan source"). Names drop them; usernames and banks refuse them.
  Zero-width joiner and non-joiner have real uses (emoji sequences such as 👩‍⚖️, Persian and
  Indic words), so bank text may keep them between two visible non-ASCII characters; a name
  has no need of them.
- A username is letters of one script (Unicode's "highly restrictive" level of UTS #39: Han
  may go with Hiragana and Katakana, with Hangul, or with Bopomofo), ASCII digits, `.`, `-`
  and `_`, after NFKC (so full-width ｔｅａｃｈ１ is teach1). `tеach1` with a Cyrillic е is
  refused: a name mixing Latin and Cyrillic letters is how look-alikes are made.
- Two usernames may not share a `username_key`: the casefolded name with Cyrillic and Greek
  letters that look Latin, and 0/1, folded to the Latin letter they look like. An all-Cyrillic
  `аре` cannot sit beside `ape`, nor `Teach1` beside `teachl`.
"""

from __future__ import annotations

import re
import unicodedata

import regex

from quizapp.core.messages import N_

JOINERS = frozenset("\u200c\u200d")
# Format characters, and the letters that print nothing (Hangul fillers, Braille blank, combining
# grapheme joiner: categories Lo/So/Mn); a regex so a 1 MiB bank is one C-speed scan.
_HIDDEN = regex.compile(r"[\p{Cf}\u115f\u1160\u3164\uffa0\u2800\u034f]")


def is_hidden(ch: str) -> bool:
    """An invisible or direction-changing character."""
    return _HIDDEN.fullmatch(ch) is not None


def describe(ch: str) -> str:
    """U+202E RIGHT-TO-LEFT OVERRIDE: how an error names a character nobody can see."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".strip()


def hidden_character(text: str, allow_joiners: bool = False) -> tuple[int, str] | None:
    """The first invisible or direction-changing character (0-based index, character), or None.

    With allow_joiners, ZWJ/ZWNJ between two visible non-ASCII characters is let through.
    """
    for match in _HIDDEN.finditer(text):
        index, ch = match.start(), match.group()
        if allow_joiners and ch in JOINERS and 0 < index < len(text) - 1:
            before, after = text[index - 1], text[index + 1]
            if all(ord(c) > 127 and not c.isspace() and not is_hidden(c) for c in (before, after)):
                continue
        return index, ch
    return None


def clean_name(text: str | None) -> str:
    """A name as shown to others: NFKC, no control, invisible or direction-changing characters,
    single spaces, trimmed. May be empty: the caller says what a name needs."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and not is_hidden(ch))
    return re.sub(r"\s+", " ", text).strip()


# ------------------------------------------------------------------ usernames

USERNAME_MIN, USERNAME_MIN_CJK, USERNAME_MAX = 3, 2, 32
# Unicode's Recommended scripts for identifiers (UAX #31, table 5): the living scripts.
RECOMMENDED_SCRIPTS = (
    "Arabic",
    "Armenian",
    "Bengali",
    "Bopomofo",
    "Cyrillic",
    "Devanagari",
    "Ethiopic",
    "Georgian",
    "Greek",
    "Gujarati",
    "Gurmukhi",
    "Han",
    "Hangul",
    "Hebrew",
    "Hiragana",
    "Kannada",
    "Katakana",
    "Khmer",
    "Lao",
    "Latin",
    "Malayalam",
    "Myanmar",
    "Oriya",
    "Sinhala",
    "Tamil",
    "Telugu",
    "Thaana",
    "Thai",
    "Tibetan",
)
_SCRIPT = {name: regex.compile(rf"\p{{Script_Extensions={name}}}") for name in RECOMMENDED_SCRIPTS}
# UTS #39's augmented script sets: Japanese, Korean and Chinese-with-Bopomofo writing mixes scripts.
_AUGMENT = {
    "Han": {"Jpan", "Kore", "Hanb"},
    "Hiragana": {"Jpan"},
    "Katakana": {"Jpan"},
    "Hangul": {"Kore"},
    "Bopomofo": {"Hanb"},
}
_CJK = {"Han", "Hiragana", "Katakana", "Hangul", "Bopomofo"}
_USERNAME_PUNCTUATION = frozenset(".-_")

# Before casefolding: capitals that look like a Latin capital (Cyrillic В, Н, Greek Β ...).
_CAPITAL_LOOKALIKES = str.maketrans(
    {
        "А": "a",
        "В": "b",
        "Е": "e",
        "К": "k",
        "М": "m",
        "Н": "h",
        "О": "o",
        "Р": "p",
        "С": "c",
        "Т": "t",
        "У": "y",
        "Х": "x",
        "Ѕ": "s",
        "І": "i",
        "Ј": "j",
        "Ү": "y",
        "Ԛ": "q",
        "Ԝ": "w",
        "Α": "a",
        "Β": "b",
        "Ε": "e",
        "Ζ": "z",
        "Η": "h",
        "Ι": "i",
        "Κ": "k",
        "Μ": "m",
        "Ν": "n",
        "Ο": "o",
        "Ρ": "p",
        "Τ": "t",
        "Υ": "y",
        "Χ": "x",
    }
)
# After casefolding: small letters and digits that look like a small Latin letter.
_SMALL_LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ј": "j",
        "һ": "h",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ӏ": "l",
        "ү": "y",
        "α": "a",
        "ι": "i",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "υ": "u",
        "ϲ": "c",
        "ϳ": "j",
        "օ": "o",
        "ս": "u",
        "հ": "h",
        "ո": "n",
        "0": "o",
        "1": "l",
    }
)


def normalize_username(text: str | None) -> str:
    """What is stored as the username: NFKC (full-width letters become ASCII), trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


def _scripts(ch: str) -> set[str]:
    found = {name for name, pattern in _SCRIPT.items() if pattern.fullmatch(ch)}
    return found | {extra for name in found for extra in _AUGMENT.get(name, ())}


def username_problem(name: str) -> str | None:
    """Why a (normalized) username cannot be used, as a translatable template; None if it can."""
    if hidden_character(name) is not None:
        return N_("A username cannot contain invisible or text-direction characters.")
    common: set[str] | None = None
    letters = 0
    for index, ch in enumerate(name):
        if ch in _USERNAME_PUNCTUATION or ch in "0123456789":
            continue
        category = unicodedata.category(ch)
        if category[0] not in "LM" or (category[0] == "M" and index == 0):
            return USERNAME_RULE
        scripts = _scripts(ch)
        if not scripts:
            if category[0] == "M":
                continue  # a combining mark of no one script belongs to the letter before it
            return N_("Letters of that script cannot be used in a username.")
        common = scripts if common is None else common & scripts
        letters += 1
    minimum = USERNAME_MIN_CJK if common and common & _CJK else USERNAME_MIN
    if not minimum <= len(name) <= USERNAME_MAX or not (letters or any(c.isdigit() for c in name)):
        return USERNAME_RULE
    if common is not None and not common:
        return N_("Write a username in one script: letters of two scripts (such as Latin and Cyrillic) can look alike.")
    return None


USERNAME_RULE = N_(
    "Use 3 to 32 letters, digits, dots, hyphens or underscores (2 are enough in Chinese, Japanese or Korean)."
)


def username_key(name: str) -> str:
    """What two usernames must not share: the name as it looks, casefolded. Never raises, so it
    can be computed for names made before these rules."""
    text = normalize_username(name).translate(_CAPITAL_LOOKALIKES).casefold().translate(_SMALL_LOOKALIKES)
    return text.replace("rn", "m").replace("vv", "w")
