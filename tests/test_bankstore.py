"""Importing banks: atomic, idempotent, and never losing a learner's history."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from quizapp.banks.bankfile import validate_file
from quizapp.banks.store import get_question, import_banks, live_question_ids
from quizapp.core import migrations
from quizapp.core.store import connect
from quizapp.startup import load_banks

from .helpers import DATA, ROOT


@pytest.fixture
def db(tmp_path):
    database = connect(tmp_path / "t.sqlite3")
    migrations.apply(database)
    yield database
    database.conn.close()


def bank(path):
    report = validate_file(path)
    assert report.ok, report.lines()
    return report.bank


def test_first_import_adds_everything(db):
    [result] = import_banks(db, [(bank(DATA / "sample.yaml"), "sample.yaml")])
    assert result.version == 1 and len(result.added) == 8 and not result.changed
    assert db["questions"].count == 7 and db["cards"].count == 1


def test_reimporting_an_unchanged_bank_is_a_no_op(db):
    import_banks(db, [(bank(DATA / "sample.yaml"), "sample.yaml")])
    before = list(db.query("SELECT * FROM questions ORDER BY id"))
    [result] = import_banks(db, [(bank(DATA / "sample.yaml"), "sample.yaml")])
    assert result.unchanged and result.version == 1
    assert list(db.query("SELECT * FROM questions ORDER BY id")) == before


def test_changed_bank_updates_in_place_retires_removed_and_keeps_history(db, tmp_path):
    import_banks(db, [(bank(DATA / "sample.yaml"), "sample.yaml")])
    db.execute("INSERT INTO learners (id, created_at, last_seen_at) VALUES (1, 'x', 'x')")
    db.execute("""INSERT INTO attempts (learner_id, bank_id, question_id, question_version, answer, correct, score,
                  max_score, language, answered_at) VALUES (1, 'sample', 'timeline', 1, '[0,1,2]', 1, 1, 1, 'en', 'x')""")
    edited = (DATA / "sample.yaml").read_text(encoding="utf-8")
    edited = edited.replace("Put these events in order, earliest first.", "Order these events, earliest first.")
    edited = edited.replace(
        "  - id: activist-new-york",
        "  - id: removed-for-now\n    type: true_false\n    answer: false\n"
        "    prompt: p\n    explanation: e\n    source: s\n  - id: activist-new-york",
    )
    start = edited.index("  - id: crimes-covered")
    end = edited.index("  - id: html-prompt")
    edited = edited[:start] + edited[end:]  # crimes-covered is removed from the file
    path = tmp_path / "sample.yaml"
    path.write_text(edited, encoding="utf-8")
    [result] = import_banks(db, [(bank(path), str(path))])
    assert result.version == 2
    assert (
        result.changed == ["timeline"] and result.added == ["removed-for-now"] and result.retired == ["crimes-covered"]
    )
    assert "crimes-covered" not in live_question_ids(db, "sample")
    assert get_question(db, "sample", "crimes-covered")["retired"] is True
    assert get_question(db, "sample", "timeline")["prompt"]["en"] == "Order these events, earliest first."
    assert db.execute("SELECT count(*) FROM attempts WHERE question_id = 'timeline'").fetchone()[0] == 1
    # Putting the question back restores it, history intact.
    [result] = import_banks(db, [(bank(DATA / "sample.yaml"), "sample.yaml")])
    assert "crimes-covered" in result.restored and "crimes-covered" in live_question_ids(db, "sample")


def test_a_bank_with_errors_changes_nothing(db, tmp_path):
    folder = tmp_path / "banks"
    folder.mkdir()
    shutil.copy(DATA / "sample.yaml", folder / "sample.yaml")
    (folder / "broken.yaml").write_text("bank: broken\ntitle: {en: B}\nquestions: []\n", encoding="utf-8")
    results, bad = load_banks(db, [folder])
    assert [r.bank_id for r in results] == ["sample"] and bad[0].path.endswith("broken.yaml")
    assert db.execute("SELECT count(*) FROM banks WHERE id = 'broken'").fetchone()[0] == 0


def test_import_is_all_or_nothing_when_the_transaction_fails(db):
    good = bank(DATA / "sample.yaml")
    evil = bank(DATA / "sample.yaml")
    evil.id = "evil"
    evil.questions = evil.questions + [dict(evil.questions[0], type=None)]  # NOT NULL violation mid-import
    with pytest.raises(sqlite3.IntegrityError):
        import_banks(db, [(good, "a"), (evil, "b")])
    assert db["banks"].count == 0 and db["questions"].count == 0


def test_real_banks_load(db):
    results, bad = load_banks(db, [ROOT / "questions"])
    assert not bad, [line for r in bad for line in r.lines()]
    assert {r.bank_id for r in results} >= {"civil-code", "prosecution-figures", "detentions-2015", "metoo-cases"}
    stored = json.loads(db.execute("SELECT data FROM questions LIMIT 1").fetchone()[0])
    assert set(stored["prompt"]) == {"en", "zh"}


def test_a_bank_imported_before_versions_were_kept_gets_its_file_recorded_once(db):
    import_banks(db, [(bank(DATA / "sample.yaml"), "sample.yaml")])
    db.execute("DELETE FROM bank_versions")  # as a database from before migration m030 would be
    for _ in range(2):
        [result] = import_banks(db, [(bank(DATA / "sample.yaml"), "sample.yaml")])
        assert result.unchanged
    rows = db.execute("SELECT version, origin, source FROM bank_versions").fetchall()
    assert rows == [(1, "disk", (DATA / "sample.yaml").read_text(encoding="utf-8"))]


def test_a_changed_answer_is_reported_and_a_reworded_one_is_not(db):
    import_banks(db, [(bank(DATA / "sample.yaml"), "sample.yaml")])
    text = (DATA / "sample.yaml").read_text(encoding="utf-8")
    reworded = text.replace("In which year did China pass", "In what year did China pass")
    from quizapp.banks.bankfile import validate_bytes

    [result] = import_banks(db, [(validate_bytes(reworded.encode()).bank, "sample.yaml")])
    assert result.changed == ["civil-code-year"] and result.answer_changed == []
    renumbered = reworded.replace("answer: 43000", "answer: 43001")
    [result] = import_banks(db, [(validate_bytes(renumbered.encode()).bank, "sample.yaml")])
    assert result.answer_changed == ["prosecuted-number"]
    changes = json.loads(db.execute("SELECT changes FROM bank_versions WHERE version = 3").fetchone()[0])
    assert changes["answer_changed"] == ["prosecuted-number"]


def test_a_browser_publish_cannot_take_another_teachers_bank_even_past_the_page_check(db):
    from quizapp.banks.store import NotYours

    for n in (1, 2):
        db.execute(f"INSERT INTO learners (id, created_at, last_seen_at) VALUES ({n}, 'x', 'x')")
    import_banks(db, [(bank(DATA / "sample.yaml"), None)], origin="browser", author_id=1)
    text = (DATA / "sample.yaml").read_text(encoding="utf-8").replace("Sample bank", "Taken")
    from quizapp.banks.bankfile import validate_bytes

    with pytest.raises(NotYours):
        import_banks(db, [(validate_bytes(text.encode()).bank, None)], origin="browser", author_id=2)
    assert db.execute("SELECT version, owner_id FROM banks").fetchone() == (1, 1)
    [result] = import_banks(db, [(validate_bytes(text.encode()).bank, None)], origin="browser", author_id=1)
    assert result.version == 2
