"""An answer becomes history: one attempt, and the flashcard review it counts as, in one transaction.

The one writer for every way of answering a question (a quiz, a live game). No Flask: the caller
passes the graded answer, when the question was shown, and the learner's scheduler.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from fsrs import Scheduler

from quizapp.banks.types import Grade, kind_of
from quizapp.core.clock import parse, stamp
from quizapp.core.store import write
from quizapp.learn import flashcards
from quizapp.learn.scheduling import rating_from_answer

MAX_TIME_MS = 60 * 60 * 1000  # a question left open for hours says nothing about speed


@dataclass(frozen=True)
class Answer:
    """One graded answer of a learner, as any way of answering hands it over."""

    learner_id: int
    bank_id: str
    question_id: str
    question: dict  # the bank's question, with its version and difficulty
    given: object  # the answer as the question type parsed it
    grade: Grade
    language: str  # the language the question was shown in
    answered_at: datetime
    shown_at: datetime | None  # None when the page that showed it did not say (the time is then unknown)
    reading_ms: int = 0  # time given to read before the clock counts (a live game's reading time)
    origin: str = "quiz"  # which way of answering, kept on the review ("quiz", "live")
    quiz_id: int | None = None
    quiz_position: int | None = None

    @property
    def time_ms(self) -> int | None:
        """Time from showing to answering, the way the learner lived it (reading included)."""
        if self.shown_at is None:
            return None
        elapsed = int((parse(stamp(self.answered_at)) - self.shown_at).total_seconds() * 1000)
        return max(0, min(elapsed, MAX_TIME_MS))

    @property
    def rated_ms(self) -> int | None:
        """The time that counts for the rating: reading time is not effort spent on the answer."""
        time_ms = self.time_ms
        return None if time_ms is None else max(0, time_ms - self.reading_ms)


def record(db, answer: Answer, sched: Scheduler | None) -> tuple[int, bool]:
    """Store an answer once, with its review when a scheduler is given. Returns (attempt id, created):
    a quiz position already answered (UNIQUE(quiz_id, quiz_position)) keeps its first attempt."""
    when = stamp(answer.answered_at)
    with write(db):
        try:
            with write(db):  # a savepoint: the clash below undoes only this insert
                attempt_id = (
                    db["attempts"]
                    .insert(
                        {
                            "learner_id": answer.learner_id,
                            "bank_id": answer.bank_id,
                            "question_id": answer.question_id,
                            "question_version": answer.question["version"],
                            "quiz_id": answer.quiz_id,
                            "quiz_position": answer.quiz_position,
                            "answer": json.dumps(answer.given, ensure_ascii=False),
                            "correct": int(answer.grade.correct),
                            "score": answer.grade.score,
                            "max_score": answer.grade.max_score,
                            "language": answer.language,
                            "time_ms": answer.time_ms,
                            "answered_at": when,
                        }
                    )
                    .last_pk
                )
        except sqlite3.IntegrityError:
            row = db.execute(
                "SELECT id FROM attempts WHERE quiz_id = ? AND quiz_position = ?",
                [answer.quiz_id, answer.quiz_position],
            ).fetchone()
            if row is None:
                raise
            return row[0], False
        if sched is not None:
            for card_id, score, max_score in kind_of(answer.question).reviews(
                answer.question, answer.given, answer.grade
            ):
                flashcards.record_review(
                    db,
                    answer.learner_id,
                    answer.bank_id,
                    card_id,
                    rating_from_answer(score, max_score, answer.rated_ms, answer.question["difficulty"]),
                    parse(when),
                    sched,
                    answer.origin,
                    duration_ms=answer.time_ms,
                    attempt_id=attempt_id,
                )
    return attempt_id, True


def remark(db, bank_id: str, question_id: str, question: dict, picks) -> int:
    """Re-mark past attempts at a question, for every learner, by a new version of it (a teacher
    accepted an answer): each attempt whose answer `picks` chooses takes the new grade when it is
    higher. Returns how many changed. Reviews are not rewritten: a flashcard's schedule is the
    history of what the learner was told at the time (docs/teachers.md)."""
    kind = kind_of(question)
    changed = 0
    with write(db):
        for attempt_id, given, score in db.execute(
            "SELECT id, answer, score FROM attempts WHERE bank_id = ? AND question_id = ? AND correct = 0",
            [bank_id, question_id],
        ).fetchall():
            answer = json.loads(given)
            if not picks(answer):
                continue
            grade = kind.grade(question, answer)
            if grade.score > score:
                db.execute(
                    "UPDATE attempts SET correct = ?, score = ?, max_score = ? WHERE id = ?",
                    [int(grade.correct), grade.score, grade.max_score, attempt_id],
                )
                changed += 1
    return changed
