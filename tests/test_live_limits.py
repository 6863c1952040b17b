"""Live games under attack (issue 11), through Flask's test client: a flood of event streams, a flood
of bot joins, a player the teacher removed, and join codes guessed from many addresses. Each test
performs the attack and shows it now does no harm. The same stream flood against a real gunicorn
server is in test_live_flood.py."""

from __future__ import annotations

import pytest

from quizapp.core.store import connect
from quizapp.live import hub as livehub

from .helpers import answer, game_row, join, make_teacher, new_game, sign_up, state, step

FROZEN = 1_800_000_000.0  # inside one rate-limit window for every limit used here


@pytest.fixture
def frozen(monkeypatch):
    """Keep every rate limit in one window; the returned list moves the clock on."""
    now = [FROZEN]
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: now[0])
    return now


@pytest.fixture
def teacher(app):
    return make_teacher(app, app.test_client())


def open_stream(client, url, address="10.0.0.1"):
    """Open a stream without reading it (as a phone that just connected); close() when done."""
    return client.get(url, buffered=False, environ_base={"REMOTE_ADDR": address})


def gate(app) -> livehub.StreamGate:
    return livehub.hub_for(app.config["DATABASE"]).gate


def post_join(client, code, nickname, address="10.0.0.1"):
    return client.post("/join", data={"code": code, "nickname": nickname}, environ_base={"REMOTE_ADDR": address})


# ---------------------------------------------------------------- event streams


def test_one_player_token_cannot_hold_more_streams_than_its_cap(make_app):
    app = make_app(LIVE_STREAMS_PER_PLAYER=3)
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    held = [open_stream(student, f"/live/p/{token}/events") for _ in range(3)]
    assert [r.status_code for r in held] == [200, 200, 200]
    flood = [open_stream(student, f"/live/p/{token}/events") for _ in range(200)]
    assert {r.status_code for r in flood} == {429}
    assert all(int(r.headers["Retry-After"]) > 0 for r in flood)
    assert gate(app).open == 3
    held.pop().close()  # a phone that goes away gives its slot back
    again = open_stream(student, f"/live/p/{token}/events")
    assert again.status_code == 200 and again.mimetype == "text/event-stream"
    for response in held + [again]:
        response.close()
    assert gate(app).open == 0


def test_one_address_cannot_hold_more_streams_than_its_cap(make_app):
    app = make_app(LIVE_STREAMS_PER_ADDRESS=4)
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher)
    players = [join(app, session_id, f"p{n}") for n in range(6)]
    opened = [open_stream(c, f"/live/p/{t}/events", "10.0.0.1") for c, t in players]
    assert [r.status_code for r in opened] == [200] * 4 + [429] * 2
    assert opened[-1].headers["Retry-After"]
    elsewhere = open_stream(players[5][0], f"/live/p/{players[5][1]}/events", "10.0.0.2")
    assert elsewhere.status_code == 200
    for response in opened + [elsewhere]:
        response.close()


def test_a_full_process_answers_503_and_pages_keep_answering(make_app):
    app = make_app(LIVE_STREAMS_PER_PROCESS=3)
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher)
    players = [join(app, session_id, f"p{n}") for n in range(5)]
    opened = [open_stream(c, f"/live/p/{t}/events", f"10.0.1.{n}") for n, (c, t) in enumerate(players)]
    assert [r.status_code for r in opened] == [200, 200, 200, 503, 503]
    assert int(opened[-1].headers["Retry-After"]) > 0 and opened[-1].headers["Cache-Control"] == "no-store"
    projector = open_stream(teacher, f"/live/{session_id}/events")
    assert projector.status_code == 503  # the projector waits like everyone (live.js polls its panel meanwhile)
    assert app.test_client().get("/healthz").status_code == 200
    assert app.test_client().get("/").status_code == 200
    assert players[0][0].get(f"/live/p/{players[0][1]}/state").status_code == 200  # the polling way still works
    for response in opened + [projector]:
        response.close()
    assert gate(app).open == 0


def test_the_projector_stream_is_capped_like_a_players(make_app):
    app = make_app(LIVE_STREAMS_PER_PLAYER=2)
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher)
    opened = [open_stream(teacher, f"/live/{session_id}/events") for _ in range(4)]
    assert [r.status_code for r in opened] == [200, 200, 429, 429]
    for response in opened:
        response.close()


def test_streams_that_never_start_or_never_exist_hold_no_slot(make_app):
    """A client that leaves before the first byte, or asks for a token that does not exist, must not
    leave a count behind (a generator that never started runs no cleanup of its own)."""
    app = make_app(LIVE_STREAMS_PER_PLAYER=1)
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher)
    student, token = join(app, session_id, "Mei")
    for _ in range(5):
        open_stream(student, f"/live/p/{token}/events").close()
        assert open_stream(student, "/live/p/no-such-token/events").status_code == 404
    assert gate(app).open == 0
    response = open_stream(student, f"/live/p/{token}/events")
    assert next(iter(response.response)).startswith(b"retry:")
    response.close()
    assert gate(app).open == 0


def test_the_stream_limits_come_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("QUIZAPP_LIVE_STREAMS_PER_ADDRESS", "2500")
    app = make_app()
    assert app.config["LIVE_STREAMS_PER_ADDRESS"] == 2500
    assert app.config["LIVE_STREAMS_PER_PROCESS"] == 1500 and app.config["LIVE_STREAMS_PER_PLAYER"] == 5
    assert make_app(LIVE_STREAMS_PER_ADDRESS=7).config["LIVE_STREAMS_PER_ADDRESS"] == 7  # config.py wins


# ---------------------------------------------------------------- bot joins, locking, removing


def test_a_bot_flood_from_one_address_is_cut_off_and_students_still_join(make_app, frozen):
    """Before: one browser put 2,000 bots in a game in 3 s and real students saw "This game is full".
    Now: one address makes LIVE_JOINS_PER_ADDRESS join attempts a minute (1,000 by default; 30 here
    against a game of at most 50 players, to keep the test short)."""
    app = make_app(LIVE_JOINS_PER_ADDRESS=30, LIVE_MAX_PLAYERS=60)
    assert make_app().config["LIVE_JOINS_PER_ADDRESS"] == 1000
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher)
    code = game_row(app, session_id)["code"]
    bot = app.test_client()
    responses = [post_join(bot, code, f"bot {n}", "203.0.113.9") for n in range(200)]
    assert [r.status_code for r in responses] == [302] * 30 + [429] * 170
    assert int(responses[-1].headers["Retry-After"]) > 0
    for n in range(20):  # the class, each phone on its own address
        assert post_join(app.test_client(), code, f"student {n}", f"198.51.100.{n}").status_code == 302
    assert state(app.test_client(), responses[0].location.rsplit("/", 1)[1])["s"]["players"] == 50
    frozen[0] += 60  # a minute later the same network may join again (a school's NAT is not banned)
    assert post_join(app.test_client(), code, "late student", "203.0.113.9").status_code == 302


def test_a_locked_game_refuses_newcomers_but_not_its_players(app, teacher):
    session_id = new_game(teacher)
    code = game_row(app, session_id)["code"]
    mei, mei_token = join(app, session_id, "Mei")
    signed_in = app.test_client()
    sign_up(signed_in, username="tom")
    tom_token = join(app, session_id, "Tom", client=signed_in)[1]
    page = teacher.get(f"/live/{session_id}").get_data(as_text=True)
    assert 'value="lock"' in page and "Lock the game" in page
    assert step(teacher, session_id, "lock").status_code == 302
    assert "Locked: no new players can join." in teacher.get(f"/live/{session_id}/panel").get_data(as_text=True)

    bot = post_join(app.test_client(), code, "bot")
    assert bot.status_code == 403 and "closed this game to new players" in bot.get_data(as_text=True)
    # Those already in keep playing: their link, their browser joining again, their account elsewhere.
    assert mei.get(f"/live/p/{mei_token}").status_code == 200
    assert post_join(mei, code, "Mei again").location.endswith(f"/live/p/{mei_token}")
    other_device = app.test_client()
    other_device.post("/signin", data={"username": "tom", "password": "correct horse"})
    assert post_join(other_device, code, "Tom").location.endswith(f"/live/p/{tom_token}")
    step(teacher, session_id, "start")
    assert answer(mei, mei_token, 1, answer="2").json["ok"]
    assert state(mei, mei_token)["s"]["players"] == 2

    step(teacher, session_id, "unlock")
    assert post_join(app.test_client(), code, "Latecomer").status_code == 302


def test_a_removed_player_cannot_rejoin_under_a_new_nickname(app, teacher):
    session_id = new_game(teacher)
    code = game_row(app, session_id)["code"]
    rude, rude_token = join(app, session_id, "Rude")
    rude_id = state(rude, rude_token)["me"]["id"]
    teacher.post(f"/live/{session_id}/players/{rude_id}/remove")
    assert state(rude, rude_token)["me"]["removed"] is True
    again = post_join(rude, code, "Polite")
    assert again.status_code == 403 and "removed you from this game" in again.get_data(as_text=True)
    # The browser's note of the ban outlives the player's own link (a cleared list of games).
    with rude.session_transaction() as cookie:
        cookie.pop("live_players", None)
    assert post_join(rude, code, "Nice").status_code == 403
    step(teacher, session_id, "start")
    assert answer(rude, rude_token, 1, answer="2").status_code == 403
    assert state(rude, rude_token)["s"]["players"] == 0
    other_game = new_game(teacher)  # the ban is for that game only
    assert post_join(rude, game_row(app, other_game)["code"], "Rude").status_code == 302


def test_a_removed_student_cannot_rejoin_from_another_device(app, teacher):
    session_id = new_game(teacher)
    code = game_row(app, session_id)["code"]
    phone = app.test_client()
    sign_up(phone, username="rude")
    token = join(app, session_id, "Rude", client=phone)[1]
    teacher.post(f"/live/{session_id}/players/{state(phone, token)['me']['id']}/remove")
    laptop = app.test_client()  # never saw the game: only the account ties it to the removed player
    laptop.post("/signin", data={"username": "rude", "password": "correct horse"})
    refused = post_join(laptop, code, "Someone else")
    assert refused.status_code == 403 and "removed you" in refused.get_data(as_text=True)


# ---------------------------------------------------------------- guessing join codes


def test_a_limited_address_cannot_join_even_with_the_right_code(make_app, frozen):
    """The limit is checked before the code is looked up, so reaching it reveals nothing."""
    app = make_app()
    teacher = make_teacher(app, app.test_client())
    code = game_row(app, new_game(teacher))["code"]
    guesser = app.test_client()
    wrong = "000000" if code != "000000" else "111111"
    for n in range(100):
        assert post_join(guesser, wrong, f"g{n}", "192.0.2.1").status_code == 200
    right = post_join(guesser, code, "lucky", "192.0.2.1")
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0


def test_rotating_addresses_cannot_enumerate_join_codes(make_app, frozen):
    """Before: a guess from each of many addresses found a 6-digit code in about 10 minutes. Now all
    addresses together get LIVE_WRONG_CODES_SITEWIDE wrong codes per 10 minutes (1,000 by default, 40
    here); then only networks where a class met recently may try codes."""
    app = make_app(LIVE_WRONG_CODES_SITEWIDE=40)
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher)
    code = game_row(app, session_id)["code"]
    teacher.get(f"/live/{session_id}", environ_base={"REMOTE_ADDR": "198.51.100.1"})  # the projector's network
    guesses = [f"{(int(code) + n) % 10**6:06d}" for n in range(-45, 5)]  # the right code is the 46th
    outcomes = [
        post_join(app.test_client(), guess, "x", f"10.9.{n // 250}.{n % 250}").status_code
        for n, guess in enumerate(guesses)
    ]
    assert outcomes[:40] == [200] * 40 and set(outcomes[40:]) == {429}
    assert players_in(app, session_id) == 0

    paused = post_join(app.test_client(), code, "Mei", "10.200.0.1")  # a stranger's network, right code
    assert paused.status_code == 429 and "paused" in paused.get_data(as_text=True)
    assert int(paused.headers["Retry-After"]) > 0
    # The class meeting at the projector's network carries on; so does a network where a player joined.
    assert post_join(app.test_client(), code, "Mei", "198.51.100.1").status_code == 302
    frozen[0] += 600  # the next window: everyone may try codes again
    assert post_join(app.test_client(), code, "Tom", "10.200.0.1").status_code == 302


def players_in(app, session_id) -> int:
    db = connect(app.config["DATABASE"])
    return db.execute("SELECT count(*) FROM live_players WHERE session_id = ?", [session_id]).fetchone()[0]
