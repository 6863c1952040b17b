"""Messages for people from code without Flask: marked for the catalog here, translated by the view,
and the one error that refuses someone's input with such a message."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for translation without translating it here (no Flask in domain code)."""
    return message


class UserError(ValueError):
    """Input refused for a reason its person can act on: an N_-marked message and its parameters.

    Domain code raises it (or a subclass a caller tells apart); the web shows it in the reader's
    language with web.errors.user_message, and str() is the English text for logs and the terminal.
    """

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message
