"""In real Chromium: a phone whose event stream the server refuses (too many streams, 429/503) keeps
following the game by polling now and then, and does not hammer the server with new streams."""

from __future__ import annotations

import pytest

from quizapp import create_app
from quizapp.core.store import connect

from ..helpers import DATA, join, make_teacher, new_game, step
from .checkers import checked
from .helpers import serving

pytestmark = pytest.mark.browser
WAIT = 15_000  # ms: the page polls every 4 to 8 s while its stream is refused


@pytest.fixture
def full_server(tmp_path):
    """The real app with no room for any event stream: every stream gets 503 with Retry-After."""
    app = create_app(
        {
            "DATABASE": str(tmp_path / "full.sqlite3"),
            "QUESTIONS_DIR": str(DATA),
            "SECRET_KEY": "browser-tests",
            "WTF_CSRF_ENABLED": False,
            "LIVE_STREAMS_PER_PROCESS": 0,
        }
    )
    with serving(app) as url:
        yield app, url


def test_a_refused_stream_falls_back_to_polling_without_hammering(browser, full_server):
    app, url = full_server
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher)
    _student, token = join(app, session_id, "Mei")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    phone = context.new_page()
    streams, polls, errors = [], [], []
    phone.on(
        "request",
        lambda r: (streams if r.url.endswith("/events") else polls if r.url.endswith("/state") else []).append(r.url),
    )
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        phone.goto(f"{url}/live/p/{token}")
        assert "Wait for the teacher" in phone.locator("#stage").inner_text()
        step(teacher, session_id, "start")  # the phone is told by polling, not by a stream
        phone.locator("#stage h1.prompt").wait_for(timeout=WAIT)
        assert phone.locator("#stage form.live-answer").count() == 1
        checked(phone, "phone question after polling")
        assert len(polls) >= 1
        # A stream is tried again only after a back-off of 7.5 s or more, not once a second.
        assert len(streams) <= 2, streams
    finally:
        context.close()
    assert errors == []
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT phase FROM live_sessions WHERE id = ?", [session_id]).fetchone()[0] == "question"
