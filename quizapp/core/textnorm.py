"""Normalise what a student types so that equal answers compare equal.

Full-width forms, case, spacing, surrounding punctuation and Simplified versus
Traditional Chinese are differences of writing, not of knowledge.
"""

from __future__ import annotations

import re
import unicodedata

import opencc

from quizapp.core.traditional import to_traditional

_TO_SIMPLIFIED = opencc.OpenCC("t2s")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_SPACES = re.compile(r"\s+")


def normalize_text(value: str) -> str:
    """Fold an answer to a canonical form: NFKC, casefold, Simplified, single spaces, no edge punctuation."""
    text = unicodedata.normalize("NFKC", value or "")
    text = _TO_SIMPLIFIED.convert(text).casefold()
    text = _SPACES.sub(" ", text).strip()
    text = _EDGE.sub("", text)
    return text


def pick(text: dict | None, lang: str) -> str:
    """One language of a bilingual text: 'en', 'zh' (Simplified) or 'zh-Hant'."""
    if not text:
        return ""
    if lang == "zh-Hant":
        return to_traditional(text["zh"])
    return text["zh" if lang.startswith("zh") else "en"]
