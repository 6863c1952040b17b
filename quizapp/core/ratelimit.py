"""Fixed-window rate limits kept in SQLite, so every server worker sees the same counts.

Used to slow guessing (passwords, join codes) and floods of answers. No Flask here.
"""

from __future__ import annotations

import time

from quizapp.core.store import write

clock = time.time  # tests freeze this to stay inside one window


def hit(db, key: str, limit: int, window_s: int, now: float | None = None) -> tuple[bool, int]:
    """Count one event for `key`; returns (allowed, seconds until the window resets)."""
    now = clock() if now is None else now
    window = int(now // window_s)
    with write(db):
        row = db.execute("SELECT window, count FROM rate_limits WHERE key = ?", [key]).fetchone()
        count = row[1] + 1 if row and row[0] == window else 1
        db.execute(
            "INSERT INTO rate_limits (key, window, count, window_s) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(key) DO UPDATE SET window = excluded.window, count = excluded.count",
            [key, window, count, window_s],
        )
        if count == 1 and window % 50 == 0:  # now and then, forget windows of this size that are long over
            # (window numbers of other sizes are not comparable: a 5-minute window must not sweep
            # away a 15-minute count, which once let the per-username sign-in limit leak).
            db.execute("DELETE FROM rate_limits WHERE window_s = ? AND window < ?", [window_s, window - 2])
    return count <= limit, int((window + 1) * window_s - now) + 1


def peek(db, key: str, window_s: int, now: float | None = None) -> int:
    """Events counted for `key` in the current window (without counting one more)."""
    now = clock() if now is None else now
    row = db.execute("SELECT window, count FROM rate_limits WHERE key = ?", [key]).fetchone()
    return row[1] if row and row[0] == int(now // window_s) else 0


def forget(db, key: str) -> None:
    """Clear one counter (a right password clears its own wrong tries)."""
    with write(db):
        db.execute("DELETE FROM rate_limits WHERE key = ?", [key])


def forget_rate_limits(db, learner_id: int, username: str | None) -> None:
    """A deleted account leaves no counter behind that names it (keys are `name:<learner id>` or
    `name:<username>[|address]`)."""
    subjects = [str(learner_id)] + ([username.casefold()] if username else [])
    with write(db):
        for subject in subjects:
            db.execute(
                """DELETE FROM rate_limits WHERE substr(key, instr(key, ':') + 1) = ?
                          OR substr(key, instr(key, ':') + 1, ?) = ?""",
                [subject, len(subject) + 1, subject + "|"],
            )
