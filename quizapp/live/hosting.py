"""The teacher's side of a live game (/live/...): creating a game, the projector and its panel,
the steps, the projector's language, renaming and removing players, locking the lobby, and after
the game its results export, archive and removal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from quizapp.accounts.auth import current_account, role_required
from quizapp.banks import store as bankstore
from quizapp.core.clock import now as utcnow
from quizapp.live import games as livegames
from quizapp.live import players as liveplayers
from quizapp.live import stream as livestream
from quizapp.live.blueprint import bp, gated_stream, hub
from quizapp.live.forms import NewGameForm, NicknameForm
from quizapp.live.game import ACTIONS, GameError, clean_nickname
from quizapp.live.panel import panel_context
from quizapp.live.results import question_ids, result_rows
from quizapp.web.db import get_db
from quizapp.web.downloads import csv_response
from quizapp.web.errors import user_message
from quizapp.web.i18n import TEXT_MODES
from quizapp.web.security import client_address

teacher_only = role_required("teacher")


def hosted_game(session_id: int) -> dict:
    """The signed-in teacher's own game, its clock settled; anyone else's does not exist for them."""
    db = get_db()
    game = livegames.get(db, session_id)
    if game is None or game["host_id"] != current_account()["id"]:
        abort(404)
    return livegames.settle(db, game, utcnow())


@bp.get("/live/")
@teacher_only
def index():
    archived = request.args.get("archived") == "1"
    games = livegames.hosted_by(get_db(), current_account()["id"], archived=archived)
    return render_template("live/index.html", games=games, archived=archived)


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
    form = NewGameForm(bank=bank["id"], topic=topic or "", text_mode="both")  # a room reads both by default
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


@bp.get("/live/<int:session_id>/results.csv")
@teacher_only
def export(session_id: int):
    """The game's results for a spreadsheet: place, nickname, points, and each question's points."""
    db = get_db()
    game = hosted_game(session_id)
    headers = [_("Place"), _("Nickname"), _("Points"), _("Right answers"), _("Questions answered")] + [
        _("Question %(n)s: %(id)s", n=n, id=question_id)
        for n, question_id in enumerate(question_ids(db, session_id), start=1)
    ]
    rows = [[r.rank, r.nickname, r.score, r.right, r.answered, *r.points] for r in result_rows(db, game)]
    return csv_response(f"live-{session_id}-{game['code']}.csv", headers, rows)


@bp.post("/live/<int:session_id>/archive")
@teacher_only
def archive(session_id: int):
    hosted_game(session_id)
    archived = request.form.get("archived") != "0"
    try:
        livegames.archive(get_db(), session_id, archived, utcnow())
    except GameError as exc:
        flash(user_message(exc), "error")
        return redirect(url_for("live.index"))
    flash(_("The game is in the archive.") if archived else _("The game is back in your list."), "info")
    return redirect(url_for("live.index", archived="1" if not archived else None))


@bp.route("/live/<int:session_id>/remove", methods=["GET", "POST"])
@teacher_only
def remove(session_id: int):
    """Removing asks first, on its own page (it works without JavaScript and says what stays)."""
    game = hosted_game(session_id)
    if not game["ended_at"]:
        flash(_(livegames.NOT_ENDED), "error")
        return redirect(url_for("live.index"))
    if request.method == "POST":
        livegames.remove(get_db(), session_id)
        flash(_("Game %(code)s was removed.", code=game["code"]), "info")
        return redirect(url_for("live.index", archived="1" if game["archived_at"] else None))
    bank = bankstore.get_bank(get_db(), game["bank_id"])
    players_count = liveplayers.player_count(get_db(), session_id)
    return render_template("live/remove.html", game=game, bank=bank, players_count=players_count)
