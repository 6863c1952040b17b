"""Issue 11, input validation of names and numbers on pages: look-alike usernames, invisible and
direction-changing characters in usernames, nicknames and class names, formula cells in CSV,
hostile numbers in forms and non-finite numbers in export.json."""

from __future__ import annotations

import json

import pytest

from quizapp.core import migrations
from quizapp.core.csvexport import to_csv
from quizapp.core.store import connect, write
from quizapp.core.textsafety import username_key, username_problem
from quizapp.live.game import GameError, clean_nickname

from .helpers import (
    db_of,
    invitation_path,
    join,
    make_teacher,
    mine,
    new_class,
    new_game,
    publish,
    quiz_question,
    sign_up,
    start,
    student_in,
)

CYRILLIC_E = "\u0435"
HIDDEN = ["\u202e", "\u202a", "\u2066", "\u2069", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3164"]


def usernames(app) -> list[str]:
    return [r[0] for r in db_of(app).execute("SELECT username FROM learners WHERE username IS NOT NULL ORDER BY id")]


def refused(app, username: str, lang: str = "en") -> str:
    page = app.test_client().post(
        "/signup",
        data={"username": username, "password": "long enough", "confirm": "long enough"},
        headers={"Accept-Language": lang},
    )
    assert page.status_code == 200, "sign-up is refused with the form shown again"
    return page.get_data(as_text=True)


# Look-alike usernames ---------------------------------------------------------------------------


def test_a_username_with_a_cyrillic_letter_cannot_pass_for_a_latin_one(app):
    assert sign_up(app.test_client(), username="teach1").status_code == 302
    page = refused(app, f"t{CYRILLIC_E}ach1")
    assert "Write a username in one script" in page
    assert usernames(app) == ["teach1"]


@pytest.mark.parametrize(
    "lookalike, message",
    [
        ("TEACH1", "That username is taken."),
        ("ｔｅａｃｈ１", "That username is taken."),
        ("teachl", "looks too much like one that is taken"),
        ("TEACHl", "looks too much like one that is taken"),
        ("teach1\n", "That username is taken."),
    ],
)
def test_case_width_and_digit_lookalikes_of_a_username_are_refused(app, lookalike, message):
    assert sign_up(app.test_client(), username="teach1").status_code == 302
    assert message in refused(app, lookalike)
    assert usernames(app) == ["teach1"]


def test_an_all_cyrillic_name_that_looks_latin_is_refused_beside_the_latin_one(app):
    assert sign_up(app.test_client(), username="ape").status_code == 302
    assert "looks too much like one that is taken" in refused(app, "\u0430\u0440\u0435")  # а р е
    assert sign_up(app.test_client(), username="Иван").status_code == 302, "Cyrillic names are welcome"


@pytest.mark.parametrize("name", ["李雷", "韩梅梅", "山田たろう", "김철수", "mei.li", "Gödel_2", "Иван"])
def test_real_names_in_every_script_are_welcome_and_two_chinese_characters_are_enough(app, name):
    client = app.test_client()
    assert sign_up(client, username=name).status_code == 302
    assert usernames(app) == [name]
    client.post("/signout")
    assert client.post("/signin", data={"username": name, "password": "correct horse"}).status_code == 302


@pytest.mark.parametrize("name", ["李", "ab", "a b c", "...", "x" * 33, "ᚠᚢᚦ", "teach<1>"])
def test_names_too_short_long_or_of_other_characters_are_refused(app, name):
    assert "Use 3 to 32 letters" in refused(app, name) or "cannot be used in a username" in refused(app, name)
    assert usernames(app) == []


@pytest.mark.parametrize("char", HIDDEN)
def test_invisible_and_direction_characters_are_refused_in_usernames(app, char):
    for name in (f"teach{char}1", f"{char}teach1", f"teach1{char}"):
        assert "A username cannot contain invisible or text-direction characters." in refused(app, name)
    assert usernames(app) == []


def test_an_invitation_refuses_a_lookalike_and_stays_unused(app, teacher):  # the teacher is "teacher"
    path = invitation_path(teacher)
    colleague = app.test_client()
    page = colleague.post(
        path, data={"username": f"t{CYRILLIC_E}acher", "password": "long enough", "confirm": "long enough"}
    ).get_data(as_text=True)
    assert "Write a username in one script" in page
    assert db_of(app).execute("SELECT count(*) FROM teacher_invites WHERE used_at IS NULL").fetchone()[0] == 1
    assert (
        colleague.post(
            path, data={"username": "王老师", "password": "long enough", "confirm": "long enough"}
        ).status_code
        == 302
    )
    assert usernames(app) == ["teacher", "王老师"]


def test_create_teacher_refuses_a_lookalike(app):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from quizapp.cli import cli

    sign_up(app.test_client(), username="teach1")
    result = CliRunner().invoke(
        cli,
        ["users", "create-teacher", "teachl"],
        input="a long password\na long password\n",
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 1 and "looks too much like one that is taken" in result.output


def test_the_migration_keys_existing_names_and_keeps_lookalikes_made_before(tmp_path):
    """Accounts made before the rule keep working; the oldest owns the key, and sign-up refuses
    any further look-alike."""
    db = connect(str(tmp_path / "old.sqlite3"))
    db.execute("PRAGMA foreign_keys = OFF")
    with write(db):
        migrations.migrations.apply(db, stop_before="m045_username_keys")
    db.execute("PRAGMA foreign_keys = ON")
    with write(db):
        for name in ("teach1", "teachl", f"t{CYRILLIC_E}ach1", "mei"):
            db["learners"].insert({"username": name, "created_at": "2026-01-01", "last_seen_at": "2026-01-01"})
    migrations.apply(db)
    keys = [tuple(r) for r in db.execute("SELECT username, username_key FROM learners ORDER BY id")]
    assert keys == [("teach1", "teachl"), ("teachl", None), (f"t{CYRILLIC_E}ach1", None), ("mei", "mei")]
    from quizapp.accounts.users import sign_up as make_account
    from quizapp.core.messages import UserError

    with pytest.raises(UserError, match="taken"):
        make_account(db, "TEACH1", "long enough", None)


def test_username_rules_directly():
    assert username_problem("李雷") is None and username_problem("李") is not None
    assert username_key("ТЕАСН1") == username_key("teach1"), "Cyrillic capitals that look Latin fold too"
    assert username_key("rnei") == username_key("mei")


def test_codes_and_ids_are_matched_whole_and_ascii():
    from quizapp.live.game import clean_code

    assert clean_code("123456\n") == "123456", "spaces around a typed code are forgiven"
    assert clean_code("١٢٣٤٥٦") is None and clean_code("123456\u200b") is None


# Names others see: nicknames and class names ----------------------------------------------------


@pytest.mark.parametrize("char", HIDDEN)
def test_nicknames_drop_invisible_and_direction_characters(char):
    assert clean_nickname(f"{char}M{char}ei{char}") == "Mei"
    with pytest.raises(GameError):
        clean_nickname(char * 3)


def test_a_reversed_nickname_reaches_the_projector_as_plain_text(app, teacher):
    session_id = new_game(teacher)
    join(app, session_id, "\u202eiem\u2066")
    names = [r[0] for r in db_of(app).execute("SELECT nickname FROM live_players")]
    assert names == ["iem"]


@pytest.mark.parametrize("char", HIDDEN)
def test_class_names_drop_invisible_and_direction_characters(app, teacher, char):
    teacher.post("/teach/classes", data={"name": f"7B{char} maths"})
    teacher.post("/teach/classes", data={"name": char * 3})
    assert [r[0] for r in db_of(app).execute("SELECT name FROM classes")] == ["7B maths"]


def test_a_class_name_of_invisible_characters_only_gets_a_message(app, teacher):
    response = teacher.post("/teach/classes", data={"name": "\u200b\u202e"}, follow_redirects=True)
    assert "Please give the class a name." in response.get_data(as_text=True)


# CSV cells ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(A1)",
        "﹦1",
        "\u200b=1",
        "\u202e+1",
        "\u2066-1",
        "\ufeff@SUM(A1)",
        "\u200d=1",
        " =1",
        "\u3000=1",
        "\t=1",
        "\r=1",
        "\n=1",
    ],
)
def test_csv_neutralises_disguised_formulas(value):
    body = to_csv(["h"], [[value]]).decode("utf-8-sig")
    assert body.split("\r\n", 1)[1].lstrip('"').startswith("'"), body


def test_csv_leaves_ordinary_text_and_numbers_alone():
    assert to_csv(["h"], [["a=b"], ["李雷"], [-1.5]]).decode("utf-8-sig").split("\r\n")[1:4] == ["a=b", "李雷", "-1.5"]


def test_a_full_width_formula_in_a_bank_title_is_neutralised_in_the_class_csv(app, teacher):
    publish(teacher, mine().replace("title: {en: Sample bank, zh: 示例题库}", 'title: {en: "＝HYPERLINK(1)", zh: 甲}'))
    class_id, code = new_class(teacher)
    teacher.post(f"/teach/classes/{class_id}/assignments", data={"bank": "mine"})
    student_in(app, code, "mei")
    rows = teacher.get(f"/teach/classes/{class_id}/students.csv").get_data().decode("utf-8-sig").splitlines()
    assert rows[1].startswith("mei,'＝HYPERLINK(1),")


# Hostile numbers in forms and in the export ---------------------------------------------------


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "-Infinity", "1e999", "9" * 5000, str(2**63)])
def test_settings_refuse_hostile_numbers_with_the_fields_message_and_change_nothing(app, value):
    client = app.test_client()
    sign_up(client)
    before = next(db_of(app).query("SELECT desired_retention, new_cards_per_day FROM learners"))
    page = client.post(
        "/account/settings",
        data={
            "locale": "en",
            "text_mode": "both",
            "card_front": "",
            "card_back": "",
            "desired_retention": value,
            "new_cards_per_day": value,
            "timezone": "UTC",
        },
        headers={"Accept-Language": "en"},
    )
    text = page.get_data(as_text=True)
    assert page.status_code in (200, 422), page.status_code
    assert "Choose a retention between 0.70 and 0.99." in text
    assert "Choose between 0 and 500 new cards a day." in text or "Not a valid integer value." in text
    assert next(db_of(app).query("SELECT desired_retention, new_cards_per_day FROM learners")) == before


def test_a_hostile_number_gets_the_message_in_the_readers_language(app):
    client = app.test_client()
    sign_up(client)
    page = client.post(
        "/account/settings",
        data={
            "locale": "zh",
            "text_mode": "both",
            "card_front": "",
            "card_back": "",
            "desired_retention": "sNaN",
            "new_cards_per_day": "5",
            "timezone": "UTC",
        },
        headers={"Accept-Language": "zh"},
    ).get_data(as_text=True)
    assert "请选择 0.70 到 0.99 之间的记忆保持率。" in page


@pytest.mark.parametrize("value", ["sNaN", "Infinity", str(2**63), "-" + "9" * 40])
def test_a_live_game_with_hostile_timer_numbers_is_refused_with_a_message(app, value):
    host = make_teacher(app, app.test_client())
    response = host.post(
        "/live/new",
        data={
            "bank": "sample",
            "topic": "",
            "timer": value,
            "reading": value,
            "scoring": "speed",
            "text_mode": "both",
            "question": ["timeline"],
        },
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose between 0 and 600 seconds." in text
    assert db_of(app).execute("SELECT count(*) FROM live_sessions").fetchone()[0] == 0


def test_typed_numbers_never_become_infinity_in_export_json(app, client):
    sign_up(client)
    quiz_id = start(client, topic="prosecution")
    assert quiz_question(app, quiz_id, 1)["type"] == "numeric"
    assert client.post(f"/quizzes/{quiz_id}/1", data={"answer": "9" * 400}).status_code == 302
    db = db_of(app)  # and an answer stored before the bound (as an old version wrote it)
    db.execute(
        "UPDATE attempts SET answer = ? WHERE id = (SELECT min(id) FROM attempts)",
        ['{"text": "1e400", "value": Infinity}'],
    )
    db.conn.commit()
    body = client.get("/account/export.json").get_data(as_text=True)

    def refuse(constant):
        raise AssertionError(f"{constant} in export.json")

    data = json.loads(body, parse_constant=refuse)
    assert data["attempts"][0]["answer"] == {"text": "1e400", "value": None}
