"""Issue 11, input validation of banks: each attack that crashed the validator, broke grading or
hid text is now a file:line:col: field error, in the CLI, the teacher's editor and at start-up."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.types import Numeric, grade
from quizapp.core.store import connect

from .helpers import DATA, QUIZAPP, ROOT, db_of, mine, quiz_question, start

SAMPLE = (DATA / "sample.yaml").read_text(encoding="utf-8")
NUMERIC = "answer: 43000\n    tolerance: 0"
HUGE_INT = "1" + "0" * 5000


def numeric(answer: str = "43000", tolerance: str = "0") -> str:
    return SAMPLE.replace(NUMERIC, f"answer: {answer}\n    tolerance: {tolerance}")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def lines(text: str) -> list[str]:
    return validate_bytes(text.encode(), "b.yaml").lines()


@pytest.mark.parametrize(
    "answer",
    ["10000000000000000000000000000", "1.0e+28", ".nan", ".NaN", ".inf", "-.inf", "1.0e+400", "1000000000000001"],
)
def test_absurd_or_non_finite_numeric_answers_are_refused_at_their_line(answer):
    text = numeric(answer)
    assert lines(text) == [
        f"b.yaml:{line_of(text, 'answer: ' + answer)}:13: questions[2].answer: the answer must be "
        f"a finite number from -10^15 to 10^15 (got {answer_repr(answer)})"
    ]


def answer_repr(answer: str) -> str:
    return (
        repr(float(answer.replace(".nan", "nan").replace(".NaN", "nan").replace(".inf", "inf")))
        if "." in answer
        else answer
    )


@pytest.mark.parametrize("tolerance", [".nan", ".inf", "1.0e+300", "-1"])
def test_absurd_negative_or_non_finite_tolerances_are_refused(tolerance):
    text = numeric(tolerance=tolerance)
    (problem,) = lines(text)
    assert problem.startswith(
        f"b.yaml:{line_of(text, 'tolerance: ' + tolerance)}:16: questions[2].tolerance: the tolerance "
    )
    assert "number of 0 or more" in problem if tolerance == "-1" else "must be a finite number up to 10^15" in problem


def test_the_largest_allowed_numbers_still_pass():
    assert lines(numeric("-1000000000000000", "1000000000000000")) == []


@pytest.mark.parametrize("where", ["answer", "title", "key"])
def test_integers_of_4300_digits_are_an_error_at_their_line_not_a_crash(where):
    text = {
        "answer": numeric(HUGE_INT),
        "title": SAMPLE.replace("title:", f"title: {HUGE_INT}\nx:", 1),
        "key": SAMPLE.replace("cards:", f"? {HUGE_INT}\n: 1\ncards:", 1),
    }[where]
    (problem,) = lines(text)
    assert re.match(
        r"b\.yaml:\d+:\d+: (questions\[2\]\.answer|title): this number is 5001 characters long|"
        r"b\.yaml:\d+:\d+: this number is 5001 characters long",
        problem,
    ), problem


@pytest.mark.parametrize(
    "snippet, expected",
    [
        ("base: {en: x, zh: y}\n<<: {bank: other}\n", r"^b\.yaml:(\d+):1: merge keys \(<<\) are not allowed in a bank"),
        ("  law: {en: Law, zh: 法律, <<: {en: x}}\n", r"^b\.yaml:(\d+):\d+: topics\.law: merge keys \(<<\) are not"),
        ("=: 1\n", r"^b\.yaml:(\d+):1: unknown field '='"),
        ("  law: {en: Law, zh: 法律, =: x}\n", r"^b\.yaml:(\d+):\d+: topics\.law\.=: unknown language"),
    ],
)
def test_yaml_merge_and_value_keys_are_errors_at_their_line(snippet, expected):
    text = SAMPLE.replace("questions:\n", snippet + "questions:\n", 1)
    problems = lines(text)
    match = next((re.match(expected, p) for p in problems if re.match(expected, p)), None)
    assert match, problems
    assert text.split("\n")[int(match.group(1)) - 1].lstrip().startswith(("<<", "=", "law:"))


def test_an_equals_sign_as_a_numeric_answer_is_just_not_a_number():
    assert "a numeric question needs a number as its answer (got '=')" in lines(numeric("="))[0]


@pytest.mark.parametrize("bad_id", ['"q1\\n"', '"q1\\n\\n"', '"\\nq1"'])
def test_ids_with_a_newline_are_refused(bad_id):
    text = SAMPLE.replace("id: civil-code-year", f"id: {bad_id}", 1)
    assert any("questions[0].id: an id uses lowercase letters" in p for p in lines(text)), lines(text)
    bank = SAMPLE.replace("bank: sample", f"bank: {bad_id.replace('q1', 'sample')}", 1)
    assert any(": bank: an id uses lowercase letters" in p for p in lines(bank))


def test_the_json_schema_also_refuses_an_id_with_a_trailing_newline():
    import jsonschema

    from quizapp.banks.schema import ID

    jsonschema.validate("q1", ID)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate("q1\n", ID)


@pytest.mark.parametrize(
    "char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u2060", "\ufeff", "\u00ad", "\u3164", "\u200d"]
)
def test_invisible_and_direction_characters_in_bank_text_are_refused_with_their_field(char):
    text = SAMPLE.replace("Lv Pin, Lu Pin", f"Lv{char} Pin, Lu Pin", 1)
    (problem,) = lines(text)
    assert problem.startswith(f"b.yaml:{line_of(text, 'Lv')}:")
    assert (
        f"questions[3].answer.en[0]: the text has an invisible or text-direction character, U+{ord(char):04X}"
        in problem
        and "at character 3" in problem
    )


def test_a_joiner_between_two_non_ascii_characters_is_kept():
    """Emoji sequences (and scripts such as Persian) need ZWJ/ZWNJ: between two visible non-ASCII
    characters they are written text, not a trick."""
    text = SAMPLE.replace("title: {en: Sample bank", "title: {en: Sample bank 👩\u200d⚖️", 1)
    assert "👩\u200d⚖️" in text and lines(text) == []


def test_hidden_characters_in_comments_are_refused_at_their_line_and_column():
    text = SAMPLE.replace("    answer: 43000\n", "    answer: 43000  # \u202e0001 :rewsna\n", 1)
    (problem,) = lines(text)
    assert problem == (
        f"b.yaml:{line_of(text, 'answer: 43000')}:22: an invisible or text-direction character, "
        "U+202E RIGHT-TO-LEFT OVERRIDE, is not allowed in a bank: delete it"
    )


def test_an_escaped_hidden_character_in_a_quoted_value_is_refused_too():
    text = SAMPLE.replace('source: "Hong Kong (CNN)"', 'source: "Hong\\u202eKong (CNN)"', 1)
    assert any("questions[5].source: the text has an invisible" in p for p in lines(text)), lines(text)


def test_hidden_characters_in_keys_are_refused():
    text = SAMPLE.replace("title:", "ti\u200btle:", 1)
    assert any("ti\u200btle: this key has an invisible" in p for p in lines(text))


def test_cli_names_each_crash_case_at_its_line_and_exits_1(tmp_path):
    cases = {
        "merge": SAMPLE.replace("questions:\n", "<<: {x: 1}\nquestions:\n", 1),
        "huge": numeric(HUGE_INT),
        "nan": numeric(".nan"),
        "value": SAMPLE.replace("questions:\n", "=: 1\nquestions:\n", 1),
    }
    for name, text in cases.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    result = subprocess.run([*QUIZAPP, "banks", "validate", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for name in cases:
        assert re.search(rf"{tmp_path}/{name}\.yaml:\d+:\d+: ", result.stderr), (name, result.stderr)


def test_the_app_starts_with_such_banks_in_its_folder_and_skips_them(tmp_path, make_app, caplog):
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "sample.yaml").write_text(SAMPLE, encoding="utf-8")
    (folder / "merge.yaml").write_text(mine().replace("questions:\n", "<<: {x: 1}\nquestions:\n", 1), encoding="utf-8")
    (folder / "huge.yaml").write_text(mine(numeric(HUGE_INT), "huge"), encoding="utf-8")
    app = make_app(QUESTIONS_DIR=str(folder))
    assert app.test_client().get("/").status_code == 200
    assert {r[0] for r in connect(app.config["DATABASE"]).execute("SELECT id FROM banks")} == {"sample"}
    assert "merge.yaml" in caplog.text and "huge.yaml" in caplog.text


@pytest.mark.parametrize(
    "attack",
    [
        numeric(".nan"),
        numeric(HUGE_INT),
        numeric("1.0e+28"),
        SAMPLE.replace("questions:\n", "<<: {x: 1}\nquestions:\n", 1),
        SAMPLE.replace("questions:\n", "=: 1\nquestions:\n", 1),
        SAMPLE.replace("Lv Pin", "Lv\u202e Pin", 1),
    ],
    ids=["nan", "huge-int", "1e28", "merge-key", "value-key", "bidi"],
)
def test_the_bank_editor_shows_the_error_at_its_line_and_publishes_nothing(teacher, attack):
    text = mine(attack)
    checked = teacher.post("/teach/banks/check", data={"source": text})
    assert checked.status_code == 422 and 'data-goto-line="' in checked.get_data(as_text=True)
    assert teacher.post("/teach/banks/publish", data={"source": text}).status_code in (200, 422)
    assert db_of(teacher.application).execute("SELECT count(*) FROM banks WHERE id = 'mine'").fetchone()[0] == 0


# Typed numbers ----------------------------------------------------------------------------------

QUESTION = {"type": "numeric", "answer": 43000, "tolerance": 0}


@pytest.mark.parametrize("typed", ["1e400", "nan", "NaN", "inf", "-inf", "Infinity", "1e28", "∞", "sNaN"])
def test_typed_non_numbers_ask_for_a_number(typed):
    from quizapp.banks.types import AnswerError

    with pytest.raises(AnswerError, match="Please type a number"):
        grade(QUESTION, {"answer": typed})


@pytest.mark.parametrize("typed", ["1" + "0" * 28, "9" * 400, "-" + "9" * 400, "9" * 400 + "亿"])
def test_typed_huge_numbers_are_just_wrong_and_keep_no_infinite_value(typed):
    answer, result = grade(QUESTION, {"answer": typed})
    assert not result.correct and answer["value"] is None and answer["text"] == typed
    json.dumps(answer, allow_nan=False)


@pytest.mark.parametrize("legacy", [float("nan"), float("inf"), 10**28, 1e300])
def test_grading_against_a_bank_imported_before_the_bounds_is_never_an_error(legacy):
    for question in ({**QUESTION, "answer": legacy}, {**QUESTION, "tolerance": legacy}):
        for typed in ("43000", "9" * 400, "0"):
            answer, result = grade(question, {"answer": typed})
            assert result.score in (0.0, 1.0)
    assert Numeric.grade({**QUESTION, "answer": float("nan")}, {"text": "x", "value": float("nan")}).score == 0.0


def test_a_legacy_absurd_answer_in_the_database_neither_breaks_the_quiz_nor_the_flashcards(app, client):
    db = connect(app.config["DATABASE"])
    quiz_id = start(client, topic="prosecution")
    question = quiz_question(app, quiz_id, 1)
    assert question["type"] == "numeric"
    for legacy in (1e28, float("nan")):
        data = {k: v for k, v in question.items() if k not in ("version", "retired")}
        db.execute(
            "UPDATE questions SET data = ? WHERE bank_id = 'sample' AND id = ?",
            [json.dumps({**data, "answer": legacy}), question["id"]],
        )
        db.conn.commit()
        assert client.get(f"/quizzes/{quiz_id}/1").status_code == 200
        assert client.get(f"/study/sample/{question['id']}?side=back").status_code == 200
    assert client.post(f"/quizzes/{quiz_id}/1", data={"answer": "43000"}).status_code == 302
    assert client.get(f"/quizzes/{quiz_id}/1").status_code == 200
