"""Numbers as students type them, against every numeric question of the shipped banks.

tests/data/typed_numbers.tsv lists typed answers with the verdict a fair marker gives: every
right one accepted, every wrong one refused (marked wrong, or bounced as not a number).
Questions are found by id in any bank, so a bank's renaming does not lose its rows.
"""

from __future__ import annotations

import csv

import pytest

from quizapp.banks.bankfile import validate_all
from quizapp.banks.types import AnswerError, grade

from .helpers import ROOT

QUESTIONS = {
    q["id"]: q for r in validate_all([ROOT / "questions"]) if r.bank for q in r.bank.questions if q["type"] == "numeric"
}
with (ROOT / "tests" / "data" / "typed_numbers.tsv").open(encoding="utf-8", newline="") as corpus:
    ROWS = [(row["question"], row["typed"], row["expected"]) for row in csv.DictReader(corpus, delimiter="\t")]


def accepted(question: dict, typed: str) -> bool:
    try:
        return grade(question, {"answer": typed})[1].correct
    except AnswerError:
        return False


def test_the_corpus_covers_every_numeric_question_both_ways():
    assert len(ROWS) >= 200
    assert {q for q, _t, _v in ROWS} == set(QUESTIONS)
    for question_id in QUESTIONS:
        verdicts = {v for q, _t, v in ROWS if q == question_id}
        assert verdicts == {"right", "wrong"}, question_id


@pytest.mark.parametrize(("question_id", "typed", "expected"), ROWS)
def test_typed_number_gets_its_fair_verdict(question_id, typed, expected):
    assert accepted(QUESTIONS[question_id], typed) == (expected == "right")
