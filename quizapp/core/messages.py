"""Messages for people from code without Flask: marked for the catalog here, translated by the view."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for translation without translating it here (no Flask in domain code)."""
    return message
