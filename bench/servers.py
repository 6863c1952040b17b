"""Start the README's documented production command (and a bare Flask + SQLite baseline under the
same server settings) on 127.0.0.1, for the load benchmarks. Only loopback traffic."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_command() -> list[str]:
    """The gunicorn line of README.md's Production section, exactly as documented."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Production", 1)[1]
    line = next(row for row in section.splitlines() if row.strip().startswith("gunicorn "))
    return shlex.split(line)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmRSS:\s+(\d+)", text)
    return int(match.group(1)) if match else 0


def _tree(pid: int) -> list[int]:
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return pids
    for child in children:
        pids.extend(_tree(int(child)))
    return pids


class Server:
    """A running server: its base URL, and the peak RSS of its process tree sampled twice a second."""

    def __init__(self, process: subprocess.Popen, url: str):
        self.process, self.url, self.peak_kib = process, url, 0
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self):
        while not self._stop.wait(0.5):
            self.peak_kib = max(self.peak_kib, sum(_rss_kib(p) for p in _tree(self.process.pid)))

    def stop(self):
        self._stop.set()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@contextmanager
def serve(app_target: str | None = None, env: dict | None = None, chdir: Path | None = None):
    """Run the production command, optionally for another WSGI target (the bare baseline)."""
    command = production_command()
    port = free_port()
    bind = command.index("--bind")
    command[bind + 1] = f"127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn"] + command[1:]
    if app_target:
        command[-1] = app_target
    if chdir:
        command[3:3] = ["--chdir", str(chdir)]
    log = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log", delete=False)
    process = subprocess.Popen(
        command, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while True:
        try:
            urllib.request.urlopen(url + ("/healthz" if not app_target else "/ping"), timeout=1)
            break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"server did not start; see {log.name}")
            time.sleep(0.2)
    server = Server(process, url)
    try:
        yield server
    finally:
        server.stop()
