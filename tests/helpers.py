"""Helpers the tests share (fixtures are in conftest.py): paths, answers, and each role's steps
through the test client. Import them from here, never from another test module."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from quizapp.accounts import users
from quizapp.banks.store import get_question
from quizapp.banks.types import AnswerError, Bar, Grade, QuestionType
from quizapp.banks.types.base import one
from quizapp.core.store import connect

ROOT = Path(__file__).resolve().parent.parent
# The `quizapp` command of this checkout, run from its root: the installed console script may import another
# checkout (a worktree's tests must test the worktree) or none.
QUIZAPP = [sys.executable, "-c", "from quizapp.cli import main; main()"]
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = (DATA / "sample.yaml").read_text(encoding="utf-8")


def db_of(app):
    return connect(app.config["DATABASE"])


def right_answer(question: dict) -> dict:
    """The form a student who knows the answer would send."""
    kind = question["type"]
    if kind == "choice":
        return {"answer": str(next(i for i, c in enumerate(question["choices"]) if c["correct"]))}
    if kind == "multi":
        return {"answer": [str(i) for i, c in enumerate(question["choices"]) if c["correct"]]}
    if kind == "true_false":
        return {"answer": "true" if question["answer"] else "false"}
    if kind == "numeric":
        return {"answer": str(question["answer"])}
    if kind == "text":
        return {"answer": question["answer"]["en"][0]}
    if kind == "cloze":
        return {f"c{blank['n']}": blank["text"]["en"] for blank in question["blanks"]}
    return {f"position-{i}": str(i + 1) for i in range(len(question["choices"]))}


def wrong_answer(question: dict) -> dict:
    kind = question["type"]
    if kind in ("choice", "multi"):
        return {"answer": str(next(i for i, c in enumerate(question["choices"]) if not c["correct"]))}
    if kind == "true_false":
        return {"answer": "false" if question["answer"] else "true"}
    if kind == "numeric":
        return {"answer": str(question["answer"] + question.get("tolerance", 0) + 1)}
    if kind == "text":
        return {"answer": "certainly not this"}
    if kind == "cloze":
        return {f"c{blank['n']}": "certainly not this" for blank in question["blanks"]}
    n = len(question["choices"])
    return {f"position-{i}": str(n - i) for i in range(n)}


def fill_rule(rule, values: dict | None = None) -> str:
    """A concrete URL for a route: given values first, else one each converter accepts."""
    from werkzeug.routing.converters import AnyConverter, IntegerConverter

    filled = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if values and name in values:
            filled[name] = values[name]
        elif isinstance(converter, IntegerConverter):
            filled[name] = "1"
        elif isinstance(converter, AnyConverter):
            filled[name] = sorted(converter.items)[0]
        else:
            filled[name] = "sample"
    return re.sub(r"<(?:[^:>]+(?:\([^)]*\))?:)?([^>]+)>", lambda m: str(filled[m.group(1)]), rule.rule)


# Accounts ------------------------------------------------------------------------------------


def sign_up(client, username="mei", password="correct horse", **extra):
    return client.post(
        "/signup",
        data={"username": username, "password": password, "confirm": password, "timezone": "Asia/Shanghai", **extra},
    )


def make_teacher(app, client, username="teacher"):
    assert sign_up(client, username=username).status_code == 302
    db = connect(app.config["DATABASE"])
    users.promote_to_teacher(db, users.id_for(db, username))
    db.conn.close()
    return client


def run_cli(app, *args: str, input: str | None = None):
    """The `quizapp` command line against this app's database."""
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from quizapp.cli import cli

    return CliRunner().invoke(cli, list(args), input=input, obj=ScriptInfo(create_app=lambda: app))


# Quizzes and flashcards ----------------------------------------------------------------------


def start(client, bank="sample", **form):
    response = client.post(f"/banks/{bank}/quizzes", data={"topic": "", "size": "10", **form})
    assert response.status_code == 302
    return int(re.search(r"/quizzes/(\d+)/1$", response.location).group(1))


def quiz_question(app, quiz_id, position):
    db = connect(app.config["DATABASE"])
    row = db.execute(
        "SELECT bank_id, question_id FROM quiz_items WHERE quiz_id = ? AND position = ?", [quiz_id, position]
    ).fetchone()
    question = get_question(db, *row)
    db.conn.close()
    return question


def take(app, client, quiz_id, answers):
    """Answer each position right (True) or wrong (False)."""
    for position, right in enumerate(answers, start=1):
        question = quiz_question(app, quiz_id, position)
        assert client.get(f"/quizzes/{quiz_id}/{position}").status_code == 200
        form = right_answer(question) if right else wrong_answer(question)
        assert client.post(f"/quizzes/{quiz_id}/{position}", data=form).status_code == 302


def study_once(client, rating="3", lang="en"):
    response = client.get("/study/next", headers={"Accept-Language": lang})
    assert response.status_code == 302
    card_url = response.location
    page = client.get(card_url, headers={"Accept-Language": lang}).get_data(as_text=True)
    reps = re.search(r'name="reps" value="(\d+)"', page).group(1)
    shown = re.search(r'name="shown_at" value="([^"]+)"', page).group(1)
    client.post(card_url.split("?")[0], data={"rating": rating, "reps": reps, "shown_at": shown})
    return card_url, page


# Teaching ------------------------------------------------------------------------------------


def mine(text: str = SAMPLE, bank_id: str = "mine") -> str:
    return text.replace("bank: sample", f"bank: {bank_id}", 1)


def publish(client, text: str, **extra):
    return client.post("/teach/banks/publish", data={"source": text, **extra})


def new_class(client, name="Class 7B") -> tuple[int, str]:
    response = client.post("/teach/classes", data={"name": name})
    class_id = int(response.location.rsplit("/", 1)[1])
    page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    return class_id, re.search(r'class-code big">(\w+)<', page).group(1)


def student_in(app, code: str, username: str = "mei"):
    client = app.test_client()
    sign_up(client, username=username)
    assert client.post("/classes/join", data={"code": code}).status_code == 302
    return client


def invitation_path(teacher) -> str:
    page = teacher.post("/teach/invites").get_data(as_text=True)
    return re.search(r'value="http://localhost(/invite/[^"]+)"', page).group(1)


# Live games ----------------------------------------------------------------------------------

QUESTIONS = ["civil-code-year", "civil-code-first-time", "crimes-covered"]


def new_game(client, questions=QUESTIONS, **settings) -> int:
    form = {
        "bank": "sample",
        "topic": "",
        "timer": "20",
        "reading": "0",
        "scoring": "speed",
        "text_mode": "both",
        "question": questions,
        **{f"order-{q}": str(n) for n, q in enumerate(questions, 1)},
    }
    form.update(settings)
    response = client.post("/live/new", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/live/(\d+)$", response.location).group(1))


def game_row(app, session_id) -> dict:
    db = connect(app.config["DATABASE"])
    row = next(db.query("SELECT * FROM live_sessions WHERE id = ?", [session_id]))
    db.conn.close()
    return row


def join(app, session_id, nickname, client=None, **headers):
    client = client or app.test_client()
    response = client.post(
        "/join", data={"code": game_row(app, session_id)["code"], "nickname": nickname}, headers=headers
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client, response.location.rsplit("/", 1)[1]


def step(client, session_id, action, **extra):
    return client.post(f"/live/{session_id}/step", data={"action": action, **extra})


def answer(client, token, position, headers=None, **form):
    """A player's answer to the live question at `position`, sent as live.js sends it."""
    return client.post(
        f"/live/p/{token}/answer",
        data={"position": str(position), **form},
        headers={"Accept": "application/json", **(headers or {})},
    )


def state(client, token) -> dict:
    return json.loads(client.get(f"/live/p/{token}/state").get_data(as_text=True))


# A toy question type -------------------------------------------------------------------------
# Defined here and in a template folder the tests write, nowhere in quizapp: adding a type is one
# class and one template folder (test_new_question_type.py, browser/test_new_type_flow.py).

TOY_OPTIONS = ("yes", "no", "maybe")


class YesNoMaybe(QuestionType):
    """Yes, no or maybe: the bank says which one is right."""

    name = "yes-no-maybe"
    fields = {"answer": {"enum": list(TOY_OPTIONS)}}
    required = ("answer",)

    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        found = fields.get("answer")
        if found is None or found.value not in TOY_OPTIONS:
            check.add(found or fields["prompt"], f"{path}.answer", "a yes-no-maybe question needs yes, no or maybe")
        else:
            q["answer"] = found.value

    @classmethod
    def parse(cls, question, form):
        given = one(form, "answer")
        if given not in TOY_OPTIONS:
            raise AnswerError("Answer yes, no or maybe.")
        return given

    @classmethod
    def grade(cls, question, answer):
        return Grade(1.0 if answer == question["answer"] else 0.0)

    @classmethod
    def describe(cls, question, answer, lang, gettext):
        return f"«{answer}»"

    @classmethod
    def distribution(cls, question, order, answers):
        return [Bar(sum(given == o for given, _s in answers), o == question["answer"], message=o) for o in TOY_OPTIONS]


TOY_TEMPLATES = {
    "question": """<fieldset class="toy-question">{% for o in ('yes', 'no', 'maybe') %}
<label class="option"><input type="radio" name="answer" value="{{ o }}" required> {{ o }}</label>{% endfor %}</fieldset>""",
    "live": """<div class="big-buttons">{% for o in ('yes', 'no', 'maybe') %}
<button type="submit" name="answer" value="{{ o }}" class="big-choice toy-live">{{ o }}</button>{% endfor %}</div>""",
    "projector": """<p class="toy-projector">yes · no · maybe</p>""",
    "given": """<span class="toy-given">{{ attempt.answer }}</span>""",
    "expected": """<span class="toy-expected">{{ q.answer }}</span>""",
}

TOY_BANK = """bank: toy
title: {en: Toy bank, zh: 玩具题库}
questions:
  - id: sky-blue
    type: yes-no-maybe
    prompt: {en: Is the sky blue?, zh: 天是蓝的吗？}
    answer: "yes"
    explanation: {en: On a clear day., zh: 晴天时是。}
    source: "The sky is blue."
  - id: rain-tomorrow
    type: yes-no-maybe
    prompt: {en: Will it rain tomorrow?, zh: 明天会下雨吗？}
    answer: "maybe"
    explanation: {en: Nobody knows., zh: 没人知道。}
    source: "It may rain."
"""


def install_toy_type(app, monkeypatch, folder: Path):
    """Register the toy type for one test and put its templates (written under `folder`) on the app's loader."""
    from jinja2 import ChoiceLoader, FileSystemLoader

    from quizapp.banks.types import QUESTION_TYPES

    monkeypatch.setitem(QUESTION_TYPES, YesNoMaybe.name, YesNoMaybe)
    types = folder / "types" / YesNoMaybe.name
    types.mkdir(parents=True, exist_ok=True)
    for part, text in TOY_TEMPLATES.items():
        (types / f"{part}.html").write_text(text, encoding="utf-8")
    app.jinja_loader = ChoiceLoader([FileSystemLoader(str(folder)), app.jinja_loader])
    return app
