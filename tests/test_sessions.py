"""Sessions the server can revoke: each test performs an attack on sign-in and shows it now does no harm."""

from __future__ import annotations

import json
import re
import threading
from base64 import urlsafe_b64decode
from urllib.parse import quote

import pytest
from sqlite_utils.migrations import Migrations

from quizapp.core import migrations
from quizapp.core.store import connect

from .helpers import DATA, db_of, join, make_teacher, new_game, sign_up, start, take

EN = {"Accept-Language": "en"}


def signed_in_as(client) -> str | None:
    match = re.search(r"Sign out \(([^)]+)\)", client.get("/", headers=EN).get_data(as_text=True))
    return match.group(1) if match else None


def client_from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def copy_of(app, client):
    """A second browser holding a copy of `client`'s cookie, as an attacker who kept it would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def cookie_payload(client) -> dict:
    value = client.get_cookie("session").value
    compressed = value.startswith(".")
    body = value.lstrip(".").split(".")[0]
    raw = urlsafe_b64decode(body + "=" * (-len(body) % 4))
    if compressed:
        import zlib

        raw = zlib.decompress(raw)
    return json.loads(raw)


def test_a_kept_anonymous_cookie_never_becomes_the_next_account(app):
    """The reported attack: answer anonymously (newest id N), keep the cookie, sign in (N used to be
    freed by the merge), wait for the next sign-up. The kept cookie must sign in as nobody."""
    owner = app.test_client()
    sign_up(owner, username="attacker")
    owner.post("/signout")
    take(app, owner, start(owner), [True])
    kept = copy_of(app, owner)
    anonymous_id = db_of(app).execute("SELECT max(id) FROM learners").fetchone()[0]
    owner.post("/signin", data={"username": "attacker", "password": "correct horse"})
    owner.post("/signin/earlier-answers", data={"choice": "merge"})
    assert db_of(app).execute("SELECT 1 FROM learners WHERE id = ?", [anonymous_id]).fetchone() is None
    for name in ("victim", "teacher2"):
        victim = app.test_client()
        (make_teacher(app, victim, name) if name == "teacher2" else sign_up(victim, username=name))
        new_id = db_of(app).execute("SELECT id FROM learners WHERE username = ?", [name]).fetchone()[0]
        assert new_id > anonymous_id
    start(app.test_client())  # a new anonymous learner too
    assert signed_in_as(kept) is None
    assert kept.get("/account/export.json").status_code == 302  # sent to sign in
    assert kept.get("/teach/").status_code in (302, 403)


def test_deleting_an_account_frees_no_id_and_kills_its_cookies(app):
    mei = app.test_client()
    sign_up(mei)
    kept = copy_of(app, mei)
    old_id = db_of(app).execute("SELECT id FROM learners WHERE username = 'mei'").fetchone()[0]
    mei.post("/account/delete", data={"password": "correct horse"})
    sign_up(app.test_client(), username="next")
    assert db_of(app).execute("SELECT id FROM learners WHERE username = 'next'").fetchone()[0] > old_id
    assert signed_in_as(kept) is None


def test_sign_out_ends_the_session_for_every_copy_of_the_cookie(app):
    mei = app.test_client()
    sign_up(mei)
    kept = copy_of(app, mei)
    assert signed_in_as(kept) == "mei"
    mei.post("/signout")
    assert signed_in_as(mei) is None and signed_in_as(kept) is None


@pytest.mark.parametrize("moment", ["sign-up", "sign-in", "password change"])
def test_a_cookie_copied_before_a_change_of_session_stops_working(app, moment):
    mei = app.test_client()
    if moment == "sign-up":
        take(app, mei, start(mei), [True])  # an anonymous learner that will become the account
        kept = copy_of(app, mei)
        sign_up(mei)
    elif moment == "sign-in":
        sign_up(app.test_client())
        take(app, mei, start(mei), [True])
        kept = copy_of(app, mei)
        mei.post("/signin", data={"username": "mei", "password": "correct horse"})
    else:
        sign_up(mei)
        kept = copy_of(app, mei)
        response = mei.post(
            "/account/password",
            data={"current": "correct horse", "password": "battery staple", "confirm": "battery staple"},
        )
        assert response.status_code == 302
    assert signed_in_as(mei) == "mei"
    assert signed_in_as(kept) is None
    assert kept.get("/progress", headers=EN).get_data(as_text=True).count('class="answered">1<') == 0


def test_password_change_needs_the_current_password_and_signs_out_every_other_device(app):
    laptop, phone = app.test_client(), app.test_client()
    sign_up(laptop)
    phone.post("/signin", data={"username": "mei", "password": "correct horse"})
    page = laptop.post(
        "/account/password",
        data={"current": "wrong one!", "password": "battery staple", "confirm": "battery staple"},
        headers=EN,
    ).get_data(as_text=True)
    assert "That is not your current password." in page and signed_in_as(phone) == "mei"
    laptop.post(
        "/account/password",
        data={"current": "correct horse", "password": "battery staple", "confirm": "battery staple"},
    )
    assert signed_in_as(laptop) == "mei" and signed_in_as(phone) is None
    assert phone.post("/signin", data={"username": "mei", "password": "correct horse"}).status_code == 200
    assert phone.post("/signin", data={"username": "mei", "password": "battery staple"}).status_code == 302


def test_sign_out_everywhere_ends_every_session_of_the_account(app):
    laptop, phone, other = app.test_client(), app.test_client(), app.test_client()
    sign_up(laptop)
    sign_up(other, username="tom")
    phone.post("/signin", data={"username": "mei", "password": "correct horse"})
    page = laptop.get("/account/settings", headers=EN).get_data(as_text=True)
    assert "signed in on 2 devices or browsers" in page
    laptop.post("/account/signout-everywhere")
    assert signed_in_as(laptop) is None and signed_in_as(phone) is None
    assert signed_in_as(other) == "tom"


def test_sign_in_leaves_the_browsers_earlier_answers_out_unless_asked(app):
    """On a shared lab computer the anonymous answers are someone else's (or planted)."""
    sign_up(app.test_client())
    lab = app.test_client()
    take(app, lab, start(lab), [True, False])
    response = lab.post("/signin", data={"username": "mei", "password": "correct horse"})
    page = lab.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "This browser has 2 answers" in page
    lab.post(response.headers["Location"], data={"choice": "leave"})
    db = db_of(app)
    account = db.execute("SELECT id FROM learners WHERE username = 'mei'").fetchone()[0]
    assert db.execute("SELECT count(*) FROM attempts WHERE learner_id = ?", [account]).fetchone()[0] == 0
    assert "You have not answered any questions yet." in lab.get("/progress", headers=EN).get_data(as_text=True)
    # The offer is gone once answered, and cannot be forced by posting again.
    lab.post("/signin/earlier-answers", data={"choice": "merge"})
    assert db.execute("SELECT count(*) FROM attempts WHERE learner_id = ?", [account]).fetchone()[0] == 0


def test_player_links_live_with_the_session_not_in_the_cookie(app):
    host = make_teacher(app, app.test_client())
    session_id = new_game(host)
    mei = app.test_client()
    sign_up(mei)
    _client, token = join(app, session_id, "Mei", client=mei)
    assert token not in json.dumps(cookie_payload(mei))
    assert token in mei.get("/join").get_data(as_text=True)  # listed for a return
    kept = copy_of(app, mei)
    mei.post("/signout")
    assert token not in kept.get("/join").get_data(as_text=True)


def test_a_cookie_from_before_sessions_counts_only_for_a_learner_who_existed_when_it_was_signed(app, monkeypatch):
    """Cookies issued before this change carried a bare learner id; they are upgraded once, but a
    cookie signed before its id was given to someone else is worthless."""
    sign_up(app.test_client(), username="early")
    db = db_of(app)
    early = db.execute("SELECT id FROM learners WHERE username = 'early'").fetchone()[0]
    serializer = app.session_interface.get_signing_serializer(app)
    good = app.test_client()
    good.set_cookie("session", serializer.dumps({"learner_id": early}))
    assert signed_in_as(good) == "early" and "learner_id" not in cookie_payload(good)
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: 1_000_000_000)  # signed in 2001
    stale = app.test_client()
    stale.set_cookie("session", serializer.dumps({"learner_id": early}))
    monkeypatch.undo()
    assert signed_in_as(stale) is None


def test_migration_keeps_every_row_and_never_reuses_an_id(tmp_path):
    """A database from before the change: learners rebuilt with AUTOINCREMENT, every reference kept."""
    db = connect(tmp_path / "old.sqlite3")
    Migrations.apply(migrations.migrations, db, stop_before="m035_sessions")
    for n in (1, 2, 3):
        db["learners"].insert(
            {
                "id": n,
                "created_at": "2025-01-01T00:00:00",
                "last_seen_at": "2025-01-01T00:00:00",
                "username": f"user{n}",
            }
        )
    db["classes"].insert({"teacher_id": 3, "name": "7B", "code": "ABC123", "created_at": "x"})
    before = {t: db[t].count for t in db.table_names()}
    migrations.apply(db)
    assert "AUTOINCREMENT" in db.execute("SELECT sql FROM sqlite_master WHERE name = 'learners'").fetchone()[0]
    assert {t: db[t].count for t in before if t != "_sqlite_migrations"} == {
        t: c for t, c in before.items() if t != "_sqlite_migrations"
    }
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.execute("DELETE FROM learners WHERE id = 3")
    assert db["learners"].insert({"created_at": "x", "last_seen_at": "x"}).last_pk == 4


def test_stranger_cannot_lock_a_user_out_of_their_own_account(app, monkeypatch):
    """Ten wrong passwords from one address used to lock the name for everyone for 15 minutes."""
    monkeypatch.setitem(app.config, "RATE_LIMITS", True)
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)
    teacher = app.test_client()
    sign_up(teacher, username="teach1")
    teacher.post("/signout")
    stranger = client_from(app, "203.0.113.9")
    for _ in range(12):
        stranger.post("/signin", data={"username": "teach1", "password": "guess guess"})
    refused = stranger.post("/signin", data={"username": "teach1", "password": "correct horse"}, headers=EN)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60
    assert "Wait 15 minutes" in refused.get_data(as_text=True)
    # The owner, from another address, on a new device: still in.
    fresh = client_from(app, "198.51.100.7")
    assert fresh.post("/signin", data={"username": "teach1", "password": "correct horse"}).status_code == 302
    # From many addresses the name slows down for new devices, but a known device still gets in.
    for n in range(60):
        client_from(app, f"203.0.113.{n + 20}").post("/signin", data={"username": "teach1", "password": "guess guess"})
    newcomer = client_from(app, "192.0.2.1")
    assert newcomer.post("/signin", data={"username": "teach1", "password": "correct horse"}).status_code == 429
    assert teacher.post("/signin", data={"username": "teach1", "password": "correct horse"}).status_code == 302


def test_parallel_guesses_cannot_race_past_the_limit(app, monkeypatch):
    """Check and count are one step: 30 guesses at once get at most 10 password checks."""
    monkeypatch.setitem(app.config, "RATE_LIMITS", True)
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)
    sign_up(app.test_client(), username="teach1")
    checked = []
    real = __import__("quizapp.accounts.users", fromlist=["authenticate"]).authenticate

    def counting(*args):
        checked.append(1)
        return real(*args)

    monkeypatch.setattr("quizapp.accounts.users.authenticate", counting)

    def guess():
        client_from(app, "203.0.113.9").post("/signin", data={"username": "teach1", "password": "guess guess"})

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(checked) == 10


def test_anonymous_learners_per_address_are_bounded(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATE_LIMITS", True)
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)
    monkeypatch.setattr("quizapp.accounts.auth.LEARNERS_PER_ADDRESS", 3)
    statuses = [
        app.test_client().post("/banks/sample/quizzes", data={"topic": "", "size": "3"}).status_code for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert db_of(app)["learners"].count == 3


def test_idle_anonymous_learners_are_forgotten_on_start(make_app):
    app = make_app()
    client = app.test_client()
    start(client)  # started a quiz, never answered
    other = app.test_client()
    take(app, other, start(other), [True])
    db = db_of(app)
    db.execute("UPDATE learners SET last_seen_at = '2020-01-01T00:00:00+00:00'")
    make_app()  # a restart
    assert db["learners"].count == 1 and db["attempts"].count == 1


def test_deleting_an_account_removes_its_live_nicknames_answers_and_limit_counters(app):
    host = make_teacher(app, app.test_client())
    session_id = new_game(host)
    mei = app.test_client()
    sign_up(mei)
    join(app, session_id, "Mei-the-player", client=mei)
    db = db_of(app)
    mei_id = db.execute("SELECT id FROM learners WHERE username = 'mei'").fetchone()[0]
    db.execute(
        "INSERT INTO rate_limits (key, window, count) VALUES (?, 1, 1), ('signin-pair:mei|1.2.3.4', 1, 1),"
        " ('answers:999', 1, 1)",
        [f"answers:{mei_id}"],
    )
    mei.post("/account/delete", data={"password": "correct horse"})
    assert db.execute("SELECT count(*) FROM live_players WHERE nickname = 'Mei-the-player'").fetchone()[0] == 0
    assert [r[0] for r in db.execute("SELECT key FROM rate_limits WHERE window = 1")] == ["answers:999"]


def test_a_deleted_teachers_bank_becomes_nobodys_not_everyones(app):
    owner, colleague = make_teacher(app, app.test_client(), "owner"), make_teacher(app, app.test_client(), "other")
    source = (DATA / "sample.yaml").read_text(encoding="utf-8").replace("bank: sample", "bank: mine", 1)
    assert owner.post("/teach/banks/publish", data={"source": source}).status_code == 302
    owner.post("/account/delete", data={"password": "correct horse"})
    assert colleague.get("/teach/banks/mine/edit").status_code == 403
    assert colleague.post("/teach/banks/publish", data={"source": source}).status_code != 302
    assert db_of(app).execute("SELECT count(*) FROM questions WHERE bank_id = 'mine'").fetchone()[0] > 0


def test_full_width_and_capital_spellings_sign_in_and_share_one_counter(app, monkeypatch):
    """ＭＥＩ is stored and looked up as mei, so it cannot open a second allowance of guesses."""
    monkeypatch.setitem(app.config, "RATE_LIMITS", True)
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)
    sign_up(app.test_client())
    assert (
        app.test_client().post("/signin", data={"username": "ＭＥＩ", "password": "correct horse"}).status_code == 302
    )
    guesser = client_from(app, "203.0.113.9")
    for spelling in ["mei", "MEI", "ｍｅｉ", "Mei", "ＭＥＩ"] * 2:
        assert guesser.post("/signin", data={"username": spelling, "password": "guess guess"}).status_code == 200
    assert guesser.post("/signin", data={"username": "ｍｅｉ", "password": "guess guess"}).status_code == 429


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/\u2028/evil.example",
        " //evil.example",
    ],
)
def test_sign_in_never_redirects_off_site(app, target):
    sign_up(app.test_client())
    response = app.test_client().post(
        f"/signin?next={quote(target)}", data={"username": "mei", "password": "correct horse"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_sign_in_still_returns_to_a_page_of_this_site(app):
    sign_up(app.test_client())
    response = app.test_client().post(
        "/signin?next=/progress%3Fx%3D1", data={"username": "mei", "password": "correct horse"}
    )
    assert response.headers["Location"] == "/progress?x=1"


def test_the_known_device_cookie_is_secure_over_https_like_the_session(app):
    client = app.test_client()
    form = {"username": "mei", "password": "correct horse", "confirm": "correct horse"}
    assert client.post("/signup", data=form, base_url="https://localhost").status_code == 302
    known = client.get_cookie("quizapp_known", domain="localhost")
    assert known.secure and known.http_only and known.same_site == "Lax"


@pytest.mark.parametrize(
    ("language", "wait", "back"),
    [("en", "15 minutes", "Back to the sign-in form"), ("zh-CN", "15分钟", None), ("zh-TW", "15 分鐘", None)],
)
def test_the_lockout_page_says_the_real_wait_in_the_readers_language_and_links_back(
    app, monkeypatch, language, wait, back
):
    """Before: zh said 请稍等一分钟 ("wait a minute") for a 15-minute pause, with no way back to the form."""
    monkeypatch.setitem(app.config, "RATE_LIMITS", True)
    monkeypatch.setattr("quizapp.core.ratelimit.clock", lambda: 1_800_000_000.0)
    sign_up(app.test_client(), username="teach1")
    stranger = client_from(app, "203.0.113.9")
    for _ in range(11):
        stranger.post("/signin?next=/teach/", data={"username": "teach1", "password": "guess guess"})
    refused = stranger.post(
        "/signin?next=/teach/", data={"username": "teach1", "password": "guess"}, headers={"Accept-Language": language}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and page.count(wait) == 2, "in the notice and at the password field"
    assert 'href="/signin?next=/teach/"' in page
    if back:
        assert back in page
