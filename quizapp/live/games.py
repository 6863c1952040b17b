"""Live games in the database: sessions, their questions and clocks, players and answers. No Flask.

Every change is one short write transaction that re-reads the state it depends on, so
two workers (or a double tap) can never apply the same step twice.
"""

from __future__ import annotations

import json
import random
import secrets
import sqlite3
from datetime import datetime, timedelta
from typing import NamedTuple, TypedDict

from quizapp.banks.store import get_question
from quizapp.banks.types import QUESTION_TYPES, Grade
from quizapp.core.clock import parse, stamp
from quizapp.core.messages import N_
from quizapp.core.store import write
from quizapp.learn import answers
from quizapp.live.game import Clock, GameError, new_code, points, rank, transition

STALE_AFTER = timedelta(hours=12)  # a game untouched this long is over, and its code free again
TOO_LATE = N_("Too late: this question has closed.")
REMOVED = N_("The teacher removed you from this game.")
LOCKED = N_("The teacher has closed this game to new players. Ask the teacher to open it again.")
NETWORK_MEMORY = timedelta(hours=3)  # how long a network where a class met stays known (see known_network)


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
        db.execute("DELETE FROM live_join_networks WHERE seen_at < ?", [stamp((now or parse(when)) - NETWORK_MEMORY)])
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


def hosted_by(db, host_id: int) -> list[dict]:
    games = list(
        db.query(
            """SELECT s.*, b.title,
                              (SELECT count(*) FROM live_players p WHERE p.session_id = s.id AND p.removed_at IS NULL) AS players,
                              (SELECT count(*) FROM live_questions q WHERE q.session_id = s.id) AS total
                            FROM live_sessions s JOIN banks b ON b.id = s.bank_id
                            WHERE s.host_id = ? ORDER BY s.id DESC LIMIT 50""",
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


def _close(db, session_id: int, position: int, when: str) -> bool:
    """Close the open question once; returns whether this call closed it."""
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
            _close(db, session["id"], session["position"], stamp(now))
        return get(db, session["id"])
    return session


def set_text_mode(db, session_id: int, mode: str) -> None:
    with write(db):
        db.execute(
            "UPDATE live_sessions SET text_mode = ?, lobby_version = lobby_version + 1 WHERE id = ?", [mode, session_id]
        )


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


def answer_of(db, player_id: int, position: int) -> dict | None:
    row = next(db.query("SELECT * FROM live_answers WHERE player_id = ? AND position = ?", [player_id, position]), None)
    if row:
        row["answer"] = json.loads(row["answer"])
    return row


def record_answer(
    db, session_id: int, player: dict, position: int, given, grade: Grade, language: str, now: datetime, sched=None
) -> tuple[dict, bool]:
    """Record a player's answer exactly once, scored from server time. Returns (answer, created): a
    retried or double-tapped request gets the first answer back. Raises GameError when the question
    has closed or the player was removed. A player linked to a learner also gets an attempt and a
    flashcard review (with `sched`), written by answers.record in the same transaction."""
    with write(db):
        existing = answer_of(db, player["id"], position)
        if existing:
            return existing, False
        if db.execute("SELECT removed_at FROM live_players WHERE id = ?", [player["id"]]).fetchone()[0]:
            raise GameError(REMOVED)
        session = get(db, session_id)
        entry = question_at(db, session, position)
        if (
            session["phase"] != "question"
            or session["position"] != position
            or entry is None
            or entry["clock"] is None
            or not entry["clock"].is_open(now)
        ):
            raise GameError(TOO_LATE)
        clock, when = entry["clock"], stamp(now)
        attempt_id = None
        if player["learner_id"] is not None:
            attempt_id, _created = answers.record(
                db,
                answers.Answer(
                    learner_id=player["learner_id"],
                    bank_id=entry["bank_id"],
                    question_id=entry["question_id"],
                    question=entry["question"],
                    given=given,
                    grade=grade,
                    language=language,
                    answered_at=now,
                    shown_at=clock.opened_at,
                    reading_ms=clock.reading_s * 1000,
                    origin="live",
                ),
                sched,
            )
        db["live_answers"].insert(
            {
                "session_id": session_id,
                "player_id": player["id"],
                "position": position,
                "answer": json.dumps(given, ensure_ascii=False),
                "score": grade.score / grade.max_score,
                "correct": int(grade.correct),
                "points": points(session["scoring"], grade.score / grade.max_score, clock, now),
                "elapsed_ms": clock.elapsed_ms(now),
                "answered_at": when,
                "attempt_id": attempt_id,
            }
        )
        if answered(db, session_id, position) >= player_count(db, session_id):
            _close(db, session_id, position, when)  # everyone has answered: no need to wait for the clock
    return answer_of(db, player["id"], position), True


def answered(db, session_id: int, position: int) -> int:
    return db.execute(
        "SELECT count(*) FROM live_answers WHERE session_id = ? AND position = ?", [session_id, position]
    ).fetchone()[0]


def answers_at(db, session_id: int, position: int) -> list[dict]:
    rows = list(
        db.query(
            "SELECT player_id, answer, score, correct, points FROM live_answers WHERE session_id = ? AND position = ?",
            [session_id, position],
        )
    )
    for row in rows:
        row["answer"] = json.loads(row["answer"])
    return rows


def standings(db, session: dict):
    """The ranking, counting the current question only once its results are shown."""
    upto = session["position"] if session["phase"] in ("results", "ended") else session["position"] - 1
    rows = db.execute(
        """SELECT p.id, p.nickname, coalesce(sum(a.points), 0) FROM live_players p
                         LEFT JOIN live_answers a ON a.player_id = p.id AND a.position <= ?
                         WHERE p.session_id = ? AND p.removed_at IS NULL GROUP BY p.id""",
        [upto, session["id"]],
    ).fetchall()
    return rank([(r[0], r[1], r[2]) for r in rows])


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
