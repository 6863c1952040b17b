"""Flashcards in the database: what to study next, and recording a review exactly once.

Every bank card and every question is a flashcard, keyed (bank id, item id), except a question whose
type makes cards of its parts (a cloze's blanks): its parts are the cards.
"""

from __future__ import annotations

import json
from datetime import datetime

from fsrs import Rating, Scheduler, State

from quizapp.banks.store import get_question
from quizapp.core.clock import stamp
from quizapp.core.store import write
from quizapp.learn.scheduling import LEARN_AHEAD, LEARNING_STATES, review


def makes_cards(bank: str, item: str) -> str:
    """SQL true when the question (bank, item) makes flashcards of its parts (a cloze's blanks, ids
    `<question id>::c1`…, see QuestionType.flashcards): such a question is studied through those cards,
    never as a card itself. The id range uses the cards' primary key; ids never hold ':'."""
    return (
        f"EXISTS (SELECT 1 FROM cards p WHERE p.bank_id = {bank} AND p.id > {item} || '::' AND p.id < {item} || ':;')"
    )


_LIVE = f"""NOT EXISTS (SELECT 1 FROM questions q WHERE q.bank_id = s.bank_id AND q.id = s.card_id AND q.retired_at IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM cards c WHERE c.bank_id = s.bank_id AND c.id = s.card_id AND c.retired_at IS NOT NULL)
           AND NOT {makes_cards("s.bank_id", "s.card_id")}"""
# Every question that is a flashcard itself (see makes_cards), as (bank_id, id, kind, position, retired_at, topics).
QUESTION_CARDS = f"""SELECT bank_id, id, 1 AS kind, position, retired_at, topics FROM questions q
                     WHERE NOT {makes_cards("q.bank_id", "q.id")}"""
_LEARNING = f"s.state IN ({', '.join(str(state.value) for state in LEARNING_STATES)})"


def get_state(db, learner_id: int, bank_id: str, card_id: str) -> dict | None:
    row = db.execute(
        "SELECT fsrs, reps, lapses FROM card_states WHERE learner_id = ? AND bank_id = ? AND card_id = ?",
        [learner_id, bank_id, card_id],
    ).fetchone()
    if row is None:
        return None
    return {"fsrs": json.loads(row[0]), "reps": row[1], "lapses": row[2]}


def new_since(db, learner_id: int, since: datetime) -> int:
    """Cards first reviewed since a moment (the start of the learner's day): the daily new-card count."""
    return db.execute(
        "SELECT count(*) FROM card_states WHERE learner_id = ? AND first_review >= ?", [learner_id, stamp(since)]
    ).fetchone()[0]


def _scope_sql(bank_id: str | None, topic: str | None) -> tuple[str, list]:
    """SQL narrowing card_states `s` to a deck: one bank, or one topic of it."""
    sql, args = "", []
    if bank_id:
        sql, args = "AND s.bank_id = ?", [bank_id]
    if topic:
        sql += """ AND EXISTS (SELECT 1 FROM (SELECT bank_id, id, topics FROM cards
                                              UNION ALL SELECT bank_id, id, topics FROM questions) i, json_each(i.topics) j
                               WHERE i.bank_id = s.bank_id AND i.id = s.card_id AND j.value = ?)"""
        args.append(topic)
    return sql, args


def next_card(
    db, learner_id: int, now: datetime, new_limit_left: int, bank_id: str | None = None, topic: str | None = None
) -> dict | None:
    """Due cards first (most overdue first), then new ones while the daily limit allows,
    then learning cards due within LEARN_AHEAD so "Again" cards come back in the same session.
    `bank_id` and `topic` narrow it to one deck (see learn.decks)."""
    scope_sql, scope_args = _scope_sql(bank_id, topic)
    row = db.execute(
        f"""SELECT s.bank_id, s.card_id FROM card_states s
                         WHERE s.learner_id = ? AND s.due <= ? {scope_sql} AND {_LIVE}
                         ORDER BY s.due LIMIT 1""",
        [learner_id, stamp(now), *scope_args],
    ).fetchone()
    if row:
        return {"bank_id": row[0], "card_id": row[1], "new": False}
    if new_limit_left > 0:
        item_bank = "AND i.bank_id = ?" if bank_id else ""
        item_topic = "AND EXISTS (SELECT 1 FROM json_each(i.topics) j WHERE j.value = ?)" if topic else ""
        row = db.execute(
            f"""SELECT i.bank_id, i.id FROM (
                                SELECT bank_id, id, 0 AS kind, position, retired_at, topics FROM cards
                                UNION ALL {QUESTION_CARDS}) i
                             WHERE i.retired_at IS NULL {item_bank} {item_topic}
                               AND NOT EXISTS (SELECT 1 FROM card_states s WHERE s.learner_id = ?
                                               AND s.bank_id = i.bank_id AND s.card_id = i.id)
                             ORDER BY i.bank_id, i.kind, i.position LIMIT 1""",
            [*([bank_id] if bank_id else []), *([topic] if topic else []), learner_id],
        ).fetchone()
        if row:
            return {"bank_id": row[0], "card_id": row[1], "new": True}
    row = db.execute(
        f"""SELECT s.bank_id, s.card_id FROM card_states s
                         WHERE s.learner_id = ? AND s.due <= ? AND {_LEARNING} {scope_sql} AND {_LIVE}
                         ORDER BY s.due LIMIT 1""",
        [learner_id, stamp(now + LEARN_AHEAD), *scope_args],
    ).fetchone()
    if row:
        return {"bank_id": row[0], "card_id": row[1], "new": False}
    return None


def content(db, bank_id: str, card_id: str) -> dict | None:
    """Front and back of a flashcard: a bank card as written, a question as prompt -> answer."""
    row = db.execute("SELECT data FROM cards WHERE bank_id = ? AND id = ?", [bank_id, card_id]).fetchone()
    if row:
        card = json.loads(row[0])
        found = {
            "kind": "card",
            "bank_id": bank_id,
            "id": card_id,
            "front": card["front"],
            "back": card["back"],
            "source": card.get("source"),
            "topics": card["topics"],
        }
        question = get_question(db, bank_id, card["question"]) if card.get("question") else None
        if question is not None:  # a card a question makes (a cloze's blank): its type's templates show it
            found.update(question=question, blank=card["blank"])
        return found
    question = get_question(db, bank_id, card_id)
    if question is None:
        return None
    return {
        "kind": "question",
        "bank_id": bank_id,
        "id": card_id,
        "front": question["prompt"],
        "question": question,
        "back": question.get("explanation"),
        "source": question.get("source"),
        "topics": question["topics"],
    }


def record_review(
    db,
    learner_id: int,
    bank_id: str,
    card_id: str,
    rating: Rating,
    now: datetime,
    sched: Scheduler,
    origin: str,
    duration_ms: int | None = None,
    expected_reps: int | None = None,
    attempt_id: int | None = None,
) -> dict | None:
    """Review a card once. `expected_reps` is the count the learner saw: a replayed or double-tapped
    form finds it changed and records nothing. Returns the new state, or None for a duplicate."""
    with write(db):
        current = get_state(db, learner_id, bank_id, card_id)
        reps = current["reps"] if current else 0
        if expected_reps is not None and expected_reps != reps:
            return None
        if (
            attempt_id is not None
            and db.execute(
                "SELECT 1 FROM review_logs WHERE attempt_id = ? AND card_id = ?", [attempt_id, card_id]
            ).fetchone()
        ):
            return None
        result = review(current["fsrs"] if current else None, rating, now, sched, duration_ms)
        after = result.after
        lapses = (current["lapses"] if current else 0) + (
            1 if rating == Rating.Again and current and current["fsrs"]["state"] == State.Review else 0
        )
        when = stamp(now)
        record = {
            "learner_id": learner_id,
            "bank_id": bank_id,
            "card_id": card_id,
            "fsrs": json.dumps(after),
            "state": after["state"],
            "due": stamp(datetime.fromisoformat(after["due"])),
            "stability": after["stability"],
            "difficulty": after["difficulty"],
            "last_review": when,
            "reps": reps + 1,
            "lapses": lapses,
        }
        if current:
            db["card_states"].update((learner_id, bank_id, card_id), record)
        else:
            db["card_states"].insert({**record, "first_review": when})
        db["review_logs"].insert(
            {
                "learner_id": learner_id,
                "bank_id": bank_id,
                "card_id": card_id,
                "rating": int(rating),
                "duration_ms": duration_ms,
                "reviewed_at": when,
                "origin": origin,
                "state_before": json.dumps(result.before) if result.before else None,
                "state_after": json.dumps(after),
                "attempt_id": attempt_id,
            }
        )
    return {"fsrs": after, "reps": reps + 1, "lapses": lapses}
