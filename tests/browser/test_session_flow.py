"""Sessions in a real Chromium: earlier answers are offered, not merged; a copied cookie dies at sign-out."""

from __future__ import annotations

import pytest

from .helpers import answer, find_question

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
