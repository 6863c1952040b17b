"""The live classroom blueprint: a teacher hosts a game on the projector (/live/...), students join
at /join and play on their phones (/live/p/<token>). Rules in livegame, state in livegames,
live updates through livehub as Server-Sent Events."""

from __future__ import annotations

import json
import logging
import os
import time

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from quizapp.accounts import sessions, users
from quizapp.accounts.auth import (
    current_account,
    current_learner,
    current_session,
    remembered_cookie_players,
    role_required,
)
from quizapp.banks import store as bankstore
from quizapp.banks.types import AnswerError, grade
from quizapp.core import ratelimit
from quizapp.core.clock import now as utcnow
from quizapp.learn.scheduling import for_learner
from quizapp.live import answers as liveanswers
from quizapp.live import games as livegames
from quizapp.live import hub as livehub
from quizapp.live import players as liveplayers
from quizapp.live import state as livestate
from quizapp.live import stream as livestream
from quizapp.live.chart import SHAPES
from quizapp.live.forms import JoinForm, NewGameForm, NicknameForm
from quizapp.live.game import ACTIONS, GameError, clean_code, clean_nickname
from quizapp.live.panel import panel_context
from quizapp.web import questiontypes
from quizapp.web.db import get_db
from quizapp.web.errors import user_message
from quizapp.web.i18n import TEXT_MODES, chinese_variant, current_locale, text_mode
from quizapp.web.origin import public_url
from quizapp.web.security import check_rate, client_address

bp = Blueprint("live", __name__)
bp.add_app_template_global(SHAPES, "LIVE_SHAPES")
teacher_only = role_required("teacher")
log = logging.getLogger("quizapp.security")
BANS_KEPT = 20  # the games a browser remembers being removed from
JOIN_WINDOW_S = 60  # LIVE_JOINS_PER_ADDRESS counts join attempts in windows this long
WRONG_CODE_WINDOW_S = 600  # the wrong-code limits count in windows this long
SITEWIDE_WRONG_CODES = "join-failures:*"  # the rate-limit key of every address's wrong codes together

# The limits of live games; each can be set in the instance config.py or as QUIZAPP_<NAME> in the
# environment. Defaults fit a 1,000-player lecture hall whose phones all come through one address
# (a school's NAT), even if all land on one worker of the production command (2 gevent workers,
# 4,000 connections each): 1,500 streams, plus as many keep-alive connections of their answers,
# leave 1,000 connections of the worker for pages.
SETTINGS = {
    "LIVE_STREAMS_PER_PLAYER": 5,  # open event streams per player token (or projector), per worker
    "LIVE_STREAMS_PER_ADDRESS": 1200,  # open event streams per client address, per worker
    "LIVE_STREAMS_PER_PROCESS": 1500,  # open event streams per worker
    "LIVE_JOINS_PER_ADDRESS": 1000,  # join attempts per client address per minute: a 1,000-phone hall behind one NAT
    "LIVE_WRONG_CODES_PER_ADDRESS": 100,  # wrong join codes per client address per 10 minutes
    "LIVE_WRONG_CODES_SITEWIDE": 1000,  # wrong join codes from all addresses together per 10 minutes
}


@bp.record_once
def configure(state) -> None:
    """Fill in the live settings the app's config does not set, from the environment or the defaults."""
    for name, default in SETTINGS.items():
        state.app.config.setdefault(name, int(os.environ.get(f"QUIZAPP_{name}", default)))


def hub() -> livehub.Hub:
    h = livehub.hub_for(current_app.config["DATABASE"])
    if h.render is None:
        h.render = questiontypes.renderer(current_app._get_current_object())
    return h


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def hosted_game(session_id: int) -> dict:
    """The signed-in teacher's own game, its clock settled; anyone else's does not exist for them."""
    db = get_db()
    game = livegames.get(db, session_id)
    if game is None or game["host_id"] != current_account()["id"]:
        abort(404)
    return livegames.settle(db, game, utcnow())


def player_and_game(token: str) -> tuple[dict, dict]:
    db = get_db()
    player = liveplayers.player_by_token(db, token)
    if player is None:
        abort(404)
    if player["removed_at"]:
        note_ban(player["session_id"])
    return player, livegames.settle(db, livegames.get(db, player["session_id"]), utcnow())


def banned_here() -> list[int]:
    """The games this browser was removed from (a note in its signed cookie)."""
    bans = session.get("live_bans")
    return [b for b in bans if isinstance(b, int)] if isinstance(bans, list) else []


def note_ban(session_id: int) -> None:
    """Mark this browser as removed from the game, so joining again with a new nickname is refused
    even once the removed player's own link is forgotten."""
    if session_id not in banned_here():
        session["live_bans"] = ([session_id] + banned_here())[:BANS_KEPT]
        session.permanent = True


# ---------------------------------------------------------------- hosting


@bp.get("/live/")
@teacher_only
def index():
    return render_template("live/index.html", games=livegames.hosted_by(get_db(), current_account()["id"]))


def chosen_questions(form, ids: list[str]) -> list[str]:
    """The ticked questions in the teacher's order (the numbers beside them), bank order breaking ties."""
    picked = [i for i in form.getlist("question") if i in ids]

    def place(question_id):
        try:
            return int(form.get(f"order-{question_id}", "")), ids.index(question_id)
        except ValueError:
            return 10**6, ids.index(question_id)

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
            session_id = livegames.create(
                db,
                current_account()["id"],
                bank["id"],
                chosen,
                timer_s=form.timer.data or None,
                reading_s=form.reading.data,
                scoring=form.scoring.data,
                text_mode=form.text_mode.data,
                topic=topic,
            )
            return redirect(url_for("live.host", session_id=session_id))
    questions = [bankstore.get_question(db, bank["id"], i) for i in ids]
    ticked = set(request.form.getlist("question")) if request.method == "POST" else set(ids[:10])
    return render_template(
        "live/new.html", banks=banks, bank=bank, topic=topic, form=form, questions=questions, ticked=ticked
    )


@bp.get("/live/<int:session_id>")
@teacher_only
def host(session_id: int):
    game = hosted_game(session_id)
    # The projector's network is usually the students' too: it may keep trying join codes while
    # strangers' guesses have spent the site-wide budget.
    liveplayers.note_network(get_db(), client_address())
    return render_template("live/host.html", **panel_context(game))


@bp.get("/live/<int:session_id>/panel")
@teacher_only
def panel(session_id: int):
    """The projector's changing part alone, fetched by live.js when the game changes."""
    return render_template("live/_panel.html", **panel_context(hosted_game(session_id)))


LOBBY_ACTIONS = {"lock": True, "unlock": False}  # the projector's lock button, sent like a step


@bp.post("/live/<int:session_id>/step")
@teacher_only
def step(session_id: int):
    hosted_game(session_id)
    action = request.form.get("action")
    if action not in ACTIONS + tuple(LOBBY_ACTIONS):
        abort(400)
    if action in LOBBY_ACTIONS:
        liveplayers.set_locked(get_db(), session_id, LOBBY_ACTIONS[action], utcnow())
        return redirect(url_for("live.host", session_id=session_id))
    try:
        livegames.advance(get_db(), session_id, action, utcnow(), expected=request.form.get("at"))
    except GameError as exc:
        flash(user_message(exc), "error")
    return redirect(url_for("live.host", session_id=session_id))


@bp.post("/live/<int:session_id>/text-mode")
@teacher_only
def projector_language(session_id: int):
    hosted_game(session_id)
    if request.form.get("mode") not in TEXT_MODES:
        abort(400)
    livegames.set_text_mode(get_db(), session_id, request.form["mode"])
    return redirect(url_for("live.host", session_id=session_id))


@bp.post("/live/<int:session_id>/players/<int:player_id>/<any(rename, remove):what>")
@teacher_only
def manage_player(session_id: int, player_id: int, what: str):
    hosted_game(session_id)
    form = NicknameForm()
    if what == "rename" and not form.validate_on_submit():
        abort(400)
    try:
        if what == "rename":
            liveplayers.rename(get_db(), session_id, player_id, clean_nickname(form.nickname.data))
        else:
            liveplayers.remove(get_db(), session_id, player_id)
    except GameError as exc:
        flash(user_message(exc), "error")
    return redirect(url_for("live.host", session_id=session_id))


@bp.get("/live/<int:session_id>/events")
@teacher_only
def host_events(session_id: int):
    """The projector's stream: every change, answer counts included."""
    hosted_game(session_id)
    h = hub()
    return gated_stream(h, ("host", session_id), lambda: livestream.host_events(h, session_id))


def stream_limits() -> livehub.StreamLimits:
    config = current_app.config
    return livehub.StreamLimits(
        config["LIVE_STREAMS_PER_PLAYER"], config["LIVE_STREAMS_PER_ADDRESS"], config["LIVE_STREAMS_PER_PROCESS"]
    )


def gated_stream(h: livehub.Hub, owner, open_events) -> Response:
    """An event stream if this owner, this address and this process have room for one more; else
    429 or 503 with Retry-After (live.js then polls for a while instead). Counted before anything
    else is looked at, so a flood of refused streams costs no database work."""
    try:
        ticket = h.gate.admit(stream_limits(), client_address(), owner)
    except livehub.StreamRefused as refused:
        return refused_stream(refused)
    try:
        events = open_events()
    except BaseException:
        ticket.release()
        raise
    return event_stream(livestream.Held(events, ticket))


_last_refusal_logged: dict[str, float] = {}


def refused_stream(refused: livehub.StreamRefused) -> Response:
    now = time.monotonic()
    if now - _last_refusal_logged.get(refused.reason, -60.0) >= 60:  # a flood must not flood the log too
        _last_refusal_logged[refused.reason] = now
        log.warning("live stream refused (%s full) for %s", refused.reason, client_address())
    message = (
        _("The server is busy. This page will check for updates by itself; no need to reload.")
        if refused.status == 503
        else _("Too many live connections from here. This page will check for updates by itself; no need to reload.")
    )
    return Response(
        message,
        status=refused.status,
        mimetype="text/plain",
        headers={"Retry-After": str(refused.retry_after), "Cache-Control": "no-store"},
    )


def event_stream(events) -> Response:
    return Response(
        events, mimetype="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


# ---------------------------------------------------------------- playing


def remembered() -> list[str]:
    """This browser's player links, newest first: kept with its server-side session when it has one
    (so they end with sign-out), else in the cookie of a visitor who has nothing to sign out of."""
    found = current_session()
    return found.live_players if found else remembered_cookie_players()


def remember(token: str) -> None:
    found = current_session()
    if found:
        sessions.remember_player(get_db(), found, token)
        return
    session["live_players"] = ([token] + [t for t in remembered() if t != token])[: sessions.REMEMBERED_PLAYERS]
    session.permanent = True


@bp.route("/join", methods=["GET", "POST"])
def join():
    db = get_db()
    form = JoinForm(code=request.args.get("code", ""))
    status = 200
    if form.validate_on_submit():
        player, status = join_game(db, form)
        if player is not None:
            remember(player["token"])
            return redirect(url_for("live.play", token=player["token"]))
    mine = [
        (p, livegames.get(db, p["session_id"]))
        for p in filter(None, (liveplayers.player_by_token(db, t) for t in remembered()))
    ]
    mine = [(p, game) for p, game in mine if game and not game["ended_at"] and not p["removed_at"]]
    headers = {"Retry-After": str(g.retry_after)} if status == 429 else {}
    return render_template("live/join.html", form=form, mine=mine), status, headers


def window_left(window_s: int) -> int:
    """Seconds until the current rate-limit window ends (ratelimit counts in fixed windows)."""
    now = ratelimit.clock()
    return int((now // window_s + 1) * window_s - now) + 1


def join_game(db, form) -> tuple[dict | None, int]:
    """The player for a join form: a new one, or the person's own when they come back. Returns
    (player, 302), or (None, status) with the reason on the form.

    Every limit is checked before the code is looked up, so a limited address learns nothing about
    which codes exist. While wrong codes from everywhere have spent the site-wide budget, only
    networks where a class recently met (liveplayers.known_network) may try codes: an attacker who
    rotates addresses cannot enumerate codes, and cannot stop a class that is already meeting either.
    """
    config, address, limited = current_app.config, client_address(), current_app.config.get("RATE_LIMITS", True)
    if limited:
        check_rate("live-join", address, config["LIVE_JOINS_PER_ADDRESS"], JOIN_WINDOW_S)
        if (
            ratelimit.peek(db, f"join-failures:{address}", WRONG_CODE_WINDOW_S)
            >= config["LIVE_WRONG_CODES_PER_ADDRESS"]
        ):
            g.retry_after = window_left(WRONG_CODE_WINDOW_S)
            abort(429)
        if ratelimit.peek(db, SITEWIDE_WRONG_CODES, WRONG_CODE_WINDOW_S) >= config[
            "LIVE_WRONG_CODES_SITEWIDE"
        ] and not liveplayers.known_network(db, address, utcnow()):
            g.retry_after = window_left(WRONG_CODE_WINDOW_S)
            log.warning("join codes paused for %s: the site-wide budget of wrong codes is spent", address)
            form.code.errors.append(
                _(
                    "Joining with a code is paused for a few minutes because too many wrong codes were tried on this "
                    "site. Try again in %(minutes)s minutes. If you already joined, use your link back into the game.",
                    minutes=max(1, round(g.retry_after / 60)),
                )
            )
            return None, 429
    code = clean_code(form.code.data)
    game = livegames.by_code(db, code) if code else None
    if game is None:
        if limited:
            ratelimit.hit(db, f"join-failures:{address}", config["LIVE_WRONG_CODES_PER_ADDRESS"], WRONG_CODE_WINDOW_S)
            ratelimit.hit(db, SITEWIDE_WRONG_CODES, config["LIVE_WRONG_CODES_SITEWIDE"], WRONG_CODE_WINDOW_S)
        form.code.errors.append(_("No game is running with that code. Check the code on the projector."))
        return None, 200
    learner_id, mine = current_learner(), remembered()
    known = liveplayers.player_for_learner(db, game["id"], learner_id) if learner_id else None
    if known is None and game["locked_at"]:
        known = liveplayers.player_among(db, game["id"], mine)  # a player of a locked game coming back
    if known is not None:
        return known, 302
    if game["id"] in banned_here() or liveplayers.banned(db, game["id"], learner_id, mine):
        note_ban(game["id"])
        form.code.errors.append(_(liveplayers.REMOVED))
        return None, 403
    try:
        player = liveplayers.join(
            db,
            game,
            clean_nickname(form.nickname.data),
            learner_id,
            text_mode(),
            current_app.config.get("LIVE_MAX_PLAYERS", 2000),
            network=address,
        )
    except GameError as exc:
        if exc.message == liveplayers.LOCKED:
            form.code.errors.append(user_message(exc))
            return None, 403
        form.nickname.errors.append(user_message(exc))
        return None, 200
    return player, 302


def player_language(player: dict) -> str:
    """What an attempt records as the language the student answered in."""
    mode = player["language"]
    return "zh-Hant" if mode == "zh" and chinese_variant() == "zh-Hant" else mode


@bp.get("/live/p/<token>")
def play(token: str):
    player, game = player_and_game(token)
    remember(token)
    db = get_db()
    snap = livestate.snapshot(db, game["id"])  # no render: this page includes the type's templates itself
    given = liveanswers.answer_of(db, player["id"], game["position"]) if game["position"] else None
    state = json.loads(snap.message(current_locale(), player["id"], utcnow(), given and given["answer"]))
    return render_template(
        "live/play.html",
        player=player,
        game=game,
        state=state,
        qmode=player["language"],
        entry=snap.entry,
        q=snap.entry["question"] if snap.entry else None,
        link=public_url("live.play", token=token),
    )


@bp.get("/live/p/<token>/state")
def player_state(token: str):
    """The same JSON as the stream sends, for a phone that cannot keep a stream open."""
    player, game = player_and_game(token)
    db = get_db()
    given = liveanswers.answer_of(db, player["id"], game["position"]) if game["position"] else None
    message = livestate.snapshot(db, game["id"], hub().render).message(
        current_locale(), player["id"], utcnow(), given and given["answer"]
    )
    return Response(message, mimetype="application/json", headers={"Cache-Control": "no-store"})


@bp.get("/live/p/<token>/events")
def player_events(token: str):
    """A phone's stream. It reads the database only through the hub, so a thousand open streams
    hold no connections (no get_db() here)."""
    h = hub()

    def events():
        player = h.lookup(lambda db: liveplayers.player_by_token(db, token))
        if player is None:
            abort(404)
        return livestream.player_events(h, player["session_id"], player["id"], current_locale())

    return gated_stream(h, token, events)


@bp.post("/live/p/<token>/answer")
def answer(token: str):
    player, game = player_and_game(token)
    db = get_db()
    try:
        position = int(request.form.get("position", ""))
    except ValueError:
        position = game["position"]
    # A position past SQLite's 64-bit integers would overflow the lookup: it is simply no question.
    entry = livegames.question_at(db, game, position) if position and 0 < position < 2**31 else None
    try:
        if entry is None:
            raise GameError(liveanswers.TOO_LATE)
        try:
            given, result = grade(entry["question"], request.form)
        except AnswerError as exc:
            return refuse(token, user_message(exc), 400)
        learner = users.get(db, player["learner_id"]) if player["learner_id"] else None
        row, created = liveanswers.record_answer(
            db,
            game["id"],
            player,
            position,
            given,
            result,
            player_language(player),
            utcnow(),
            for_learner(learner, fuzz=current_app.config["FSRS_FUZZ"]) if learner else None,
        )
    except GameError as exc:
        return refuse(token, user_message(exc), 403 if exc.message == liveplayers.REMOVED else 409)
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
    liveplayers.set_language(get_db(), player["id"], mode)
    if wants_json():
        return jsonify(ok=True, mode=mode)
    return redirect(url_for("live.play", token=token))
