"""Class reports on a database with hand-made answers, checked against figures worked out by hand,
and the CSV writer's safety rules."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import State

from quizapp.accounts import classes, users
from quizapp.banks.bankfile import validate_file
from quizapp.banks.store import import_banks
from quizapp.core import migrations
from quizapp.core.clock import now as utcnow
from quizapp.core.clock import stamp
from quizapp.core.csvexport import to_csv
from quizapp.core.store import connect
from quizapp.learn import progress
from quizapp.teach import classreports

from .helpers import DATA

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TF = str  # the words of the report (True, False) untranslated


@pytest.fixture
def db(tmp_path):
    database = connect(str(tmp_path / "db.sqlite3"))
    migrations.apply(database)
    import_banks(database, [(validate_file(DATA / "sample.yaml").bank, "sample.yaml")])
    return database


def person(db, name: str) -> int:
    return db["learners"].insert({"username": name, "created_at": stamp(NOW), "last_seen_at": stamp(NOW)}).last_pk


def answer(db, learner: int, question: str, score: float, given, language="en", minutes=0):
    db["attempts"].insert(
        {
            "learner_id": learner,
            "bank_id": "sample",
            "question_id": question,
            "question_version": 1,
            "answer": json.dumps(given),
            "correct": int(score >= 1),
            "score": score,
            "max_score": 1.0,
            "language": language,
            "time_ms": 1000,
            "answered_at": stamp(NOW + timedelta(minutes=minutes)),
        }
    )


@pytest.fixture
def klass(db):
    """Three students, three questions (first attempts):
        A: civil-code-year 1, civil-code-first-time 1, prosecuted-number 1   (English)
        B: civil-code-year 1, civil-code-first-time 0, prosecuted-number 0   (English)
        C: civil-code-year 0, civil-code-first-time 0, prosecuted-number 1   (Chinese; later right on the first)
    plus an outsider who got everything wrong and is not in the class."""
    teacher = person(db, "teacher")
    class_id = classes.create(db, teacher, "7B")
    code = classes.get(db, class_id)["code"]
    a, b, c, outsider = (person(db, n) for n in ("a", "b", "c", "outsider"))
    for learner in (a, b, c):
        classes.join(db, code, learner)
    classes.assign(db, class_id, "sample", "2026-03-10")
    answer(db, a, "civil-code-year", 1, 2)
    answer(db, a, "civil-code-first-time", 1, True)
    answer(db, a, "prosecuted-number", 1, {"text": "43000", "value": "43000"})
    answer(db, b, "civil-code-year", 1, 2)
    answer(db, b, "civil-code-first-time", 0, False)
    answer(db, b, "prosecuted-number", 0, {"text": "4300", "value": "4300"})
    answer(db, c, "civil-code-year", 0, 0, language="zh")
    answer(db, c, "civil-code-first-time", 0, False, language="zh-Hant")
    answer(db, c, "prosecuted-number", 1, {"text": "43000", "value": "43000"}, language="zh")
    answer(db, c, "civil-code-year", 1, 2, language="zh", minutes=5)  # a second try: not a first attempt
    answer(db, outsider, "civil-code-year", 0, 1)
    return class_id, {"a": a, "b": b, "c": c}


def test_facility_discrimination_and_wrong_answers_by_hand(db, klass):
    class_id, _people = klass
    report = {r["question_id"]: r for r in classreports.question_report(db, class_id, "sample", "en", TF)}
    assert set(report) == {"civil-code-year", "civil-code-first-time", "prosecuted-number"}
    year, first, number = report["civil-code-year"], report["civil-code-first-time"], report["prosecuted-number"]
    # Facility: mean of first-attempt marks.
    assert year["overall"].facility == pytest.approx(2 / 3)
    assert first["overall"].facility == pytest.approx(1 / 3)
    assert number["overall"].facility == pytest.approx(2 / 3)
    # civil-code-year: x = [1, 1, 0]; rest of test (mean of the other two) = A 1, B 0, C 0.5.
    # deviations x: [1/3, 1/3, -2/3], rest: [1/2, -1/2, 0] -> covariance 1/6 - 1/6 + 0 = 0 -> r = 0.
    assert year["overall"].discrimination == pytest.approx(0.0, abs=1e-12)
    # civil-code-first-time: x = [1, 0, 0]; rest = A 1, B 0.5, C 0.5.
    # sxy = 2/9 + 1/18 + 1/18 = 1/3; sxx = 2/3; syy = 1/6; r = (1/3) / sqrt(1/9) = 1.
    assert first["overall"].discrimination == pytest.approx(1.0)
    # Split by the language shown: C saw Chinese (zh and zh-Hant count together).
    assert year["by_language"]["en"].facility == 1.0 and year["by_language"]["zh"].facility == 0.0
    assert first["by_language"]["zh"].answered == 1
    assert year["by_language"]["zh"].wrong_answers == [("2015", 1)], "the outsider's answer is not counted"
    assert number["overall"].wrong_answers == [("4300", 1)]
    assert first["overall"].wrong_answers == [("False", 2)]
    # Most missed first.
    assert [r["question_id"] for r in classreports.question_report(db, class_id, "sample", "en", TF)][
        0
    ] == "civil-code-first-time"


def test_wrong_answers_are_described_in_the_teachers_language(db, klass):
    class_id, _people = klass
    report = {
        r["question_id"]: r
        for r in classreports.question_report(db, class_id, "sample", "zh-Hans", {"True": "对", "False": "错"}.get)
    }
    assert report["civil-code-year"]["overall"].wrong_answers == [("2015年", 1)]
    assert report["civil-code-first-time"]["overall"].wrong_answers == [("错", 2)]


def test_student_rows_by_hand(db, klass):
    class_id, people = klass
    db["card_states"].insert(
        {
            "learner_id": people["a"],
            "bank_id": "sample",
            "card_id": "timeline",
            "fsrs": "{}",
            "state": 2,
            "due": stamp(NOW + timedelta(days=30)),
            "stability": 100.0,
            "difficulty": 5.0,
            "last_review": stamp(NOW - timedelta(days=1)),
            "first_review": stamp(NOW - timedelta(days=10)),
            "reps": 3,
            "lapses": 0,
        }
    )
    rows = {r["username"]: r for r in classreports.student_rows(db, class_id, NOW)}
    assert set(rows) == {"a", "b", "c"}
    assert (rows["a"]["answered"], rows["a"]["accuracy"], rows["a"]["learned"]) == (3, 1.0, 1)
    assert rows["a"]["mastery"] == pytest.approx(1 / 8)  # 1 of 7 questions + 1 card remembered
    assert (rows["b"]["answered"], rows["b"]["accuracy"]) == (3, pytest.approx(1 / 3))
    assert (rows["c"]["answered"], rows["c"]["accuracy"]) == (4, 0.5)  # every attempt counts here
    assert rows["b"]["learned"] == 0 and rows["b"]["mastery"] == 0


def card_state(db, learner: int, card_id: str, state: int, stability: float, days_ago: int, now=NOW):
    db["card_states"].insert(
        {
            "learner_id": learner,
            "bank_id": "sample",
            "card_id": card_id,
            "fsrs": "{}",
            "state": state,
            "due": stamp(now + timedelta(days=1)),
            "stability": stability,
            "difficulty": 5.0,
            "last_review": stamp(now - timedelta(days=days_ago)),
            "first_review": stamp(now - timedelta(days=days_ago + 10)),
            "reps": 3,
            "lapses": 0,
        }
    )


def some_standing(db, learner: int, now=NOW) -> None:
    """Remembered, graduated but forgotten, still learning, and remembered on an item since retired."""
    card_state(db, learner, "timeline", State.Review, 100.0, 1, now)
    card_state(db, learner, "civil-code-year", State.Review, 1.0, 60, now)
    card_state(db, learner, "crimes-covered", State.Learning, 1.0, 0, now)
    card_state(db, learner, "term-civil-code", State.Review, 100.0, 1, now)
    db.execute("UPDATE cards SET retired_at = ? WHERE id = 'term-civil-code'", [stamp(now)])


def test_the_class_page_and_the_progress_page_count_mastery_alike(db, klass):
    class_id, people = klass
    some_standing(db, people["a"])
    row = next(r for r in classreports.student_rows(db, class_id, NOW) if r["username"] == "a")
    mine = progress.summary(db, users.get(db, people["a"]), NOW).banks["sample"].mastery
    assert (mine.mastered, mine.learned, mine.items) == (1, 2, 7)  # retired items on neither side
    assert (row["mastery"], row["learned"]) == (mine.share, mine.learned) == (pytest.approx(1 / 7), 2)


def test_the_teacher_and_the_student_read_the_same_mastery_on_their_pages(app):
    db = connect(app.config["DATABASE"])
    teacher = users.sign_up(db, "teacher", "long enough", None)
    users.promote_to_teacher(db, teacher)
    student = users.sign_up(db, "mei", "long enough", None)
    class_id = classes.create(db, teacher, "7B")
    classes.join(db, classes.get(db, class_id)["code"], student)
    classes.assign(db, class_id, "sample", None)
    some_standing(db, student, now=utcnow())
    shown = []
    for username, path, pattern in (
        ("mei", "/progress", r'<span class="mastery">([^<]+)</span>'),
        ("teacher", f"/teach/classes/{class_id}", r'<td class="mastery">([^<]+)</td>'),
    ):
        client = app.test_client()
        client.post("/signin", data={"username": username, "password": "long enough"})
        page = client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True)
        shown.append(re.findall(pattern, page))
    assert shown == [["14%"], ["14%"]]  # 1 of 7 live items


def test_describe_answer_for_every_type():
    choices = [{"text": {"en": "A", "zh": "甲"}}, {"text": {"en": "B", "zh": "乙"}}]
    describe = classreports.describe_answer
    assert describe({"type": "choice", "choices": choices}, 1, "en", TF) == "B"
    assert describe({"type": "choice", "choices": choices}, 7, "en", TF) == "#7"
    assert describe({"type": "multi", "choices": choices}, [0, 1], "zh-Hans", TF) == "甲 + 乙"
    assert describe({"type": "order", "choices": choices}, [1, 0], "en", TF) == "B → A"
    assert describe({"type": "true_false"}, False, "en", TF) == "False"
    assert describe({"type": "numeric"}, {"text": "４３", "value": "43"}, "en", TF) == "４３"
    assert describe({"type": "text"}, "Lv Pin", "en", TF) == "Lv Pin"


def test_csv_has_a_bom_and_neutralises_formulas_but_not_numbers():
    body = to_csv(["名字", "=x"], [["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain"], [-1.5, 0, None, "中文"]])
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "名字,'=x"
    assert lines[1] == "'=1+1,'+1,'-1,'@SUM(A1),'\tx,plain"
    assert lines[2] == "-1.5,0,,中文"


def test_long_chart_labels_are_shortened_and_kept_whole_in_a_title():
    from quizapp.learn.charts import fit, hbars

    assert fit("short", 28) == "short"
    assert fit("crimes-covered · Both side by side", 28) == "crimes-covered · Both side …"
    assert fit("民法典" * 6, 28) == "民法典" * 4 + "民…"  # CJK characters take two units
    svg = str(hbars("x", "t", "d", ["crimes-covered · Both side by side <b>"], [0.5]))
    assert "<title>crimes-covered · Both side by side &lt;b&gt;</title>crimes-covered · Both side …" in svg
