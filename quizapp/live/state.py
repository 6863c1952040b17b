"""What a player's phone is told about a game: one JSON state per game version, shared by every
player, plus a few personal numbers. No Flask.

Both languages travel together so each student picks theirs on the phone without asking the
server again; the Chinese is in the script (Simplified or Traditional) of the phone's interface.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from quizapp.core.textnorm import to_traditional
from quizapp.live import store as livestore


def _text(text: dict | str | None, variant: str) -> dict | None:
    if text is None:
        return None
    if isinstance(text, str):
        text = {"en": text, "zh": text}
    zh = to_traditional(text["zh"]) if variant == "zh-Hant" else text["zh"]
    return {"en": text["en"], "zh": zh}


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def expected(question: dict, variant: str) -> dict:
    """The right answer in a form the phone can show next to the student's own."""
    kind = question["type"]
    if kind in ("choice", "multi"):
        return {"indices": [i for i, c in enumerate(question["choices"]) if c["correct"]]}
    if kind == "true_false":
        return {"bool": question["answer"]}
    if kind == "order":
        return {"sequence": list(range(len(question["choices"])))}
    if kind == "numeric":
        shown = _number(question["answer"]) + (
            f" (± {_number(question['tolerance'])})" if question["tolerance"] else ""
        )
        return {"text": {"en": shown, "zh": shown}}
    return {
        "text": _text({"en": " / ".join(question["answer"]["en"]), "zh": " / ".join(question["answer"]["zh"])}, variant)
    }


@dataclass
class Snapshot:
    """A game at one version, read once per server process and shared by all its players' streams."""

    session: dict
    entry: dict | None
    standings: dict[int, tuple[int, int, str]]  # player id -> (rank, score, nickname)
    answers: dict[int, dict]  # player id -> their answer to the current question (once shown)
    podium: list[dict]
    _common: dict[str, str] = field(default_factory=dict)

    @property
    def version(self) -> int:
        return self.session["version"]

    def common(self, variant: str) -> str:
        """The part of the state every player gets, serialised once per script variant."""
        if variant not in self._common:
            self._common[variant] = json.dumps(self._state(variant), ensure_ascii=False, separators=(",", ":"))
        return self._common[variant]

    def _state(self, variant: str) -> dict:
        session, entry = self.session, self.entry
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
                "choices": [
                    {"i": i, "text": _text(question["choices"][i]["text"], variant)} for i in entry["choice_order"]
                ]
                if "choices" in question
                else [],
                "timer_s": session["timer_s"],
                "reading_s": session["reading_s"],
            }
            if session["phase"] == "results":
                state["expected"] = expected(question, variant)
                state["explanation"] = _text(question["explanation"], variant)
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

    def message(self, variant: str, player_id: int, now: datetime, given=None) -> str:
        """One player's whole state as JSON text, for an event or a polling answer."""
        return (
            '{"s":'
            + self.common(variant)
            + ',"me":'
            + json.dumps(self.personal(player_id, given))
            + ',"clock":'
            + json.dumps(self.clock(now))
            + "}"
        )


def snapshot(db, session_id: int) -> Snapshot | None:
    session = livestore.get(db, session_id)
    if session is None:
        return None
    entry = livestore.question_at(db, session, session["position"]) if session["position"] else None
    standings = livestore.standings(db, session)
    answers = {}
    if entry and session["phase"] in ("results", "ended"):
        answers = {row["player_id"]: row for row in livestore.answers_at(db, session_id, session["position"])}
    podium = [{"nickname": s.nickname, "score": s.score, "rank": s.rank} for s in standings if s.rank <= 3]
    return Snapshot(session, entry, {s.player_id: (s.rank, s.score, s.nickname) for s in standings}, answers, podium)
