"""Timestamps as ISO-8601 UTC text, the one format stored in the database."""

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime | None = None) -> str:
    """Always UTC: stamps are compared as text, so a "+08:00" stamp would sort as a different moment.
    A naive moment is taken to be UTC already."""
    moment = moment or now()
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="milliseconds")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)
