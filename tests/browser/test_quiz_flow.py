"""A student takes whole quizzes in a real Chromium: in Chinese, and in English with both languages side by side."""

from __future__ import annotations

import re

import pytest

from quizapp import create_app

from ..helpers import ROOT, quiz_question, wrong_answer
from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import answer, find_question, serving, text_of

pytestmark = pytest.mark.browser


def test_whole_quiz_in_chinese(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#switch-locale", "zh")
    assert page.locator("html").get_attribute("lang") == "en"  # a choice alone changes nothing (WCAG 3.2.2)...
    page.click("header form.switch-locale button")  # ...its button applies it
    page.wait_for_selector("html[lang='zh-Hans']")
    assert "示例题库" in page.inner_text("main")
    page.click("text=开始")
    assert "内容提示" in page.inner_text("main")
    page.click("button:has-text('开始测验')")
    total = 7
    for n in range(1, total + 1):
        assert f"第 {n} 题，共 {total} 题" in page.inner_text(".progress")
        question = find_question(page, "zh")
        answer(page, question, "zh-Hans", keyboard=(n % 2 == 0))
        feedback = page.locator("#feedback")
        feedback.wait_for()
        assert "答对了" in feedback.inner_text(), (question["id"], feedback.inner_text())
        assert feedback.locator(".explanation [lang='zh-Hans']").inner_text().strip() == text_of(
            question["explanation"], "zh"
        )
        assert feedback.locator("blockquote.source").get_attribute("lang") == "en"
        page.screenshot(path=str(ARTIFACTS / f"zh-question-{n}.png")) if n == 1 else None
        page.wait_for_load_state("load")
        assert page.evaluate("document.activeElement.hasAttribute('data-next')")  # "Next" has the focus...
        with page.expect_navigation():
            page.keyboard.press("Enter")  # ...so Enter goes on
    assert "你的得分" in page.inner_text("h1")
    assert page.locator(".score").get_attribute("data-score") == "7.0"
    assert page.evaluate("window.scrollY") == 0  # the score leads
    page.screenshot(path=str(ARTIFACTS / "zh-results.png"), full_page=True)
    # The score is on the progress page.
    page.click("text=我的进度")
    assert page.locator("td.answered").inner_text() == "7"


def test_quiz_in_english_side_by_side_with_a_wrong_answer_and_retry(page, live_server):
    page.goto(live_server + "/")
    page.select_option("#mode", "both")
    page.click("header form:has(#mode) button")
    page.wait_for_selector(".both")
    page.click("text=Start")
    page.fill("#size", "7")
    page.click("button:has-text('Start the quiz')")
    missed = None
    for n in range(1, 8):
        prompt = page.locator("h1.prompt")
        assert prompt.locator("[lang='en']").count() == 1 and prompt.locator("[lang='zh-Hans']").count() == 1
        question = find_question(page, "en")
        if question["type"] == "numeric" and missed is None:
            page.fill("#answer", "12,345")
            page.click("button[type=submit].primary")
            missed = question
            feedback = page.locator("#feedback").inner_text()
            assert "Not quite" in feedback and "12,345" in feedback and "43,000" in feedback
        else:
            if question["type"] == "true_false":  # in both languages, the labels are in both too
                assert page.locator("label.option").first.locator("[lang='zh-Hans']").inner_text() == "对"
            answer(page, question, "en", keyboard=False)
            assert "Right!" in page.locator("#feedback h2").inner_text()
            assert page.locator("#feedback dt [lang='zh-Hans']").first.inner_text() == "你的答案"
        if n == 1:
            page.screenshot(path=str(ARTIFACTS / "both-question-1.png"), full_page=True)
        page.click("#feedback a.button")
    assert page.locator(".score").get_attribute("data-score") == "6.0"
    assert "1 question you missed" in page.inner_text("main")
    page.click("button:has-text('Retry the ones I missed')")
    assert "Question 1 of 1" in page.inner_text(".progress")
    assert find_question(page, "en")["id"] == missed["id"]


def test_html_in_a_question_is_shown_as_text(page, live_server):
    page.goto(live_server + "/banks/sample")
    page.select_option("#topic", "safety")
    page.click("button:has-text('Start the quiz')")
    assert "<script>alert('x')</script>" in page.inner_text("h1.prompt")
    assert page.locator("h1.prompt b").count() == 0


def interface_in(page, base, locale):
    """Choose the interface language as the header's switcher does (its form's own token), whatever its widget."""
    page.goto(base + "/")
    token = page.locator("input[name=csrf_token]").first.input_value()
    page.request.post(base + "/settings/language", form={"locale": locale, "next": "/", "csrf_token": token})


def test_a_malformed_number_keeps_what_was_typed_and_says_why_in_chinese(page, live_server):
    interface_in(page, live_server, "zh")
    page.goto(live_server + "/banks/sample")
    page.fill("#size", "1")
    page.select_option("#topic", "prosecution")
    page.click("form.stack button.primary")
    assert find_question(page, "zh-Hans")["type"] == "numeric"
    page.fill("#answer", "大约四万")
    # Changing the question language on the way does not lose it either.
    page.click(".question-language button[value='both']")
    page.wait_for_selector("h1.prompt .both")
    assert page.input_value("#answer") == "大约四万"
    page.fill("#answer", "abc")
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer-error")
    field = page.locator("#answer")
    assert field.input_value() == "abc"
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("aria-describedby") == "answer-error"
    assert "请输入一个数字" in page.inner_text("#answer-error")
    assert page.evaluate("document.activeElement.id") == "answer"  # back in the field, to fix it
    page.screenshot(path=str(ARTIFACTS / "zh-malformed-number.png"))
    page.fill("#answer", "4.3万")
    page.keyboard.press("Enter")
    page.wait_for_selector("#feedback")
    assert page.locator("#feedback").get_attribute("class") == "feedback right"
    assert page.locator("#feedback blockquote.source").get_attribute("lang") == "en"
    assert "文章原文（英文）" in page.inner_text("#feedback h3.source-label")
    page.screenshot(path=str(ARTIFACTS / "zh-both-feedback.png"), full_page=True)


@pytest.fixture
def real_banks_server(tmp_path):
    """The app on the real banks in questions/, which have enough questions for a long quiz. Ask for it before
    `page`, so the page closes before this server does."""
    app = create_app(
        {
            "DATABASE": str(tmp_path / "real.sqlite3"),
            "QUESTIONS_DIR": str(ROOT / "questions"),
            "SECRET_KEY": "browser-tests",
            "WTF_CSRF_ENABLED": False,  # the wrong answers are posted directly; the page is what is tested
        }
    )
    with serving(app) as url:
        yield app, url


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_results_with_24_missed_lead_with_the_score_and_stay_short(real_banks_server, page, locale):
    app, base = real_banks_server
    interface_in(page, base, locale[:2])
    response = page.request.post(f"{base}/banks/civil-code/quizzes", form={"topic": "", "size": "24"}, max_redirects=0)
    quiz_id = int(re.search(r"/quizzes/(\d+)/1$", response.headers["location"]).group(1))
    for position in range(1, 25):
        page.request.get(f"{base}/quizzes/{quiz_id}/{position}")
        form = wrong_answer(quiz_question(app, quiz_id, position))
        page.request.post(f"{base}/quizzes/{quiz_id}/{position}", form=form, max_redirects=0)
    page.goto(f"{base}/quizzes/{quiz_id}/results")
    assert page.locator(".score").get_attribute("data-max") == "24.0"
    assert page.evaluate("window.scrollY") == 0
    for selector in (".score", ".score-head button"):  # the score and "Retry the ones I missed", first screen
        box = page.locator(selector).bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 844, selector
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height  # 11,914 px (en) and 9,678 px (zh) before the questions were folded
    page.screenshot(path=str(ARTIFACTS / f"results-24-missed-{locale}.png"))
    first = page.locator(".missed details").first
    assert first.locator(".explanation").is_hidden()
    first.locator("summary").click()
    assert first.locator(".explanation").is_visible() and first.locator("dd.expected").is_visible()
    checked(page, f"results, a missed question opened ({locale})")
    page.click(".score-head button")
    assert page.locator(".progress").inner_text().endswith("24") or "24" in page.inner_text(".progress")
