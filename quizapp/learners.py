"""Learners: anyone who answers is a learner, tracked from the first visit by a signed cookie.

The cookie holds only the learner's id (Flask signs the session), so the history
lives in SQLite and a later account can claim it by taking over that id.
"""
from __future__ import annotations

from .clock import stamp
from .store import write


def create(db) -> int:
    now = stamp()
    with write(db):
        return db["learners"].insert({"created_at": now, "last_seen_at": now}).last_pk


def exists(db, learner_id) -> bool:
    return isinstance(learner_id, int) and db.execute(
        "SELECT 1 FROM learners WHERE id = ?", [learner_id]).fetchone() is not None


def touch(db, learner_id: int) -> None:
    with write(db):
        db.execute("UPDATE learners SET last_seen_at = ? WHERE id = ?", [stamp(), learner_id])
