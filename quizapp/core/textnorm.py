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


def languages_of(text: dict | None) -> tuple[str, ...]:
    """The bank languages a text has: ('en', 'zh'), or one of them for a one-language bank."""
    return tuple(lang for lang in ("en", "zh") if text and text.get(lang))


def pick(text: dict | None, lang: str) -> str:
    """One language of a text: 'en', 'zh' (Simplified) or 'zh-Hant'; a one-language bank's text
    in the language it has, whatever was asked (never an empty Chinese line)."""
    if not text:
        return ""
    key = "zh" if lang.startswith("zh") else "en"
    if not text.get(key):
        key = "en" if key == "zh" else "zh"
        lang = key
    if lang == "zh-Hant":
        return to_traditional(text["zh"])
    return text.get(key, "")
