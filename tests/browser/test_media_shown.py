"""A bank's pictures and clips in a real Chromium: a picture question answered on a 390 px phone (and 320 px),
a flashcard's clip played from its Listen button, and a picture question on the projector (1280×720) and the
phone. Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest

from quizapp import create_app

from ..helpers import game_row, join, make_teacher, new_game, step
from ..media_files import MEDIA_BANK, mp3, png, write_media_bank
from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import serving
from .test_live_flow import fits_without_scrolling, no_site_chrome, on_first_screen

pytestmark = pytest.mark.browser

# A photo-sized picture on the question (scaled down to each screen), a small one on a choice.
FILES = {"chart.png": png(1600, 1000, (30, 90, 160)), "prompt-zh.mp3": mp3(), "red.png": png(120, 90)}
BANK = MEDIA_BANK.replace(
    'image: {path: media/chart.png, alt: {en: "Red"', 'image: {path: media/red.png, alt: {en: "Red"'
)
# The longest question a projector shows at its smallest font, with a picture too: a bank of its own.
LONG = """\
bank: long-bank
title: {en: Long, zh: 长}
questions:
  - id: long
    type: choice
    prompt:
      en: "Between 2013 and 2017, according to the office of China's top prosecutor, how many people were prosecuted for crimes of violating women's personal rights, which include trafficking, rape and forced prostitution?"
      zh: "据最高人民检察院统计，2013年至2017年间，有多少人因侵犯妇女人身权利犯罪（包括拐卖、强奸和强迫卖淫）被起诉？"
    image: {path: media/chart.png, alt: {en: "A blue chart", zh: "蓝色的图表"}}
    choices:
      - {en: "About 43,000 people, the figure the office of the top prosecutor gave", zh: "约4.3万人，即最高人民检察院公布的数字", correct: true}
      - {en: "About 4,300 people, a tenth of the figure the prosecutor gave", zh: "约4300人，是检察院所公布数字的十分之一"}
      - {en: "About 430,000 people, ten times the figure the prosecutor gave", zh: "约43万人，是检察院所公布数字的十倍"}
      - {en: "Nobody: the article says no such figures were ever published", zh: "没有人：文章说从未公布过这样的数字"}
"""


def serve_media_bank(tmp_path, **config):
    bank = write_media_bank(tmp_path / "questions", BANK, FILES)
    (bank.parent / "long-bank.yaml").write_text(LONG, encoding="utf-8")
    app = create_app(
        {
            "DATABASE": str(tmp_path / "db.sqlite3"),
            "QUESTIONS_DIR": str(bank.parent),
            "SECRET_KEY": "browser-tests",
            **config,
        }
    )
    return app, serving(app)


@pytest.fixture
def media_server(tmp_path):
    """Named before `page` in a test's arguments, so the page closes before the server stops (a clip still
    loading from a stopped server would be a console error)."""
    app, server = serve_media_bank(tmp_path)
    with server as url:
        yield app, url


@pytest.fixture
def media_game_server(tmp_path):
    """The game is set up by the test client (no CSRF token), as test_live_screens.py does."""
    app, server = serve_media_bank(tmp_path, WTF_CSRF_ENABLED=False)
    with server as url:
        yield app, url


def loaded(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "img => img.complete && img.naturalWidth > 0")


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_a_picture_question_answered_on_a_phone(media_server, page):
    _app, url = media_server
    page.goto(url + "/banks/media-bank")
    page.click("main button[type=submit].primary")
    prompt = page.locator("img.media-prompt")
    prompt.wait_for()
    page.wait_for_function("document.querySelector('img.media-prompt').naturalWidth > 0")
    assert prompt.get_attribute("alt") == "A red rectangle"
    box = prompt.bounding_box()
    assert 300 <= box["width"] <= 390 - 2 * 16 and abs(box["height"] - box["width"] * 1000 / 1600) < 2  # not squashed
    choice = page.locator("label.option img.media-choice")
    choice.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('img.media-choice').naturalWidth > 0")
    assert loaded(page, "img.media-choice") and no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "media-question-390.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})
    assert no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "media-question-320.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    choice.click()  # a tap on the picture picks its choice
    assert page.locator("label.option:has(img.media-choice) input").is_checked()
    page.click("button[type=submit].primary")
    page.locator("#feedback").wait_for()
    assert "Right!" in page.locator("#feedback h2").inner_text()
    page.wait_for_function("document.querySelector('#feedback .expected img.media-thumb').naturalWidth > 0")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "media-feedback-390.png"), full_page=True)


def test_a_flashcard_clip_plays_from_its_listen_button(media_server, page):
    _app, url = media_server
    page.add_init_script("window.speechSynthesis && (window.speechSynthesis.getVoices = () => [])")  # no voice here
    page.goto(url + "/study/media-bank/c1")
    audio = page.locator(".front .listen audio")
    assert audio.get_attribute("src").startswith("/media/") and audio.get_attribute("src").endswith(".mp3")
    assert audio.get_attribute("preload") == "none"
    listen = page.locator(".front .listen-button")
    assert listen.is_visible()  # a clip needs no voice
    assert page.locator(".front details.transcript summary").inner_text() == "Transcript"
    listen.click()
    page.wait_for_function(
        "(() => { const a = document.querySelector('.front audio'); return a.currentTime > 0 || !a.paused; })()"
    )
    page.locator(".front details.transcript summary").click()
    assert page.locator(".front details.transcript p").inner_text() == "Rectangle"
    checked(page, "media: flashcard with a clip and its transcript open")
    page.screenshot(path=str(ARTIFACTS / "media-card-clip.png"), full_page=True)
    page.evaluate("document.querySelector('.front audio').pause()")


def test_a_picture_question_on_the_projector_and_the_phone(browser, media_game_server):
    app, url = media_game_server
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher, questions=["chart"], bank="media-bank", timer="0", text_mode="both")
    projector_context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    projector_context.add_cookies([{"name": "session", "value": teacher.get_cookie("session").value, "url": url}])
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        projector = projector_context.new_page()
        phone = phone_context.new_page()
        phone.goto(f"{url}/join")
        phone.fill("#code", str(game_row(app, session_id)["code"]))
        phone.fill("#nickname", "Mei")
        phone.click("main button[type=submit]")
        phone.locator("#live-play").wait_for()
        join(app, session_id, "Tom")  # a second player, so one answer does not close the question
        step(teacher, session_id, "start")
        projector.goto(f"{url}/live/{session_id}")
        picture = projector.locator("img.media-projector")
        picture.wait_for()
        projector.wait_for_function("document.querySelector('img.media-projector').naturalWidth > 0")
        assert picture.get_attribute("alt") == "A red rectangle / 一个红色的长方形"
        no_site_chrome(projector)
        fits_without_scrolling(projector)
        assert picture.bounding_box()["height"] >= 150  # large enough to read from the back of the room
        # The teacher can play the question's clip to the room, from the timer's row (no height of its own).
        clip = projector.locator(".clock-row .listen-button[data-clip]")
        assert clip.is_visible() and projector.locator(".clock-row .listen audio").get_attribute("src").endswith(".mp3")
        clip.click()
        projector.wait_for_function(
            "(() => { const a = document.querySelector('.clock-row audio'); return a.currentTime > 0 || !a.paused; })()"
        )
        projector.evaluate("document.querySelector('.clock-row audio').pause()")
        projector.screenshot(path=str(ARTIFACTS / "media-projector.png"))

        # The phone draws the question from the game's state (live.js): the picture small, the answers on screen.
        image = phone.locator("#stage img.media-phone")
        image.wait_for()
        phone.wait_for_function("document.querySelector('#stage img.media-phone').naturalWidth > 0")
        assert image.get_attribute("alt") == "一个红色的长方形"
        assert no_sideways_scroll(phone)
        on_first_screen(phone, phone.locator("#stage .big-choice"))
        assert phone.locator("#stage .big-choice img.media-phone-choice").count() == 1
        assert phone.locator("#stage .listen audio").get_attribute("src").endswith(".mp3")
        phone.screenshot(path=str(ARTIFACTS / "media-phone.png"))
        checked(phone, "media: phone with a picture question")
        phone.locator("#stage .big-choice:has(img)").click()
        phone.locator("#stage .big-message").wait_for()

        # The longest question with its picture still fits the projector (the picture gives way first).
        long_game = new_game(teacher, questions=["long"], bank="long-bank", timer="0", text_mode="both")
        step(teacher, long_game, "start")
        projector.goto(f"{url}/live/{long_game}")
        projector.locator(".denser img.media-projector").wait_for()
        projector.wait_for_function("document.querySelector('img.media-projector').naturalWidth > 0")
        fits_without_scrolling(projector)
        assert projector.locator("img.media-projector").bounding_box()["height"] >= 60
        projector.screenshot(path=str(ARTIFACTS / "media-projector-long.png"))
    finally:
        projector_context.close()
        phone_context.close()
