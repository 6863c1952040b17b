"""The one writer of answers: an answer becomes one attempt and one review, whichever way it was given,
rated from the time spent on the answer (reading time excluded)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from quizapp.banks.bankfile import validate_file
from quizapp.banks.store import get_question, import_banks
from quizapp.banks.types import Grade
from quizapp.core import migrations
from quizapp.core.store import connect
from quizapp.learn import answers, quizzes
from quizapp.learn.scheduling import scheduler

from .helpers import DATA

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SCHED = scheduler(fuzz=False)


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "a.sqlite3")
    migrations.apply(database)
    import_banks(database, [(validate_file(DATA / "sample.yaml").bank, "sample.yaml")])
    database.execute("INSERT INTO learners (id, created_at, last_seen_at) VALUES (1, 'x', 'x')")
    yield database
    database.conn.close()


def an_answer(db, question_id="timeline", score=0.0, seconds=4, **fields) -> answers.Answer:
    return answers.Answer(
        learner_id=1,
        bank_id="sample",
        question_id=question_id,
        question=get_question(db, "sample", question_id),
        given=[0, 1, 2],
        grade=Grade(score),
        language="en",
        answered_at=T0 + timedelta(seconds=seconds),
        **{"shown_at": T0, **fields},
    )


def test_a_quiz_answer_counts_once_as_an_attempt_and_a_review(db):
    quiz_id = quizzes.create(db, 1, "sample", ["timeline"], rng=random.Random(1))
    first = an_answer(db, quiz_id=quiz_id, quiz_position=1)
    attempt_id, created = answers.record(db, first, SCHED)
    assert created
    assert answers.record(db, first, SCHED) == (attempt_id, False)  # a replayed form
    assert db["attempts"].count == 1 and db["review_logs"].count == 1
    log = next(db.query("SELECT rating, origin, attempt_id, duration_ms FROM review_logs"))
    assert log == {"rating": int(Rating.Again), "origin": "quiz", "attempt_id": attempt_id, "duration_ms": 4000}


def test_without_a_scheduler_an_answer_is_an_attempt_only(db):
    _attempt_id, created = answers.record(db, an_answer(db, origin="live"), None)
    assert created and db["attempts"].count == 1 and db["review_logs"].count == 0


def test_reading_time_does_not_count_for_the_rating(db):
    # Right after 35 s of which 30 were reading: 5 s of thought on an easy question is Easy.
    answer = an_answer(db, "civil-code-year", score=1.0, seconds=35, reading_ms=30_000, origin="live")
    assert (answer.time_ms, answer.rated_ms) == (35_000, 5_000)
    attempt_id, _created = answers.record(db, answer, SCHED)
    assert db.execute("SELECT time_ms FROM attempts WHERE id = ?", [attempt_id]).fetchone()[0] == 35_000
    assert db.execute("SELECT rating FROM review_logs").fetchone()[0] == int(Rating.Easy)


def test_a_question_left_open_for_hours_counts_as_one_hour(db):
    answer = an_answer(db, seconds=5 * 3600)
    assert answer.time_ms == answers.MAX_TIME_MS and an_answer(db, shown_at=None).time_ms is None
