"""Who is asking: the learner behind the signed cookie, sign up / in / out, and access decorators."""
from __future__ import annotations

import functools

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from . import accounts, invites, learners, ratelimit
from .clock import now as utcnow
from .db import get_db
from .forms import SignInForm, SignUpForm
from .teacherforms import InviteAcceptForm
from .security import rate_limited

bp = Blueprint("auth", __name__)
log = logging.getLogger("quizapp.security")
FAILURE_LIMIT, FAILURE_WINDOW_S = 10, 900  # wrong passwords per username before sign-in pauses


def current_learner(create: bool = False) -> int | None:
    """The learner behind this browser's signed cookie; made on first need, not on first page view."""
    if g.get("learner_id") is not None:
        return g.learner_id
    db = get_db()
    learner_id = session.get("learner_id")
    if learners.exists(db, learner_id):
        g.learner_id = learner_id
        return learner_id
    if not create:
        return None
    learner_id = learners.create(db)
    session["learner_id"] = learner_id
    session.permanent = True
    g.learner_id = learner_id
    return learner_id


def current_account() -> dict | None:
    """The signed-in account, looked up once per request."""
    if "account" not in g:
        learner = accounts.get(get_db(), current_learner())
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


def _begin_session(learner: dict) -> None:
    """A fresh session on sign-in (no fixation), carrying the account's own language choices."""
    session.clear()
    g.pop("learner_id", None)
    g.pop("account", None)
    session["learner_id"] = learner["id"]
    session.permanent = True
    if learner.get("locale"):
        session["locale"] = learner["locale"]
    if learner.get("text_mode"):
        session["text_mode"] = learner["text_mode"]


def safe_next(target: str | None) -> str:
    """Only a path on this site: never redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("student.home")


@bp.route("/signup", methods=["GET", "POST"])
@rate_limited("signup-address", limit=20, window_s=3600)
def sign_up():
    form = SignUpForm()
    if form.validate_on_submit():
        db = get_db()
        anonymous = session.get("learner_id")
        try:
            learner_id = accounts.sign_up(db, form.username.data, form.password.data,
                                          anonymous if learners.exists(db, anonymous) else None,
                                          form.timezone.data or "UTC")
        except accounts.AccountError as exc:
            form.username.errors.append(_(exc.args[0]))
        else:
            preferences = {k: session[k] for k in ("locale", "text_mode") if k in session}
            accounts.update_settings(db, learner_id, **preferences)
            _begin_session(accounts.get(db, learner_id))
            flash(_("Welcome, %(name)s! Your answers so far are kept in your account.", name=form.username.data), "info")
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/sign_up.html", form=form)


@bp.route("/signin", methods=["GET", "POST"])
@rate_limited("signin-address", limit=30, window_s=300)
def sign_in():
    form = SignInForm()
    if form.validate_on_submit():
        db = get_db()
        username = form.username.data.strip().lower()
        if ratelimit.peek(db, f"signin-failures:{username}", FAILURE_WINDOW_S) >= FAILURE_LIMIT:
            log.warning("sign-in for %s refused: too many wrong passwords", username)
            g.retry_after = FAILURE_WINDOW_S
            abort(429)
        account_id = accounts.authenticate(db, form.username.data, form.password.data)
        if account_id is None:
            ratelimit.hit(db, f"signin-failures:{username}", FAILURE_LIMIT, FAILURE_WINDOW_S)
            log.info("wrong password for %s from %s", username, request.remote_addr)
            form.password.errors.append(_("Wrong username or password."))
        else:
            anonymous = session.get("learner_id")
            accounts.claim(db, anonymous if isinstance(anonymous, int) else None, account_id)
            _begin_session(accounts.get(db, account_id))
            return redirect(safe_next(request.args.get("next")))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/invite/<invite_token>", methods=["GET", "POST"])
@rate_limited("signup-address", limit=20, window_s=3600)
def accept_invite(invite_token: str):
    """A colleague's one-time link: choose a username and password, and be a teacher."""
    db = get_db()
    invite = invites.find(db, invite_token, utcnow())
    if invite is None:
        abort(404)
    form = InviteAcceptForm()
    if form.validate_on_submit():
        try:
            learner_id = invites.accept(db, invite_token, form.username.data, form.password.data,
                                        form.timezone.data or "UTC", utcnow())
        except accounts.AccountError as exc:
            form.username.errors.append(_(exc.args[0]))
        else:
            log.info("teacher %s joined by invitation from %s", form.username.data, invite["inviter"])
            _begin_session(accounts.get(db, learner_id))
            flash(_("Welcome, %(name)s! You are a teacher here now.", name=form.username.data), "info")
            return redirect(url_for("teacher.dashboard"))
    return render_template("auth/invite.html", form=form, inviter=invite["inviter"])


@bp.post("/signout")
def sign_out():
    from .forms import CsrfOnlyForm
    if not CsrfOnlyForm().validate_on_submit():
        abort(400)
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You are signed out."), "info")
    return redirect(url_for("student.home"))


@bp.app_context_processor
def account_in_templates():
    return {"account": current_account()}
