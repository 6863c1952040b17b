"""Live games through HTTP: hosting (teachers only), joining at /join, playing, the projector, the streams."""

from __future__ import annotations

import json
import re

import pytest

from quizapp.core.store import connect

from .helpers import answer, game_row, join, make_teacher, new_game, sign_up, state, step


def first_event(client, url) -> dict:
    response = client.get(url, buffered=False)
    assert response.status_code == 200 and response.mimetype == "text/event-stream"
    chunks = iter(response.response)
    assert next(chunks).startswith(b"retry:")
    event = next(chunks).decode()
    response.close()
    return json.loads(event.split("data: ", 1)[1])


@pytest.mark.parametrize("path", ["/live/", "/live/new", "/live/1", "/live/1/panel", "/live/1/events"])
def test_hosting_is_for_teachers_only(app, teacher, path):
    new_game(teacher)
    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 302 and "/signin" in anonymous.get(path).location
    student = app.test_client()
    sign_up(student, username="student")
    assert student.get(path).status_code == 403
    assert student.post("/live/1/step", data={"action": "start"}).status_code == 403


def test_another_teachers_game_does_not_exist_for_them(app, teacher):
    session_id = new_game(teacher)
    other = make_teacher(app, app.test_client(), "other")
    assert other.get(f"/live/{session_id}").status_code == 404
    assert step(other, session_id, "start").status_code == 404


def test_new_game_form_lists_the_bank_and_keeps_the_chosen_order(app, teacher):
    page = teacher.get("/live/new?bank=sample").get_data(as_text=True)
    assert 'name="question" value="timeline"' in page and "Seconds per question" in page
    session_id = new_game(
        teacher, ["timeline", "civil-code-year"], **{"order-timeline": "2", "order-civil-code-year": "1"}
    )
    db = connect(app.config["DATABASE"])
    order = [
        r[0]
        for r in db.execute(
            "SELECT question_id FROM live_questions WHERE session_id = ? ORDER BY position", [session_id]
        )
    ]
    assert order == ["civil-code-year", "timeline"]
    game = game_row(app, session_id)
    assert game["timer_s"] == 20 and game["scoring"] == "speed" and game["text_mode"] == "both"
    assert re.fullmatch(r"\d{6}", game["code"]) and game["phase"] == "lobby"


def test_new_game_needs_a_question_and_a_sane_timer(app, teacher):
    page = teacher.post(
        "/live/new",
        data={"bank": "sample", "timer": "20", "reading": "0", "scoring": "speed", "text_mode": "en"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Choose at least one question." in page
    page = teacher.post(
        "/live/new",
        data={
            "bank": "sample",
            "timer": "9999",
            "reading": "0",
            "scoring": "speed",
            "text_mode": "en",
            "question": ["timeline"],
        },
    ).get_data(as_text=True)
    assert "Choose between 0 and 600 seconds." in page
    assert connect(app.config["DATABASE"])["live_sessions"].count == 0
    assert teacher.get("/live/new?bank=nope").status_code == 404


def test_timer_zero_means_no_timer(app, teacher):
    assert game_row(app, new_game(teacher, timer="0"))["timer_s"] is None


def test_projector_lobby_shows_code_qr_address_and_arrivals(app, teacher):
    session_id = new_game(teacher)
    code = game_row(app, session_id)["code"]
    page = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert code in page and "http://localhost/join" in page and '<svg role="img"' in page and 'class="qr"' in page
    join(app, session_id, "Mei")
    join(app, session_id, "Tom")
    panel = teacher.get(f"/live/{session_id}/panel").get_data(as_text=True)
    assert panel.startswith('<section id="panel"') and "<html" not in panel
    assert "<li>Mei</li>" in panel and "<li>Tom</li>" in panel and "<span data-players>2</span>" in panel


def test_join_lives_at_slash_join_and_explains_a_wrong_code(app, teacher):
    session_id = new_game(teacher)
    code = game_row(app, session_id)["code"]
    student = app.test_client()
    assert f'value="{code}"' in student.get(f"/join?code={code}").get_data(as_text=True)
    wrong = "000000" if code != "000000" else "111111"
    page = student.post("/join", data={"code": wrong, "nickname": "Mei"}).get_data(as_text=True)
    assert "No game is running with that code." in page
    page = student.post("/join", data={"code": code, "nickname": "   "}).get_data(as_text=True)
    assert "Please choose a nickname." in page
    join(app, session_id, "Mei")
    page = student.post("/join", data={"code": code, "nickname": "mei"}).get_data(as_text=True)
    assert "already has that nickname" in page


def test_the_browser_remembers_its_game_for_a_refresh_or_return(app, teacher):
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    page = student.get("/join").get_data(as_text=True)
    assert f"/live/p/{token}" in page and "as Mei" in page
    step(teacher, session_id, "end")
    assert f"/live/p/{token}" not in student.get("/join").get_data(as_text=True)


def test_guessing_join_codes_is_limited_per_address(make_app, monkeypatch):
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)
    app = make_app()
    client = app.test_client()
    for _ in range(100):
        assert client.post("/join", data={"code": "999999", "nickname": "x"}).status_code == 200
    assert client.post("/join", data={"code": "999999", "nickname": "x"}).status_code == 429


def test_a_whole_game_without_javascript(app, teacher):
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    assert "Wait for the teacher to start" in student.get(f"/live/p/{token}").get_data(as_text=True)
    assert step(teacher, session_id, "start").status_code == 302
    page = student.get(f"/live/p/{token}").get_data(as_text=True)
    assert 'class="live-answer answer-choice"' in page and page.count('class="big-choice') == 3
    response = student.post(f"/live/p/{token}/answer", data={"position": "1", "answer": "2"})  # 2020
    assert response.status_code == 302
    page = student.get(f"/live/p/{token}").get_data(as_text=True)
    assert "Right!" in page and re.search(r"\+[\d,]+ points", page)  # everyone answered: results at once
    assert "Correct answer" in page and "for the first time defined actions" in page
    step(teacher, session_id, "standings")  # the leaderboard's own screen, between questions
    page = student.get(f"/live/p/{token}").get_data(as_text=True)
    assert "Leaderboard" in page and "You are in place 1 of 1" in page
    assert "<h1>Leaderboard</h1>" in teacher.get(f"/live/{session_id}").get_data(as_text=True)
    step(teacher, session_id, "next")
    page = student.get(f"/live/p/{token}").get_data(as_text=True)
    assert 'value="true"' in page and 'value="false"' in page
    student.post(f"/live/p/{token}/answer", data={"position": "2", "answer": "false"})
    assert "Not quite" in student.get(f"/live/p/{token}").get_data(as_text=True)
    step(teacher, session_id, "next")
    student.post(f"/live/p/{token}/answer", data={"position": "3", "answer": ["0", "1", "2"]})
    step(teacher, session_id, "next")
    page = student.get(f"/live/p/{token}").get_data(as_text=True)
    assert "Game over" in page and "place 1 of 1" in page
    host = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert "Podium" in host and "Mei" in host and f"/live/{session_id}/results.csv" in host


def test_results_show_chart_and_answer_then_the_leaderboard_its_top_eight(app, teacher):
    session_id = new_game(teacher)
    players = [join(app, session_id, f"p{n:02}") for n in range(12)]
    step(teacher, session_id, "start")
    for n, (client, token) in enumerate(players):
        assert answer(client, token, 1, answer=str(n % 3)).json["ok"]
    page = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    chart = re.search(r'<svg class="chart answer-chart".*?</svg>', page, re.S).group(0)
    assert chart.count("<rect") == 3 and 'class="bar right"' in chart and "right answer" in chart
    assert "Correct answer" in page and "for the first time defined actions" in page
    assert "Next: leaderboard" in page and "data-next" in page
    assert '<ol class="leaderboard">' not in page  # the ranking has its own screen
    step(teacher, session_id, "standings")
    page = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert len(re.findall(r'<li value="\d+"><span class="rank"', page)) == 8
    assert "Next question" in page and "svg" not in page.split('id="screen"')[1].split("</div>")[0]


def test_answer_is_exactly_once_and_a_retry_gets_the_first_back(app, teacher):
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    join(app, session_id, "Tom")
    step(teacher, session_id, "start")
    first = answer(student, token, 1, answer="0")
    again = answer(student, token, 1, answer="2")
    assert first.json["created"] is True and again.json["created"] is False and again.json["given"] == 0
    assert connect(app.config["DATABASE"])["live_answers"].count == 1


def test_late_and_unreadable_answers_are_refused_clearly(app, teacher):
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    join(app, session_id, "Tom")
    step(teacher, session_id, "start")
    unreadable = answer(student, token, 1, answer="7")
    assert unreadable.status_code == 400 and unreadable.json["error"] == "That is not one of the choices."
    step(teacher, session_id, "close")
    late = answer(student, token, 1, answer="2")
    assert late.status_code == 409 and late.json == {"ok": False, "error": "Too late: this question has closed."}
    wrong_question = answer(student, token, 2, answer="true")
    assert wrong_question.status_code == 409
    no_js = student.post(f"/live/p/{token}/answer", data={"position": "1", "answer": "2"}, follow_redirects=True)
    assert "Too late: this question has closed." in no_js.get_data(as_text=True)


def test_each_player_picks_their_own_question_language(app, teacher):
    session_id = new_game(teacher)
    zh, zh_token = join(app, session_id, "Mei", **{"Accept-Language": "zh-CN"})
    en, en_token = join(app, session_id, "Tom", **{"Accept-Language": "en"})
    step(teacher, session_id, "start")
    page = zh.get(f"/live/p/{zh_token}", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    prompt = re.search(r'<h1 class="prompt live-prompt">(.*?)</h1>', page, re.S).group(1)
    assert 'lang="zh-Hans"' in prompt and 'lang="en"' not in prompt
    prompt = re.search(
        r'<h1 class="prompt live-prompt">(.*?)</h1>', en.get(f"/live/p/{en_token}").get_data(as_text=True), re.S
    ).group(1)
    assert 'lang="en"' in prompt and "zh-Hans" not in prompt
    assert en.post(f"/live/p/{en_token}/language", data={"mode": "both"}).status_code == 302
    prompt = re.search(
        r'<h1 class="prompt live-prompt">(.*?)</h1>', en.get(f"/live/p/{en_token}").get_data(as_text=True), re.S
    ).group(1)
    assert 'class="both"' in prompt
    assert en.post(f"/live/p/{en_token}/language", data={"mode": "klingon"}).status_code == 400
    host = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert 'class="both"' in re.search(r'<h1 class="prompt live-prompt">(.*?)</h1>', host, re.S).group(1)
    teacher.post(f"/live/{session_id}/text-mode", data={"mode": "zh"})
    host = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert 'lang="en"' not in re.search(r'<h1 class="prompt live-prompt">(.*?)</h1>', host, re.S).group(1)


def test_streams_send_the_whole_state_at_once(app, teacher):
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    step(teacher, session_id, "start")
    answer(student, token, 1, answer="0")
    event = first_event(student, f"/live/p/{token}/events")
    assert event["s"]["phase"] == "results" and event["me"]["given"] == 0 and event["me"]["result"]["points"] == 0
    # The right answer (choice 2 of 2015, 2018, 2020) as the question's type draws it, both languages for the phone.
    expected = event["s"]["expected"]
    assert ">2020</span>" in expected and ">2020年</span>" in expected
    assert "2015" not in expected and "2018" not in expected
    assert event["s"]["question"]["prompt"]["zh"]
    host = first_event(teacher, f"/live/{session_id}/events")
    assert host == {
        "v": event["s"]["v"],
        "lobby": host["lobby"],
        "phase": "results",
        "position": 1,
        "answered": 1,
        "players": 1,
    }
    assert app.test_client().get("/live/p/not-a-token/events").status_code == 404


def test_traditional_chinese_phones_get_traditional_text(app, teacher):
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    student.post("/settings/language", data={"locale": "zh_Hant", "next": "/"})
    step(teacher, session_id, "start")
    assert "國" in state(student, token)["s"]["question"]["prompt"]["zh"]


def test_teacher_renames_and_removes_players(app, teacher):
    session_id = new_game(teacher)
    rude, rude_token = join(app, session_id, "Rude")
    _other, other_token = join(app, session_id, "Mei")
    rude_id = state(rude, rude_token)["me"]["id"]
    teacher.post(f"/live/{session_id}/players/{rude_id}/rename", data={"nickname": "Student 1"})
    assert "<li>Student 1</li>" in teacher.get(f"/live/{session_id}/panel").get_data(as_text=True)
    page = teacher.post(
        f"/live/{session_id}/players/{rude_id}/rename", data={"nickname": "mei"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "already has that nickname" in page
    teacher.post(f"/live/{session_id}/players/{rude_id}/remove")
    step(teacher, session_id, "start")
    assert state(rude, rude_token)["me"]["removed"] is True
    refused = answer(rude, rude_token, 1, answer="2")
    assert refused.status_code == 403 and "removed you" in refused.json["error"]
    assert "removed you from this game" in rude.get(f"/live/p/{rude_token}").get_data(as_text=True)
    assert state(rude, other_token)["s"]["players"] == 1


def test_a_double_click_on_next_does_not_skip_a_question(app, teacher):
    session_id = new_game(teacher)
    join(app, session_id, "Mei")
    step(teacher, session_id, "start", at="lobby:0")
    step(teacher, session_id, "close", at="question:1")
    step(teacher, session_id, "next", at="results:1")
    page = step(teacher, session_id, "next", at="results:1").get_data(as_text=True)
    assert game_row(app, session_id)["position"] == 2 and game_row(app, session_id)["phase"] == "question"
    assert step(teacher, session_id, "jump").status_code == 400
    assert page  # redirected back to the projector, with the reason flashed


@pytest.mark.parametrize("page", ["host", "play", "join", "new"])
def test_live_pages_obey_the_content_security_policy(app, teacher, page):
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    step(teacher, session_id, "start")
    client, url = {
        "host": (teacher, f"/live/{session_id}"),
        "play": (student, f"/live/p/{token}"),
        "join": (student, "/join"),
        "new": (teacher, "/live/new"),
    }[page]
    html = client.get(url).get_data(as_text=True)
    assert " style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert re.search(r" on[a-z]+=", html) is None
