"""Schema changes, one function each; applied ones are recorded, so `apply` runs safely on every start.

Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import re

from sqlite_utils.migrations import Migrations

from quizapp.core.store import write

migrations = Migrations("quizapp")


def _run(db, *statements: str) -> None:
    # db.executescript would COMMIT the migration's transaction half-way; run one by one.
    for statement in statements:
        db.execute(statement)


@migrations()
def m001_initial(db):
    _run(
        db,
        """CREATE TABLE banks (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT,
            content_note TEXT,
            content_hash TEXT NOT NULL,
            version INTEGER NOT NULL,
            source_path TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        # Questions and cards are keyed by (bank, id): wording may change, history stays.
        """CREATE TABLE questions (
            bank_id TEXT NOT NULL REFERENCES banks(id),
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            type TEXT NOT NULL,
            topics TEXT NOT NULL,
            difficulty INTEGER NOT NULL,
            data TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            version INTEGER NOT NULL,
            retired_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (bank_id, id)
        )""",
        """CREATE TABLE cards (
            bank_id TEXT NOT NULL REFERENCES banks(id),
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            topics TEXT NOT NULL,
            data TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            version INTEGER NOT NULL,
            retired_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (bank_id, id)
        )""",
        """CREATE TABLE learners (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        )""",
        """CREATE TABLE quizzes (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            bank_id TEXT NOT NULL REFERENCES banks(id),
            topic TEXT,
            retry_of INTEGER REFERENCES quizzes(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL
        )""",
        # The order of questions and of their choices is fixed when the quiz is made,
        # so a reload or a resubmitted form sees the same page.
        """CREATE TABLE quiz_items (
            quiz_id INTEGER NOT NULL REFERENCES quizzes(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            bank_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            choice_order TEXT NOT NULL,
            shown_at TEXT,
            PRIMARY KEY (quiz_id, position),
            FOREIGN KEY (bank_id, question_id) REFERENCES questions(bank_id, id)
        )""",
        # One row per answer. UNIQUE(quiz_id, quiz_position) makes a resubmitted form
        # a no-op instead of a second answer.
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            bank_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            question_version INTEGER NOT NULL,
            quiz_id INTEGER REFERENCES quizzes(id) ON DELETE CASCADE,
            quiz_position INTEGER,
            answer TEXT NOT NULL,
            correct INTEGER NOT NULL,
            score REAL NOT NULL,
            max_score REAL NOT NULL,
            language TEXT NOT NULL,
            time_ms INTEGER,
            answered_at TEXT NOT NULL,
            FOREIGN KEY (bank_id, question_id) REFERENCES questions(bank_id, id),
            UNIQUE (quiz_id, quiz_position)
        )""",
        "CREATE INDEX attempts_by_learner ON attempts(learner_id, answered_at)",
        "CREATE INDEX attempts_by_question ON attempts(bank_id, question_id)",
        "CREATE INDEX quizzes_by_learner ON quizzes(learner_id, created_at)",
    )


@migrations()
def m002_accounts(db):
    """A learner becomes an account by gaining a username: the same id, so nothing has to move."""
    _run(
        db,
        "ALTER TABLE learners ADD COLUMN username TEXT",
        "ALTER TABLE learners ADD COLUMN password_hash TEXT",
        "ALTER TABLE learners ADD COLUMN role TEXT NOT NULL DEFAULT 'student'",
        "ALTER TABLE learners ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC'",
        "ALTER TABLE learners ADD COLUMN desired_retention REAL NOT NULL DEFAULT 0.9",
        "ALTER TABLE learners ADD COLUMN new_cards_per_day INTEGER NOT NULL DEFAULT 20",
        "ALTER TABLE learners ADD COLUMN locale TEXT",
        "ALTER TABLE learners ADD COLUMN text_mode TEXT",
        "ALTER TABLE learners ADD COLUMN card_front TEXT",
        "ALTER TABLE learners ADD COLUMN card_back TEXT",
        "CREATE UNIQUE INDEX learners_by_username ON learners(username COLLATE NOCASE) WHERE username IS NOT NULL",
    )


@migrations()
def m003_flashcards(db):
    """FSRS state per learner and card, and one log row per review."""
    _run(
        db,
        # card_id is a question id or a card id: both are unique within a bank.
        """CREATE TABLE card_states (
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            bank_id TEXT NOT NULL REFERENCES banks(id),
            card_id TEXT NOT NULL,
            fsrs TEXT NOT NULL,
            state INTEGER NOT NULL,
            due TEXT NOT NULL,
            stability REAL,
            difficulty REAL,
            last_review TEXT,
            first_review TEXT NOT NULL,
            reps INTEGER NOT NULL,
            lapses INTEGER NOT NULL,
            PRIMARY KEY (learner_id, bank_id, card_id)
        )""",
        "CREATE INDEX card_states_by_due ON card_states(learner_id, due)",
        "CREATE INDEX card_states_by_first_review ON card_states(learner_id, first_review)",
        """CREATE TABLE review_logs (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            bank_id TEXT NOT NULL,
            card_id TEXT NOT NULL,
            rating INTEGER NOT NULL,
            duration_ms INTEGER,
            reviewed_at TEXT NOT NULL,
            origin TEXT NOT NULL,
            state_before TEXT,
            state_after TEXT NOT NULL,
            attempt_id INTEGER UNIQUE REFERENCES attempts(id) ON DELETE CASCADE
        )""",
        "CREATE INDEX review_logs_by_learner ON review_logs(learner_id, reviewed_at)",
    )


@migrations()
def m004_rate_limits(db):
    """Counters shared by every worker: a limit in one process would not stop a guesser."""
    _run(
        db,
        """CREATE TABLE rate_limits (
        key TEXT PRIMARY KEY,
        window INTEGER NOT NULL,
        count INTEGER NOT NULL
    )""",
    )


@migrations()
def m005_topic_labels(db):
    """Optional bilingual names for a bank's topic ids, shown instead of the bare ids."""
    _run(db, "ALTER TABLE banks ADD COLUMN topic_labels TEXT")


@migrations()
def m020_live_sessions(db):
    """Live classroom games. Everything a game is lives here, not in a server process, so any
    worker can serve any player and a restarted server resumes where it was."""
    _run(
        db,
        # `version` changes whenever every screen must change (a question opens or closes);
        # `lobby_version` when only the projector's must (players arrive, are renamed, ...).
        """CREATE TABLE live_sessions (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL,
            host_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            bank_id TEXT NOT NULL REFERENCES banks(id),
            topic TEXT,
            timer_s INTEGER,
            reading_s INTEGER NOT NULL DEFAULT 0,
            scoring TEXT NOT NULL,
            text_mode TEXT NOT NULL,
            phase TEXT NOT NULL DEFAULT 'lobby',
            position INTEGER NOT NULL DEFAULT 0,
            version INTEGER NOT NULL DEFAULT 1,
            lobby_version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            ended_at TEXT
        )""",
        # A join code is unique among the games that are still going, and free again after.
        "CREATE UNIQUE INDEX live_sessions_active_code ON live_sessions(code) WHERE ended_at IS NULL",
        "CREATE INDEX live_sessions_by_host ON live_sessions(host_id, created_at)",
        # The questions of a game in their order, each with its own server-side clock.
        """CREATE TABLE live_questions (
            session_id INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            bank_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            choice_order TEXT NOT NULL,
            opened_at TEXT,
            closes_at TEXT,
            closed_at TEXT,
            PRIMARY KEY (session_id, position),
            FOREIGN KEY (bank_id, question_id) REFERENCES questions(bank_id, id)
        )""",
        # The token is the player's secret: it is in their link and cookie, and brings them back.
        """CREATE TABLE live_players (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            token TEXT NOT NULL UNIQUE,
            nickname TEXT NOT NULL,
            learner_id INTEGER REFERENCES learners(id) ON DELETE SET NULL,
            language TEXT NOT NULL DEFAULT 'en',
            joined_at TEXT NOT NULL,
            removed_at TEXT
        )""",
        "CREATE UNIQUE INDEX live_players_nickname ON live_players(session_id, nickname COLLATE NOCASE) "
        "WHERE removed_at IS NULL",
        "CREATE INDEX live_players_by_learner ON live_players(learner_id)",
        # UNIQUE(player_id, position): a double tap or a retried request is not a second answer.
        """CREATE TABLE live_answers (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
            player_id INTEGER NOT NULL REFERENCES live_players(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            answer TEXT NOT NULL,
            score REAL NOT NULL,
            correct INTEGER NOT NULL,
            points INTEGER NOT NULL,
            elapsed_ms INTEGER NOT NULL,
            answered_at TEXT NOT NULL,
            attempt_id INTEGER REFERENCES attempts(id) ON DELETE SET NULL,
            UNIQUE (player_id, position)
        )""",
        "CREATE INDEX live_answers_by_question ON live_answers(session_id, position)",
    )


@migrations()
def m030_teachers(db):
    """Teachers: invitations, published bank versions, classes and their assignments."""
    _run(
        db,
        # A bank made in the browser belongs to its teacher; banks from disk (owner NULL) are
        # shared by every teacher. disk_hash is the last file content imported, so a restart
        # does not undo a browser edit unless the file itself changed.
        "ALTER TABLE banks ADD COLUMN owner_id INTEGER REFERENCES learners(id) ON DELETE SET NULL",
        "ALTER TABLE banks ADD COLUMN disk_hash TEXT",
        "UPDATE banks SET disk_hash = content_hash WHERE source_path IS NOT NULL",
        # Every publish or changed import: the YAML as written, who, when, and what changed.
        """CREATE TABLE bank_versions (
            bank_id TEXT NOT NULL REFERENCES banks(id),
            version INTEGER NOT NULL,
            origin TEXT NOT NULL,
            source TEXT NOT NULL,
            author_id INTEGER REFERENCES learners(id) ON DELETE SET NULL,
            published_at TEXT NOT NULL,
            changes TEXT NOT NULL,
            PRIMARY KEY (bank_id, version)
        )""",
        # Only a hash of the token is kept: a copied database cannot be used to become a teacher.
        """CREATE TABLE teacher_invites (
            token_hash TEXT PRIMARY KEY,
            created_by INTEGER REFERENCES learners(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            used_by INTEGER REFERENCES learners(id) ON DELETE SET NULL
        )""",
        """CREATE TABLE classes (
            id INTEGER PRIMARY KEY,
            teacher_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            code TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX classes_by_teacher ON classes(teacher_id)",
        """CREATE TABLE class_members (
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            joined_at TEXT NOT NULL,
            PRIMARY KEY (class_id, learner_id)
        )""",
        "CREATE INDEX class_members_by_learner ON class_members(learner_id)",
        """CREATE TABLE assignments (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            bank_id TEXT NOT NULL REFERENCES banks(id),
            due_on TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (class_id, bank_id)
        )""",
    )


@migrations()
def m035_sessions(db):
    """Sessions the server can revoke, and learner ids that are never handed out twice.

    A cookie used to carry only a learner id, and a plain INTEGER PRIMARY KEY gives a freed
    highest id to the next learner: a kept cookie became the next account. AUTOINCREMENT never
    reuses an id; the table is rebuilt (SQLite's documented way to change a column) with every
    row and id kept, and `apply` turns foreign keys off for the rebuild so the drop cascades
    nowhere. The cookie now carries a random session token whose hash is kept here.
    """
    old = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'learners'").fetchone()[0]
    if "AUTOINCREMENT" not in old.upper():
        new = re.sub(r"id INTEGER PRIMARY KEY", "id INTEGER PRIMARY KEY AUTOINCREMENT", old, count=1)
        indexes = [
            row[0]
            for row in db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'learners' AND sql IS NOT NULL"
            )
        ]
        _run(
            db,
            new.replace("CREATE TABLE learners", "CREATE TABLE learners_rebuilt", 1),
            "INSERT INTO learners_rebuilt SELECT * FROM learners",
            "DROP TABLE learners",
            "ALTER TABLE learners_rebuilt RENAME TO learners",
            *indexes,
        )
    # A database with no learner yet has no sequence row; give it one so the next id is known.
    if not db.execute("SELECT 1 FROM sqlite_sequence WHERE name = 'learners'").fetchone():
        db.execute("INSERT INTO sqlite_sequence (name, seq) SELECT 'learners', coalesce(max(id), 0) FROM learners")
    _run(
        db,
        # Only a hash of the token is kept: a copy of the database signs nobody in.
        """CREATE TABLE auth_sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            token_hash TEXT NOT NULL UNIQUE,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            claim_learner_id INTEGER REFERENCES learners(id) ON DELETE SET NULL,
            live_players TEXT NOT NULL DEFAULT '[]'
        )""",
        "CREATE INDEX auth_sessions_by_learner ON auth_sessions(learner_id)",
        # A browser bank whose teacher deleted their account is kept for its learners' history,
        # but nobody may edit it (it must not become every teacher's).
        "ALTER TABLE banks ADD COLUMN orphaned_at TEXT",
        # Counters of different window sizes are swept apart (see ratelimit.hit); old rows had none.
        "ALTER TABLE rate_limits ADD COLUMN window_s INTEGER NOT NULL DEFAULT 0",
    )


def apply(db) -> None:
    """Apply pending migrations under one write lock, so several workers starting at once
    do not race to create the same table."""
    # Foreign keys off (outside the transaction, where SQLite allows it) so that a table rebuilt
    # by a migration cascades nothing when its old copy is dropped; checked before committing.
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with write(db):
            migrations.apply(db)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


@migrations()
def m040_live_lobby(db):
    """Live games a host can lock, and the networks that recently let a player in.

    A locked game takes no new players (those already in keep playing). A network (a client
    address) where a player joined a game, or a teacher opened a projector, within the last hours
    keeps joining when the site-wide budget of wrong join codes is spent; a stranger's address
    does not, so guessing codes from many addresses cannot find a game.
    """
    _run(
        db,
        "ALTER TABLE live_sessions ADD COLUMN locked_at TEXT",
        """CREATE TABLE live_join_networks (
            address TEXT PRIMARY KEY,
            seen_at TEXT NOT NULL
        )""",
    )


@migrations()
def m045_username_keys(db):
    """A key per username that no two accounts share: the name as it looks (textsafety.username_key),
    so `Teach1`, `teachl` and `tеach1` with a Cyrillic е cannot sit beside `teach1`.

    Accounts made before keep their names: the oldest holder of a key gets it, a later look-alike
    keeps none (NULLs do not clash in a UNIQUE index), and sign-up refuses new ones either way.
    """
    from quizapp.core.textsafety import username_key

    db.execute("ALTER TABLE learners ADD COLUMN username_key TEXT")
    seen = set()
    for learner_id, username in db.execute(
        "SELECT id, username FROM learners WHERE username IS NOT NULL ORDER BY id"
    ).fetchall():
        key = username_key(username)
        if key not in seen:
            seen.add(key)
            db.execute("UPDATE learners SET username_key = ? WHERE id = ?", [key, learner_id])
    db.execute("CREATE UNIQUE INDEX learners_by_username_key ON learners(username_key)")


@migrations()
def m050_bank_metoo_cases(db):
    """The bank `metoo-2021` becomes `metoo-cases`: the article never states a year, and the id is
    in students' URLs. Every row that names the bank follows it (attempts, card states, reviews,
    quizzes, live games, versions, assignments), so nobody's history is lost; the file is renamed
    to match, and an empty database has nothing to rename.
    """
    old, new = "metoo-2021", "metoo-cases"
    if not db.execute("SELECT 1 FROM banks WHERE id = ?", [old]).fetchone():
        return
    if db.execute("SELECT 1 FROM banks WHERE id = ?", [new]).fetchone():
        raise RuntimeError(f"cannot rename bank {old} to {new}: {new} already exists")
    db.execute("UPDATE banks SET id = ? WHERE id = ?", [new, old])
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    for table in tables:
        if any(column[1] == "bank_id" for column in db.execute(f"PRAGMA table_info('{table}')").fetchall()):
            db.execute(f"UPDATE {table} SET bank_id = ? WHERE bank_id = ?", [new, old])
    db.execute(
        "UPDATE banks SET source_path = substr(source_path, 1, length(source_path) - length(?)) || ? "
        "WHERE id = ? AND source_path LIKE ?",
        [f"{old}.yaml", f"{new}.yaml", new, f"%{old}.yaml"],
    )
    # A version's YAML is what "restore" publishes again: it must name the bank by its new id.
    for version, source in db.execute(
        "SELECT version, source FROM bank_versions WHERE bank_id = ? AND source IS NOT NULL", [new]
    ).fetchall():
        renamed = re.sub(rf"^bank:[ \t]*([\"']?){old}\1[ \t]*$", f"bank: {new}", source, flags=re.MULTILINE)
        if renamed != source:
            db.execute("UPDATE bank_versions SET source = ? WHERE bank_id = ? AND version = ?", [renamed, new, version])


@migrations()
def m061_bank_drafts(db):
    """A teacher's unpublished bank text, kept on the server per teacher and bank id: a language
    switch, a sign-in or any other page must never lose it (it is saved on every check, shown again
    by the editor, and dropped on publish or when the teacher discards it)."""
    db.execute(
        """CREATE TABLE bank_drafts (
            teacher_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            bank_id TEXT NOT NULL,
            source TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            PRIMARY KEY (teacher_id, bank_id)
        )"""
    )


@migrations()
def m062_password_reset(db):
    """A temporary password set by a teacher or an operator must be replaced at the next sign-in."""
    db.execute("ALTER TABLE learners ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0")


@migrations()
def m063_live_archived(db):
    """A teacher's ended live games can be archived: kept (and exportable) but off their list."""
    _run(db, "ALTER TABLE live_sessions ADD COLUMN archived_at TEXT")


@migrations()
def m064_media(db):
    """Pictures and sound clips of banks, stored once by the SHA-256 of their stored (cleaned) bytes in
    a folder beside the database; which file each bank version names under which path (so a version
    keeps its media, its zip download has them, and nothing a version names is ever deleted); and
    each teacher's uploads by the name their banks write (`media/<name>`)."""
    _run(
        db,
        """CREATE TABLE media (
            sha256 TEXT PRIMARY KEY,
            ext TEXT NOT NULL,
            mime TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            width INTEGER,
            height INTEGER,
            duration REAL,
            created TEXT NOT NULL
        )""",
        """CREATE TABLE bank_media (
            bank_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES media(sha256),
            PRIMARY KEY (bank_id, version, path)
        )""",
        "CREATE INDEX bank_media_sha256 ON bank_media(sha256)",
        """CREATE TABLE media_uploads (
            owner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES media(sha256),
            created TEXT NOT NULL,
            PRIMARY KEY (owner_id, name)
        )""",
    )


@migrations()
def m065_autoplay_front(db):
    """A learner may have a flashcard's front read aloud as the card opens (off unless they ask)."""
    _run(db, "ALTER TABLE learners ADD COLUMN autoplay_front INTEGER NOT NULL DEFAULT 0")


@migrations()
def m066_readings(db):
    """Pinyin or zhuyin over Chinese text: each learner's choice (reading_aid: NULL means off), and
    each bank's corrections of the readings pypinyin gets wrong (`readings:` in its YAML, as JSON)."""
    _run(db, "ALTER TABLE learners ADD COLUMN reading_aid TEXT", "ALTER TABLE banks ADD COLUMN readings TEXT")


@migrations()
def m067_review_per_card_of_an_attempt(db):
    """One quiz answer may review several flashcards: a cloze question's blanks are cards of their own,
    each reviewed by its own mark. review_logs.attempt_id was UNIQUE (one review per answer, so a
    replayed answer is never counted twice); it becomes unique per (attempt, card), which keeps that
    guarantee card by card. The table is rebuilt, SQLite's documented way to change a constraint,
    with every row and id kept."""
    old = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'review_logs'").fetchone()[0]
    new = re.sub(r"attempt_id INTEGER UNIQUE", "attempt_id INTEGER", old, count=1)
    new = new.rstrip().rstrip(")").rstrip() + ",\n            UNIQUE (attempt_id, card_id)\n        )"
    indexes = [
        row[0]
        for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_logs' AND sql IS NOT NULL"
        )
    ]
    _run(
        db,
        new.replace("CREATE TABLE review_logs", "CREATE TABLE review_logs_rebuilt", 1),
        "INSERT INTO review_logs_rebuilt SELECT * FROM review_logs",
        "DROP TABLE review_logs",
        "ALTER TABLE review_logs_rebuilt RENAME TO review_logs",
        *indexes,
    )
