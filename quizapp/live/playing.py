"""The students' side of a live game: joining at /join (within the join limits), the phone's page
at /live/p/<token>, its state and stream, answering, its language, bans and remembered links."""

from __future__ import annotations

import json
import logging

from flask import (
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
from quizapp.accounts.auth import current_learner, current_session, remembered_cookie_players
from quizapp.banks.types import AnswerError, grade
from quizapp.core import ratelimit
from quizapp.core.clock import now as utcnow
from quizapp.learn.scheduling import for_learner
from quizapp.live import answers as liveanswers
from quizapp.live import games as livegames
from quizapp.live import players as liveplayers
from quizapp.live import state as livestate
from quizapp.live import stream as livestream
from quizapp.live.blueprint import bp, gated_stream, hub, wants_json
from quizapp.live.forms import JoinForm
from quizapp.live.game import GameError, clean_code, clean_nickname
from quizapp.web.db import get_db
from quizapp.web.errors import user_message
from quizapp.web.i18n import TEXT_MODES, chinese_variant, current_locale, text_mode
from quizapp.web.origin import public_url
from quizapp.web.security import check_rate, client_address

log = logging.getLogger("quizapp.security")
BANS_KEPT = 20  # the games a browser remembers being removed from
JOIN_WINDOW_S = 60  # LIVE_JOINS_PER_ADDRESS counts join attempts in windows this long
WRONG_CODE_WINDOW_S = 600  # the wrong-code limits count in windows this long
SITEWIDE_WRONG_CODES = "join-failures:*"  # the rate-limit key of every address's wrong codes together


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
    """The phone's question language is the reader's one setting (quizzes and flashcards use it
    too): changed here, it changes for this browser and, for the player's own account, there."""
    player, _game = player_and_game(token)
    mode = request.form.get("mode")
    if mode not in TEXT_MODES:
        abort(400)
    liveplayers.set_language(get_db(), player["id"], mode)
    session["text_mode"] = mode
    session.permanent = True
    if player["learner_id"] is not None and player["learner_id"] == current_learner():
        users.update_settings(get_db(), player["learner_id"], text_mode=mode)
    if wants_json():
        return jsonify(ok=True, mode=mode)
    return redirect(url_for("live.play", token=token))
