"""What issue 16's additions cost a page: pinyin and zhuyin over the article banks' Chinese, a cloze
question, and a picture served from the media store.

Loads the four article banks (questions/), starts a quiz on each with questions shown in both
languages, and times whole GET requests of its question pages through the test client with the
reading aid off, with pinyin (readings cached, as on every view after the first) and with zhuyin;
apart from that, the readings of every Chinese text in the banks computed cold (the cache cleared),
a cloze question page, and GET /media/<sha256>.png of a stored picture. Beside them, a same-run
baseline: a bare Flask endpoint returning one indexed SQLite count, served by the same test client.

    python bench/reading_bench.py [--runs 200]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from quizapp import create_app  # noqa: E402
from quizapp.core import readings  # noqa: E402
from quizapp.core.store import connect  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from flashcards_bench import timed  # noqa: E402
from reports_bench import bare_app  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def chinese_texts(db) -> list[str]:
    """Every Chinese text of the loaded banks' questions and cards (prompts, choices, explanations, sides)."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("zh"), str):
                found.add(value["zh"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for table in ("questions", "cards"):
        for (data,) in db.execute(f"SELECT data FROM {table} WHERE retired_at IS NULL"):
            walk(json.loads(data))
    return sorted(found)


def picture_bank(folder: Path) -> None:
    """A one-question bank with a 1600x1000 photo-sized PNG beside it, for the media route."""
    (folder / "media").mkdir(parents=True)
    image = Image.new("RGB", (1600, 1000), (30, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    (folder / "media" / "chart.png").write_bytes(buffer.getvalue())
    (folder / "pictures.yaml").write_text(
        "bank: pictures\ntitle: {en: Pictures, zh: 图片}\nquestions:\n"
        "  - id: chart\n    type: true_false\n    prompt: {en: Is it blue?, zh: 是蓝色的吗？}\n"
        "    image: {path: media/chart.png, alt: {en: A blue rectangle, zh: 蓝色长方形}}\n"
        "    answer: true\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    banks = folder / "questions"
    banks.mkdir()
    for bank in (ROOT / "questions").glob("*.yaml"):
        (banks / bank.name).write_bytes(bank.read_bytes())
    picture_bank(banks)
    started = time.perf_counter()
    app = create_app(
        {
            "DATABASE": str(folder / "bench.sqlite3"),
            "QUESTIONS_DIR": str(banks),
            "SECRET_KEY": "bench",
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATE_LIMITS": False,
        }
    )
    print(f"app created and {len(list(banks.glob('*.yaml')))} banks loaded in {time.perf_counter() - started:.2f} s")
    db = connect(app.config["DATABASE"])
    client = app.test_client()
    client.post("/settings/text-mode", data={"mode": "both", "next": "/"})
    pages = []
    for bank in ("civil-code", "prosecution-figures", "detentions-2015", "metoo-cases"):
        response = client.post(f"/banks/{bank}/quizzes", data={"topic": "", "size": "10"})
        quiz = int(re.search(r"/quizzes/(\d+)/1$", response.location).group(1))
        pages += [f"/quizzes/{quiz}/{n}" for n in range(1, 11)]
    cloze = next(
        (
            f"/quizzes/{quiz_id}/{position}"
            for quiz_id, position, kind in db.execute(
                """SELECT i.quiz_id, i.position, json_extract(q.data, '$.type') FROM quiz_items i
                   JOIN questions q ON q.bank_id = i.bank_id AND q.id = i.question_id"""
            )
            if kind == "cloze"
        ),
        None,
    )
    picture = db.execute("SELECT sha256 || '.' || ext FROM media").fetchone()[0]
    bare = bare_app(app.config["DATABASE"]).test_client()
    turn = iter(range(10**9))

    def question_page():
        assert client.get(pages[next(turn) % len(pages)]).status_code == 200

    def aid(name: str):
        client.post("/settings/reading-aid", data={"aid": name, "next": "/"})

    texts = chinese_texts(db)
    characters = sum(len(text) for text in texts)
    readings._segments.cache_clear()
    started = time.perf_counter()
    for text in texts:
        readings.segments(text, "pinyin")
    cold = time.perf_counter() - started
    results = {"baseline: bare Flask + SQLite count": timed(lambda: bare.get("/count/1"), args.runs)}
    aid("off")
    assert "<ruby>" not in client.get(pages[0]).get_data(as_text=True)
    results["GET question page, both languages, aid off"] = timed(question_page, args.runs)
    aid("pinyin")
    assert "<ruby>" in client.get(pages[0]).get_data(as_text=True), "pinyin is on"
    for _ in pages:  # the first view of each page fills the cache
        question_page()
    results["GET question page, pinyin (cached)"] = timed(question_page, args.runs)
    aid("zhuyin")
    for _ in pages:
        question_page()
    results["GET question page, zhuyin (cached)"] = timed(question_page, args.runs)
    aid("off")
    if cloze:
        results["GET a cloze question page"] = timed(lambda: client.get(cloze), args.runs)
    results["GET /media/<sha256>.png (1600x1000)"] = timed(lambda: client.get(f"/media/{picture}"), args.runs)
    base = results["baseline: bare Flask + SQLite count"][0]
    print(f"readings of {len(texts)} Chinese texts ({characters:,} characters) cold: {cold * 1000:.0f} ms")
    print(f"{'':44} {'median ms':>10} {'p99 ms':>10} {'x baseline':>11}")
    for name, (median, p99) in results.items():
        print(f"{name:44} {median:10.2f} {p99:10.2f} {median / base:11.1f}")


if __name__ == "__main__":
    main()
