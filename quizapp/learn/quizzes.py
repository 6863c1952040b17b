"""Quizzes: drawing questions, fixing their order, recording each answer exactly once, results.

No Flask: callers pass the database, the learner and the graded answer.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from typing import TypedDict

from fsrs import Scheduler

from quizapp.banks.store import get_question, live_question_ids
from quizapp.banks.types import QUESTION_TYPES, Grade
from quizapp.core.clock import now as utcnow
from quizapp.core.clock import parse, stamp
from quizapp.core.store import write
from quizapp.learn import answers


class Quiz(TypedDict):
    """A learner's quiz, as its views read it."""

    id: int
    learner_id: int
    bank_id: str
    topic: str | None
    retry_of: int | None  # the quiz whose missed questions this one retries
    created_at: str
    size: int  # how many questions


class Attempt(TypedDict):
    """An answer as stored (see learn.answers), the answer itself parsed."""

    id: int
    learner_id: int
    bank_id: str
    question_id: str
    question_version: int
    quiz_id: int | None  # None for a live game's answer
    quiz_position: int | None
    answer: object
    correct: int
    score: float
    max_score: float
    language: str
    time_ms: int | None
    answered_at: str


class QuizItem(TypedDict):
    """One position of a quiz: its question, the order its choices are shown in, and its answer."""

    quiz_id: int
    position: int
    bank_id: str
    question_id: str
    choice_order: list[int]
    shown_at: str | None
    question: dict  # the bank's question (banks.store.get_question)
    attempt: Attempt | None


def create(
    db,
    learner_id: int,
    bank_id: str,
    question_ids: list[str],
    topic: str | None = None,
    size: int = 10,
    rng: random.Random | None = None,
    retry_of: int | None = None,
) -> int:
    """Make a quiz of up to `size` of the given questions, shuffled, choices shuffled too."""
    rng = rng or random.Random()
    chosen = rng.sample(question_ids, min(size, len(question_ids)))
    with write(db):
        quiz_id = (
            db["quizzes"]
            .insert(
                {
                    "learner_id": learner_id,
                    "bank_id": bank_id,
                    "topic": topic,
                    "retry_of": retry_of,
                    "created_at": stamp(),
                }
            )
            .last_pk
        )
        for position, question_id in enumerate(chosen, start=1):
            question = get_question(db, bank_id, question_id)
            order = QUESTION_TYPES[question["type"]].presentation(question, rng)
            db["quiz_items"].insert(
                {
                    "quiz_id": quiz_id,
                    "position": position,
                    "bank_id": bank_id,
                    "question_id": question_id,
                    "choice_order": json.dumps(order),
                }
            )
    return quiz_id


def start(db, learner_id: int, bank_id: str, topic: str | None, size: int, rng=None) -> int | None:
    ids = live_question_ids(db, bank_id, topic)
    return create(db, learner_id, bank_id, ids, topic, size, rng) if ids else None


def get(db, quiz_id: int, learner_id: int) -> Quiz | None:
    """The learner's own quiz, or None: another learner's quiz does not exist for them."""
    row = next(db.query("SELECT * FROM quizzes WHERE id = ? AND learner_id = ?", [quiz_id, learner_id]), None)
    if row is None:
        return None
    size = db.execute("SELECT count(*) FROM quiz_items WHERE quiz_id = ?", [quiz_id]).fetchone()[0]
    return Quiz(**row, size=size)


def item(db, quiz: Quiz, position: int) -> QuizItem | None:
    """One position of a quiz: its question, choice order and the attempt if answered."""
    row = next(db.query("SELECT * FROM quiz_items WHERE quiz_id = ? AND position = ?", [quiz["id"], position]), None)
    if row is None:
        return None
    question = get_question(db, row["bank_id"], row["question_id"])
    attempt = _attempt(db, quiz["id"], position)
    order = json.loads(row["choice_order"])
    choices = question.get("choices", [])
    if attempt is None and sorted(order) != list(range(len(choices))):
        order = list(range(len(choices)))  # a teacher changed the choices since the quiz began
    return QuizItem(**{**row, "choice_order": order}, question=question, attempt=attempt)


def _attempt(db, quiz_id: int, position: int) -> Attempt | None:
    row = next(db.query("SELECT * FROM attempts WHERE quiz_id = ? AND quiz_position = ?", [quiz_id, position]), None)
    return Attempt(**{**row, "answer": json.loads(row["answer"])}) if row else None


def mark_shown(db, quiz_id: int, position: int) -> None:
    """Remember when a question was first shown: time taken is measured on the server."""
    with write(db):
        db.execute(
            "UPDATE quiz_items SET shown_at = ? WHERE quiz_id = ? AND position = ? AND shown_at IS NULL",
            [stamp(), quiz_id, position],
        )


def record(
    db,
    quiz: Quiz,
    entry: QuizItem,
    given,
    grade: Grade,
    language: str,
    sched: Scheduler | None,
    now: datetime | None = None,
) -> tuple[Attempt, bool]:
    """Store an answer once, with its review (see answers.record). Returns (attempt, created); a
    replayed form returns the first attempt. Time taken runs from when the question was first shown."""
    answer = answers.Answer(
        learner_id=quiz["learner_id"],
        bank_id=entry["bank_id"],
        question_id=entry["question_id"],
        question=entry["question"],
        given=given,
        grade=grade,
        language=language,
        answered_at=now or utcnow(),
        shown_at=parse(entry["shown_at"]) if entry.get("shown_at") else None,
        origin="quiz",
        quiz_id=quiz["id"],
        quiz_position=entry["position"],
    )
    _attempt_id, created = answers.record(db, answer, sched)
    return _attempt(db, quiz["id"], entry["position"]), created


def next_position(db, quiz_id: int) -> int | None:
    """The first unanswered position, or None when the quiz is complete."""
    row = db.execute(
        """SELECT min(i.position) FROM quiz_items i LEFT JOIN attempts a
                        ON a.quiz_id = i.quiz_id AND a.quiz_position = i.position
                        WHERE i.quiz_id = ? AND a.id IS NULL""",
        [quiz_id],
    ).fetchone()
    return row[0]


def results(db, quiz: Quiz) -> dict:
    """Score, maximum and every item with its attempt, for the results page."""
    items = [item(db, quiz, p) for p in range(1, quiz["size"] + 1)]
    answered = [i for i in items if i["attempt"]]
    return {
        "items": items,
        "score": round(sum(i["attempt"]["score"] for i in answered), 2),
        "max_score": sum(i["attempt"]["max_score"] for i in answered) if answered else 0,
        "answered": len(answered),
        "missed": [i for i in answered if not i["attempt"]["correct"]],
        "complete": len(answered) == len(items),
    }


def retry_missed(db, quiz: Quiz, rng=None) -> int | None:
    """A new quiz of the questions this quiz got wrong (those still live)."""
    missed = [i["question_id"] for i in results(db, quiz)["missed"] if not i["question"]["retired"]]
    if not missed:
        return None
    return create(db, quiz["learner_id"], quiz["bank_id"], missed, quiz["topic"], len(missed), rng, retry_of=quiz["id"])


def history(db, learner_id: int) -> dict:
    """A learner's progress: per bank counts and accuracy, and their recent quizzes with scores."""
    per_bank = list(
        db.query(
            """
        SELECT a.bank_id, b.title, count(*) AS answered, sum(a.correct) AS correct,
               sum(a.score) AS score, sum(a.max_score) AS max_score,
               count(DISTINCT a.question_id) AS distinct_questions
        FROM attempts a JOIN banks b ON b.id = a.bank_id
        WHERE a.learner_id = ? GROUP BY a.bank_id ORDER BY a.bank_id""",
            [learner_id],
        )
    )
    quizzes = list(
        db.query(
            """
        SELECT q.id, q.bank_id, q.topic, q.created_at, b.title,
               (SELECT count(*) FROM quiz_items i WHERE i.quiz_id = q.id) AS size,
               (SELECT count(*) FROM attempts a WHERE a.quiz_id = q.id) AS answered,
               (SELECT coalesce(sum(score), 0) FROM attempts a WHERE a.quiz_id = q.id) AS score
        FROM quizzes q JOIN banks b ON b.id = q.bank_id
        WHERE q.learner_id = ? ORDER BY q.id DESC LIMIT 50""",
            [learner_id],
        )
    )
    for row in per_bank + quizzes:
        row["title"] = json.loads(row["title"])
    return {"banks": per_bank, "quizzes": quizzes}
