"""A live game in real Chromium: a teacher on a 16:9 projector (1280×720) and two phones (390 px, one
in Chinese) play three questions to the podium, with a refresh and a change of device on the way.
Every projector screen must fit without scrolling; every screen and phone state is kept as a
screenshot in test-artifacts/. Everything moves by the server's events: no page is reloaded by the
test except where a student does so."""

from __future__ import annotations

import pytest

from quizapp.accounts import users
from quizapp.core.store import connect

from .checkers import checked
from .conftest import ARTIFACTS
from .helpers import collect_errors

pytestmark = pytest.mark.browser
QUESTIONS = ["civil-code-year", "civil-code-first-time", "crimes-covered"]
WAIT = 15_000  # ms: generous for a loaded CI machine; the events themselves arrive within a fraction of a second
PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}


def watch(context):
    """Fail the test on any script error or console error, as the shared `page` fixture does."""
    errors = []
    context.on("page", lambda p: collect_errors(p, errors))
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


def shot(page, name):
    """A screenshot of the state the page is in, checked by axe-core and the Nu Html Checker first
    (live screens change by their event streams, without a page load the checkers would notice)."""
    checked(page, name)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def fits_without_scrolling(page):
    """Nothing scrolls, sideways or down, and the projector's screen area shows all it holds."""
    sizes = page.evaluate(
        """() => {
          const screen = document.getElementById('screen');
          return {page: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
                  view: [innerWidth, innerHeight],
                  screen: screen ? [screen.scrollHeight, screen.clientHeight] : [0, 0]};
        }"""
    )
    assert sizes["page"][0] <= sizes["view"][0] and sizes["page"][1] <= sizes["view"][1], sizes
    assert sizes["screen"][0] <= sizes["screen"][1] + 1, sizes


def no_site_chrome(page):
    assert page.locator("header.top, nav, select").count() == 0
    assert page.locator("h1").count() == 1


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
    assert "(true_false)" not in projector.content() and projector.get_by_text("True or false").count() >= 1
    for box in projector.locator("input[name=question]").all():
        box.set_checked(box.get_attribute("value") in QUESTIONS)
    for place, question in enumerate(QUESTIONS, 1):
        projector.fill(f"input[name='order-{question}']", str(place))
    projector.fill("#timer", "90")  # long enough never to run out here: everyone answering closes a question
    projector.fill("#reading", "4")  # long enough for a loaded machine to show the reading time first
    projector.select_option("#text_mode", "both")
    projector.click("button:has-text('Open the game')")
    return projector.locator(".join-code").inner_text().strip()


def join(phone, live_server, code, nickname):
    phone.goto(f"{live_server}/join?code={code}")  # what the QR code opens
    phone.fill("#nickname", nickname)
    phone.click("button[type=submit].big")
    phone.locator(".big-message").wait_for(timeout=WAIT)


def prompt_languages(phone) -> set[str]:
    prompt = phone.locator("#stage h1.prompt")
    prompt.wait_for(timeout=WAIT)
    return {el.get_attribute("lang") for el in prompt.locator("[lang]").all()}


def answer_form(phone, position):
    phone.locator(f"#stage form.live-answer input[name=position][value='{position}']").wait_for(
        state="attached", timeout=WAIT
    )
    return phone.locator("#stage form.live-answer")


def on_first_screen(phone, locator):
    """Every element of `locator` lies wholly inside the phone's window, without scrolling."""
    height = phone.viewport_size["height"]
    assert phone.evaluate("scrollY") == 0
    for box in (el.bounding_box() for el in locator.all()):
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= height, (box, height)


def tap(phone, position, values):
    """Answer as a student would: one tap on a big button, or ticks and a send button."""
    form = answer_form(phone, position)
    if form.get_attribute("data-question-type") == "multi":
        for value in values:
            form.locator(f"input[name=answer][value='{value}']").check()
        form.locator("button[type=submit]").click()
    else:
        form.locator(f"button[value='{values[0]}']").click()
    phone.locator("#stage .big-message, #stage .verdict").first.wait_for(timeout=WAIT)


def test_a_projector_and_two_phones_play_a_live_game_to_the_podium(contexts, live_server, tmp_path):
    projector = contexts(viewport=PROJECTOR, locale="en-US")
    code = host_a_game(projector, live_server, str(tmp_path / "live.sqlite3"))
    assert len(code) == 6 and code.isdigit()
    assert projector.locator("svg.qr").count() == 1 and "/join" in projector.locator(".join-url").inner_text()
    no_site_chrome(projector)
    fits_without_scrolling(projector)

    mei = contexts(viewport=PHONE, locale="zh-CN")
    tom = contexts(viewport=PHONE, locale="en-US")
    join(mei, live_server, code, "美美")
    join(tom, live_server, code, "Tom")
    assert mei.locator("html").get_attribute("lang") == "zh-Hans"
    no_site_chrome(mei)
    assert mei.locator("[data-live-language] button[aria-pressed=true]").inner_text() == "中文"
    shot(mei, "live-phone-zh-lobby")
    # Tom's own choice, with an explicit button, whatever the projector shows.
    tom.click("[data-live-language] button[value=both]")
    assert tom.locator("[data-live-language] button[aria-pressed=true]").get_attribute("value") == "both"

    projector.locator(".names li").nth(1).wait_for(timeout=WAIT)  # arrivals appear without a reload
    assert projector.locator("[data-players]").first.inner_text() == "2"
    fits_without_scrolling(projector)
    shot(projector, "live-projector-lobby")
    # A space typed into a field is text, not "next": renaming a player leaves the game where it is.
    projector.click("details.manage summary")
    rename = projector.locator(".manage-player", has_text="Tom").locator("input[name=nickname]")
    rename.click()
    projector.keyboard.type("Tom Li")
    assert rename.input_value() == "Tom Li" and projector.locator("#panel").get_attribute("data-phase") == "lobby"
    rename.fill("")
    projector.click("details.manage summary")
    projector.locator("#screen").click()
    projector.keyboard.press("Space")  # the teacher drives the game from the projector's keyboard

    # Question 1 (choice): the reading time, then the answer time, each named on the projector.
    projector.locator(".timer.reading").wait_for(timeout=WAIT)
    assert projector.locator(".timer-label").inner_text() == "Reading time"
    shot(projector, "live-projector-reading")
    projector.locator(".timer:not(.reading) .timer-label").wait_for(timeout=WAIT)
    assert projector.locator(".timer-label").inner_text() == "Time left"
    assert projector.locator("h1.prompt .both").count() == 1
    assert prompt_languages(mei) == {"zh-Hans"}
    assert prompt_languages(tom) == {"en", "zh-Hans"}
    no_site_chrome(projector)
    fits_without_scrolling(projector)
    shot(projector, "live-projector-question")
    assert mei.locator(".big-choice").count() == 3
    on_first_screen(mei, mei.locator(".big-choice"))
    shot(mei, "live-phone-zh-question")
    shot(tom, "live-phone-both-question")
    tap(mei, 1, ["2"])
    shot(mei, "live-phone-zh-sent")
    mei.reload()  # a refresh mid-question: same name, answer still sent
    mei.locator(".big-message").wait_for(timeout=WAIT)
    assert mei.locator("[data-nickname]").inner_text() == "美美"
    tap(tom, 1, ["0"])

    # Results: chart, right answer and "Next" on one screen.
    projector.locator("svg.answer-chart").wait_for(timeout=WAIT)  # everyone answered: results at once
    assert "2020" in projector.locator(".correct-answer").inner_text()
    assert projector.locator("button[data-next]").inner_text() == "Next: leaderboard"
    fits_without_scrolling(projector)
    shot(projector, "live-projector-results")
    mei.locator(".verdict.right").wait_for(timeout=WAIT)
    tom.locator(".verdict.wrong").wait_for(timeout=WAIT)
    assert tom.locator(".correct-answer .both").count() == 1
    shot(mei, "live-phone-zh-result")
    shot(tom, "live-phone-both-result")

    # The leaderboard is a screen of its own; the phones show each player's place.
    projector.keyboard.press("ArrowRight")
    projector.locator("ol.leaderboard").wait_for(timeout=WAIT)
    assert projector.locator(".leaderboard li .name").first.inner_text() == "美美"
    fits_without_scrolling(projector)
    shot(projector, "live-projector-leaderboard")
    mei.locator("#stage.phase-leaderboard").wait_for(timeout=WAIT)
    assert "第 1 名" in mei.locator("#stage .big-message").inner_text()
    shot(mei, "live-phone-zh-leaderboard")

    # The projector's language: the host's own control, an explicit button.
    projector.click("[data-projector-language] button[value=en]")
    projector.locator("[data-projector-language] button[value=en][aria-pressed=true]").wait_for(timeout=WAIT)
    projector.wait_for_load_state("load")  # live.js (deferred) listens for the keys once the page has loaded
    projector.keyboard.press("Space")

    # Question 2 (true/false): Tom carries on from another device with his link.
    projector.locator("h1.prompt").wait_for(timeout=WAIT)
    assert projector.locator("h1.prompt [lang]").get_attribute("lang") == "en"
    link = tom.locator(".keep-link a").get_attribute("href")
    tablet = contexts(viewport={"width": 820, "height": 1180}, locale="en-US")
    tablet.goto(link)
    assert tablet.locator("[data-nickname]").inner_text() == "Tom"
    assert prompt_languages(tablet) == {"en", "zh-Hans"}  # his language came with him
    tap(tablet, 2, ["false"])
    tap(mei, 2, ["true"])
    projector.locator("svg.answer-chart").wait_for(timeout=WAIT)
    tablet.locator(".verdict.wrong").wait_for(timeout=WAIT)
    projector.keyboard.press("Space")
    projector.locator("ol.leaderboard").wait_for(timeout=WAIT)
    projector.click("[data-projector-language] button[value=both]")
    projector.locator("button[data-next]:has-text('Next question')").click()

    # Question 3 (several answers): both screens say so.
    projector.locator(".all-apply").wait_for(timeout=WAIT)
    assert projector.locator(".all-apply").inner_text() == "Choose all that apply"
    form = answer_form(mei, 3)
    assert form.locator(".all-apply").inner_text() == "多选：选出所有正确答案"
    on_first_screen(mei, form.locator("label.option, button[type=submit]"))
    fits_without_scrolling(projector)
    shot(projector, "live-projector-multi")
    shot(mei, "live-phone-zh-multi")
    tap(mei, 3, ["0", "1", "2"])
    tap(tablet, 3, ["0", "1"])
    projector.locator("svg.answer-chart").wait_for(timeout=WAIT)
    assert projector.locator("button[data-next]").inner_text() == "Show the podium"
    projector.keyboard.press("Space")
    projector.locator(".podium").wait_for(timeout=WAIT)
    assert projector.locator(".place-1 .name").inner_text() == "美美"
    assert projector.locator(".place-2 .name").inner_text() == "Tom"
    no_site_chrome(projector)
    fits_without_scrolling(projector)
    shot(projector, "live-projector-podium")
    for phone in (mei, tom, tablet):
        phone.locator(".mini-podium li").nth(1).wait_for(timeout=WAIT)
    assert "1" in mei.locator(".big-message").inner_text()
    shot(mei, "live-phone-zh-podium")
    shot(tom, "live-phone-both-podium")
