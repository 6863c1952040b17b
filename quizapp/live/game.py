"""The rules of a live classroom game: phases, question clocks, points, ranking, answer charts. No Flask.

Plain data in, plain data out, so the rules are tested without a server and every
worker applies the same ones to the state stored in SQLite.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from quizapp.banks.types import Bar, kind_of
from quizapp.core.messages import N_, UserError
from quizapp.core.textsafety import clean_name

MAX_POINTS = 1000
DEFAULT_TIMER_S = 20
SCORINGS = ("speed", "correct")
PHASES = ("lobby", "question", "results", "leaderboard", "ended")
ACTIONS = ("start", "close", "standings", "next", "end")
NICKNAME_MAX = 20
CODE_DIGITS = 6


class GameError(UserError):
    """Something a person asked for that the game does not allow now."""


@dataclass(frozen=True)
class Clock:
    """One question's server-side clock.

    Extra reading time is added in front of the timer, and the speed clock starts only after it:
    reading in a second language costs no points. With no timer a question waits for the teacher.
    """

    opened_at: datetime
    reading_s: int = 0
    timer_s: int | None = DEFAULT_TIMER_S
    closed_at: datetime | None = None

    @property
    def deadline(self) -> datetime | None:
        if self.timer_s is None:
            return None
        return self.opened_at + timedelta(seconds=self.reading_s + self.timer_s)

    def is_open(self, now: datetime) -> bool:
        return self.closed_at is None and (self.deadline is None or now < self.deadline)

    def elapsed_ms(self, now: datetime) -> int:
        """Time since the question opened, the way the student lived it."""
        return max(0, int((now - self.opened_at).total_seconds() * 1000))

    def speed_ms(self, now: datetime) -> int:
        """Time counted against the student for speed: everything after the reading time."""
        return max(0, self.elapsed_ms(now) - self.reading_s * 1000)

    def remaining_ms(self, now: datetime) -> int | None:
        """Milliseconds until answers close (None without a timer); screens count down from this,
        so a phone's wrong clock does not matter."""
        if self.deadline is None:
            return None
        if self.closed_at is not None:
            return 0
        return max(0, int((self.deadline - now).total_seconds() * 1000))

    def reading_left_ms(self, now: datetime) -> int:
        return max(0, self.reading_s * 1000 - self.elapsed_ms(now))


def points(scoring: str, fraction: float, clock: Clock, answered_at: datetime) -> int:
    """Points for one answer. `fraction` is the grade (0..1; partial credit for multi-answer questions).

    By speed (as Kahoot does): 1000 x (1 - (time / timer) / 2), so a right answer earns 500 to 1000.
    By correctness, or with the timer off (then speed is nobody's business): 1000 x fraction.
    """
    if fraction <= 0:
        return 0
    if scoring == "correct" or clock.timer_s is None:
        return round(MAX_POINTS * fraction)
    ratio = min(1.0, clock.speed_ms(answered_at) / (clock.timer_s * 1000))
    return round(MAX_POINTS * fraction * (1 - ratio / 2))


def transition(phase: str, position: int, total: int, action: str) -> tuple[str, int]:
    """The phase and question position after a teacher's action (or the clock's "close").

    results -> leaderboard -> next question; after the last question's results "next" goes
    straight to the podium (a leaderboard right before it would show the same ranking twice)."""
    if action == "end" and phase != "ended":
        return "ended", position
    if action == "start" and phase == "lobby" and total > 0:
        return "question", 1
    if action == "close" and phase == "question":
        return "results", position
    if action == "standings" and phase == "results" and position < total:
        return "leaderboard", position  # the ranking gets its own screen between questions, as in Kahoot
    if action == "next" and phase in ("results", "leaderboard"):
        return ("question", position + 1) if position < total else ("ended", position)
    raise GameError(N_("That step is not possible now: the game has moved on. The screen shows where it is."))


@dataclass(frozen=True)
class Standing:
    player_id: int
    nickname: str
    score: int
    rank: int


def rank(scores: list[tuple[int, str, int]]) -> list[Standing]:
    """Rank (player id, nickname, points) by points: equal points share a place (1, 2, 2, 4)."""
    ordered = sorted(scores, key=lambda s: (-s[2], s[1].casefold(), s[0]))
    standings, place, previous = [], 0, None
    for index, (player_id, nickname, score) in enumerate(ordered, start=1):
        if score != previous:
            place, previous = index, score
        standings.append(Standing(player_id, nickname, score, place))
    return standings


def distribution(question: dict, order: list[int], answers: list[tuple[object, float]]) -> list[Bar]:
    """What the class answered, as chart bars (the question's type decides the bars). `answers` are
    (parsed answer, grade fraction) pairs; choices come in the order the screens showed them."""
    return kind_of(question).distribution(question, order, answers)


def clean_nickname(text: str | None) -> str:
    """A nickname as shown on the projector: printable, single-spaced, at most 20 characters, and
    none of the invisible or direction-changing characters that let one name pass for another."""
    text = clean_name(text)
    if not text:
        raise GameError(N_("Please choose a nickname."))
    if len(text) > NICKNAME_MAX:
        raise GameError(N_("Use a nickname of at most 20 characters."))
    return text


def new_code(rng: random.Random | None = None) -> str:
    """A 6-digit join code; the data layer retries until it is unused among active games."""
    return f"{(rng or random.SystemRandom()).randrange(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def clean_code(text: str | None) -> str | None:
    """What a student typed as a join code, or None: spaces and dashes are forgiven (12 34 56)."""
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", text or ""))
    # [0-9], not \d: NFKC leaves Arabic-Indic and other digits as they are, and a code is ASCII.
    return digits if re.fullmatch(rf"[0-9]{{{CODE_DIGITS}}}", digits) else None
