"""Steady load: N simulated students doing quizzes and flashcards against the documented
production command, beside a bare Flask + SQLite insert endpoint under the same server settings.

    pip install -e '.[bench]'
    python bench/quiz_load.py [--students 200] [--seconds 60] [--baseline-seconds 20]

Prints throughput, p50/p99 latency, errors by kind and peak memory for both, and the ratio
(target: the app reaches at least 0.5 of the bare endpoint's throughput). Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from servers import ROOT, serve  # noqa: E402

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
BANKS = ["civil-code", "prosecution-figures", "detentions-2015", "metoo-cases"]
THINK = 0.0  # seconds of "reading" between actions; 0 measures capacity, as the bare baseline does


class Stats:
    def __init__(self):
        self.latencies: list[float] = []
        self.errors: Counter = Counter()

    async def call(self, session, method, url, expect=(200, 302), **kwargs):
        started = time.perf_counter()
        try:
            async with session.request(method, url, allow_redirects=False, **kwargs) as response:
                body = await response.text()
                elapsed = (time.perf_counter() - started) * 1000
                if response.status not in expect:
                    self.errors[f"HTTP {response.status}"] += 1
                    return None, None
                self.latencies.append(elapsed)
                return response, body
        except TimeoutError:
            self.errors["timeout"] += 1
        except aiohttp.ClientError as exc:
            self.errors[type(exc).__name__] += 1
        return None, None

    def summary(self, seconds: float) -> dict:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "throughput": len(ordered) / seconds,
            "p50": statistics.median(ordered) if ordered else float("nan"),
            "p99": ordered[int(len(ordered) * 0.99)] if ordered else float("nan"),
            "errors": dict(self.errors),
        }


def answer_form(page: str, rng: random.Random) -> dict:
    kind = re.search(r'data-question-type="(\w+)"', page).group(1)
    form: dict = {"csrf_token": CSRF.search(page).group(1)}
    if kind in ("choice", "true_false"):
        form["answer"] = rng.choice(re.findall(r'name="answer" value="(\w+)"', page))
    elif kind == "multi":
        form["answer"] = rng.sample(re.findall(r'name="answer" value="(\d+)"', page), 2)
    elif kind == "numeric":
        form["answer"] = rng.choice(["43000", "4.3万", "2015", "14亿"])
    elif kind == "text":
        form["answer"] = rng.choice(["吕频", "Feng Yuan", "civil code"])
    else:
        items = re.findall(r'name="position-(\d+)"', page)
        places = list(range(1, len(items) + 1))
        rng.shuffle(places)
        form.update({f"position-{i}": str(p) for i, p in zip(items, places)})
    return form


async def student(base: str, stats: Stats, stop_at: float, seed: int):
    rng = random.Random(seed)
    jar = aiohttp.CookieJar(unsafe=True)
    # Each student from an address of their own (all of 127.0.0.0/8 is this machine), as a class
    # behind a trusted proxy looks to the app: per-address limits then count one student each.
    connector = aiohttp.TCPConnector(local_addr=(f"127.0.{1 + seed // 250}.{2 + seed % 250}", 0))
    async with aiohttp.ClientSession(
        base, cookie_jar=jar, connector=connector, timeout=aiohttp.ClientTimeout(total=30)
    ) as session:
        while time.perf_counter() < stop_at:
            bank = rng.choice(BANKS)
            _r, page = await stats.call(session, "GET", f"/banks/{bank}")
            if not page:
                continue
            response, _ = await stats.call(
                session,
                "POST",
                f"/banks/{bank}/quizzes",
                data={"csrf_token": CSRF.search(page).group(1), "topic": "", "size": "5"},
            )
            if not response:
                continue
            quiz = response.headers["Location"].rsplit("/", 1)[0]
            for position in range(1, 6):
                if time.perf_counter() >= stop_at:
                    return
                _r, page = await stats.call(session, "GET", f"{quiz}/{position}")
                if page and "data-question-type" in page:
                    await asyncio.sleep(rng.uniform(0, THINK))  # reading and thinking
                    await stats.call(session, "POST", f"{quiz}/{position}", data=answer_form(page, rng))
                    await stats.call(session, "GET", f"{quiz}/{position}")
            for _ in range(3):
                response, _ = await stats.call(session, "GET", "/study/")
                if not response or "Location" not in response.headers:
                    break
                card = response.headers["Location"]
                _r, page = await stats.call(session, "GET", card)
                if not page or 'name="reps"' not in page:
                    break
                await asyncio.sleep(rng.uniform(0, THINK))
                await stats.call(
                    session,
                    "POST",
                    card.split("?")[0],
                    data={
                        "csrf_token": CSRF.search(page).group(1),
                        "rating": str(rng.randint(1, 4)),
                        "reps": re.search(r'name="reps" value="(\d+)"', page).group(1),
                        "shown_at": re.search(r'name="shown_at" value="([^"]+)"', page).group(1),
                    },
                )


async def bare_client(base: str, stats: Stats, stop_at: float):
    async with aiohttp.ClientSession(base, timeout=aiohttp.ClientTimeout(total=30)) as session:
        while time.perf_counter() < stop_at:
            await stats.call(session, "POST", "/insert", expect=(200,))


async def run(clients, seconds):
    return await asyncio.gather(*clients)


def report(name: str, summary: dict, peak_kib: int):
    print(
        f"{name:28} {summary['throughput']:9.1f} req/s  p50 {summary['p50']:7.1f} ms  p99 {summary['p99']:7.1f} ms"
        f"  requests {summary['requests']:7d}  peak RSS {peak_kib / 1024:6.1f} MiB  errors {summary['errors'] or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=20)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="max seconds a student pauses between actions (default 0: closed loop, like the baseline)",
    )
    args = parser.parse_args()
    global THINK
    THINK = args.think
    folder = Path(tempfile.mkdtemp(prefix="quiz-load-"))
    env = {
        "QUIZAPP_DATABASE": str(folder / "app.sqlite3"),
        "QUIZAPP_QUESTIONS": str(ROOT / "questions"),
        "QUIZAPP_SECRET_KEY": "bench",
        "BARE_DATABASE": str(folder / "bare.sqlite3"),
    }

    def baseline_run():
        with serve(env=env, app_target="bare_app:app", chdir=ROOT / "bench") as bare:
            stats = Stats()
            stop = time.perf_counter() + args.baseline_seconds
            asyncio.run(run([bare_client(bare.url, stats, stop) for _ in range(args.students)], args.baseline_seconds))
            return stats.summary(args.baseline_seconds), bare.peak_kib

    # The bare endpoint is measured before and after the app, and the ratio uses their mean:
    # on a shared 2-core machine one baseline run alone swings by a factor of two.
    before = baseline_run()
    with serve(env=env) as app:
        stats = Stats()
        stop = time.perf_counter() + args.seconds
        asyncio.run(run([student(app.url, stats, stop, seed) for seed in range(args.students)], args.seconds))
        result = stats.summary(args.seconds)
        app_peak = app.peak_kib
    after = baseline_run()
    print(
        f"{args.students} simulated students for {args.seconds:.0f} s; baseline 2 x {args.baseline_seconds:.0f} s "
        f"with {args.students} clients; server: {' '.join(__import__('servers').production_command())}"
    )
    report("bare Flask + SQLite (before)", *before)
    report("quizapp quizzes + flashcards", result, app_peak)
    report("bare Flask + SQLite (after)", *after)
    baseline = (before[0]["throughput"] + after[0]["throughput"]) / 2
    print(
        f"throughput ratio app / bare: {result['throughput'] / baseline:.2f} (target >= 0.5; "
        f"against each run: {result['throughput'] / before[0]['throughput']:.2f}, "
        f"{result['throughput'] / after[0]['throughput']:.2f})"
    )


if __name__ == "__main__":
    main()
