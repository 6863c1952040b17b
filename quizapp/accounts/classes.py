"""Classes: a teacher's group of signed-in students, joined with a short code, and the banks
assigned to it. No Flask here; every read that a teacher makes is scoped to their own classes."""

from __future__ import annotations

import json
import secrets

from quizapp.core.clock import stamp
from quizapp.core.messages import N_, UserError
from quizapp.core.store import write
from quizapp.core.textsafety import clean_name

# No 0/O, 1/I/L: a code read off a projector or a board is typed right the first time.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[: CODE_LENGTH * 2]


def create(db, teacher_id: int, name: str, rng=secrets.SystemRandom()) -> int:
    """A class whose name students see as stored: no invisible or direction-changing characters
    (a name "7B" with a right-to-left override would show as another class's)."""
    name = clean_name(name)
    if not name:
        raise UserError(N_("Please give the class a name."))
    with write(db):
        for _ in range(20):
            code = "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
            if not db.execute("SELECT 1 FROM classes WHERE code = ?", [code]).fetchone():
                return (
                    db["classes"]
                    .insert({"teacher_id": teacher_id, "name": name, "code": code, "created_at": stamp()})
                    .last_pk
                )
    raise UserError(N_("No free class code right now; try again."))


def get(db, class_id: int) -> dict | None:
    return next(db.query("SELECT * FROM classes WHERE id = ?", [class_id]), None)


def for_teacher(db, teacher_id: int) -> list[dict]:
    return list(
        db.query(
            """SELECT c.*, (SELECT count(*) FROM class_members m WHERE m.class_id = c.id) AS members,
                                   (SELECT count(*) FROM assignments a WHERE a.class_id = c.id) AS assigned
                            FROM classes c WHERE c.teacher_id = ? ORDER BY c.created_at DESC, c.id DESC""",
            [teacher_id],
        )
    )


def join(db, code: str, learner_id: int) -> tuple[dict | None, bool]:
    """(class, newly joined); (None, False) for an unknown code. Joining twice is harmless."""
    klass = next(db.query("SELECT * FROM classes WHERE code = ?", [normalize_code(code)]), None)
    if klass is None:
        return None, False
    with write(db):
        cursor = db.execute(
            "INSERT OR IGNORE INTO class_members (class_id, learner_id, joined_at) VALUES (?, ?, ?)",
            [klass["id"], learner_id, stamp()],
        )
    return klass, cursor.rowcount == 1


def members(db, class_id: int) -> list[dict]:
    """The roster, most recently active first."""
    return list(
        db.query(
            """SELECT l.id, l.username, l.last_seen_at, m.joined_at FROM class_members m
                            JOIN learners l ON l.id = m.learner_id WHERE m.class_id = ?
                            ORDER BY l.last_seen_at DESC, l.username""",
            [class_id],
        )
    )


def remove(db, class_id: int, learner_id: int) -> bool:
    """Take a student off the roster; their own answers and cards stay theirs."""
    with write(db):
        return (
            db.execute(
                "DELETE FROM class_members WHERE class_id = ? AND learner_id = ?", [class_id, learner_id]
            ).rowcount
            == 1
        )


def assign(db, class_id: int, bank_id: str, due_on: str | None, clear_due: bool = False) -> str | None:
    """Assign a bank, or change its due date when it is already assigned. No date given keeps the
    date it has: only `clear_due` removes one. Returns the due date the assignment has now."""
    with write(db):
        db.execute(
            """INSERT INTO assignments (class_id, bank_id, due_on, created_at) VALUES (?, ?, ?, ?)
                      ON CONFLICT (class_id, bank_id) DO UPDATE SET due_on =
                      CASE WHEN ? THEN NULL ELSE coalesce(excluded.due_on, assignments.due_on) END""",
            [class_id, bank_id, None if clear_due else due_on, stamp(), bool(clear_due)],
        )
        return db.execute(
            "SELECT due_on FROM assignments WHERE class_id = ? AND bank_id = ?", [class_id, bank_id]
        ).fetchone()[0]


def unassign(db, class_id: int, assignment_id: int) -> bool:
    with write(db):
        return (
            db.execute("DELETE FROM assignments WHERE id = ? AND class_id = ?", [assignment_id, class_id]).rowcount == 1
        )


def assignments(db, class_id: int) -> list[dict]:
    rows = list(
        db.query(
            """SELECT a.*, b.title FROM assignments a JOIN banks b ON b.id = a.bank_id
                            WHERE a.class_id = ? ORDER BY a.due_on IS NULL, a.due_on, a.bank_id""",
            [class_id],
        )
    )
    for row in rows:
        row["title"] = json.loads(row["title"])
    return rows


def for_learner(db, learner_id: int) -> list[dict]:
    """A student's assignments across their classes, soonest due first, with how far they are:
    distinct live questions answered out of the bank's live questions."""
    rows = list(
        db.query(
            """
        SELECT a.id, a.bank_id, a.due_on, c.name AS class_name, b.title,
               (SELECT count(*) FROM questions q WHERE q.bank_id = a.bank_id AND q.retired_at IS NULL) AS total,
               (SELECT count(DISTINCT t.question_id) FROM attempts t JOIN questions q
                   ON q.bank_id = t.bank_id AND q.id = t.question_id AND q.retired_at IS NULL
                WHERE t.learner_id = m.learner_id AND t.bank_id = a.bank_id) AS answered
        FROM class_members m JOIN classes c ON c.id = m.class_id JOIN assignments a ON a.class_id = c.id
        JOIN banks b ON b.id = a.bank_id
        WHERE m.learner_id = ? ORDER BY a.due_on IS NULL, a.due_on, c.name, a.bank_id""",
            [learner_id],
        )
    )
    for row in rows:
        row["title"] = json.loads(row["title"])
    return rows


def memberships(db, learner_id: int) -> list[dict]:
    return list(
        db.query(
            """SELECT c.id, c.name, m.joined_at FROM class_members m JOIN classes c ON c.id = m.class_id
                            WHERE m.learner_id = ? ORDER BY c.name""",
            [learner_id],
        )
    )
