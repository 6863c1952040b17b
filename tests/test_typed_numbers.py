"""Numbers as students type them, against every numeric question of the shipped banks.

tests/data/typed_numbers.tsv lists typed answers with the verdict a fair marker gives: every
right one accepted, every wrong one refused (marked wrong, or bounced as not a number).
Questions are found by id in any bank, so a bank's renaming does not lose its rows.
"""

from __future__ import annotations

import csv

import pytest
from flask import render_template_string

from quizapp.banks.bankfile import validate_all, validate_bytes
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


def test_every_year_is_shown_as_a_year():
    years = [q for q in QUESTIONS.values() if 1900 <= q["answer"] <= 2100]
    assert years and all(q.get("format") == "year" for q in years)


def test_a_year_is_never_grouped_and_a_count_is(app):
    year, count = QUESTIONS["det-year"], QUESTIONS["pf-num-prosecuted"]
    with app.test_request_context():
        shown = [
            render_template_string('{% include type_template(q, "expected") %}', q=q).strip() for q in (year, count)
        ]
    assert shown == ["2015", "43,000"]


def test_a_format_other_than_number_or_year_is_refused():
    bank = "bank: b\ntitle: t\nquestions:\n  - id: q\n    type: numeric\n    prompt: p\n    answer: 2015\n"
    bank += "    format: date\n    explanation: e\n    source: s\n"
    lines = validate_bytes(bank.encode(), "b.yaml").lines()
    assert any("format is number or year (got 'date')" in line for line in lines), lines
