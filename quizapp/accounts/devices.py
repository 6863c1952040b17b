"""Known devices: a browser remembers, in a signed cookie of its own, which accounts signed in on it.

Sign-in limits per username would let a stranger lock a teacher out just before class; a device
that has signed in to the account before keeps its own allowance instead. The cookie outlives
sign-out on purpose and holds only account ids (no secret): forging one needs the server's key,
and it still needs the password.
"""

from __future__ import annotations

from flask import after_this_request, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "quizapp_known"
MAX_AGE_S = 60 * 60 * 24 * 365
KEPT = 5  # accounts remembered per browser (a family computer, a teacher's two accounts)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="known-devices")


def known_accounts() -> list[int]:
    value = request.cookies.get(COOKIE)
    if not value:
        return []
    try:
        ids = _serializer().loads(value, max_age=MAX_AGE_S)
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def mark_known_device(learner_id: int) -> None:
    """Remember on this browser that the account signed in here (set on the response)."""
    ids = ([learner_id] + [i for i in known_accounts() if i != learner_id])[:KEPT]

    @after_this_request
    def set_cookie(response):
        response.set_cookie(
            COOKIE,
            _serializer().dumps(ids),
            max_age=MAX_AGE_S,
            httponly=True,
            samesite="Lax",
            secure=current_app.session_interface.get_cookie_secure(current_app),
        )
        return response
