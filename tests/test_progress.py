"""Progress figures: streaks in the learner's own time zone, mastery, the 14-day forecast."""

from __future__ import annotations

import re
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


def test_progress_charts_are_drawn_for_a_phone_with_a_legend_a_rate_axis_and_babel_days(client):
    study_once(client, rating="3")
    page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    history = page.split('<svg class="chart"')[1].split("</svg>")[0]
    assert 'viewBox="0 0 340 200"' in history and 'font-size="13"' in history  # ~13 px on a 390 px phone
    assert "Reviews (left axis)" in page and "Share remembered (right axis)" in page
    assert re.findall(r'class="axis-label rate-label">([^<]+)<', history) == ["0%", "50%", "100%"]
    assert re.search(r'class="axis-label">[A-Z][a-z]{2} \d{1,2}</text>', history)  # "Nov 29", not "29/11"
    assert "#" not in history.split("</desc>")[1]  # colours come from the stylesheet (dark mode too)
    zh = client.get("/progress", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert re.search(r'class="axis-label">\d{1,2}月\d{1,2}日</text>', zh) and "复习次数（左轴）" in zh
    day_cells = re.findall(r"<tr><td>([^<]+)</td><td>1</td>", zh)
    assert day_cells and all(re.fullmatch(r"\d{1,2}月\d{1,2}日", cell) for cell in day_cells)  # one format


def test_progress_shows_empty_states_instead_of_empty_tables(client):
    page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "You have not answered any questions yet." in page and "<table" not in page
    assert 'href="/study/"' in page.split("<main")[1]
    study_once(client, rating="4")  # a flashcard but no quiz: no quiz table, no due forecast this fortnight
    page = client.get("/progress", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No quizzes yet." in page and 'data-quiz="' not in page and "When</th>" not in page
