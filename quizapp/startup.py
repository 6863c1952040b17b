"""First start and every start: migrate the database and load the banks in the questions folder."""

from __future__ import annotations

import logging
from datetime import timedelta

from quizapp.accounts import learners, sessions
from quizapp.banks.bankfile import validate_all
from quizapp.banks.store import import_banks
from quizapp.core import migrations
from quizapp.core.clock import now, stamp
from quizapp.core.store import connect

log = logging.getLogger("quizapp")


def load_banks(db, paths) -> tuple[list, list]:
    """Validate then import; returns (import results, reports with problems). Invalid files are skipped."""
    return import_valid(db, validate_all(paths))


def import_valid(db, reports) -> tuple[list, list]:
    """Import the banks validation already built, so no file is parsed twice; returns (results, bad reports)."""
    good = [(r.bank, r.path) for r in reports if r.ok]
    bad = [r for r in reports if not r.ok]
    return (import_banks(db, good) if good else []), bad


IDLE_LEARNER_DAYS = 30
SESSION_DAYS = 365  # the cookie's own lifetime


def forget_idle(db) -> None:
    """Anonymous learners who never answered, and sessions unused for a year, are forgotten on start."""
    learners.prune_idle(db, stamp(now() - timedelta(days=IDLE_LEARNER_DAYS)))
    sessions.expire(db, stamp(now() - timedelta(days=SESSION_DAYS)))


def prepare_database(app) -> None:
    db = connect(app.config["DATABASE"])
    try:
        migrations.apply(db)
        forget_idle(db)
        if app.config["LOAD_BANKS_ON_START"]:
            results, bad = load_banks(db, [app.config["QUESTIONS_DIR"]])
            for report in bad:
                for line in report.lines():
                    log.error("bank not loaded: %s", line)
            for result in results:
                if not result.unchanged:
                    log.info("bank %s loaded as version %s", result.bank_id, result.version)
    finally:
        db.conn.close()
