"""The baseline: a bare Flask endpoint doing one SQLite insert, served like the app."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from flask import Flask, g

app = Flask(__name__)
DATABASE = os.environ.get("BARE_DATABASE") or str(Path(tempfile.gettempdir()) / "bare-bench.sqlite3")


def db() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE, isolation_level=None, timeout=10)
        g.db.execute("PRAGMA journal_mode = WAL")
        g.db.execute("PRAGMA synchronous = NORMAL")
        g.db.execute("CREATE TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY, at REAL)")
    return g.db


@app.teardown_appcontext
def close(exc=None):
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


@app.get("/ping")
def ping():
    return "ok"


@app.post("/insert")
def insert():
    db().execute("INSERT INTO hits (at) VALUES (julianday('now'))")
    return "ok"
