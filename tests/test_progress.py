"""Progress figures: streaks in the learner's own time zone, mastery, the 14-day forecast."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from quizapp.core import migrations
from quizapp.core.store import connect
from quizapp.learn.progress import streak

from .helpers import study_once


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "p.sqlite3")
    migrations.apply(database)
    database.execute("INSERT INTO learners (id, created_at, last_seen_at) VALUES (1, 'x', 'x')")
    yield database
    database.conn.close()


def reviewed(db, *moments):
    for moment in moments:
        db.execute(
            """INSERT INTO review_logs (learner_id, bank_id, card_id, rating, reviewed_at, origin, state_after)
                      VALUES (1, 'b', 'c', 3, ?, 'study', '{}')""",
            [moment],
        )


def test_streak_counts_days_in_the_learners_time_zone(db):
    # 17:00 UTC is 01:00 the next day in Shanghai: three UTC days, three Shanghai days, shifted.
    reviewed(db, "2026-03-01T17:00:00.000+00:00", "2026-03-02T17:00:00.000+00:00", "2026-03-03T10:00:00.000+00:00")
    shanghai, utc = ZoneInfo("Asia/Shanghai"), ZoneInfo("UTC")
    assert streak(db, 1, shanghai, date(2026, 3, 3)) == 2  # Mar 2 and Mar 3 (two reviews) in Shanghai
    assert streak(db, 1, utc, date(2026, 3, 3)) == 3
    assert streak(db, 1, utc, date(2026, 3, 4)) == 3  # today not studied yet: the streak still stands
    assert streak(db, 1, utc, date(2026, 3, 5)) == 0


def test_progress_page_mastery_needs_a_graduated_card(app, client):
    study_once(client, rating="4")  # Easy graduates a new card at once
    study_once(client, rating="3")  # Good keeps the next one in learning
    page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'class="mastered">1<' in page and 'class="learned">1 / 8<' in page
