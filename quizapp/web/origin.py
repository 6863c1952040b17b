"""Who is asking and where the site lives: forwarding headers believed only from the operator's own
proxies (QUIZAPP_TRUSTED_PROXIES), and links built on the configured public address
(QUIZAPP_BASE_URL) rather than on whatever Host a request claims."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Response, current_app, has_request_context, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix


def parse_networks(value) -> tuple:
    """'10.0.0.5, 192.168.0.0/16, ::1' (or a list of them) to networks. A bad entry stops the
    start: an operator who meant to trust a proxy must not find out from locked-out students."""
    items = value.split(",") if isinstance(value, str) else list(value or ())
    networks = []
    for item in (str(i).strip() for i in items):
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"QUIZAPP_TRUSTED_PROXIES: {item!r} is not an address or network") from None
    return tuple(networks)


class TrustedProxyFix:
    """werkzeug's ProxyFix, applied only when the connection comes from a trusted proxy.

    Then X-Forwarded-For, -Proto and -Host (the last value of each, the one our proxy added) give
    the client's address, scheme and host, so limits are per student and HSTS and Secure cookies
    work behind TLS termination. From anyone else these headers are ignored: a client cannot pick
    its own address to escape a limit or to fill another's. X-Forwarded-Prefix is never trusted:
    the app is served at the root of its host.
    """

    def __init__(self, app, networks: tuple):
        self.app, self.networks = app, networks
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1)

    def trusts(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        address = getattr(address, "ipv4_mapped", None) or address  # a dual-stack socket's ::ffff:10.0.0.5
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        app = self.fixed if self.trusts(environ.get("REMOTE_ADDR", "")) else self.app
        return app(environ, start_response)


def parse_base_url(value: str) -> str:
    """'https://quiz.example.edu' (a path is allowed, nothing after it), without a trailing slash."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"QUIZAPP_BASE_URL: {value!r} is not an http(s) address such as https://quiz.example.edu")
    return value.strip().rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """An absolute link for people to copy or scan (invitations, the join QR code): on the
    configured public address when there is one, never on the Host a request claims."""
    base = current_app.config.get("BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    path = url_for(endpoint, **values)
    if has_request_context() and request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]
    return base + path


def refuse_host(exc: SecurityError):
    """A Host other than QUIZAPP_BASE_URL's: a short answer, since no link can be built for it."""
    return Response(_("This site is not served at this address."), 400, mimetype="text/plain")


def init_app(app) -> None:
    networks = parse_networks(app.config.get("TRUSTED_PROXIES"))
    if networks:
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, networks)
    if app.config.get("BASE_URL"):
        app.config["BASE_URL"] = parse_base_url(app.config["BASE_URL"])
        if app.config.get("TRUSTED_HOSTS") is None:  # an instance config.py may list more
            app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["BASE_URL"]).hostname]
    app.register_error_handler(SecurityError, refuse_host)
    app.add_template_global(public_url)
