"""Mastery, defined once for the student's progress page and the teacher's class page. No Flask.

A learner has mastered an item (a question or a card) when its flashcard has graduated (FSRS's
Review state) and they would still recall it now with at least their own desired retention.
Mastery of a bank or topic is the share of its live items mastered: retired items count on
neither side of the fraction.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from fsrs import State

from quizapp.core.clock import parse
from quizapp.learn.scheduling import DEFAULT_RETENTION, retrievability_of, scheduler

ItemKey = tuple[str, str]  # (bank id, question or card id): a flashcard's key too
REVIEW = State.Review.value  # graduated; compared once per card state, so not looked up on the enum each time


class CardStanding(NamedTuple):
    """One flashcard state of a learner, judged."""

    learner_id: int
    bank_id: str
    card_id: str
    due: str
    live: bool  # False for a retired item's card, which counts in no mastery
    learned: bool  # graduated to Review
    mastered: bool  # graduated and recalled now with at least the learner's desired retention


@dataclass
class Mastery:
    """One learner's standing in one bank or topic."""

    items: int = 0  # live questions and cards: the denominator
    studied: int = 0  # of them, with a flashcard state
    learned: int = 0
    mastered: int = 0

    @property
    def share(self) -> float | None:
        return self.mastered / self.items if self.items else None

    def add(self, card: CardStanding) -> None:
        """Count one card state in (a retired item's counts in no mastery)."""
        if card.live:
            self.studied += 1
            self.learned += card.learned
            self.mastered += card.mastered


@dataclass
class Catalog:
    """Every question and card: its topics, whether it is retired, and the live items per bank and
    per topic (the denominators of mastery)."""

    topics: dict[ItemKey, list[str]] = field(default_factory=dict)  # shared lists: read, never change
    retired: set[ItemKey] = field(default_factory=set)
    bank_items: Counter = field(default_factory=Counter)
    topic_items: Counter = field(default_factory=Counter)


def catalog(db, bank_ids: list[str] | None = None) -> Catalog:
    """The catalog of these banks (all banks when None)."""
    where, args = ("", [])
    if bank_ids is not None:
        where, args = f"WHERE bank_id IN ({','.join('?' * len(bank_ids))})", bank_ids
    found = Catalog()
    # Items share a few topic lists: each distinct one is parsed and counted once (a progress page
    # reads every item of every bank).
    parsed: dict[str, list[str]] = {}
    live_lists: Counter = Counter()
    for table in ("questions", "cards"):
        for bank_id, item_id, raw, retired_at in db.execute(
            f"SELECT bank_id, id, topics, retired_at FROM {table} {where}", args
        ):
            topics = parsed.get(raw)
            if topics is None:
                topics = parsed[raw] = json.loads(raw)
            found.topics[(bank_id, item_id)] = topics
            if retired_at is None:
                found.bank_items[bank_id] += 1
                live_lists[raw] += 1
            else:
                found.retired.add((bank_id, item_id))
    for raw, count in live_lists.items():
        for topic in parsed[raw]:
            found.topic_items[topic] += count
    return found


def standings(
    db, learner_ids: list[int], now: datetime, known: Catalog, bank_ids: list[str] | None = None
) -> Iterator[CardStanding]:
    """Each flashcard state these learners hold (in these banks), judged: on a live item, learned or
    not, mastered or not."""
    return map(CardStanding._make, _judged(db, learner_ids, now, known, bank_ids))


def _judged(db, learner_ids, now, known, bank_ids) -> Iterator[tuple]:
    """`standings` as plain tuples: a class page judges thousands of cards, and building a named
    tuple for each one cost a fifth of the page."""
    if not learner_ids:
        return
    marks = ",".join("?" * len(learner_ids))
    judge = {}  # learner id -> (desired retention, the scheduler whose recall formula applies)
    for learner_id, value in db.execute(
        f"SELECT id, desired_retention FROM learners WHERE id IN ({marks})", learner_ids
    ):
        judge[learner_id] = (value or DEFAULT_RETENTION, scheduler(value or DEFAULT_RETENTION, fuzz=False))
    banks, bank_args = "", []
    if bank_ids is not None:
        banks, bank_args = f"AND bank_id IN ({','.join('?' * len(bank_ids))})", bank_ids
    topics, retired = known.topics, known.retired
    for learner_id, bank_id, card_id, state, stability, last_review, due in db.execute(
        f"""SELECT learner_id, bank_id, card_id, state, stability, last_review, due FROM card_states
            WHERE learner_id IN ({marks}) {banks}""",
        [*learner_ids, *bank_args],
    ):
        key = (bank_id, card_id)
        if key in retired or key not in topics:
            yield learner_id, bank_id, card_id, due, False, False, False
        elif state != REVIEW:
            yield learner_id, bank_id, card_id, due, True, False, False
        else:
            kept, sched = judge[learner_id]
            recall = retrievability_of(stability, parse(last_review) if last_review else None, now, sched)
            yield learner_id, bank_id, card_id, due, True, True, recall >= kept


def by_bank(db, learner_ids: list[int], bank_ids: list[str], now: datetime) -> dict[tuple[int, str], Mastery]:
    """Mastery of each of these learners in each of these banks, keyed (learner id, bank id)."""
    known = catalog(db, bank_ids)
    result = {(learner, bank): Mastery(known.bank_items[bank]) for learner in learner_ids for bank in bank_ids}
    counts: dict[tuple[int, str], list[int]] = {key: [0, 0, 0] for key in result}
    for learner_id, bank_id, _card, _due, live, learned, mastered in _judged(db, learner_ids, now, known, bank_ids):
        if live:
            count = counts[(learner_id, bank_id)]
            count[0] += 1
            count[1] += learned
            count[2] += mastered
    for key, (studied, learned, mastered) in counts.items():
        standing = result[key]
        standing.studied, standing.learned, standing.mastered = studied, learned, mastered
    return result
