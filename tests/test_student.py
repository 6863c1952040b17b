"""The student's way through, driven by Flask's test client."""

from __future__ import annotations

import re

import pytest

from quizapp.core.store import connect

from .helpers import fill_rule, make_teacher, quiz_question, right_answer, start, take, wrong_answer


def test_home_lists_banks_with_counts_and_content_note(client):
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sample bank" in page and "7 questions" in page
    assert "Content note:" in page and "without graphic detail" in page


@pytest.mark.parametrize(
    "header, lang",
    [
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK,en;q=0.5", "zh-Hant"),
        ("en-US,en", "en"),
        ("fr", "en"),
    ],
)
def test_first_visit_follows_accept_language(client, header, lang):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    if lang != "en":
        assert "题库" in page or "題庫" in page


def test_language_switch_is_remembered_and_sets_text_blocks(client):
    client.post("/settings/language", data={"locale": "zh", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and "示例题库" in page and 'lang="zh-Hans"' in page
    assert "Sample bank" not in page


def test_traditional_chinese_interface_and_content(client):
    client.post("/settings/language", data={"locale": "zh_Hant", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-Hant">' in page and "示例題庫" in page and "題庫" in page


def test_side_by_side_shows_both_languages_with_lang_attributes(client):
    client.post("/settings/text-mode", data={"mode": "both", "next": "/"})
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<span lang="en" class="t t-en">Sample bank</span>' in page
    assert '<span lang="zh-Hans" class="t t-zh">示例题库</span>' in page
    assert '<html lang="en">' in page


def test_switch_refuses_unknown_values_and_foreign_redirects(client):
    response = client.post("/settings/language", data={"locale": "klingon", "next": "https://evil.example/"})
    assert response.location == "/"
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_quiz_end_to_end_feedback_results_and_retry(app, client):
    quiz_id = start(client)
    first = client.get(f"/quizzes/{quiz_id}/1").get_data(as_text=True)
    assert "Question 1 of 7" in first and "Content note:" in first
    take(app, client, quiz_id, [True, False, True, True, False, True, True])
    feedback = client.get(f"/quizzes/{quiz_id}/2").get_data(as_text=True)
    assert "Not quite" in feedback and "Correct answer" in feedback and "From the article" in feedback
    assert 'class="explanation"' in feedback and '<blockquote class="source" lang="en">' in feedback
    results = client.get(f"/quizzes/{quiz_id}/results").get_data(as_text=True)
    assert 'data-score="5.0" data-max="7.0"' in results
    assert results.count('<summary class="prompt">') == 2 and "2 questions you missed" in results
    # The score leads and nothing below it takes the focus (an autofocus there scrolled the score away).
    assert "autofocus" not in results
    assert results.index('class="score"') < results.index("Retry the ones I missed") < results.index("<details>")
    retry = client.post(f"/quizzes/{quiz_id}/retry")
    new_id = int(re.search(r"/quizzes/(\d+)/1$", retry.location).group(1))
    missed = {quiz_question(app, quiz_id, 2)["id"], quiz_question(app, quiz_id, 5)["id"]}
    assert {quiz_question(app, new_id, p)["id"] for p in (1, 2)} == missed
    assert client.get(f"/quizzes/{new_id}/3").status_code == 404


def test_right_answer_feedback(app, client):
    quiz_id = start(client, size="1")
    take(app, client, quiz_id, [True])
    page = client.get(f"/quizzes/{quiz_id}/1").get_data(as_text=True)
    assert "Right!" in page and "See my score" in page


def test_the_article_quote_is_labelled_english_when_questions_are_in_chinese(app, client):
    quiz_id = start(client, size="1")
    take(app, client, quiz_id, [True])
    english = client.get(f"/quizzes/{quiz_id}/1").get_data(as_text=True)
    assert "From the article<" in english and "(original English)" not in english
    client.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    chinese = client.get(f"/quizzes/{quiz_id}/1").get_data(as_text=True)
    assert "From the article (original English)" in chinese


def test_topics_are_shown_by_name_in_the_readers_language(client):
    page = client.get("/banks/sample", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert '<option value="civil-code">民法典 (2)</option>' in page
    assert '<option value="safety">safety (1)</option>' in page  # no name given: the id


def test_topic_quiz_only_draws_that_topic(app, client):
    quiz_id = start(client, topic="safety")
    assert quiz_question(app, quiz_id, 1)["id"] == "html-prompt"
    assert client.get(f"/quizzes/{quiz_id}/2").status_code == 404


def test_bad_start_form_shows_a_message(client):
    response = client.post("/banks/sample/quizzes", data={"topic": "nope", "size": "500"}, follow_redirects=True)
    assert "Choose between 1 and 50 questions." in response.get_data(as_text=True)
    assert client.post("/banks/missing/quizzes", data={}).status_code == 404


def test_unreadable_answer_is_refused_in_the_readers_language(app, client):
    client.post("/settings/language", data={"locale": "zh", "next": "/"})
    quiz_id = start(client)
    question = quiz_question(app, quiz_id, 1)
    bad = {"answer": "999"} if question["type"] in ("choice", "multi") else {"answer": ""}
    if question["type"] == "order":
        bad = {"position-0": "1", "position-1": "1", "position-2": "1"}
    page = client.post(f"/quizzes/{quiz_id}/1", data=bad, follow_redirects=True).get_data(as_text=True)
    assert 'id="answer-error" class="field-error"' in page
    assert re.search(r"[\u4e00-\u9fff]", page.split('id="answer-error"')[1][:80])
    db = connect(app.config["DATABASE"])
    assert db["attempts"].count == 0


def test_a_replayed_answer_is_not_counted_twice(app, client):
    quiz_id = start(client)
    question = quiz_question(app, quiz_id, 1)
    client.get(f"/quizzes/{quiz_id}/1")
    client.post(f"/quizzes/{quiz_id}/1", data=right_answer(question))
    client.post(f"/quizzes/{quiz_id}/1", data=wrong_answer(question))
    db = connect(app.config["DATABASE"])
    rows = list(db.query("SELECT correct, language, time_ms FROM attempts"))
    assert len(rows) == 1 and rows[0]["correct"] == 1
    assert rows[0]["language"] == "en" and rows[0]["time_ms"] is not None and rows[0]["time_ms"] >= 0


def test_attempt_records_the_language_shown(app, client):
    client.post("/settings/text-mode", data={"mode": "both", "next": "/"})
    quiz_id = start(client)
    take(app, client, quiz_id, [True])
    assert connect(app.config["DATABASE"]).execute("SELECT language FROM attempts").fetchone()[0] == "both"


def test_another_learner_cannot_see_my_quiz(app, client):
    quiz_id = start(client)
    stranger = app.test_client()
    assert stranger.get(f"/quizzes/{quiz_id}/1").status_code == 404
    assert stranger.get(f"/quizzes/{quiz_id}/results").status_code == 404
    assert stranger.post(f"/quizzes/{quiz_id}/1", data={"answer": "0"}).status_code == 404


def test_progress_survives_a_server_restart(make_app):
    app = make_app()
    client = app.test_client()
    quiz_id = start(client)
    take(app, client, quiz_id, [True, True, False])
    cookie = client.get_cookie("session")
    restarted = make_app()  # a new app instance on the same database file
    again = restarted.test_client()
    again.set_cookie("session", cookie.value)
    page = again.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.search(r'class="answered">3<', page) and re.search(r'class="correct">2<', page)
    assert again.get(f"/quizzes/{quiz_id}").location.endswith(f"/quizzes/{quiz_id}/4")


def test_question_html_is_shown_as_text(app, client):
    quiz_id = start(client, topic="safety")
    page = client.get(f"/quizzes/{quiz_id}/1").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page and "&lt;b&gt;bold&lt;/b&gt;" in page


def test_an_unreadable_answer_is_refused_in_the_readers_language_with_its_numbers(app, client):
    quiz_id = start(client)
    position = next(p for p in range(1, 8) if quiz_question(app, quiz_id, p)["type"] == "order")
    places = len(quiz_question(app, quiz_id, position)["choices"])
    zh = {"Accept-Language": "zh"}
    page = client.post(f"/quizzes/{quiz_id}/{position}", data={}, headers=zh, follow_redirects=True)
    assert f"请给每一项填写 1 到 {places} 之间的名次。" in page.get_data(as_text=True)


def test_every_post_without_csrf_token_is_refused(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    posts = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(posts) >= 5
    for rule in posts:
        url = fill_rule(rule)
        response = client.post(url, data={"locale": "zh", "mode": "both", "answer": "0"})
        assert response.status_code == 400, url
        assert "security token" in response.get_data(as_text=True)


def test_csrf_token_from_the_page_is_accepted(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/banks/sample").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/banks/sample/quizzes", data={"csrf_token": token, "topic": "", "size": "3"})
    assert response.status_code == 302


def test_security_headers_and_cookie_flags(client):
    client.post("/settings/language", data={"locale": "zh", "next": "/"})
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    cookie = client.get_cookie("session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_oversized_request_gets_a_friendly_413(make_app):
    client = make_app(MAX_CONTENT_LENGTH=1000).test_client()
    response = client.post("/settings/language", data={"locale": "x" * 5000}, headers={"Accept-Language": "zh"})
    assert response.status_code == 413 and "你提交的内容过大" in response.get_data(as_text=True)


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok", "banks": 1}


def test_healthz_reports_an_unreachable_database(app, tmp_path):
    app.config["DATABASE"] = str(tmp_path / "missing-dir" / "x" / "db.sqlite3")
    (tmp_path / "missing-dir").write_text("not a folder")
    assert app.test_client().get("/healthz").status_code == 503


def test_unknown_pages_are_404_in_the_readers_language(client):
    response = client.get("/nope", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


def test_live_game_form_names_topics_too(app):
    teacher = make_teacher(app, app.test_client())
    page = teacher.get("/live/new?bank=sample", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert '<option value="civil-code">民法典 (2)</option>' in page


def numeric_position(app, quiz_id):
    return next(p for p in range(1, 8) if quiz_question(app, quiz_id, p)["type"] == "numeric")


def test_a_malformed_number_comes_back_as_typed_marked_and_explained(app, client):
    quiz_id = start(client)
    position = numeric_position(app, quiz_id)
    zh = {"Accept-Language": "zh"}
    response = client.post(f"/quizzes/{quiz_id}/{position}", data={"answer": "abc <b>"}, headers=zh)
    assert response.location == f"/quizzes/{quiz_id}/{position}"
    page = client.get(response.location, headers=zh).get_data(as_text=True)
    assert 'value="abc &lt;b&gt;"' in page  # what was typed, escaped
    assert 'aria-invalid="true" aria-describedby="answer-error"' in page
    assert '<p id="answer-error" class="field-error" role="alert">请输入一个数字' in page
    assert connect(app.config["DATABASE"])["attempts"].count == 0
    again = client.get(response.location, headers=zh).get_data(as_text=True)
    assert "answer-error" not in again and 'value=""' in again  # shown once, not forever


def test_the_question_language_buttons_keep_a_typed_answer(app, client):
    quiz_id = start(client)
    position = numeric_position(app, quiz_id)
    here = f"/quizzes/{quiz_id}/{position}"
    page = client.get(here, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'form="answer-form" formaction="/settings/text-mode" formnovalidate' in page
    response = client.post("/settings/text-mode", data={"mode": "zh", "next": here, "answer": "43,0"})
    assert response.location == here
    page = client.get(here, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'value="43,0"' in page and "answer-error" not in page
    assert re.search(r'value="zh" class="small current"\s+aria-pressed="true"', page)
    assert connect(app.config["DATABASE"])["attempts"].count == 0  # switching language marks nothing


def test_in_both_languages_every_label_of_a_question_is_in_both(app, client):
    client.post("/settings/text-mode", data={"mode": "both", "next": "/"})
    quiz_id = start(client)
    position = next(p for p in range(1, 8) if quiz_question(app, quiz_id, p)["type"] == "true_false")
    page = client.get(f"/quizzes/{quiz_id}/{position}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for english, chinese in [("True", "对"), ("False", "错"), ("Check my answer", "提交答案")]:
        assert f'<span lang="en">{english}</span> <span lang="zh-Hans">{chinese}</span>' in page, english
    take_one = quiz_question(app, quiz_id, position)
    client.post(f"/quizzes/{quiz_id}/{position}", data=right_answer(take_one))
    page = client.get(f"/quizzes/{quiz_id}/{position}", headers={"Accept-Language": "zh-TW"}).get_data(as_text=True)
    for english in ("Correct answer", "Your answer", "Why", "From the article (original English)"):
        assert f'<span lang="en">{english}</span> <span lang="zh-Hant">' in page, english
    client.post("/settings/text-mode", data={"mode": "en", "next": "/"})
    page = client.get(f"/quizzes/{quiz_id}/{position}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "both-label" not in page and "<dt>Correct answer</dt>" in page


def test_the_feedback_hands_the_focus_to_next(app, client):
    quiz_id = start(client, size="2")
    take(app, client, quiz_id, [True])
    page = client.get(f"/quizzes/{quiz_id}/1", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'data-next autofocus href="/quizzes/{quiz_id}/2"' in page


def test_a_kept_draft_is_bounded_and_only_refills_its_own_question(app, client):
    quiz_id = start(client)
    position = numeric_position(app, quiz_id)
    here = f"/quizzes/{quiz_id}/{position}"
    fields = {"mode": "en", "next": here, "answer": "9" * 5000, "csrf_token": "x", "nickname": "not an answer"}
    fields.update({f"position-{n}": "1" for n in range(100)})
    client.post("/settings/text-mode", data=fields)
    other = 1 if position != 1 else 2
    elsewhere = client.get(f"/quizzes/{quiz_id}/{other}").get_data(as_text=True)
    assert "9" * 200 not in elsewhere  # another question is not filled in with it
    page = client.get(here).get_data(as_text=True)
    assert 'value="' + "9" * 200 + '"' in page and "9" * 201 not in page and "not an answer" not in page
    with client.session_transaction() as session:
        assert "answer_draft" not in session  # used once
