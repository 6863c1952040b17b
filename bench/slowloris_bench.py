"""A slowloris against the production setup: thousands of connections that send a request line and
then one more header line now and then, never finishing. Normal pages (/ and /healthz, each on a
new connection, as a new visitor's) are timed before and during the attack, against the README's
gunicorn command alone (before) and behind the shipped nginx front server (after), beside a bare
Flask endpoint under the same gunicorn settings measured in the same run.

    python bench/slowloris_bench.py [--connections 9000] [--seconds 60]

nginx runs the plain-HTTP variant of deploy/nginx (every limit and timeout as shipped, the HTTPS
server block served without TLS): thousands of TLS handshakes from a Python attacker would measure
the shared CPU, not the front server. Only 127.0.0.1; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import random
import resource
import selectors
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from frontserver import front  # noqa: E402
from servers import ROOT, production_command, serve  # noqa: E402

PROBE_TIMEOUT_S = 5
TRICKLE_EVERY_S = 5
QUIET_S = 5
SETTLE_S = 5  # probes start once the attack has taken what it can (a server accepts for a while)


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


class Slowloris:
    """count connections to port, each trickling one header line every TRICKLE_EVERY_S; one the
    server closes (or answers, e.g. with a 408) is opened again at once, as a real attacker's is."""

    def __init__(self, port: int, count: int):
        self.port, self.count = port, count
        self.sockets: list[socket.socket | None] = [None] * count
        self.selector = selectors.DefaultSelector()
        self.opened = self.reopened = self.failed = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, n: int) -> None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=0.5)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris-bench\r\n")
            sock.setblocking(False)
        except OSError:
            self.failed += 1
            self.sockets[n] = None
            return
        self.sockets[n] = sock
        self.selector.register(sock, selectors.EVENT_READ, n)

    def _drop(self, n: int) -> None:
        sock, self.sockets[n] = self.sockets[n], None
        if sock is not None:
            self.selector.unregister(sock)
            sock.close()

    def start(self) -> float:
        """Open every connection; returns how long that took."""
        began = time.perf_counter()
        for n in range(self.count):
            self._open(n)
        self.opened = self.open_now()
        self.thread.start()
        return time.perf_counter() - began

    def _run(self):
        n, per_tick = 0, max(1, self.count // (TRICKLE_EVERY_S * 10))
        ends = time.monotonic() + 600  # bounded whatever the caller does
        while not self.stop.is_set() and time.monotonic() < ends:
            for key, _ in self.selector.select(timeout=0.1):  # closed or answered by the server
                self._drop(key.data)
                self._open(key.data)
                self.reopened += 1
            for _ in range(per_tick):
                sock = self.sockets[n]
                try:
                    if sock is None:
                        raise OSError
                    sock.send(b"X-a-%d: b\r\n" % random.randrange(10**6))
                except OSError:
                    self._drop(n)
                    self._open(n)
                    self.reopened += 1
                n = (n + 1) % self.count

    def open_now(self) -> int:
        return sum(s is not None for s in self.sockets)

    def close(self):
        self.stop.set()
        self.thread.join(10)
        for n in range(self.count):
            self._drop(n)
        self.selector.close()


def probe(url: str, path: str, seconds: float) -> tuple[list[float], int]:
    """New-visitor requests for path, one after another, for seconds: (latencies of the 200s in ms,
    failures). A request that gets no answer within PROBE_TIMEOUT_S is a failure."""
    host, port = url.split("//")[1].split(":")
    latencies, failures, stop = [], 0, time.perf_counter() + seconds
    while time.perf_counter() < stop:
        started = time.perf_counter()
        connection = http.client.HTTPConnection(host, int(port), timeout=PROBE_TIMEOUT_S)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                failures += 1
        except OSError:
            failures += 1
        finally:
            connection.close()
        time.sleep(0.05)
    return latencies, failures


def probe_all(url: str, paths, seconds: float) -> dict:
    results, threads = {}, []
    for path in paths:
        thread = threading.Thread(target=lambda p=path: results.__setitem__(p, probe(url, p, seconds)))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(seconds + PROBE_TIMEOUT_S + 5)
    return results


def describe(results: dict) -> str:
    parts = []
    for path, (latencies, failures) in results.items():
        total = len(latencies) + failures
        parts.append(
            f"{path} {len(latencies)}/{total} answered, p50 {pct(latencies, 0.5):.1f} ms "
            f"p99 {pct(latencies, 0.99):.1f} ms"
        )
    return "; ".join(parts)


def attack(label: str, url: str, args) -> None:
    port = int(url.rsplit(":", 1)[1])
    print(f"{label}, no attack: {describe(probe_all(url, ('/', '/healthz'), QUIET_S))}", flush=True)
    loris = Slowloris(port, args.connections)
    took = loris.start()
    try:
        print(
            f"{label}: {loris.opened} of {args.connections} slow connections opened in {took:.1f} s "
            f"({loris.failed} failed to connect)",
            flush=True,
        )
        time.sleep(SETTLE_S)
        results = probe_all(url, ("/", "/healthz"), args.seconds)
        print(
            f"{label}, under attack ({SETTLE_S} s after it began, for {args.seconds} s): {describe(results)}; "
            f"the attacker reopened "
            f"{loris.reopened} connections closed by the server; {loris.open_now()} open at the end",
            flush=True,
        )
    finally:
        loris.close()


def raise_open_files() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--connections",
        type=int,
        default=9000,
        help="slow connections (default: just past gunicorn's 2 workers x 4,000)",
    )
    parser.add_argument("--seconds", type=int, default=60, help="how long to probe during the attack (max 120)")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 120)
    raise_open_files()
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if args.connections + 200 > limit:
        sys.exit(f"{args.connections} connections need more open files than the limit of {limit}")
    folder = Path(tempfile.mkdtemp(prefix="slowloris-bench-"))
    env = {
        "QUIZAPP_DATABASE": str(folder / "app.sqlite3"),
        "QUIZAPP_QUESTIONS": str(ROOT / "questions"),
        "QUIZAPP_SECRET_KEY": "bench",
        "QUIZAPP_TRUSTED_PROXIES": "127.0.0.1",
        "BARE_DATABASE": str(folder / "bare.sqlite3"),
    }
    print(f"server: {' '.join(production_command())}")
    print(
        f"slowloris: {args.connections} connections, each sending a request line and then one header "
        f"line every {TRICKLE_EVERY_S} s; probes: / and /healthz on new connections, timeout "
        f"{PROBE_TIMEOUT_S} s",
        flush=True,
    )
    with serve(env=env, app_target="bare_app:app", chdir=ROOT / "bench") as bare:
        print(
            f"baseline: bare Flask endpoint, same gunicorn settings, no attack: "
            f"{describe(probe_all(bare.url, ('/ping',), QUIET_S))}",
            flush=True,
        )
    with serve(env=env) as app:
        attack("before (gunicorn alone)", app.url, args)
    with serve(env=env) as app, front(app.url, tls=False) as nginx:
        attack("after (nginx, deploy/nginx plain-HTTP variant, in front of the same command)", nginx.url, args)


if __name__ == "__main__":
    main()
