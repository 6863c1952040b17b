"""A learner's progress: per bank and topic, the last 30 days, the next 14, and their streak.

Reads only; dates are counted in the learner's own time zone.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from quizapp.core.clock import parse, stamp
from quizapp.learn import mastery
from quizapp.learn.mastery import Mastery
from quizapp.learn.scheduling import desired_retention

HISTORY_DAYS = 30
FORECAST_DAYS = 14


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


@dataclass
class Standing:
    """A learner's answers and mastery in one bank or topic."""

    mastery: Mastery = field(default_factory=Mastery)
    answered: int = 0
    correct: int = 0
    score: float = 0.0
    max_score: float = 0.0
    title: dict | None = None  # a bank's title; None for a topic


class Day(NamedTuple):
    day: date
    reviews: int
    accuracy: float | None  # share of reviews remembered (rated Hard or better); None without reviews


class Due(NamedTuple):
    day: date
    due: int


@dataclass(frozen=True)
class Summary:
    """Everything the progress page shows."""

    banks: dict[str, Standing]  # by bank id, the banks the learner has answered or studied
    topics: dict[str, Standing]  # by topic id, likewise
    history: list[Day]  # the last HISTORY_DAYS days, oldest first
    forecast: list[Due]  # the next FORECAST_DAYS days, today first
    streak: int
    retention: float


def summary(db, learner: dict, now: datetime) -> Summary:
    """Everything the progress page shows, as plain data."""
    zone = ZoneInfo(learner.get("timezone") or "UTC")
    learner_id = learner["id"]
    known = mastery.catalog(db)
    titles = {r["id"]: json.loads(r["title"]) for r in db.query("SELECT id, title FROM banks")}

    banks: dict[str, Standing] = defaultdict(Standing)
    by_topic: dict[str, Standing] = defaultdict(Standing)

    def buckets(bank_id: str, item_id: str) -> list[Standing]:
        """The bank's and the item's topics' standings, which each answer or card of the item counts in."""
        return [banks[bank_id]] + [by_topic[t] for t in known.topics.get((bank_id, item_id), ())]

    for bank_id, question_id, score, max_score, correct in db.execute(
        "SELECT bank_id, question_id, score, max_score, correct FROM attempts WHERE learner_id = ?", [learner_id]
    ):
        for bucket in buckets(bank_id, question_id):
            bucket.answered += 1
            bucket.correct += correct
            bucket.score += score
            bucket.max_score += max_score
    due_by_day: dict[date, int] = defaultdict(int)
    today = _local_day(now, zone)
    for card in mastery.standings(db, [learner_id], now, known):
        if card.live:
            for bucket in buckets(card.bank_id, card.card_id):
                bucket.mastery.add(card)
        due_by_day[max(today, _local_day(parse(card.due), zone))] += 1
    for bank_id, values in banks.items():
        values.title = titles.get(bank_id, {"en": bank_id, "zh": bank_id})
        values.mastery.items = known.bank_items[bank_id]
    for topic, values in by_topic.items():
        values.mastery.items = known.topic_items[topic]

    shift = _offset(zone)
    since = now - timedelta(days=HISTORY_DAYS + 1)
    days = [today - timedelta(days=n) for n in range(HISTORY_DAYS - 1, -1, -1)]
    reviews = {d: [0, 0] for d in days}  # day -> [reviews, recalled]
    for day, count, recalled in db.execute(
        """SELECT date(reviewed_at, ?) AS day, count(*), sum(rating > 1) FROM review_logs
               WHERE learner_id = ? AND reviewed_at >= ? GROUP BY day""",
        [shift, learner_id, stamp(since)],
    ):
        if date.fromisoformat(day) in reviews:
            reviews[date.fromisoformat(day)] = [count, recalled]
    return Summary(
        banks=dict(sorted(banks.items())),
        topics=dict(sorted(by_topic.items())),
        history=[Day(d, n, (ok / n) if n else None) for d, (n, ok) in reviews.items()],
        forecast=[
            Due(today + timedelta(days=n), due_by_day.get(today + timedelta(days=n), 0)) for n in range(FORECAST_DAYS)
        ],
        streak=streak(db, learner_id, zone, today),
        retention=desired_retention(learner),
    )


def _offset(zone: ZoneInfo) -> str:
    """The zone's current UTC offset as an SQLite date modifier.

    SQLite cannot read IANA zones, so days are cut at today's offset: across a DST change a
    review made within an hour of midnight can count for the neighbouring day.
    """
    minutes = int(datetime.now(zone).utcoffset().total_seconds() // 60)
    return f"{minutes:+d} minutes"


def streak(db, learner_id: int, zone: ZoneInfo, today: date) -> int:
    """Consecutive days with at least one review or answer, ending today (or yesterday, while today is open).

    One indexed probe per day, walking back from today, with each day's bounds taken in the
    learner's zone (so DST is right), instead of scanning every review ever made.
    """

    def studied(day: date) -> bool:
        start = datetime.combine(day, datetime.min.time(), zone)
        end = datetime.combine(day + timedelta(days=1), datetime.min.time(), zone)
        return (
            db.execute(
                "SELECT 1 FROM review_logs WHERE learner_id = ? AND reviewed_at >= ? AND reviewed_at < ? LIMIT 1",
                [learner_id, stamp(start.astimezone(UTC)), stamp(end.astimezone(UTC))],
            ).fetchone()
            is not None
        )

    day = today if studied(today) else today - timedelta(days=1)
    count = 0
    while studied(day):
        count += 1
        day -= timedelta(days=1)
    return count
