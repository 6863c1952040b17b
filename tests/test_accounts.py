"""Accounts: sign up and in, claiming the anonymous history, settings, export and deletion."""

from __future__ import annotations

import json
import re

import pytest

from .helpers import db_of, invitation_path, run_cli, sign_up, start, take


def test_sign_up_hashes_the_password_and_signs_in(app, client):
    response = sign_up(client)
    assert response.status_code == 302
    row = next(db_of(app).query("SELECT username, password_hash, timezone, role FROM learners"))
    assert row["username"] == "mei" and row["role"] == "student" and row["timezone"] == "Asia/Shanghai"
    assert "correct horse" not in row["password_hash"] and row["password_hash"].startswith(("scrypt:", "pbkdf2:"))
    assert "Sign out (mei)" in client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_sign_up_errors_are_specific_and_in_the_readers_language(client):
    sign_up(client)
    other = client.application.test_client()
    page = sign_up(other, password="short", headers=None).get_data(as_text=True)
    assert "Use a password of at least 8 characters." in page
    page = other.post(
        "/signup",
        data={"username": "MEI", "password": "long enough", "confirm": "long enough"},
        headers={"Accept-Language": "zh"},
    ).get_data(as_text=True)
    assert "用户名已被占用" in page
    page = other.post(
        "/signup",
        data={"username": "x y", "password": "long enough", "confirm": "different!"},
        headers={"Accept-Language": "en"},
    ).get_data(as_text=True)
    assert "The two passwords differ." in page


def test_sign_up_claims_the_anonymous_history_without_copying_it(app, client):
    quiz_id = start(client)
    take(app, client, quiz_id, [True, False])
    before = db_of(app).execute("SELECT learner_id, count(*) FROM attempts").fetchone()
    sign_up(client)
    db = db_of(app)
    account = db.execute("SELECT id FROM learners WHERE username = 'mei'").fetchone()[0]
    assert before == (account, 2)  # the same learner row became the account
    assert db.execute("SELECT count(*) FROM attempts WHERE learner_id = ?", [account]).fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM review_logs WHERE learner_id = ?", [account]).fetchone()[0] == 2


def test_sign_in_offers_the_browsers_earlier_answers_and_merges_them_once_on_yes(app, client):
    sign_up(client)
    client.post("/signout")
    phone = app.test_client()
    quiz_id = start(phone)
    take(app, phone, quiz_id, [True, True, True])
    response = phone.post("/signin?next=/progress", data={"username": "Mei", "password": "correct horse"})
    assert response.status_code == 302 and "/signin/earlier-answers" in response.headers["Location"]
    db = db_of(app)
    account = db.execute("SELECT id FROM learners WHERE username = 'mei'").fetchone()[0]
    assert db.execute("SELECT count(*) FROM attempts WHERE learner_id = ?", [account]).fetchone()[0] == 0
    page = phone.get(response.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This browser has 3 answers and 0 flashcard reviews from before you signed in." in page
    response = phone.post(response.headers["Location"], data={"choice": "merge"})
    assert response.headers["Location"] == "/progress"
    assert db.execute("SELECT count(*) FROM attempts").fetchone()[0] == 3
    assert db.execute("SELECT count(DISTINCT learner_id) FROM attempts").fetchone()[0] == 1
    assert db.execute("SELECT learner_id FROM attempts LIMIT 1").fetchone()[0] == account
    assert db.execute("SELECT count(*) FROM learners").fetchone()[0] == 1  # the anonymous row is gone
    page = phone.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert re.search(r'class="answered">3<', page)
    # Signing in again later offers and moves nothing twice.
    response = phone.post("/signin", data={"username": "mei", "password": "correct horse"})
    assert "earlier-answers" not in response.headers["Location"]
    assert db.execute("SELECT count(*) FROM attempts").fetchone()[0] == 3


def test_wrong_password_is_refused(client):
    sign_up(client)
    client.post("/signout")
    page = client.post("/signin", data={"username": "mei", "password": "nope nope"}).get_data(as_text=True)
    assert "Wrong username or password." in page
    page = client.post("/signin", data={"username": "nobody", "password": "nope nope"}).get_data(as_text=True)
    assert "Wrong username or password." in page


def test_settings_are_saved_and_validated(app, client):
    sign_up(client)
    form = {
        "locale": "zh",
        "text_mode": "both",
        "desired_retention": "0.85",
        "new_cards_per_day": "5",
        "timezone": "Europe/London",
    }
    assert client.post("/account/settings", data=form).status_code == 302
    row = next(db_of(app).query("SELECT * FROM learners"))
    assert (
        row["locale"],
        row["text_mode"],
        row["desired_retention"],
        row["new_cards_per_day"],
        row["timezone"],
    ) == ("zh", "both", 0.85, 5, "Europe/London")
    page = client.post("/account/settings", data={**form, "desired_retention": "2", "timezone": "Mars/Base"}).get_data(
        as_text=True
    )
    assert "0.70" in page and "Asia/Shanghai" in page and 'aria-invalid="true"' in page


SETTINGS_IN_EFFECT = {
    "locale": "zh",  # from Accept-Language, never chosen
    "text_mode": "zh",  # follows the interface language
    "desired_retention": "0.90",
    "new_cards_per_day": "20",
    "timezone": "Asia/Shanghai",
}
ONE_CHANGE = {
    "locale": "zh_Hant",
    "text_mode": "both",
    "desired_retention": "0.80",
    "new_cards_per_day": "7",
    "timezone": "Europe/London",
}


def test_settings_show_the_language_in_effect_from_the_browser(client):
    sign_up(client)
    page = client.get("/account/settings", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert re.search(r'<option selected value="zh">|<option value="zh" selected>', page), "Chinese is in effect"
    assert '<option selected value="en">English' not in page and '<option value="en" selected>' not in page
    assert 'lang="zh-Hans"' in page


@pytest.mark.parametrize("changed", sorted(ONE_CHANGE))
def test_saving_one_setting_changes_that_one_only(app, client, changed):
    sign_up(client)
    zh = {"Accept-Language": "zh-CN,zh;q=0.9"}
    before = next(db_of(app).query("SELECT * FROM learners"))
    form = {**SETTINGS_IN_EFFECT, changed: ONE_CHANGE[changed]}
    assert client.post("/account/settings", data=form, headers=zh).status_code == 302
    after = next(db_of(app).query("SELECT * FROM learners"))
    differs = {key for key in ONE_CHANGE if after[key] != before[key]}
    assert differs == {changed}
    page = client.get("/account/settings", headers=zh).get_data(as_text=True)
    expected_lang = "zh-Hant" if changed == "locale" else "zh-Hans"
    assert f'<html lang="{expected_lang}">' in page, "the interface language stays unless it was the change"
    with client.session_transaction() as cookie:
        assert ("locale" in cookie) == (changed == "locale") and ("text_mode" in cookie) == (changed == "text_mode")


def test_export_has_all_my_data_and_nobody_elses(app, client):
    sign_up(client)
    quiz_id = start(client)
    take(app, client, quiz_id, [True])
    other = app.test_client()
    take(app, other, start(other), [False])
    response = client.get("/account/export.json")
    data = json.loads(response.get_data(as_text=True))
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert data["learner"]["username"] == "mei" and "password_hash" not in data["learner"]
    assert len(data["attempts"]) == 1 and data["attempts"][0]["correct"] == 1
    assert len(data["review_logs"]) == 1 and len(data["card_states"]) == 1
    assert app.test_client().get("/account/export.json").status_code == 302  # anonymous: sign in first


def test_delete_account_needs_the_password_and_removes_everything(app, client):
    sign_up(client)
    take(app, client, start(client), [True, False])
    client.post("/account/delete", data={"password": "wrong password"})
    assert db_of(app)["learners"].count == 1
    client.post("/account/delete", data={"password": "correct horse"})
    db = db_of(app)
    for table in ("learners", "attempts", "quizzes", "quiz_items", "card_states", "review_logs"):
        assert db[table].count == 0, table


def test_language_choice_follows_the_account_to_another_device(app, client):
    sign_up(client)
    client.post("/settings/language", data={"locale": "zh", "next": "/"})
    laptop = app.test_client()
    laptop.post("/signin", data={"username": "mei", "password": "correct horse"})
    assert '<html lang="zh-Hans">' in laptop.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_session_is_renewed_on_sign_in(app, client):
    sign_up(client)
    before = client.get_cookie("session").value
    client.post("/signout")
    client.post("/signin", data={"username": "mei", "password": "correct horse"})
    assert client.get_cookie("session").value != before


def test_two_character_chinese_usernames_are_accepted_everywhere_a_username_is_made(app, teacher):
    assert sign_up(app.test_client(), username="李雷").status_code == 302
    invited = app.test_client().post(
        invitation_path(teacher), data={"username": "韩梅", "password": "long enough", "confirm": "long enough"}
    )
    assert invited.status_code == 302
    made = run_cli(app, "users", "create-teacher", "王芳", "--password", "long enough")
    assert made.exit_code == 0, made.output
    names = {row[0] for row in db_of(app).execute("SELECT username FROM learners").fetchall()}
    assert {"李雷", "韩梅", "王芳"} <= names


@pytest.mark.parametrize("name", ["李", "ab", "x" * 33, "y" * 101])
def test_a_refused_username_gets_our_rule_in_the_readers_language(app, teacher, name):
    """Before: WTForms' generic 字段长度… (field length) instead of what a username may be."""
    zh = {"Accept-Language": "zh-CN"}
    rule_zh = "请使用 3 到 32 个字母、数字、点、连字符或下划线（中文、日文或韩文 2 个字即可）。"
    form = {"username": name, "password": "long enough", "confirm": "long enough"}
    for path in ("/signup", invitation_path(teacher)):
        page = app.test_client().post(path, data=form, headers=zh).get_data(as_text=True)
        assert f'<p class="field-error" id="username-error">{rule_zh}</p>' in page, path
        assert "字段长度" not in page
    signin = app.test_client().post("/signin", data={"username": name, "password": "long enough"}, headers=zh)
    assert "字段长度" not in signin.get_data(as_text=True) and "用户名或密码错误" in signin.get_data(as_text=True)
    made = run_cli(app, "users", "create-teacher", name, "--password", "long enough")
    assert made.exit_code != 0 and "Use 3 to 32 letters" in made.output


def test_sign_up_says_the_username_rule_before_anyone_gets_it_wrong(client):
    page = client.get("/signup", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "中文、日文或韩文 2 个字即可" in page
