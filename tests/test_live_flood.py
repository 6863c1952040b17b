"""A flood of live event streams against a real gunicorn gevent server (the production worker class),
started by the test on a free loopback port: past the caps it answers 429 or 503 with Retry-After,
and normal pages keep answering quickly meanwhile.

Before the caps, one player token could open streams until the worker's `--worker-connections`
were all taken, and then no page of the site answered. One worker here, so the per-process counts
are exact; the caps are small so that a few hundred connections reach every one of them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from quizapp.core.store import connect
from quizapp.live import games as livegames
from quizapp.live import players as liveplayers

from .helpers import DATA, ROOT, make_teacher, new_game

PER_PLAYER, PER_ADDRESS, PER_PROCESS = 3, 100, 250


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database: str, port: int, log):
    env = {
        **os.environ,
        "QUIZAPP_DATABASE": database,
        "QUIZAPP_QUESTIONS": str(DATA),
        "QUIZAPP_SECRET_KEY": "flood",
        "QUIZAPP_LIVE_STREAMS_PER_PLAYER": str(PER_PLAYER),
        "QUIZAPP_LIVE_STREAMS_PER_ADDRESS": str(PER_ADDRESS),
        "QUIZAPP_LIVE_STREAMS_PER_PROCESS": str(PER_PROCESS),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--worker-class",
            "gevent",
            "--workers",
            "1",
            "--worker-connections",
            "1000",
            "--bind",
            f"127.0.0.1:{port}",
            "quizapp:create_app()",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError("gunicorn did not start: " + open(log.name, encoding="utf-8").read()[-2000:])
            time.sleep(0.2)


def open_stream(port: int, path: str, source: str):
    """One stream request from a loopback address of our choice; returns (status, headers, socket)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, sock


def page_seconds(port: int, path: str) -> float:
    started = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        assert response.status == 200
        response.read()
    return time.monotonic() - started


def test_a_flood_of_streams_gets_429_or_503_and_pages_keep_answering(make_app):
    app = make_app()
    teacher = make_teacher(app, app.test_client())
    session_id = new_game(teacher)
    db = connect(app.config["DATABASE"])
    game = livegames.get(db, session_id)
    tokens = [liveplayers.join(db, game, f"p{n}", None, "en", 2000)["token"] for n in range(401)]
    port = free_port()
    held, statuses = [], {}
    with tempfile.NamedTemporaryFile("w+", prefix="flood-gunicorn-", suffix=".log") as log:
        server = start_gunicorn(app.config["DATABASE"], port, log)
        try:

            def flood(name, requests):
                seen = []
                for path, source in requests:
                    status, headers, sock = open_stream(port, path, source)
                    seen.append(status)
                    if status == 200:
                        assert headers["content-type"].startswith("text/event-stream")
                        held.append(sock)
                    else:
                        assert status in (429, 503) and int(headers["retry-after"]) > 0, (status, headers)
                        sock.close()
                statuses[name] = seen
                # Pages answer at once however many streams are open or refused.
                assert page_seconds(port, "/healthz") < 2 and page_seconds(port, "/") < 2

            started = time.monotonic()
            # One player token, 200 times: PER_PLAYER streams, then 429.
            flood("one token", [(f"/live/p/{tokens[0]}/events", "127.0.0.2")] * 200)
            # 200 tokens from the same address: up to PER_ADDRESS streams from it, then 429.
            flood("one address", [(f"/live/p/{t}/events", "127.0.0.2") for t in tokens[1:201]])
            # 200 more from two other addresses: the process fills up at PER_PROCESS, then 503.
            flood(
                "process", [(f"/live/p/{t}/events", f"127.0.0.{3 + n // 100}") for n, t in enumerate(tokens[201:401])]
            )
            elapsed = time.monotonic() - started

            assert statuses["one token"] == [200] * PER_PLAYER + [429] * (200 - PER_PLAYER)
            assert statuses["one address"] == [200] * (PER_ADDRESS - PER_PLAYER) + [429] * (
                200 - PER_ADDRESS + PER_PLAYER
            )
            assert statuses["process"] == [200] * (PER_PROCESS - PER_ADDRESS) + [503] * (
                200 - PER_PROCESS + PER_ADDRESS
            )
            assert len(held) == PER_PROCESS
            # With every stream slot taken, pages keep answering quickly, several times over.
            assert max(page_seconds(port, p) for p in ["/", "/healthz", "/join"] * 5) < 2
            assert elapsed < 60
        finally:
            for sock in held:
                sock.close()
            server.send_signal(signal.SIGQUIT)  # quick shutdown: the streams need not end gracefully
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
