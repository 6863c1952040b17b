"""Operators' endpoint: /healthz answers 200 when the database answers."""

from __future__ import annotations

import logging
import sqlite3

from flask import Blueprint, jsonify

from quizapp.web.db import get_db

bp = Blueprint("health", __name__)
log = logging.getLogger("quizapp.health")


@bp.get("/healthz")
def healthz():
    """The reason for a failure goes to the server's log only: an error's text names files and
    paths, and /healthz answers anyone who asks."""
    try:
        banks = get_db().execute("SELECT count(*) FROM banks").fetchone()[0]
    except (sqlite3.Error, OSError):
        log.exception("health check: the database does not answer")
        return jsonify(status="error"), 503
    return jsonify(status="ok", database="ok", banks=banks)
