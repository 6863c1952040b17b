"""Stored media: one file per content hash in a folder beside the database, one row each in `media`.

No Flask. Files are written before the rows (temp file + rename, so a reader never sees half a
file) and only by an import or an upload that passed every check; `removing_on_failure` deletes the
files a failed transaction wrote and no row names, so a failed import leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

from quizapp.banks.media import MediaSource, clean_path
from quizapp.core.clock import stamp
from quizapp.core.mediacheck import EXTENSIONS, Checked, MediaError
from quizapp.core.messages import N_
from quizapp.core.store import write

NAME_RE = re.compile(rf"([0-9a-f]{{64}})\.({'|'.join(EXTENSIONS)})")
UPLOAD_NAME_RE = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
STORE_DIR = "stored-media"
MAX_UPLOADS = 500  # per teacher: each is kept while any of their banks may name it


def directory(db) -> Path:
    """`stored-media/` beside the database file (the folder the app already keeps its database in).
    Not `media/`: that is what a bank's own folder of pictures is called, and the two must never mix."""
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file).parent / STORE_DIR
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


def stored(db, sha256: str) -> Checked | None:
    """A stored file as the Checked it was when stored (its bytes read back from the folder)."""
    row = db.execute("SELECT ext, mime, width, height, duration FROM media WHERE sha256 = ?", [sha256]).fetchone()
    if row is None:
        return None
    data = read(db, f"{sha256}.{row[0]}")
    if data is None:
        return None
    return Checked(data, row[0], row[1], width=row[2], height=row[3], duration=row[4])


class Known(MediaSource):
    """Another source whose files, when they are byte for byte a file stored already (a zip this app
    made, a re-import), are taken as stored rather than re-encoded (a JPEG would change each time)."""

    def __init__(self, db, source: MediaSource):
        self.db, self.source = db, source

    def read(self, path: str, bank_id: str | None = None) -> bytes | Checked:
        found = self.source.read(path, bank_id)
        if isinstance(found, bytes):
            return stored(self.db, hashlib.sha256(found).hexdigest()) or found
        return found


def upload_name(filename: str, ext: str) -> str:
    """The path a teacher's bank writes for an upload, `media/<name>`: the file's own name in
    lowercase letters, digits and hyphens, with the ending of what the content really is."""
    stem = Path(filename or "").name.rsplit(".", 1)[0].lower()
    stem = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60].strip("-") or "file"
    return f"media/{stem}.{ext}"


def keep_upload(db, owner_id: int, name: str, checked: Checked) -> str:
    """Keep a teacher's checked file under the path their banks write for it (upload_name, or the
    path a zip's bank names); the same path with other content is refused (their banks may already
    name the first), the same file again is fine."""
    name = str(clean_path(name))
    with removing_on_failure(db) as written, write(db):
        row = db.execute(
            "SELECT sha256 FROM media_uploads WHERE owner_id = ? AND name = ?", [owner_id, name]
        ).fetchone()
        if row and row[0] != checked.sha256:
            raise MediaError(
                N_("you already have a different file called %(name)s: rename the new one and upload it again"),
                name=name,
            )
        if row:
            return name
        count = db.execute("SELECT count(*) FROM media_uploads WHERE owner_id = ?", [owner_id]).fetchone()[0]
        if count >= MAX_UPLOADS:
            raise MediaError(N_("you have uploaded %(limit)s files, the most one teacher can keep"), limit=MAX_UPLOADS)
        save(db, checked, written)
        db.execute(
            "INSERT INTO media_uploads (owner_id, name, sha256, created) VALUES (?, ?, ?, ?)",
            [owner_id, name, checked.sha256, stamp()],
        )
    return name


def uploads(db, owner_id: int) -> list[dict]:
    """A teacher's uploads, newest first, with what the editor shows of each."""
    return [
        dict(zip(("name", "file", "mime", "width", "height", "duration"), row, strict=True))
        for row in db.execute(
            """SELECT u.name, m.sha256 || '.' || m.ext, m.mime, m.width, m.height, m.duration
               FROM media_uploads u JOIN media m ON m.sha256 = u.sha256
               WHERE u.owner_id = ? ORDER BY u.created DESC, u.name""",
            [owner_id],
        )
    ]


class BrowserMedia(MediaSource):
    """How a bank written in the browser finds `media/<name>`: the teacher's own uploads by name,
    else the file the bank's latest version named under that path (a bank from disk or a zip keeps
    its pictures when a teacher edits it). Both are stored files, taken as they are."""

    def __init__(self, db, owner_id: int):
        self.db, self.owner_id = db, owner_id

    def read(self, path: str, bank_id: str | None = None) -> Checked:
        pure = clean_path(path)
        row = self.db.execute(
            "SELECT sha256 FROM media_uploads WHERE owner_id = ? AND name = ?", [self.owner_id, str(pure)]
        ).fetchone()
        if row and (found := stored(self.db, row[0])):
            return found
        if bank_id:
            file = version_files(self.db, bank_id).get(str(pure))
            if file and (found := stored(self.db, file.split(".")[0])):
                return found
        raise MediaError(
            N_("%(name)s is not there: upload it below the editor, or check the name"),
            name=path,
        )
