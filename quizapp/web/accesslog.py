"""Gunicorn's logger without the secrets that ride in URL paths: player links (/live/p/<token>) and
teacher invitations (/invite/<token>). Used with `gunicorn --logger-class quizapp.web.accesslog.RedactingLogger`."""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

# The token is the path segment after /invite/ or /live/p/, wherever it appears (request line, path,
# Referer, a redirect's Location, a ?next= link), with slashes possibly percent-encoded.
SECRET_SEGMENT = re.compile(r"((?:/|%2f)(?:invite|live(?:/|%2f)+p)(?:/|%2f)+)[^/?#&\s\"]+", re.IGNORECASE)


def redact(text: str) -> str:
    return SECRET_SEGMENT.sub(r"\1[redacted]", text)


class RedactFilter(logging.Filter):
    """Rewrites a record's final message, so every format and every argument is covered."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()  # formatted once, here
        return True


class RedactingLogger(Logger):
    """Gunicorn's own logger with the filter on its access log and error log (which names the path of
    a request that failed), and on the app's logger (Flask logs "Exception on <path>" there)."""

    def setup(self, cfg):
        super().setup(cfg)
        for logger in (self.access_log, self.error_log, logging.getLogger("quizapp")):
            if not any(isinstance(f, RedactFilter) for f in logger.filters):
                logger.addFilter(RedactFilter())
