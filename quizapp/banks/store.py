"""Banks in the database: import validated banks atomically, and read them back.

Questions and cards are keyed by (bank id, item id). An edited item is updated in
place; an item missing from the file is retired (hidden, never deleted), so every
learner's history keeps pointing at a row that exists.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.banks import renames as renaming
from quizapp.banks.bankfile import Bank
from quizapp.banks.types import answer_key, derived_cards
from quizapp.core.clock import stamp
from quizapp.core.store import write


@dataclass
class ImportResult:
    """What one bank's import changed; `unchanged` means nothing was written.

    `answer_changed` lists questions whose correct answer differs from the version before:
    past attempts keep the grade they were given, new ones are graded by the new key.
    """

    bank_id: str
    version: int
    unchanged: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    answer_changed: list[str] = field(default_factory=list)
    renamed: list[list[str]] = field(default_factory=list)  # [old id, new id]: history moved (banks/renames.py)

    def changes(self) -> dict:
        return {k: getattr(self, k) for k in ("added", "changed", "retired", "restored", "answer_changed", "renamed")}


class NotYours(PermissionError):
    """A browser publish of a bank id that another teacher made."""


def _hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _compare(db, table: str, bank_id: str, rows: list[dict], result: ImportResult) -> list[tuple[dict, str, dict]]:
    """Sort every item into added / changed / restored / retired on `result` (reading only);
    returns (row, digest, old row or None) for the items to write."""
    existing = {
        r["id"]: r
        for r in db.query(f"SELECT id, content_hash, retired_at, data FROM {table} WHERE bank_id = ?", [bank_id])
    }
    plan = []
    for row in rows:
        digest = _hash(row)
        old = existing.pop(row["id"], None)
        plan.append((row, digest, old))
        if old is None:
            result.added.append(row["id"])
        elif old["content_hash"] != digest:
            result.changed.append(row["id"])
            if table == "questions" and answer_key(json.loads(old["data"])) != answer_key(row):
                result.answer_changed.append(row["id"])
        elif old["retired_at"]:
            result.restored.append(row["id"])
    result.retired.extend(item_id for item_id, old in existing.items() if not old["retired_at"])
    return plan


def _sync(db, table: str, bank_id: str, version: int, rows: list[dict], result: ImportResult, now: str):
    for position, (row, digest, old) in enumerate(_compare(db, table, bank_id, rows, result)):
        record = {
            "bank_id": bank_id,
            "id": row["id"],
            "position": position,
            "topics": json.dumps(row["topics"]),
            "data": json.dumps(row, ensure_ascii=False),
            "content_hash": digest,
            "retired_at": None,
            "updated_at": now,
        }
        if table == "questions":
            record.update(type=row["type"], difficulty=row["difficulty"])
        if old is None:
            db[table].insert({**record, "version": version, "created_at": now})
            continue
        if old["content_hash"] != digest:
            record["version"] = version
        db[table].update((bank_id, row["id"]), record)
    for item_id in result.retired:
        db.execute(
            f"UPDATE {table} SET retired_at = ?, updated_at = ? WHERE bank_id = ? AND id = ? AND retired_at IS NULL",
            [now, now, bank_id, item_id],
        )


def _unlisted_derived(result: ImportResult) -> ImportResult:
    """Leave the cards a question makes (a cloze's blanks, `<id>::c<n>`: no bank id holds a colon) out
    of what an import reports: they come and go with their question, which is listed."""
    for name in ("added", "changed", "retired", "restored"):
        setattr(result, name, [item for item in getattr(result, name) if "::" not in item])
    return result


def preview_changes(db, bank: Bank) -> ImportResult:
    """What publishing this bank would change, without writing anything."""
    row = db.execute("SELECT content_hash, version FROM banks WHERE id = ?", [bank.id]).fetchone()
    result = ImportResult(bank.id, row[1] + 1 if row else 1, unchanged=bool(row and row[0] == bank.content_hash))
    _compare(db, "questions", bank.id, bank.questions, result)
    _compare(db, "cards", bank.id, bank.cards + derived_cards(bank.questions), result)
    return _unlisted_derived(result)


def import_banks(
    db,
    banks: list[tuple[Bank, str | None]],
    origin: str = "disk",
    author_id: int | None = None,
    renames: dict[str, str] | None = None,
) -> list[ImportResult]:
    """Import validated banks in one transaction: all of them land, or none does.

    A file on disk is imported when it differs from the last file imported for that bank, so a
    restart does not undo what a teacher published in the browser; a browser publish is
    imported when it differs from the bank as it is now. Each import that changes something
    is a new version, with its YAML, author and changes kept in bank_versions. `renames` (old id:
    new id) moves learners' history to renamed questions in the same transaction.
    """
    results = []
    now = stamp()
    with write(db):
        for bank, source_path in banks:
            row = db.execute(
                "SELECT content_hash, version, disk_hash, owner_id, orphaned_at FROM banks WHERE id = ?", [bank.id]
            ).fetchone()
            if origin == "browser" and row and (row[3] not in (None, author_id) or row[4]):
                raise NotYours(bank.id)  # checked again under the write lock: a race cannot take a bank
            seen = row and (row[2] or row[0]) if origin == "disk" else row and row[0]
            if row and seen == bank.content_hash:
                results.append(ImportResult(bank.id, row[1], unchanged=True))
                if origin == "disk" and row[0] == bank.content_hash:
                    _keep_first_version(db, bank, row[1], now)
                continue
            version = row[1] + 1 if row else 1
            record = {
                "id": bank.id,
                "title": json.dumps(bank.title, ensure_ascii=False),
                "description": json.dumps(bank.description, ensure_ascii=False) if bank.description else None,
                "content_note": json.dumps(bank.content_note, ensure_ascii=False) if bank.content_note else None,
                "content_hash": bank.content_hash,
                "version": version,
                "topic_labels": json.dumps(bank.topic_labels, ensure_ascii=False),
                "updated_at": now,
            }
            if origin == "disk":
                record.update(source_path=source_path, disk_hash=bank.content_hash)
            if row:
                db["banks"].update(bank.id, record)
            else:
                db["banks"].insert(
                    {**record, "created_at": now, "owner_id": author_id if origin == "browser" else None}
                )
            result = ImportResult(bank.id, version)
            _sync(db, "questions", bank.id, version, bank.questions, result, now)
            # A question's own flashcards (a cloze's blanks) are kept as cards: a blank renamed or removed is retired.
            _sync(db, "cards", bank.id, version, bank.cards + derived_cards(bank.questions), result, now)
            _unlisted_derived(result)
            if renames:  # a browser publish of one bank: old id -> new id, history and all
                renaming.apply(db, bank, renames, result.retired, result.added)
                result.renamed = [[old, new] for old, new in renames.items()]
            db["bank_versions"].insert(
                {
                    "bank_id": bank.id,
                    "version": version,
                    "origin": origin,
                    "source": bank.source,
                    "author_id": author_id,
                    "published_at": now,
                    "changes": json.dumps(result.changes()),
                }
            )
            results.append(result)
    return results


def _keep_first_version(db, bank: Bank, version: int, now: str) -> None:
    """Banks imported before versions were kept get their current file recorded once."""
    if (
        bank.source
        and not db.execute(
            "SELECT 1 FROM bank_versions WHERE bank_id = ? AND version = ?", [bank.id, version]
        ).fetchone()
    ):
        db["bank_versions"].insert(
            {
                "bank_id": bank.id,
                "version": version,
                "origin": "disk",
                "source": bank.source,
                "author_id": None,
                "published_at": now,
                "changes": json.dumps({}),
            }
        )


def versions(db, bank_id: str) -> list[dict]:
    """A bank's versions, newest first, with the author's name (None once their account is gone)."""
    rows = list(
        db.query(
            """SELECT v.bank_id, v.version, v.origin, v.published_at, v.changes, l.username AS author
                            FROM bank_versions v LEFT JOIN learners l ON l.id = v.author_id
                            WHERE v.bank_id = ? ORDER BY v.version DESC""",
            [bank_id],
        )
    )
    for row in rows:
        row["changes"] = json.loads(row["changes"])
    return rows


def version_source(db, bank_id: str, version: int) -> str | None:
    row = db.execute(
        "SELECT source FROM bank_versions WHERE bank_id = ? AND version = ?", [bank_id, version]
    ).fetchone()
    return row[0] if row else None


def latest_source(db, bank_id: str) -> str | None:
    row = db.execute(
        "SELECT source FROM bank_versions WHERE bank_id = ? ORDER BY version DESC LIMIT 1", [bank_id]
    ).fetchone()
    return row[0] if row else None


def editable_source(db, bank: dict) -> str | None:
    """The YAML to edit a bank from: its latest version, or for a disk bank imported before
    versions were kept, its file."""
    source = latest_source(db, bank["id"])
    if source is not None or not bank.get("source_path"):
        return source
    try:
        return Path(bank["source_path"]).read_text(encoding="utf-8-sig")
    except OSError:
        return None


def may_edit(bank: dict | None, teacher_id: int) -> bool:
    """Banks from disk are shared by every teacher; a bank made in the browser is its maker's, and
    nobody's to edit once its maker deleted their account (it stays for its learners' history)."""
    if bank is None or bank.get("orphaned_at"):
        return False
    return bank.get("owner_id") in (None, teacher_id)


def editable_banks(db, teacher_id: int) -> list[dict]:
    return [b for b in list_banks(db) if may_edit(b, teacher_id)]


def _bank_row(row: dict) -> dict:
    for key in ("title", "description", "content_note"):
        row[key] = json.loads(row[key]) if row.get(key) else None
    row["topic_labels"] = json.loads(row["topic_labels"]) if row.get("topic_labels") else {}
    return row


def topic_labels(db) -> dict[str, dict]:
    """Every bank's topic names in one mapping (a topic id means the same across our banks)."""
    labels: dict[str, dict] = {}
    for (raw,) in db.execute("SELECT topic_labels FROM banks WHERE topic_labels IS NOT NULL ORDER BY id"):
        for topic, label in json.loads(raw).items():
            labels.setdefault(topic, label)
    return labels


def list_banks(db) -> list[dict]:
    """Every bank with its count of live questions, for the home page and bank menus."""
    banks = []
    for row in db.query("""
            SELECT b.*, (SELECT count(*) FROM questions q WHERE q.bank_id = b.id AND q.retired_at IS NULL)
                   AS question_count
            FROM banks b ORDER BY b.id"""):
        banks.append(_bank_row(row))
    return banks


# Ids a bank had before it was renamed (core.migrations moved its history): old links still lead to it.
FORMER_IDS = {"metoo-2021": "metoo-cases"}


def get_bank(db, bank_id: str) -> dict | None:
    row = next(db.query("SELECT * FROM banks WHERE id = ?", [bank_id]), None)
    if row is None:
        return None
    row = _bank_row(row)
    row["topics"] = topics(db, bank_id)
    row["question_count"] = db.execute(
        "SELECT count(*) FROM questions WHERE bank_id = ? AND retired_at IS NULL", [bank_id]
    ).fetchone()[0]
    return row


def topics(db, bank_id: str) -> list[tuple[str, int]]:
    """(topic, number of live questions) for a bank, most used first."""
    return [
        (r["topic"], r["n"])
        for r in db.query(
            """
        SELECT j.value AS topic, count(*) AS n FROM questions q, json_each(q.topics) j
        WHERE q.bank_id = ? AND q.retired_at IS NULL GROUP BY j.value ORDER BY n DESC, topic""",
            [bank_id],
        )
    ]


def live_question_ids(db, bank_id: str, topic: str | None = None) -> list[str]:
    if topic:
        sql = """SELECT q.id FROM questions q, json_each(q.topics) j
                 WHERE q.bank_id = ? AND q.retired_at IS NULL AND j.value = ? ORDER BY q.position"""
        return [r[0] for r in db.execute(sql, [bank_id, topic]).fetchall()]
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM questions WHERE bank_id = ? AND retired_at IS NULL ORDER BY position", [bank_id]
        ).fetchall()
    ]


def get_question(db, bank_id: str, question_id: str) -> dict | None:
    """A question's validated data plus its version and retired flag."""
    row = db.execute(
        "SELECT data, version, retired_at FROM questions WHERE bank_id = ? AND id = ?", [bank_id, question_id]
    ).fetchone()
    if row is None:
        return None
    question = json.loads(row[0])
    question.update(bank_id=bank_id, version=row[1], retired=bool(row[2]))
    return question
