"""The front server (deploy/nginx) and the production command: the shipped config passes nginx -t, a
slowloris that takes bare gunicorn down leaves pages answering through nginx, and player and
invitation tokens stay out of both access logs. Real gunicorn and nginx processes on loopback."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from .helpers import DATA, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from frontserver import check, front, render  # noqa: E402
from servers import free_port, production_command  # noqa: E402

UNVERIFIED = ssl._create_unverified_context()  # the test's own throwaway certificate
SLOW_CONNECTIONS = 300  # well past the test server's 50 connection slots
POOL = 50


@pytest.fixture(autouse=True)
def nginx_installed():
    missing = [tool for tool in ("nginx", "openssl") if not (shutil.which(tool) or os.path.exists(f"/usr/sbin/{tool}"))]
    if missing:
        message = f"{' and '.join(missing)} not installed: apt-get install -y nginx openssl (as .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the front server tests, never skip them
        pytest.skip(message)


class Gunicorn:
    def __init__(self, url, log):
        self.url, self.log = url, log


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """The README's production command with one worker of 50 connections, so that a few hundred slow
    connections are enough to fill it (the documented 2 x 4,000 take a few thousand)."""
    folder = tmp_path_factory.mktemp("gunicorn")
    command = production_command()
    assert "--logger-class" in command and command[command.index("--bind") + 1].startswith("127.0.0.1:")
    port = free_port()
    for option, value in (("--bind", f"127.0.0.1:{port}"), ("--workers", "1"), ("--worker-connections", str(POOL))):
        command[command.index(option) + 1] = value
    log = folder / "gunicorn.log"
    env = {
        **os.environ,
        "QUIZAPP_DATABASE": str(folder / "app.sqlite3"),
        "QUIZAPP_QUESTIONS": str(DATA),
        "QUIZAPP_SECRET_KEY": "front-server-test",
        "QUIZAPP_TRUSTED_PROXIES": "127.0.0.1",
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn"] + command[1:], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    server = Gunicorn(f"http://127.0.0.1:{port}", log)
    try:
        wait_for_ok(server.url + "/healthz", process, log)
        yield server
    finally:
        process.terminate()
        process.wait(15)


def wait_for_ok(url, process, log, seconds=60):
    deadline = time.time() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                pytest.fail(f"server at {url} did not answer: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    return urllib.request.urlopen(request, timeout=10, context=UNVERIFIED if url.startswith("https") else None)


def slowloris(port, count, tls=False):
    """count connections, each with a request line and a first header but never the blank line."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if tls:
            sock = UNVERIFIED.wrap_socket(sock, server_hostname="localhost")
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sockets.append(sock)
    return sockets


def trickle(sockets):
    """One more header line on each: the connection stays busy but the request never completes."""
    for n, sock in enumerate(sockets):
        try:
            sock.sendall(b"X-Slow-%d: 1\r\n" % n)
        except OSError:
            pass


def close(sockets):
    for sock in sockets:
        sock.close()


def test_shipped_nginx_config_passes_nginx_t(tmp_path):
    result = check(render(8000, tmp_path, tls=True))
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "test is successful" in output, output
    assert "[warn]" not in output and "[emerg]" not in output, output


def test_slowloris_fills_bare_gunicorn_but_pages_answer_through_nginx(gunicorn, tmp_path):
    with front(gunicorn.url, tls=True, folder=tmp_path) as nginx:
        attack = slowloris(nginx.rendered.https_port, SLOW_CONNECTIONS, tls=True)
        try:
            for _ in range(3):  # a few seconds of trickling, within nginx's 10 s header timeout
                trickle(attack)
                for path in ("/", "/healthz", "/join"):
                    assert get(nginx.url + path).status == 200, path
                time.sleep(1)
        finally:
            close(attack)
    # The same attack straight at gunicorn takes every connection slot: a new visitor gets nothing.
    attack = slowloris(int(gunicorn.url.rsplit(":", 1)[1]), SLOW_CONNECTIONS)
    try:
        trickle(attack)
        with pytest.raises(OSError):
            urllib.request.urlopen(gunicorn.url + "/healthz", timeout=3)
    finally:
        close(attack)
    assert get(gunicorn.url + "/healthz").status == 200  # and serves again once the attackers go


def test_front_server_redirects_to_https_and_drops_other_host_names(gunicorn, tmp_path):
    with front(gunicorn.url, tls=True, folder=tmp_path) as nginx:
        connection = http.client.HTTPConnection("127.0.0.1", nginx.rendered.http_port, timeout=10)
        connection.request("GET", "/join?code=123456", headers={"Host": "localhost"})
        response = connection.getresponse()
        assert response.status == 301 and response.getheader("Location") == "https://localhost/join?code=123456"
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            connection = http.client.HTTPConnection("127.0.0.1", nginx.rendered.http_port, timeout=10)
            connection.request("GET", "/", headers={"Host": "evil.example"})
            connection.getresponse()
        with pytest.raises(ssl.SSLError):  # no certificate is ever shown for a name that is not ours
            with socket.create_connection(("127.0.0.1", nginx.rendered.https_port), timeout=5) as sock:
                UNVERIFIED.wrap_socket(sock, server_hostname="evil.example")


def test_tokens_in_paths_stay_out_of_both_access_logs(gunicorn, tmp_path):
    secrets = {"player": "PlayerSecret123", "invite": "InviteSecret456", "referer": "RefererSecret789"}
    paths = [f"/live/p/{secrets['player']}/events", f"/invite/{secrets['invite']}"]
    with front(gunicorn.url, tls=True, folder=tmp_path) as nginx:
        for base in (gunicorn.url, nginx.url):
            for path in paths:
                with pytest.raises(urllib.error.HTTPError):  # 404s: unknown tokens, logged all the same
                    get(base + path, Referer=f"https://quiz.example.edu/live/p/{secrets['referer']}")
        nginx_log = nginx.rendered.access_log.read_text()
    deadline = time.time() + 10
    while gunicorn.log.read_text().count("[redacted]") < 6 and time.time() < deadline:
        time.sleep(0.1)  # gunicorn writes its access line after the response
    gunicorn_log = gunicorn.log.read_text()
    for log in (gunicorn_log, nginx_log):
        assert "/live/p/[redacted]/events" in log and "/invite/[redacted]" in log, log
        assert '/live/p/[redacted]"' in log, log  # the Referer too
        for secret in secrets.values():
            assert secret not in log, log


@pytest.mark.parametrize(
    "line, kept",
    [
        ("GET /live/p/Tok_en-1/answer HTTP/1.1", "GET /live/p/[redacted]/answer HTTP/1.1"),
        ("GET /invite/Tok?lang=zh HTTP/1.1", "GET /invite/[redacted]?lang=zh HTTP/1.1"),
        ("GET /signin?next=%2Finvite%2FTok&x=1 HTTP/1.1", "GET /signin?next=%2Finvite%2F[redacted]&x=1 HTTP/1.1"),
        ("GET //live//p/Tok HTTP/1.1", "GET //live//p/[redacted] HTTP/1.1"),
        ("GET /live/12/events HTTP/1.1", "GET /live/12/events HTTP/1.1"),  # a game id is no secret
    ],
)
def test_redact_finds_tokens_however_the_path_is_written(line, kept):
    from quizapp.web.accesslog import redact

    assert redact(line) == kept


def test_redacting_logger_covers_flask_exception_lines(capsys):
    import logging

    from gunicorn.config import Config

    from quizapp.web.accesslog import RedactingLogger

    app_logger = logging.getLogger("quizapp")
    before = list(app_logger.filters)
    RedactingLogger(Config())  # its setup() filters the app's logger as gunicorn starts
    try:
        record = logging.LogRecord(
            "quizapp", logging.ERROR, __file__, 1, "Exception on %s [%s]", ("/live/p/Secret42/answer", "POST"), None
        )
        assert all(f.filter(record) for f in app_logger.filters)
        assert record.getMessage() == "Exception on /live/p/[redacted]/answer [POST]"
    finally:
        app_logger.filters[:] = before  # the rest of the suite reads the app's log unfiltered
