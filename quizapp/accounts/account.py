"""The learner's own account: settings, download of all their data, deletion."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from quizapp.accounts import sessions, users
from quizapp.accounts.auth import begin_signed_in, current_account, current_learner, end_session, login_required
from quizapp.accounts.forms import ChangePasswordForm, DeleteAccountForm, SettingsForm
from quizapp.web.db import get_db
from quizapp.web.i18n import current_locale, reading_aid, text_mode

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Open to every learner: an anonymous learner's settings move with them when they sign up.

    The form shows what is in effect (a language from Accept-Language included), and saving
    writes only the fields the learner changed: a language that follows the browser keeps
    following it when the learner changes their time zone."""
    db = get_db()
    learner = users.get(db, current_learner()) or {}
    in_effect = {
        "locale": current_locale(),
        "text_mode": text_mode(),
        "reading_aid": reading_aid(),
        "desired_retention": learner.get("desired_retention", 0.9),
        "new_cards_per_day": learner.get("new_cards_per_day", 20),
        "timezone": learner.get("timezone", "UTC"),
        "autoplay_front": bool(learner.get("autoplay_front")),
    }
    form = SettingsForm(data=in_effect)
    if form.validate_on_submit():
        submitted = {
            "locale": form.locale.data,
            "text_mode": form.text_mode.data,
            "reading_aid": form.reading_aid.data,
            "desired_retention": float(form.desired_retention.data),
            "new_cards_per_day": form.new_cards_per_day.data,
            "timezone": form.timezone.data,
            "autoplay_front": bool(form.autoplay_front.data),
        }
        changed = {key: value for key, value in submitted.items() if value != in_effect[key]}
        if changed:
            users.update_settings(db, current_learner(create=True), **changed)
        for key in ("locale", "text_mode", "reading_aid"):
            if key in changed:
                session[key] = changed[key]
        flash(_("Settings saved.") if changed else _("Nothing changed."), "info")
        return redirect(url_for("account.settings"))
    account = current_account()
    return render_template(
        "account/settings.html",
        form=form,
        delete_form=DeleteAccountForm(formdata=None),
        session_count=sessions.count(db, account["id"]) if account else 0,
    )


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every session of the account (a thief's included); this browser gets a new one."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db, account = get_db(), current_account()
        if users.authenticate(db, account["username"], form.current.data) != account["id"]:
            form.current.errors.append(_("That is not your current password."))
        else:
            users.set_password(db, account["id"], form.password.data)
            sessions.end_all(db, account["id"])
            begin_signed_in(account)
            flash(_("Password changed. Every other device is signed out."), "info")
            return redirect(url_for("account.settings"))
    return render_template("account/password.html", form=form)


@bp.post("/signout-everywhere")
@login_required
def sign_out_everywhere():
    sessions.end_all(get_db(), current_account()["id"])
    end_session()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("student.home"))


@bp.get("/export.json")
@login_required
def export():
    account = current_account()
    body = json.dumps(users.export(get_db(), account["id"]), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="quizapp-{account["id"]}.json"'},
    )


@bp.post("/delete")
@login_required
def delete():
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        abort(400)
    db = get_db()
    account = current_account()
    if users.authenticate(db, account["username"], form.password.data) != account["id"]:
        flash(_("Wrong password: nothing was deleted."), "error")
        return redirect(url_for("account.settings"))
    users.delete(db, account["id"])
    end_session(keep_locale=False)
    flash(_("Your account and all your data are deleted."), "info")
    return redirect(url_for("student.home"))
