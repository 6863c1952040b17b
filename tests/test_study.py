"""The flashcard routes and the progress page, driven by the test client."""

from __future__ import annotations

import re

from quizapp.core.store import connect

from .helpers import sign_up, start, study_once, take


def test_study_shows_front_back_and_rating_intervals(client):
    url, page = study_once(client)
    assert "/study/sample/term-civil-code" in url
    assert "data-flashcard" in page and 'id="card-back" hidden' in page
    assert re.search(r'rate-interval">1 min<', page) and re.search(r'rate-interval">10 min<', page)
    page = client.get("/study/sample/term-civil-code?side=back", headers={"Accept-Language": "zh"}).get_data(
        as_text=True
    )
    assert 'id="card-back" hidden' not in page and "分钟" in page


def test_the_front_follows_the_question_language_and_the_back_shows_both(client):
    client.post("/settings/text-mode", data={"mode": "zh", "next": "/study/"})
    page = client.get("/study/sample/term-civil-code").get_data(as_text=True)
    front = page.split('class="card-face front"')[1].split('class="card-face back"')[0]
    back = page.split('class="card-face back"')[1]
    assert 'lang="zh-Hans"' in front and 'lang="en"' not in front
    assert '<div lang="en" class="t t-en">民法典 (mínfǎdiǎn)' in back
    assert '<div lang="zh-Hans" class="t t-zh">civil code：' in back
    # The one setting: the quiz and the question-language buttons on the card say the same.
    assert re.search(r'value="zh" class="small current"\s+aria-pressed="true"', page)
    client.post("/settings/text-mode", data={"mode": "en", "next": "/study/"})
    front = client.get("/study/sample/term-civil-code").get_data(as_text=True).split('class="card-face back"')[0]
    assert '<div lang="en" class="t t-en">civil code' in front and 'lang="zh-Hans" class="t' not in front


def test_the_old_direction_setting_is_gone_and_ignored(app, client):
    assert client.post("/study/direction", data={"direction": "zh-en", "bank": ""}).status_code == 404
    sign_up(client)
    study_once(client)
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE learners SET card_front = 'zh', card_back = 'en'")  # as an older release stored it
    db.conn.commit()
    page = client.get("/study/sample/term-civil-code", headers={"Accept-Language": "en"}).get_data(as_text=True)
    front = page.split('class="card-face back"')[0]
    assert '<div lang="en" class="t t-en">civil code' in front and "民法典" not in front
    assert db.execute("SELECT count(*) FROM review_logs").fetchone()[0] == 1  # the reviews are kept
    settings = client.get("/account/settings", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Flashcard front" not in settings and "Direction" not in page


def test_a_card_back_says_its_article_quote_is_the_original_english(client):
    page = client.get("/study/sample/civil-code-year?side=back", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "From the article (original English)" in page and "In 2020, China passed" in page


def test_again_card_returns_and_a_double_tap_counts_once(app, client):
    first, _page = study_once(client, rating="1")
    again = client.get("/study/next").location
    assert again != first  # the next new card comes first...
    page = client.get(first).get_data(as_text=True)
    reps = re.search(r'name="reps" value="(\d+)"', page).group(1)
    client.post(first.split("?")[0], data={"rating": "3", "reps": reps, "shown_at": "x"})
    client.post(first.split("?")[0], data={"rating": "3", "reps": reps, "shown_at": "x"})
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM review_logs").fetchone()[0] == 2


def test_bad_rating_is_refused_with_a_message(client):
    response = client.post("/study/sample/term-civil-code", data={"rating": "9", "reps": "0"}, follow_redirects=True)
    assert "Please choose Again, Hard, Good or Easy." in response.get_data(as_text=True)
    assert client.post("/study/sample/nope", data={"rating": "3", "reps": "0"}).status_code == 404


def test_study_done_page(make_app):
    app = make_app(QUESTIONS_DIR="/nonexistent-folder")
    page = app.test_client().get("/study/next").get_data(as_text=True)
    assert "All done for now" in page


def test_progress_counts_quiz_answers_and_reviews_with_charts(app, client):
    sign_up(client)
    take(app, client, start(client), [True, True, False])
    study_once(client)
    page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.search(r'class="answered">3<', page) and re.search(r'class="correct">2<', page)
    assert 'data-streak="1"' in page and "1 day in a row" in page
    assert (
        page.count('role="img"') == 3 and '<title id="history-title">' in page and '<desc id="forecast-desc">' in page
    )
    assert "4 reviews in the last 30 days" in page
    zh = client.get("/progress", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "最近 30 天" in zh


def test_progress_is_private(app, client):
    take(app, client, start(client), [True])
    stranger = app.test_client()
    page = stranger.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "You have not answered any questions yet." in page


def test_the_deck_chooser_lists_each_bank_and_topic_with_new_learning_and_review_counts(client):
    page = client.get("/study/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    bank_row = page.split('data-deck="sample"')[1].split("</tr>")[0]
    assert 'href="/study/next?bank=sample"' in bank_row
    assert re.findall(r'class="num count-\w+">(\d+)<', bank_row) == ["8", "0", "0"]
    topic_row = page.split('data-deck="sample/glossary"')[1].split("</tr>")[0]
    assert 'href="/study/next?bank=sample&amp;topic=glossary"' in topic_row
    assert re.findall(r'class="num count-\w+">(\d+)<', topic_row) == ["1", "0", "0"]
    study_once(client, rating="1")  # Again: the card is learning now
    page = client.get("/study/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    bank_row = page.split('data-deck="sample"')[1].split("</tr>")[0]
    assert re.findall(r'class="num count-\w+">(\d+)<', bank_row) == ["7", "1", "0"]
    zh = client.get("/study/", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "卡组" in zh and "待复习" in zh


def test_a_bank_page_offers_its_cards_and_a_topic_session_stays_in_its_topic(client):
    page = client.get("/banks/sample", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<a class="button" href="/study/next?bank=sample">Study these cards</a>' in page
    first = client.get("/study/next?bank=sample&topic=prosecution")
    assert first.location == "/study/sample/prosecuted-number?bank=sample&topic=prosecution"
    card = client.get(first.location, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'name="topic" value="prosecution"' in card and "Decks</a> ›" in card
    reps = re.search(r'name="reps" value="(\d+)"', card).group(1)
    rated = client.post(
        "/study/sample/prosecuted-number", data={"rating": "4", "reps": reps, "bank": "sample", "topic": "prosecution"}
    )
    assert rated.location == "/study/next?bank=sample&topic=prosecution"
    done = client.get(rated.location, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "All done for now" in done and "Next card due" in done  # the topic's only card is done
    assert client.get("/study/next?bank=sample&topic=nope").status_code == 404
    assert client.get("/study/next?bank=nope").status_code == 404
    assert client.get("/study/?bank=sample").location == "/study/next?bank=sample"  # an old link still studies


def test_a_card_shows_the_counts_left_with_its_own_kind_marked_and_the_progress_of_the_day(client):
    url, page = study_once(client, rating="1", lang="en")
    assert re.search(r'class="count count-new current" aria-current="true"', page)
    assert 'data-count="new">8<' in page and '<progress max="8" value="0"' in page
    again = client.get("/study/next").location
    page = client.get(again, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-count="new">7<' in page and 'data-count="learning">1<' in page
    assert '<progress max="9" value="1"' in page and "1 of 9 cards studied today" in page


def test_the_daily_new_card_limit_still_holds_in_a_deck(app, client):
    sign_up(client)
    db = connect(app.config["DATABASE"])
    db.execute("UPDATE learners SET new_cards_per_day = 1")
    db.conn.commit()
    page = client.get("/study/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.findall(r'class="num count-\w+">(\d+)<', page.split('data-deck="sample"')[1].split("</tr>")[0])[0] == "1"
    study_once(client, rating="4")  # Easy: learned, due in days
    page = client.get("/study/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.findall(r'class="num count-\w+">(\d+)<', page.split('data-deck="sample"')[1].split("</tr>")[0])[0] == "0"
    assert "All done for now" in client.get("/study/next", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_in_both_languages_the_cards_labels_and_buttons_are_in_both(client):
    client.post("/settings/text-mode", data={"mode": "both", "next": "/"})
    page = client.get("/study/sample/civil-code-first-time?side=back", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    page += client.get("/study/sample/civil-code-first-time", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for english, chinese in [("Front", "正面"), ("Show answer", "显示答案"), ("Again", "重来"), ("True", "对")]:
        assert f'<span lang="en">{english}</span> <span lang="zh-Hans">{chinese}</span>' in page, english
    client.post("/settings/text-mode", data={"mode": "zh", "next": "/"})
    page = client.get("/study/sample/civil-code-first-time?side=back", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    front = page.split('id="card-back"')[0]
    assert "both-label" not in front and '<p class="face-label">Front</p>' in front  # the interface's language
