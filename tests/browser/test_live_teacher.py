"""A teacher's live pages on a 390 px phone in real Chromium: the new-game page (no sideways scroll,
labels beside their selects, type names in words), and an ended game archived, brought back and
removed after a confirmation that says the students' learning history stays."""

from __future__ import annotations

import pytest

from quizapp.accounts import users
from quizapp.core.store import connect

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def become_teacher(page, live_server, database):
    page.goto(live_server + "/signup")
    page.fill("#username", "ms-chen")
    page.fill("#password", "a long password")
    page.fill("#confirm", "a long password")
    page.click("button[type=submit].primary")
    db = connect(database)
    users.promote_to_teacher(db, users.id_for(db, "ms-chen"))
    db.conn.close()


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def open_and_end_a_game(page, live_server) -> str:
    page.goto(live_server + "/live/new?bank=sample")
    page.click("button:has-text('Open the game')")
    code = page.locator(".join-code").inner_text().strip()
    page.click("button:has-text('End the game')")
    page.locator(".podium, .big-message").first.wait_for()
    return code


def test_the_new_game_page_fits_a_phone_and_names_types_in_words(page, live_server, tmp_path):
    become_teacher(page, live_server, str(tmp_path / "live.sqlite3"))
    page.goto(live_server + "/live/new?bank=sample")
    no_sideways_scroll(page)
    for name in ("bank", "topic"):
        label = page.locator(f"label[for=pick-{name}]").bounding_box()
        select = page.locator(f"#pick-{name}").bounding_box()
        # The label sits right above its own select, never at the end of the line before it.
        assert abs(label["x"] - select["x"]) < 2 and 0 <= select["y"] - (label["y"] + label["height"]) < 12
    types = page.locator(".live-questions .type-label").all_inner_texts()
    assert "True or false" in types and "A number" in types and not any("_" in t for t in types)
    page.screenshot(path=str(ARTIFACTS / "live-new-game-phone.png"), full_page=True)


def test_an_ended_game_is_archived_then_removed_after_a_confirmation(page, live_server, tmp_path):
    become_teacher(page, live_server, str(tmp_path / "live.sqlite3"))
    first = open_and_end_a_game(page, live_server)
    second = open_and_end_a_game(page, live_server)
    page.goto(live_server + "/live/")
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "live-games-list.png"), full_page=True)
    row = page.locator("tr", has_text=first)
    row.locator("button:has-text('Archive')").click()
    assert page.locator("[role=alert]").inner_text() == "The game is in the archive."
    assert page.locator("tr", has_text=first).count() == 0 and page.locator("tr", has_text=second).count() == 1
    page.click("a:has-text('Archived games')")
    assert page.locator("h1").inner_text() == "Archived live games"
    page.locator("tr", has_text=first).locator("a:has-text('Remove')").click()
    assert page.locator("h1").inner_text() == f"Remove game {first}?"
    assert "learning history stays as it is" in page.locator("main").inner_text()
    no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "live-remove-confirmation.png"), full_page=True)
    page.click("button:has-text('Remove the game')")
    assert page.locator("[role=alert]").inner_text() == f"Game {first} was removed."
    assert page.locator("tr", has_text=first).count() == 0
    page.goto(live_server + "/live/")
    assert page.locator("tr", has_text=second).count() == 1
