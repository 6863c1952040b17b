"""A whole live game against the documented production command: 1,000 simulated students (each
with its own HTTP session and cookies) join one game, receive each question through the same
event stream the phones use and answer within 5 seconds, for 3 questions; then a burst game where
everyone answers the instant the question arrives, beside a bare Flask + SQLite insert endpoint
under the same server settings.

    pip install -e '.[bench]'
    python bench/live_load.py [--students 1000] [--questions 3] [--front nginx]

With --front nginx, every request (the bare endpoint's too) goes through the shipped nginx front
server (deploy/nginx, plain-HTTP variant: same limits and timeouts, no TLS) started in front of the
same command, all students from one address as a school behind one NAT address would be.

Prints answers recorded per question (checked in the database: exactly one per student, no
duplicates), errors by kind, p50/p99 answer latency (target p99 <= 250 ms), the delay from the last
answer to the projector's count reaching everyone (target <= 1 s), how long questions took to
reach the phones, peak memory of the server processes, and throughput against the bare endpoint.
Only 127.0.0.1; it stops by itself and stops its server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontserver import front  # noqa: E402
from servers import ROOT, production_command, serve  # noqa: E402

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
BANK = "civil-code"
BASELINE_CLIENTS, BASELINE_S = 200, 10
DEADLINE_S = 600  # the whole run stops by itself after this, whatever happens


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


class Run:
    """What every simulated phone and the projector saw, for the report."""

    def __init__(self):
        self.errors = Counter()
        self.latency = defaultdict(list)  # position -> answer round trips in ms
        self.last_answer = defaultdict(float)  # position -> when the last answer's response arrived
        self.projector_full = {}  # position -> when the projector first counted everyone
        self.opened = {}  # position -> when the teacher's step returned
        self.delivered = defaultdict(list)  # position -> when each phone received the question
        self.done = 0


async def events(session, url, run, kind):
    """Yield the JSON of each Server-Sent Event, reconnecting like a browser if the stream drops."""
    while True:
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=None, sock_read=60)) as response:
                if response.status != 200:
                    run.errors[f"{kind} stream HTTP {response.status}"] += 1
                    await asyncio.sleep(1)
                    continue
                data = []
                async for raw in response.content:
                    line = raw.decode().rstrip("\r\n")
                    if line.startswith("data: "):
                        data.append(line[6:])
                    elif not line and data:
                        yield json.loads("\n".join(data))
                        data = []
        except (TimeoutError, aiohttp.ClientError) as exc:
            run.errors[f"{kind} stream {type(exc).__name__}"] += 1
        run.errors[f"{kind} stream reconnect"] += 1
        await asyncio.sleep(1)


async def form_post(session, url, data, run, kind, expect=(302,)):
    try:
        async with session.post(url, data=data, allow_redirects=False) as response:
            await response.read()
            if response.status not in expect:
                run.errors[f"{kind} HTTP {response.status}"] += 1
            return response
    except (TimeoutError, aiohttp.ClientError) as exc:
        run.errors[f"{kind} {type(exc).__name__}"] += 1


async def student(base, code, n, run, think, rng, arrive_within):
    await asyncio.sleep(rng.uniform(0, arrive_within))  # a class does not all arrive in the same millisecond
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base, cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=30)) as session:
        async with session.get(f"/join?code={code}") as response:
            page = await response.text()
        response = await form_post(
            session,
            "/join",
            {"csrf_token": CSRF.search(page).group(1), "code": code, "nickname": f"student {n}"},
            run,
            "join",
        )
        if response is None or "Location" not in response.headers:
            return
        play = response.headers["Location"]
        async with session.get(play) as response:
            csrf = CSRF.search(await response.text()).group(1)
        answered, pending = set(), set()
        async for state in events(session, play + "/events", run, "player"):
            s, me = state["s"], state["me"]
            if s["phase"] == "ended":
                run.done += 1
                return
            position = s["position"]
            if s["phase"] != "question" or position in answered or "given" in me:
                continue
            run.delivered[position].append(time.perf_counter())
            answered.add(position)
            task = asyncio.create_task(answer(session, play, csrf, s, run, think, rng))
            pending.add(task)
            task.add_done_callback(pending.discard)


async def answer(session, play, csrf, s, run, think, rng):
    await asyncio.sleep(rng.uniform(*think))
    # The values of the answer buttons or boxes the question's type drew on the phone.
    choices = re.findall(r'name="answer" value="([^"]*)"', s["question"]["form"] or "") or ["true", "false"]
    started = time.perf_counter()
    try:
        async with session.post(
            play + "/answer",
            data={"csrf_token": csrf, "position": str(s["position"]), "answer": str(rng.choice(choices))},
            headers={"Accept": "application/json"},
        ) as response:
            body = await response.json()
            ended = time.perf_counter()
            if response.status != 200 or not body.get("ok"):
                run.errors[f"answer HTTP {response.status} {body.get('error', '')}".strip()] += 1
                return
    except (TimeoutError, aiohttp.ClientError) as exc:
        run.errors[f"answer {type(exc).__name__}"] += 1
        return
    run.latency[s["position"]].append((ended - started) * 1000)
    run.last_answer[s["position"]] = max(run.last_answer[s["position"]], ended)


async def projector(session, game, run, everyone):
    async for state in events(session, f"/live/{game}/events", run, "projector"):
        if state["phase"] in ("question", "results") and state["answered"] >= everyone:
            run.projector_full.setdefault(state["position"], time.perf_counter())
        run.projector_state = state
        if state["phase"] == "ended":
            return


async def teacher_step(session, game, action, run):
    async with session.get(f"/live/{game}") as response:
        page = await response.text()
    at = re.search(r'name="at" value="([^"]+)"', page).group(1)
    await form_post(
        session,
        f"/live/{game}/step",
        {"csrf_token": CSRF.search(page).group(1), "at": at, "action": action},
        run,
        "teacher",
    )


async def wait_for(predicate, timeout):
    stop = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > stop:
            return False
        await asyncio.sleep(0.02)
    return True


async def game(base, database, teacher, students, questions, think, arrive_within, seed):
    """One whole game, from the teacher's new-game form to the podium. Returns (run, session id)."""
    run = Run()
    run.projector_state = {}
    async with teacher.get(f"/live/new?bank={BANK}") as response:
        page = await response.text()
    ids = re.findall(r'name="question" value="([^"]+)"', page)
    rows = dict(
        sqlite3.connect(database).execute("SELECT id, type FROM questions WHERE bank_id = ?", [BANK]).fetchall()
    )
    chosen = [i for i in ids if rows[i] == "choice"][:questions]
    form = [
        ("csrf_token", CSRF.search(page).group(1)),
        ("bank", BANK),
        ("topic", ""),
        ("timer", "20"),
        ("reading", "0"),
        ("scoring", "speed"),
        ("text_mode", "both"),
    ]
    form += [("question", q) for q in chosen] + [(f"order-{q}", str(n)) for n, q in enumerate(chosen, 1)]
    response = await form_post(teacher, "/live/new", form, run, "teacher")
    session_id = int(response.headers["Location"].rsplit("/", 1)[1])
    code = sqlite3.connect(database).execute("SELECT code FROM live_sessions WHERE id = ?", [session_id]).fetchone()[0]
    rng = random.Random(seed)
    watch = asyncio.create_task(projector(teacher, session_id, run, students))
    phones = [
        asyncio.create_task(student(base, code, n, run, think, random.Random(rng.random()), arrive_within))
        for n in range(students)
    ]
    await wait_for(lambda: run.projector_state.get("players", 0) >= students, arrive_within + 60)
    for position in range(1, questions + 1):
        await teacher_step(teacher, session_id, "start" if position == 1 else "next", run)
        run.opened[position] = time.perf_counter()
        # Everyone has answered: the question closes by itself and the projector shows the results.
        await wait_for(
            lambda position=position: (
                run.projector_state.get("phase") == "results" and run.projector_state.get("position") == position
            ),
            40,
        )
        await asyncio.sleep(1)  # the class looks at the chart
    await teacher_step(teacher, session_id, "next", run)  # the podium
    await wait_for(lambda: run.done >= students, 30)
    for task in phones + [watch]:
        task.cancel()
    await asyncio.gather(*phones, watch, return_exceptions=True)
    return run, session_id


async def bare_load(base, seconds):
    count, stop = 0, time.perf_counter() + seconds

    async def client():
        nonlocal count
        async with aiohttp.ClientSession(base) as session:
            while time.perf_counter() < stop:
                async with session.post("/insert") as response:
                    await response.read()
                    count += response.status == 200

    await asyncio.gather(*(client() for _ in range(BASELINE_CLIENTS)))
    return count / seconds


async def main_async(args, base, database):
    async with aiohttp.ClientSession(
        base, cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=aiohttp.ClientTimeout(total=30)
    ) as teacher:
        async with teacher.get("/signup") as response:
            page = await response.text()
        await teacher.post(
            "/signup",
            data={
                "csrf_token": CSRF.search(page).group(1),
                "username": "teacher",
                "password": "bench password",
                "confirm": "bench password",
            },
        )
        with sqlite3.connect(database) as db:
            db.execute("UPDATE learners SET role = 'teacher' WHERE username = 'teacher'")
        main = await game(base, database, teacher, args.students, args.questions, (0.5, 4.5), 10, 1)
        burst = await game(base, database, teacher, args.students, 1, (0, 0), 10, 2)
    return main, burst


def report(args, main, burst, database, peak_kib, bare_rps):
    (run, session_id), (brun, burst_id) = main, burst
    db = sqlite3.connect(database)
    print(
        f"{args.students} simulated students, {args.questions} questions; server: {' '.join(production_command())}"
        + ("; through nginx (deploy/nginx, plain-HTTP variant)" if args.front else "")
    )
    for position in range(1, args.questions + 1):
        total, distinct = db.execute(
            "SELECT count(*), count(DISTINCT player_id) FROM live_answers WHERE session_id = ? AND position = ?",
            [session_id, position],
        ).fetchone()
        lat = run.latency[position]
        delay = (
            (run.projector_full[position] - run.last_answer[position]) * 1000
            if position in run.projector_full
            else None
        )
        reach = [(t - run.opened[position]) * 1000 for t in run.delivered[position]]
        print(
            f"question {position}: answers recorded {total} ({distinct} players, "
            f"{'OK' if total == distinct == args.students else 'WRONG'}); answer latency p50 {pct(lat, 0.5):.1f} ms "
            f"p99 {pct(lat, 0.99):.1f} ms; last answer -> projector count {args.students}: "
            f"{'never' if delay is None else f'{delay:.0f} ms'}; question reached phones p50 {pct(reach, 0.5):.0f} ms "
            f"p99 {pct(reach, 0.99):.0f} ms (max {max(reach, default=float('nan')):.0f})"
        )
    duplicates = db.execute(
        "SELECT count(*) FROM (SELECT player_id, position FROM live_answers "
        "GROUP BY player_id, position HAVING count(*) > 1)"
    ).fetchone()[0]
    every = [v for values in run.latency.values() for v in values]
    print(
        f"all answers: p50 {pct(every, 0.5):.1f} ms, p99 {pct(every, 0.99):.1f} ms (target p99 <= 250 ms); "
        f"duplicate answers in the database: {duplicates}"
    )
    print(f"errors by kind: {dict(run.errors) or 'none'}")
    blat = brun.latency[1]
    recorded = db.execute("SELECT count(*) FROM live_answers WHERE session_id = ?", [burst_id]).fetchone()[0]
    span = brun.last_answer[1] - brun.opened[1]
    print(
        f"burst game (everyone answers the instant the question arrives): {recorded} answers in {span:.2f} s "
        f"from the teacher's click = {recorded / span:.0f} answers/s; latency p50 {pct(blat, 0.5):.1f} ms "
        f"p99 {pct(blat, 0.99):.1f} ms; errors {dict(brun.errors) or 'none'}"
    )
    print(f"peak memory (RSS of the server processes): {peak_kib / 1024:.1f} MiB")
    print(
        f"bare Flask + SQLite insert, same server settings, {BASELINE_CLIENTS} clients: {bare_rps:.0f} requests/s; "
        f"ratio of the burst's answers/s to it: {recorded / span / bare_rps:.2f}"
    )


@contextmanager
def through(args, server):
    """The base URL the students use: the server's own, or the front server's in front of it."""
    if not args.front:
        yield server.url
        return
    with front(server.url, tls=False) as nginx:
        yield nginx.url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--front", choices=["nginx"], help="put the shipped front server in front")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="live-load-"))
    database = str(folder / "app.sqlite3")
    # Every simulated phone comes from 127.0.0.1, as a lecture hall behind one school NAT would: such
    # a site raises the joins one address may make (1,000 a minute by default) to let 1,000 phones
    # join within 10 s. The event-stream caps' defaults already fit 1,000 phones on one address.
    env = {
        "QUIZAPP_DATABASE": database,
        "QUIZAPP_QUESTIONS": str(ROOT / "questions"),
        "QUIZAPP_SECRET_KEY": "bench",
        "BARE_DATABASE": str(folder / "bare.sqlite3"),
        "QUIZAPP_LIVE_JOINS_PER_ADDRESS": str(max(1000, 3 * args.students)),
    }
    if args.front:
        env["QUIZAPP_TRUSTED_PROXIES"] = "127.0.0.1"  # as the README's production setup has it
    with serve(env=env, app_target="bare_app:app", chdir=ROOT / "bench") as bare, through(args, bare) as url:
        bare_rps = asyncio.run(asyncio.wait_for(bare_load(url, BASELINE_S), DEADLINE_S))
    with serve(env=env) as app, through(args, app) as url:
        main_run, burst_run = asyncio.run(asyncio.wait_for(main_async(args, url, database), DEADLINE_S))
        peak = app.peak_kib
    report(args, main_run, burst_run, database, peak, bare_rps)


if __name__ == "__main__":
    main()
