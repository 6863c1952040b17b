"""The bank editor's YAML syntax errors say what is wrong and how to fix it, at the line and column
to fix, in the reader's language: never PyYAML's own "expected <block end>, but found ..."."""

from __future__ import annotations

import pytest
import yaml

from quizapp.banks import yamlerrors, yamlsafe
from quizapp.banks.bankfile import validate_bytes

# (name, text, expected message, line, column)
CASES = [
    (
        "indented too little",
        "bank: x\nquestions:\n  - id: a\n    type: choice\n   prompt: x\n",
        yamlerrors.INDENTATION,
        5,
    ),
    ("indented too far", "bank: x\ntitle: y\n  zh: z\n", yamlerrors.INDENTED_TOO_FAR, 3),
    ("a tab", "bank: x\nquestions:\n\t- id: a\n", yamlerrors.TAB, 3),
    ("a tab inside an item", "bank: x\nquestions:\n  - id: a\n\ttype: b\n", yamlerrors.TAB, 4),
    ("an unclosed double quote", 'bank: x\ntitle: "abc\nquestions: []\n', yamlerrors.UNCLOSED_QUOTE, 2),
    ("an unclosed single quote", "bank: x\ntitle: 'abc\n", yamlerrors.UNCLOSED_QUOTE, 2),
    ("an unclosed bracket", "bank: x\ntopics: [a, b\nquestions: []\n", yamlerrors.UNCLOSED_BRACKET, 2),
    ("an unclosed brace", "bank: x\ntitle: {en: a, zh: b\nquestions: []\n", yamlerrors.UNCLOSED_BRACKET, 2),
    ("a colon in a plain value", "bank: x\nprompt: Note: this is it\n", yamlerrors.COLON_IN_TEXT, 2),
    ("a colon inside braces", "bank: x\nprompt: {en: Note: this, zh: y}\n", yamlerrors.TEXT_IN_BRACKETS, 2),
    ("text after a closing quote", 'bank: x\nprompt: "abc" def\n', yamlerrors.AFTER_QUOTE, 2),
    ("a quote inside single quotes", "bank: x\nprompt: 'it's'\n", yamlerrors.AFTER_QUOTE, 2),
    ("a list item among keys", "bank: x\n- a\n", yamlerrors.LIST_IN_MAPPING, 2),
    ("a value starting with @", "bank: x\nprompt: @foo\n", yamlerrors.CANNOT_START, 2),
    ("a value starting with a backtick", "bank: x\nprompt: `foo`\n", yamlerrors.CANNOT_START, 2),
    ("an unknown escape", 'bank: x\nprompt: "a\\q"\n', yamlerrors.BAD_ESCAPE, 2),
    ("a continuation line without a colon", "bank: x\nprompt: |\nabc\n", yamlerrors.NO_COLON, 3),
]
LOADERS = {"libyaml": getattr(yaml, "CSafeLoader", yaml.SafeLoader), "pure Python": yaml.SafeLoader}


@pytest.mark.parametrize("loader", sorted(LOADERS))
@pytest.mark.parametrize(("name", "text", "message", "line"), CASES, ids=[c[0] for c in CASES])
def test_common_yaml_mistakes_are_explained_at_their_line(monkeypatch, loader, name, text, message, line):
    monkeypatch.setattr(yamlsafe, "_LOADER", LOADERS[loader])
    [problem] = validate_bytes(text.encode(), "bank.yaml").problems
    assert problem.message == message, (name, problem.text())
    assert problem.line == line, (name, problem.line, problem.column)
    assert "expected <block end>" not in problem.text() and "did not find" not in problem.text()


def test_a_duplicate_key_says_which_one_and_what_to_do():
    [problem] = validate_bytes(b"bank: x\nbank: y\n", "bank.yaml").problems
    assert problem.line == 2 and "the key bank appears twice" in problem.text() and "keep one" in problem.text()


def test_the_editor_explains_a_yaml_error_in_the_readers_language(teacher):
    from quizapp.core.messages import N_  # noqa: F401  (the message is in the catalog)

    teacher.post("/settings/language", data={"locale": "zh", "next": "/"})
    page = teacher.post("/teach/banks/check", data={"source": "bank: x\nprompt: Note: this is it\n"})
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and 'data-goto-line="2"' in text
    assert "mapping values" not in text and "冒号" in text


def test_the_format_guide_is_served_and_linked_from_the_editor(teacher, client):
    editor = teacher.get("/teach/banks/new").get_data(as_text=True)
    assert 'href="/teach/guide/question-format"' in editor and "docs/question-format.md" not in editor
    guide = teacher.get("/teach/guide/question-format")
    page = guide.get_data(as_text=True)
    assert guide.status_code == 200 and page.count("<h1>") == 1
    assert "<h1>The question-bank format, version 1</h1>" in page and "<h2>A question</h2>" in page
    teachers = teacher.get("/teach/guide/teachers").get_data(as_text=True)
    assert 'href="/teach/guide/question-format"' in teachers, "links between the guides lead to their pages"
    assert teacher.get("/teach/guide/security").status_code == 404, "only the teachers' guides"
    assert client.get("/teach/guide/question-format").status_code == 302, "teachers only, like the editor"
