"""Teachers' reports at scale: a class of 40 students who each answered every question of a
30-question bank three times and studied its cards, among 2,000 other learners' answers.

Times the question report (item statistics by language), the class page (student rows) and
their CSV downloads as whole requests, beside a same-run baseline: a bare Flask endpoint
returning one indexed SQLite count, served by the same test client.

    python bench/reports_bench.py [--students 40] [--questions 30] [--others 2000] [--runs 30]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.accounts import classes
from quizapp.banks.bankfile import Bank  # noqa: E402
from quizapp.banks.store import import_banks  # noqa: E402
from quizapp.core.clock import now, stamp  # noqa: E402
from quizapp.core.store import connect, write  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flashcards_bench import timed  # noqa: E402


def fill(db, students: int, questions: int, others: int) -> tuple[int, int]:
    text = {"en": "x", "zh": "x"}
    choices = [{"text": {"en": f"choice {i}", "zh": f"选项{i}"}, "correct": i == 0} for i in range(4)]
    bank = Bank(
        "bench",
        {"en": "Bench", "zh": "基准"},
        None,
        None,
        [
            {
                "id": f"q-{i}",
                "type": "choice",
                "topics": ["t"],
                "difficulty": 2,
                "prompt": text,
                "explanation": text,
                "source": "s",
                "choices": choices,
            }
            for i in range(questions)
        ],
        [{"id": f"c-{i}", "topics": ["t"], "front": text, "back": text} for i in range(questions)],
        "hash",
    )
    import_banks(db, [(bank, "bench")])
    rng = random.Random(1)
    moment = now()
    with write(db):
        teacher = (
            db["learners"]
            .insert({"created_at": stamp(), "last_seen_at": stamp(), "username": "teacher", "role": "teacher"})
            .last_pk
        )
    class_id = classes.create(db, teacher, "Bench class")
    code = classes.get(db, class_id)["code"]
    classes.assign(db, class_id, "bench", None)
    with write(db):
        people = [
            db["learners"].insert({"created_at": stamp(), "last_seen_at": stamp(), "username": f"s{n}"}).last_pk
            for n in range(students + others)
        ]
    for learner in people[:students]:
        classes.join(db, code, learner)
    with write(db):
        db["attempts"].insert_all(
            (
                {
                    "learner_id": learner,
                    "bank_id": "bench",
                    "question_id": f"q-{q}",
                    "question_version": 1,
                    "answer": str(pick),
                    "correct": int(pick == 0),
                    "score": float(pick == 0),
                    "max_score": 1.0,
                    "language": rng.choice(["en", "zh", "both"]),
                    "time_ms": 5000,
                    "answered_at": stamp(moment - timedelta(minutes=rng.randint(0, 10_000))),
                }
                for learner in people
                for q in range(questions)
                for pick in ([rng.choice([0, 0, 1, 2])] * 3 if learner in people[:students] else [rng.choice([0, 1])])
            ),
            batch_size=2000,
        )
        db["card_states"].insert_all(
            (
                {
                    "learner_id": learner,
                    "bank_id": "bench",
                    "card_id": f"c-{c}",
                    "fsrs": "{}",
                    "state": 2,
                    "due": stamp(moment + timedelta(days=5)),
                    "stability": rng.uniform(1, 60),
                    "difficulty": 5.0,
                    "last_review": stamp(moment - timedelta(days=rng.randint(0, 20))),
                    "first_review": stamp(moment - timedelta(days=30)),
                    "reps": 3,
                    "lapses": 0,
                }
                for learner in people[:students]
                for c in range(questions)
            ),
            batch_size=2000,
        )
    return teacher, class_id


def bare_app(database: str) -> Flask:
    bare = Flask("bare")

    @bare.get("/count/<int:learner>")
    def count(learner: int):
        db = connect(database)
        try:
            return {"n": db.execute("SELECT count(*) FROM attempts WHERE learner_id = ?", [learner]).fetchone()[0]}
        finally:
            db.conn.close()

    return bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--others", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
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
    teacher, class_id = fill(db, args.students, args.questions, args.others)
    total = db.execute("SELECT count(*) FROM attempts").fetchone()[0]
    print(
        f"filled {total:,} attempts ({args.students} students in the class x {args.questions} questions x 3, "
        f"{args.others:,} others) in {time.perf_counter() - started:.1f} s"
    )
    client = app.test_client()
    with client.session_transaction() as session:
        session["learner_id"] = teacher
    bare = bare_app(app.config["DATABASE"]).test_client()
    base_url = f"/teach/classes/{class_id}"
    for url in (
        base_url,
        base_url + "/banks/bench",
        base_url + "/students.csv",
        base_url + "/banks/bench/questions.csv",
    ):
        assert client.get(url).status_code == 200, url
    results = {
        "baseline: bare Flask + SQLite count": timed(lambda: bare.get(f"/count/{teacher + 1}"), args.runs * 10),
        "GET class page (student rows)": timed(lambda: client.get(base_url), args.runs),
        "GET question report": timed(lambda: client.get(base_url + "/banks/bench"), args.runs),
        "GET students.csv": timed(lambda: client.get(base_url + "/students.csv"), args.runs),
        "GET questions.csv": timed(lambda: client.get(base_url + "/banks/bench/questions.csv"), args.runs),
    }
    base = results["baseline: bare Flask + SQLite count"][0]
    print(f"{'':36} {'median ms':>10} {'p99 ms':>10} {'x baseline':>11}")
    for name, (median, p99) in results.items():
        print(f"{name:36} {median:10.2f} {p99:10.2f} {median / base:11.1f}")
    print(json.dumps({"class_attempts": args.students * args.questions * 3}))


if __name__ == "__main__":
    main()
