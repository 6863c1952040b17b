"""First start and every start: migrate the database and load the banks in the questions folder."""
from __future__ import annotations

import logging

from . import migrations
from .bankstore import import_banks
from .banks import validate_all
from .store import connect

log = logging.getLogger("quizapp")


def load_banks(db, paths) -> tuple[list, list]:
    """Validate then import; returns (import results, reports with problems). Invalid files are skipped."""
    reports = validate_all(paths)
    good = [(r.bank, r.path) for r in reports if r.ok]
    bad = [r for r in reports if not r.ok]
    return (import_banks(db, good) if good else []), bad


def prepare_database(app) -> None:
    db = connect(app.config["DATABASE"])
    try:
        migrations.apply(db)
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
