"""Shared fixtures: an app on a temporary database, its client, and a quiz-taking helper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp import create_app

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def make_app(tmp_path):
    """Build an app on tmp_path's database; call again for a 'restarted' server on the same file."""

    def factory(**overrides):
        config = {
            "TESTING": True,
            "DATABASE": str(tmp_path / "quizapp.sqlite3"),
            "QUESTIONS_DIR": str(DATA),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
        }
        config.update(overrides)
        return create_app(config)

    return factory


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def question_type(html: str) -> str:
    return re.search(r'data-question-type="(\w+)"', html).group(1)


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
