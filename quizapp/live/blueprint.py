"""The live classroom blueprint and what its two audiences share: a teacher hosts a game on the
projector (live/hosting.py), students join and play on their phones (live/playing.py). Here: the
settings, the process's hub, and event streams kept within the stream limits."""

from __future__ import annotations

import logging
import os
import time

from flask import Blueprint, Response, current_app, request
from flask_babel import gettext as _

from quizapp.live import hub as livehub
from quizapp.live import stream as livestream
from quizapp.live.chart import SHAPES
from quizapp.web import questiontypes
from quizapp.web.security import client_address

bp = Blueprint("live", __name__)
bp.add_app_template_global(SHAPES, "LIVE_SHAPES")
log = logging.getLogger("quizapp.security")

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
