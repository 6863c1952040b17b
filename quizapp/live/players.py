"""The players of a live game in the database: joining, the lobby lock, removing (a ban for the
game), renaming, and the networks where classes met. No Flask."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime, timedelta

from quizapp.core.clock import parse, stamp
from quizapp.core.messages import N_
from quizapp.core.store import write
from quizapp.live.game import GameError

REMOVED = N_("The teacher removed you from this game.")
LOCKED = N_("The teacher has closed this game to new players. Ask the teacher to open it again.")
NETWORK_MEMORY = timedelta(hours=3)  # how long a network where a class met stays known (see known_network)


def set_locked(db, session_id: int, locked: bool, now: datetime | None = None) -> None:
    """Close the game to new players (or open it again). Players already in are not affected:
    their links keep working, so a locked lobby costs nobody their place."""
    with write(db):
        db.execute(
            "UPDATE live_sessions SET locked_at = ?, lobby_version = lobby_version + 1 WHERE id = ?",
            [stamp(now) if locked else None, session_id],
        )


def join(
    db,
    session: dict,
    nickname: str,
    learner_id: int | None,
    language: str,
    max_players: int,
    network: str | None = None,
) -> dict:
    """A new player; raises GameError when the nickname is taken, or the game is locked, full or over.
    `network` (the client's address) is noted as one where a class met (see known_network)."""
    token = secrets.token_urlsafe(24)
    with write(db):
        ended, locked = db.execute(
            "SELECT ended_at, locked_at FROM live_sessions WHERE id = ?", [session["id"]]
        ).fetchone()
        if ended:
            raise GameError(N_("This game has ended."))
        if locked:
            raise GameError(LOCKED)
        if player_count(db, session["id"]) >= max_players:
            raise GameError(N_("This game is full."))
        try:
            player_id = (
                db["live_players"]
                .insert(
                    {
                        "session_id": session["id"],
                        "token": token,
                        "nickname": nickname,
                        "learner_id": learner_id,
                        "language": language,
                        "joined_at": stamp(),
                    }
                )
                .last_pk
            )
        except sqlite3.IntegrityError:
            raise GameError(N_("Someone in this game already has that nickname: choose another.")) from None
        db.execute("UPDATE live_sessions SET lobby_version = lobby_version + 1 WHERE id = ?", [session["id"]])
        if network is not None:
            note_network(db, network)
    return player(db, player_id)


def player(db, player_id: int) -> dict | None:
    return next(db.query("SELECT * FROM live_players WHERE id = ?", [player_id]), None)


def player_by_token(db, token: str) -> dict | None:
    return next(db.query("SELECT * FROM live_players WHERE token = ?", [token]), None)


def player_for_learner(db, session_id: int, learner_id: int) -> dict | None:
    """A signed-in student's player in this game, so joining again on another device brings them back."""
    return next(
        db.query(
            "SELECT * FROM live_players WHERE session_id = ? AND learner_id = ? AND removed_at IS NULL",
            [session_id, learner_id],
        ),
        None,
    )


def player_among(db, session_id: int, tokens: list[str]) -> dict | None:
    """The newest of these players (a browser's remembered tokens) still in this game."""
    if not tokens:
        return None
    marks = ",".join("?" * len(tokens))
    return next(
        db.query(
            f"SELECT * FROM live_players WHERE session_id = ? AND removed_at IS NULL "
            f"AND token IN ({marks}) ORDER BY id DESC LIMIT 1",
            [session_id, *tokens],
        ),
        None,
    )


def banned(db, session_id: int, learner_id: int | None, tokens: list[str]) -> bool:
    """Whether the teacher removed this person from this game: as this learner, or as one of the
    players this browser remembers. Removing is a ban for the game, so a disruptive player cannot
    simply join again under a new nickname."""
    marks = ",".join("?" * len(tokens)) or "NULL"
    return (
        db.execute(
            f"SELECT 1 FROM live_players WHERE session_id = ? AND removed_at IS NOT NULL "
            f"AND (learner_id = ? OR token IN ({marks})) LIMIT 1",
            [session_id, learner_id, *tokens],
        ).fetchone()
        is not None
    )


def note_network(db, address: str, now: datetime | None = None) -> None:
    """Remember that a class met at this client address (a player joined, or a projector opened)."""
    with write(db):
        db.execute(
            "INSERT INTO live_join_networks (address, seen_at) VALUES (?, ?) "
            "ON CONFLICT(address) DO UPDATE SET seen_at = excluded.seen_at",
            [address, stamp(now)],
        )


def known_network(db, address: str, now: datetime) -> bool:
    """Whether a class met at this address within NETWORK_MEMORY: while the site-wide budget of
    wrong join codes is spent, only such networks may still try codes."""
    row = db.execute("SELECT seen_at FROM live_join_networks WHERE address = ?", [address]).fetchone()
    return row is not None and parse(row[0]) > now - NETWORK_MEMORY


def forget_networks(db, now: datetime) -> None:
    """Forget the networks where no class met within NETWORK_MEMORY; inside the caller's write."""
    db.execute("DELETE FROM live_join_networks WHERE seen_at < ?", [stamp(now - NETWORK_MEMORY)])


def players(db, session_id: int) -> list[dict]:
    return list(
        db.query(
            "SELECT id, nickname, joined_at FROM live_players WHERE session_id = ? AND removed_at IS NULL ORDER BY id",
            [session_id],
        )
    )


def player_count(db, session_id: int) -> int:
    return db.execute(
        "SELECT count(*) FROM live_players WHERE session_id = ? AND removed_at IS NULL", [session_id]
    ).fetchone()[0]


def rename(db, session_id: int, player_id: int, nickname: str) -> None:
    with write(db):
        try:
            changed = db.execute(
                "UPDATE live_players SET nickname = ? WHERE id = ? AND session_id = ? AND removed_at IS NULL",
                [nickname, player_id, session_id],
            ).rowcount
        except sqlite3.IntegrityError:
            raise GameError(N_("Someone in this game already has that nickname: choose another.")) from None
        if changed:
            db.execute(
                "UPDATE live_sessions SET lobby_version = lobby_version + 1, version = version + 1 WHERE id = ?",
                [session_id],
            )


def remove(db, session_id: int, player_id: int) -> None:
    """Take a player out of the game: they can answer no more, and their points leave the ranking.
    Answers already given stay in the student's own progress."""
    with write(db):
        changed = db.execute(
            "UPDATE live_players SET removed_at = ? WHERE id = ? AND session_id = ? AND removed_at IS NULL",
            [stamp(), player_id, session_id],
        ).rowcount
        if changed:
            db.execute("DELETE FROM live_answers WHERE player_id = ?", [player_id])
            db.execute(
                "UPDATE live_sessions SET lobby_version = lobby_version + 1, version = version + 1 WHERE id = ?",
                [session_id],
            )


def set_language(db, player_id: int, language: str) -> None:
    with write(db):
        db.execute("UPDATE live_players SET language = ? WHERE id = ?", [language, player_id])
