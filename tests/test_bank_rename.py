"""The bank once called metoo-2021 is metoo-cases, and everyone's history follows it."""

from __future__ import annotations

from quizapp.banks.bankfile import validate_file
from quizapp.banks.store import import_banks
from quizapp.core import migrations
from quizapp.core.store import connect, write
from quizapp.startup import load_banks

from .helpers import ROOT

OLD, NEW = "metoo-2021", "metoo-cases"
T = "2026-01-01T00:00:00Z"


def old_database(tmp_path):
    """A database from before the rename, holding the bank under its old id and a learner's history."""
    db = connect(str(tmp_path / "old.sqlite3"))
    db.execute("PRAGMA foreign_keys = OFF")
    with write(db):
        migrations.migrations.apply(db, stop_before="m050_bank_metoo_cases")
    db.execute("PRAGMA foreign_keys = ON")
    old_file = tmp_path / "questions" / f"{OLD}.yaml"
    old_file.parent.mkdir()
    old_file.write_text(
        (ROOT / "questions" / f"{NEW}.yaml").read_text(encoding="utf-8").replace(f"bank: {NEW}\n", f"bank: {OLD}\n"),
        encoding="utf-8",
    )
    report = validate_file(old_file)
    assert report.ok, report.lines()
    report.bank.readings = {}  # a bank file from before m066 had none (and its table has no column for them)
    import_banks(db, [(report.bank, str(old_file))])
    question = report.bank.questions[0]["id"]
    with write(db):
        learner = db["learners"].insert({"created_at": T, "last_seen_at": T}).last_pk
        quiz = db["quizzes"].insert({"learner_id": learner, "bank_id": OLD, "created_at": T}).last_pk
        db["quiz_items"].insert(
            {"quiz_id": quiz, "position": 1, "bank_id": OLD, "question_id": question, "choice_order": "[]"}
        )
        attempt = (
            db["attempts"]
            .insert(
                {
                    "learner_id": learner,
                    "bank_id": OLD,
                    "question_id": question,
                    "question_version": 1,
                    "quiz_id": quiz,
                    "quiz_position": 1,
                    "answer": '"x"',
                    "correct": 1,
                    "score": 1,
                    "max_score": 1,
                    "language": "zh-Hans",
                    "answered_at": T,
                }
            )
            .last_pk
        )
        state = {"fsrs": "{}", "state": 2, "due": T, "first_review": T, "reps": 3, "lapses": 0}
        db["card_states"].insert({"learner_id": learner, "bank_id": OLD, "card_id": question, **state})
        db["review_logs"].insert(
            {
                "learner_id": learner,
                "bank_id": OLD,
                "card_id": question,
                "rating": 3,
                "reviewed_at": T,
                "origin": "quiz",
                "state_after": "{}",
                "attempt_id": attempt,
            }
        )
        game = (
            db["live_sessions"]
            .insert(
                {
                    "code": "123456",
                    "host_id": learner,
                    "bank_id": OLD,
                    "scoring": "speed",
                    "text_mode": "both",
                    "created_at": T,
                    "updated_at": T,
                }
            )
            .last_pk
        )
        db["live_questions"].insert(
            {"session_id": game, "position": 1, "bank_id": OLD, "question_id": question, "choice_order": "[]"}
        )
        class_id = (
            db["classes"].insert({"teacher_id": learner, "name": "7B", "code": "ABC123", "created_at": T}).last_pk
        )
        db["assignments"].insert({"class_id": class_id, "bank_id": OLD, "created_at": T})
    return db


def bank_rows(db, bank_id):
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    with_bank = [t for t in tables if any(c[1] == "bank_id" for c in db.execute(f"PRAGMA table_info('{t}')"))]
    return {t: db.execute(f"SELECT count(*) FROM {t} WHERE bank_id = ?", [bank_id]).fetchone()[0] for t in with_bank}


def test_renaming_the_bank_keeps_every_learners_history(tmp_path):
    db = old_database(tmp_path)
    before = bank_rows(db, OLD)
    assert all(before.values()), before  # every table that names a bank has a row to carry over
    migrations.apply(db)
    after = bank_rows(db, NEW)
    assert {t: n for t, n in after.items() if t in before} == before
    assert set(after) - set(before) <= {"bank_drafts", "bank_media"}, "tables made after m050 start empty"
    assert set(bank_rows(db, OLD).values()) == {0}
    assert db.execute("SELECT count(*) FROM banks WHERE id = ?", [OLD]).fetchone()[0] == 0
    source_path, version = db.execute("SELECT source_path, version FROM banks WHERE id = ?", [NEW]).fetchone()
    assert source_path.endswith(f"{NEW}.yaml") and version == 1
    (source,) = db.execute("SELECT source FROM bank_versions WHERE bank_id = ?", [NEW]).fetchone()
    assert f"bank: {NEW}\n" in source and OLD not in source
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_renamed_file_then_loads_onto_the_migrated_bank(tmp_path):
    db = old_database(tmp_path)
    migrations.apply(db)
    load_banks(db, [ROOT / "questions"])
    assert db.execute("SELECT count(*) FROM attempts WHERE bank_id = ?", [NEW]).fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM questions WHERE bank_id = ? AND retired_at IS NULL", [NEW]).fetchone()[0]
    assert db.execute("SELECT count(*) FROM banks WHERE id = ?", [OLD]).fetchone()[0] == 0


def test_a_new_database_has_nothing_to_rename(tmp_path):
    db = connect(str(tmp_path / "new.sqlite3"))
    migrations.apply(db)
    assert db.execute("SELECT count(*) FROM banks").fetchone()[0] == 0


def test_an_old_link_to_the_renamed_bank_leads_to_it(make_app):
    from quizapp.core.paths import resource_dir

    client = make_app(QUESTIONS_DIR=str(resource_dir("questions"))).test_client()
    response = client.get("/banks/metoo-2021")
    assert response.status_code == 301 and response.headers["Location"] == "/banks/metoo-cases"
    assert client.get("/banks/metoo-cases").status_code == 200
    assert client.get("/banks/no-such-bank").status_code == 404


# A question id renamed by a teacher in the browser ----------------------------------------------


def test_renaming_a_question_on_publish_moves_its_learners_history(app, teacher):
    """Before: publishing x in place of y said "Added x / Retired y" and y's history stayed behind,
    hidden; now the teacher is told, and a rename moves attempts, the due card and reviews to x."""
    from datetime import timedelta

    from quizapp.core.clock import now
    from quizapp.learn import flashcards, mastery

    from .helpers import db_of, mine, publish, quiz_question, right_answer, sign_up

    assert publish(teacher, mine()).status_code == 302
    student = app.test_client()
    sign_up(student, username="mei")
    quiz = int(student.post("/banks/mine/quizzes", data={"topic": "", "size": "10"}).location.split("/")[-2])
    question = quiz_question(app, quiz, 1)
    student.get(f"/quizzes/{quiz}/1")
    student.post(f"/quizzes/{quiz}/1", data=right_answer(question))
    old = question["id"]
    db = db_of(app)
    learner = db.execute("SELECT id FROM learners WHERE username = 'mei'").fetchone()[0]
    before = db.execute(
        "SELECT count(*) FROM attempts WHERE question_id = ? AND learner_id = ?", [old, learner]
    ).fetchone()[0]
    assert before == 1

    renamed = mine().replace(f"  - id: {old}\n", "  - id: renamed-question\n", 1)
    preview = teacher.post("/teach/banks/check", data={"source": renamed}).get_data(as_text=True)
    assert "keeps its learners’ answers and reviews" in preview
    assert f'name="rename-{old}" value="renamed-question"' in preview
    assert f"History of {old}: 1 answer and 1 review" in preview

    # A rename onto an id that is not new in this version is refused, and nothing is written.
    refused = publish(teacher, renamed, **{f"rename-{old}": "html-prompt"})
    assert refused.status_code == 422 and "is not a new id in this version" in refused.get_data(as_text=True)
    assert db.execute("SELECT version FROM banks WHERE id = 'mine'").fetchone()[0] == 1

    assert publish(teacher, renamed, **{f"rename-{old}": "renamed-question"}).status_code == 302
    rows = {
        table: db.execute(f"SELECT {column} FROM {table} WHERE learner_id = ?", [learner]).fetchall()
        for table, column in (("attempts", "question_id"), ("card_states", "card_id"), ("review_logs", "card_id"))
    }
    assert rows == {table: [("renamed-question",)] for table in rows}
    retired = "SELECT retired_at IS NOT NULL FROM questions WHERE bank_id = 'mine' AND id = ?"
    assert db.execute(retired, [old]).fetchone()[0] == 1
    due = flashcards.next_card(db, learner, now() + timedelta(days=400), 0, "mine")
    assert due == {"bank_id": "mine", "card_id": "renamed-question", "new": False}, "the due card follows"
    [standing] = mastery.standings(db, [learner], now(), mastery.catalog(db, ["mine"]), ["mine"])
    assert standing.card_id == "renamed-question" and standing.live, "progress counts it on a live question"
    versions = teacher.get("/teach/banks/mine/versions").get_data(as_text=True)
    assert f"<code>{old}</code> → <code>renamed-question</code>" in versions


def test_a_rename_onto_an_id_with_history_is_refused(app, teacher):
    from quizapp.banks import renames
    from quizapp.banks.bankfile import validate_bytes
    from quizapp.core.messages import UserError

    from .helpers import db_of, mine, publish, quiz_question, right_answer, sign_up

    publish(teacher, mine())
    student = app.test_client()
    sign_up(student, username="mei")
    quiz = int(student.post("/banks/mine/quizzes", data={"topic": "", "size": "10"}).location.split("/")[-2])
    for position in (1, 2):
        question = quiz_question(app, quiz, position)
        student.get(f"/quizzes/{quiz}/{position}")
        student.post(f"/quizzes/{quiz}/{position}", data=right_answer(question))
    first, second = quiz_question(app, quiz, 1)["id"], quiz_question(app, quiz, 2)["id"]
    db = db_of(app)
    bank = validate_bytes(mine().encode()).bank
    try:
        renames.check(db, bank, {first: second}, [first], [second])
    except UserError as exc:
        assert "already has learners' history" in str(exc)
    else:
        raise AssertionError("a rename onto an id with history must be refused")
