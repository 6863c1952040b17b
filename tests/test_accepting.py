"""Teachers fix what the grader missed (issue 13): the question report lists the typed answers marked
wrong, and accepting one publishes a new bank version and re-marks past attempts for every learner."""

from __future__ import annotations

import re

from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.bankpatch import set_field
from quizapp.core.store import connect

from .helpers import (
    SAMPLE,
    make_teacher,
    mine,
    new_class,
    publish,
    quiz_question,
    sign_up,
    start,
    student_in,
    wrong_answer,
)

QUESTION = "activist-new-york"  # a text question: {en: [Lv Pin, Lu Pin], zh: [吕频]}
NUMBER = "prosecuted-number"  # a numeric question: answer 43000, tolerance 0


def answer_typed(app, client, typed: str, bank: str = "sample", question_id: str = QUESTION) -> None:
    """One quiz of the bank: one typed question answered with `typed`, every other one wrong."""
    quiz_id = start(client, bank)
    for position in range(1, 8):
        question = quiz_question(app, quiz_id, position)
        form = {"answer": typed} if question["id"] == question_id else wrong_answer(question)
        assert client.post(f"/quizzes/{quiz_id}/{position}", data=form).status_code == 302


def marks(app, typed: str) -> list[tuple[int, float]]:
    db = connect(app.config["DATABASE"])
    rows = db.execute(
        "SELECT correct, score FROM attempts WHERE question_id = ? AND answer = json_quote(?) ORDER BY id",
        [QUESTION, typed],
    ).fetchall()
    db.conn.close()
    return [tuple(r) for r in rows]


def number_marks(app, typed: str) -> list[tuple[int, float]]:
    db = connect(app.config["DATABASE"])
    rows = db.execute(
        "SELECT correct, score FROM attempts WHERE question_id = ? AND answer ->> 'text' = ? ORDER BY id",
        [NUMBER, typed],
    ).fetchall()
    db.conn.close()
    return [tuple(r) for r in rows]


def typed_list(page: str, question_id: str = QUESTION) -> list[str]:
    section = page.split(f'data-question="{question_id}"')[1].split("</section>")[0]
    return re.findall(r'<span class="typed">([^<]*)</span> <span class="meta">× (\d+)', section)


def a_class_that_answered(app, teacher) -> int:
    class_id, code = new_class(teacher)
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "sample"})
    for name, typed in (("mei", "Ms Lv"), ("tom", "ms  lv"), ("ann", "Ms Lv"), ("bob", "Zhou")):
        answer_typed(app, student_in(app, code, name), typed)
    lin = student_in(app, code, "lin")
    lin.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    answer_typed(app, lin, "吕女士")
    answer_typed(app, lin, "呂女士")
    return class_id


def test_the_report_lists_typed_wrong_answers_most_frequent_first_grouped_as_the_grader_reads_them(app, teacher):
    class_id = a_class_that_answered(app, teacher)
    page = teacher.get(f"/teach/classes/{class_id}/banks/sample").get_data(as_text=True)
    assert typed_list(page) == [("Ms Lv", "3"), ("吕女士", "2"), ("Zhou", "1")]
    numbers = page.split(f'data-question="{NUMBER}"')[1].split("</section>")[0]
    assert "Typed answers marked wrong" in numbers and "Accept 43001" in numbers, "numbers are accepted too"


def test_accepting_publishes_a_version_and_remarks_every_learners_attempts(app, teacher):
    class_id = a_class_that_answered(app, teacher)
    outsider = app.test_client()
    sign_up(outsider, username="outsider")
    answer_typed(app, outsider, "MS LV")
    before = teacher.get(f"/teach/classes/{class_id}/students.csv").get_data(as_text=True)
    assert ",0.0," in before

    accepted = teacher.post(
        f"/teach/classes/{class_id}/banks/sample/accept",
        data={"question": QUESTION, "answer": "Ms Lv", "shown": "en"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Ms Lv is now an accepted answer: bank version 2." in accepted
    assert "4 past answers are now marked right." in accepted, "three in the class and one outsider"
    assert typed_list(accepted) == [("吕女士", "2"), ("Zhou", "1")]
    assert marks(app, "Ms Lv") == [(1, 1.0), (1, 1.0)] and marks(app, "MS LV") == [(1, 1.0)]
    assert marks(app, "Zhou") == [(0, 0.0)]
    after = teacher.get(f"/teach/classes/{class_id}/students.csv").get_data(as_text=True)
    assert re.search(r"^mei,Sample bank,7,0\.143,", after, re.M), "the class report follows: 1 of 7 right"

    versions = teacher.get("/teach/banks/sample/versions").get_data(as_text=True)
    assert "teacher" in versions and QUESTION in versions
    yaml_text = teacher.get("/teach/banks/sample/versions/2.yaml").get_data(as_text=True)
    assert 'answer: {en: [Lv Pin, Lu Pin, "Ms Lv"], zh: [吕频]}' in yaml_text

    chinese = teacher.post(
        f"/teach/classes/{class_id}/banks/sample/accept",
        data={"question": QUESTION, "answer": "吕女士", "shown": "zh"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "2 past answers are now marked right." in chinese
    assert 'zh: [吕频, "吕女士"]' in teacher.get("/teach/banks/sample/versions/3.yaml").get_data(as_text=True)


def a_class_that_typed_numbers(app, teacher) -> int:
    """Numbers the teacher may judge right though the bank has only 43000 (say the class read a
    second figure); 45,000 and 4.5万 are one value to the grader."""
    class_id, code = new_class(teacher)
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "sample"})
    for name, typed in (("mei", "45,000"), ("tom", "4.5万"), ("ann", "44000")):
        answer_typed(app, student_in(app, code, name), typed, question_id=NUMBER)
    return class_id


def test_accepting_a_number_adds_its_value_to_also_and_remarks_the_attempts(app, teacher):
    class_id = a_class_that_typed_numbers(app, teacher)
    page = teacher.get(f"/teach/classes/{class_id}/banks/sample").get_data(as_text=True)
    assert typed_list(page, NUMBER) == [("45,000", "2"), ("44000", "1")]
    assert "To accept another number" not in page

    accepted = teacher.post(
        f"/teach/classes/{class_id}/banks/sample/accept",
        data={"question": NUMBER, "answer": "45,000", "shown": "en"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "45,000 is now an accepted answer: bank version 2." in accepted
    assert "2 past answers are now marked right." in accepted, "45,000 and 4.5万 are one value"
    assert typed_list(accepted, NUMBER) == [("44000", "1")]
    assert number_marks(app, "45,000") == [(1, 1.0)] and number_marks(app, "4.5万") == [(1, 1.0)]
    assert number_marks(app, "44000") == [(0, 0.0)], "the numbers in between stay wrong"

    versions = teacher.get("/teach/banks/sample/versions").get_data(as_text=True)
    assert "teacher" in versions and NUMBER in versions
    yaml_text = teacher.get("/teach/banks/sample/versions/2.yaml").get_data(as_text=True)
    question = yaml_text.split(f"id: {NUMBER}")[1].split("  - id:")[0]
    assert "    answer: 43000\n    tolerance: 0\n" in question and question.endswith("    also: [45000]\n")

    # Graded by the new version: the accepted value however written, the bank's answer, nothing between.
    later = app.test_client()
    sign_up(later, username="later")
    for typed in ("四万五千", "43,000", "44,999"):
        answer_typed(app, later, typed, question_id=NUMBER)
    assert [number_marks(app, t) for t in ("四万五千", "43,000", "44,999")] == [[(1, 1.0)], [(1, 1.0)], [(0, 0.0)]]

    again = teacher.post(
        f"/teach/classes/{class_id}/banks/sample/accept",
        data={"question": NUMBER, "answer": "4.5万", "shown": "zh"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "4.5万 was already accepted." in again
    assert teacher.get("/teach/banks/sample/versions/3.yaml").status_code == 404


def test_a_second_accepted_number_is_appended_to_also():
    from quizapp.banks.types import QUESTION_TYPES

    numeric = QUESTION_TYPES["numeric"]
    question = {"type": "numeric", "answer": 43000, "tolerance": 0, "also": [45000]}
    assert numeric.accepting(question, "4.4万", "zh") == (("also",), [45000, 44000])
    assert numeric.accepting(question, "1.5", "en") == (("also",), [45000, 1.5])
    assert numeric.accepting(question, "45 thousand", "en") is None
    patched = set_field(
        SAMPLE.replace("    answer: 43000\n", "    answer: 43000\n    also: [45000]\n"),
        NUMBER,
        ("also",),
        [45000, 44000],
    )
    assert "    also: [45000, 44000]\n" in patched


def test_a_bank_with_a_non_finite_also_value_is_refused_at_its_line(teacher):
    text = mine(SAMPLE.replace("    answer: 43000\n", "    answer: 43000\n    also: [45000, .nan]\n"))
    line = text.split("\n").index("    also: [45000, .nan]") + 1
    assert validate_bytes(text.encode(), "b.yaml").lines() == [
        f"b.yaml:{line}:19: questions[2].also[1]: the answer must be a finite number from -10^15 to 10^15 (got nan)"
    ]
    page = publish(teacher, text).get_data(as_text=True)
    assert f"Line {line}, column 19</a> <code>questions[2].also[1]</code>: the answer must be a finite number" in page
    assert teacher.get("/teach/banks/mine/versions").status_code == 404


def test_a_second_click_changes_nothing(app, teacher):
    class_id = a_class_that_answered(app, teacher)
    form = {"question": QUESTION, "answer": "Ms Lv", "shown": "en"}
    teacher.post(f"/teach/classes/{class_id}/banks/sample/accept", data=form)
    again = teacher.post(f"/teach/classes/{class_id}/banks/sample/accept", data=form, follow_redirects=True)
    assert "Ms Lv was already accepted." in again.get_data(as_text=True)
    assert teacher.get("/teach/banks/sample/versions/3.yaml").status_code == 404


def test_only_the_class_owner_who_may_edit_the_bank_accepts(app, teacher):
    class_id = a_class_that_answered(app, teacher)
    other = make_teacher(app, app.test_client(), "other")
    form = {"question": QUESTION, "answer": "Ms Lv", "shown": "en"}
    assert other.post(f"/teach/classes/{class_id}/banks/sample/accept", data=form).status_code == 403
    mei = app.test_client()
    mei.post("/signin", data={"username": "mei", "password": "correct horse"})
    assert mei.post(f"/teach/classes/{class_id}/banks/sample/accept", data=form).status_code in (302, 403)
    assert marks(app, "Ms Lv") == [(0, 0.0), (0, 0.0)]

    # A bank another teacher made: the report lists its answers and says why there is no button.
    assert publish(other, mine()).status_code == 302
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "mine"})
    code = re.search(r'class-code big">(\w+)<', teacher.get(f"/teach/classes/{class_id}").get_data(as_text=True))
    cyd = student_in(app, code.group(1), "cyd")
    answer_typed(app, cyd, "Ms Lv", bank="mine")
    page = teacher.get(f"/teach/classes/{class_id}/banks/mine").get_data(as_text=True)
    assert (
        typed_list(page) == [("Ms Lv", "1")] and "Only the teacher who made this bank can accept answers in it." in page
    )
    assert teacher.post(f"/teach/classes/{class_id}/banks/mine/accept", data=form).status_code == 403


def test_a_patch_keeps_the_text_as_written_and_appends_to_block_lists():
    text = SAMPLE.replace(
        "answer: {en: [Lv Pin, Lu Pin], zh: [吕频]}",
        "answer:\n      en:\n        - Lv Pin  # as the article spells it\n        - Lu Pin\n      zh: 吕频",
    )
    patched = set_field(text, QUESTION, ("answer", "en"), ["Lv Pin", "Lu Pin", "Ms Lv"])
    assert '        - Lu Pin\n        - "Ms Lv"\n      zh: 吕频' in patched and "# as the article spells it" in patched
    patched = set_field(patched, QUESTION, ("answer", "zh"), ["吕频", "吕"])
    bank = validate_bytes(patched.encode()).bank
    assert next(q for q in bank.questions if q["id"] == QUESTION)["answer"] == {
        "en": ["Lv Pin", "Lu Pin", "Ms Lv"],
        "zh": ["吕频", "吕"],
    }
    assert patched.replace('\n        - "Ms Lv"', "").replace('["吕频", "吕"]', "吕频") == text


def test_accepting_is_one_transaction(app, teacher, monkeypatch):
    from quizapp.learn import answers

    class_id = a_class_that_answered(app, teacher)

    def broken(*args, **kwargs):
        raise RuntimeError("the re-marking failed")

    monkeypatch.setattr(answers, "remark", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    form = {"question": QUESTION, "answer": "Ms Lv", "shown": "en"}
    assert teacher.post(f"/teach/classes/{class_id}/banks/sample/accept", data=form).status_code == 500
    assert teacher.get("/teach/banks/sample/versions/2.yaml").status_code == 404, "no version without its re-marking"
    assert marks(app, "Ms Lv") == [(0, 0.0), (0, 0.0)]


def test_the_language_an_answer_was_typed_in():
    from quizapp.teach.accepting import typed_language

    assert [
        typed_language(t, shown)
        for t, shown in [("吕女士", "en"), ("Ms Lv", "en"), ("lv pin", "zh-Hant"), ("Ms Lv", "both")]
    ] == [
        "zh",
        "en",
        "zh",
        "en",
    ]
