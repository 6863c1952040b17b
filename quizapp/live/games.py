"""Live games in the database: a game's questions, its steps and clocks, and the stamps the live
updates watch. Players are in live/players.py, answers in live/answers.py. No Flask.

Every change is one short write transaction that re-reads the state it depends on, so
two workers (or a double tap) can never apply the same step twice.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import NamedTuple, TypedDict

from quizapp.banks.store import get_question
from quizapp.banks.types import QUESTION_TYPES
from quizapp.core.clock import parse, stamp
from quizapp.core.messages import N_
from quizapp.core.store import write
from quizapp.live.game import Clock, GameError, new_code, transition
from quizapp.live.players import forget_networks

STALE_AFTER = timedelta(hours=12)  # a game untouched this long is over, and its code free again


def create(
    db,
    host_id: int,
    bank_id: str,
    question_ids: list[str],
    *,
    timer_s: int | None,
    reading_s: int,
    scoring: str,
    text_mode: str,
    topic: str | None = None,
    rng: random.Random | None = None,
    now: datetime | None = None,
) -> int:
    """A game in the lobby. Choices are shuffled once, so every phone shows the projector's order."""
    rng = rng or random.Random()
    when = stamp(now)
    with write(db):
        db.execute(
            "UPDATE live_sessions SET ended_at = ?, phase = 'ended' WHERE ended_at IS NULL AND updated_at < ?",
            [when, stamp((now or parse(when)) - STALE_AFTER)],
        )
        forget_networks(db, now or parse(when))
        for _ in range(50):
            code = new_code(rng)
            if not db.execute("SELECT 1 FROM live_sessions WHERE code = ? AND ended_at IS NULL", [code]).fetchone():
                break
        else:
            raise GameError(N_("No free join code right now; try again in a minute."))
        session_id = (
            db["live_sessions"]
            .insert(
                {
                    "code": code,
                    "host_id": host_id,
                    "bank_id": bank_id,
                    "topic": topic,
                    "timer_s": timer_s,
                    "reading_s": reading_s,
                    "scoring": scoring,
                    "text_mode": text_mode,
                    "created_at": when,
                    "updated_at": when,
                }
            )
            .last_pk
        )
        for position, question_id in enumerate(question_ids, start=1):
            question = get_question(db, bank_id, question_id)
            order = QUESTION_TYPES[question["type"]].presentation(question, rng)
            db["live_questions"].insert(
                {
                    "session_id": session_id,
                    "position": position,
                    "bank_id": bank_id,
                    "question_id": question_id,
                    "choice_order": json.dumps(order),
                }
            )
    return session_id


def get(db, session_id: int) -> dict | None:
    session = next(db.query("SELECT * FROM live_sessions WHERE id = ?", [session_id]), None)
    if session:
        session["total"] = db.execute(
            "SELECT count(*) FROM live_questions WHERE session_id = ?", [session_id]
        ).fetchone()[0]
    return session


def by_code(db, code: str) -> dict | None:
    """The game still going with this join code."""
    row = db.execute("SELECT id FROM live_sessions WHERE code = ? AND ended_at IS NULL", [code]).fetchone()
    return get(db, row[0]) if row else None


def hosted_by(db, host_id: int, archived: bool = False) -> list[dict]:
    """A teacher's latest games, or their archived ones."""
    games = list(
        db.query(
            f"""SELECT s.*, b.title,
                              (SELECT count(*) FROM live_players p WHERE p.session_id = s.id AND p.removed_at IS NULL) AS players,
                              (SELECT count(*) FROM live_questions q WHERE q.session_id = s.id) AS total
                            FROM live_sessions s JOIN banks b ON b.id = s.bank_id
                            WHERE s.host_id = ? AND s.archived_at IS {"NOT NULL" if archived else "NULL"}
                            ORDER BY s.id DESC LIMIT 50""",
            [host_id],
        )
    )
    for game in games:
        game["title"] = json.loads(game["title"])
    return games


def clock_of(session: dict, row: dict) -> Clock | None:
    if not row or not row.get("opened_at"):
        return None
    return Clock(
        parse(row["opened_at"]),
        session["reading_s"],
        session["timer_s"],
        parse(row["closed_at"]) if row.get("closed_at") else None,
    )


class LiveQuestion(TypedDict):
    """One question of a game: its bank data, the order every screen shows its choices in, its clock."""

    session_id: int
    position: int
    bank_id: str
    question_id: str
    choice_order: list[int]
    opened_at: str | None
    closes_at: str | None
    closed_at: str | None
    question: dict  # the bank's question (banks.store.get_question)
    clock: Clock | None  # None until the question opens


def question_at(db, session: dict, position: int) -> LiveQuestion | None:
    """One question of the game: its bank data, the shown choice order and its clock."""
    row = next(
        db.query("SELECT * FROM live_questions WHERE session_id = ? AND position = ?", [session["id"], position]), None
    )
    if row is None:
        return None
    return LiveQuestion(
        **{**row, "choice_order": json.loads(row["choice_order"])},
        question=get_question(db, row["bank_id"], row["question_id"]),
        clock=clock_of(session, row),
    )


def close_question(db, session_id: int, position: int, when: str) -> bool:
    """Close the open question once, inside the caller's write; returns whether this call closed it."""
    changed = db.execute(
        """UPDATE live_sessions SET phase = 'results', version = version + 1, updated_at = ?
                            WHERE id = ? AND phase = 'question' AND position = ?""",
        [when, session_id, position],
    ).rowcount
    if changed:
        db.execute(
            "UPDATE live_questions SET closed_at = ? WHERE session_id = ? AND position = ? AND closed_at IS NULL",
            [when, session_id, position],
        )
    return bool(changed)


def advance(db, session_id: int, action: str, now: datetime, expected: str | None = None) -> dict:
    """Apply a teacher's step. `expected` ("phase:position", from the page the teacher saw) turns a
    double click into a no-op instead of skipping a question."""
    when = stamp(now)
    with write(db):
        session = get(db, session_id)
        if expected is not None and expected != f"{session['phase']}:{session['position']}":
            raise GameError(N_("That step is not possible now: the game has moved on. The screen shows where it is."))
        phase, position = transition(session["phase"], session["position"], session["total"], action)
        if session["phase"] == "question":
            db.execute(
                "UPDATE live_questions SET closed_at = ? WHERE session_id = ? AND position = ? AND closed_at IS NULL",
                [when, session_id, session["position"]],
            )
        if phase == "question":
            deadline = Clock(now, session["reading_s"], session["timer_s"]).deadline
            db.execute(
                "UPDATE live_questions SET opened_at = ?, closes_at = ?, closed_at = NULL "
                "WHERE session_id = ? AND position = ?",
                [when, stamp(deadline) if deadline else None, session_id, position],
            )
        db.execute(
            "UPDATE live_sessions SET phase = ?, position = ?, version = version + 1, updated_at = ?, "
            "ended_at = CASE WHEN ? = 'ended' THEN ? ELSE ended_at END WHERE id = ?",
            [phase, position, when, phase, when, session_id],
        )
    return get(db, session_id)


def settle(db, session: dict, now: datetime) -> dict:
    """Close the open question if its time is up; any worker may do it, only one does."""
    if session["phase"] != "question" or session["timer_s"] is None:
        return session
    row = db.execute(
        "SELECT closes_at FROM live_questions WHERE session_id = ? AND position = ?",
        [session["id"], session["position"]],
    ).fetchone()
    if row and row[0] and parse(row[0]) <= now:
        with write(db):
            close_question(db, session["id"], session["position"], stamp(now))
        return get(db, session["id"])
    return session


NOT_ENDED = N_("Only an ended game can be archived or removed: end it on the projector first.")


def archive(db, session_id: int, archived: bool, now: datetime) -> None:
    """Put an ended game in the archive (or take it out); a running game stays where its players are."""
    with write(db):
        changed = db.execute(
            "UPDATE live_sessions SET archived_at = ? WHERE id = ? AND ended_at IS NOT NULL",
            [stamp(now) if archived else None, session_id],
        ).rowcount
    if not changed:
        raise GameError(NOT_ENDED)


def remove(db, session_id: int) -> None:
    """Delete an ended game: its questions, players and scoreboard go (ON DELETE CASCADE), while
    what its signed-in players learned stays, since their attempts and flashcard reviews are
    their own rows and never point at the game."""
    with write(db):
        changed = db.execute("DELETE FROM live_sessions WHERE id = ? AND ended_at IS NOT NULL", [session_id]).rowcount
    if not changed:
        raise GameError(NOT_ENDED)


def set_text_mode(db, session_id: int, mode: str) -> None:
    with write(db):
        db.execute(
            "UPDATE live_sessions SET text_mode = ?, lobby_version = lobby_version + 1 WHERE id = ?", [mode, session_id]
        )


class Stamp(NamedTuple):
    """What a game looks like now, read for every watched game on each tick of the live updates:
    a change of any field wakes the projector, a change of `version` the players' phones."""

    version: int  # bumped by every step of the game (and by renaming or removing a player)
    lobby_version: int  # bumped by joins, the lobby lock and the projector's language
    phase: str
    position: int
    answered: int  # answers to the current question
    players: int
    closes_at: str | None  # when the current question's timer runs out


def stamps(db, session_ids) -> dict[int, Stamp]:
    """For the live updates: what each game looks like now, in one cheap query."""
    ids = list(session_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        row[0]: Stamp(*row[1:])
        for row in db.execute(
            f"""
        SELECT s.id, s.version, s.lobby_version, s.phase, s.position,
               (SELECT count(*) FROM live_answers a WHERE a.session_id = s.id AND a.position = s.position),
               (SELECT count(*) FROM live_players p WHERE p.session_id = s.id AND p.removed_at IS NULL),
               q.closes_at
        FROM live_sessions s LEFT JOIN live_questions q ON q.session_id = s.id AND q.position = s.position
        WHERE s.id IN ({marks})""",
            ids,
        ).fetchall()
    }
