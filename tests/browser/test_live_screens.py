"""The longest questions of the real banks, in both languages, on a 16:9 projector (1280×720) and on
phones (390×844 and 360×640): the projector's question and results screens fit without scrolling,
and each phone shows its answer buttons on the first screen (the prompt compact, "Show all" opening
it). Screenshots of each are kept in test-artifacts/."""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from quizapp import create_app

from ..helpers import ROOT, join, make_teacher, new_game, step
from .conftest import ARTIFACTS
from .helpers import serving
from .test_live_flow import fits_without_scrolling, no_site_chrome, on_first_screen

pytestmark = pytest.mark.browser
BANKS = ROOT / "questions"
PHONES = ({"width": 390, "height": 844}, {"width": 360, "height": 640})


def size(question) -> int:
    """Characters of prompt and choices in both languages: what a phone in "both" mode must show."""
    texts = [question["prompt"]] + [choice for choice in question.get("choices", [])]
    return sum(len(str(text.get("en", ""))) + len(str(text.get("zh", ""))) for text in texts if isinstance(text, dict))


def longest_questions() -> dict[str, list[str]]:
    """bank id -> its questions that are the longest of their type (or the longest prompt) of all banks."""
    best: dict[str, tuple[int, str, str]] = {}
    for path in sorted(BANKS.glob("*.yaml")):
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        for q in bank["questions"]:
            for key, length in ((q["type"], size(q)), ("prompt", size({"prompt": q["prompt"]}))):
                if q["type"] in ("choice", "multi", "true_false") and length > best.get(key, (0,))[0]:
                    best[key] = (length, bank["bank"], q["id"])
    games = defaultdict(list)
    for _length, bank_id, question_id in best.values():
        if question_id not in games[bank_id]:
            games[bank_id].append(question_id)
    return games


@pytest.fixture
def real_banks(tmp_path):
    app = create_app(
        {
            "DATABASE": str(tmp_path / "banks.sqlite3"),
            "QUESTIONS_DIR": str(BANKS),
            "SECRET_KEY": "browser-tests",
            "WTF_CSRF_ENABLED": False,
        }
    )
    with serving(app) as url:
        yield app, url


def test_the_longest_questions_fit_the_projector_and_leave_the_answers_on_the_phone_screen(browser, real_banks):
    app, url = real_banks
    teacher = make_teacher(app, app.test_client())
    projector_context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="en-US")
    projector_context.add_cookies([{"name": "session", "value": teacher.get_cookie("session").value, "url": url}])
    projector = projector_context.new_page()
    phones = [browser.new_context(viewport=viewport, locale="zh-CN").new_page() for viewport in PHONES]
    try:
        for bank_id, questions in longest_questions().items():
            session_id = new_game(teacher, questions=questions, bank=bank_id, timer="0")
            student, token = join(app, session_id, "Mei")
            student.post(f"/live/p/{token}/language", data={"mode": "both"})
            join(app, session_id, "Tom")  # a second player, so one answer does not close the question
            step(teacher, session_id, "start")
            for question_id in questions:
                projector.goto(f"{url}/live/{session_id}")
                projector.locator("h1.prompt").wait_for()
                projector.screenshot(path=str(ARTIFACTS / f"live-long-projector-{question_id}.png"))
                no_site_chrome(projector)
                fits_without_scrolling(projector)
                for phone, viewport in zip(phones, PHONES):
                    phone.goto(f"{url}/live/p/{token}")
                    form = phone.locator("#stage form.live-answer")
                    form.wait_for()
                    fits_width = phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
                    assert fits_width
                    phone.screenshot(path=str(ARTIFACTS / f"live-long-phone-{viewport['width']}-{question_id}.png"))
                    on_first_screen(phone, form.locator(".big-choice, label.option, button[type=submit]"))
                # The prompt is compact on the phone; "Show all" opens all of it.
                phone = phones[0]
                show_all = phone.locator("#stage .show-all")
                show_all.click()
                assert (
                    phone.locator("#stage.expanded").count() == 1 and show_all.get_attribute("aria-expanded") == "true"
                )
                step(teacher, session_id, "close")
                projector.goto(f"{url}/live/{session_id}")
                projector.locator("svg.answer-chart").wait_for()
                projector.screenshot(path=str(ARTIFACTS / f"live-long-results-{question_id}.png"))
                fits_without_scrolling(projector)
                step(teacher, session_id, "next")
    finally:
        projector_context.close()
        for phone in phones:
            phone.context.close()
