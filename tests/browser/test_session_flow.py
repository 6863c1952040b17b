"""Sessions in a real Chromium: earlier answers are offered, not merged; a copied cookie dies at sign-out."""

from __future__ import annotations

import pytest

from .helpers import answer, collect_errors, find_question

pytestmark = pytest.mark.browser


def sign_up(page, base, username, password="correct horse"):
    page.goto(f"{base}/signup")
    page.fill("#username", username)
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.click("button[type=submit].primary")


def answer_one_question(page, base):
    """Answered the way the quiz flow test does, whatever type the shuffle puts first."""
    page.goto(f"{base}/banks/sample")
    page.click("form[action$='/quizzes'] button[type=submit]")
    page.wait_for_url("**/quizzes/*/1")
    with page.expect_navigation():
        answer(page, find_question(page, "en"), "en", keyboard=False)


def test_lab_computer_sign_in_asks_before_taking_earlier_answers(browser, live_server, page):
    sign_up(page, live_server, "mei")
    page.click("text=Sign out (mei)")
    # Someone else used this browser anonymously before Mei sits down.
    answer_one_question(page, live_server)
    page.goto(f"{live_server}/signin?next=/progress")
    page.fill("#username", "mei")
    page.fill("#password", "correct horse")
    page.keyboard.press("Enter")
    page.wait_for_url("**/signin/earlier-answers**")
    assert "This browser has 1 answers and 0 flashcard reviews" in page.inner_text("main")
    page.click("text=No, leave them out")
    page.wait_for_url("**/progress")
    assert "You have not answered any questions yet." in page.inner_text("main")


def test_a_copied_cookie_stops_working_when_its_owner_signs_out(browser, live_server, page):
    sign_up(page, live_server, "tom")
    stolen = [c for c in page.context.cookies() if c["name"] == "session"]
    thief = browser.new_context()
    try:
        thief.add_cookies(stolen)
        thief_page = thief.new_page()
        thief_page.goto(live_server)
        assert "Sign out (tom)" in thief_page.inner_text("header")
        page.goto(f"{live_server}/account/settings")
        page.click("text=Sign out everywhere")
        page.wait_for_url(f"{live_server}/")
        thief_page.reload()
        assert "Sign out (tom)" not in thief_page.inner_text("body")
    finally:
        thief.close()


# Issue 14: account pages say the right thing in the reader's language ---------------------------

EXPECTED_STATUSES = ("status of 410", "status of 429")


def chinese_page(browser, width: int):
    """A reader whose Chinese comes from the browser (Accept-Language), never chosen in the app."""
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    page = context.new_page()
    errors = collect_errors(page, [], EXPECTED_STATUSES)
    return page, errors


def shot(page, name: str) -> None:
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_settings_show_the_browsers_chinese_and_saving_the_time_zone_keeps_it(browser, live_server, width):
    """Before: Settings pre-selected English, and saving any field switched the whole app to English."""
    page, errors = chinese_page(browser, width)
    try:
        sign_up(page, live_server, "李雷")
        page.goto(f"{live_server}/account/settings")
        assert page.get_attribute("html", "lang") == "zh-Hans"
        assert page.input_value("#locale") == "zh" and page.input_value("#text_mode") == "zh"
        page.fill("#timezone", "Europe/London")
        page.click("main form button[type=submit].primary")
        page.wait_for_url("**/account/settings")
        assert "设置已保存" in page.inner_text("main")
        assert page.get_attribute("html", "lang") == "zh-Hans", "still Chinese after saving another field"
        assert page.input_value("#timezone") == "Europe/London" and page.input_value("#locale") == "zh"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot(page, f"settings-zh-{width}.png")
        page.select_option("#text_mode", "both")
        page.click("main form button[type=submit].primary")
        page.wait_for_url("**/account/settings")
        assert page.input_value("#text_mode") == "both" and page.get_attribute("html", "lang") == "zh-Hans"
    finally:
        page.context.close()
    assert errors == [], f"browser errors: {errors}"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_lockout_page_says_fifteen_minutes_in_chinese_and_leads_back(browser, live_server, monkeypatch, width):
    """Before: zh said "wait a minute" for a 15-minute pause, and nothing led back to the form."""
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)  # a window's first second
    page, errors = chinese_page(browser, width)
    try:
        sign_up(page, live_server, "韩梅梅")
        page.click("header form[action='/signout'] button")
        for _ in range(11):
            page.goto(f"{live_server}/signin")
            page.fill("#username", "韩梅梅")
            page.fill("#password", "not the password")
            page.click("main button[type=submit].primary")
            page.wait_for_load_state()
        notice = page.inner_text("#paused")
        assert "15分钟" in notice and "一分钟" not in page.inner_text("main")
        shot(page, f"signin-lockout-zh-{width}.png")
        page.click("#paused a")
        page.wait_for_url(f"{live_server}/signin")
        assert page.locator("#paused").count() == 0 and page.locator("#username").count() == 1
    finally:
        page.context.close()
    assert errors == [], f"browser errors: {errors}"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_used_invitation_says_so_in_chinese(browser, live_server, tmp_path, width):
    from quizapp.accounts import invites, users
    from quizapp.core.clock import now
    from quizapp.core.store import connect

    page, errors = chinese_page(browser, width)
    try:
        sign_up(page, live_server, "王老师")
        db = connect(str(tmp_path / "live.sqlite3"))
        inviter = users.id_for(db, "王老师")
        users.promote_to_teacher(db, inviter)
        token = invites.create(db, inviter, now())
        invites.accept(db, token, "刘老师", "a long password", "UTC", now())
        db.conn.close()
        page.goto(f"{live_server}/invite/{token}")
        assert page.inner_text("h1") == "邀请已失效"
        assert "这个邀请已被使用或已过期" in page.inner_text("main") and "找不到" not in page.inner_text("main")
        shot(page, f"invitation-used-zh-{width}.png")
    finally:
        page.context.close()
    assert errors == [], f"browser errors: {errors}"


@pytest.mark.parametrize("width", [390, 1280])
def test_a_two_character_chinese_username_is_welcome_and_one_character_gets_our_rule(browser, live_server, width):
    """Before: 李雷 was refused with WTForms' generic 字段长度… (field length)."""
    page, errors = chinese_page(browser, width)
    try:
        page.goto(f"{live_server}/signup")
        assert "中文、日文或韩文 2 个字即可" in page.inner_text("#username-rule")
        sign_up(page, live_server, "李")
        assert "中文、日文或韩文 2 个字即可" in page.inner_text("#username-error")
        assert "字段长度" not in page.inner_text("main")
        shot(page, f"signup-username-rule-zh-{width}.png")
        page.fill("#username", "李雷")
        page.fill("#password", "correct horse")
        page.fill("#confirm", "correct horse")
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{live_server}/")
        assert "李雷" in page.inner_text("header")
    finally:
        page.context.close()
    assert errors == [], f"browser errors: {errors}"
