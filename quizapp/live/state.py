"""What a player's phone is told about a game: one JSON state per game version, shared by every
player, plus a few personal numbers. No Flask.

Both languages travel together so each student picks theirs on the phone without asking the
server again; the Chinese is in the script (Simplified or Traditional) of the phone's interface.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from quizapp.banks.types import kind_of
from quizapp.core.textnorm import to_traditional
from quizapp.live import answers as liveanswers
from quizapp.live import games as livegames


def _text(text: dict | str | None, variant: str) -> dict | None:
    if text is None:
        return None
    if isinstance(text, str):
        text = {"en": text, "zh": text}
    if not text.get("zh"):  # a one-language (English) bank
        return {"en": text["en"]}
    zh = to_traditional(text["zh"]) if variant == "zh-Hant" else text["zh"]
    return {"en": text["en"], "zh": zh} if text.get("en") else {"zh": zh}


def _media(question: dict, variant: str) -> dict:
    """A question's picture and clips for the phones: the stored file names (live.js makes their /media
    address), the alt text and transcripts in the phone's script."""
    shown = {}
    image = question.get("image")
    if image:
        shown["image"] = {
            "file": image["file"],
            "alt": _text(image["alt"], variant),
            "width": image["width"],
            "height": image["height"],
        }
    audio = question.get("audio")
    if audio:
        shown["audio"] = {
            lang: {
                "file": clip["file"],
                "transcript": _text({"en": clip["transcript"], "zh": clip["transcript"]}, variant)[
                    "en" if lang == "en" else "zh"
                ],
            }
            for lang, clip in audio.items()
        }
    return shown


def variant_of(locale: str) -> str:
    """The Chinese script of an interface locale (en, zh, zh_Hant): the phone shows Chinese in it."""
    return "zh-Hant" if locale == "zh_Hant" else "zh-Hans"


# Renders a question type's template (banks.types: QuestionType.template) in an interface locale,
# both languages side by side (each phone keeps the one it shows); given by the web layer.
Render = Callable[..., str]


@dataclass
class Snapshot:
    """A game at one version, read once per server process and shared by all its players' streams."""

    session: dict
    entry: dict | None
    standings: dict[int, tuple[int, int, str]]  # player id -> (rank, score, nickname)
    answers: dict[int, dict]  # player id -> their answer to the current question (once shown)
    podium: list[dict]
    render: Render | None = None
    _common: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return self.session["version"]

    def common(self, locale: str) -> str:
        """The part of the state every player gets, serialised once per interface locale."""
        if locale not in self._common:
            self._common[locale] = json.dumps(self._state(locale), ensure_ascii=False, separators=(",", ":"))
        return self._common[locale]

    def _fragment(self, part: str, locale: str) -> str | None:
        """One part of the question's presentation, as its type renders it (see Render)."""
        if self.render is None:
            return None
        question = self.entry["question"]
        return self.render(kind_of(question).template(part), locale, q=question, entry=self.entry)

    def _state(self, locale: str) -> dict:
        session, entry, variant = self.session, self.entry, variant_of(locale)
        state = {
            "v": session["version"],
            "phase": session["phase"],
            "position": session["position"],
            "total": session["total"],
            "players": len(self.standings),
            "code": session["code"],
        }
        if entry and session["phase"] in ("question", "results"):
            question = entry["question"]
            state["question"] = {
                "type": question["type"],
                "prompt": _text(question["prompt"], variant),
                "timer_s": session["timer_s"],
                "reading_s": session["reading_s"],
                **_media(question, variant),
            }
            if session["phase"] == "question":
                state["question"]["form"] = self._fragment("live", locale)
            if session["phase"] == "results":
                state["expected"] = self._fragment("expected", locale)
                state["explanation"] = _text(question.get("explanation"), variant)
        if session["phase"] == "ended":
            state["podium"] = self.podium
        return state

    def personal(self, player_id: int, given=None) -> dict:
        """The numbers that differ per player: their place, score and result."""
        place = self.standings.get(player_id)
        me = {"id": player_id, "removed": place is None}
        if place:
            me.update(rank=place[0], score=place[1], nickname=place[2])
        answer = self.answers.get(player_id)
        if answer:
            me["given"] = answer["answer"]
            me["result"] = {"correct": bool(answer["correct"]), "score": answer["score"], "points": answer["points"]}
        elif given is not None:
            me["given"] = given
        return me

    def clock(self, now: datetime) -> dict:
        clock = self.entry["clock"] if self.entry and self.session["phase"] == "question" else None
        if clock is None:
            return {}
        return {"remaining_ms": clock.remaining_ms(now), "reading_ms": clock.reading_left_ms(now)}

    def message(self, locale: str, player_id: int, now: datetime, given=None) -> str:
        """One player's whole state as JSON text, for an event or a polling answer."""
        return (
            '{"s":'
            + self.common(locale)
            + ',"me":'
            + json.dumps(self.personal(player_id, given))
            + ',"clock":'
            + json.dumps(self.clock(now))
            + "}"
        )


def snapshot(db, session_id: int, render: Render | None = None) -> Snapshot | None:
    session = livegames.get(db, session_id)
    if session is None:
        return None
    entry = livegames.question_at(db, session, session["position"]) if session["position"] else None
    standings = liveanswers.standings(db, session)
    answers = {}
    if entry and session["phase"] in ("results", "ended"):
        answers = {row["player_id"]: row for row in liveanswers.answers_at(db, session_id, session["position"])}
    podium = [{"nickname": s.nickname, "score": s.score, "rank": s.rank} for s in standings if s.rank <= 3]
    return Snapshot(
        session, entry, {s.player_id: (s.rank, s.score, s.nickname) for s in standings}, answers, podium, render
    )
