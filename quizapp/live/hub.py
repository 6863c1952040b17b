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
from dataclasses import dataclass

from quizapp.core.clock import now as utcnow
from quizapp.core.clock import parse
from quizapp.core.store import connect
from quizapp.live import games as livegames
from quizapp.live import state as livestate

TICK_S = 0.1  # how often the watcher looks: also the worst extra delay of any update
IDLE_STOP_S = 30  # the watcher stops when no stream has wanted it for this long

# Retry-After of a refused stream, in seconds. A player's extra stream waits for its old ones to be
# noticed as gone (a heartbeat writes to each every 15 s); a full address or process waits longer.
RETRY_OWNER_S, RETRY_ADDRESS_S, RETRY_PROCESS_S = 20, 30, 30

log = logging.getLogger("quizapp")
_hubs: dict[str, Hub] = {}
_hubs_lock = threading.Lock()


def hub_for(path: str) -> Hub:
    """The process's hub for one database file."""
    with _hubs_lock:
        if path not in _hubs:
            _hubs[path] = Hub(path)
        return _hubs[path]


@dataclass(frozen=True)
class StreamLimits:
    """How many event streams one process keeps open: per owner (a player's token, or a game's
    projector), per client address, and in all. The counts are per process (per gunicorn worker), so
    with N workers one owner or address may hold up to N times as many."""

    per_owner: int = 5
    per_address: int = 1200
    per_process: int = 1500


class StreamRefused(Exception):
    """A stream past a limit: `status` is 429 (this owner or address has enough) or 503 (the process
    is full), with the seconds to wait before trying again."""

    def __init__(self, status: int, retry_after: int, reason: str):
        super().__init__(reason)
        self.status, self.retry_after, self.reason = status, retry_after, reason


class StreamGate:
    """Counts the open streams of one process, so one token or one address cannot hold every
    connection a worker has (gevent's `--worker-connections`) and leave none for pages.

    Counting in memory, not in SQLite: a stream's slot must be given back when its connection
    closes, including when a worker is killed, which only the process's own memory does for free."""

    def __init__(self):
        self._lock = threading.Lock()
        self._owners: Counter = Counter()
        self._addresses: Counter = Counter()
        self.open = 0

    def admit(self, limits: StreamLimits, address: str, owner) -> Ticket:
        """Count one more stream, or raise StreamRefused; the ticket gives the slot back."""
        with self._lock:
            if self._owners[owner] >= limits.per_owner:
                raise StreamRefused(429, RETRY_OWNER_S, "owner")
            if self._addresses[address] >= limits.per_address:
                raise StreamRefused(429, RETRY_ADDRESS_S, "address")
            if self.open >= limits.per_process:
                raise StreamRefused(503, RETRY_PROCESS_S, "process")
            self._owners[owner] += 1
            self._addresses[address] += 1
            self.open += 1
        return Ticket(self, address, owner)

    def _release(self, address: str, owner) -> None:
        with self._lock:
            self.open -= 1
            for counts, key in ((self._owners, owner), (self._addresses, address)):
                counts[key] -= 1
                if counts[key] <= 0:
                    del counts[key]


class Ticket:
    """One admitted stream's slot; release() is safe to call more than once."""

    def __init__(self, gate: StreamGate, address: str, owner):
        self._gate, self._address, self._owner, self._held = gate, address, owner, True

    def release(self) -> None:
        with self._gate._lock:
            held, self._held = self._held, False
        if held:
            self._gate._release(self._address, self._owner)


class Hub:
    def __init__(self, path: str, tick_s: float = TICK_S):
        self.path, self.tick_s = path, tick_s
        self.gate = StreamGate()  # one hub per database and process: in production, the process's streams
        self._lock = threading.Lock()
        self._players = {}  # session id -> Condition: wakes players' streams (the game's version changed)
        self._hosts = {}  # session id -> Condition: wakes projectors (anything changed, counts too)
        self._stamps: dict[int, livegames.Stamp] = {}
        self._watchers: Counter = Counter()
        self._snapshots: dict[int, livestate.Snapshot] = {}
        self.render: livestate.Render | None = None  # the web layer's, for the question types' templates
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

    def stamp(self, session_id: int) -> livegames.Stamp | None:
        with self._lock:
            return self._stamps.get(session_id)

    def wait(
        self, session_id: int, seen: livegames.Stamp | None, timeout: float, host: bool = False
    ) -> livegames.Stamp | None:
        """Block until the game changes (for players: its version; for hosts: anything), or timeout."""

        def changed():
            now = self._stamps.get(session_id)
            if now is None or seen is None:
                return now is not seen
            return now != seen if host else now.version != seen.version

        conditions = self._hosts if host else self._players
        with self._lock:
            conditions[session_id].wait_for(changed, timeout)
            return self._stamps.get(session_id)

    def snapshot(self, session_id: int) -> livestate.Snapshot | None:
        """The game's current state for players, built once per version for all the process's streams."""
        stamp = self.stamp(session_id)

        def fresh(snap):
            return snap is not None and stamp is not None and snap.version >= stamp.version

        def build(db):
            cached = self._snapshots.get(session_id)  # another stream may have built it while we waited
            if fresh(cached):
                return cached
            snap = livestate.snapshot(db, session_id, self.render)
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
            stamps = livegames.stamps(db, ids)
            for session_id, stamp in stamps.items():
                if stamp.phase == "question" and stamp.closes_at and parse(stamp.closes_at) <= now:
                    livegames.settle(db, livegames.get(db, session_id), now)
                    stamps.update(livegames.stamps(db, [session_id]))
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
                if session_id in self._players and (old is None or new is None or new.version != old.version):
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
