"""A teacher resets a forgotten password of a student in one of their classes (there is no email):
a temporary password shown once, every session of the student ended, a new password chosen by the
student at the next sign-in."""

from __future__ import annotations

import logging

from flask import abort, g, make_response, render_template, url_for

from quizapp.accounts import classes, users
from quizapp.teach.blueprint import bp
from quizapp.teach.classpages import own_class
from quizapp.teach.forms import ResetPasswordForm
from quizapp.web.db import get_db

log = logging.getLogger("quizapp.security")


@bp.post("/classes/<int:class_id>/members/<int:learner_id>/reset-password")
def reset_password(class_id: int, learner_id: int):
    """Only a student of this teacher's class: not a stranger (404), not a teacher, not the teacher
    themselves (403; their own password is changed in Settings, knowing the current one)."""
    klass = own_class(class_id)
    if not ResetPasswordForm().validate_on_submit():
        abort(400)
    db = get_db()
    student = next((m for m in classes.members(db, class_id) if m["id"] == learner_id), None)
    if student is None:
        abort(404)
    account = users.get(db, learner_id)
    if learner_id == g.teacher_id or account["role"] == users.TEACHER:
        abort(403)
    temporary = users.reset_password(db, learner_id)
    g.here = url_for("teacher.class_page", class_id=class_id, _anchor="roster")  # where a language switch goes
    log.warning("teacher %s reset the password of %s (class %s)", g.teacher_id, learner_id, class_id)
    response = make_response(
        render_template("teacher/password_reset.html", klass=klass, student=student, temporary=temporary)
    )
    response.headers["Cache-Control"] = "no-store"  # shown once: not kept by the browser's back button
    return response
