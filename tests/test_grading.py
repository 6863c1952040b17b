"""The question-type registry: reading answers and grading them, by example and by property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from quizapp.banks.types import QUESTION_TYPES, AnswerError, grade
from quizapp.core.textnorm import normalize_text

CHOICE = {
    "type": "choice",
    "choices": [{"text": {}, "correct": False}, {"text": {}, "correct": True}, {"text": {}, "correct": False}],
}
MULTI = {
    "type": "multi",
    "choices": [
        {"text": {}, "correct": True},
        {"text": {}, "correct": True},
        {"text": {}, "correct": False},
        {"text": {}, "correct": False},
    ],
}
NUMERIC = {"type": "numeric", "answer": 43000, "tolerance": 0}
TEXT = {"type": "text", "answer": {"en": ["Lv Pin"], "zh": ["吕频"]}}
ORDER = {"type": "order", "choices": [{"text": {}}, {"text": {}}, {"text": {}}]}
TRUE = {"type": "true_false", "answer": True}


def form(**fields):
    return MultiDict([(k, v) for k, vs in fields.items() for v in (vs if isinstance(vs, list) else [vs])])


def test_registry_has_every_documented_type():
    assert set(QUESTION_TYPES) == {"choice", "multi", "true_false", "numeric", "text", "order", "cloze"}


def test_choice():
    assert grade(CHOICE, form(answer="1"))[1].correct
    assert grade(CHOICE, form(answer="0"))[1].score == 0
    with pytest.raises(AnswerError):
        grade(CHOICE, form(answer="7"))
    with pytest.raises(AnswerError):
        grade(CHOICE, form())


def test_multi_partial_credit_never_below_zero():
    assert grade(MULTI, form(answer=["0", "1"]))[1].correct
    assert grade(MULTI, form(answer=["0"]))[1].score == 0.5
    assert grade(MULTI, form(answer=["0", "2"]))[1].score == 0.0
    assert grade(MULTI, form(answer=["2", "3"]))[1].score == 0.0
    assert not grade(MULTI, form(answer=["0", "1", "2"]))[1].correct


@pytest.mark.parametrize("typed", ["43000", "43,000", "4.3万", "4.3 万", "４３０００", "43 000", "4.3萬", "43000人"])
def test_numeric_accepts_the_ways_people_write_numbers(typed):
    answer, result = grade(NUMERIC, form(answer=typed))
    assert result.correct and answer["text"] == typed.strip()


def test_numeric_tolerance_and_rejection():
    assert not grade(NUMERIC, form(answer="43001"))[1].correct
    assert grade({**NUMERIC, "tolerance": 1000}, form(answer="4.4万"))[1].correct
    assert grade({"type": "numeric", "answer": 1400000000, "tolerance": 0}, form(answer="14亿"))[1].correct
    with pytest.raises(AnswerError):
        grade(NUMERIC, form(answer="a lot"))


@pytest.mark.parametrize("typed", ["Lv Pin", "  lv pin. ", "ＬＶ ＰＩＮ", "吕频", "“呂頻”", "LV  PIN!"])
def test_text_normalises_case_width_punctuation_and_script(typed):
    assert grade(TEXT, form(answer=typed))[1].correct


def test_text_wrong_answer():
    assert not grade(TEXT, form(answer="Feng Yuan"))[1].correct


def test_order_needs_every_place_once():
    assert grade(ORDER, form(**{"position-0": "1", "position-1": "2", "position-2": "3"}))[1].correct
    assert not grade(ORDER, form(**{"position-0": "2", "position-1": "1", "position-2": "3"}))[1].correct
    with pytest.raises(AnswerError):
        grade(ORDER, form(**{"position-0": "1", "position-1": "1", "position-2": "3"}))
    with pytest.raises(AnswerError):
        grade(ORDER, form(**{"position-0": "1", "position-1": "9", "position-2": "3"}))


def test_true_false():
    assert grade(TRUE, form(answer="true"))[1].correct
    assert not grade(TRUE, form(answer="false"))[1].correct
    with pytest.raises(AnswerError):
        grade(TRUE, form(answer="yes"))


@given(st.text(max_size=60))
def test_any_typed_text_either_grades_or_is_refused_cleanly(typed):
    for question in (CHOICE, MULTI, NUMERIC, TEXT, TRUE):
        try:
            _answer, result = grade(question, form(answer=typed))
        except AnswerError:
            continue
        assert 0 <= result.score <= result.max_score


@given(st.permutations([0, 1, 2]))
def test_order_full_marks_only_for_the_right_order(order):
    fields = {f"position-{item}": str(place + 1) for place, item in enumerate(order)}
    assert grade(ORDER, form(**fields))[1].correct == (list(order) == [0, 1, 2])


@given(st.sets(st.integers(0, 3), min_size=1))
def test_multi_score_is_bounded_and_full_only_for_exact_set(picked):
    result = grade(MULTI, form(answer=[str(i) for i in picked]))[1]
    assert 0 <= result.score <= 1
    assert result.correct == (picked == {0, 1})


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
