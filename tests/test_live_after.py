"""After a live game and around it: the results export (CSV as the reports write it), archiving and
removing ended games (students' learning history stays), the phone's question language as the
learner's one setting, and the teacher's pages in Chinese."""

from __future__ import annotations

import csv
import io

from quizapp.core.store import connect

from .helpers import QUESTIONS, answer, db_of, join, make_teacher, new_game, sign_up, step


def play_to_the_end(app, teacher):
    """Mei (signed in) answers all three right, a player called =1+1 only the first, wrongly."""
    session_id = new_game(teacher)
    mei = app.test_client()
    sign_up(mei, username="mei")
    mei, mei_token = join(app, session_id, "美美", client=mei)
    hacker, hacker_token = join(app, session_id, "=1+1")
    step(teacher, session_id, "start")
    assert answer(mei, mei_token, 1, answer="2").json["ok"]  # 2020
    assert answer(hacker, hacker_token, 1, answer="0").json["ok"]
    step(teacher, session_id, "next")
    assert answer(mei, mei_token, 2, answer="true").json["ok"]
    step(teacher, session_id, "close")
    step(teacher, session_id, "next")
    assert answer(mei, mei_token, 3, answer=["0", "1", "2"]).json["ok"]
    step(teacher, session_id, "close")
    step(teacher, session_id, "next")
    return session_id


def test_the_export_is_the_ranking_as_a_safe_utf8_csv(app, teacher):
    session_id = play_to_the_end(app, teacher)
    response = teacher.get(f"/live/{session_id}/results.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # Excel reads the Chinese nickname as UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Place", "Nickname", "Points", "Right answers", "Questions answered"]
    assert rows[0][5:] == [f"Question {n}: {q}" for n, q in enumerate(QUESTIONS, 1)]
    first, second = rows[1], rows[2]
    assert first[:2] == ["1", "美美"] and first[3:5] == ["3", "3"] and int(first[2]) > 0
    assert sum(int(p) for p in first[5:]) == int(first[2])
    # A nickname that a spreadsheet would run as a formula is written as text; no answer is blank.
    assert second[:5] == ["2", "'=1+1", "0", "0", "1"] and second[5:] == ["0", "", ""]


def test_the_export_speaks_the_teachers_language(app, teacher):
    session_id = play_to_the_end(app, teacher)
    teacher.post("/settings/language", data={"locale": "zh", "next": "/"})
    header = teacher.get(f"/live/{session_id}/results.csv").get_data().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("名次,昵称,分数,答对题数,已答题数,第 1 题：civil-code-year")


def test_only_ended_games_are_archived_or_removed(app, teacher):
    session_id = new_game(teacher)
    join(app, session_id, "Mei")
    step(teacher, session_id, "start")
    refused = teacher.post(f"/live/{session_id}/archive", data={"archived": "1"}, follow_redirects=True)
    assert "Only an ended game can be archived or removed" in refused.get_data(as_text=True)
    refused = teacher.post(f"/live/{session_id}/remove", follow_redirects=True)
    assert "Only an ended game can be archived or removed" in refused.get_data(as_text=True)
    db = db_of(app)
    row = db.execute("SELECT phase, archived_at FROM live_sessions WHERE id = ?", [session_id]).fetchone()
    assert row == ("question", None)


def test_an_ended_game_is_archived_and_comes_back(app, teacher):
    session_id = play_to_the_end(app, teacher)
    listed = teacher.get("/live/").get_data(as_text=True)
    assert f'data-game="{session_id}"' in listed and f"/live/{session_id}/results.csv" in listed
    page = teacher.post(f"/live/{session_id}/archive", data={"archived": "1"}, follow_redirects=True)
    assert "The game is in the archive." in page.get_data(as_text=True)
    assert f'data-game="{session_id}"' not in teacher.get("/live/").get_data(as_text=True)
    archived = teacher.get("/live/?archived=1").get_data(as_text=True)
    assert f'data-game="{session_id}"' in archived and "Unarchive" in archived
    teacher.post(f"/live/{session_id}/archive", data={"archived": "0"})
    assert f'data-game="{session_id}"' in teacher.get("/live/").get_data(as_text=True)


def test_removing_a_game_asks_first_and_keeps_the_students_history(app, teacher):
    session_id = play_to_the_end(app, teacher)
    db = db_of(app)
    attempts = db.execute("SELECT count(*) FROM attempts").fetchone()[0]
    assert attempts == 3  # Mei's answers, as a signed-in player
    confirm = teacher.get(f"/live/{session_id}/remove").get_data(as_text=True)
    assert "learning history stays as it is" in confirm and 'method="post"' in confirm
    assert db.execute("SELECT count(*) FROM live_sessions WHERE id = ?", [session_id]).fetchone()[0] == 1
    other = make_teacher(app, app.test_client(), "other")
    assert other.post(f"/live/{session_id}/remove").status_code == 404
    done = teacher.post(f"/live/{session_id}/remove", follow_redirects=True)
    assert "was removed" in done.get_data(as_text=True)
    db = connect(app.config["DATABASE"])
    for table in ("live_sessions", "live_questions", "live_players", "live_answers"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    assert db.execute("SELECT count(*) FROM attempts").fetchone()[0] == attempts
    assert teacher.get(f"/live/{session_id}/results.csv").status_code == 404


def test_the_phones_language_is_the_learners_question_language(app, teacher):
    session_id = new_game(teacher)
    mei = app.test_client()
    sign_up(mei, username="mei")
    mei, token = join(app, session_id, "Mei", client=mei)
    response = mei.post(f"/live/p/{token}/language", data={"mode": "zh"}, headers={"Accept": "application/json"})
    assert response.json == {"ok": True, "mode": "zh"}
    db = db_of(app)
    assert db.execute("SELECT language FROM live_players WHERE nickname = 'Mei'").fetchone()[0] == "zh"
    assert db.execute("SELECT text_mode FROM learners WHERE username = 'mei'").fetchone()[0] == "zh"
    page = mei.get("/banks/sample").get_data(as_text=True)  # the quizzes' own setting changed with it
    assert '<option value="zh" selected>' in page
    # The link opened in someone else's browser changes that browser and the game, not Mei's account.
    other = app.test_client()
    sign_up(other, username="tom")
    other.post(f"/live/p/{token}/language", data={"mode": "en"})
    assert db.execute("SELECT text_mode FROM learners WHERE username = 'mei'").fetchone()[0] == "zh"
    assert db.execute("SELECT text_mode FROM learners WHERE username = 'tom'").fetchone()[0] is None
    assert mei.post(f"/live/p/{token}/language", data={"mode": "klingon"}).status_code == 400


def test_the_phone_page_has_language_buttons_and_no_site_chrome(app, teacher):
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    page = student.get(f"/live/p/{token}").get_data(as_text=True)
    assert "<nav" not in page and "<select" not in page and "Sign in" not in page
    assert page.count('name="mode"') == 3 and 'aria-pressed="true"' in page
    step(teacher, session_id, "start")
    host = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert "<nav" not in host and "<select" not in host and "Sign out" not in host
    assert 'value="both" class="small" aria-pressed="true"' in host


def test_multi_answer_questions_say_choose_all_that_apply_on_both_screens(app, teacher):
    session_id = new_game(teacher, questions=["crimes-covered"])
    student, token = join(app, session_id, "Mei")
    step(teacher, session_id, "start")
    assert "Choose all that apply" in teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert "Choose all that apply" in student.get(f"/live/p/{token}").get_data(as_text=True)
    state = student.get(f"/live/p/{token}/state").get_json()
    assert "Choose all that apply" in state["s"]["question"]["form"]


def test_the_teachers_live_pages_in_chinese(app, teacher):
    teacher.post("/settings/language", data={"locale": "zh", "next": "/"})
    new_game(teacher)
    listing = teacher.get("/live/").get_data(as_text=True)
    assert "打开投影画面" in listing and "进行中" not in listing
    page = teacher.get("/live/new?bank=sample").get_data(as_text=True).split("<main")[1]
    assert "判断题" in page and "数字题" in page
    assert "(true_false)" not in page and "(numeric)" not in page and "data-autosubmit" not in page  # explicit button


def test_the_projector_shows_both_languages_unless_the_host_chooses(app, teacher):
    teacher.post("/settings/text-mode", data={"mode": "en", "next": "/"})  # the teacher's own reading language
    page = teacher.get("/live/new?bank=sample").get_data(as_text=True)
    assert '<option selected value="both">' in page
    session_id = new_game(teacher)
    assert teacher.post(f"/live/{session_id}/text-mode", data={"mode": "zh"}).status_code == 302
    assert 'value="zh" class="small" lang="zh-Hans" aria-pressed="true"' in teacher.get(f"/live/{session_id}").get_data(
        as_text=True
    )
    assert teacher.post(f"/live/{session_id}/text-mode", data={"mode": "fr"}).status_code == 400


def test_a_full_lobby_shows_the_first_names_and_how_many_more(app, teacher):
    from quizapp.live.panel import NAMES_SHOWN

    session_id = new_game(teacher)
    for n in range(NAMES_SHOWN + 3):
        join(app, session_id, f"p{n:03}")
    page = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    names = page.split('<ul class="names">')[1].split("</ul>")[0]
    assert names.count("<li>") == NAMES_SHOWN and "and 3 more" in page
