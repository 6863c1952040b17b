"""A toy question type, defined only in the tests (helpers.py and a template folder), played live in
real Chromium: live.js shows the type's own buttons and right answer from the server's state,
knowing nothing of the type."""

from __future__ import annotations

import pytest

from quizapp import create_app
from quizapp.accounts import users
from quizapp.banks.bankfile import validate_bytes
from quizapp.banks.store import import_banks
from quizapp.core.store import connect

from ..helpers import DATA, TOY_BANK, install_toy_type
from .checkers import checked
from .helpers import serving

pytestmark = pytest.mark.browser
WAIT = 15_000  # ms


@pytest.fixture
def toy_server(tmp_path, monkeypatch):
    """The real app (CSRF on) with the toy type and a bank of it, on 127.0.0.1; and its database path."""
    database = str(tmp_path / "live.sqlite3")
    app = create_app({"DATABASE": database, "QUESTIONS_DIR": str(DATA), "SECRET_KEY": "browser-tests"})
    install_toy_type(app, monkeypatch, tmp_path / "templates")
    db = connect(database)
    import_banks(db, [(validate_bytes(TOY_BANK.encode("utf-8"), "toy.yaml").bank, None)])
    db.conn.close()
    with serving(app) as url:
        yield url, database


def test_a_phone_plays_a_type_that_live_js_has_never_heard_of(browser, toy_server):
    url, database = toy_server
    contexts, errors = [], []
    try:
        projector, phone = (browser.new_context(locale="en-US") for _ in range(2))
        contexts += [projector, phone]
        for context in contexts:
            context.on("page", lambda p: p.on("pageerror", lambda exc: errors.append(str(exc))))
        host, student = projector.new_page(), phone.new_page()
        host.goto(url + "/signup")
        host.fill("#username", "ms-chen")
        host.fill("#password", "a long password")
        host.fill("#confirm", "a long password")
        host.click("button[type=submit].primary")
        db = connect(database)
        users.promote_to_teacher(db, users.id_for(db, "ms-chen"))
        db.conn.close()
        host.goto(url + "/live/new?bank=toy")
        host.click("button:has-text('Open the game')")
        code = host.locator(".join-code").inner_text().strip()

        student.goto(f"{url}/join?code={code}")
        student.fill("#nickname", "Mei")
        student.click("button[type=submit].big")
        student.locator(".big-message").wait_for(timeout=WAIT)
        host.click("button:has-text('Start the game')")
        assert host.locator(".toy-projector").count() == 1
        # The phone builds the question from the events: the type's own buttons, with nothing reloaded.
        student.locator("#stage form.live-answer button.toy-live[value='yes']").click(timeout=WAIT)
        student.locator("#stage .verdict.right").wait_for(timeout=WAIT)
        assert student.locator("#stage .correct-answer .toy-expected").inner_text() == "yes"
        checked(student, "phone verdict (toy type)")
        host.locator("svg.answer-chart").wait_for(timeout=WAIT)
        checked(host, "projector results (toy type)")
        assert errors == []
    finally:
        for context in contexts:
            context.close()
