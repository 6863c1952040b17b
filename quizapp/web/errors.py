"""Error pages in the reader's language instead of stack traces or Werkzeug's English."""

from __future__ import annotations

from flask import g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from quizapp.core.messages import UserError


def user_message(error: UserError) -> str:
    """A refusal from domain code in the reader's language: the one place such a message is translated."""
    return _(error.message, **error.params)


def _page(status: int, title: str, message: str):
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return _page(
            400,
            _("The form expired"),
            _("This form was missing its security token or it had expired. Go back, reload the page and try again."),
        )

    @app.errorhandler(400)
    def bad_request(exc):
        return _page(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(403)
    def forbidden(exc):
        return _page(403, _("Not allowed"), _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(exc):
        return _page(404, _("Page not found"), _("There is nothing at this address."))

    @app.errorhandler(405)
    def method_not_allowed(exc):
        return _page(405, _("Not allowed"), _("This address does not accept that kind of request."))

    @app.errorhandler(413)
    def too_large(exc):
        return _page(413, _("Too large"), _("What you sent is too large."))

    @app.errorhandler(429)
    def too_many(exc):
        body, status = _page(
            429,
            _("Too many tries"),
            getattr(g, "limit_message", None)
            or _("Too many requests in a short time. Please wait a minute and try again."),
        )
        return body, status, {"Retry-After": str(getattr(g, "retry_after", 60))}

    @app.errorhandler(500)
    def server_error(exc):
        return _page(500, _("Something went wrong"), _("An error occurred on our side. Your earlier answers are safe."))
