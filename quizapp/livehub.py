"""Live updates inside one server process: one watcher reads the games that this process is
streaming a few times a second and wakes the streams whose game changed. No Flask.

Nothing here is the truth: the game lives in SQLite, the watcher only notices changes made by any
worker (or by a server that restarted), so a hub that is lost loses nothing. One cheap query per
tick serves every open stream of the process; an open stream costs no database work while
nothing changes. Under gevent the thread is a greenlet and the waits are cooperative.
"""
from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from contextlib import contextmanager

from . import livestate, livestore
from .clock import now as utcnow, parse
from .store import connect

TICK_S = 0.1          # how often the watcher looks: also the worst extra delay of any update
IDLE_STOP_S = 30      # the watcher stops when no stream has wanted it for this long

log = logging.getLogger("quizapp")
_hubs: dict[str, "Hub"] = {}
_hubs_lock = threading.Lock()


def hub_for(path: str) -> "Hub":
    """The process's hub for one database file."""
    with _hubs_lock:
        if path not in _hubs:
            _hubs[path] = Hub(path)
        return _hubs[path]


class Hub:
    def __init__(self, path: str, tick_s: float = TICK_S):
        self.path, self.tick_s = path, tick_s
        self._lock = threading.Lock()
        self._players = {}  # session id -> Condition: wakes players' streams (the game's version changed)
        self._hosts = {}    # session id -> Condition: wakes projectors (anything changed, counts too)
        self._stamps: dict[int, tuple] = {}
        self._watchers: Counter = Counter()
        self._snapshots: dict[int, livestate.Snapshot] = {}
        self._db_lock = threading.Lock()
        self._db = None
        self._thread = None
        self._idle_since = time.monotonic()

    def lookup(self, fn):
        """Run fn(db) on the hub's own connection: streams never hold a connection of their own."""
        with self._db_lock:
            if self._db is None:
                self._db = connect(self.path)
            return fn(self._db)

    @contextmanager
    def watching(self, session_id: int):
        """While a stream is open: its game is watched, and its stamp is current from the start."""
        with self._lock:
            self._watchers[session_id] += 1
            self._players.setdefault(session_id, threading.Condition(self._lock))
            self._hosts.setdefault(session_id, threading.Condition(self._lock))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="quizapp-live-hub", daemon=True)
                self._thread.start()
        self.poll([session_id])
        try:
            yield
        finally:
            with self._lock:
                self._watchers[session_id] -= 1
                if self._watchers[session_id] <= 0:
                    del self._watchers[session_id]
                    self._idle_since = time.monotonic()

    def stamp(self, session_id: int) -> tuple | None:
        with self._lock:
            return self._stamps.get(session_id)

    def wait(self, session_id: int, seen: tuple | None, timeout: float, host: bool = False) -> tuple | None:
        """Block until the game changes (for players: its version; for hosts: anything), or timeout."""
        def changed():
            now = self._stamps.get(session_id)
            if now is None or seen is None:
                return now is not seen
            return now != seen if host else now[0] != seen[0]
        conditions = self._hosts if host else self._players
        with self._lock:
            conditions[session_id].wait_for(changed, timeout)
            return self._stamps.get(session_id)

    def snapshot(self, session_id: int) -> livestate.Snapshot | None:
        """The game's current state for players, built once per version for all the process's streams."""
        stamp = self.stamp(session_id)

        def fresh(snap):
            return snap is not None and stamp is not None and snap.version >= stamp[0]

        def build(db):
            cached = self._snapshots.get(session_id)  # another stream may have built it while we waited
            if fresh(cached):
                return cached
            snap = livestate.snapshot(db, session_id)
            if snap is not None:
                self._snapshots[session_id] = snap
            return snap
        cached = self._snapshots.get(session_id)
        return cached if fresh(cached) else self.lookup(build)

    def poll(self, session_ids=None) -> None:
        """One look at the watched games: close questions whose time is up, wake who must see a change."""
        with self._lock:
            ids = list(session_ids if session_ids is not None else self._watchers)
        if not ids:
            return
        now = utcnow()

        def read(db):
            stamps = livestore.stamps(db, ids)
            for session_id, stamp in stamps.items():
                if stamp[2] == "question" and stamp[6] and parse(stamp[6]) <= now:
                    livestore.settle(db, livestore.get(db, session_id), now)
                    stamps.update(livestore.stamps(db, [session_id]))
            return stamps
        stamps = self.lookup(read)
        with self._lock:
            for session_id in ids:
                new, old = stamps.get(session_id), self._stamps.get(session_id)
                if new == old:
                    continue
                self._stamps[session_id] = new
                if session_id in self._hosts:
                    self._hosts[session_id].notify_all()
                if session_id in self._players and (old is None or new is None or new[0] != old[0]):
                    self._players[session_id].notify_all()

    def _run(self) -> None:
        while True:
            time.sleep(self.tick_s)
            with self._lock:
                if not self._watchers and time.monotonic() - self._idle_since > IDLE_STOP_S:
                    self._thread = None
                    self._stamps.clear()
                    self._snapshots.clear()
                    return
            try:
                self.poll()
            except Exception:  # noqa: BLE001 - a failed look (database busy for 10 s) is retried next tick
                log.exception("live hub poll failed")
