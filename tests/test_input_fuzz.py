"""Every POST endpoint fed wrong types, missing fields, huge values, unknown ids and replays:
always a clean answer (never a 500), and nothing counted twice."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.core.store import connect

from .helpers import fill_rule, join, make_teacher, new_game, start, step

FIELDS = [
    "answer",
    "position-0",
    "position-1",
    "position-2",
    "rating",
    "reps",
    "shown_at",
    "locale",
    "mode",
    "next",
    "topic",
    "size",
    "username",
    "password",
    "confirm",
    "timezone",
    "direction",
    "bank",
    "scope",
    "desired_retention",
    "new_cards_per_day",
    "text_mode",
    "card_front",
    "card_back",
    "code",
    "nickname",
    "text",
    "title",
    "csrf_token",
]
# Numbers that overflow SQLite's 64-bit integers, Python's int max str digits, or Decimal's
# comparisons (sNaN raises InvalidOperation where NaN merely compares false).
HOSTILE_NUMBERS = [
    "sNaN",
    "-sNaN",
    "NaN",
    "-nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e999",
    "-1e999",
    "1e28",
    str(2**63),
    str(-(2**63) - 1),
    "9" * 40,
    "-" + "9" * 40,
    "9" * 5000,
    "1" + "0" * 4300,
    "0x10",
]
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**12), 10**12).map(str),
    st.just(""),
    st.just("x" * 5000),
    st.sampled_from(
        [
            "0",
            "1",
            "-1",
            "999",
            "true",
            "NaN",
            "1e309",
            "\x00",
            "📚",
            "/",
            "//evil.example",
            "<script>x</script>",
            "=1+1",
        ]
    ),
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers().map(str),
)
FORMS = st.dictionaries(st.sampled_from(FIELDS), st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=8)
OK_STATUSES = {200, 302, 400, 403, 404, 405, 409, 410, 413, 422, 429}  # 410: a used or expired invitation


def post_urls(app, quiz_id: int) -> list[str]:
    """Every POST route with its variables filled by plausible, unknown and hostile values."""
    urls = []
    fill = {
        "bank_id": ["sample", "nope"],
        "quiz_id": [str(quiz_id), "999999"],
        "position": ["1", "99"],
        "card_id": ["term-civil-code", "timeline", "nope"],
    }
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        variants = [rule.rule]
        for name in rule.arguments:
            values = fill.get(name, ["1", "nope"])
            variants = [re.sub(r"<(?:[^:>]+:)?" + name + ">", value, v) for v in variants for value in values]
        urls.extend(variants)
    return urls


@pytest.fixture
def world(make_app):
    app = make_app(RATE_LIMITS=False)
    owner = app.test_client()
    quiz_id = start(owner)
    return app, owner, quiz_id


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_post_endpoints_answer_cleanly(world, data):
    app, owner, quiz_id = world
    stranger = app.test_client()
    urls = post_urls(app, quiz_id)
    url = data.draw(st.sampled_from(urls))
    form = data.draw(FORMS)
    for client in (owner, stranger):
        response = client.post(url, data=form)
        assert response.status_code in OK_STATUSES, (url, form, response.status_code)
    db = connect(app.config["DATABASE"])
    assert (
        db.execute(
            "SELECT count(*) FROM (SELECT quiz_id, quiz_position, count(*) AS n FROM attempts "
            "WHERE quiz_id IS NOT NULL GROUP BY 1, 2 HAVING n > 1)"
        ).fetchone()[0]
        == 0
    )
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_answers_to_another_learners_quiz_are_refused(world):
    app, _owner, quiz_id = world
    stranger = app.test_client()
    assert stranger.post(f"/quizzes/{quiz_id}/1", data={"answer": "0"}).status_code == 404
    assert connect(app.config["DATABASE"])["attempts"].count == 0


TEACHER_FIELDS = ["source", "name", "bank", "due_on", "confirm_answers", "code", "csrf_token", "edit", "upload"]
TEACHER_VALUES = st.one_of(
    VALUES,
    st.sampled_from(
        ["bank: x\n", "bank: sample\ntitle: t\nquestions: []\n", "- [", "{a: *b}", "2030-01-01", "2030-13-45", "y"]
    ),
)


@pytest.fixture
def teaching(make_app):
    app = make_app(RATE_LIMITS=False)
    teacher = make_teacher(app, app.test_client())
    class_id = int(teacher.post("/teach/classes", data={"name": "7B"}).location.rsplit("/", 1)[1])
    return app, teacher, class_id


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_teacher_post_endpoints_answer_cleanly(teaching, data):
    """A teacher's own forms, fed nonsense: a clean status, no half-published bank, no broken row."""
    app, teacher, class_id = teaching
    fill = {"class_id": [str(class_id), "999999"], "assignment_id": ["1", "999999"], "learner_id": ["1", "999999"]}
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and rule.endpoint.startswith("teacher."):
            variants = [rule.rule]
            for name in rule.arguments:
                variants = [
                    re.sub(r"<(?:[^:>]+:)?" + name + ">", value, v) for v in variants for value in fill.get(name, ["1"])
                ]
            urls.extend(variants)
    url = data.draw(st.sampled_from(sorted(urls)))
    form = data.draw(st.dictionaries(st.sampled_from(TEACHER_FIELDS), TEACHER_VALUES, max_size=5))
    response = teacher.post(url, data=form)
    assert response.status_code in OK_STATUSES, (url, form, response.status_code)
    db = connect(app.config["DATABASE"])
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    versions = db.execute("SELECT count(*) FROM bank_versions").fetchone()[0]
    banks = db.execute("SELECT count(*) FROM banks").fetchone()[0]
    assert versions >= banks, "every bank has at least the version that made it"


NUMBER_FIELDS = sorted(
    set(FIELDS + TEACHER_FIELDS)
    | {
        "timer",
        "reading",
        "scoring",
        "position",
        "question",
        "action",
        "choice",
        "current",
        "player_id",
        "order-civil-code-year",
        "order-timeline",
        "position-3",
        "due_on",
    }
)


def test_hostile_numbers_in_every_field_of_every_post_endpoint_answer_cleanly(make_app):
    """Every POST route, as the teacher who can reach them all (and as a live player for the
    player's routes), with every field set to each hostile number: never a 500."""
    app = make_app(RATE_LIMITS=False)
    teacher = make_teacher(app, app.test_client())
    quiz_id = start(teacher)
    session_id = new_game(teacher)
    class_id = int(teacher.post("/teach/classes", data={"name": "7B"}).location.rsplit("/", 1)[1])
    player, token = join(app, session_id, "mei")
    step(teacher, session_id, "start")
    fill = {
        "bank_id": "sample",
        "quiz_id": str(quiz_id),
        "position": "1",
        "card_id": "timeline",
        "session_id": str(session_id),
        "player_id": "1",
        "token": token,
        "class_id": str(class_id),
        "assignment_id": "1",
        "learner_id": "1",
        "invite_token": "nope",
    }
    last = ("signout", "delete")  # they end the teacher's session: keep them for the end
    rules = sorted(
        (r for r in app.url_map.iter_rules() if "POST" in r.methods), key=lambda r: any(word in r.rule for word in last)
    )
    for rule in rules:
        url = fill_rule(rule, fill)
        client = player if "/live/p/" in url else teacher
        for value in HOSTILE_NUMBERS:
            response = client.post(url, data={name: value for name in NUMBER_FIELDS})
            assert response.status_code in OK_STATUSES, (url, value[:20], response.status_code)
    db = connect(app.config["DATABASE"])
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
