"""A live game's results as a table for its CSV export: one row per player, in ranking order,
with the points of each question. No Flask."""

from __future__ import annotations

from typing import NamedTuple

from quizapp.live import answers as liveanswers


class ResultRow(NamedTuple):
    rank: int
    nickname: str
    score: int
    right: int  # questions answered right (partial credit is not right)
    answered: int
    points: list[int | None]  # per question in game order; None where the player gave no answer


def question_ids(db, session_id: int) -> list[str]:
    return [
        row[0]
        for row in db.execute(
            "SELECT question_id FROM live_questions WHERE session_id = ? ORDER BY position", [session_id]
        ).fetchall()
    ]


def result_rows(db, session: dict) -> list[ResultRow]:
    """Every player still in the game, ranked as the podium ranks them."""
    total = session["total"]
    per_player: dict[int, dict[int, tuple[int, int]]] = {}
    for player_id, position, points, correct in db.execute(
        "SELECT player_id, position, points, correct FROM live_answers WHERE session_id = ?", [session["id"]]
    ).fetchall():
        per_player.setdefault(player_id, {})[position] = (points, correct)
    rows = []
    for standing in liveanswers.standings(db, session):
        given = per_player.get(standing.player_id, {})
        rows.append(
            ResultRow(
                standing.rank,
                standing.nickname,
                standing.score,
                sum(correct for _points, correct in given.values()),
                len(given),
                [given[p][0] if p in given else None for p in range(1, total + 1)],
            )
        )
    return rows
