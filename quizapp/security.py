"""CSRF on every POST and the response headers every page carries."""
from __future__ import annotations

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

# No inline script or style anywhere: the templates load /static files only.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def init_app(app) -> None:
    csrf.init_app(app)
    app.after_request(_headers)
