"""Readings of Chinese text (pinyin or zhuyin) as segments, for ruby over the characters.

Plain Python, no Flask: `segments(text, style, corrections)` cuts a text into (characters, reading)
pairs, one pair per Chinese character (its syllable) and one per run of anything else (digits,
Latin, punctuation, 《》), whose reading is None. pypinyin picks each character's reading from the
phrase around it (重庆 chóng, 行业 háng, 长大 zhǎng) and its tone-sandhi mixin changes the tones of
一 and 不 as textbooks mark them (一个 yí gè, 不是 bú shì). A bank's `readings:` corrections
(phrase -> syllables with tone marks) are applied first, longest phrase first, for the names and
readings pypinyin gets wrong. Zhuyin is the same syllables converted by pypinyin's bopomofo style.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

from pypinyin import Style
from pypinyin.contrib.tone_sandhi import ToneSandhiMixin
from pypinyin.converter import DefaultConverter
from pypinyin.core import Pinyin
from pypinyin.style import convert as convert_style

STYLES = ("pinyin", "zhuyin")
# A Chinese character: the CJK ideograph blocks (Unified, Extension A and beyond, Compatibility) and 〇.
_HAN = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_ALL_HAN = re.compile(f"[{_HAN}]+")
# One pinyin syllable with a tone mark or none (a neutral tone): letters, ü, combining marks.
_SYLLABLE = re.compile(r"[a-zA-ZüÜ\u00c0-\u024f\u0300-\u036f]+")
# After 一 these are digits of a number (一九四九年, 一一〇): 一 keeps its first tone before them.
_DIGITS = set("〇零一二三四五六七八九")


class _Converter(ToneSandhiMixin, DefaultConverter):
    """pypinyin with its tone sandhi of 一 and 不 but not of two third tones: readers' pinyin (the
    textbooks, the dictionaries) writes 你好 nǐ hǎo, though it is said ní hǎo, while 一 and 不 are
    written with the tone they are said with."""

    def _third_tone(self, han, pinyin_list):
        return pinyin_list


_PINYIN = Pinyin(_Converter())
_SANDHI = _Converter()


def is_chinese(text: str) -> bool:
    """Whether a text is Chinese characters only (what a `readings:` phrase must be)."""
    return bool(_ALL_HAN.fullmatch(text or ""))


def syllables(reading: str) -> list[str]:
    """A correction's syllables: separated by spaces (an apostrophe or hyphen also separates)."""
    return [s for s in re.split(r"[\s'’\-]+", unicodedata.normalize("NFC", reading.strip())) if s]


def valid_syllable(syllable: str) -> bool:
    """A pinyin syllable as corrections write it: letters with tone marks, no tone numbers."""
    return bool(_SYLLABLE.fullmatch(unicodedata.normalize("NFD", syllable)))


def _no_reading(chars: str) -> list[list[str]]:
    return [[""] for _ in chars]  # pypinyin calls this for a character it has no reading for


def _pypinyin(run: str) -> list[str]:
    """One syllable per character of a run of Chinese characters, as pypinyin reads it.

    pypinyin's mixin changes 一 and 不 only within a word of its segmentation, and only from the
    tone it expects them in (yì, bù): 一天 is segmented 一 + 天 and 一份 keeps the yī of the phrase
    dictionary. So a 一 or 不 that begins a word is given to the mixin's rule again together with the
    syllable after it, from that tone; a 一 ending a word (统一, 之一) is left as pypinyin reads it,
    and so are an ordinal (第一) and a number (一九四九), where 一 keeps its first tone."""
    words = _PINYIN.seg(run)
    found = [item[0] if item else "" for item in _PINYIN.pinyin(words, style=Style.TONE, errors=_no_reading)]
    if len(found) != len(run):  # a character pypinyin splits or joins: no reading rather than a wrong one
        return [""] * len(run)
    position = 0
    for word in words:
        at = position
        position += len(word)
        if word[0] not in "一不" or at + 1 >= len(run) or not found[at + 1]:
            continue
        if word[0] == "一" and (run[at + 1] in _DIGITS or (at and run[at - 1] in "第初")):
            continue
        pair = [["yì" if word[0] == "一" else "bù"], [found[at + 1]]]
        fixed = (_SANDHI._yi if word[0] == "一" else _SANDHI._bu)(run[at : at + 2], pair)
        found[at] = fixed[0][0]
    return found


def _zhuyin(syllable: str) -> str:
    return convert_style(syllable.lower(), Style.BOPOMOFO, strict=True) if syllable else ""


@lru_cache(maxsize=8192)
def _segments(text: str, style: str, corrections: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str | None], ...]:
    fixed = dict(corrections)
    phrase = re.compile("|".join(map(re.escape, sorted(fixed, key=len, reverse=True)))) if fixed else None
    result: list[tuple[str, str | None]] = []
    start = 0
    for run in _HAN_RUN.finditer(text):
        if run.start() > start:
            result.append((text[start : run.start()], None))
        start = run.end()
        chars = run.group()
        readings: list[str] = []
        done = 0
        for match in phrase.finditer(chars) if phrase else ():
            readings += _pypinyin(chars[done : match.start()]) if match.start() > done else []
            readings += syllables(fixed[match.group()])
            done = match.end()
        readings += _pypinyin(chars[done:]) if done < len(chars) else []
        for char, reading in zip(chars, readings, strict=True):
            reading = _zhuyin(reading) if style == "zhuyin" else reading
            result.append((char, reading or None))
    if start < len(text):
        result.append((text[start:], None))
    return tuple(result)


def segments(
    text: str, style: str = "pinyin", corrections: Mapping[str, str] | None = None
) -> tuple[tuple[str, str | None], ...]:
    """`text` as (characters, reading) pairs whose characters, joined, are the text: one pair per
    Chinese character with its syllable (None when there is none), one per run of other text with
    None. `corrections` (phrase -> pinyin syllables, checked as bank_readings checks them) come
    first. Cached per text, style and corrections: a page shows the same prompts again and again."""
    if style not in STYLES:
        raise ValueError(f"unknown reading style {style!r}")
    usable = tuple(
        sorted((p, r) for p, r in (corrections or {}).items() if is_chinese(p) and len(syllables(r)) == len(p))
    )
    return _segments(text or "", style, usable)


def map_segments(
    segments_: tuple[tuple[str, str | None], ...], converted: str
) -> tuple[tuple[str, str | None], ...] | None:
    """The same readings over a converted text (Traditional from Simplified), character by
    character; None when the conversion changed the text's length, so positions no longer match
    and no reading is shown rather than a wrong one."""
    if sum(len(chars) for chars, _ in segments_) != len(converted):
        return None
    result, at = [], 0
    for chars, reading in segments_:
        result.append((converted[at : at + len(chars)], reading))
        at += len(chars)
    return tuple(result)
