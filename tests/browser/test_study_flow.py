"""A student signs up, picks a deck, studies flashcards with the keyboard only (front in Chinese, back in
both), takes a quiz, and finds both counted on the progress page — in a real Chromium on a 390 px phone."""

from __future__ import annotations

import re

import pytest

from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import answer, find_question

pytestmark = pytest.mark.browser


def counts(page) -> dict[str, int]:
    return {name: int(page.locator(f"[data-count='{name}']").inner_text()) for name in ("new", "learning", "review")}


def card_id(page) -> str:
    return page.url.split("/study/")[1].split("?")[0]


def test_sign_up_pick_a_deck_study_with_keyboard_quiz_and_progress(page, live_server):
    page.goto(live_server + "/signup")
    page.fill("#username", "lin")
    page.fill("#password", "a long password")
    page.fill("#confirm", "a long password")
    page.click("button:has-text('Create account')")
    assert "Sign out (lin)" in page.inner_text("header")

    # The deck chooser: the bank and each topic with its new / learning / review counts.
    page.click("nav >> text=Flashcards")
    bank_row = page.locator("tr[data-deck='sample']")
    assert [bank_row.locator(f"td.count-{k}").inner_text() for k in ("new", "learning", "review")] == ["8", "0", "0"]
    assert page.locator("tr[data-deck='sample/glossary']").count() == 1
    page.screenshot(path=str(ARTIFACTS / "study-decks.png"), full_page=True)
    bank_row.locator("a").click()

    # The question language is Chinese: one button on the card, the same setting as the quiz's.
    page.click(".question-language button:has-text('中文')")
    page.wait_for_selector(".question-language button[value='zh'][aria-pressed='true']")
    assert page.locator("#mode").input_value() == "zh"  # the header shows the same one setting
    seen = []
    for n in range(5):
        page.wait_for_selector("[data-flashcard]")
        front = page.locator(".card-face.front")
        assert front.locator("[lang='zh-Hans']").count() == 1 and front.locator("[lang='en']").count() == 0
        assert page.locator("#card-back").is_hidden()
        before = counts(page)
        assert page.locator(".count.current").count() == 1
        if n == 0:
            assert before == {"new": 8, "learning": 0, "review": 0}
            assert "count-new" in page.locator(".count.current").get_attribute("class")
            page.screenshot(path=str(ARTIFACTS / "study-front.png"))
        page.locator("body").focus()
        page.keyboard.press("Space")  # flip
        back = page.locator("#card-back")
        assert (
            back.is_visible()
            and back.locator("[lang='en']").count() >= 1
            and back.locator("[lang='zh-Hans']").count() >= 1
        )
        assert back.locator(".rate-interval").count() == 4
        if n == 0:
            checked(page, "flashcard back")
            page.screenshot(path=str(ARTIFACTS / "study-back.png"), full_page=True)
        seen.append(card_id(page))
        with page.expect_navigation():
            page.keyboard.press("1" if n == 0 else "3")  # Again on the first card, Good on the rest
        if n == 0:
            assert counts(page) == {"new": 7, "learning": 1, "review": 0}  # the card is learning now
            assert page.locator(".study-progress progress").get_attribute("value") == "1"
    # The card marked "Again" comes back in the same session.
    for _ in range(4):
        if card_id(page) == seen[0]:
            break
        page.keyboard.press("Space")
        with page.expect_navigation():
            page.keyboard.press("3")
    assert card_id(page) == seen[0]
    assert "count-learning" in page.locator(".count.current").get_attribute("class")

    # A bank page offers its cards too.
    page.goto(live_server + "/banks/sample")
    page.click("text=Study these cards")
    assert "bank=sample" in page.url and page.locator("[data-flashcard]").count() == 1

    page.goto(live_server + "/banks/sample")
    page.fill("#size", "3")
    page.click("button:has-text('Start the quiz')")
    for _ in range(3):
        answer(page, find_question(page, "zh-Hans"), "zh-Hans", keyboard=False)  # quizzes follow the same setting
        page.click("#feedback a.button")
    page.click("nav >> text=My progress")
    assert page.locator("td.answered").inner_text() == "3"
    description = page.locator("#history-desc").text_content()
    reviews = int(re.search(r"(\d+) reviews", description).group(1))
    assert reviews >= 5 + 3  # flashcard reviews and quiz answers both counted
    assert page.locator(".streak").get_attribute("data-streak") == "1"
    page.screenshot(path=str(ARTIFACTS / "progress.png"), full_page=True)


def test_progress_on_a_phone_in_chinese_readable_charts_one_day_format_and_unwrapped_headers(page, live_server):
    page.goto(live_server + "/")
    token = page.locator("input[name=csrf_token]").first.input_value()
    page.request.post(live_server + "/settings/language", form={"locale": "zh", "next": "/", "csrf_token": token})
    page.goto(live_server + "/progress")
    assert "你还没有回答过任何题目" in page.inner_text("main") and page.locator("table").count() == 0  # empty state
    page.screenshot(path=str(ARTIFACTS / "zh-progress-empty.png"))
    page.goto(live_server + "/banks/sample")
    page.fill("#size", "2")
    page.click("form.stack button.primary")
    for _ in range(2):
        answer(page, find_question(page, "zh-Hans"), "zh-Hans", keyboard=False)
        page.click("#feedback a.button")
    page.goto(live_server + "/progress")
    sizes = page.evaluate("[...document.querySelectorAll('svg.chart text')].map(t => t.getBoundingClientRect().height)")
    assert sizes and min(sizes) >= 11, sizes  # 5-6 px before the charts were drawn for a phone
    labels = page.evaluate("[...document.querySelectorAll('svg.chart text.axis-label')].map(t => t.textContent)")
    days = [label for label in labels if "月" in label]
    assert len(days) >= 5 and all(re.fullmatch(r"\d{1,2}月\d{1,2}日", d) for d in days), labels
    assert page.locator(".legend").first.is_visible() and "复习次数（左轴）" in page.inner_text("figcaption")
    assert page.evaluate("[...document.querySelectorAll('text.rate-label')].map(t => t.textContent)") == [
        "0%",
        "50%",
        "100%",
    ]
    line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.progress-table th')).lineHeight)")
    for height in page.evaluate(
        "[...document.querySelectorAll('.progress-table thead th')].map(th => th.getBoundingClientRect().height)"
    ):
        assert height < 2 * line_height + 20, height  # one line, not one character per line
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "zh-progress.png"), full_page=True)


def test_decks_cards_and_progress_in_dark_mode_pass_the_checkers(browser, live_server):
    """The counts' colours, the charts and the question-language buttons come from the custom properties, so the
    dark palette applies to them too (axe checks their contrast on each page as it loads)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(live_server + "/study/")
        page.locator("tr[data-deck='sample'] a").click()
        page.locator("body").focus()
        page.keyboard.press("Space")
        checked(page, "flashcard back, dark")
        with page.expect_navigation():
            page.keyboard.press("1")
        page.goto(live_server + "/banks/sample")
        page.fill("#size", "1")
        page.click("form.stack button.primary")
        answer(page, find_question(page, "en"), "en", keyboard=False)
        page.goto(live_server + "/progress")
        assert page.locator("svg.chart").count() >= 1
        bar, accent, dark = page.evaluate(
            """() => {
                const probe = document.createElement('span');
                probe.style.color = 'var(--accent)';
                document.body.append(probe);
                return [getComputedStyle(document.querySelector('svg.chart .bar')).fill,
                        getComputedStyle(probe).color, matchMedia('(prefers-color-scheme: dark)').matches];
            }"""
        )
        assert dark and bar == accent  # the bars are drawn in the dark palette's accent
        page.screenshot(path=str(ARTIFACTS / "progress-dark.png"), full_page=True)
    finally:
        context.close()
