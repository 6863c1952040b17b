"""Decks as Anki shows them: every bank, and every topic in a bank, with the cards left to study today.

A deck is a scope (a bank, optionally one of its topics) over the same flashcards; its counts are
the three Anki shows: new cards the daily limit still allows, learning cards due in this session,
review cards due now. No Flask: the study views pass the database, the learner and the moment.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from quizapp.core.clock import parse, stamp
from quizapp.learn.flashcards import QUESTION_CARDS
from quizapp.learn.scheduling import LEARN_AHEAD, LEARNING_STATES

_LEARNING = {state.value for state in LEARNING_STATES}


class Kind(Enum):
    """What a card is to the learner right now, as Anki colours its three counts."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"


@dataclass(frozen=True)
class Scope:
    """Which cards a study session draws from: all banks, one bank, or one topic of one bank."""

    bank_id: str | None = None
    topic: str | None = None

    def holds(self, bank_id: str, topics: tuple[str, ...]) -> bool:
        return (self.bank_id is None or self.bank_id == bank_id) and (self.topic is None or self.topic in topics)


@dataclass
class Counts:
    """Cards left today in a deck, as Anki counts them."""

    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review


@dataclass
class Deck:
    scope: Scope
    counts: Counts
    items: int  # live cards and questions in the deck


def _items(db) -> dict[tuple[str, str], tuple[str, ...]]:
    """Every live flashcard (bank card or question) with its topics."""
    rows = db.execute(
        f"""SELECT bank_id, id, topics FROM cards WHERE retired_at IS NULL
           UNION ALL SELECT bank_id, id, topics FROM ({QUESTION_CARDS}) WHERE retired_at IS NULL"""
    )
    return {(bank_id, item_id): tuple(json.loads(topics)) for bank_id, item_id, topics in rows}


def _states(db, learner_id: int | None) -> dict[tuple[str, str], tuple[int, str]]:
    if not learner_id:
        return {}
    rows = db.execute("SELECT bank_id, card_id, state, due FROM card_states WHERE learner_id = ?", [learner_id])
    return {(bank_id, card_id): (state, due) for bank_id, card_id, state, due in rows}


def kind_of(state: int | None) -> Kind:
    """A card's kind from its stored FSRS state (None: never studied)."""
    if state is None:
        return Kind.NEW
    return Kind.LEARNING if state in _LEARNING else Kind.REVIEW


def _tally(items, states, now: datetime, new_left: int, scopes: list[Scope]) -> dict[Scope, Deck]:
    """Count once over every item for all the scopes asked for."""
    now_stamp, ahead_stamp = stamp(now), stamp(now + LEARN_AHEAD)
    decks = {scope: Deck(scope, Counts(), 0) for scope in scopes}
    unseen: dict[Scope, int] = defaultdict(int)
    for key, topics in items.items():
        held = [deck for scope, deck in decks.items() if scope.holds(key[0], topics)]
        if not held:
            continue
        state = states.get(key)
        kind = kind_of(state[0] if state else None)
        for deck in held:
            deck.items += 1
            if kind is Kind.NEW:
                unseen[deck.scope] += 1
            elif kind is Kind.LEARNING and state[1] <= ahead_stamp:
                deck.counts.learning += 1
            elif kind is Kind.REVIEW and state[1] <= now_stamp:
                deck.counts.review += 1
    for scope, deck in decks.items():
        deck.counts.new = min(unseen[scope], new_left)
    return decks


def counts(db, learner_id: int | None, now: datetime, new_left: int, scope: Scope) -> Counts:
    """What is left today in one deck: the numbers shown above a flashcard."""
    return _tally(_items(db), _states(db, learner_id), now, new_left, [scope])[scope].counts


def topics(items: dict[tuple[str, str], tuple[str, ...]], bank_id: str) -> list[str]:
    """A bank's topics over its cards and questions both, most used first."""
    used: dict[str, int] = defaultdict(int)
    for (item_bank, _item), item_topics in items.items():
        if item_bank == bank_id:
            for topic in item_topics:
                used[topic] += 1
    return sorted(used, key=lambda topic: (-used[topic], topic))


def has_topic(db, bank_id: str, topic: str) -> bool:
    return topic in topics(_items(db), bank_id)


def decks(
    db, learner_id: int | None, now: datetime, new_left: int, bank_ids: list[str]
) -> list[tuple[Deck, list[Deck]]]:
    """Each bank's deck with its topics' decks, for the deck chooser."""
    items = _items(db)
    per_bank = {bank_id: topics(items, bank_id) for bank_id in bank_ids}
    scopes = [Scope(bank_id, topic) for bank_id in bank_ids for topic in (None, *per_bank[bank_id])]
    tallied = _tally(items, _states(db, learner_id), now, new_left, scopes)
    return [
        (tallied[Scope(bank_id)], [tallied[Scope(bank_id, topic)] for topic in per_bank[bank_id]])
        for bank_id in bank_ids
    ]


def reviewed_since(db, learner_id: int | None, since: datetime, scope: Scope) -> int:
    """Flashcard reviews made in the deck since a moment (the start of the learner's day): the done
    part of the session's progress bar."""
    if not learner_id:
        return 0
    items = _items(db)
    rows = db.execute(
        "SELECT bank_id, card_id FROM review_logs WHERE learner_id = ? AND origin = 'study' AND reviewed_at >= ?",
        [learner_id, stamp(since)],
    )
    return sum(1 for key in rows if tuple(key) in items and scope.holds(key[0], items[tuple(key)]))


def due_later(db, learner_id: int | None, scope: Scope) -> datetime | None:
    """When the deck's next card falls due, for the 'all done' page."""
    items = _items(db)
    dues = [
        due
        for key, (_state, due) in _states(db, learner_id).items()
        if key in items and scope.holds(key[0], items[key])
    ]
    return parse(min(dues)) if dues else None
