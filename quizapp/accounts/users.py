"""Accounts on top of learners: sign-up turns the browser's learner into an account (same id),
sign-in merges the browser's anonymous history into the account. No Flask here."""

from __future__ import annotations

import json
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from quizapp.accounts import sessions
from quizapp.core.clock import stamp
from quizapp.core.messages import N_, UserError
from quizapp.core.ratelimit import forget_rate_limits
from quizapp.core.store import write
from quizapp.core.textsafety import normalize_username, username_key, username_problem

MIN_PASSWORD = 8
TEACHER = "teacher"  # the role that may edit banks, keep classes and host live games
# learners.card_front and card_back (a flashcard "direction") are no longer read or written: a card's front
# follows text_mode and its back shows both languages. The columns stay so an older release can still run.
SETTINGS = (
    "timezone",
    "desired_retention",
    "new_cards_per_day",
    "locale",
    "text_mode",
    "autoplay_front",
    "reading_aid",
)
# A real hash to compare against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not a password")


def get(db, learner_id: int | None) -> dict | None:
    if learner_id is None:
        return None
    return next(db.query("SELECT * FROM learners WHERE id = ?", [learner_id]), None)


def sign_up(db, username: str, password: str, learner_id: int | None, timezone: str = "UTC") -> int:
    """Make an account; an anonymous learner of this browser becomes it, keeping every answer."""
    username = normalize_username(username)
    problem = username_problem(username)
    if problem:
        raise UserError(problem)
    if len(password) < MIN_PASSWORD:
        raise UserError(N_("Use a password of at least 8 characters."))
    password_hash = generate_password_hash(password)
    with write(db):
        key = username_key(username)  # two accounts must not look alike (see textsafety)
        other = db.execute(
            "SELECT username FROM learners WHERE username_key = ? OR username = ? COLLATE NOCASE", [key, username]
        ).fetchone()
        if other:
            raise UserError(
                N_("That username is taken.")
                if other[0].casefold() == username.casefold()
                else N_("That username looks too much like one that is taken.")
            )
        current = get(db, learner_id)
        if current and current["username"] is None:
            db["learners"].update(
                learner_id,
                {
                    "username": username,
                    "username_key": key,
                    "password_hash": password_hash,
                    "timezone": timezone,
                    "last_seen_at": stamp(),
                },
            )
            return learner_id
        now = stamp()
        return (
            db["learners"]
            .insert(
                {
                    "username": username,
                    "username_key": key,
                    "password_hash": password_hash,
                    "timezone": timezone,
                    "created_at": now,
                    "last_seen_at": now,
                }
            )
            .last_pk
        )


def promote_to_teacher(db, learner_id: int) -> None:
    """Give an account the teacher's role: the one way anyone becomes a teacher (the command line's
    `users create-teacher`, an accepted invitation)."""
    with write(db):
        db.execute("UPDATE learners SET role = ? WHERE id = ?", [TEACHER, learner_id])


def id_for(db, username: str) -> int | None:
    row = db.execute(
        "SELECT id FROM learners WHERE username = ? COLLATE NOCASE", [normalize_username(username)]
    ).fetchone()
    return row[0] if row else None


def anonymous_history(db, learner_id: int) -> dict | None:
    """What an anonymous learner has done ({"answers": n, "reviews": n}), or None if nothing (or an account)."""
    row = db.execute(
        """SELECT (SELECT count(*) FROM attempts WHERE learner_id = l.id),
                               (SELECT count(*) FROM review_logs WHERE learner_id = l.id AND attempt_id IS NULL)
                        FROM learners l WHERE l.id = ? AND l.username IS NULL""",
        [learner_id],
    ).fetchone()
    return {"answers": row[0], "reviews": row[1]} if row and (row[0] or row[1]) else None


def set_password(db, learner_id: int, password: str) -> None:
    """The account's own new password: a temporary one is used up."""
    if len(password) < MIN_PASSWORD:
        raise UserError(N_("Use a password of at least 8 characters."))
    with write(db):
        db.execute(
            "UPDATE learners SET password_hash = ?, must_change_password = 0 WHERE id = ?",
            [generate_password_hash(password), learner_id],
        )


def reset_password(db, learner_id: int) -> str:
    """A one-time temporary password for an account whose owner forgot theirs (there is no email):
    returned once, never stored in the clear. Every session of the account ends, and the owner must
    choose a new password at the next sign-in."""
    temporary = "-".join(secrets.token_hex(2) for _ in range(3))  # 12 hex digits: read aloud, typed once
    with write(db):
        db.execute(
            "UPDATE learners SET password_hash = ?, must_change_password = 1 WHERE id = ? AND username IS NOT NULL",
            [generate_password_hash(temporary), learner_id],
        )
        sessions.end_all(db, learner_id)
    return temporary


def authenticate(db, username: str, password: str) -> int | None:
    row = db.execute(
        "SELECT id, password_hash FROM learners WHERE username = ? COLLATE NOCASE", [normalize_username(username)]
    ).fetchone()
    if row is None or not row[1]:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return row[0] if check_password_hash(row[1], password) else None


def claim(db, anonymous_id: int | None, account_id: int) -> None:
    """Move an anonymous learner's history into an account, once, in one transaction.

    Attempts and quizzes move as they are. For a card both have studied, the account
    keeps the state reviewed most recently; every review log moves, none is copied.
    """
    if anonymous_id is None or anonymous_id == account_id:
        return
    with write(db):
        anonymous = get(db, anonymous_id)
        if anonymous is None or anonymous["username"] is not None:
            return
        for table in ("attempts", "quizzes", "review_logs"):
            db.execute(f"UPDATE {table} SET learner_id = ? WHERE learner_id = ?", [account_id, anonymous_id])
        db.execute(
            """DELETE FROM card_states WHERE learner_id = ? AND EXISTS (
                          SELECT 1 FROM card_states a WHERE a.learner_id = ? AND a.bank_id = card_states.bank_id
                          AND a.card_id = card_states.card_id AND a.last_review >= card_states.last_review)""",
            [anonymous_id, account_id],
        )
        db.execute(
            """DELETE FROM card_states WHERE learner_id = ? AND EXISTS (
                          SELECT 1 FROM card_states a WHERE a.learner_id = ? AND a.bank_id = card_states.bank_id
                          AND a.card_id = card_states.card_id)""",
            [account_id, anonymous_id],
        )
        db.execute("UPDATE card_states SET learner_id = ? WHERE learner_id = ?", [account_id, anonymous_id])
        db.execute("DELETE FROM learners WHERE id = ?", [anonymous_id])


def update_settings(db, learner_id: int, **settings) -> None:
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise ValueError(f"unknown settings {unknown}")
    with write(db):
        db["learners"].update(learner_id, settings)


def export(db, learner_id: int) -> dict:
    """Everything stored about a learner, for download."""
    learner = get(db, learner_id)
    profile = {k: v for k, v in learner.items() if k != "password_hash"}

    def rows(sql):
        return list(db.query(sql, [learner_id]))

    attempts = rows("SELECT * FROM attempts WHERE learner_id = ? ORDER BY id")
    for row in attempts:  # an answer stored before numbers were bounded may hold NaN or Infinity: not JSON
        row["answer"] = json.loads(row["answer"], parse_constant=lambda _constant: None)
    states = rows("SELECT * FROM card_states WHERE learner_id = ? ORDER BY bank_id, card_id")
    for row in states:
        row["fsrs"] = json.loads(row["fsrs"])
    logs = rows("SELECT * FROM review_logs WHERE learner_id = ? ORDER BY id")
    for row in logs:
        row["state_before"] = json.loads(row["state_before"]) if row["state_before"] else None
        row["state_after"] = json.loads(row["state_after"])
    return {
        "format": "quizapp-export-1",
        "exported_at": stamp(),
        "learner": profile,
        "quizzes": rows("SELECT * FROM quizzes WHERE learner_id = ? ORDER BY id"),
        "attempts": attempts,
        "card_states": states,
        "review_logs": logs,
        "classes": rows("""SELECT c.name, m.joined_at FROM class_members m JOIN classes c ON c.id = m.class_id
                               WHERE m.learner_id = ? ORDER BY m.joined_at"""),
        "bank_drafts": rows("SELECT bank_id, source, saved_at FROM bank_drafts WHERE teacher_id = ? ORDER BY saved_at"),
    }


def delete(db, learner_id: int) -> None:
    """Delete a learner and every row of theirs: by ON DELETE CASCADE, plus what names them without
    a foreign key (live-game nicknames and typed answers, rate-limit counters).

    Banks the learner made in the browser are kept for the history of everyone who studied them,
    but are marked orphaned: nobody may edit them, so they do not become every teacher's.
    """
    learner = get(db, learner_id)
    if learner is None:
        return
    with write(db):
        db.execute("UPDATE banks SET orphaned_at = ? WHERE owner_id = ?", [stamp(), learner_id])
        db.execute("DELETE FROM live_players WHERE learner_id = ?", [learner_id])  # their answers cascade
        forget_rate_limits(db, learner_id, learner["username"])
        db.execute("DELETE FROM learners WHERE id = ?", [learner_id])
