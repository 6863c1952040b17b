"""Bank format changes of issue 15: `source` and `explanation` optional, one-language banks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.schema import bank_schema

from .helpers import publish, start

ROOT = Path(__file__).resolve().parent.parent

ENGLISH_ONLY = """\
bank: vocab-en
languages: [en]
title: Vocabulary
questions:
  - id: q1
    type: choice
    prompt: {en: "Pick the fruit"}
    choices:
      - {en: apple, correct: true}
      - {en: chair}
  - id: q2
    type: text
    prompt: Capital of France?
    answer: {en: [Paris]}
cards:
  - {id: c1, front: {en: dog}, back: {en: "a four-legged animal"}}
"""


def test_a_question_needs_neither_source_nor_explanation():
    text = "bank: b\ntitle: {en: T, zh: 标题}\nquestions:\n  - {id: q, type: true_false, prompt: {en: Yes?, zh: 是吗？}, answer: true}\n"
    report = validate_bytes(text.encode(), "b.yaml")
    assert report.ok, report.lines()
    assert "source" not in report.bank.questions[0] and "explanation" not in report.bank.questions[0]


def test_a_bank_may_be_cards_only_but_not_empty():
    assert validate_bytes(b"bank: b\ntitle: T\ncards: [{id: a, front: x, back: y}]\n", "b.yaml").ok
    assert validate_bytes(b"bank: b\ntitle: T\n", "b.yaml").lines() == ["b.yaml:1:1: the field 'questions' is missing"]
    assert "expected at least 1 items" in validate_bytes(b"bank: b\ntitle: T\ncards: []\n", "b.yaml").lines()[0]


def test_a_one_language_bank_has_only_its_language():
    report = validate_bytes(ENGLISH_ONLY.encode(), "b.yaml")
    assert report.ok, report.lines()
    assert report.bank.languages == ("en",)
    assert report.bank.title == {"en": "Vocabulary"}
    assert report.bank.questions[0]["choices"][0] == {"text": {"en": "apple"}, "correct": True}
    assert report.bank.questions[1]["prompt"] == {"en": "Capital of France?"}
    assert report.bank.questions[1]["answer"] == {"en": ["Paris"]}


def test_a_one_language_bank_refuses_the_other_language_and_bad_declarations():
    lines = validate_bytes(ENGLISH_ONLY.replace('{en: "Pick the fruit"}', "{en: a, zh: 甲}").encode(), "b.yaml").lines()
    assert any("questions[0].prompt.zh: the bank declares its languages as en" in line for line in lines), lines
    lines = validate_bytes(ENGLISH_ONLY.replace("languages: [en]", "languages: [fr]").encode(), "b.yaml").lines()
    assert any("b.yaml:2:12: languages: languages is a list of en, zh or both" in line for line in lines), lines
    # a two-language bank still needs both
    lines = validate_bytes(ENGLISH_ONLY.replace("languages: [en]\n", "").encode(), "b.yaml").lines()
    assert any("questions[0].prompt: the zh text is missing" in line for line in lines), lines


def test_the_schema_accepts_what_the_validator_accepts():
    jsonschema.validate(yaml.safe_load(ENGLISH_ONLY), bank_schema())
    committed = json.loads((ROOT / "docs" / "bank.schema.json").read_text(encoding="utf-8"))
    assert committed == bank_schema()
    doc = (ROOT / "docs" / "question-format.md").read_text(encoding="utf-8")
    assert "| `languages` | no |" in doc and "| `source` | no |" in doc and "| `explanation` | no |" in doc


def test_a_one_language_bank_is_shown_without_an_empty_chinese_line(app, teacher):
    assert publish(teacher, ENGLISH_ONLY).status_code == 302
    student = app.test_client()
    for mode in ("zh", "both"):
        assert student.post("/settings/text-mode", data={"mode": mode}).status_code == 302
        quiz_id = start(student, "vocab-en")
        for position in (1, 2):
            html = student.get(f"/quizzes/{quiz_id}/{position}").get_data(as_text=True)
            assert 'lang="en" class="t t-en">' in html, html[:500]
            assert 'class="t t-zh"' not in html and "both" not in html.split("<main", 1)[1].split("</main>")[0]


def test_a_one_language_bank_says_so_on_its_page(app, teacher):
    assert publish(teacher, ENGLISH_ONLY).status_code == 302
    page = app.test_client().get("/banks/vocab-en", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert '<span class="only-language">只有英文</span>' in page
    both = app.test_client().get("/banks/sample").get_data(as_text=True)
    assert "only-language" not in both
