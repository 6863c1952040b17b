"""The bank format v1: every rule gives a file:line:col error naming the field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.banks.bankfile import validate_all, validate_bytes

from .helpers import QUIZAPP

ROOT = Path(__file__).resolve().parent.parent
VALID_QUESTION = """
  - id: q1
    type: choice
    prompt: {en: "Which year?", zh: "哪一年？"}
    choices:
      - {en: "2015", zh: "2015年"}
      - {en: "2020", zh: "2020年", correct: true}
    explanation: {en: "Because.", zh: "因为。"}
    source: "In 2020, China passed a new civil code"
"""
HEAD = "bank: b\ntitle: {en: T, zh: 标题}\nquestions:\n"


def problems(text: str | bytes, path="bank.yaml") -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return validate_bytes(data, path).lines()


def test_valid_bank_passes():
    report = validate_bytes((HEAD + VALID_QUESTION).encode(), "b.yaml")
    assert report.ok and report.bank.id == "b"
    assert report.bank.questions[0]["choices"][1] == {"text": {"en": "2020", "zh": "2020年"}, "correct": True}


def test_documented_example_validates():
    doc = (ROOT / "docs" / "question-format.md").read_text(encoding="utf-8")
    example = re.search(r"## A complete example\n\n```yaml\n(.*?)```", doc, re.S).group(1)
    report = validate_bytes(example.encode(), "example.yaml")
    assert report.problems == []
    assert {q["type"] for q in report.bank.questions} == {
        "choice",
        "multi",
        "true_false",
        "numeric",
        "text",
        "order",
        "cloze",
    }


def test_choice_without_correct_option_names_file_line_and_field():
    text = HEAD + VALID_QUESTION.replace(", correct: true", "")
    assert problems(text, "questions/civil-code.yaml") == [
        'questions/civil-code.yaml:9:7: questions[0].choices: a "choice" question needs exactly one correct choice (found 0)'
    ]


def test_all_errors_of_a_file_are_listed_in_one_run():
    text = HEAD + VALID_QUESTION.replace("prompt:", "promt:").replace('zh: "因为。"', 'zh: ""')
    lines = problems(text)
    assert any("unknown field 'promt'" in line for line in lines)
    assert any("the field 'prompt' is missing" in line for line in lines)
    assert any("explanation.zh: the text is empty" in line for line in lines)


@pytest.mark.parametrize(
    "mutation, expected",
    [
        (lambda t: t.replace('zh: "哪一年？"', ""), "prompt: the zh text is missing"),
        (lambda t: t.replace("id: q1", "id: Q_1"), "questions[0].id: an id uses lowercase letters"),
        (lambda t: t.replace("type: choice", "type: essay"), "unknown question type 'essay'"),
        (lambda t: t + VALID_QUESTION, "questions[1].id: the id 'q1' is already used by questions[0]"),
        (lambda t: t.replace("    type: choice", "    type: choice\n    difficulty: 5"), "difficulty is 1, 2 or 3"),
        (lambda t: t.replace("    type: choice", "    type: choice\n    type: multi"), "the key type appears twice"),
        (
            lambda t: t.replace('source: "In 2020, China passed a new civil code"', "source: [1, 2]"),
            "source: the source is a quote",
        ),
        (lambda t: t.replace("questions:\n", "questions: []\nx:\n"), "expected at least 1 items"),
        (
            lambda t: t.replace("bank: b", "bank: !!python/object/apply:os.system [ls]"),
            "the tag !!python/object/apply:os.system is not allowed",
        ),
        (
            lambda t: t.replace("title: {en: T, zh: 标题}", "title: &t {en: T, zh: 标题}\ndescription: *t"),
            "anchors and aliases",
        ),
        (
            lambda t: t.replace("title: {en: T, zh: 标题}", "title: {en: T, zh: 标题"),
            "the { opened here is never closed",
        ),
        (
            lambda t: t.replace("title: {en: T, zh: 标题}", "title: {en: T, zh: 标题, fr: Titre}"),
            "title.fr: unknown language",
        ),
        (
            lambda t: t.replace("questions:\n", "topics: {Bad_Topic: {en: a, zh: 甲}}\nquestions:\n"),
            "topics.Bad_Topic: an id",
        ),
        (
            lambda t: t.replace("questions:\n", "topics: {law: {en: Law}}\nquestions:\n"),
            "topics.law: the zh text is missing",
        ),
        (lambda t: t.replace("questions:\n", "topics: [law]\nquestions:\n"), "topics: expected a mapping of topic ids"),
    ],
)
def test_each_rule_is_reported(mutation, expected):
    lines = problems(mutation(HEAD + VALID_QUESTION))
    assert any(expected in line for line in lines), lines
    assert all(re.match(r"^bank\.yaml:\d+:\d+: ", line) for line in lines)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("type: numeric\n    answer: many", "a numeric question needs a number as its answer (got 'many')"),
        ("type: numeric\n    answer: 5\n    tolerance: -1", "the tolerance is a number of 0 or more (got -1)"),
        ("type: order\n    choices: [{en: a, zh: 甲}]", "questions[0].choices: expected at least 2 items (found 1)"),
        ("type: true_false\n    answer: maybe", "a true_false question needs answer: true or answer: false"),
        ("type: text\n    answer: {en: [x]}", "answer.zh: list the accepted zh answers"),
        (
            "type: multi\n    choices: [{en: a, zh: 甲}, {en: b, zh: 乙}]",
            'a "multi" question needs at least one correct choice',
        ),
        ("type: true_false\n    answer: true\n    choices: [a, b]", "a 'true_false' question has no 'choices' field"),
    ],
)
def test_type_rules(question, expected):
    text = (
        HEAD
        + f"""  - id: q1
    {question}
    prompt: p
    explanation: e
    source: s
"""
    )
    assert any(expected in line for line in problems(text)), problems(text)


def test_bom_and_crlf_are_fine():
    data = b"\xef\xbb\xbf" + (HEAD + VALID_QUESTION).replace("\n", "\r\n").encode()
    assert validate_bytes(data, "b.yaml").ok


def test_non_utf8_is_rejected_with_position():
    data = (HEAD + VALID_QUESTION).encode().replace("标题".encode(), b"\xb1\xea\xcc\xe2")  # GBK bytes
    assert problems(data) == ["bank.yaml:2:20: the file is not UTF-8 text (byte 0xb1)"]


def test_huge_and_deep_files_are_rejected():
    assert "too large" in problems(b"a: " + b"x" * (1024 * 1024 + 1))[0]
    assert "nested too deeply" in problems("a: " + "[" * 100 + "]" * 100)[0]


def test_billion_laughs_is_rejected_without_expanding():
    bomb = 'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
    assert "anchors and aliases" in problems(bomb)[0]


def test_empty_and_non_mapping_files():
    assert problems("") == ["bank.yaml:1:1: the file is empty"]
    assert "expected a mapping" in problems("- a\n- b\n")[0]


def test_same_bank_id_in_two_files_is_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text(HEAD + VALID_QUESTION, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(HEAD + VALID_QUESTION, encoding="utf-8")
    reports = validate_all([tmp_path])
    assert reports[0].ok and not reports[1].ok
    assert "the bank id 'b' is also used by" in reports[1].lines()[0]


def test_committed_schema_is_the_commands_output():
    import json
    import subprocess

    output = subprocess.run([*QUIZAPP, "banks", "schema"], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert json.loads(output) == json.loads((ROOT / "docs" / "bank.schema.json").read_text(encoding="utf-8"))


def test_every_shipped_bank_and_the_example_match_the_schema():
    import json

    import jsonschema
    import yaml

    schema = json.loads((ROOT / "docs" / "bank.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    doc = (ROOT / "docs" / "question-format.md").read_text(encoding="utf-8")
    example = yaml.safe_load(re.search(r"## A complete example\n\n```yaml\n(.*?)```", doc, re.S).group(1))
    for data in [example] + [
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "questions").glob("*.yaml")
    ]:
        assert list(validator.iter_errors(data)) == [], data["bank"]
    broken = dict(example, questions=[dict(example["questions"][0], promt="typo")])
    assert any("promt" in e.message for e in validator.iter_errors(broken))
