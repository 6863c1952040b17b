"""A student signs up, studies flashcards Chinese→English with the keyboard only, takes a quiz,
and finds both counted on the progress page — in a real Chromium."""

from __future__ import annotations

import re

import pytest

from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import answer, find_question

pytestmark = pytest.mark.browser


def test_sign_up_study_with_keyboard_quiz_and_progress(page, live_server):
    page.goto(live_server + "/signup")
    page.fill("#username", "lin")
    page.fill("#password", "a long password")
    page.fill("#confirm", "a long password")
    page.click("button:has-text('Create account')")
    assert "Sign out (lin)" in page.inner_text("header")

    page.goto(live_server + "/study/")
    page.focus("#direction")
    page.keyboard.press("ArrowDown")  # English → Chinese  ->  Chinese → English; applied by the button
    with page.expect_navigation():
        page.click("form:has(#direction) button")
    assert page.locator("#direction").input_value() == "zh-en"
    seen = []
    for n in range(5):
        page.wait_for_selector("[data-flashcard]")
        front = page.locator(".card-face.front")
        assert front.locator("[lang='zh-Hans']").count() == 1 and front.locator("[lang='en']").count() == 0
        assert page.locator("#card-back").is_hidden()
        page.locator("body").focus()
        page.keyboard.press("Space")  # flip
        back = page.locator("#card-back")
        assert back.is_visible() and back.locator("[lang='en']").count() >= 1
        assert back.locator(".rate-interval").count() == 4
        if n == 0:
            checked(page, "flashcard back")
        if n == 0:
            page.screenshot(path=str(ARTIFACTS / "study-back.png"), full_page=True)
        seen.append(page.url.split("/study/")[1].split("?")[0])
        with page.expect_navigation():
            page.keyboard.press("1" if n == 0 else "3")  # Again on the first card, Good on the rest
    # The card marked "Again" comes back in the same session.
    for _ in range(4):
        if page.url.split("/study/")[1].split("?")[0] == seen[0]:
            break
        page.keyboard.press("Space")
        with page.expect_navigation():
            page.keyboard.press("3")
    assert page.url.split("/study/")[1].split("?")[0] == seen[0]

    page.goto(live_server + "/banks/sample")
    page.fill("#size", "3")
    page.click("button:has-text('Start the quiz')")
    for _ in range(3):
        answer(page, find_question(page, "en"), "en", keyboard=False)
        page.click("#feedback a.button")
    page.click("nav >> text=My progress")
    assert page.locator("td.answered").inner_text() == "3"
    description = page.locator("#history-desc").text_content()
    reviews = int(re.search(r"(\d+) reviews", description).group(1))
    assert reviews >= 5 + 3  # flashcard reviews and quiz answers both counted
    assert page.locator(".streak").get_attribute("data-streak") == "1"
    page.screenshot(path=str(ARTIFACTS / "progress.png"), full_page=True)
