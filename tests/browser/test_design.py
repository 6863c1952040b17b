"""The design in a real Chromium: dark mode through the checkers, teachers' pages on a phone without
sideways scrolling, and the header's interface-language switcher that acts only on its button."""

from __future__ import annotations

import re

import pytest

from quizapp.accounts import users
from quizapp.core.store import connect

from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import answer, find_question, sign_up

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_dark_mode_learner_pages_pass_the_checkers(browser, live_server):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(live_server + "/")
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(16, 20, 31)"
        page.screenshot(path=str(ARTIFACTS / "dark-home-zh.png"))
        sign_up(page, live_server, "dark-mei")
        page.goto(live_server + "/banks/sample")
        page.fill("#size", "2")
        page.click("main form button.primary")
        page.wait_for_url(re.compile(r".*/quizzes/\d+/1$"))
        page.screenshot(path=str(ARTIFACTS / "dark-question-zh.png"))
        answer(page, find_question(page, "zh"), "zh-Hans", keyboard=False)
        page.locator("#feedback").wait_for()
        page.screenshot(path=str(ARTIFACTS / "dark-feedback-zh.png"))
        page.goto(live_server + "/study/")
        checked(page, "dark deck chooser")
        page.goto(live_server + "/study/next")
        page.locator("#flip").click()
        page.locator("#card-back").wait_for()
        checked(page, "dark flashcard back")
        page.screenshot(path=str(ARTIFACTS / "dark-card-back-zh.png"))
        page.goto(live_server + "/progress")
        page.goto(live_server + "/join")
    finally:
        context.close()


def test_teacher_pages_fit_a_phone(browser, live_server, tmp_path):
    """The class page, a new live game and a new bank scrolled sideways at 390 px (issue 14)."""
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    try:
        sign_up(page, live_server, "ms-chen")
        db = connect(str(tmp_path / "live.sqlite3"))
        users.promote_to_teacher(db, users.id_for(db, "ms-chen"))
        db.conn.close()
        page.goto(live_server + "/teach/")
        page.fill("#name", "Class 7B with a rather long name")
        page.click("button:has-text('Create class')")
        page.wait_for_selector(".class-code")
        page.screenshot(path=str(ARTIFACTS / "phone-teacher-class.png"), full_page=True)
        page.goto(live_server + "/live/new?bank=sample")
        page.screenshot(path=str(ARTIFACTS / "phone-live-new.png"), full_page=True)
        page.goto(live_server + "/teach/")
        page.click("text=New bank")
        page.wait_for_load_state()
        page.screenshot(path=str(ARTIFACTS / "phone-new-bank.png"), full_page=True)
        for width in (320, 390):  # the checkers' sideways test at the smallest phones too
            page.set_viewport_size({"width": width, "height": 800})
            checked(page, f"new bank at {width} px")
    finally:
        context.close()


def test_the_interface_language_changes_only_on_its_button(page, live_server):
    page.goto(live_server + "/banks/sample")
    button = page.locator("header form.switch-locale button")
    box = button.bounding_box()
    assert button.is_visible() and box["x"] + box["width"] <= 390 and box["height"] >= 32  # compact, on screen
    page.focus("#switch-locale")
    page.keyboard.press("ArrowDown")  # to 简体中文: nothing happens yet (WCAG 3.2.2)
    page.wait_for_timeout(300)
    assert page.locator("html").get_attribute("lang") == "en" and page.url.endswith("/banks/sample")
    with page.expect_navigation():
        button.click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.url.endswith("/banks/sample")  # back on the same page
    assert page.locator("#switch-locale").input_value() == "zh"
    page.screenshot(path=str(ARTIFACTS / "header-switcher-zh.png"))


def test_dark_mode_projector_passes_the_checkers(browser, live_server, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US", color_scheme="dark")
    page = context.new_page()
    try:
        sign_up(page, live_server, "ms-dark")
        db = connect(str(tmp_path / "live.sqlite3"))
        users.promote_to_teacher(db, users.id_for(db, "ms-dark"))
        db.conn.close()
        page.goto(live_server + "/live/new?bank=sample")
        page.click("button:has-text('Open the game')")
        page.locator(".big-code").wait_for()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(16, 20, 31)"
        page.screenshot(path=str(ARTIFACTS / "dark-projector-lobby.png"))
        page.click("button[value=start]")
        page.locator("h1.prompt").wait_for()
        checked(page, "dark projector question")
        page.screenshot(path=str(ARTIFACTS / "dark-projector-question.png"))
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["en-US", "zh-TW"])
def test_a_tour_of_the_other_pages_on_a_phone(browser, live_server, tmp_path, locale):
    """Pages no flow above reaches, each checked on load (axe, vnu, no sideways scrolling)."""
    context = browser.new_context(viewport=PHONE, locale=locale)
    page = context.new_page()
    try:
        for path in ("/signin", "/signup", "/join", "/join?code=123456", "/study/", "/progress"):
            page.goto(live_server + path)
        sign_up(page, live_server, f"tour-{locale}")
        db = connect(str(tmp_path / "live.sqlite3"))
        users.promote_to_teacher(db, users.id_for(db, f"tour-{locale}"))
        db.conn.close()
        for path in ("/account/settings", "/account/password", "/live/", "/teach/banks/sample/versions"):
            page.goto(live_server + path)
        page.goto(live_server + "/teach/")
        page.fill("#name", "Class 7B")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_selector(".class-code")
        class_page = page.url
        page.goto(class_page + "/banks/sample")
        page.goto(live_server + "/teach/banks/sample/edit")
        page.goto(class_page)
        page.locator("main a[href*='/invite']").first.click() if page.locator(
            "main a[href*='/invite']"
        ).count() else None
        page.wait_for_load_state()
    finally:
        context.close()
