"""A learner's progress: per bank and topic, the last 30 days, the next 14, and their streak.

Reads only; dates are counted in the learner's own time zone.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from quizapp.core.clock import parse, stamp
from quizapp.learn.scheduling import retrievability_of

HISTORY_DAYS = 30
FORECAST_DAYS = 14


def _local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def _item_topics(db) -> dict[tuple[str, str], list[str]]:
    topics = {}
    for table in ("questions", "cards"):
        for bank_id, item_id, raw in db.execute(f"SELECT bank_id, id, topics FROM {table}"):
            topics[(bank_id, item_id)] = json.loads(raw)
    return topics


def summary(db, learner: dict, now: datetime, sched) -> dict:
    """Everything the progress page shows, as plain data."""
    zone = ZoneInfo(learner.get("timezone") or "UTC")
    learner_id = learner["id"]
    retention = learner.get("desired_retention") or 0.9
    topics = _item_topics(db)
    titles = {r["id"]: json.loads(r["title"]) for r in db.query("SELECT id, title FROM banks")}

    def blank():
        return {"answered": 0, "correct": 0, "score": 0.0, "max_score": 0.0, "learned": 0, "mastered": 0, "cards": 0}

    banks: dict[str, dict] = defaultdict(blank)
    by_topic: dict[str, dict] = defaultdict(blank)
    for bank_id, question_id, score, max_score, correct in db.execute(
        "SELECT bank_id, question_id, score, max_score, correct FROM attempts WHERE learner_id = ?", [learner_id]
    ):
        for bucket in [banks[bank_id]] + [by_topic[t] for t in topics.get((bank_id, question_id), [])]:
            bucket["answered"] += 1
            bucket["correct"] += correct
            bucket["score"] += score
            bucket["max_score"] += max_score
    due_by_day: dict[date, int] = defaultdict(int)
    today = _local_day(now, zone)
    for bank_id, card_id, state, stability, last_review, due in db.execute(
        "SELECT bank_id, card_id, state, stability, last_review, due FROM card_states WHERE learner_id = ?",
        [learner_id],
    ):
        recall = retrievability_of(stability, parse(last_review) if last_review else None, now, sched)
        for bucket in [banks[bank_id]] + [by_topic[t] for t in topics.get((bank_id, card_id), [])]:
            bucket["cards"] += 1
            bucket["learned"] += state == 2
            bucket["mastered"] += state == 2 and recall >= retention  # graduated and still remembered
        due_by_day[max(today, _local_day(parse(due), zone))] += 1
    for bank_id, values in banks.items():
        values["title"] = titles.get(bank_id, {"en": bank_id, "zh": bank_id})
        values["total_items"] = sum(1 for (b, _i) in topics if b == bank_id)

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
    return {
        "banks": dict(sorted(banks.items())),
        "topics": dict(sorted(by_topic.items())),
        "history": [{"day": d, "reviews": n, "accuracy": (ok / n) if n else None} for d, (n, ok) in reviews.items()],
        "forecast": [
            {"day": today + timedelta(days=n), "due": due_by_day.get(today + timedelta(days=n), 0)}
            for n in range(FORECAST_DAYS)
        ],
        "streak": streak(db, learner_id, zone, today),
        "retention": retention,
    }


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
