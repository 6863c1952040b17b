"""Stored media: one file per content hash in a folder beside the database, one row each in `media`.

No Flask. Files are written before the rows (temp file + rename, so a reader never sees half a
file) and only by an import or an upload that passed every check; `removing_on_failure` deletes the
files a failed transaction wrote and no row names, so a failed import leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from quizapp.core.clock import stamp
from quizapp.core.mediacheck import EXTENSIONS, Checked

NAME_RE = re.compile(rf"([0-9a-f]{{64}})\.({'|'.join(EXTENSIONS)})")


def directory(db) -> Path:
    """`media/` beside the database file (the folder the app already keeps its database in)."""
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file).parent / "media"
    raise RuntimeError("media need a database file (not an in-memory database)")


def path_of(db, file: str) -> Path:
    return directory(db) / file


@contextmanager
def removing_on_failure(db):
    """Collects the files written inside; if the block fails, deletes those no `media` row names
    (after the rollback a row left means another transaction stored the same file)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for file in written:
            sha = file.split(".")[0]
            if not db.execute("SELECT 1 FROM media WHERE sha256 = ?", [sha]).fetchone():
                path_of(db, file).unlink(missing_ok=True)
        raise


def save(db, checked: Checked, written: list[str] | None = None) -> str:
    """Store one checked file (once: the same bytes are the same name) and return its name.
    Call inside a write transaction; `written` collects the files this call created."""
    folder = directory(db)
    target = folder / checked.file
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(checked.data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        if written is not None:
            written.append(checked.file)
    db.execute(
        """INSERT OR IGNORE INTO media (sha256, ext, mime, bytes, width, height, duration, created)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            checked.sha256,
            checked.ext,
            checked.mime,
            len(checked.data),
            checked.width,
            checked.height,
            checked.duration,
            stamp(),
        ],
    )
    return checked.file


def save_version(db, bank_id: str, version: int, media: dict[str, Checked], written: list[str]) -> None:
    """Store a bank version's files and note which path names which file in that version."""
    for path, checked in media.items():
        save(db, checked, written)
        db.execute(
            "INSERT OR REPLACE INTO bank_media (bank_id, version, path, sha256) VALUES (?, ?, ?, ?)",
            [bank_id, version, path, checked.sha256],
        )


def find(db, file: str) -> dict | None:
    """The row of a stored name (`<sha256>.<ext>`), or None for any other name."""
    found = NAME_RE.fullmatch(file or "")
    if not found:
        return None
    row = db.execute(
        "SELECT sha256, ext, mime, bytes FROM media WHERE sha256 = ? AND ext = ?", [found.group(1), found.group(2)]
    ).fetchone()
    return dict(zip(("sha256", "ext", "mime", "bytes"), row, strict=True)) if row else None


def version_files(db, bank_id: str, version: int | None = None) -> dict[str, str]:
    """path -> stored name of a bank version's media (the latest version when none is given)."""
    if version is None:
        row = db.execute("SELECT max(version) FROM bank_versions WHERE bank_id = ?", [bank_id]).fetchone()
        version = row[0] if row else None
        if version is None:
            return {}
    return {
        path: f"{sha}.{ext}"
        for path, sha, ext in db.execute(
            """SELECT b.path, m.sha256, m.ext FROM bank_media b JOIN media m ON m.sha256 = b.sha256
               WHERE b.bank_id = ? AND b.version = ? ORDER BY b.path""",
            [bank_id, version],
        )
    }


def read(db, file: str) -> bytes | None:
    path = path_of(db, file)
    return path.read_bytes() if NAME_RE.fullmatch(file) and path.is_file() else None
