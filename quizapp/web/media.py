"""/media/<sha256>.<ext>: the pictures and clips banks use, for anyone who has the name.

Names are the SHA-256 of the stored bytes, so they cannot be guessed and never change meaning:
the response is cached for a year as immutable. The type comes from our table (set by the content
check when the file was stored), never from the request or the name, with nosniff, and a CSP of
`default-src 'none'; sandbox`, so even a file opened on its own can run nothing. Who may fetch them
and why: docs/security.md.
"""

from __future__ import annotations

from flask import Blueprint, abort, send_file

from quizapp.banks import mediastore
from quizapp.web.db import get_db

bp = Blueprint("media", __name__)
YEAR = 365 * 24 * 3600


@bp.get("/media/<name>")
def file(name: str):
    db = get_db()
    row = mediastore.find(db, name)
    if row is None:
        abort(404)
    path = mediastore.path_of(db, name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=row["mime"], conditional=True, etag=row["sha256"], max_age=YEAR)
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
