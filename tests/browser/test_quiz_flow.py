"""A student takes whole quizzes in a real Chromium: in Chinese, and in English with both languages side by side."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS
from .helpers import answer, find_question, text_of

pytestmark = pytest.mark.browser


def test_whole_quiz_in_chinese(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.select_option("#switch-locale", "zh")  # the visible switcher: choosing alone changes nothing (WCAG 3.2.2)
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("form.switch-locale button")
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
        with page.expect_navigation():  # read the next page, not the one it replaces
            page.locator("#feedback a.button").press("Enter")  # the next button has focus
    assert "你的得分" in page.inner_text("h1")
    assert page.locator(".score").get_attribute("data-score") == "7.0"
    page.screenshot(path=str(ARTIFACTS / "zh-results.png"), full_page=True)
    # The score is on the progress page.
    page.click("text=我的进度")
    assert page.locator("td.answered").inner_text() == "7"


def test_quiz_in_english_side_by_side_with_a_wrong_answer_and_retry(page, live_server):
    page.goto(live_server + "/")
    page.select_option("#mode", "both")
    page.click("form:has(#mode) button")
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
            answer(page, question, "en", keyboard=False)
            assert "Right!" in page.locator("#feedback h2").inner_text()
        if n == 1:
            page.screenshot(path=str(ARTIFACTS / "both-question-1.png"), full_page=True)
        page.click("#feedback a.button")
    assert page.locator(".score").get_attribute("data-score") == "6.0"
    assert "Questions you missed" in page.inner_text("main")
    page.click("button:has-text('Retry the ones I missed')")
    assert "Question 1 of 1" in page.inner_text(".progress")
    assert find_question(page, "en")["id"] == missed["id"]


def test_html_in_a_question_is_shown_as_text(page, live_server):
    page.goto(live_server + "/banks/sample")
    page.select_option("#topic", "safety")
    page.click("button:has-text('Start the quiz')")
    assert "<script>alert('x')</script>" in page.inner_text("h1.prompt")
    assert page.locator("h1.prompt b").count() == 0
