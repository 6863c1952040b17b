"""A question (or card) id renamed on publish: its learners' history moves with it.

An id missing from a new version is retired and keeps its history; an id that is new starts
with none. When the teacher says the new id is the old one renamed, every attempt, quiz and
live-game row, card state and review moves from the old id to the new one, inside the publish's
own transaction. A rename onto an id that has history of its own is refused: two histories
would merge into one card. No Flask here.
"""

from __future__ import annotations

from typing import NamedTuple

from quizapp.core.messages import N_, UserError

# Where an item's history lives: (table, bank column, item column). Questions and cards share
# card_states and review_logs (a question is studied as a card too).
_QUESTION_ROWS = (
    ("attempts", "question_id"),
    ("quiz_items", "question_id"),
    ("live_questions", "question_id"),
    ("card_states", "card_id"),
    ("review_logs", "card_id"),
)
_CARD_ROWS = (("card_states", "card_id"), ("review_logs", "card_id"))


class Candidate(NamedTuple):
    """A retired id with history, and the ids added beside it that it could have been renamed to."""

    old: str
    kind: str  # "questions" or "cards"
    answers: int  # attempts
    reviews: int  # review log entries
    choices: list[str]


def history(db, bank_id: str, item_id: str) -> tuple[int, int]:
    """(attempts, reviews) recorded for an id of this bank."""
    attempts = db.execute(
        "SELECT count(*) FROM attempts WHERE bank_id = ? AND question_id = ?", [bank_id, item_id]
    ).fetchone()[0]
    reviews = db.execute(
        "SELECT count(*) FROM review_logs WHERE bank_id = ? AND card_id = ?", [bank_id, item_id]
    ).fetchone()[0]
    return attempts, reviews


def _has_history(db, bank_id: str, item_id: str) -> bool:
    return any(
        db.execute(f"SELECT 1 FROM {table} WHERE bank_id = ? AND {column} = ? LIMIT 1", [bank_id, item_id]).fetchone()
        for table, column in _QUESTION_ROWS
    )


def _kind(db, bank_id: str, item_id: str) -> str | None:
    for table in ("questions", "cards"):
        if db.execute(f"SELECT 1 FROM {table} WHERE bank_id = ? AND id = ?", [bank_id, item_id]).fetchone():
            return table
    return None


def candidates(db, bank, retired: list[str], added: list[str]) -> list[Candidate]:
    """The retired ids whose history a teacher may want to keep, each with the new ids of its kind."""
    new_ids = {"questions": [q["id"] for q in bank.questions], "cards": [c["id"] for c in bank.cards]}
    found = []
    for old in retired:
        kind = _kind(db, bank.id, old)
        answers, reviews = history(db, bank.id, old)
        if kind is None or not (answers or reviews or _has_history(db, bank.id, old)):
            continue
        choices = [new for new in added if new in new_ids[kind] and not _has_history(db, bank.id, new)]
        found.append(Candidate(old, kind, answers, reviews, choices))
    return found


def check(db, bank, renames: dict[str, str], retired: list[str], added: list[str]) -> None:
    """Refuse a rename that is not a retired id onto an added id of the same kind without history."""
    targets = list(renames.values())
    kinds = {"questions": [q["id"] for q in bank.questions], "cards": [c["id"] for c in bank.cards]}
    for old, new in renames.items():
        if old not in retired:
            raise UserError(N_("%(old)s is not retired by this version, so it cannot be renamed."), old=old)
        if new not in added:
            raise UserError(N_("%(new)s is not a new id in this version."), new=new)
        if new not in kinds.get(_kind(db, bank.id, old) or "", []):
            raise UserError(N_("A question can only be renamed to a question, and a card to a card."))
        if _has_history(db, bank.id, new):
            raise UserError(
                N_("%(new)s already has learners' history of its own: %(old)s cannot be renamed onto it."),
                old=old,
                new=new,
            )
        if targets.count(new) > 1:
            raise UserError(N_("Two retired ids cannot both be renamed to %(new)s."), new=new)


def apply(db, bank, renames: dict[str, str], retired: list[str], added: list[str]) -> None:
    """Move each old id's history to its new id. Call inside the publish's write transaction, after
    the new rows exist (their foreign keys must hold) and before anything else can read."""
    check(db, bank, renames, retired, added)
    for old, new in renames.items():
        rows = _QUESTION_ROWS if _kind(db, bank.id, old) == "questions" else _CARD_ROWS
        for table, column in rows:
            db.execute(f"UPDATE {table} SET {column} = ? WHERE bank_id = ? AND {column} = ?", [new, bank.id, old])
