"""A bank's pictures and clips where its questions and cards are shown: the quiz, feedback, results, flashcards,
the projector and the phone, the teacher's preview and question report. Each picture has its stored /media
address, its alt in the shown language(s), its size (no layout shift); each clip an <audio> beside its Listen
button with its transcript. (The bank format, the checks and the /media route are tests/test_media.py's.)"""

from __future__ import annotations

import html
import re

import pytest
from flask import render_template

from quizapp.banks import bankfile
from quizapp.web.readaloud import media_url

from .helpers import join, make_teacher, new_class, new_game, state, step, student_in
from .media_files import write_media_bank


@pytest.fixture
def bank_file(tmp_path):
    return write_media_bank(tmp_path / "questions")


@pytest.fixture
def app(make_app, bank_file):
    return make_app(QUESTIONS_DIR=str(bank_file.parent))


@pytest.fixture
def stored(bank_file):
    """The bank's normalised dict as stored: each picture's and clip's stored name."""
    bank = bankfile.validate_file(bank_file).bank
    question, card = bank.questions[0], bank.cards[0]
    return {
        "picture": question["image"]["file"],
        "choice_picture": question["choices"][0]["image"]["file"],
        "clip": question["audio"]["zh"]["file"],
        "card_clip": card["front"]["audio"]["en"]["file"],
    }


def images(page: str) -> list[dict]:
    """Each <img class="media …"> of a page: its attributes."""
    found = []
    for tag in re.findall(r"<img class=\"media [^>]*>", page):
        attrs = dict(re.findall(r'([\w-]+)(?:="([^"]*)")?', tag[5:]))
        found.append({k: html.unescape(v) for k, v in attrs.items()})
    return found


def audios(page: str) -> list[str]:
    return re.findall(r'<audio preload="none" src="([^"]+)"></audio>', page)


def question_page(client, mode: str) -> tuple[str, int]:
    client.post("/settings/text-mode", data={"mode": mode, "next": "/"})
    response = client.post("/banks/media-bank/quizzes", data={"topic": "", "size": "10"})
    quiz = int(re.search(r"/quizzes/(\d+)/1$", response.location).group(1))
    page = client.get(f"/quizzes/{quiz}/1").get_data(as_text=True)
    return page, quiz


def test_the_quiz_question_shows_its_picture_its_choices_pictures_and_its_clip(client, stored):
    page, _quiz = question_page(client, "zh")
    prompt, choice = images(page)
    assert prompt == {
        "class": "media media-prompt",
        "src": f"/media/{stored['picture']}",
        "alt": "一个红色的长方形",
        "width": "40",
        "height": "30",
        "decoding": "async",
    }  # the prompt's picture loads at once
    assert (
        choice["loading"] == "lazy"
        and choice["alt"] == "红色"
        and choice["src"] == f"/media/{stored['choice_picture']}"
    )
    label = re.search(r'<label class="option">((?:(?!</label>).)*长方形(?:(?!</label>).)*)</label>', page, re.S).group(
        1
    )
    assert 'class="media media-choice"' in label  # one tap target: the picture is in the radio's label
    assert audios(page) == [f"/media/{stored['clip']}"]
    clip = re.search(r'<div class="listen-one">(<button[^>]*data-clip[^>]*>.*?)</div>', page, re.S).group(1)
    assert 'data-speak-lang="zh-CN"' in clip and "data-speak=" not in clip  # the clip is played, not synthesis
    assert (
        '<details class="transcript"><summary>Transcript</summary><p lang="zh-Hans">这张图显示什么？</p></details>'
        in clip
    )


def test_in_english_the_alt_is_english_and_the_chinese_clip_is_not_offered(client):
    page, _quiz = question_page(client, "en")
    assert [image["alt"] for image in images(page)] == ["A red rectangle", "Red"]
    assert audios(page) == []  # the clip is Chinese; the English text is read by the browser where it can
    assert re.search(r'data-speak="What does the chart show\?" data-speak-lang="en" hidden', page)


def test_side_by_side_the_alts_are_joined_and_each_language_has_its_listen(client, stored):
    page, _quiz = question_page(client, "both")
    assert images(page)[0]["alt"] == "A red rectangle / 一个红色的长方形"
    assert audios(page) == [f"/media/{stored['clip']}"]


def test_feedback_and_results_show_the_pictures(client, stored):
    page, quiz = question_page(client, "en")
    client.post(f"/quizzes/{quiz}/1", data={"answer": "1"})  # the circle: wrong
    feedback = client.get(f"/quizzes/{quiz}/1").get_data(as_text=True)
    expected = feedback.split('<dd class="expected">')[1].split("</dd>")[0]
    assert [i["src"] for i in images(expected)] == [f"/media/{stored['choice_picture']}"]
    assert images(feedback)[0]["src"] == f"/media/{stored['picture']}"  # the prompt's, above the feedback
    results = client.get(f"/quizzes/{quiz}/results").get_data(as_text=True)
    missed = results.split('<ol class="missed">')[1]
    assert [(i["class"], i["src"]) for i in images(missed)] == [
        ("media media-thumb", f"/media/{stored['picture']}"),
        ("media media-thumb", f"/media/{stored['choice_picture']}"),
    ]


def test_flashcards_show_the_question_picture_and_play_a_card_sides_clip(client, stored):
    card = client.get("/study/media-bank/c1").get_data(as_text=True)
    front = card.split('id="card-back"')[0]
    assert audios(front) == [f"/media/{stored['card_clip']}"]
    assert '<p lang="en">Rectangle</p>' in front  # its transcript
    question_card = client.get("/study/media-bank/chart").get_data(as_text=True)
    front = question_card.split('id="card-back"')[0]
    assert [(i["class"], i["src"], "loading" in i) for i in images(front)] == [
        ("media media-card", f"/media/{stored['picture']}", False)
    ]


def test_a_text_without_media_renders_as_before(client):
    card = client.get("/study/media-bank/c1").get_data(as_text=True)
    back = card.split('id="card-back"')[1]
    assert "<img" not in back and "<audio" not in back


def test_the_projector_and_the_phone_show_the_picture(app, stored):
    teacher = make_teacher(app, app.test_client())
    game = new_game(teacher, questions=["chart"], bank="media-bank", text_mode="zh")
    player, token = join(app, game, "Mei")
    step(teacher, game, "start")
    panel = teacher.get(f"/live/{game}").get_data(as_text=True)
    projector = [i for i in images(panel) if "media-projector" in i["class"]]
    assert projector[0]["src"] == f"/media/{stored['picture']}" and "loading" not in projector[0]
    assert [i["class"] for i in images(panel)].count("media media-projector-choice") == 1
    phone = player.get(f"/live/p/{token}").get_data(as_text=True)
    assert images(phone)[0]["class"] == "media media-phone" and images(phone)[0]["alt"] == "A red rectangle"  # its own
    assert f'data-media-url="{media_url_of(app, "FILE")}"' in phone
    question = state(player, token)["s"]["question"]
    assert question["image"] == {
        "file": stored["picture"],
        "alt": {"en": "A red rectangle", "zh": "一个红色的长方形"},
        "width": 40,
        "height": 30,
    }
    assert question["audio"] == {"zh": {"file": stored["clip"], "transcript": "这张图显示什么？"}}
    assert f"/media/{stored['choice_picture']}" in question["form"]  # the phone's choice buttons
    # A Traditional phone gets the alt text and transcript in its script.
    taiwan = app.test_client()
    taiwan.post("/settings/language", data={"locale": "zh_Hant", "next": "/"})
    taiwan, tw_token = join(app, game, "Lin", client=taiwan)
    question = state(taiwan, tw_token)["s"]["question"]
    assert (
        question["image"]["alt"]["zh"] == "一個紅色的長方形"
        and question["audio"]["zh"]["transcript"] == "這張圖顯示什麼？"
    )


def media_url_of(app, name):
    with app.test_request_context():
        return media_url(name)


def test_media_url_outside_a_request_is_the_same_address(app):
    with app.app_context():
        outside = media_url("abc.png")
    assert outside == media_url_of(app, "abc.png") == "/media/abc.png"


def test_the_teacher_preview_and_question_report_show_the_picture(app, bank_file, stored):
    teacher = make_teacher(app, app.test_client())
    bank = bankfile.validate_file(bank_file).bank
    with app.test_request_context():
        preview = render_template(
            "teacher/_preview.html",
            bank=bank,
            shown={"questions": bank.questions, "cards": bank.cards, "start": 0},
            preview=True,
            preview_mode="en",
        )
    assert [(i["class"], i["src"]) for i in images(preview)] == [
        ("media media-prompt", f"/media/{stored['picture']}"),
        ("media media-choice", f"/media/{stored['choice_picture']}"),
        ("media media-thumb", f"/media/{stored['choice_picture']}"),  # the correct answer, under "Correct answer"
    ]
    assert audios(preview) == [f"/media/{stored['card_clip']}"]  # the card's English clip; the prompt's is Chinese
    class_id, code = new_class(teacher)
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "media-bank"})
    mei = student_in(app, code, "mei")
    _page, quiz = question_page(mei, "en")
    mei.post(f"/quizzes/{quiz}/1", data={"answer": "0"})
    report = teacher.get(f"/teach/classes/{class_id}/banks/media-bank").get_data(as_text=True)
    section = report.split('data-question="chart"')[1]
    assert images(section)[0] == {
        "class": "media media-thumb",
        "src": f"/media/{stored['picture']}",
        "alt": "A red rectangle",
        "width": "40",
        "height": "30",
        "loading": "lazy",
        "decoding": "async",
    }


def test_the_draft_preview_shows_an_uploaded_picture_in_each_language(make_app):
    from quizapp.core import mediacheck

    from .media_files import png
    from .test_media import BROWSER_BANK, upload

    app = make_app()
    teacher = make_teacher(app, app.test_client())
    upload(teacher, png(), "red-square.png")
    response = teacher.post("/teach/banks/check", data={"source": BROWSER_BANK})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:2000]
    src = f"/media/{mediacheck.check_image(png(), 'x').file}"
    alts = sorted(i["alt"] for i in images(page) if i["src"] == src)
    assert alts == ["A red square", "A red square / 一个红色的正方形", "一个红色的正方形"]  # the three previews
    assert teacher.get(src).status_code == 200  # and it is served
