"""The rules of a live game, without a server: clocks, points, phases, ranking, charts, codes and nicknames."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from quizapp.live.game import (
    Clock,
    GameError,
    clean_code,
    clean_nickname,
    distribution,
    new_code,
    points,
    rank,
    transition,
)

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_speed_scoring_gives_1000_at_once_and_500_at_the_deadline():
    clock = Clock(T0, reading_s=0, timer_s=20)
    assert points("speed", 1.0, clock, at(0)) == 1000
    assert points("speed", 1.0, clock, at(10)) == 750
    assert points("speed", 1.0, clock, at(20)) == 500
    assert points("speed", 1.0, clock, at(25)) == 500  # never below half, even if the clock was generous


def test_wrong_answers_score_nothing_and_partial_credit_scales():
    clock = Clock(T0, timer_s=20)
    assert points("speed", 0.0, clock, at(1)) == 0
    assert points("speed", 0.5, clock, at(0)) == 500
    assert points("correct", 0.5, clock, at(19)) == 500


def test_correctness_scoring_ignores_speed():
    clock = Clock(T0, timer_s=20)
    assert points("correct", 1.0, clock, at(0)) == points("correct", 1.0, clock, at(19)) == 1000


def test_reading_time_costs_no_points_and_extends_the_deadline():
    clock = Clock(T0, reading_s=10, timer_s=20)
    assert clock.deadline == at(30)
    assert points("speed", 1.0, clock, at(9)) == 1000  # answered while still reading
    assert points("speed", 1.0, clock, at(20)) == 750  # 10 s after the reading time
    assert clock.is_open(at(29.9)) and not clock.is_open(at(30))
    assert clock.reading_left_ms(at(4)) == 6000 and clock.reading_left_ms(at(12)) == 0
    assert clock.elapsed_ms(at(20)) == 20000 and clock.speed_ms(at(20)) == 10000


def test_without_a_timer_a_question_waits_for_the_teacher_and_speed_is_not_scored():
    clock = Clock(T0, timer_s=None)
    assert clock.deadline is None and clock.remaining_ms(at(999)) is None
    assert clock.is_open(at(3600))
    assert points("speed", 1.0, clock, at(300)) == 1000


def test_a_closed_question_takes_no_answer_whatever_its_timer():
    clock = Clock(T0, timer_s=20, closed_at=at(5))
    assert not clock.is_open(at(6)) and clock.remaining_ms(at(6)) == 0


def test_remaining_time_counts_down_from_the_server_clock():
    clock = Clock(T0, reading_s=5, timer_s=20)
    assert clock.remaining_ms(at(0)) == 25000
    assert clock.remaining_ms(at(24.5)) == 500
    assert clock.remaining_ms(at(40)) == 0


@pytest.mark.parametrize(
    "phase, position, action, after",
    [
        ("lobby", 0, "start", ("question", 1)),
        ("question", 1, "close", ("results", 1)),
        ("results", 1, "next", ("question", 2)),
        ("results", 3, "next", ("ended", 3)),
        ("results", 1, "standings", ("leaderboard", 1)),
        ("leaderboard", 1, "next", ("question", 2)),
        ("leaderboard", 2, "end", ("ended", 2)),
        ("question", 2, "end", ("ended", 2)),
        ("lobby", 0, "end", ("ended", 0)),
    ],
)
def test_teacher_steps_move_the_game(phase, position, action, after):
    assert transition(phase, position, 3, action) == after


@pytest.mark.parametrize(
    "phase, position, action",
    [
        ("lobby", 0, "next"),
        ("lobby", 0, "close"),
        ("question", 1, "start"),
        ("question", 1, "next"),
        ("results", 1, "close"),
        ("results", 3, "standings"),  # after the last question the podium follows the results
        ("question", 1, "standings"),
        ("leaderboard", 1, "close"),
        ("leaderboard", 1, "standings"),
        ("ended", 3, "end"),
        ("ended", 3, "next"),
    ],
)
def test_steps_out_of_turn_are_refused(phase, position, action):
    with pytest.raises(GameError):
        transition(phase, position, 3, action)


def test_a_game_without_questions_cannot_start():
    with pytest.raises(GameError):
        transition("lobby", 0, 0, "start")


def test_ranking_shares_places_on_equal_points():
    standings = rank([(1, "Ana", 900), (2, "bo", 1500), (3, "Cai", 900), (4, "Dee", 0)])
    assert [(s.nickname, s.rank) for s in standings] == [("bo", 1), ("Ana", 2), ("Cai", 2), ("Dee", 4)]


def test_distribution_counts_choices_in_the_order_shown():
    question = {
        "type": "choice",
        "choices": [
            {"text": {"en": "a", "zh": "甲"}, "correct": False},
            {"text": {"en": "b", "zh": "乙"}, "correct": True},
            {"text": {"en": "c", "zh": "丙"}, "correct": False},
        ],
    }
    bars = distribution(question, [2, 0, 1], [(1, 1.0), (1, 1.0), (0, 0.0)])
    assert [(b.text["en"], b.count, b.correct) for b in bars] == [("c", 0, False), ("a", 1, False), ("b", 2, True)]


def test_distribution_of_multi_true_false_and_typed_answers():
    multi = {
        "type": "multi",
        "choices": [
            {"text": {"en": "a", "zh": "甲"}, "correct": True},
            {"text": {"en": "b", "zh": "乙"}, "correct": True},
        ],
    }
    assert [b.count for b in distribution(multi, [0, 1], [([0, 1], 1.0), ([1], 0.5)])] == [1, 2]
    yes_no = distribution({"type": "true_false", "answer": False}, [], [(True, 0.0), (False, 1.0), (False, 1.0)])
    assert [(b.message, b.count, b.correct) for b in yes_no] == [("True", 1, False), ("False", 2, True)]
    typed = distribution({"type": "numeric"}, [], [({"value": 1}, 1.0), ({"value": 2}, 0.0)])
    assert [(b.message, b.count) for b in typed] == [("Right", 1), ("Wrong", 1)]
    partly = distribution({"type": "order"}, [], [([0], 1.0), ([1], 0.5)])
    assert [b.message for b in partly] == ["Right", "Partly right", "Wrong"]


def test_nicknames_are_cleaned_and_bounded():
    assert clean_nickname("  Mei\u200b  Lin\n") == "Mei Lin"
    assert clean_nickname("ＭＥＩ") == "MEI"  # full-width letters from a Chinese keyboard
    with pytest.raises(GameError):
        clean_nickname(" \t ")
    with pytest.raises(GameError):
        clean_nickname("x" * 21)


def test_join_codes_are_six_digits_and_typing_slips_are_forgiven():
    rng = random.Random(4)
    codes = {new_code(rng) for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 190
    assert clean_code(" 12 34-56 ") == "123456" and clean_code("１２３４５６") == "123456"
    assert clean_code("12345") is None and clean_code("abcdef") is None and clean_code(None) is None
