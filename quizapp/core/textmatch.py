"""Whether a typed answer matches a question's accepted answers, as students really type them.

On top of textnorm's folding, spaces, punctuation inside an answer, a leading English article,
curly or straight apostrophes and the accents of Latin letters are differences of typing, not of
knowledge. Where a question allows it, pinyin (with or without tones) counts for its Chinese
answers. One slip of the keys in a long English word is accepted, and the match says so, so that
the learner is told the spelling; never in Chinese, in short words or in pinyin, where one letter
makes another name. An accepted answer that is a number (2020, five, 4.3万, 1.4 billion) is matched by
its value (2020年, 5, 四万三千, 14亿 count), never by its digits: 43万 is not 4.3万, nor 14 billion 1.4 billion.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from quizapp.core.numbers import parse_number
from quizapp.core.textnorm import normalize_text

TYPO_MIN_WORD = 8  # the shortest accepted word in which one slip is forgiven
_ARTICLE = re.compile(r"^(?:the|a|an)\s+(?=\S)")
_TONE_DIGITS = re.compile(r"(?<=[a-z])[1-5]")


@dataclass(frozen=True)
class Match:
    """How a typed answer matched: `how` is "" (as written), "pinyin" or "spelling" (one slip);
    `answer` is the accepted answer it was read as."""

    accepted: bool
    how: str = ""
    answer: str = ""


@lru_cache(maxsize=8192)  # a live game grades the same accepted answers for every phone
def words(text: str) -> tuple[str, ...]:
    """The words an answer compares by: folded, no accents on Latin letters, no punctuation."""
    text = normalize_text(text)
    text = _ARTICLE.sub("", text)
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        category = unicodedata.category(char)
        if category == "Mn" and kept and kept[-1].isascii():
            continue  # ü, ǚ, é: the accent of a Latin letter; a kana's dakuten is kept
        kept.append(" " if category.startswith(("P", "Z")) else char)
    return tuple(unicodedata.normalize("NFC", "".join(kept)).split())


def key(text: str) -> str:
    """An answer folded to the form the grader compares: spaces and punctuation ignored."""
    return "".join(words(text))


@lru_cache(maxsize=8192)
def _number(text: str):
    """The number an answer means (core.numbers), or None when it is not one number."""
    return parse_number(text)


@lru_cache(maxsize=1024)
def _syllables(chinese: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(normalize_text(chinese), style=Style.NORMAL))


def _pinyin_keys(chinese: str) -> set[str]:
    """What a student may type for a Chinese answer in toneless pinyin: lv or lu for 吕."""
    joined = "".join(_syllables(chinese))
    return {joined, joined.replace("v", "u")}


def _pinyin_words(chinese: Iterable[str]) -> set[str]:
    """Every run of consecutive syllables of the Chinese answers (zhou, xiaoxuan, zhouxiaoxuan):
    a name in pinyin, where one letter more or less is another name."""
    found = set()
    for text in chinese:
        syllables = _syllables(text)
        for start in range(len(syllables)):
            for end in range(start + 1, len(syllables) + 1):
                run = "".join(syllables[start:end])
                found |= {run, run.replace("v", "u")}
    return found


def _one_slip(typed: str, right: str) -> int | None:
    """Where in `right` one letter was mistyped, dropped, doubled or swapped to give `typed`; None
    when the two are equal or further apart."""
    if typed == right or abs(len(typed) - len(right)) > 1:
        return None
    at = 0
    while at < min(len(typed), len(right)) and typed[at] == right[at]:
        at += 1
    if len(typed) == len(right):
        same = typed[at + 1 :] == right[at + 1 :]
        swapped = typed[at : at + 2] == right[at : at + 2][::-1] and typed[at + 2 :] == right[at + 2 :]
        ok = same or swapped
    elif len(typed) > len(right):
        ok = typed[at + 1 :] == right[at:]
    else:
        ok = typed[at:] == right[at + 1 :]
    return min(at, len(right) - 1) if ok else None


def _slipped_word(typed: str, right: Sequence[str]) -> str | None:
    """The accepted word the one slip fell in, when `typed` is one slip from the words `right`."""
    at = _one_slip(typed, "".join(right))
    if at is None:
        return None
    for word in right:
        if at < len(word):
            return word
        at -= len(word)
    return None


def match(typed: str, accepted: Mapping[str, Sequence[str]], pinyin: bool = False) -> Match:
    """Match a typed answer against accepted answers per language ({"en": [...], "zh": [...]}),
    first as written, then (when `pinyin`) as pinyin of the Chinese ones, then with one slip."""
    given = key(typed)
    if not given:
        return Match(False)
    answers = [answer for texts in accepted.values() for answer in texts]
    for answer in answers:
        number = _number(answer)
        if number is not None and number == _number(typed):
            return Match(True, "", answer)
        if number is None and key(answer) == given:
            return Match(True, "", answer)
    chinese = accepted.get("zh", ())
    if pinyin and given.isascii():
        toneless = _TONE_DIGITS.sub("", given)
        for answer in chinese:
            if toneless in _pinyin_keys(answer):
                return Match(True, "pinyin", answer)
    if not (given.isascii() and given.isalpha()):
        return Match(False)
    names = _pinyin_words(chinese)
    for answer in answers:
        right = words(answer)
        word = _slipped_word(given, right) if all(w.isascii() for w in right) else None
        if word and len(word) >= TYPO_MIN_WORD and word not in names:
            return Match(True, "spelling", answer)
    return Match(False)
