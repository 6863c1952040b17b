"""The blanks of the article banks' cloze questions as students really type them: right forms in either
language (numbers by their value, names in pinyin, one slip in a long word, Traditional characters) and the
near misses the article invites (43万 for 4.3万, 14 billion for 1.4 billion, accused for charged, arrested for
detained), graded through the cloze type as a quiz grades them."""

from __future__ import annotations

import csv

from quizapp.banks.types import kind_of

from .helpers import DATA
from .test_question_banks import BANKS

CLOZES = {q["id"]: q for bank in BANKS.values() for q in bank.questions if q["type"] == "cloze"}
CORPUS = list(csv.DictReader((DATA / "typed_clozes.tsv").open(encoding="utf-8"), delimiter="\t"))


def test_the_corpus_covers_every_blank_right_and_wrong_in_both_scripts():
    assert {row["question"] for row in CORPUS} == set(CLOZES)
    for qid, q in CLOZES.items():
        for blank in q["blanks"]:
            rows = [row for row in CORPUS if row["question"] == qid and row["blank"] == f"c{blank['n']}"]
            for verdict in ("right", "wrong"):
                typed = [row["typed"] for row in rows if row["verdict"] == verdict]
                assert any(t.isascii() for t in typed) and any(not t.isascii() for t in typed), (qid, blank, verdict)


def blank_is_right(q: dict, blank: str, typed: str) -> bool:
    """Whether `typed` in `blank` is marked right, the other blanks filled with their English text."""
    answer = {str(b["n"]): b["text"]["en"] for b in q["blanks"]} | {blank[1:]: typed}
    return next(p["right"] for p in kind_of(q).parts(q, answer) if f"c{p['n']}" == blank)


def test_every_right_blank_is_accepted_and_no_wrong_one():
    misread = [
        (row["question"], row["blank"], row["typed"], row["verdict"])
        for row in CORPUS
        if blank_is_right(CLOZES[row["question"]], row["blank"], row["typed"]) != (row["verdict"] == "right")
    ]
    assert misread == []


def test_a_blank_wholly_right_scores_one_and_each_wrong_blank_costs_its_share():
    q = CLOZES["pf-cloze-43000"]
    grade = kind_of(q).grade
    assert grade(q, {"1": "2013年", "2": "2017", "3": "4.3万"}).score == 1.0
    assert grade(q, {"1": "2013", "2": "2017", "3": "43万"}).score == round(2 / 3, 4)  # 430,000, not 43,000
    assert grade(q, {"1": "2015", "2": "2018", "3": "14 billion"}).score == 0.0
