"""The database connection for a request: one per worker thread and database file, reused.

Opening SQLite and setting its pragmas on every request cost more than most of our
queries; a thread serves one request at a time, so its connection can be kept.
Teardown rolls back anything a failed request left open.
"""
from __future__ import annotations

import threading

import sqlite_utils
from flask import current_app, g

from .store import connect

_local = threading.local()


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        path = current_app.config["DATABASE"]
        pool = _local.__dict__.setdefault("connections", {})
        if path not in pool:
            pool[path] = connect(path)
        g.db = pool[path]
    return g.db


def close_db(exc=None) -> None:
    db = g.pop("db", None)
    if db is not None and db.conn.in_transaction:
        db.conn.rollback()


def init_app(app) -> None:
    app.teardown_appcontext(close_db)
