"""Shared fixtures: an app on a temporary database, its client and CLI runner, a signed-in teacher.
Plain helpers are in helpers.py."""

from __future__ import annotations

import pytest

from quizapp import create_app

from .helpers import DATA, make_teacher


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


@pytest.fixture
def teacher(app):
    """A client signed in as a teacher."""
    return make_teacher(app, app.test_client())
