"""Cloze questions in a real Chromium on a phone: a quiz answered in Chinese (the blanks typed in Chinese, each
blank's feedback), and a live game's phone filling the blanks."""

from __future__ import annotations

import pytest

from quizapp import create_app
from quizapp.accounts import users
from quizapp.core.store import connect

from ..helpers import DATA
from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import serving, sign_up

pytestmark = pytest.mark.browser
WAIT = 15_000  # ms
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def cloze_server(tmp_path):
    """The real app (CSRF on) serving the cloze test bank; its address and database path."""
    database = str(tmp_path / "live.sqlite3")
    app = create_app({"DATABASE": database, "QUESTIONS_DIR": str(DATA / "cloze"), "SECRET_KEY": "browser-tests"})
    with serving(app) as url:
        yield url, database


def test_a_cloze_answered_in_chinese_on_a_phone(browser, cloze_server):
    url, _database = cloze_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_up(page, url, "mei")
        page.select_option("#switch-locale", "zh")
        page.click("header form.switch-locale button")
        page.wait_for_selector("html[lang='zh-Hans']")
        page.goto(url + "/banks/cloze-sample")
        page.click("button:has-text('开始测验')")
        seen = set()
        for _n in (1, 2):
            form = page.locator("form.answer-cloze")
            sentence = form.locator(".cloze-sentence[lang='zh-Hans']")
            assert form.locator("legend").inner_text() == "填空题"
            # The blanks are inputs inside the Chinese sentence, named for screen readers; no answer on the page.
            assert page.get_by_role("textbox", name="第 1 空").count() == 1
            assert page.get_by_role("heading", level=1).count() == 1
            # The gapped heading is there for screen readers only: the sentence is shown once, with its inputs.
            assert page.locator("h1.prompt").bounding_box()["height"] <= 1
            if sentence.locator("input").count() == 2:
                seen.add("civil-code")
                assert "民法典" not in page.content()
                assert page.locator("input[name=c2]").get_attribute("placeholder") == "一部法律"  # the hint
                assert page.evaluate("document.activeElement.name") == "c1"
                page.screenshot(path=str(ARTIFACTS / "cloze-zh-question.png"))
                page.set_viewport_size({"width": 320, "height": 700})
                assert page.evaluate(SIDEWAYS) <= 0  # nothing scrolls sideways on the smallest phone
                width = page.locator("input[name=c1]").bounding_box()["width"]
                assert 100 <= width <= 320
                page.set_viewport_size({"width": 390, "height": 844})
                page.fill("input[name=c1]", "2020")
                page.fill("input[name=c2]", "刑法")
                page.click("button[type=submit].primary")
                feedback = page.locator("#feedback")
                feedback.wait_for()
                assert "部分正确" in feedback.locator("h2").inner_text()
                assert "正确" in feedback.locator(".cloze-marks li.right").inner_text()
                wrong = feedback.locator(".cloze-marks li.wrong")
                assert "刑法" in wrong.inner_text() and "民法典" in wrong.inner_text()
                assert feedback.locator(".expected mark").all_inner_texts() == ["2020", "民法典"]
                page.screenshot(path=str(ARTIFACTS / "cloze-zh-feedback.png"), full_page=True)
            else:
                seen.add("feminist")
                page.fill("input[name=c1]", "lv3 pin2")  # pinyin counts for this question
                page.keyboard.press("Tab")  # the inputs follow the Chinese sentence: c1, then c3, then c2
                page.keyboard.type("纽约")
                page.fill("input[name=c2]", "女权主义者")
                page.keyboard.press("Enter")
                feedback = page.locator("#feedback")
                feedback.wait_for()
                assert "答对了" in feedback.locator("h2").inner_text()
                assert feedback.locator(".cloze-marks li.right").count() == 3
                assert "吕频" in feedback.locator(".cloze-marks li.right").first.inner_text()  # how pinyin was read
            assert page.evaluate(SIDEWAYS) <= 0
            with page.expect_navigation():
                page.click("[data-next]")
        assert seen == {"civil-code", "feminist"}
        assert page.locator(".score").get_attribute("data-score") == "1.5"
        missed = page.locator("ol.missed summary.prompt")
        assert missed.inner_text() == "[1]年，中国通过了新的《[2]》，首次界定了可构成性骚扰的行为。"
        assert errors == []
    finally:
        context.close()


def test_a_live_phone_fills_in_the_blanks(browser, cloze_server):
    url, database = cloze_server
    contexts, errors = [], []
    try:
        projector = browser.new_context(locale="en-US")
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
        contexts += [projector, phone]
        for context in contexts:
            context.on("page", lambda p: p.on("pageerror", lambda exc: errors.append(str(exc))))
        host, student = projector.new_page(), phone.new_page()
        sign_up(host, url, "ms-chen")
        db = connect(database)
        users.promote_to_teacher(db, users.id_for(db, "ms-chen"))
        db.conn.close()
        host.goto(url + "/live/new?bank=cloze-sample")
        assert "In [1], China passed a new [2]" in host.inner_text("main") and "civil code" not in host.content()
        host.click("button:has-text('Open the game')")
        code = host.locator(".join-code").inner_text().strip()

        student.goto(f"{url}/join?code={code}")
        student.fill("#nickname", "Mei")
        student.click("button[type=submit].big")
        student.locator(".big-message").wait_for(timeout=WAIT)
        host.click("button:has-text('Start the game')")
        assert host.locator("h1.prompt").first.inner_text().count("[1]") >= 1
        form = student.locator("#stage form.live-answer")
        form.locator("input[name=c1]").wait_for(timeout=WAIT)
        assert student.get_by_role("textbox", name="Blank 1").count() == 1
        checked(student, "phone cloze question")
        student.screenshot(path=str(ARTIFACTS / "cloze-live-phone-question.png"))
        blanks = form.locator("input[type=text]").count()
        answers = {"c1": "2020", "c2": "civil law code"} if blanks == 2 else {"c1": "Lu Pin", "c2": "x", "c3": "纽约"}
        for name, typed in answers.items():
            form.locator(f"input[name={name}]").fill(typed)
        assert student.evaluate(SIDEWAYS) <= 0
        form.locator("button[type=submit]").click()
        student.locator("#stage .verdict").wait_for(timeout=WAIT)
        verdict = student.locator("#stage .verdict").inner_text()
        assert ("Right" in verdict) if blanks == 2 else ("Partly" in verdict)
        assert student.locator("#stage .correct-answer mark").count() == blanks
        checked(student, "phone cloze verdict")
        host.locator("svg.answer-chart").wait_for(timeout=WAIT)
        chart = host.locator("svg.answer-chart").inner_html()
        assert ("Right: 1" in chart) if blanks == 2 else ("Partly right: 1" in chart)
        checked(host, "projector cloze results")
        student.screenshot(path=str(ARTIFACTS / "cloze-live-phone-verdict.png"))
        assert errors == []
    finally:
        for context in contexts:
            context.close()


def test_each_blank_is_a_flashcard_on_a_phone(browser, cloze_server):
    url, _database = cloze_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        sign_up(page, url, "mei")
        page.goto(url + "/study/next?bank=cloze-sample")
        # The bank's own card first, then one card per blank, in the order of the questions and their blanks.
        order = []
        for _n in range(3):
            page.wait_for_selector("[data-flashcard]")
            order.append(page.url.split("/study/cloze-sample/")[1].split("?")[0])
            page.locator("body").focus()
            page.keyboard.press("Space")
            with page.expect_navigation():
                page.keyboard.press("3")
        assert order == ["term-civil-code", "cc-cloze-first-definition::c1", "cc-cloze-first-definition::c2"]
        page.wait_for_selector("[data-flashcard]")
        front = page.locator(".card-face.front")
        # feminist-cloze::c1: this blank a gap, the others filled in, nothing marked.
        assert front.locator(".cloze-gap").all_inner_texts() == ["[1]"]
        assert "feminist" in front.inner_text() and "Lv Pin" not in front.inner_text()
        assert front.locator("mark").count() == 0
        page.locator("body").focus()
        page.keyboard.press("Space")
        back = page.locator("#card-back")
        assert back.locator("mark").all_inner_texts() == ["Lv Pin", "吕频"]  # both languages, this blank marked
        assert page.evaluate(SIDEWAYS) <= 0
        checked(page, "cloze flashcard back")
        page.screenshot(path=str(ARTIFACTS / "cloze-flashcard.png"), full_page=True)
        assert errors == []
    finally:
        context.close()
