"""Flashcards at scale: one learner with 100,000 review rows over 2,000 cards.

Times "next card" (the domain query and the whole GET /study/ request) and the
progress page, beside a same-run baseline: one indexed SQLite lookup by primary key.

    python bench/flashcards_bench.py [--reviews 100000] [--cards 2000] [--runs 300]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp import create_app  # noqa: E402
from quizapp.banks.bankfile import Bank  # noqa: E402
from quizapp.banks.store import import_banks  # noqa: E402
from quizapp.core.clock import now, stamp  # noqa: E402
from quizapp.core.store import connect, write  # noqa: E402
from quizapp.learn.flashcards import next_card  # noqa: E402


def timed(fn, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def fill(db, cards: int, reviews: int) -> int:
    text = {"en": "x", "zh": "x"}
    bank = Bank(
        "bench",
        {"en": "Bench", "zh": "基准"},
        None,
        None,
        [
            {
                "id": "q-0",
                "type": "true_false",
                "topics": ["t"],
                "difficulty": 2,
                "prompt": text,
                "explanation": text,
                "source": "s",
                "answer": True,
            }
        ],
        [{"id": f"c-{i}", "topics": [f"topic-{i % 12}"], "front": text, "back": text} for i in range(cards)],
        "hash",
    )
    import_banks(db, [(bank, "bench")])
    moment = now()
    rng = random.Random(1)
    with write(db):
        learner = db["learners"].insert({"created_at": stamp(), "last_seen_at": stamp(), "username": "bench"}).last_pk
        db["card_states"].insert_all(
            (
                {
                    "learner_id": learner,
                    "bank_id": "bench",
                    "card_id": f"c-{i}",
                    "fsrs": json.dumps(
                        {
                            "card_id": 1,
                            "state": 2,
                            "step": None,
                            "stability": 10.0,
                            "difficulty": 5.0,
                            "due": stamp(moment + timedelta(days=rng.randint(-5, 30))),
                            "last_review": stamp(moment),
                        }
                    ),
                    "state": 2,
                    "due": stamp(moment + timedelta(days=rng.randint(-5, 30))),
                    "stability": rng.uniform(1, 60),
                    "difficulty": 5.0,
                    "last_review": stamp(moment - timedelta(days=rng.randint(0, 20))),
                    "first_review": stamp(moment - timedelta(days=200)),
                    "reps": reviews // cards,
                    "lapses": 0,
                }
                for i in range(cards)
            ),
            batch_size=500,
        )
        db["review_logs"].insert_all(
            (
                {
                    "learner_id": learner,
                    "bank_id": "bench",
                    "card_id": f"c-{n % cards}",
                    "rating": rng.randint(1, 4),
                    "duration_ms": 3000,
                    "reviewed_at": stamp(moment - timedelta(minutes=n * 3)),
                    "origin": "study",
                    "state_before": None,
                    "state_after": "{}",
                }
                for n in range(reviews)
            ),
            batch_size=1000,
        )
    return learner


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--cards", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "DATABASE": str(folder / "bench.sqlite3"),
            "QUESTIONS_DIR": str(folder),
            "SECRET_KEY": "bench",
            "TESTING": True,
        }
    )
    db = connect(app.config["DATABASE"])
    started = time.perf_counter()
    learner = fill(db, args.cards, args.reviews)
    print(f"filled {args.reviews:,} review rows over {args.cards:,} cards in {time.perf_counter() - started:.1f} s")
    client = app.test_client()
    with client.session_transaction() as session:
        session["learner_id"] = learner

    moment = now()
    results = {
        "baseline: one indexed lookup": timed(
            lambda: db.execute(
                "SELECT fsrs FROM card_states WHERE learner_id = ? AND bank_id = 'bench' AND card_id = ?",
                [learner, f"c-{random.randrange(args.cards)}"],
            ).fetchone(),
            args.runs,
        ),
        "next card (query)": timed(lambda: next_card(db, learner, moment, 20), args.runs),
        "GET /study/ (whole request)": timed(lambda: client.get("/study/"), args.runs),
        "GET /progress (whole request)": timed(lambda: client.get("/progress"), max(20, args.runs // 10)),
    }
    base = results["baseline: one indexed lookup"][0]
    print(f"{'':32} {'median ms':>10} {'p99 ms':>10} {'x baseline':>11}")
    for name, (median, p99) in results.items():
        print(f"{name:32} {median:10.3f} {p99:10.3f} {median / base:11.1f}")
    assert client.get("/study/").status_code == 302 and client.get("/progress").status_code == 200


if __name__ == "__main__":
    main()
