"""One database connection per request, kept on `g` and closed at teardown."""
from __future__ import annotations

import sqlite_utils
from flask import current_app, g

from .store import connect


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(exc=None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.conn.close()


def init_app(app) -> None:
    app.teardown_appcontext(close_db)
