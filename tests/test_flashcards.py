"""What comes next in a study session, and reviews recorded exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from quizapp.banks.bankfile import validate_file
from quizapp.banks.store import import_banks
from quizapp.core import migrations
from quizapp.core.store import connect
from quizapp.learn.decks import Counts, Kind, Scope, counts, decks, due_later, kind_of, reviewed_since
from quizapp.learn.flashcards import get_state, new_since, next_card, record_review
from quizapp.learn.scheduling import scheduler

from .helpers import DATA

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
SCHED = scheduler(fuzz=False)


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "f.sqlite3")
    migrations.apply(database)
    import_banks(database, [(validate_file(DATA / "sample.yaml").bank, "sample.yaml")])
    database.execute("INSERT INTO learners (id, created_at, last_seen_at) VALUES (1, 'x', 'x')")
    yield database
    database.conn.close()


def study(db, when, rating=Rating.Good, limit=20):
    card = next_card(db, 1, when, limit)
    record_review(db, 1, card["bank_id"], card["card_id"], rating, when, SCHED, "study")
    return card


def test_bank_cards_come_first_then_questions_in_order(db):
    assert next_card(db, 1, T0, 20) == {"bank_id": "sample", "card_id": "term-civil-code", "new": True}
    study(db, T0)
    assert next_card(db, 1, T0, 20)["card_id"] == "civil-code-year"


def test_daily_new_card_limit(db):
    study(db, T0)
    study(db, T0)
    assert new_since(db, 1, T0 - timedelta(hours=1)) == 2
    assert next_card(db, 1, T0, 0) is not None  # learning cards within 20 min still come back
    assert next_card(db, 1, T0 + timedelta(hours=2), 0)["new"] is False


def test_due_cards_come_before_new_ones_most_overdue_first(db):
    first = study(db, T0, Rating.Easy)
    second = study(db, T0 + timedelta(minutes=1), Rating.Easy)
    later = T0 + timedelta(days=60)
    assert next_card(db, 1, later, 20) == {"bank_id": "sample", "card_id": first["card_id"], "new": False}
    record_review(db, 1, "sample", first["card_id"], Rating.Good, later, SCHED, "study")
    assert next_card(db, 1, later, 20)["card_id"] == second["card_id"]


def test_again_brings_the_card_back_in_the_same_session(db):
    card = study(db, T0, Rating.Again)
    nothing_new = 0
    assert next_card(db, 1, T0 + timedelta(seconds=5), nothing_new)["card_id"] == card["card_id"]


def test_a_replayed_review_is_not_recorded_twice(db):
    assert record_review(db, 1, "sample", "term-civil-code", Rating.Good, T0, SCHED, "study", expected_reps=0)
    assert record_review(db, 1, "sample", "term-civil-code", Rating.Good, T0, SCHED, "study", expected_reps=0) is None
    assert get_state(db, 1, "sample", "term-civil-code")["reps"] == 1
    assert db["review_logs"].count == 1
    log = next(db.query("SELECT * FROM review_logs"))
    assert log["state_before"] is None and '"state": 1' in log["state_after"] and log["rating"] == 3


def test_retired_cards_are_not_studied(db):
    study(db, T0, Rating.Again)
    db.execute("UPDATE cards SET retired_at = 'x'")
    assert next_card(db, 1, T0 + timedelta(seconds=5), 0) is None


def test_new_cards_count_from_local_midnight_east_of_utc(db):
    """01:00 in Shanghai is 17:00 UTC the day before: the card counts for the learner's today."""
    from zoneinfo import ZoneInfo

    from quizapp.learn.study import day_start

    shanghai = {"timezone": "Asia/Shanghai"}
    reviewed = datetime(2026, 3, 2, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    study(db, reviewed.astimezone(UTC))
    assert new_since(db, 1, day_start(shanghai, reviewed)) == 1
    assert new_since(db, 1, reviewed) == 1  # a local moment is compared as the same UTC moment


def test_stamps_are_utc_whatever_the_zone_given():
    from zoneinfo import ZoneInfo

    from quizapp.core.clock import stamp

    local = datetime(2026, 3, 2, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert stamp(local) == "2026-03-01T17:00:00.000+00:00"


# Decks: the counts Anki shows, per bank and per topic ---------------------------------------


def test_deck_counts_follow_each_card_from_new_to_learning_to_review(db):
    everything = Scope("sample")
    assert counts(db, 1, T0, 20, everything) == Counts(new=8, learning=0, review=0)  # 7 questions and 1 card
    assert counts(db, 1, T0, 3, everything).new == 3  # the daily new-card limit caps the new count
    first = study(db, T0, Rating.Again)
    assert kind_of(get_state(db, 1, "sample", first["card_id"])["fsrs"]["state"]) is Kind.LEARNING
    assert counts(db, 1, T0, 19, everything) == Counts(new=7, learning=1, review=0)
    record_review(db, 1, "sample", first["card_id"], Rating.Easy, T0 + timedelta(minutes=1), SCHED, "study")
    assert kind_of(get_state(db, 1, "sample", first["card_id"])["fsrs"]["state"]) is Kind.REVIEW
    assert counts(db, 1, T0 + timedelta(minutes=1), 19, everything) == Counts(new=7, learning=0, review=0)
    later = T0 + timedelta(days=60)  # long past its due day: it is a review now
    assert counts(db, 1, later, 20, everything) == Counts(new=7, learning=0, review=1)
    assert due_later(db, 1, everything) is not None and counts(db, 1, later, 20, everything).total == 8


def test_a_topic_deck_holds_only_that_topics_cards_and_studies_only_them(db):
    banks = decks(db, 1, T0, 20, ["sample"])
    ((bank_deck, topic_decks),) = banks
    assert bank_deck.items == 8
    by_topic = {deck.scope.topic: deck for deck in topic_decks}
    assert by_topic["civil-code"].items == 2 and by_topic["glossary"].items == 1  # a bank card's topic is a deck too
    assert next(iter(by_topic)) == "civil-code"  # the biggest topic first
    card = next_card(db, 1, T0, 20, "sample", "prosecution")
    assert card["card_id"] == "prosecuted-number"
    record_review(db, 1, "sample", card["card_id"], Rating.Again, T0, SCHED, "study")
    assert next_card(db, 1, T0 + timedelta(minutes=30), 20, "sample", "prosecution")["card_id"] == card["card_id"]
    assert counts(db, 1, T0, 19, Scope("sample", "prosecution")) == Counts(new=0, learning=1, review=0)
    assert counts(db, 1, T0, 19, Scope("sample", "civil-code")) == Counts(new=2, learning=0, review=0)
    assert reviewed_since(db, 1, T0 - timedelta(hours=1), Scope("sample", "prosecution")) == 1
    assert reviewed_since(db, 1, T0 - timedelta(hours=1), Scope("sample", "civil-code")) == 0
