"""Operators' endpoint: /healthz answers 200 when the database answers."""
from __future__ import annotations

import sqlite3

from flask import Blueprint, jsonify

from .db import get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        banks = get_db().execute("SELECT count(*) FROM banks").fetchone()[0]
    except (sqlite3.Error, OSError) as exc:
        return jsonify(status="error", database=str(exc)), 503
    return jsonify(status="ok", database="ok", banks=banks)
