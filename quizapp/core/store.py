"""Opening the SQLite file and writing to it: WAL, busy_timeout, foreign keys, BEGIN IMMEDIATE.

No Flask here, so the command line, the app and the benchmarks share it; db.py
binds it to the request.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open the database the way every part of the app needs it.

    isolation_level=None: no implicit transactions, so reads never hold a lock and
    every write happens inside an explicit `write()` block.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL survives an app crash; fsync on checkpoint
    conn.execute("PRAGMA foreign_keys = ON")
    return sqlite_utils.Database(conn)


@contextmanager
def write(db: sqlite_utils.Database):
    """A write transaction taken with BEGIN IMMEDIATE: writers queue on busy_timeout
    up front instead of failing with "database is locked" when a read upgrades to a write.
    Nested use becomes a savepoint."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
