"""Who is asking: the learner behind the signed cookie, sign up / in / out, and access decorators."""

from __future__ import annotations

import functools
import logging
from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_timedelta
from flask_babel import gettext as _

from quizapp.accounts import invites, learners, sessions, users
from quizapp.accounts.devices import known_accounts, mark_known_device
from quizapp.accounts.forms import ClaimHistoryForm, InviteAcceptForm, SignInForm, SignUpForm
from quizapp.core import ratelimit
from quizapp.core.clock import now as utcnow
from quizapp.core.clock import parse as utcparse
from quizapp.core.messages import UserError
from quizapp.core.textsafety import normalize_username
from quizapp.web.db import get_db
from quizapp.web.errors import user_message
from quizapp.web.security import check_rate, client_address, rate_limited

bp = Blueprint("auth", __name__)
log = logging.getLogger("quizapp.security")
FAILURE_LIMIT, FAILURE_WINDOW_S = 10, 900  # tries per username and address (or known device) per 15 min
USER_FAILURE_LIMIT = 50  # tries per username from unknown devices everywhere per 15 min
SIGNIN_PER_ADDRESS = 200  # per 5 min: a school behind one NAT address signs in at the start of a lesson
LEARNERS_PER_ADDRESS = 300  # new anonymous learners per address per hour
LEGACY_SLACK = timedelta(seconds=2)  # a cookie is signed a moment after its learner is made


def _limits_on() -> bool:
    return current_app.config.get("RATE_LIMITS", True)


def current_session() -> sessions.Session | None:
    """This browser's server-side session, looked up once per request; None if it was ended."""
    if "auth_session" not in g:
        db = get_db()
        found = sessions.find(db, session.get("sid"))
        if found is None and "learner_id" in session:
            found = _upgrade_legacy_cookie(db)
        elif found is not None:
            sessions.touch(db, found, utcnow())
        g.auth_session = found
    return g.auth_session


def _upgrade_legacy_cookie(db) -> sessions.Session | None:
    """A cookie from before server-side sessions carried a bare learner id. It still counts, once,
    if that learner existed when the cookie was signed: a later learner given a freed id is not its."""
    learner_id, issued = session.pop("learner_id", None), getattr(session, "issued_at", None)
    learner = users.get(db, learner_id) if isinstance(learner_id, int) else None
    if learner is None or issued is None or utcparse(learner["created_at"]) > issued + LEGACY_SLACK:
        return None
    return _begin(learner_id, players=remembered_cookie_players())


def _begin(learner_id: int, players: list[str], claim_learner_id: int | None = None) -> sessions.Session:
    """A new session for this browser, carrying its player links; the old one (if any) ends, so a
    copy of the old cookie is dead."""
    db = get_db()
    sessions.end(db, session.get("sid"))
    token, started = sessions.start(db, learner_id, claim_learner_id, players)
    session.pop("live_players", None)
    session["sid"] = token
    session.permanent = True
    g.auth_session = started
    g.pop("account", None)
    return started


def _clear_cookie(**kept) -> None:
    """Empty the cookie but for the given values and the games this browser was removed from (a ban
    is the browser's, not the account's: neither signing in nor signing out lifts it)."""
    bans = session.get("live_bans")
    session.clear()
    session.update({key: value for key, value in kept.items() if value})
    if bans:
        session["live_bans"] = bans


def remembered_cookie_players() -> list[str]:
    tokens = session.get("live_players")
    return [t for t in tokens if isinstance(t, str)] if isinstance(tokens, list) else []


def current_learner(create: bool = False) -> int | None:
    """The learner behind this browser's session; made on first need, not on first page view."""
    found = current_session()
    if found is not None:
        return found.learner_id
    if not create:
        return None
    # Anonymous learners cost a row each: bound how fast one address can make them.
    check_rate("learner-create", client_address(), LEARNERS_PER_ADDRESS, 3600)
    return _begin(learners.create(get_db()), players=remembered_cookie_players()).learner_id


def current_account() -> dict | None:
    """The signed-in account, looked up once per request."""
    if "account" not in g:
        learner = users.get(get_db(), current_learner())
        g.account = learner if learner and learner["username"] else None
    return g.account


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_account() is None:
            flash(_("Please sign in first."), "info")
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def role_required(role: str):
    """Only accounts with this role; everyone else gets 403 (anonymous visitors are sent to sign in)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            account = current_account()
            if account is None:
                return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
            if account["role"] != role:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def begin_signed_in(learner: dict, claim_learner_id: int | None = None) -> None:
    """A fresh session on sign-in (no fixation), carrying the account's own language choices."""
    previous = current_session()
    players = previous.live_players if previous else remembered_cookie_players()
    sessions.end(get_db(), session.get("sid"))  # before the cookie, and the token in it, is cleared
    _clear_cookie(
        locale=learner.get("locale"), text_mode=learner.get("text_mode"), reading_aid=learner.get("reading_aid")
    )
    _begin(learner["id"], players, claim_learner_id)
    mark_known_device(learner["id"])


def safe_next(target: str | None) -> str:
    """Only a path on this site: never redirect to another host. Browsers drop tabs and newlines
    from a URL and read a backslash as a slash, so `/\t/evil.example` would be `//evil.example`:
    any whitespace, control character or backslash refuses the target."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and target.isprintable()
        and not any(c.isspace() or c == "\\" for c in target)
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("student.home")


@bp.route("/signup", methods=["GET", "POST"])
@rate_limited("signup-address", limit=20, window_s=3600)
def sign_up():
    form = SignUpForm()
    if form.validate_on_submit():
        db = get_db()
        anonymous = current_session()
        try:
            learner_id = users.sign_up(
                db,
                form.username.data,
                form.password.data,
                anonymous.learner_id if anonymous else None,
                form.timezone.data or "UTC",
            )
        except UserError as exc:
            form.username.errors.append(user_message(exc))
        else:
            preferences = {k: session[k] for k in ("locale", "text_mode", "reading_aid") if k in session}
            users.update_settings(db, learner_id, **preferences)
            begin_signed_in(users.get(db, learner_id))
            flash(
                _("Welcome, %(name)s! Your answers so far are kept in your account.", name=form.username.data), "info"
            )
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/sign_up.html", form=form)


def _sign_in_refused(form, retry_after: int):
    """Too many tries: the real pause in the reader's language, a way back to the form, as a 429
    with Retry-After."""
    # Counts reset at fixed 15-minute windows: the wait is what is left of this one, in whole minutes.
    wait = format_timedelta(timedelta(minutes=max(1, round(retry_after / 60))), granularity="minute", threshold=1.5)
    form.password.errors.append(
        _(
            "Too many tries for this account. Wait %(wait)s, or sign in on a device you have used here before.",
            wait=wait,
        )
    )
    response = make_response(render_template("auth/sign_in.html", form=form, paused=wait), 429)
    response.headers["Retry-After"] = str(retry_after)
    return response


@bp.route("/signin", methods=["GET", "POST"])
@rate_limited("signin-address", limit=SIGNIN_PER_ADDRESS, window_s=300)
def sign_in():
    """Wrong passwords are limited per username *and* address, and per username from everywhere, but
    a device this account signed in on before keeps its own allowance: a stranger can slow guessing
    down for everyone else without locking the owner out of their own account."""
    form = SignInForm()
    if form.validate_on_submit():
        db = get_db()
        username = normalize_username(form.username.data).casefold()  # ｍｅｉ and MEI are mei's counters
        known = users.id_for(db, username) in known_accounts()
        # Each try is counted before the password is checked (check and count in one step), so
        # parallel requests cannot all slip under the limit; a right password clears its count.
        pair = f"signin-pair:{username}|{'known' if known else client_address()}"
        allowed, retry = ratelimit.hit(db, pair, FAILURE_LIMIT, FAILURE_WINDOW_S)
        if allowed and not known:
            allowed, retry = ratelimit.hit(db, f"signin-user:{username}", USER_FAILURE_LIMIT, FAILURE_WINDOW_S)
        if not allowed and _limits_on():
            log.warning("sign-in for %s from %s paused: too many tries", username, client_address())
            return _sign_in_refused(form, retry)
        account_id = users.authenticate(db, form.username.data, form.password.data)
        if account_id is None:
            log.info("wrong password for %s from %s", username, client_address())
            form.password.errors.append(_("Wrong username or password."))
        else:
            ratelimit.forget(db, pair)
            previous = current_session()
            offer = (
                previous.learner_id
                if previous and previous.learner_id != account_id and users.anonymous_history(db, previous.learner_id)
                else None
            )
            begin_signed_in(users.get(db, account_id), claim_learner_id=offer)
            target = safe_next(request.args.get("next"))
            return redirect(url_for("auth.claim_history", next=target) if offer else target)
    return render_template("auth/sign_in.html", form=form)


@bp.route("/signin/earlier-answers", methods=["GET", "POST"])
@login_required
def claim_history():
    """Answers this browser gave before signing in join the account only if its owner says yes:
    on a shared computer they may be someone else's (or planted)."""
    db, found = get_db(), current_session()
    target = safe_next(request.args.get("next"))
    history = users.anonymous_history(db, found.claim_learner_id) if found.claim_learner_id else None
    if not history:
        return redirect(target)
    form = ClaimHistoryForm()
    if form.validate_on_submit():
        if form.choice.data == "merge":
            users.claim(db, found.claim_learner_id, found.learner_id)
            flash(_("Those answers are in your account now."), "info")
        else:
            flash(_("Those answers were left out of your account."), "info")
        sessions.drop_claim(db, found)
        return redirect(target)
    return render_template("auth/claim.html", form=form, history=history)


@bp.route("/invite/<invite_token>", methods=["GET", "POST"])
@rate_limited("signup-address", limit=20, window_s=3600)
def accept_invite(invite_token: str):
    """A colleague's one-time link: choose a username and password, and be a teacher."""
    db = get_db()
    invite = invites.find(db, invite_token, utcnow())
    if invite is None:
        # The catalog's own message, not "Page not found": the link was real, it is spent.
        return render_template(
            "error.html",
            title=_("Invitation no longer valid"),
            message=_("This invitation has been used or has expired. Ask for a new one."),
        ), 410
    form = InviteAcceptForm()
    if form.validate_on_submit():
        try:
            learner_id = invites.accept(
                db, invite_token, form.username.data, form.password.data, form.timezone.data or "UTC", utcnow()
            )
        except UserError as exc:
            form.username.errors.append(user_message(exc))
        else:
            log.info("teacher %s joined by invitation from %s", form.username.data, invite["inviter"])
            begin_signed_in(users.get(db, learner_id))
            flash(_("Welcome, %(name)s! You are a teacher here now.", name=form.username.data), "info")
            return redirect(url_for("teacher.dashboard"))
    return render_template("auth/invite.html", form=form, inviter=invite["inviter"])


def end_session(keep_locale: bool = True) -> None:
    """This browser's session ends on the server, so a copy of its cookie is dead too."""
    sessions.end(get_db(), session.get("sid"))
    _clear_cookie(locale=session.get("locale") if keep_locale else None)
    g.pop("auth_session", None)
    g.pop("account", None)


@bp.post("/signout")
def sign_out():
    end_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("student.home"))


# What an account with a temporary password may still reach: choosing its own, and leaving.
TEMPORARY_PASSWORD_ALLOWS = {"account.change_password", "auth.sign_out", "static", None}


@bp.before_app_request
def temporary_password_must_be_changed():
    """A password a teacher or an operator set is for one sign-in: until the owner chooses their own,
    every page leads to the password form (the teacher who read it out knows it too)."""
    # Only a browser with a session can be signed in; health checks and static files never look.
    if "sid" not in session or request.endpoint in TEMPORARY_PASSWORD_ALLOWS or request.blueprint == "health":
        return None
    account = current_account()
    if account and account.get("must_change_password"):
        flash(_("Choose a new password of your own to go on: the one you signed in with was temporary."), "info")
        return redirect(url_for("account.change_password"))
    return None


@bp.app_context_processor
def account_in_templates():
    return {"account": current_account()}
