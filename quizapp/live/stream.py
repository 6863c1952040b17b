"""The Server-Sent Event streams of a live game, as plain generators of event text. No Flask.

A stream sends the state at once (so a reconnect always catches up), then waits on the process's
hub for a change; a quiet stream sends only a comment now and then.
"""

from __future__ import annotations

import json
import time

from quizapp.core.clock import now as utcnow
from quizapp.live import answers as liveanswers
from quizapp.live.hub import Hub, Ticket

HEARTBEAT_S = 15  # a comment line this often keeps proxies from closing a quiet stream
STREAM_MAX_S = 600  # streams end now and then (browsers reconnect at once) so a server can restart gracefully


class Held:
    """A stream's events that give the stream's slot back (see livehub.StreamGate) when the server
    closes the response. A class, not a generator's `finally`: a generator that was never started
    (the client left before the first byte) runs no `finally` when closed, and its slot would leak."""

    def __init__(self, events, ticket: Ticket):
        self._events, self._ticket = events, ticket

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self._events)
        except BaseException:
            self._ticket.release()
            raise

    def close(self) -> None:
        try:
            self._events.close()
        finally:
            self._ticket.release()


def host_events(hub: Hub, session_id: int):
    """The projector's stream: every change, answer counts and arrivals included, as small JSON events."""
    with hub.watching(session_id):
        yield "retry: 1000\n\n"
        seen, stop = None, time.monotonic() + STREAM_MAX_S
        while time.monotonic() < stop:
            stamp = hub.wait(session_id, seen, HEARTBEAT_S, host=True) if seen else hub.stamp(session_id)
            if stamp is None:
                return
            if stamp == seen:
                yield ": keep-alive\n\n"
                continue
            seen = stamp
            yield (
                "data: "
                + json.dumps(
                    {
                        "v": stamp.version,
                        "lobby": stamp.lobby_version,
                        "phase": stamp.phase,
                        "position": stamp.position,
                        "answered": stamp.answered,
                        "players": stamp.players,
                    }
                )
                + "\n\n"
            )


def player_events(hub: Hub, session_id: int, player_id: int, locale: str):
    """A phone's stream: the player's whole state whenever the game's version changes (not for
    every answer or arrival: a thousand phones need not hear of each other)."""

    def own_answer(position):
        row = hub.lookup(lambda db: liveanswers.answer_of(db, player_id, position)) if position else None
        return row and row["answer"]

    with hub.watching(session_id):
        yield "retry: 1000\n\n"
        seen, given, stop = None, None, time.monotonic() + STREAM_MAX_S
        while time.monotonic() < stop:
            stamp = hub.wait(session_id, seen, HEARTBEAT_S) if seen else hub.stamp(session_id)
            if stamp is None:
                return
            if seen and stamp.version == seen.version:
                yield ": keep-alive\n\n"
                continue
            if seen is None:
                given = own_answer(stamp.position)  # a refresh or a new device mid-question: show what was sent
            elif stamp.position != seen.position:
                given = None
            seen = stamp
            snap = hub.snapshot(session_id)
            yield f"id: {snap.version}\ndata: {snap.message(locale, player_id, utcnow(), given)}\n\n"
