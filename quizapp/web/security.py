"""CSRF on every POST, the response headers every page carries, secure cookies over HTTPS,
and rate limits that hold across server workers."""

from __future__ import annotations

import functools
import logging

from flask import Request, abort, current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect
from itsdangerous import BadSignature

from quizapp.core import ratelimit
from quizapp.web.db import get_db

csrf = CSRFProtect()
log = logging.getLogger("quizapp.security")

# No inline script or style anywhere: the templates load /static files only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


# Endpoints allowed a larger body than the app's MAX_CONTENT_LENGTH (1 MiB): endpoint -> bytes.
# Only these: every other route keeps the small limit that bounds what one request can cost.
LARGER_BODIES: dict[str, int] = {}


class LimitedRequest(Request):
    """The body limit by route: it is decided when the URL is matched, before CSRF reads the form."""

    @property
    def max_content_length(self) -> int | None:
        rule = self.url_rule
        if rule is not None and rule.endpoint in LARGER_BODIES:
            return LARGER_BODIES[rule.endpoint]
        return super().max_content_length


class SessionInterface(SecureCookieSessionInterface):
    """Mark the cookie Secure whenever the request came over HTTPS, not only when configured."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or (request and request.is_secure))

    def open_session(self, app, request):
        """Also note when the cookie was signed (`issued_at`): a cookie from before server-side
        sessions is honoured only for a learner who already existed then (see auth)."""
        serializer = self.get_signing_serializer(app)
        value = request.cookies.get(self.get_cookie_name(app))
        if serializer is None or not value:
            return super().open_session(app, request)
        try:
            data, signed = serializer.loads(
                value, max_age=int(app.permanent_session_lifetime.total_seconds()), return_timestamp=True
            )
        except BadSignature:
            return self.session_class()
        opened = self.session_class(data)
        opened.issued_at = signed
        return opened


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.headers.get("Content-Disposition", "").startswith("attachment"):
        # A download (export, CSV report, bank YAML) is one person's data: no browser or proxy keeps a copy.
        response.headers["Cache-Control"] = "no-store"
    return response


def client_address() -> str:
    return request.remote_addr or "unknown"


def learner_key(learner_id: int | None) -> str:
    """A limit's key for a learner's own actions: their id, or for a visitor who has none yet their
    address, so anonymous visitors do not all share (and exhaust) one bucket."""
    return str(learner_id) if learner_id else client_address()


def check_rate(name: str, key: str, limit: int, window_s: int, message: str | None = None) -> None:
    """Count one event; past the limit, log it and answer 429 with Retry-After (and `message`
    on the page, when the usual "wait a minute" would not say what happened)."""
    if not current_app.config.get("RATE_LIMITS", True):
        return
    allowed, retry_after = ratelimit.hit(get_db(), f"{name}:{key}", limit, window_s)
    if not allowed:
        log.warning("rate limit %s exceeded by %s (%s per %ss)", name, key, limit, window_s)
        g.retry_after, g.limit_message = retry_after, message
        abort(429)


def refuse_when_spent(name: str, key: str, limit: int, window_s: int) -> None:
    """For a limit on failures (wrong codes): answer 429 before the lookup once `key` has used
    them up, so a right guess made past the limit is refused like a wrong one."""
    if not current_app.config.get("RATE_LIMITS", True):
        return
    if ratelimit.peek(get_db(), f"{name}:{key}", window_s) >= limit:
        log.warning("rate limit %s exceeded by %s (%s per %ss)", name, key, limit, window_s)
        g.retry_after = window_s - int(ratelimit.clock() % window_s)
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
    app.request_class = LimitedRequest
    csrf.init_app(app)
    app.session_interface = SessionInterface()
    app.after_request(_headers)
