"""The database connection for a request, taken from a small per-process pool and given back.

Opening SQLite and setting its pragmas on every request cost more than most of our
queries. A pool (not a thread-local) serves both thread and gevent workers: under
gevent a "thread-local" would be per greenlet, i.e. per request, and never reused.
Teardown rolls back anything a failed request left open before the connection is reused.
"""

from __future__ import annotations

import threading

import sqlite_utils
from flask import current_app, g

from quizapp.core.store import connect

POOL_SIZE = 16  # idle connections kept per database file; more are opened (and closed) under bursts
_pools: dict[str, list[sqlite_utils.Database]] = {}
_lock = threading.Lock()


def get_db() -> sqlite_utils.Database:
    if "db" not in g:
        path = current_app.config["DATABASE"]
        with _lock:
            pool = _pools.setdefault(path, [])
            db = pool.pop() if pool else None
        g.db, g.db_path = db or connect(path), path
    return g.db


def close_db(exc=None) -> None:
    db = g.pop("db", None)
    if db is None:
        return
    if db.conn.in_transaction:
        db.conn.rollback()
    with _lock:
        pool = _pools.setdefault(g.pop("db_path"), [])
        if len(pool) < POOL_SIZE:
            pool.append(db)
            return
    db.conn.close()


def init_app(app) -> None:
    app.teardown_appcontext(close_db)
