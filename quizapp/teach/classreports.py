"""What a teacher reads about a class: each student per assigned bank, and each question's
statistics split by the language it was shown in. Reads only; no Flask."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from quizapp.banks.types import kind_of
from quizapp.learn import mastery
from quizapp.teach.itemstats import Response, question_stats


def student_rows(db, class_id: int, now: datetime) -> list[dict]:
    """One row per student and assigned bank: answers, accuracy, cards learned, mastery, last active.

    Mastery is learn.mastery's, the figure the student's own progress page shows.
    """
    students = list(
        db.query(
            """SELECT l.id, l.username, l.last_seen_at FROM class_members m
                                JOIN learners l ON l.id = m.learner_id WHERE m.class_id = ? ORDER BY l.username""",
            [class_id],
        )
    )
    banks = list(
        db.query(
            """SELECT a.bank_id, b.title FROM assignments a JOIN banks b ON b.id = a.bank_id WHERE a.class_id = ?
                             ORDER BY a.due_on IS NULL, a.due_on, a.bank_id""",
            [class_id],
        )
    )
    answers = defaultdict(lambda: [0, 0])
    for learner_id, bank_id, count, correct in db.execute(
        """
            SELECT t.learner_id, t.bank_id, count(*), sum(t.correct) FROM class_members m
            CROSS JOIN attempts t ON t.learner_id = m.learner_id WHERE m.class_id = ?
            GROUP BY t.learner_id, t.bank_id""",
        [class_id],
    ):
        answers[(learner_id, bank_id)] = [count, correct]
    standing = mastery.by_bank(db, [s["id"] for s in students], [b["bank_id"] for b in banks], now)
    rows = []
    for student in students:
        for bank in banks:
            answered, correct = answers[(student["id"], bank["bank_id"])]
            cards = standing[(student["id"], bank["bank_id"])]
            rows.append(
                {
                    "learner_id": student["id"],
                    "username": student["username"],
                    "bank_id": bank["bank_id"],
                    "title": json.loads(bank["title"]),
                    "answered": answered,
                    "accuracy": correct / answered if answered else None,
                    "learned": cards.learned,
                    "mastery": cards.share,
                    "last_active": student["last_seen_at"],
                }
            )
    return rows


@dataclass(frozen=True)
class TypedAnswer:
    """A typed answer marked wrong, with every spelling the grader treats alike: the most common
    spelling, how many attempts gave one of them, and the language most were shown in."""

    text: str
    count: int
    language: str


def typed_wrong(wrong: list[tuple[str, str, str]]) -> list[TypedAnswer]:
    """Group (grader's key, spelling, language shown) of wrong attempts, most frequent first."""
    groups: dict[str, tuple[Counter, Counter]] = defaultdict(lambda: (Counter(), Counter()))
    for key, text, language in wrong:
        spellings, languages = groups[key]
        spellings[text] += 1
        languages[language] += 1
    typed = [
        TypedAnswer(spellings.most_common(1)[0][0], spellings.total(), languages.most_common(1)[0][0])
        for spellings, languages in groups.values()
    ]
    return sorted(typed, key=lambda t: (-t.count, t.text))


def describe_answer(question: dict, answer, lang: str, gettext) -> str:
    """A stored answer as a teacher reads it, in one language (choices by their text, not index);
    the question's type says how, `gettext` translates its words (True, False)."""
    return kind_of(question).describe(question, answer, lang, gettext)


def question_report(db, class_id: int, bank_id: str, lang: str, gettext) -> list[dict]:
    """Every live question of the bank that class members answered, most-missed first, with its
    prompt, the statistics of itemstats (overall and per language shown) and, for typed answers,
    every wrong one the class gave (all attempts, not only first ones: each is one a teacher may accept)."""
    questions = {
        r["id"]: json.loads(r["data"])
        for r in db.query("SELECT id, data FROM questions WHERE bank_id = ? AND retired_at IS NULL", [bank_id])
    }
    responses = []
    wrong = defaultdict(list)  # question id -> (grader's key, spelling, language) of every wrong typed answer
    # CROSS JOIN keeps SQLite walking the class's members first, then each one's attempts by index:
    # the other way round reads every learner's answers to the bank.
    for row in db.query(
        """SELECT t.* FROM class_members m CROSS JOIN attempts t ON t.learner_id = m.learner_id
                           WHERE m.class_id = ? AND +t.bank_id = ? ORDER BY t.answered_at, t.id""",
        [class_id, bank_id],
    ):
        question = questions.get(row["question_id"])
        if question is None:
            continue
        given = json.loads(row["answer"])
        described = describe_answer(question, given, lang, gettext)
        if not row["correct"]:
            for key, text in kind_of(question).wrong_typed(question, given, described):
                wrong[row["question_id"]].append((key, text, row["language"]))
        responses.append(
            Response(
                row["learner_id"],
                row["question_id"],
                row["score"],
                row["max_score"],
                bool(row["correct"]),
                row["language"],
                described,
                row["answered_at"],
            )
        )
    return [
        {
            "question_id": s.question_id,
            "prompt": questions[s.question_id]["prompt"],
            "type": questions[s.question_id]["type"],
            "overall": s.overall,
            "by_language": s.by_language,
            "typed_wrong": typed_wrong(wrong[s.question_id]),
            "accepts_typed": kind_of(questions[s.question_id]).accepts_typed,
        }
        for s in question_stats(responses)
    ]
