"""Normalise what a student types so that equal answers compare equal.

Full-width forms, case, spacing, surrounding punctuation and Simplified versus
Traditional Chinese are differences of writing, not of knowledge.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import opencc

_TO_SIMPLIFIED = opencc.OpenCC("t2s")
_TO_TRADITIONAL = opencc.OpenCC("s2twp")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_SPACES = re.compile(r"\s+")
_MULTIPLIERS = {
    "万": Decimal(10_000),
    "萬": Decimal(10_000),
    "亿": Decimal(100_000_000),
    "億": Decimal(100_000_000),
    "千": Decimal(1_000),
    "k": Decimal(1_000),
    "thousand": Decimal(1_000),
    "million": Decimal(1_000_000),
    "m": Decimal(1_000_000),
    "百万": Decimal(1_000_000),
    "billion": Decimal(1_000_000_000),
    "bn": Decimal(1_000_000_000),
    "b": Decimal(1_000_000_000),
}
_NUMBER = re.compile(r"([+-]?(?:\d+(?:[,\s]\d{3})*|\d*)(?:\.\d+)?)\s*([^\d\s.,]*)")  # fullmatch, never `$`


def normalize_text(value: str) -> str:
    """Fold an answer to a canonical form: NFKC, casefold, Simplified, single spaces, no edge punctuation."""
    text = unicodedata.normalize("NFKC", value or "")
    text = _TO_SIMPLIFIED.convert(text).casefold()
    text = _SPACES.sub(" ", text).strip()
    text = _EDGE.sub("", text)
    return text


def parse_number(value: str) -> Decimal | None:
    """Read 43000, 43,000, 4.3万, 4.3 万, 1.4 billion or ４３０００; None when it is not a number."""
    text = unicodedata.normalize("NFKC", value or "").strip().lower()
    text = text.rstrip("人名个 ").strip() if text and not text[-1].isdigit() else text
    match = _NUMBER.fullmatch(text)
    if not match or not re.search(r"\d", match.group(1)):
        return None
    digits, unit = match.group(1), match.group(2)
    if unit and unit not in _MULTIPLIERS:
        return None
    try:
        number = Decimal(re.sub(r"[,\s]", "", digits))
    except InvalidOperation:
        return None
    return number * _MULTIPLIERS[unit] if unit else number


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Simplified to Traditional (Taiwan usage), for readers who chose 繁體中文."""
    return _TO_TRADITIONAL.convert(text)


def pick(text: dict | None, lang: str) -> str:
    """One language of a bilingual text: 'en', 'zh' (Simplified) or 'zh-Hant'."""
    if not text:
        return ""
    if lang == "zh-Hant":
        return to_traditional(text["zh"])
    return text["zh" if lang.startswith("zh") else "en"]
