"""Read a number as a student types it, in English or Chinese: 2015年, five, 五名, 43k, 4万3千, 约14亿人口.

Only a whole reading is accepted: anything left over (a second number, a month, an unknown word)
makes the text no number at all, so a wrong number is never read as a right one.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAX_LENGTH = 1000  # beyond any answer: the answer field stops at 500 (a 400-digit number is still a number, just wrong)

# Words that hedge or introduce a number, and counting words or units after it: they never change it.
_BEFORE = re.compile(
    r"^(?:(?:about|around|approximately|approx\.?|roughly|circa|some|nearly|almost|in|the year|year|~|≈|"
    r"大约|大概|约有|约为|约|差不多|将近|近|在)\s*)+"
)
_AFTER = re.compile(
    r"(?:\s*(?:people|persons?|individuals|feminists|young feminists|women|ad|ce|"
    r"人口|个人|個人|人|名|位|个|個|年))+$"
)
_EDGE = re.compile(r"^[\s\"'“”‘’「」()（）]+|[\s\"'“”‘’「」()（）.。!！?？,，、;；:：]+$")

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+(?!\d)|\d+(?:\.\d+)?"
_TOKEN = re.compile(rf"({_ARABIC})|([a-z]+)|([〇零一二两三四五六七八九十百千万亿])|([\s-]+)")

# ---------------------------------------------------------------- Chinese
_ZH_FOLD = str.maketrans("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億兩〇", "一二二三三四五六六七八九十百千万亿两零")
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
_ZH_SMALL = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}

# ---------------------------------------------------------------- English
_EN_ONES = {
    word: i
    for i, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_EN_TENS = {word: 10 * i for i, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_EN_SCALES = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}


def parse_number(value: str) -> Decimal | None:
    """The number a typed answer means, or None when it is not one number."""
    text = unicodedata.normalize("NFKC", value or "").casefold().translate(_ZH_FOLD)
    if len(text) > MAX_LENGTH:
        return None
    text = _EDGE.sub("", text)
    text = _AFTER.sub("", _BEFORE.sub("", text)).strip()
    sign = 1
    if text.startswith(("-", "−")):
        sign, text = -1, text[1:].lstrip()
    tokens = _tokens(text)
    if not tokens:
        return None
    chinese = any(kind == "zh" for kind, _v in tokens)
    try:
        number = _chinese(tokens) if chinese else _english(tokens)
    except (InvalidOperation, ValueError):
        return None
    return None if number is None else sign * number


def _tokens(text: str) -> list[tuple[str, object]] | None:
    """("num", Decimal) for digits, ("word", str) and ("zh", str); separators dropped. None when
    anything is left that no token reads."""
    tokens: list[tuple[str, object]] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            return None
        position = match.end()
        arabic, word, zh, _separator = match.groups()
        if arabic:
            tokens.append(("num", Decimal(re.sub(r"[, ]", "", arabic))))
        elif word:
            tokens.append(("word", word))
        elif zh:
            tokens.append(("zh", zh))
    if position != len(text):
        return None
    return tokens


def _english(tokens) -> Decimal | None:
    """43, 43k, 1.4 bn, forty-three thousand, one point four billion, two thousand and fifteen,
    twenty fifteen (a year said the usual way)."""
    words = [value for kind, value in tokens]
    if all(kind == "word" for kind, _v in tokens):
        year = _spoken_year(words)
        if year is not None:
            return Decimal(year)
        words = _points(words)
        if words is None:
            return None
    total, current, have_current, last_scale = Decimal(0), Decimal(0), False, None
    small = None  # what the current group's last word was: "num", "ones", "tens", "hundred"
    for item in words:
        if isinstance(item, Decimal):
            if have_current:
                return None
            current, have_current, small = item, True, "num"
        elif item == "and":
            continue
        elif item in _EN_ONES:
            if small in ("num", "ones") or (small == "tens" and (_EN_ONES[item] == 0 or _EN_ONES[item] >= 10)):
                return None
            current, have_current, small = current + _EN_ONES[item], True, "ones"
        elif item in _EN_TENS:
            if small in ("num", "ones", "tens"):
                return None
            current, have_current, small = current + _EN_TENS[item], True, "tens"
        elif item == "hundred":
            if not have_current or small == "hundred" or current >= 100 or current != current.to_integral_value():
                return None
            current, small = current * 100, "hundred"
        elif item in _EN_SCALES:
            scale = _EN_SCALES[item]
            if not have_current or (last_scale is not None and scale >= last_scale):
                return None
            total, current, have_current, small, last_scale = total + current * scale, Decimal(0), False, None, scale
        else:
            return None
    if not have_current and last_scale is None:
        return None
    return total + current


def _spoken_year(words: list) -> int | None:
    """ "twenty fifteen", "nineteen ninety-nine": two two-digit numbers, the first 10 to 99."""
    for split in range(1, len(words)):
        first, second = _two_digits(words[:split]), _two_digits(words[split:])
        if first is not None and second is not None and first >= 10 and second >= 10:
            return first * 100 + second
    return None


def _two_digits(words: list) -> int | None:
    if len(words) == 1 and words[0] in _EN_ONES:
        return _EN_ONES[words[0]]
    if len(words) == 1 and words[0] in _EN_TENS:
        return _EN_TENS[words[0]]
    if len(words) == 2 and words[0] in _EN_TENS and words[1] in _EN_ONES and 0 < _EN_ONES[words[1]] < 10:
        return _EN_TENS[words[0]] + _EN_ONES[words[1]]
    return None


def _points(words: list) -> list | None:
    """ "one point four billion": the digits around "point" become one Decimal."""
    if "point" not in words:
        return words
    at = words.index("point")
    whole = _english([("word", w) for w in words[:at]]) if at else Decimal(0)
    digits = []
    for word in words[at + 1 :]:
        if word not in _EN_ONES or _EN_ONES[word] > 9:
            break
        digits.append(str(_EN_ONES[word]))
    if whole is None or not digits:
        return None
    return [Decimal(f"{whole}.{''.join(digits)}"), *words[at + 1 + len(digits) :]]


def _chinese(tokens) -> Decimal | None:
    """五, 十四亿, 四万三千, 4万3千, 4.3万, 1.4亿, 两千零一十五, 二〇一五 (a year digit by digit), 四万三 (3千)."""
    if any(kind == "word" for kind, _v in tokens):
        return None
    chars = [value for kind, value in tokens if kind == "zh"]
    if len(tokens) == 4 and len(chars) == 4 and all(c in _ZH_DIGITS and c != "两" for c in chars):
        return Decimal("".join(str(_ZH_DIGITS[c]) for c in chars))
    total, section, current = Decimal(0), Decimal(0), None
    last_small, last_big, zero = None, None, False
    for kind, value in tokens:
        if value == "零":
            if current is not None:
                return None
            zero = True  # 零 marks skipped places; a doubled one (一千亿零零一) says the same thing
        elif kind == "num" or value in _ZH_DIGITS:
            if current is not None:
                return None
            current = value if kind == "num" else Decimal(_ZH_DIGITS[value])
        elif value in _ZH_SMALL:
            unit = _ZH_SMALL[value]
            # units fall within a section (千, 百, 十), and only 十 may stand without a digit (十四)
            if (last_small is not None and unit >= last_small) or (current is None and value != "十"):
                return None
            section += (Decimal(1) if current is None else current) * unit
            current, last_small, zero = None, unit, False
        else:
            unit = _ZH_BIG[value]
            section += current or 0
            if (last_big is not None and unit >= last_big) or not section:
                return None
            total += section * unit
            section, current, last_small, last_big, zero = Decimal(0), None, None, unit, False
    if current is not None:
        below = last_small if last_small is not None else last_big
        if below is not None and below >= 100 and not zero and current in range(1, 10):
            current = (
                current * below / 10
            )  # 四万三 is 43,000 and 三千五 is 3,500: a lone last digit counts one unit lower
        section += current
    return total + section
