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
from quizapp.learn import decks, flashcards
from quizapp.learn.scheduling import RATINGS, for_learner, preview
from quizapp.web.db import get_db
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


def scope_of(db) -> decks.Scope:
    """The deck named by the query string (?bank=…&topic=…); 404 for a bank or topic that does not exist."""
    bank_id, topic = request.args.get("bank") or None, request.args.get("topic") or None
    if bank_id is None:
        return decks.Scope()
    bank = bankstore.get_bank(db, bank_id)
    if bank is None or (topic and not decks.has_topic(db, bank_id, topic)):
        abort(404)
    return decks.Scope(bank_id, topic)


def scope_args(scope: decks.Scope) -> dict:
    return {"bank": scope.bank_id, "topic": scope.topic}


@bp.get("/")
def start():
    """The deck chooser: every bank and its topics with what is left today (Anki's deck list)."""
    db = get_db()
    if request.args.get("bank"):  # a link from before the chooser existed studies that bank at once
        return redirect(url_for("study.next_card", **scope_args(scope_of(db))))
    learner_id = current_learner()
    learner = users.get(db, learner_id)
    moment = utcnow()
    banks = [bankstore.get_bank(db, bank["id"]) for bank in bankstore.list_banks(db)]
    return render_template(
        "study/decks.html",
        decks=decks.decks(db, learner_id, moment, new_left(db, learner, moment), [bank["id"] for bank in banks]),
        banks={bank["id"]: bank for bank in banks},
        new_limit=learner["new_cards_per_day"] if learner else 20,
    )


@bp.get("/next")
def next_card():
    """The next card of a deck, or the 'all done' page when nothing is left today."""
    db = get_db()
    scope = scope_of(db)
    learner_id = current_learner()
    learner = users.get(db, learner_id)
    moment = utcnow()
    card = flashcards.next_card(db, learner_id or 0, moment, new_left(db, learner, moment), scope.bank_id, scope.topic)
    if card:
        return redirect(url_for("study.card", bank_id=card["bank_id"], card_id=card["card_id"], **scope_args(scope)))
    return render_template(
        "study/done.html",
        scope=scope,
        bank=bankstore.get_bank(db, scope.bank_id) if scope.bank_id else None,
        next_due=decks.due_later(db, learner_id, scope) if learner_id else None,
    )


@bp.get("/<bank_id>/<card_id>")
def card(bank_id: str, card_id: str):
    """A flashcard: the front in the learner's question language, the back always in both."""
    db = get_db()
    content = flashcards.content(db, bank_id, card_id)
    if content is None:
        abort(404)
    scope = scope_of(db)
    learner_id = current_learner()
    learner = users.get(db, learner_id)
    state = flashcards.get_state(db, learner_id, bank_id, card_id) if learner_id else None
    moment = utcnow()
    intervals = preview(
        state["fsrs"] if state else None, moment, for_learner(learner, fuzz=current_app.config["FSRS_FUZZ"])
    )
    buttons = [
        {
            "rating": int(r),
            "label": RATING_LABELS[r],
            "key": i + 1,
            "interval": format_timedelta(intervals[r], format="short", locale=get_locale()),
        }
        for i, r in enumerate(RATINGS)
    ]
    left = decks.counts(db, learner_id, moment, new_left(db, learner, moment), scope)
    done = decks.reviewed_since(db, learner_id, day_start(learner, moment), scope)
    return render_template(
        "study/card.html",
        content=content,
        bank=bankstore.get_bank(db, bank_id),
        scope=scope,
        scope_bank=bankstore.get_bank(db, scope.bank_id) if scope.bank_id else None,
        buttons=buttons,
        reps=state["reps"] if state else 0,
        shown_at=stamp(moment),
        show_back=request.args.get("side") == "back",
        counts=left,
        kind=decks.kind_of(state["fsrs"]["state"] if state else None),
        done=done,
        autoplay_front=bool(learner and learner.get("autoplay_front")),
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
    return redirect(
        url_for("study.next_card", bank=request.form.get("bank") or None, topic=request.form.get("topic") or None)
    )
