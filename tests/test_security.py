"""Rate limits shared across workers, secure cookies over HTTPS, and friendly refusals."""

from __future__ import annotations

import logging

import pytest

from .helpers import sign_up, start


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    """Fixed windows: freeze the limiter's clock at a window start so no test straddles two windows."""
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)


def test_wrong_passwords_pause_sign_in_for_that_username_and_are_logged(app, client, caplog):
    sign_up(client)
    client.post("/signout")
    for _ in range(10):
        assert client.post("/signin", data={"username": "mei", "password": "guess guess"}).status_code == 200
    with caplog.at_level(logging.WARNING, logger="quizapp.security"):
        response = client.post(
            "/signin", data={"username": "MEI", "password": "correct horse"}, headers={"Accept-Language": "zh"}
        )
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "请等待15分钟" in response.get_data(as_text=True)
    assert any("too many tries" in r.getMessage() for r in caplog.records)


def test_limits_hold_across_server_workers(make_app):
    """Two app instances on one database file stand for two gunicorn workers."""
    first, second = make_app().test_client(), make_app().test_client()
    from quizapp.accounts.auth import SIGNIN_PER_ADDRESS

    for n in range(SIGNIN_PER_ADDRESS):
        client = first if n % 2 else second
        assert client.post("/signin", data={"username": f"x{n}", "password": "y"}).status_code == 200
    assert first.post("/signin", data={"username": "someone", "password": "y"}).status_code == 429
    assert second.get("/signin").status_code == 200  # reading the page is never limited


def test_answer_floods_are_refused(app, client):
    quiz_id = start(client)
    codes = {client.post(f"/quizzes/{quiz_id}/1", data={}).status_code for _ in range(121)}
    assert 429 in codes


def test_cookie_is_secure_over_https(client):
    client.post("/settings/language", data={"locale": "zh", "next": "/"}, base_url="https://localhost")
    cookie = client.get_cookie("session", domain="localhost")
    assert cookie.secure and cookie.http_only and cookie.same_site == "Lax"
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_cookie_is_not_secure_over_plain_http(client):
    client.post("/settings/language", data={"locale": "zh", "next": "/"})
    assert not client.get_cookie("session").secure
