"""A bank as large as a request may be, posted to the teacher's "Check and preview".

Two banks of many small questions: one just under the request size limit (QUIZAPP_MAX_CONTENT_LENGTH's
default, 1 MiB), and the largest one the validator accepts (just under yamlsafe.MAX_VALUES). Times each
whole request through the test client (CPU seconds of this process, which is what a worker spends),
and apart from it the validation alone, to show what the preview rendering costs on top.

    python bench/preview_bench.py [--runs 3] [--kind choice|true_false]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp import create_app  # noqa: E402
from quizapp.banks import yamlsafe  # noqa: E402
from quizapp.banks.bankfile import validate_bytes  # noqa: E402
from quizapp.core.store import connect  # noqa: E402

MAX_VALUES = getattr(yamlsafe, "MAX_VALUES", 20_000)  # the same banks when run on a checkout from before the limit

LIMIT = 1024 * 1024


def question(i: int, kind: str) -> str:
    if kind == "true_false":
        return (
            f"  - id: q-{i}\n    type: true_false\n    prompt: {{en: P{i}, zh: 题{i}}}\n    answer: true\n"
            f"    explanation: {{en: E, zh: 解}}\n    source: S\n"
        )
    return (
        f"  - id: q-{i}\n    type: choice\n    prompt: {{en: P{i}, zh: 题{i}}}\n    choices:\n"
        f"      - {{en: A, zh: 甲, correct: true}}\n      - {{en: B, zh: 乙}}\n"
        f"    explanation: {{en: E, zh: 解}}\n    source: S\n"
    )


def big_bank(kind: str = "choice", limit: int = LIMIT - 4096, values: int | None = None) -> tuple[str, int]:
    """The largest bank of small questions that still fits in one request (room left for the form),
    or, given `values`, that has at most that many YAML values."""
    head = "bank: big\ntitle: {en: Big, zh: 大}\nquestions:\n"
    per_question = 21 if kind == "true_false" else 33  # keys, texts, mappings and lists of one question
    parts, size, n = [head], len(head.encode()), 0
    while values is None or 11 + (n + 1) * per_question <= values:  # 11: the bank, its title, the list
        part = question(n, kind)
        if size + len(part.encode()) > limit:
            break
        parts.append(part)
        size += len(part.encode())
        n += 1
    return "".join(parts), n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kind", default="choice", choices=["choice", "true_false"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "TESTING": True,
                "DATABASE": f"{tmp}/q.sqlite3",
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "RATE_LIMITS": False,
                "QUESTIONS_DIR": str(Path(__file__).resolve().parent.parent / "tests" / "data"),
            }
        )
        client = app.test_client()
        client.post("/signup", data={"username": "teacher", "password": "long enough", "confirm": "long enough"})
        db = connect(app.config["DATABASE"])
        db.execute("UPDATE learners SET role = 'teacher' WHERE username = 'teacher'")
        db.conn.close()
        for label, (text, count) in (
            ("request-sized bank", big_bank(args.kind)),
            ("largest bank accepted", big_bank(args.kind, values=MAX_VALUES)),
        ):
            validation, whole = [], []
            for _ in range(args.runs):
                started = time.process_time()
                ok = validate_bytes(text.encode(), "bank.yaml").ok
                validation.append(time.process_time() - started)
                started = time.process_time()
                response = client.post(
                    "/teach/banks/check",
                    data={  # multipart, as a browser uploads a file
                        "source": "",
                        "upload": (io.BytesIO(text.encode()), "big.yaml"),
                    },
                )
                whole.append(time.process_time() - started)
            print(
                f"{label}: {count} questions, {len(text.encode()):,} bytes -> "
                f"{'accepted' if ok else 'refused'} (HTTP {response.status_code}); validation "
                f"{statistics.median(validation):.2f} s, whole request {statistics.median(whole):.2f} s CPU, "
                f"page {len(response.data):,} bytes"
            )


if __name__ == "__main__":
    main()
