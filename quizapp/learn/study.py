"""The flashcard blueprint: a study session scheduled by FSRS, keyboard and touch friendly."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from fsrs import Rating

from quizapp.accounts import users
from quizapp.accounts.auth import current_learner
from quizapp.banks import store as bankstore
from quizapp.core.clock import now as utcnow
from quizapp.core.clock import parse, stamp
from quizapp.core.messages import N_
from quizapp.learn import flashcards
from quizapp.learn.forms import StudyDirectionForm
from quizapp.learn.scheduling import RATINGS, for_learner, preview
from quizapp.web.db import get_db
from quizapp.web.i18n import text_mode
from quizapp.web.security import learner_key, rate_limited

bp = Blueprint("study", __name__, url_prefix="/study")
RATING_LABELS = {Rating.Again: N_("Again"), Rating.Hard: N_("Hard"), Rating.Good: N_("Good"), Rating.Easy: N_("Easy")}


def day_start(learner: dict | None, moment: datetime) -> datetime:
    """Midnight of the learner's own day, as a UTC moment."""
    zone = ZoneInfo((learner or {}).get("timezone") or "UTC")
    local = moment.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def new_left(db, learner: dict | None, moment: datetime) -> int:
    limit = learner["new_cards_per_day"] if learner else 20
    if learner is None:
        return limit
    return max(0, limit - flashcards.new_since(db, learner["id"], day_start(learner, moment)))


def directions(learner: dict | None) -> tuple[str, str]:
    front = (learner or {}).get("card_front") or text_mode()
    back = (learner or {}).get("card_back") or "both"
    return front, back


@bp.get("/")
def start():
    db = get_db()
    scope = request.args.get("bank") or None
    if scope and bankstore.get_bank(db, scope) is None:
        abort(404)
    learner_id = current_learner()
    learner = users.get(db, learner_id)
    moment = utcnow()
    card = flashcards.next_card(db, learner_id or 0, moment, new_left(db, learner, moment), scope)
    if card:
        return redirect(url_for("study.card", bank_id=card["bank_id"], card_id=card["card_id"], bank=scope))
    next_due = flashcards.next_due(db, learner_id, scope) if learner_id else None
    return render_template(
        "study/done.html", scope=scope, next_due=parse(next_due) if next_due else None, banks=bankstore.list_banks(db)
    )


@bp.get("/<bank_id>/<card_id>")
def card(bank_id: str, card_id: str):
    db = get_db()
    content = flashcards.content(db, bank_id, card_id)
    if content is None:
        abort(404)
    learner_id = current_learner()
    learner = users.get(db, learner_id)
    state = flashcards.get_state(db, learner_id, bank_id, card_id) if learner_id else None
    moment = utcnow()
    intervals = preview(
        state["fsrs"] if state else None, moment, for_learner(learner, fuzz=current_app.config["FSRS_FUZZ"])
    )
    front, back = directions(learner)
    buttons = [
        {
            "rating": int(r),
            "label": _(RATING_LABELS[r]),
            "key": i + 1,
            "interval": format_timedelta(intervals[r], format="short", locale=get_locale()),
        }
        for i, r in enumerate(RATINGS)
    ]
    direction = StudyDirectionForm(formdata=None, direction=f"{front}-{back}", bank=request.args.get("bank", ""))
    return render_template(
        "study/card.html",
        content=content,
        bank=bankstore.get_bank(db, bank_id),
        front_mode=front,
        back_mode=back,
        buttons=buttons,
        reps=state["reps"] if state else 0,
        shown_at=stamp(moment),
        scope=request.args.get("bank") or "",
        show_back=request.args.get("side") == "back",
        direction_form=direction,
    )


@bp.post("/<bank_id>/<card_id>")
@rate_limited("reviews", limit=240, window_s=60, key=lambda: learner_key(current_learner()))
def rate(bank_id: str, card_id: str):
    db = get_db()
    if flashcards.content(db, bank_id, card_id) is None:
        abort(404)
    try:
        rating = Rating(int(request.form.get("rating", "")))
        reps = int(request.form.get("reps", ""))
    except ValueError:
        flash(_("Please choose Again, Hard, Good or Easy."), "error")
        return redirect(url_for("study.card", bank_id=bank_id, card_id=card_id, side="back"))
    moment = utcnow()
    try:
        duration = int((moment - parse(request.form.get("shown_at", ""))).total_seconds() * 1000)
        duration = duration if 0 <= duration <= 3_600_000 else None
    except (TypeError, ValueError):
        duration = None
    learner_id = current_learner(create=True)
    learner = users.get(db, learner_id)
    flashcards.record_review(
        db,
        learner_id,
        bank_id,
        card_id,
        rating,
        moment,
        for_learner(learner, fuzz=current_app.config["FSRS_FUZZ"]),
        "study",
        duration_ms=duration,
        expected_reps=reps,
    )
    scope = request.form.get("scope") or None
    return redirect(url_for("study.start", bank=scope))


@bp.post("/direction")
def set_direction():
    form = StudyDirectionForm()
    if form.validate_on_submit():
        front, back = form.direction.data.split("-")
        users.update_settings(get_db(), current_learner(create=True), card_front=front, card_back=back)
    else:
        flash(_("Please choose one of the listed options."), "error")
    return redirect(url_for("study.start", bank=form.bank.data or None))
