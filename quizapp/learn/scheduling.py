"""Spaced repetition on top of the fsrs package (FSRS-6): no scheduler of our own, only glue.

Plain Python: states go in and out as the JSON-able dicts fsrs.Card.to_dict() makes,
so the data layer stores them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
QUICK_MS = 10_000  # a right answer this fast on an easy question is "Easy"
SLOW_MS = 45_000  # a right answer slower than this was effortful: "Hard"
LEARN_AHEAD = timedelta(minutes=20)  # Anki's default: learning cards may come early at the end of a session
DEFAULT_RETENTION = 0.9  # FSRS's default, for a visitor who has no settings yet
LEARNING_STATES = (State.Learning, State.Relearning)  # a card in steps, not yet (or no longer) in Review


@lru_cache(maxsize=64)
def scheduler(desired_retention: float = 0.9, fuzz: bool = True) -> Scheduler:
    """One Scheduler per (retention, fuzz): it holds no per-card state, and building one
    validates all 21 parameters, which is most of what a flashcard page would spend."""
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz)


def desired_retention(learner: dict | None) -> float:
    """The recall probability a learner asked to be scheduled for (their setting, else the default)."""
    return (learner or {}).get("desired_retention") or DEFAULT_RETENTION


def for_learner(learner: dict | None, fuzz: bool = True) -> Scheduler:
    """The scheduler a learner's reviews are made with, whichever page records them."""
    return scheduler(desired_retention(learner), fuzz=fuzz)


def new_card() -> dict:
    """A never-seen card. card_id is fixed because fsrs.Card() otherwise derives it from the clock (and sleeps)."""
    return Card(card_id=1).to_dict()


@dataclass(frozen=True)
class Reviewed:
    before: dict
    after: dict
    rating: Rating


def review(
    state: dict | None, rating: Rating, when: datetime, sched: Scheduler, duration_ms: int | None = None
) -> Reviewed:
    """Apply one rating to a card's state (None for a new card)."""
    before = state or new_card()
    card, _log = sched.review_card(Card.from_dict(before), rating, review_datetime=when, review_duration=duration_ms)
    return Reviewed(before if state else None, card.to_dict(), rating)


def preview(state: dict | None, when: datetime, sched: Scheduler) -> dict[Rating, timedelta]:
    """The interval each rating would give now, for the labels on the rating buttons."""
    quiet = sched if not sched.enable_fuzzing else scheduler(sched.desired_retention, fuzz=False)
    result = {}
    for rating in RATINGS:
        card, _ = quiet.review_card(Card.from_dict(state or new_card()), rating, review_datetime=when)
        result[rating] = card.due - when
    return result


def retrievability(state: dict, when: datetime, sched: Scheduler) -> float:
    return sched.get_card_retrievability(Card.from_dict(state), when)


def rating_from_answer(score: float, max_score: float, time_ms: int | None, difficulty: int) -> Rating:
    """Grade a quiz answer as a review, so students never have to rate themselves.

    Wrong: Again. Partly right or slow: Hard. Right: Good. Right and quick on an easy question: Easy.
    """
    if score <= 0:
        return Rating.Again
    if score < max_score or (time_ms is not None and time_ms > SLOW_MS):
        return Rating.Hard
    if difficulty == 1 and time_ms is not None and time_ms <= QUICK_MS:
        return Rating.Easy
    return Rating.Good


def retrievability_of(stability: float | None, last_review: datetime | None, when: datetime, sched: Scheduler) -> float:
    """fsrs's own retrievability formula on stored columns, for pages that weigh thousands of cards:
    building an fsrs.Card per row would be the slow part. Tested equal to Scheduler.get_card_retrievability."""
    if stability is None or last_review is None:
        return 0.0
    decay = -sched.parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    elapsed_days = max(0, (when - last_review).days)
    return (1 + factor * elapsed_days / stability) ** decay
