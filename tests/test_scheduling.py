"""Scheduling on top of fsrs: fixed dates, fuzzing off, so every interval is exact."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating

from quizapp.learn.scheduling import preview, rating_from_answer, retrievability_of, review, scheduler

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_new_card_previews_fsrs_learning_steps():
    intervals = preview(None, T0, scheduler(fuzz=False))
    assert intervals[Rating.Again] == timedelta(minutes=1)
    assert intervals[Rating.Good] == timedelta(minutes=10)
    assert intervals[Rating.Easy] >= timedelta(days=1)
    assert intervals[Rating.Again] < intervals[Rating.Hard] < intervals[Rating.Good] < intervals[Rating.Easy]


def test_graduating_a_card_gives_day_intervals_and_higher_retention_shortens_them():
    sched = scheduler(fuzz=False)
    state = review(None, Rating.Good, T0, sched).after
    state = review(state, Rating.Good, T0 + timedelta(minutes=10), sched).after
    assert state["state"] == 2  # Review
    due = datetime.fromisoformat(state["due"]) - (T0 + timedelta(minutes=10))
    assert due >= timedelta(days=1)
    strict = scheduler(0.97, fuzz=False)
    strict_state = review(
        review(None, Rating.Good, T0, strict).after, Rating.Good, T0 + timedelta(minutes=10), strict
    ).after
    assert datetime.fromisoformat(strict_state["due"]) < datetime.fromisoformat(state["due"])


def test_review_without_fuzz_is_deterministic():
    sched = scheduler(fuzz=False)
    first = review(None, Rating.Easy, T0, sched).after
    again = review(None, Rating.Easy, T0, sched).after
    assert first == again and review(None, Rating.Easy, T0, sched).before is None


def test_again_on_a_review_card_relearns():
    sched = scheduler(fuzz=False)
    state = review(None, Rating.Easy, T0, sched).after
    lapsed = review(state, Rating.Again, datetime.fromisoformat(state["due"]), sched)
    assert lapsed.after["state"] == 3 and lapsed.before == state


@pytest.mark.parametrize(
    "score, max_score, time_ms, difficulty, expected",
    [
        (0, 1, 3_000, 1, Rating.Again),
        (0.5, 1, 3_000, 2, Rating.Hard),
        (1, 1, 60_000, 2, Rating.Hard),
        (1, 1, 20_000, 2, Rating.Good),
        (1, 1, 5_000, 2, Rating.Good),
        (1, 1, 5_000, 1, Rating.Easy),
        (1, 1, None, 1, Rating.Good),
    ],
)
def test_quiz_answers_are_rated_from_correctness_and_time(score, max_score, time_ms, difficulty, expected):
    assert rating_from_answer(score, max_score, time_ms, difficulty) == expected


def test_retrievability_matches_fsrs():
    sched = scheduler(fuzz=False)
    state = review(None, Rating.Easy, T0, sched).after
    card = Card.from_dict(state)
    for days in (0, 1, 7, 30, 365):
        when = T0 + timedelta(days=days, hours=3)
        assert retrievability_of(card.stability, card.last_review, when, sched) == pytest.approx(
            sched.get_card_retrievability(card, when)
        )
    assert retrievability_of(None, None, T0, sched) == 0
