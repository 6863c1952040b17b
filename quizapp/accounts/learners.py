"""Learners: anyone who answers is a learner, tracked from the first answer by a server-side session.

The history lives in SQLite under the learner's id, so a later account can claim it by taking
over that id. Ids are never reused (AUTOINCREMENT), so nothing that named a deleted learner can
ever name a new one.
"""

from __future__ import annotations

from quizapp.core.clock import stamp
from quizapp.core.store import write


def create(db) -> int:
    now = stamp()
    with write(db):
        return db["learners"].insert({"created_at": now, "last_seen_at": now}).last_pk


def touch(db, learner_id: int) -> None:
    with write(db):
        db.execute("UPDATE learners SET last_seen_at = ? WHERE id = ?", [stamp(), learner_id])


def prune_idle(db, before: str) -> int:
    """Forget anonymous learners who did nothing (no answer, no review) and were last seen before
    `before`: made by a visit that started a quiz and left, they would only grow the database."""
    with write(db):
        return db.execute(
            """DELETE FROM learners WHERE username IS NULL AND last_seen_at < ?
                             AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.learner_id = learners.id)
                             AND NOT EXISTS (SELECT 1 FROM review_logs r WHERE r.learner_id = learners.id)""",
            [before],
        ).rowcount
