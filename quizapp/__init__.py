"""quizapp: a bilingual quiz and flashcard app. `create_app` wires config, extensions and blueprints."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask

from quizapp.core.paths import database_path, load_secret_key, resource_dir

log = logging.getLogger(__name__)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    instance = Path(app.instance_path)
    app.config.from_mapping(
        DATABASE=database_path(instance),
        QUESTIONS_DIR=os.environ.get("QUIZAPP_QUESTIONS") or str(resource_dir("questions")),
        BABEL_TRANSLATION_DIRECTORIES=str(resource_dir("translations")),
        LOAD_BANKS_ON_START=True,
        QUIZ_SIZE=10,
        FSRS_FUZZ=True,  # spread reviews in the app; tests turn it off for exact dates
        MAX_CONTENT_LENGTH=int(os.environ.get("QUIZAPP_MAX_CONTENT_LENGTH", 1024 * 1024)),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("QUIZAPP_SECURE_COOKIES", "") == "1",
        TRUSTED_PROXIES=os.environ.get("QUIZAPP_TRUSTED_PROXIES", ""),  # proxies whose X-Forwarded-* we believe
        BASE_URL=os.environ.get("QUIZAPP_BASE_URL", ""),  # the public address; other Host headers are refused
        PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * 365,
        SESSION_REFRESH_EACH_REQUEST=False,  # a year-long cookie need not be re-signed on every page
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session: a slow student is not punished
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    # Werkzeug's own limit for a form's text fields (500 kB) would cut a pasted bank short of the body limit.
    app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("QUIZAPP_SECRET_KEY") or load_secret_key(instance)

    from quizapp.web import db, errors, i18n, origin, questiontypes, readaloud, security

    origin.init_app(app)
    db.init_app(app)
    i18n.init_app(app)
    readaloud.init_app(app)
    questiontypes.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    from quizapp.accounts import account, auth
    from quizapp.learn import student, study
    from quizapp.live import blueprint as live
    from quizapp.live import hosting, playing  # noqa: F401 (importing them adds their routes to live.bp)
    from quizapp.teach import bankeditor, classpages, guides, importing, resets  # noqa: F401 (importing them adds their routes to teacher.bp)
    from quizapp.teach import blueprint as teacher
    from quizapp.web import health, media

    for blueprint in (health.bp, media.bp, auth.bp, student.bp, study.bp, account.bp, live.bp, teacher.bp):
        app.register_blueprint(blueprint)

    from quizapp.startup import prepare_database

    prepare_database(app)
    return app
