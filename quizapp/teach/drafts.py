"""Unpublished bank text, kept per teacher and bank id so that no page, language switch or
sign-in loses it. No Flask here."""

from __future__ import annotations

import re
from typing import NamedTuple

from quizapp.banks.bankfile import ID_RE
from quizapp.core.clock import stamp
from quizapp.core.store import write

MAX_DRAFTS = 20  # per teacher, most recent kept: each is up to a request's 1 MiB
_BANK_LINE = re.compile(r"^bank[ \t]*:[ \t]*([\"']?)([^\"'\s#]*)\1[ \t]*(?:#.*)?$", re.MULTILINE)


class Draft(NamedTuple):
    bank_id: str  # "" while the text names no valid bank id
    source: str
    saved_at: str


def bank_id_of(source: str) -> str:
    """The bank id the text names on its `bank:` line, if it is a valid id; "" otherwise (a
    broken new bank still has a draft, under "")."""
    found = _BANK_LINE.search(source or "")
    return found.group(2) if found and ID_RE.fullmatch(found.group(2)) else ""


def save(db, teacher_id: int, source: str) -> Draft:
    draft = Draft(bank_id_of(source), source, stamp())
    with write(db):
        db.execute(
            """INSERT INTO bank_drafts (teacher_id, bank_id, source, saved_at) VALUES (?, ?, ?, ?)
               ON CONFLICT (teacher_id, bank_id) DO UPDATE SET source = excluded.source, saved_at = excluded.saved_at""",
            [teacher_id, draft.bank_id, draft.source, draft.saved_at],
        )
        db.execute(
            """DELETE FROM bank_drafts WHERE teacher_id = ? AND rowid NOT IN (
                   SELECT rowid FROM bank_drafts WHERE teacher_id = ? ORDER BY saved_at DESC, rowid DESC LIMIT ?)""",
            [teacher_id, teacher_id, MAX_DRAFTS],
        )
    return draft


def get(db, teacher_id: int, bank_id: str) -> Draft | None:
    row = db.execute(
        "SELECT bank_id, source, saved_at FROM bank_drafts WHERE teacher_id = ? AND bank_id = ?", [teacher_id, bank_id]
    ).fetchone()
    return Draft(*row) if row else None


def for_teacher(db, teacher_id: int) -> list[Draft]:
    rows = db.execute(
        "SELECT bank_id, source, saved_at FROM bank_drafts WHERE teacher_id = ? ORDER BY saved_at DESC", [teacher_id]
    ).fetchall()
    return [Draft(*row) for row in rows]


def discard(db, teacher_id: int, bank_id: str) -> bool:
    with write(db):
        return (
            db.execute("DELETE FROM bank_drafts WHERE teacher_id = ? AND bank_id = ?", [teacher_id, bank_id]).rowcount
            == 1
        )
