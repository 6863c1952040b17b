"""Pinyin over a quiz question in a real Chromium on a phone: turned on beside the question, drawn as ruby,
and still copied, found and read aloud as the characters alone; zhuyin for a Traditional reader; off again."""

from __future__ import annotations

import re

import pytest

from .checkers import checked
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PROMPT = "中国在哪一年通过了界定性骚扰行为的新《民法典》？"  # the sample bank's civil-code-year, in Chinese
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
READINGS = "sel => [...document.querySelectorAll(sel + ' rt')].map(rt => getComputedStyle(rt, '::before').content)"


def open_the_question(page, base):
    """Questions in Chinese, a quiz on the sample bank, and the position that asks PROMPT."""
    page.goto(base + "/")
    page.select_option("#mode", "zh")
    page.click("header form:has(#mode) button")
    page.wait_for_selector("html[lang='en']")
    page.goto(base + "/banks/sample")
    page.fill("#size", "7")
    page.click("button.primary[type=submit]")
    page.wait_for_selector("h1.prompt")
    quiz = re.search(r"/quizzes/(\d+)/", page.url).group(1)
    for n in range(1, 8):
        page.goto(f"{base}/quizzes/{quiz}/{n}")
        if page.inner_text("h1.prompt").strip() == PROMPT:
            return
    raise AssertionError("the sample bank's quiz has no question asking " + PROMPT)


def test_pinyin_over_a_question_keeps_copy_search_and_screen_readers(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    open_the_question(page, live_server)
    prompt = page.locator("h1.prompt")
    assert prompt.locator("ruby").count() == 0
    group = page.locator(".reading-aid")
    assert group.locator("button[aria-pressed='true']").inner_text() == "Off"

    group.locator("button", has_text="Pinyin").click()  # a button, posted with the answer form, back here
    page.wait_for_selector("h1.prompt ruby")
    assert group.locator("button[aria-pressed='true']").inner_text() == "Pinyin"
    assert prompt.locator("ruby").count() == prompt.locator("rt").count() == len(re.findall(r"[\u4e00-\u9fff]", PROMPT))
    shown = page.evaluate(READINGS, "h1.prompt")
    assert shown[:4] == ['"zhōng"', '"guó"', '"zài"', '"nǎ"'] and '"yì"' in shown  # 哪一年: nǎ yì nián
    box = prompt.locator("rt").first.bounding_box()
    base = prompt.locator("ruby").first.bounding_box()
    assert box["height"] > 5 and box["y"] < base["y"] + base["height"] / 2  # drawn, above its character
    page.screenshot(path=str(ARTIFACTS / "pinyin-question.png"), full_page=True)

    # The page's text is the characters alone: for the eye the pinyin is there, for everything else not.
    assert prompt.inner_text().strip() == PROMPT
    snapshot = prompt.aria_snapshot()
    assert snapshot.count("民法典") == 1 and PROMPT in snapshot, snapshot
    assert snapshot == f'- heading "{PROMPT}" [level=1]'  # the characters as words, once; no pinyin
    page.evaluate(
        """() => { const range = document.createRange();
                   range.selectNodeContents(document.querySelector('h1.prompt'));
                   const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range); }"""
    )
    page.keyboard.press("Control+C")
    assert page.evaluate("navigator.clipboard.readText()").strip() == PROMPT  # copying gives the characters
    page.evaluate("getSelection().removeAllRanges()")
    assert page.evaluate("window.find('民法典')")  # find-in-page matches across the rubies
    assert page.evaluate("String(getSelection())") == "民法典"

    assert page.evaluate(SIDEWAYS) <= 0
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate(SIDEWAYS) <= 0  # a long prompt with its ruby wraps at 320 px too
    lines = page.evaluate("() => document.querySelector('h1.prompt ruby:last-of-type').getBoundingClientRect().top")
    assert lines > page.evaluate("() => document.querySelector('h1.prompt ruby').getBoundingClientRect().top")
    checked(page, "pinyin question at 320 px")
    page.screenshot(path=str(ARTIFACTS / "pinyin-question-320.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})

    # The feedback is annotated too.
    page.locator("label.option", has_text="2020年").click()
    page.click("button.primary[type=submit]")
    page.wait_for_selector("#feedback")
    assert page.locator("#feedback .explanation ruby").count() > 10

    page.locator(".reading-aid button", has_text="Off").click()
    page.wait_for_selector(".reading-aid button[value='off'][aria-pressed='true']")
    assert page.locator("ruby").count() == 0


def test_zhuyin_over_traditional_text_and_on_a_flashcard(page, live_server):
    open_the_question(page, live_server)
    page.goto(live_server + "/account/settings")
    page.select_option("#locale", "zh_Hant")
    page.check("input[name='reading_aid'][value='zhuyin']")
    page.click("button.primary[type=submit]")
    page.wait_for_selector("html[lang='zh-Hant']")
    assert page.is_checked("input[name='reading_aid'][value='zhuyin']")
    page.go_back()
    page.go_back()
    page.reload()
    prompt = page.locator("h1.prompt")
    assert prompt.inner_text().strip() == "中國在哪一年通過了界定性騷擾行為的新《民法典》？"
    assert page.evaluate(READINGS, "h1.prompt")[:2] == ['"ㄓㄨㄥ"', '"ㄍㄨㄛˊ"']
    page.goto(live_server + "/study/next")
    page.wait_for_selector(".flashcard")
    assert page.locator(".flashcard .front ruby").count() > 0
    assert page.locator(".reading-aid button[value='zhuyin']").get_attribute("aria-pressed") == "true"
    assert page.evaluate(SIDEWAYS) <= 0
    page.screenshot(path=str(ARTIFACTS / "zhuyin-flashcard.png"), full_page=True)
