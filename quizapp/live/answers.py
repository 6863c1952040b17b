"""A live game's answers in the database: each recorded once and scored from server time, and
the ranking they make. No Flask."""

from __future__ import annotations

import json
from datetime import datetime

from quizapp.banks.types import Grade
from quizapp.core.clock import stamp
from quizapp.core.messages import N_
from quizapp.core.store import write
from quizapp.learn import answers as attempts
from quizapp.live import games as livegames
from quizapp.live.game import GameError, points, rank
from quizapp.live.players import REMOVED, player_count

TOO_LATE = N_("Too late: this question has closed.")


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
    flashcard review (with `sched`), written by learn's answers.record in the same transaction."""
    with write(db):
        existing = answer_of(db, player["id"], position)
        if existing:
            return existing, False
        if db.execute("SELECT removed_at FROM live_players WHERE id = ?", [player["id"]]).fetchone()[0]:
            raise GameError(REMOVED)
        session = livegames.get(db, session_id)
        entry = livegames.question_at(db, session, position)
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
            attempt_id, _created = attempts.record(
                db,
                attempts.Answer(
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
            # everyone has answered: no need to wait for the clock
            livegames.close_question(db, session_id, position, when)
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
    upto = session["position"] if session["phase"] in ("results", "leaderboard", "ended") else session["position"] - 1
    rows = db.execute(
        """SELECT p.id, p.nickname, coalesce(sum(a.points), 0) FROM live_players p
                         LEFT JOIN live_answers a ON a.player_id = p.id AND a.position <= ?
                         WHERE p.session_id = ? AND p.removed_at IS NULL GROUP BY p.id""",
        [upto, session["id"]],
    ).fetchall()
    return rank([(r[0], r[1], r[2]) for r in rows])
