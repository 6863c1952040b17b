"""Forwarding headers believed only from trusted proxies; links and the join QR code on the configured
public address, whatever Host a request claims."""

from __future__ import annotations

import re

import pytest
import segno
from flask.testing import FlaskClient

from quizapp.core.store import connect

from .helpers import join, make_teacher, new_game

PROXY, STUDENT, OTHER_STUDENT, ATTACKER = "10.0.0.5", "203.0.113.7", "203.0.113.8", "198.51.100.66"
QUIZ = {"topic": "", "size": "3"}


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)


def limit_keys(app) -> set[str]:
    db = connect(app.config["DATABASE"])
    keys = {row[0] for row in db.execute("SELECT key FROM rate_limits")}
    db.conn.close()
    return keys


def start_quiz(client, peer: str, **headers):
    return client.post("/banks/sample/quizzes", data=QUIZ, headers=headers, environ_base={"REMOTE_ADDR": peer})


# Trusted proxies -------------------------------------------------------------------------------


def test_a_forged_forwarded_for_from_an_untrusted_peer_does_not_change_the_limit_key(make_app, monkeypatch):
    monkeypatch.setattr("quizapp.learn.student.QUIZ_STARTS_PER_ADDRESS", 3)
    app = make_app(TRUSTED_PROXIES=PROXY)
    for n in range(3):  # a new forged address each time, to escape the per-address limit
        assert start_quiz(app.test_client(), ATTACKER, **{"X-Forwarded-For": f"192.0.2.{n}"}).status_code == 302
    assert start_quiz(app.test_client(), ATTACKER, **{"X-Forwarded-For": "192.0.2.99"}).status_code == 429
    assert f"quiz-starts-address:{ATTACKER}" in limit_keys(app)
    assert not any("192.0.2." in key for key in limit_keys(app))


def test_without_configured_proxies_no_forwarding_header_is_believed(make_app):
    app = make_app()
    response = app.test_client().get(
        "/", headers={"X-Forwarded-For": STUDENT, "X-Forwarded-Proto": "https"}, environ_base={"REMOTE_ADDR": PROXY}
    )
    assert "Strict-Transport-Security" not in response.headers
    start_quiz(app.test_client(), PROXY, **{"X-Forwarded-For": STUDENT})
    assert f"quiz-starts-address:{PROXY}" in limit_keys(app) and not any(STUDENT in k for k in limit_keys(app))


def test_behind_a_trusted_proxy_each_student_has_their_own_limit(make_app, monkeypatch):
    """Before: every student came from the proxy's address, so one student's tries locked out the rest."""
    monkeypatch.setattr("quizapp.learn.student.QUIZ_STARTS_PER_ADDRESS", 3)
    app = make_app(TRUSTED_PROXIES=f"192.168.0.0/16, {PROXY}")
    for _ in range(3):
        assert start_quiz(app.test_client(), PROXY, **{"X-Forwarded-For": STUDENT}).status_code == 302
    assert start_quiz(app.test_client(), PROXY, **{"X-Forwarded-For": STUDENT}).status_code == 429
    assert start_quiz(app.test_client(), PROXY, **{"X-Forwarded-For": OTHER_STUDENT}).status_code == 302
    # Only the address our proxy appended counts: one the client put in front of it is ignored.
    assert start_quiz(app.test_client(), PROXY, **{"X-Forwarded-For": f"192.0.2.1, {STUDENT}"}).status_code == 429
    assert {f"quiz-starts-address:{STUDENT}", f"quiz-starts-address:{OTHER_STUDENT}"} <= limit_keys(app)
    assert not any(PROXY in key or "192.0.2.1" in key for key in limit_keys(app))


def test_a_dual_stack_socket_address_of_a_trusted_proxy_is_trusted(make_app):
    app = make_app(TRUSTED_PROXIES=PROXY)
    start_quiz(app.test_client(), f"::ffff:{PROXY}", **{"X-Forwarded-For": STUDENT})
    assert f"quiz-starts-address:{STUDENT}" in limit_keys(app)


def test_https_at_a_trusted_proxy_gives_hsts_and_a_secure_cookie(make_app):
    app = make_app(TRUSTED_PROXIES=PROXY)
    client = app.test_client()
    response = client.post(
        "/settings/language",
        data={"locale": "zh", "next": "/"},
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": STUDENT},
        environ_base={"REMOTE_ADDR": PROXY},
    )
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert client.get_cookie("session").secure


def test_a_forged_forwarded_proto_from_an_untrusted_peer_is_plain_http(make_app):
    app = make_app(TRUSTED_PROXIES=PROXY)
    client = app.test_client()
    response = client.post(
        "/settings/language",
        data={"locale": "zh", "next": "/"},
        headers={"X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": ATTACKER},
    )
    assert "Strict-Transport-Security" not in response.headers
    assert not client.get_cookie("session").secure


def test_a_misspelt_proxy_stops_the_start(make_app):
    with pytest.raises(ValueError, match="QUIZAPP_TRUSTED_PROXIES"):
        make_app(TRUSTED_PROXIES="10.0.0.5, proxy.local")


# The public address ----------------------------------------------------------------------------

BASE = "https://quiz.example.edu"


class PublicHostClient(FlaskClient):
    """A browser that reaches the site at its public address (unless a test says otherwise)."""

    def open(self, *args, **kwargs):
        if args and isinstance(args[0], str):
            kwargs.setdefault("base_url", BASE)
        return super().open(*args, **kwargs)


@pytest.fixture
def public_app(make_app):
    app = make_app(BASE_URL=BASE + "/")
    app.test_client_class = PublicHostClient
    return app


def test_an_invitation_link_is_on_the_public_address_whatever_the_host(public_app):
    teacher = make_teacher(public_app, public_app.test_client())
    page = teacher.post("/teach/invites").get_data(as_text=True)
    assert re.search(r'value="https://quiz\.example\.edu/invite/[\w-]+"', page)
    forged = teacher.post("/teach/invites", base_url="http://evil.example")
    assert forged.status_code == 400 and "evil.example" not in forged.get_data(as_text=True)
    forwarded = teacher.post("/teach/invites", headers={"X-Forwarded-Host": "evil.example"})
    assert "evil.example" not in forwarded.get_data(as_text=True)


def qr_path(svg: str) -> str:
    """The modules of a QR code as drawn, to tell which address it encodes."""
    return re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)


def test_a_forged_host_never_reaches_the_join_qr_code_or_address(public_app):
    teacher = make_teacher(public_app, public_app.test_client())
    session_id = new_game(teacher)
    page = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    code = re.search(r"data-code>(\d+)<", page).group(1)
    assert f"<title>QR code of {BASE}/join?code={code}</title>" in page
    assert qr_path(page) == qr_path(segno.make(f"{BASE}/join?code={code}", error="m").svg_inline(scale=1))
    assert "https://quiz.example.edu/join" in teacher.get("/live/").get_data(as_text=True)
    phone, token = join(public_app, session_id, "Mei", client=public_app.test_client())
    assert f"{BASE}/live/p/{token}" in phone.get(f"/live/p/{token}").get_data(as_text=True)
    for path in (f"/live/{session_id}", f"/live/{session_id}/panel", "/live/"):
        forged = teacher.get(path, base_url="http://evil.example")
        assert forged.status_code == 400 and "evil.example" not in forged.get_data(as_text=True)


def test_a_trusted_proxy_cannot_smuggle_another_host_past_the_base_url(make_app):
    app = make_app(BASE_URL=BASE, TRUSTED_PROXIES=PROXY)
    response = app.test_client().get(
        "/", base_url=BASE, headers={"X-Forwarded-Host": "evil.example"}, environ_base={"REMOTE_ADDR": PROXY}
    )
    assert response.status_code == 400


def test_without_a_base_url_the_quick_start_on_localhost_works(client):
    assert client.get("/").status_code == 200
    assert client.get("/", base_url="http://127.0.0.1:5000").status_code == 200


def test_a_base_url_that_is_not_an_address_stops_the_start(make_app):
    with pytest.raises(ValueError, match="QUIZAPP_BASE_URL"):
        make_app(BASE_URL="quiz.example.edu")
