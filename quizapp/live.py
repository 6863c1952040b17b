"""The live classroom blueprint: a teacher hosts a game on the projector (/live/...), students join
at /join and play on their phones (/live/p/<token>). Rules in livegame, state in livestore,
live updates through livehub as Server-Sent Events."""
from __future__ import annotations

import json

from flask import (Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _

from . import accounts, bankstore, livehub, livestate, livestore, livestream, ratelimit
from .auth import current_account, current_learner, role_required
from .clock import now as utcnow
from .db import get_db
from .forms import CsrfOnlyForm
from .grading import AnswerError, grade
from .i18n import TEXT_MODES, chinese_variant, text_mode
from .livechart import SHAPES
from .liveforms import JoinForm, NewGameForm, NicknameForm
from .livegame import ACTIONS, GameError, clean_code, clean_nickname
from .livepanel import panel_context
from .security import client_address
from .study import learner_scheduler

bp = Blueprint("live", __name__)
bp.add_app_template_global(SHAPES, "LIVE_SHAPES")
teacher_only = role_required("teacher")
JOIN_FAILURES, JOIN_WINDOW_S = 100, 600  # wrong codes per address (a whole school may share one)
REMEMBERED = 5        # the player links a browser keeps, newest first


def hub() -> livehub.Hub:
    return livehub.hub_for(current_app.config["DATABASE"])


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def hosted_game(session_id: int) -> dict:
    """The signed-in teacher's own game, its clock settled; anyone else's does not exist for them."""
    db = get_db()
    game = livestore.get(db, session_id)
    if game is None or game["host_id"] != current_account()["id"]:
        abort(404)
    return livestore.settle(db, game, utcnow())


def player_and_game(token: str) -> tuple[dict, dict]:
    db = get_db()
    player = livestore.player_by_token(db, token)
    if player is None:
        abort(404)
    return player, livestore.settle(db, livestore.get(db, player["session_id"]), utcnow())


# ---------------------------------------------------------------- hosting

@bp.get("/live/")
@teacher_only
def index():
    return render_template("live/index.html", games=livestore.hosted_by(get_db(), current_account()["id"]))


def chosen_questions(form, ids: list[str]) -> list[str]:
    """The ticked questions in the teacher's order (the numbers beside them), bank order breaking ties."""
    picked = [i for i in form.getlist("question") if i in ids]

    def place(question_id):
        try:
            return int(form.get(f"order-{question_id}", "")), ids.index(question_id)
        except ValueError:
            return 10 ** 6, ids.index(question_id)
    return sorted(dict.fromkeys(picked), key=place)


@bp.route("/live/new", methods=["GET", "POST"])
@teacher_only
def new():
    db = get_db()
    banks = bankstore.list_banks(db)
    bank = bankstore.get_bank(db, request.values.get("bank") or (banks[0]["id"] if banks else ""))
    if bank is None:
        if request.values.get("bank"):
            abort(404)
        return render_template("live/new.html", banks=banks, bank=None, form=None, questions=[])
    topic = request.values.get("topic") or None
    topic = topic if topic in [t for t, _n in bank["topics"]] else None
    ids = bankstore.live_question_ids(db, bank["id"], topic)
    form = NewGameForm(bank=bank["id"], topic=topic or "", text_mode=text_mode())
    if form.validate_on_submit():
        chosen = chosen_questions(request.form, ids)
        if not chosen:
            flash(_("Choose at least one question."), "error")
        else:
            session_id = livestore.create(
                db, current_account()["id"], bank["id"], chosen, timer_s=form.timer.data or None,
                reading_s=form.reading.data, scoring=form.scoring.data, text_mode=form.text_mode.data, topic=topic)
            return redirect(url_for("live.host", session_id=session_id))
    questions = [bankstore.get_question(db, bank["id"], i) for i in ids]
    ticked = set(request.form.getlist("question")) if request.method == "POST" else set(ids[:10])
    return render_template("live/new.html", banks=banks, bank=bank, topic=topic, form=form, questions=questions,
                           ticked=ticked)


@bp.get("/live/<int:session_id>")
@teacher_only
def host(session_id: int):
    return render_template("live/host.html", **panel_context(hosted_game(session_id)))


@bp.get("/live/<int:session_id>/panel")
@teacher_only
def panel(session_id: int):
    """The projector's changing part alone, fetched by live.js when the game changes."""
    return render_template("live/_panel.html", **panel_context(hosted_game(session_id)))


@bp.post("/live/<int:session_id>/step")
@teacher_only
def step(session_id: int):
    hosted_game(session_id)
    action = request.form.get("action")
    if not CsrfOnlyForm().validate_on_submit() or action not in ACTIONS:
        abort(400)
    try:
        livestore.advance(get_db(), session_id, action, utcnow(), expected=request.form.get("at"))
    except GameError as exc:
        flash(_(exc.args[0]), "error")
    return redirect(url_for("live.host", session_id=session_id))


@bp.post("/live/<int:session_id>/text-mode")
@teacher_only
def projector_language(session_id: int):
    hosted_game(session_id)
    if not CsrfOnlyForm().validate_on_submit() or request.form.get("mode") not in TEXT_MODES:
        abort(400)
    livestore.set_text_mode(get_db(), session_id, request.form["mode"])
    return redirect(url_for("live.host", session_id=session_id))


@bp.post("/live/<int:session_id>/players/<int:player_id>/<any(rename, remove):what>")
@teacher_only
def manage_player(session_id: int, player_id: int, what: str):
    hosted_game(session_id)
    form = NicknameForm() if what == "rename" else CsrfOnlyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if what == "rename":
            livestore.rename(get_db(), session_id, player_id, clean_nickname(form.nickname.data))
        else:
            livestore.remove(get_db(), session_id, player_id)
    except GameError as exc:
        flash(_(exc.args[0]), "error")
    return redirect(url_for("live.host", session_id=session_id))


@bp.get("/live/<int:session_id>/events")
@teacher_only
def host_events(session_id: int):
    """The projector's stream: every change, answer counts included."""
    hosted_game(session_id)
    return event_stream(livestream.host_events(hub(), session_id))


def event_stream(events) -> Response:
    return Response(events, mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# ---------------------------------------------------------------- playing

def remembered() -> list[str]:
    tokens = session.get("live_players")
    return [t for t in tokens if isinstance(t, str)] if isinstance(tokens, list) else []


def remember(token: str) -> None:
    session["live_players"] = ([token] + [t for t in remembered() if t != token])[:REMEMBERED]
    session.permanent = True


@bp.route("/join", methods=["GET", "POST"])
def join():
    db = get_db()
    form = JoinForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        limited = current_app.config.get("RATE_LIMITS", True)
        failures_key = f"join-failures:{client_address()}"
        if limited and ratelimit.peek(db, failures_key, JOIN_WINDOW_S) >= JOIN_FAILURES:
            abort(429)
        code = clean_code(form.code.data)
        game = livestore.by_code(db, code) if code else None
        if game is None:
            if limited:
                ratelimit.hit(db, failures_key, JOIN_FAILURES, JOIN_WINDOW_S)
            form.code.errors.append(_("No game is running with that code. Check the code on the projector."))
        else:
            learner_id = current_learner()
            known = livestore.player_for_learner(db, game["id"], learner_id) if learner_id else None
            try:
                player = known or livestore.join(db, game, clean_nickname(form.nickname.data), learner_id,
                                                 text_mode(), current_app.config.get("LIVE_MAX_PLAYERS", 2000))
            except GameError as exc:
                form.nickname.errors.append(_(exc.args[0]))
            else:
                remember(player["token"])
                return redirect(url_for("live.play", token=player["token"]))
    mine = [(p, livestore.get(db, p["session_id"])) for p in
            filter(None, (livestore.player_by_token(db, t) for t in remembered()))]
    mine = [(p, g) for p, g in mine if g and not g["ended_at"] and not p["removed_at"]]
    return render_template("live/join.html", form=form, mine=mine)


def player_language(player: dict) -> str:
    """What an attempt records as the language the student answered in."""
    mode = player["language"]
    return "zh-Hant" if mode == "zh" and chinese_variant() == "zh-Hant" else mode


@bp.get("/live/p/<token>")
def play(token: str):
    player, game = player_and_game(token)
    remember(token)
    db = get_db()
    snap = livestate.snapshot(db, game["id"])
    given = livestore.answer_of(db, player["id"], game["position"]) if game["position"] else None
    state = json.loads(snap.message(chinese_variant(), player["id"], utcnow(), given and given["answer"]))
    return render_template("live/play.html", player=player, game=game, state=state, qmode=player["language"],
                           entry=snap.entry, q=snap.entry["question"] if snap.entry else None,
                           link=url_for("live.play", token=token, _external=True))


@bp.get("/live/p/<token>/state")
def player_state(token: str):
    """The same JSON as the stream sends, for a phone that cannot keep a stream open."""
    player, game = player_and_game(token)
    db = get_db()
    given = livestore.answer_of(db, player["id"], game["position"]) if game["position"] else None
    message = livestate.snapshot(db, game["id"]).message(chinese_variant(), player["id"], utcnow(),
                                                         given and given["answer"])
    return Response(message, mimetype="application/json", headers={"Cache-Control": "no-store"})


@bp.get("/live/p/<token>/events")
def player_events(token: str):
    """A phone's stream. It reads the database only through the hub, so a thousand open streams
    hold no connections (no get_db() here)."""
    h = hub()
    player = h.lookup(lambda db: livestore.player_by_token(db, token))
    if player is None:
        abort(404)
    return event_stream(livestream.player_events(h, player["session_id"], player["id"], chinese_variant()))


@bp.post("/live/p/<token>/answer")
def answer(token: str):
    player, game = player_and_game(token)
    db = get_db()
    try:
        position = int(request.form.get("position", ""))
    except ValueError:
        position = game["position"]
    entry = livestore.question_at(db, game, position) if position else None
    try:
        if entry is None:
            raise GameError(livestore.TOO_LATE)
        try:
            given, result = grade(entry["question"], request.form)
        except AnswerError as exc:
            return refuse(token, _(exc.args[0], count=len(entry["question"].get("choices", []))), 400)
        learner = accounts.get(db, player["learner_id"]) if player["learner_id"] else None
        row, created = livestore.record_answer(db, game["id"], player, position, given, result,
                                               player_language(player), utcnow(),
                                               learner_scheduler(learner) if learner else None)
    except GameError as exc:
        return refuse(token, _(exc.args[0]), 403 if exc.args[0] == livestore.REMOVED else 409)
    message = _("Answer sent. Wait for the others…") if created else _("Your first answer counts: it was already sent.")
    if wants_json():
        return jsonify(ok=True, created=created, position=position, given=row["answer"], message=message)
    flash(message, "info")
    return redirect(url_for("live.play", token=token))


def refuse(token: str, message: str, status: int):
    if wants_json():
        return jsonify(ok=False, error=message), status
    flash(message, "error")
    return redirect(url_for("live.play", token=token))


@bp.post("/live/p/<token>/language")
def player_text_mode(token: str):
    player, _game = player_and_game(token)
    mode = request.form.get("mode")
    if mode not in TEXT_MODES:
        abort(400)
    livestore.set_language(get_db(), player["id"], mode)
    if wants_json():
        return jsonify(ok=True, mode=mode)
    return redirect(url_for("live.play", token=token))
