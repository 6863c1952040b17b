"""Limits that must hold against the way they were got round: a right class code after the limit,
anonymous visitors sharing one bucket, and unbounded quiz starts."""

from __future__ import annotations

import pytest

from quizapp.core.store import connect

from .helpers import new_class, sign_up, start

ATTACKER, STUDENT = "198.51.100.66", "203.0.113.7"


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)


def count(app, table: str) -> int:
    db = connect(app.config["DATABASE"])
    n = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    db.conn.close()
    return n


def test_a_right_class_code_is_refused_once_the_wrong_ones_are_spent(app, teacher, monkeypatch):
    """Before: the limit was checked only after a miss, so guessing went on until a code joined."""
    monkeypatch.setattr("quizapp.learn.student.CLASS_CODE_FAILURES", 3)
    _class_id, code = new_class(teacher)
    guesser = app.test_client()
    sign_up(guesser)
    for guess in ("AAAAAA", "BBBBBB", "CCCCCC"):
        assert "No class has that code" in guesser.post("/classes/join", data={"code": guess}).get_data(as_text=True)
    response = guesser.post("/classes/join", data={"code": code})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert count(app, "class_members") == 0


def test_anonymous_visitors_no_longer_share_one_bucket(app):
    """Before: every visitor without a learner id counted against the key "None", so one script
    without a cookie made every newcomer's first flashcard answer a 429."""
    attacker = app.test_client()
    codes = [
        attacker.post(
            "/study/sample/nope", data={"rating": "3", "reps": "0"}, environ_base={"REMOTE_ADDR": ATTACKER}
        ).status_code
        for _ in range(241)
    ]
    assert codes[-1] == 429
    newcomer = app.test_client()
    response = newcomer.post(
        "/study/sample/term-civil-code", data={"rating": "3", "reps": "0"}, environ_base={"REMOTE_ADDR": STUDENT}
    )
    assert response.status_code == 302
    assert count(app, "review_logs") == 1


def test_a_learner_cannot_start_quizzes_without_end(app, client, monkeypatch):
    """Before: every POST made a quiz and its items, for ever (1,000 starts: 1,000 quizzes)."""
    monkeypatch.setattr("quizapp.learn.student.QUIZ_STARTS_PER_LEARNER", 3)
    for _ in range(3):
        start(client)
    response = client.post("/banks/sample/quizzes", data={"topic": "", "size": "50"})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "You have started a great many quizzes in the last hour" in response.get_data(as_text=True)
    assert count(app, "quizzes") == 3
    assert app.test_client().post("/banks/sample/quizzes", data={"topic": "", "size": "5"}).status_code == 302


def test_one_learners_refused_starts_do_not_use_up_their_schools_address(app, client, monkeypatch):
    monkeypatch.setattr("quizapp.learn.student.QUIZ_STARTS_PER_LEARNER", 2)
    monkeypatch.setattr("quizapp.learn.student.QUIZ_STARTS_PER_ADDRESS", 5)
    codes = [client.post("/banks/sample/quizzes", data={"topic": "", "size": "5"}).status_code for _ in range(10)]
    assert codes == [302] * 2 + [429] * 8
    classmates = [
        app.test_client().post("/banks/sample/quizzes", data={"topic": "", "size": "5"}).status_code for _ in range(3)
    ]
    assert classmates == [302] * 3


def test_retrying_is_starting_a_quiz_too(app, client, monkeypatch):
    monkeypatch.setattr("quizapp.learn.student.QUIZ_STARTS_PER_LEARNER", 1)
    quiz_id = start(client)
    client.post(f"/quizzes/{quiz_id}/1", data={"answer": "none of them"})
    assert client.post(f"/quizzes/{quiz_id}/retry").status_code == 429
    assert count(app, "quizzes") == 1


def test_starters_without_a_cookie_are_limited_per_address(app, monkeypatch):
    """A script that drops its cookie is a new anonymous learner each time: its address bounds it."""
    monkeypatch.setattr("quizapp.learn.student.QUIZ_STARTS_PER_ADDRESS", 5)
    codes = [
        app.test_client()
        .post("/banks/sample/quizzes", data={"topic": "", "size": "50"}, environ_base={"REMOTE_ADDR": ATTACKER})
        .status_code
        for _ in range(8)
    ]
    assert codes == [302] * 5 + [429] * 3
    assert count(app, "quizzes") == 5 and count(app, "learners") == 5
    assert (
        app.test_client()
        .post("/banks/sample/quizzes", data={"topic": "", "size": "5"}, environ_base={"REMOTE_ADDR": STUDENT})
        .status_code
        == 302
    )
