"""Sign-in sessions the server can revoke: the cookie carries a random token, the server keeps its hash.

A signed cookie alone cannot be taken back: a copy kept before sign-out, or one naming a learner
who was merged or deleted, would go on working. Every request looks its token up here instead,
so sign-out, a password change or "sign out everywhere" ends a session for every copy of it.
No Flask here.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import NamedTuple

from quizapp.core.clock import parse, stamp
from quizapp.core.store import write

REMEMBERED_PLAYERS = 5  # live-game player links a session keeps, newest first
TOUCH_EVERY_S = 3600  # last_seen_at is rewritten at most this often (a write per page is wasteful)


class Session(NamedTuple):
    id: int
    learner_id: int
    claim_learner_id: int | None  # the anonymous learner this browser had before signing in, until answered
    live_players: list[str]
    last_seen_at: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db, learner_id: int, claim_learner_id: int | None = None, live_players: list[str] | None = None):
    """A new session for a learner: (its token, returned once and stored only as a hash; the session)."""
    token = secrets.token_urlsafe(32)
    now = stamp()
    players = (live_players or [])[:REMEMBERED_PLAYERS]
    with write(db):
        session_id = (
            db["auth_sessions"]
            .insert(
                {
                    "token_hash": _digest(token),
                    "learner_id": learner_id,
                    "created_at": now,
                    "last_seen_at": now,
                    "claim_learner_id": claim_learner_id,
                    "live_players": json.dumps(players),
                }
            )
            .last_pk
        )
    return token, Session(session_id, learner_id, claim_learner_id, players, now)


def find(db, token) -> Session | None:
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    row = db.execute(
        """SELECT id, learner_id, claim_learner_id, live_players, last_seen_at FROM auth_sessions
                        WHERE token_hash = ?""",
        [_digest(token)],
    ).fetchone()
    return Session(row[0], row[1], row[2], json.loads(row[3]), row[4]) if row else None


def touch(db, session: Session, now) -> None:
    """Record use now and then, so an operator can see and expire sessions nobody uses."""
    if (now - parse(session.last_seen_at)).total_seconds() >= TOUCH_EVERY_S:
        with write(db):
            db.execute("UPDATE auth_sessions SET last_seen_at = ? WHERE id = ?", [stamp(now), session.id])


def end(db, token) -> None:
    """Sign-out: the session is gone for every copy of the cookie."""
    if isinstance(token, str):
        with write(db):
            db.execute("DELETE FROM auth_sessions WHERE token_hash = ?", [_digest(token)])


def end_all(db, learner_id: int) -> int:
    """Sign out everywhere (and after a password change): every session of this learner ends."""
    with write(db):
        return db.execute("DELETE FROM auth_sessions WHERE learner_id = ?", [learner_id]).rowcount


def count(db, learner_id: int) -> int:
    return db.execute("SELECT count(*) FROM auth_sessions WHERE learner_id = ?", [learner_id]).fetchone()[0]


def remember_player(db, session: Session, player_token: str) -> list[str]:
    """Keep a live-game player link with the session (not in the cookie, so it ends with the session)."""
    players = ([player_token] + [t for t in session.live_players if t != player_token])[:REMEMBERED_PLAYERS]
    with write(db):
        db.execute("UPDATE auth_sessions SET live_players = ? WHERE id = ?", [json.dumps(players), session.id])
    return players


def drop_claim(db, session: Session) -> None:
    with write(db):
        db.execute("UPDATE auth_sessions SET claim_learner_id = NULL WHERE id = ?", [session.id])


def expire(db, before: str) -> int:
    """Forget sessions unused since `before` (the cookie's own lifetime is a year)."""
    with write(db):
        return db.execute("DELETE FROM auth_sessions WHERE last_seen_at < ?", [before]).rowcount
