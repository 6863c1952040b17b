"""core.numbers: numbers read as students type them; nothing raises, and no number is misread."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.core.numbers import parse_number

ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
ZH = "零一二三四五六七八九"


def english(n: int) -> str:
    """An independent spelling-out, as an English speaker writes it."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        return ONES[n // 100] + " hundred" + (" and " + english(n % 100) if n % 100 else "")
    for scale, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand")):
        if n >= scale:
            rest = n % scale
            return english(n // scale) + " " + word + ((" " + english(rest)) if rest else "")
    raise AssertionError(n)


def chinese(n: int) -> str:
    """An independent Chinese numeral, with 零 where a place is skipped (一万零五)."""

    def below_10000(m: int, leading: bool) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            digit = m // value % 10
            if digit:
                if zero and out:
                    out += "零"
                out += ("" if (unit == "十" and digit == 1 and not out and leading) else ZH[digit]) + unit
                zero = False
            else:
                zero = True
        return out

    if n == 0:
        return "零"
    parts, text = [(n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")], ""
    for value, unit in parts:
        if value:
            if text and value < 1000 and not text.endswith("零"):
                text += "零"
            text += below_10000(value, not text) + unit
        elif text and not text.endswith("零"):
            text += "零"
    return text.rstrip("零")


@given(st.text(max_size=120))
def test_no_input_raises(text):
    parse_number(text)


@given(
    st.text(
        alphabet="0123456789.,- 〇零一二两三四五六七八九十百千万亿萬億kmbnthousandmilionpeople人名位个年约", max_size=30
    )
)
def test_no_number_like_input_raises(text):
    value = parse_number(text)
    assert value is None or value.is_finite()


@given(st.integers(min_value=0, max_value=10**12))
def test_a_number_written_out_reads_back_exactly(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n:,}".replace(",", " ")) == n
    assert parse_number(english(n)) == n
    assert parse_number(english(n).replace("-", " ").title()) == n
    if n < 10**12:  # 一万亿 and beyond: no count in a bank comes near
        assert parse_number(chinese(n)) == n


@given(
    st.integers(min_value=0, max_value=10**12),
    st.sampled_from(["", "about ", "约", "大约", "around "]),
    st.sampled_from(["", " people", "人", "名", "位", "个", "年", "。", "."]),
)
def test_hedges_and_counting_words_do_not_change_the_number(n, before, after):
    assert parse_number(f"{before}{n:,}{after}") == n


@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=9))
def test_magnitudes_scale_exactly(whole, tenth):
    decimal = Decimal(f"{whole}.{tenth}")
    assert parse_number(f"{decimal}万") == decimal * 10**4
    assert parse_number(f"{decimal}亿") == decimal * 10**8
    assert parse_number(f"{decimal}k") == decimal * 10**3
    assert parse_number(f"{decimal} million") == decimal * 10**6
    assert parse_number(f"{decimal}bn") == decimal * 10**9


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**6))
def test_two_numbers_are_never_read_as_one(a, b):
    for text in (f"{a} or {b}", f"{a}-{b}", f"{a} {b:,}" if b >= 1000 else f"{a}, {b}", f"{a}年{b}月", f"{a}/{b}"):
        assert parse_number(text) is None, text


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("二〇一五", 2015),
        ("二零一八年", 2018),
        ("两千零一十五", 2015),
        ("twenty fifteen", 2015),
        ("nineteen ninety-nine", 1999),
        ("two thousand and eighteen", 2018),
        ("四万三", 43000),
        ("4万3", 43000),
        ("1亿4", 140000000),
        ("三千五", 3500),
        ("一亿四千万", 140000000),
        ("one point four billion", 1400000000),
        ("肆万叁仟", 43000),
        ("-5", -5),
    ],
)
def test_how_people_write_numbers(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize(
    "typed", ["", "five six", "五六", "五五", "43,00", "2015年5月", "twenty-five five", "1e9", "k", "万", "人"]
)
def test_what_is_not_one_number(typed):
    assert parse_number(typed) is None


@pytest.mark.parametrize(
    "text, value", [("一千亿零一", 100000000001), ("一千亿零零一", 100000000001), ("一万零五", 10005)]
)
def test_a_skipped_place_reads_the_same_with_one_zero_or_two(text, value):
    """Standard Chinese writes one 零 for any run of skipped places; a learner who writes two means the same."""
    assert parse_number(text) == value
