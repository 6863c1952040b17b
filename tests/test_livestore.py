"""A live game's state in SQLite: exactly-once answers, closing on time, scores from server time,
several workers and a restarted server seeing the same game, and answers counting in progress."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fsrs import Rating

from quizapp.banks.types import Grade
from quizapp.core.clock import now as utcnow
from quizapp.core.clock import parse, stamp
from quizapp.core.store import connect
from quizapp.learn.scheduling import scheduler
from quizapp.live import answers as liveanswers
from quizapp.live import games as livegames
from quizapp.live import hub as livehub
from quizapp.live import players as liveplayers
from quizapp.live import state as livestate
from quizapp.live.game import GameError

from .helpers import answer, game_row, join, make_teacher, new_game, sign_up, state, step


@pytest.fixture
def db(app):
    database = connect(app.config["DATABASE"])
    yield database
    database.conn.close()


@pytest.fixture
def teacher(app):
    return make_teacher(app, app.test_client())


def players_of(db, session_id):
    return list(db.query("SELECT * FROM live_players WHERE session_id = ? ORDER BY id", [session_id]))


def test_double_taps_from_many_threads_record_one_answer(app, teacher, db):
    session_id = new_game(teacher)
    _client, token = join(app, session_id, "Mei")
    join(app, session_id, "Tom")
    step(teacher, session_id, "start")
    results = []

    def tap(choice):
        results.append(answer(app.test_client(), token, 1, answer=str(choice)).json)

    threads = [threading.Thread(target=tap, args=(n % 3,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r["ok"] for r in results) and sum(r["created"] for r in results) == 1
    assert len({r["given"] for r in results}) == 1  # everyone is told the one answer that counts
    assert db.execute("SELECT count(*) FROM live_answers").fetchone()[0] == 1


def test_points_come_from_server_time_not_from_the_request(app, teacher, db):
    session_id = new_game(teacher)
    join(app, session_id, "Mei")
    join(app, session_id, "Tom")
    step(teacher, session_id, "start")
    game = livegames.get(db, session_id)
    opened = parse(livegames.question_at(db, game, 1)["opened_at"])
    mei, tom = players_of(db, session_id)
    liveanswers.record_answer(db, session_id, mei, 1, 2, Grade(1.0), "en", opened + timedelta(seconds=10))
    liveanswers.record_answer(db, session_id, tom, 1, 0, Grade(0.0), "en", opened + timedelta(seconds=1))
    scored = dict(db.execute("SELECT player_id, points FROM live_answers").fetchall())
    assert scored == {mei["id"]: 750, tom["id"]: 0}
    assert db.execute("SELECT elapsed_ms FROM live_answers WHERE player_id = ?", [mei["id"]]).fetchone()[0] == 10000


def test_an_answer_after_the_deadline_is_refused_and_the_clock_closes_the_question(app, teacher, db):
    session_id = new_game(teacher, timer="5", reading="3")
    join(app, session_id, "Mei")
    join(app, session_id, "Tom")
    step(teacher, session_id, "start")
    game = livegames.get(db, session_id)
    entry = livegames.question_at(db, game, 1)
    assert parse(entry["closes_at"]) - parse(entry["opened_at"]) == timedelta(seconds=8)
    mei = players_of(db, session_id)[0]
    with pytest.raises(GameError, match="Too late"):
        liveanswers.record_answer(db, session_id, mei, 1, 2, Grade(1.0), "en", parse(entry["closes_at"]))
    assert livegames.settle(db, game, parse(entry["closes_at"]) - timedelta(milliseconds=1))["phase"] == "question"
    assert livegames.settle(db, game, parse(entry["closes_at"]))["phase"] == "results"
    assert livegames.get(db, session_id)["phase"] == "results"  # settled once, for every worker
    assert db.execute("SELECT count(*) FROM live_answers").fetchone()[0] == 0


def test_a_page_view_after_the_deadline_closes_the_question(app, teacher, db):
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    join(app, session_id, "Tom")
    step(teacher, session_id, "start")
    db.execute(
        "UPDATE live_questions SET closes_at = ? WHERE session_id = ?",
        [stamp(utcnow() - timedelta(seconds=1)), session_id],
    )
    assert answer(student, token, 1, answer="2").status_code == 409
    assert state(student, token)["s"]["phase"] == "results"


def test_when_everyone_has_answered_the_question_closes_at_once(app, teacher, db):
    session_id = new_game(teacher)
    mei, mei_token = join(app, session_id, "Mei")
    tom, tom_token = join(app, session_id, "Tom")
    step(teacher, session_id, "start")
    answer(mei, mei_token, 1, answer="2")
    assert game_row(app, session_id)["phase"] == "question"
    answer(tom, tom_token, 1, answer="0")
    assert game_row(app, session_id)["phase"] == "results"
    assert state(tom, tom_token)["me"]["result"] == {"correct": False, "score": 0.0, "points": 0}


def test_a_restarted_server_resumes_the_game_where_it_was(make_app):
    first = make_app()
    teacher = make_teacher(first, first.test_client())
    session_id = new_game(teacher)
    mei, mei_token = join(first, session_id, "Mei")
    _tom, tom_token = join(first, session_id, "Tom")
    step(teacher, session_id, "start")
    answer(mei, mei_token, 1, answer="2")
    livehub._hubs.clear()  # the old process is gone, with everything it held in memory

    second = make_app()  # a new app instance (a restarted or another worker) on the same file
    tom = second.test_client()  # the student reopens their link, here on another device
    assert state(tom, tom_token)["s"]["phase"] == "question"
    assert state(tom, tom_token)["me"]["nickname"] == "Tom"
    assert answer(tom, tom_token, 1, answer="2").json["created"] is True
    assert answer(second.test_client(), mei_token, 1, answer="0").json["created"] is False  # still once
    teacher_again = second.test_client()
    teacher_again.set_cookie("session", teacher.get_cookie("session").value)
    assert step(teacher_again, session_id, "next").status_code == 302
    finished = state(tom, tom_token)
    assert finished["s"]["phase"] == "question" and finished["s"]["position"] == 2
    assert finished["me"]["score"] > 500 and finished["me"]["rank"] in (1, 2)


def test_join_codes_are_unique_among_active_games_and_free_again_after(app, db, monkeypatch):
    make_teacher(app, app.test_client())
    host_id = db.execute("SELECT id FROM learners").fetchone()[0]
    codes = iter(["111111", "111111", "222222", "111111"])
    monkeypatch.setattr(livegames, "new_code", lambda rng=None: next(codes))
    settings = {"timer_s": 20, "reading_s": 0, "scoring": "speed", "text_mode": "en"}
    first = livegames.create(db, host_id, "sample", ["timeline"], **settings)
    second = livegames.create(db, host_id, "sample", ["timeline"], **settings)
    assert (game_row(app, first)["code"], game_row(app, second)["code"]) == ("111111", "222222")
    livegames.advance(db, first, "end", utcnow())
    third = livegames.create(db, host_id, "sample", ["timeline"], **settings)
    assert game_row(app, third)["code"] == "111111" and livegames.by_code(db, "111111")["id"] == third


def test_games_left_open_overnight_end_and_free_their_code(app, teacher, db):
    old = new_game(teacher)
    db.execute("UPDATE live_sessions SET updated_at = ? WHERE id = ?", [stamp(utcnow() - timedelta(hours=13)), old])
    new_game(teacher)
    assert game_row(app, old)["ended_at"] is not None and game_row(app, old)["phase"] == "ended"
    current = livegames.by_code(db, game_row(app, old)["code"])
    assert current is None or current["id"] != old


def test_a_removed_player_leaves_the_ranking_and_the_count(app, teacher, db):
    session_id = new_game(teacher)
    mei, mei_token = join(app, session_id, "Mei")
    tom, tom_token = join(app, session_id, "Tom")
    step(teacher, session_id, "start")
    answer(mei, mei_token, 1, answer="2")
    liveplayers.remove(db, session_id, state(mei, mei_token)["me"]["id"])
    assert liveanswers.answered(db, session_id, 1) == 0 and liveplayers.player_count(db, session_id) == 1
    answer(tom, tom_token, 1, answer="2")  # now everyone left has answered
    standings = liveanswers.standings(db, livegames.get(db, session_id))
    assert [s.nickname for s in standings] == ["Tom"]


def test_a_signed_in_students_answers_count_in_progress_and_flashcards(app, teacher, db):
    session_id = new_game(teacher)
    student = app.test_client()
    sign_up(student, username="mei")
    _client, token = join(app, session_id, "Mei", client=student)
    anonymous, anonymous_token = join(app, session_id, "Guest")
    step(teacher, session_id, "start")
    answer(student, token, 1, answer="2")
    answer(anonymous, anonymous_token, 1, answer="2")
    attempts = list(db.query("SELECT a.*, l.username FROM attempts a JOIN learners l ON l.id = a.learner_id"))
    assert len(attempts) == 1 and attempts[0]["username"] == "mei" and attempts[0]["quiz_id"] is None
    assert attempts[0]["correct"] == 1 and attempts[0]["question_id"] == "civil-code-year"
    logs = list(db.query("SELECT origin, card_id, attempt_id FROM review_logs"))
    assert logs == [{"origin": "live", "card_id": "civil-code-year", "attempt_id": attempts[0]["id"]}]
    assert (
        db.execute("SELECT attempt_id FROM live_answers WHERE attempt_id IS NOT NULL").fetchone()[0]
        == attempts[0]["id"]
    )
    assert 'class="answered">1<' in student.get("/progress").get_data(as_text=True)


def test_a_live_answer_is_rated_without_its_reading_time(app, teacher, db):
    session_id = new_game(teacher, timer="60", reading="30")
    student = app.test_client()
    sign_up(student, username="mei")
    join(app, session_id, "Mei", client=student)
    step(teacher, session_id, "start")
    game = livegames.get(db, session_id)
    opened = parse(livegames.question_at(db, game, 1)["opened_at"])
    mei = players_of(db, session_id)[0]
    # Right 35 s after opening, 30 of them reading: 5 s of thought on an easy question is Easy, as in a
    # quiz; counting the reading time too made it Good.
    liveanswers.record_answer(
        db, session_id, mei, 1, 2, Grade(1.0), "en", opened + timedelta(seconds=35), scheduler(fuzz=False)
    )
    assert db.execute("SELECT rating, origin FROM review_logs").fetchone() == (int(Rating.Easy), "live")
    assert db.execute("SELECT time_ms FROM attempts").fetchone()[0] == 35_000  # as the student lived it


def test_a_signed_in_student_on_a_second_device_is_the_same_player(app, teacher):
    session_id = new_game(teacher)
    phone = app.test_client()
    sign_up(phone, username="mei")
    _c, token = join(app, session_id, "Mei", client=phone)
    laptop = app.test_client()
    laptop.post("/signin", data={"username": "mei", "password": "correct horse"})
    _c, again = join(app, session_id, "Someone else", client=laptop)
    assert again == token


def test_the_hub_wakes_streams_on_changes_from_any_worker(app, teacher, db):
    session_id = new_game(teacher)
    join(app, session_id, "Mei")
    hub = livehub.Hub(app.config["DATABASE"], tick_s=0.02)
    with hub.watching(session_id):
        seen = hub.stamp(session_id)
        assert seen[2] == "lobby" and seen[5] == 1
        livegames.advance(db, session_id, "start", utcnow())  # as another worker would
        changed = hub.wait(session_id, seen, timeout=5)
        assert changed[0] > seen[0] and changed[2] == "question"
        join(app, session_id, "Tom")  # a projector-only change: players' streams have nothing new to send
        assert hub.wait(session_id, changed, timeout=0.3)[0] == changed[0]
        assert hub.wait(session_id, changed, timeout=5, host=True)[5] == 2
        snap = hub.snapshot(session_id)
        assert isinstance(snap, livestate.Snapshot) and snap.version == hub.stamp(session_id).version
        assert hub.snapshot(session_id) is snap  # built once per version for every stream of the process


def test_the_hub_closes_a_question_whose_time_is_up(app, teacher, db):
    session_id = new_game(teacher)
    join(app, session_id, "Mei")
    step(teacher, session_id, "start")
    db.execute(
        "UPDATE live_questions SET closes_at = ? WHERE session_id = ?",
        [stamp(utcnow() + timedelta(milliseconds=100)), session_id],
    )
    hub = livehub.Hub(app.config["DATABASE"], tick_s=0.02)
    with hub.watching(session_id):
        seen = hub.stamp(session_id)
        assert hub.wait(session_id, seen, timeout=5)[2] == "results"
    assert game_row(app, session_id)["phase"] == "results"
