"""Run the shipped nginx front server (deploy/nginx/) on free loopback ports in front of a given
gunicorn, for the benchmarks and the tests: the shipped files with only their placeholders, ports,
paths and (for the plain-HTTP variant) TLS lines replaced, so what is measured is what we ship."""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from servers import ROOT, free_port

DEPLOY = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _sub(pattern: str, replacement: str, text: str, *, at_least: int = 1) -> str:
    """Replace, and fail loudly when the shipped file no longer has what the template expects."""
    result, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    if count < at_least:
        raise ValueError(f"deploy/nginx no longer matches {pattern!r}: update bench/frontserver.py")
    return result


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A throwaway certificate for 127.0.0.1 and localhost, made with the openssl command."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@dataclass
class Rendered:
    config: Path  # the main nginx.conf to pass to nginx -c
    folder: Path  # its prefix: logs, pid file, temp files
    http_port: int
    https_port: int  # plain HTTP too when rendered with tls=False
    access_log: Path
    error_log: Path


def render(upstream_port: int, folder: Path, *, tls: bool = True) -> Rendered:
    """Write the shipped nginx.conf and site into folder, pointed at 127.0.0.1:upstream_port.

    tls=False keeps every limit and timeout but serves the HTTPS server block as plain HTTP (the
    benchmark's slowloris would otherwise spend the shared CPU on thousands of TLS handshakes)."""
    folder.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    https_port = next(port for port in iter(free_port, None) if port != http_port)
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    site = (DEPLOY / "quizapp.conf").read_text(encoding="utf-8")
    site = _sub(r"^\s*listen \[::\].*\n", "", site)  # loopback IPv4 only
    site = _sub(r"listen 80( default_server)?;", rf"listen 127.0.0.1:{http_port}\1;", site)
    if tls:
        cert, key = self_signed_certificate(folder)
        site = _sub(r"listen 443 ssl http2( default_server)?;", rf"listen 127.0.0.1:{https_port} ssl http2\1;", site)
        site = _sub(r"ssl_certificate /\S+;", f"ssl_certificate {cert};", site)
        site = _sub(r"ssl_certificate_key /\S+;", f"ssl_certificate_key {key};", site)
    else:
        site = _sub(r"listen 443 ssl http2( default_server)?;", rf"listen 127.0.0.1:{https_port}\1;", site)
        site = _sub(r"^\s*ssl_\w+ .*\n", "", site)
    site = _sub(r"server 127\.0\.0\.1:8000;", f"server 127.0.0.1:{upstream_port};", site)
    site = _sub(r"server_name quiz\.example\.edu;", "server_name 127.0.0.1 localhost;", site)
    site = _sub(r"/var/log/nginx/quizapp-access\.log", str(logs / "access.log"), site)
    site = _sub(r"alias /srv/quizapp/quizapp/static/;", f"alias {ROOT / 'quizapp' / 'static'}/;", site)
    (folder / "quizapp.conf").write_text(site, encoding="utf-8")

    main = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    # Run as whoever runs this; as root, workers stay root so they can reach the private temp folder.
    main = _sub(r"^user www-data;", "user root;" if os.geteuid() == 0 else "", main)
    main = _sub(r"^pid /run/nginx\.pid;", f"pid {folder / 'nginx.pid'};", main)
    main = _sub(r"/var/log/nginx/error\.log", str(logs / "error.log"), main)
    main = _sub(r"^\s*include /etc/nginx/(conf\.d|modules-enabled)/\*\.conf;\n", "", main, at_least=2)
    main = _sub(r"include /etc/nginx/sites-enabled/\*;", f"include {folder / 'quizapp.conf'};", main)
    temp = "".join(
        f"\t{kind}_temp_path {folder / kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = _sub(r"^http \{\n", "http {\n" + temp, main)
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]  # a container may not let even root go past it
    if hard != resource.RLIM_INFINITY:
        main = _sub(r"^worker_rlimit_nofile (\d+);", lambda m: f"worker_rlimit_nofile {min(int(m[1]), hard)};", main)
    config = folder / "nginx.conf"
    config.write_text(main, encoding="utf-8")
    return Rendered(config, folder, http_port, https_port, logs / "access.log", logs / "error.log")


def check(rendered: Rendered) -> subprocess.CompletedProcess:
    """nginx -t on the rendered files."""
    return subprocess.run(
        [NGINX, "-t", "-p", str(rendered.folder), "-e", str(rendered.error_log), "-c", str(rendered.config)],
        capture_output=True,
        text=True,
    )


@dataclass
class Front:
    rendered: Rendered
    process: subprocess.Popen
    tls: bool

    @property
    def url(self) -> str:
        """The app's server block: https://localhost (a name, so the client sends it in SNI; the
        shipped config refuses handshakes without one of its names) or plain http://127.0.0.1."""
        if self.tls:
            return f"https://localhost:{self.rendered.https_port}"
        return f"http://127.0.0.1:{self.rendered.https_port}"


@contextmanager
def front(upstream_url: str, *, tls: bool = True, folder: Path | None = None):
    """nginx in the foreground (no daemon) with the shipped config in front of upstream_url."""
    folder = folder or Path(tempfile.mkdtemp(prefix="quizapp-nginx-"))
    rendered = render(int(upstream_url.rsplit(":", 1)[1]), folder, tls=tls)
    with open(folder / "logs" / "stderr.log", "wb") as stderr:
        process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-e", str(rendered.error_log), "-c", str(rendered.config), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    server = Front(rendered, process, tls)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)  # fast shutdown: open slow connections must not delay it
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(server: Front) -> None:
    context = ssl._create_unverified_context() if server.tls else None  # our own throwaway certificate
    deadline = time.time() + 20
    while True:
        try:
            urllib.request.urlopen(
                urllib.request.Request(server.url + "/static/app.css", method="HEAD"), timeout=1, context=context
            )
            return
        except OSError:
            if server.process.poll() is not None or time.time() > deadline:
                logs = server.rendered.folder / "logs"
                text = "".join(
                    f.read_text(errors="replace")
                    for f in (logs / "stderr.log", server.rendered.error_log)
                    if f.exists()
                )
                raise RuntimeError(f"nginx did not start:\n{text}") from None
            time.sleep(0.1)
