"""A live game in real Chromium: a teacher on the projector and three phones (one in Chinese, one in
English, one with both languages side by side) play three questions to the podium, with a refresh
and a change of device on the way. Everything moves by the server's events: no page is reloaded by
the test except where a student does so."""

from __future__ import annotations

import pytest

from quizapp.accounts import users
from quizapp.core.store import connect

from .checkers import checked
from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser
QUESTIONS = ["civil-code-year", "civil-code-first-time", "crimes-covered"]
WAIT = 15_000  # ms: generous for a loaded CI machine; the events themselves arrive within a fraction of a second


def watch(context):
    """Fail the test on any script error or console error, as the shared `page` fixture does."""
    errors = []
    context.on(
        "page",
        lambda p: (
            p.on("pageerror", lambda exc: errors.append(str(exc))),
            p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None),
        ),
    )
    return errors


@pytest.fixture
def contexts(browser, live_server):
    """Depends on live_server so every context closes before the server stops (open event
    streams would otherwise log refused reconnections as console errors)."""
    made = []

    def make(**options):
        context = browser.new_context(**options)
        made.append((context, watch(context)))
        return context.new_page()

    yield make
    for context, errors in made:
        context.close()
        assert errors == [], f"browser errors: {errors}"


def host_a_game(projector, live_server, database):
    projector.goto(live_server + "/signup")
    projector.fill("#username", "ms-chen")
    projector.fill("#password", "a long password")
    projector.fill("#confirm", "a long password")
    projector.click("button[type=submit].primary")
    db = connect(database)
    users.promote_to_teacher(db, users.id_for(db, "ms-chen"))
    db.conn.close()
    projector.goto(live_server + "/live/new?bank=sample")
    for box in projector.locator("input[name=question]").all():
        box.set_checked(box.get_attribute("value") in QUESTIONS)
    for place, question in enumerate(QUESTIONS, 1):
        projector.fill(f"input[name='order-{question}']", str(place))
    projector.fill("#timer", "90")  # long enough never to run out here: everyone answering closes a question
    projector.select_option("#text_mode", "both")
    projector.click("button:has-text('Open the game')")
    return projector.locator(".big-code").inner_text().strip()


def join(phone, live_server, code, nickname):
    phone.goto(f"{live_server}/join?code={code}")  # what the QR code opens
    phone.fill("#nickname", nickname)
    phone.click("button[type=submit].big")
    phone.locator(".big-message").wait_for(timeout=WAIT)


def prompt_languages(phone) -> set[str]:
    prompt = phone.locator("#stage h1.prompt")
    prompt.wait_for(timeout=WAIT)
    return {el.get_attribute("lang") for el in prompt.locator("[lang]").all()}


def tap(phone, position, values):
    """Answer as a student would: one tap on a big button, or ticks and a send button."""
    phone.locator(f"#stage form.live-answer input[name=position][value='{position}']").wait_for(
        state="attached", timeout=WAIT
    )
    form = phone.locator("#stage form.live-answer")
    if form.get_attribute("data-question-type") == "multi":
        for value in values:
            form.locator(f"input[name=answer][value='{value}']").check()
        form.locator("button[type=submit]").click()
    else:
        form.locator(f"button[value='{values[0]}']").click()
    phone.locator("#stage .big-message, #stage .verdict").first.wait_for(timeout=WAIT)


def test_three_phones_play_a_live_game_to_the_podium(contexts, live_server, tmp_path):
    projector = contexts(viewport={"width": 1280, "height": 800}, locale="en-US")
    code = host_a_game(projector, live_server, str(tmp_path / "live.sqlite3"))
    assert len(code) == 6 and code.isdigit()
    assert projector.locator("svg.qr").count() == 1 and "/join" in projector.locator(".join-url").inner_text()

    mei = contexts(viewport={"width": 390, "height": 844}, locale="zh-CN")
    tom = contexts(viewport={"width": 390, "height": 844}, locale="en-US")
    ana = contexts(viewport={"width": 390, "height": 844}, locale="en-US")
    join(mei, live_server, code, "美美")
    join(tom, live_server, code, "Tom")
    join(ana, live_server, code, "Ana")
    assert mei.locator("html").get_attribute("lang") == "zh-Hans"
    ana.select_option("#live-mode", "both")  # her own choice, whatever the projector shows

    projector.locator(".names li").nth(2).wait_for(timeout=WAIT)  # arrivals appear without a reload
    assert projector.locator("[data-players]").first.inner_text() == "3"
    checked(projector, "projector lobby with three players")
    projector.screenshot(path=str(ARTIFACTS / "live-lobby.png"))
    projector.click("button:has-text('Start the game')")

    # Question 1 (choice): each phone shows the prompt in its own language(s).
    assert prompt_languages(mei) == {"zh-Hans"}
    assert prompt_languages(tom) == {"en"}
    assert prompt_languages(ana) == {"en", "zh-Hans"}
    assert projector.locator("h1.prompt .both").count() == 1
    assert mei.locator(".big-choice").count() == 3
    checked(mei, "phone question (zh)")
    checked(ana, "phone question (both)")
    checked(projector, "projector question")
    mei.screenshot(path=str(ARTIFACTS / "live-phone-zh-question.png"))
    tap(mei, 1, ["2"])
    mei.reload()  # a refresh mid-question: same name, answer still sent
    mei.locator(".big-message").wait_for(timeout=WAIT)
    assert mei.locator("[data-nickname]").inner_text() == "美美"
    tap(tom, 1, ["2"])
    tap(ana, 1, ["0"])
    projector.locator("svg.answer-chart").wait_for(timeout=WAIT)  # everyone answered: results at once
    assert projector.locator(".leaderboard li").count() == 3
    assert "2020" in projector.locator(".correct-answer").inner_text()
    checked(projector, "projector results")
    projector.screenshot(path=str(ARTIFACTS / "live-results.png"), full_page=True)
    mei.locator(".verdict.right").wait_for(timeout=WAIT)
    ana.locator(".verdict.wrong").wait_for(timeout=WAIT)
    assert ana.locator(".correct-answer .both").count() == 1
    checked(ana, "phone verdict wrong (both)")
    checked(mei, "phone verdict right (zh)")
    tom.screenshot(path=str(ARTIFACTS / "live-phone-en-result.png"))

    # Question 2 (true/false): Ana carries on from another device with her link.
    projector.click("button:has-text('Next question')")
    link = ana.locator(".keep-link a").get_attribute("href")
    ana_tablet = contexts(viewport={"width": 820, "height": 1180}, locale="en-US")
    ana_tablet.goto(link)
    assert ana_tablet.locator("[data-nickname]").inner_text() == "Ana"
    assert prompt_languages(ana_tablet) == {"en", "zh-Hans"}  # her language came with her
    tap(ana_tablet, 2, ["true"])
    tap(mei, 2, ["true"])
    tap(tom, 2, ["false"])
    projector.locator("svg.answer-chart").wait_for(timeout=WAIT)
    tom.locator(".verdict.wrong").wait_for(timeout=WAIT)

    # Question 3 (several answers), then the podium.
    projector.click("button:has-text('Next question')")
    tap(mei, 3, ["0", "1", "2"])
    tap(tom, 3, ["0", "1", "2"])
    tap(ana_tablet, 3, ["0", "1"])
    projector.locator("button:has-text('Show the podium')").click()
    projector.locator(".podium").wait_for(timeout=WAIT)
    ranking = projector.locator("table.ranking tbody tr")
    assert ranking.count() == 3 and ranking.first.locator("td").nth(1).inner_text() == "美美"
    checked(projector, "projector podium")
    projector.screenshot(path=str(ARTIFACTS / "live-podium.png"), full_page=True)
    for phone in (mei, tom, ana, ana_tablet):
        phone.locator(".mini-podium li").nth(2).wait_for(timeout=WAIT)
    assert "1" in mei.locator(".big-message").inner_text()
    checked(mei, "phone podium (zh)")
    mei.screenshot(path=str(ARTIFACTS / "live-phone-zh-podium.png"), full_page=True)
