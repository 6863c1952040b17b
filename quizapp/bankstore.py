"""Banks in the database: import validated banks atomically, and read them back.

Questions and cards are keyed by (bank id, item id). An edited item is updated in
place; an item missing from the file is retired (hidden, never deleted), so every
learner's history keeps pointing at a row that exists.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from .banks import Bank
from .clock import stamp
from .store import write


@dataclass
class ImportResult:
    """What one bank's import changed; `unchanged` means nothing was written."""

    bank_id: str
    version: int
    unchanged: bool = False
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)


def _hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _sync(db, table: str, bank_id: str, version: int, rows: list[dict], result: ImportResult, now: str):
    existing = {r["id"]: r for r in db.query(
        f"SELECT id, content_hash, retired_at FROM {table} WHERE bank_id = ?", [bank_id])}
    for position, row in enumerate(rows):
        digest = _hash(row)
        old = existing.pop(row["id"], None)
        record = {"bank_id": bank_id, "id": row["id"], "position": position, "topics": json.dumps(row["topics"]),
                  "data": json.dumps(row, ensure_ascii=False), "content_hash": digest, "retired_at": None,
                  "updated_at": now}
        if table == "questions":
            record.update(type=row["type"], difficulty=row["difficulty"])
        if old is None:
            db[table].insert({**record, "version": version, "created_at": now})
            result.added.append(row["id"])
            continue
        if old["content_hash"] != digest:
            record["version"] = version
            result.changed.append(row["id"])
        elif old["retired_at"]:
            result.restored.append(row["id"])
        db[table].update((bank_id, row["id"]), record)
    for item_id, old in existing.items():
        if not old["retired_at"]:
            db[table].update((bank_id, item_id), {"retired_at": now, "updated_at": now})
            result.retired.append(item_id)


def import_banks(db, banks: list[tuple[Bank, str]]) -> list[ImportResult]:
    """Import validated banks in one transaction: all of them land, or none does."""
    results = []
    now = stamp()
    with write(db):
        for bank, source_path in banks:
            row = db.execute("SELECT content_hash, version FROM banks WHERE id = ?", [bank.id]).fetchone()
            if row and row[0] == bank.content_hash:
                results.append(ImportResult(bank.id, row[1], unchanged=True))
                continue
            version = row[1] + 1 if row else 1
            record = {"id": bank.id, "title": json.dumps(bank.title, ensure_ascii=False),
                      "description": json.dumps(bank.description, ensure_ascii=False) if bank.description else None,
                      "content_note": json.dumps(bank.content_note, ensure_ascii=False) if bank.content_note else None,
                      "content_hash": bank.content_hash, "version": version, "source_path": source_path,
                      "topic_labels": json.dumps(bank.topic_labels, ensure_ascii=False),
                      "updated_at": now}
            if row:
                db["banks"].update(bank.id, record)
            else:
                db["banks"].insert({**record, "created_at": now})
            result = ImportResult(bank.id, version)
            _sync(db, "questions", bank.id, version, bank.questions, result, now)
            _sync(db, "cards", bank.id, version, bank.cards, result, now)
            results.append(result)
    return results


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


def get_bank(db, bank_id: str) -> dict | None:
    row = next(db.query("SELECT * FROM banks WHERE id = ?", [bank_id]), None)
    if row is None:
        return None
    row = _bank_row(row)
    row["topics"] = topics(db, bank_id)
    row["question_count"] = db.execute(
        "SELECT count(*) FROM questions WHERE bank_id = ? AND retired_at IS NULL", [bank_id]).fetchone()[0]
    return row


def topics(db, bank_id: str) -> list[tuple[str, int]]:
    """(topic, number of live questions) for a bank, most used first."""
    return [(r["topic"], r["n"]) for r in db.query("""
        SELECT j.value AS topic, count(*) AS n FROM questions q, json_each(q.topics) j
        WHERE q.bank_id = ? AND q.retired_at IS NULL GROUP BY j.value ORDER BY n DESC, topic""", [bank_id])]


def live_question_ids(db, bank_id: str, topic: str | None = None) -> list[str]:
    if topic:
        sql = """SELECT q.id FROM questions q, json_each(q.topics) j
                 WHERE q.bank_id = ? AND q.retired_at IS NULL AND j.value = ? ORDER BY q.position"""
        return [r[0] for r in db.execute(sql, [bank_id, topic]).fetchall()]
    return [r[0] for r in db.execute(
        "SELECT id FROM questions WHERE bank_id = ? AND retired_at IS NULL ORDER BY position", [bank_id]).fetchall()]


def get_question(db, bank_id: str, question_id: str) -> dict | None:
    """A question's validated data plus its version and retired flag."""
    row = db.execute("SELECT data, version, retired_at FROM questions WHERE bank_id = ? AND id = ?",
                     [bank_id, question_id]).fetchone()
    if row is None:
        return None
    question = json.loads(row[0])
    question.update(bank_id=bank_id, version=row[1], retired=bool(row[2]))
    return question
