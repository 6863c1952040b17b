"""The teachers' blueprint (/teach): its guard, the dashboard and inviting a colleague. The bank
editor's pages are in teach/bankeditor.py, the classes' and their reports' in teach/classpages.py.

Every page here is for teachers: a `before_request` guard covers routes added later too, so a
student gets 403 without anyone remembering a decorator. A class is its teacher's alone; a
bank made in the browser is its maker's, banks from disk are shared by all teachers.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from quizapp.accounts import classes, invites
from quizapp.accounts.auth import current_account
from quizapp.banks import store as bankstore
from quizapp.core.clock import now as utcnow
from quizapp.teach import drafts
from quizapp.teach.forms import ClassForm
from quizapp.web.db import get_db
from quizapp.web.origin import public_url

bp = Blueprint("teacher", __name__, url_prefix="/teach")


@bp.before_request
def teachers_only():
    account = current_account()
    if account is None:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    if account["role"] != "teacher":
        abort(403)
    g.teacher_id = account["id"]


@bp.get("/")
def dashboard():
    db = get_db()
    return render_template(
        "teacher/dashboard.html",
        classes=classes.for_teacher(db, g.teacher_id),
        banks=bankstore.editable_banks(db, g.teacher_id),
        drafts=drafts.for_teacher(db, g.teacher_id),
        class_form=ClassForm(),
    )


@bp.post("/invites")
def invite():
    token = invites.create(get_db(), g.teacher_id, utcnow())
    g.here = url_for("teacher.dashboard", _anchor="invite")  # a language switch must not re-post (405)
    link = public_url("auth.accept_invite", invite_token=token)
    return render_template("teacher/invite.html", link=link, days=invites.LIFETIME.days)
