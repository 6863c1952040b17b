"""One-time links that make a teacher account: a teacher invites a colleague without the command line.

Only a hash of each token is stored, so a copy of the database cannot be used to become a
teacher; a token works once, within a week. No Flask here.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from quizapp.accounts import users
from quizapp.core.clock import stamp
from quizapp.core.messages import N_, UserError
from quizapp.core.store import write

LIFETIME = timedelta(days=7)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(db, teacher_id: int, now: datetime) -> str:
    """A new invitation; the token is returned once and never stored."""
    token = secrets.token_urlsafe(24)
    with write(db):
        db["teacher_invites"].insert(
            {
                "token_hash": _digest(token),
                "created_by": teacher_id,
                "created_at": stamp(now),
                "expires_at": stamp(now + LIFETIME),
            }
        )
    return token


def find(db, token: str, now: datetime) -> dict | None:
    """The invitation if it is still unused and unexpired."""
    if not isinstance(token, str) or len(token) > 100:
        return None
    return next(
        db.query(
            """SELECT i.*, l.username AS inviter FROM teacher_invites i
                            LEFT JOIN learners l ON l.id = i.created_by
                            WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?""",
            [_digest(token), stamp(now)],
        ),
        None,
    )


def accept(db, token: str, username: str, password: str, timezone: str, now: datetime) -> int:
    """Make the teacher account and spend the token in one transaction: two people racing with
    the same link get one account between them."""
    with write(db):
        if find(db, token, now) is None:
            raise UserError(N_("This invitation has been used or has expired. Ask for a new one."))
        learner_id = users.sign_up(db, username, password, None, timezone)
        users.promote_to_teacher(db, learner_id)
        db.execute(
            "UPDATE teacher_invites SET used_at = ?, used_by = ? WHERE token_hash = ?",
            [stamp(now), learner_id, _digest(token)],
        )
    return learner_id
