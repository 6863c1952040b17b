"""Read aloud on the server side: a hidden Listen button beside each shown language of a bank text, with the
plain words and the speech language it is to be said in; the setting to read a flashcard's front as it opens."""

from __future__ import annotations

import html
import re

from quizapp.web.security import CSP

from .helpers import join, new_game, quiz_question, right_answer, start, step

BUTTON = re.compile(
    r'<button type="button" class="listen-button"(?: data-speak="([^"]*)")? data-speak-lang="([^"]+)" hidden>'
    r'<span class="visually-hidden">([^<]+)</span></button>'
)


def page_of(response) -> str:
    assert response.status_code == 200
    return response.get_data(as_text=True)


def buttons(markup: str) -> list[tuple[str, str, str]]:
    """(speech language, words to say, accessible name) of each Listen button in `markup`, in order."""
    return [(lang, html.unescape(speak), name) for speak, lang, name in BUTTON.findall(markup)]


def after(markup: str, start: str, end: str = "</div></div>") -> str:
    """The markup from `start` to the end of the Listen group that follows it."""
    i = markup.index(start)
    return markup[i : markup.index(end, i) + len(end)]


def quiz_page(client, mode: str, kind: str | None = None) -> tuple[str, dict, int]:
    """A civil-code quiz's first question of `kind` (the quiz's order is random), in question mode `mode`."""
    client.post("/settings/text-mode", data={"mode": mode, "next": "/"})
    quiz = start(client, topic="civil-code", size="10")
    for position in (1, 2):
        question = quiz_question(client.application, quiz, position)
        if kind in (None, question["type"]):
            return page_of(client.get(f"/quizzes/{quiz}/{position}")), question, quiz
        client.post(f"/quizzes/{quiz}/{position}", data=right_answer(question))
    raise AssertionError(f"no {kind} question in the civil-code topic")


def test_each_shown_language_of_the_prompt_has_a_hidden_listen_button_with_its_plain_words(client):
    page, question, _quiz = quiz_page(client, "both")
    listen = after(page, '<div class="listen both-langs">')
    assert page.index("</h1>\n" + '<div class="listen both-langs">') > 0  # right after the heading, not in it
    assert buttons(listen) == [
        ("en", question["prompt"]["en"], "Listen (English)"),
        ("zh-CN", question["prompt"]["zh"], "Listen (Chinese)"),
    ]
    heading = page[page.index('<h1 class="prompt">') : page.index("</h1>")]
    assert "<button" not in heading  # the heading's name stays the question


def test_a_choice_listen_button_sits_beside_its_label_never_inside(client):
    page, question, _quiz = quiz_page(client, "zh", "choice")
    labels = re.findall(r'<label class="option">(.*?)</label>\s*(<div class="listen">.*?</div></div>)', page, re.S)
    assert len(labels) == len(question["choices"])
    for label, listen in labels:
        assert "<button" not in label
        shown = re.search(r'lang="zh-Hans" class="t t-zh">([^<]+)<', label).group(1)
        assert buttons(listen) == [("zh-CN", shown, "Listen (Chinese)")]


def test_traditional_interface_speaks_zh_tw_in_traditional_script(client):
    client.post("/settings/language", data={"locale": "zh_Hant", "next": "/"})
    page, question, _quiz = quiz_page(client, "zh", "choice")
    (lang, speak, name), *_choices = buttons(page)
    assert (lang, name) == ("zh-TW", "朗讀（中文）")
    assert speak == re.search(r'<h1 class="prompt"><span lang="zh-Hant" class="t t-zh">([^<]+)<', page).group(1)
    assert speak != question["prompt"]["zh"]  # said as shown: in Traditional characters


def test_no_clip_no_audio_element_and_the_prompt_renders_as_before(client):
    page, question, _quiz = quiz_page(client, "en")
    assert "<audio" not in page and "transcript" not in page
    assert (
        f'<h1 class="prompt"><span lang="en" class="t t-en">{html.escape(question["prompt"]["en"])}</span></h1>' in page
    )


def test_the_explanation_and_both_card_sides_can_be_listened_to(client):
    _page, question, quiz = quiz_page(client, "en")
    client.post(f"/quizzes/{quiz}/1", data=right_answer(question))
    feedback = page_of(client.get(f"/quizzes/{quiz}/1"))
    assert buttons(after(feedback, '<p class="explanation">')) == [
        ("en", question["explanation"]["en"], "Listen (English)")
    ]
    card = page_of(client.get("/study/sample/term-civil-code"))
    front, back = card.split('id="card-back"')
    assert buttons(front) == [("en", "civil code", "Listen (English)")]
    assert [speak for _lang, speak, _name in buttons(back)] == [
        "民法典 (mínfǎdiǎn): the code of civil law China passed in 2020.",
        "civil code：中国于2020年通过的民事法律法典。",
    ]


def test_autoplay_front_is_off_by_default_and_kept_once_chosen(client):
    assert "data-autoplay-front" not in page_of(client.get("/study/sample/term-civil-code"))
    assert re.search(
        r'<input id="autoplay_front" name="autoplay_front" type="checkbox" value="y">',
        page_of(client.get("/account/settings")),
    )
    form = {
        "locale": "en",
        "text_mode": "en",
        "desired_retention": "0.9",
        "new_cards_per_day": "20",
        "timezone": "UTC",
        "autoplay_front": "y",
    }
    assert client.post("/account/settings", data=form).status_code == 302
    assert '<input checked id="autoplay_front"' in page_of(client.get("/account/settings"))
    assert '<div class="flashcard" data-flashcard data-autoplay-front>' in page_of(
        client.get("/study/sample/term-civil-code")
    )
    del form["autoplay_front"]  # an unticked box is not sent
    client.post("/account/settings", data=form)
    assert "data-autoplay-front" not in page_of(client.get("/study/sample/term-civil-code"))


def test_the_phone_prompt_has_listen_buttons_and_their_labels(app, teacher):
    game = new_game(teacher)
    player, token = join(app, game, "Mei")
    step(teacher, game, "start")
    page = page_of(player.get(f"/live/p/{token}"))
    assert [lang for lang, _speak, _name in buttons(after(page, '<h1 class="prompt live-prompt">'))] == ["en"]
    assert 'data-t-listen-zh="Listen (Chinese)"' in page and 'data-t-transcript="Transcript"' in page
    step(teacher, game, "close")  # the results: the explanation can be listened to too
    results = page_of(player.get(f"/live/p/{token}"))
    explanation = re.search(r'<p class="explanation"><span lang="en" class="t t-en">([^<]+)</span></p>', results).group(
        1
    )
    assert buttons(after(results, '<p class="explanation">')) == [
        ("en", html.unescape(explanation), "Listen (English)")
    ]


def test_media_and_speech_stay_on_this_site():
    """Clips are played from /media on this site (default-src 'self'); speech is the browser's own."""
    assert "default-src 'self'" in CSP
    assert not re.search(r"media-src(?![^;]*'self')", CSP)
    assert "http" not in CSP
