"""CSRF on every POST, the response headers every page carries, secure cookies over HTTPS,
and rate limits that hold across server workers."""
from __future__ import annotations

import functools
import logging

from flask import abort, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from . import ratelimit
from .db import get_db

csrf = CSRFProtect()
log = logging.getLogger("quizapp.security")

# No inline script or style anywhere: the templates load /static files only.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class SessionInterface(SecureCookieSessionInterface):
    """Mark the cookie Secure whenever the request came over HTTPS, not only when configured."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or (request and request.is_secure))


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def client_address() -> str:
    return request.remote_addr or "unknown"


def check_rate(name: str, key: str, limit: int, window_s: int) -> None:
    """Count one event; past the limit, log it and answer 429 with Retry-After."""
    if not current_app.config.get("RATE_LIMITS", True):
        return
    allowed, retry_after = ratelimit.hit(get_db(), f"{name}:{key}", limit, window_s)
    if not allowed:
        log.warning("rate limit %s exceeded by %s (%s per %ss)", name, key, limit, window_s)
        g.retry_after = retry_after
        abort(429)


def rate_limited(name: str, limit: int, window_s: int, key=client_address, methods=("POST",)):
    """Decorator: at most `limit` requests per `window_s` seconds per key (the client address by default)."""
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if request.method in methods:
                check_rate(name, key(), limit, window_s)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def init_app(app) -> None:
    csrf.init_app(app)
    app.session_interface = SessionInterface()
    app.after_request(_headers)
