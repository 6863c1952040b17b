"""Anki packages and Kahoot spreadsheets built the way those tools write them, for the interchange tests.

Legacy packages (schema 11) keep note types and decks as JSON in `col`; current ones (schema 18,
collection.anki21b) have notetypes/fields/decks tables, are zstd-compressed, and list media in a
zstd-compressed protobuf (MediaEntries), beside a legacy collection.anki2 that only says "update Anki".
"""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import zstandard

NOTES_SQL = """CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
 mod integer not null, usn integer not null, tags text not null, flds text not null, sfld integer not null,
 csum integer not null, flags integer not null, data text not null)"""
CARDS_SQL = """CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
 ord integer not null, mod integer not null, usn integer not null, type integer not null, queue integer not null,
 due integer not null, ivl integer not null, factor integer not null, reps integer not null, lapses integer not null,
 left integer not null, odue integer not null, odid integer not null, flags integer not null, data text not null)"""
COL_SQL = """CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null,
 ver integer not null, dty integer not null, usn integer not null, ls integer not null, conf text not null,
 models text not null, decks text not null, dconf text not null, tags text not null)"""

BASIC, CLOZE, DECK = 1342697561419, 1342697561420, 1700000000001


def _sqlite(build) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.db"
        db = sqlite3.connect(path)
        build(db)
        db.commit()
        db.close()
        return path.read_bytes()


def _notes(db, notes):
    db.execute(NOTES_SQL)
    db.execute(CARDS_SQL)
    for i, (guid, mid, tags, fields) in enumerate(notes, 1):
        db.execute(
            "INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [i, guid, mid, 0, 0, f" {tags} " if tags else "", "\x1f".join(fields), fields[0], 0, 0, ""],
        )
        db.execute("INSERT INTO cards VALUES (?,?,?,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'')", [i, i, DECK])


def legacy_collection(notes, deck="HSK 1") -> bytes:
    """Schema 11: `col.models` and `col.decks` as JSON."""
    models = {
        str(BASIC): {
            "id": BASIC,
            "name": "Basic (Chinese)",
            "type": 0,
            "flds": [{"name": "Hanzi", "ord": 0}, {"name": "Pinyin", "ord": 1}, {"name": "Meaning", "ord": 2}],
        },
        str(CLOZE): {
            "id": CLOZE,
            "name": "Cloze",
            "type": 1,
            "flds": [{"name": "Text", "ord": 0}, {"name": "Back Extra", "ord": 1}],
        },
    }
    decks = {"1": {"id": 1, "name": "Default"}, str(DECK): {"id": DECK, "name": deck}}

    def build(db):
        db.execute(COL_SQL)
        db.execute(
            "INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}',?,?,'{}','{}')", [json.dumps(models), json.dumps(decks)]
        )
        _notes(db, notes)

    return _sqlite(build)


def modern_collection(notes, deck="HSK 1") -> bytes:
    """Schema 18: notetypes, fields and decks tables (deck names join their parts with \\x1f)."""

    def build(db):
        db.execute(COL_SQL)
        db.execute("INSERT INTO col VALUES (1,0,0,0,18,0,0,0,'','','','','')")
        db.execute(
            "CREATE TABLE notetypes (id integer primary key, name text not null, mtime_secs integer not null, usn integer not null, config blob not null)"
        )
        db.execute(
            "CREATE TABLE fields (ntid integer not null, ord integer not null, name text not null, config blob not null, primary key (ntid, ord))"
        )
        db.execute(
            "CREATE TABLE decks (id integer primary key, name text not null, mtime_secs integer not null, usn integer not null, common blob not null, kind blob not null)"
        )
        db.execute("INSERT INTO notetypes VALUES (?, 'Basic (Chinese)', 0, 0, x'')", [BASIC])
        db.execute("INSERT INTO notetypes VALUES (?, 'Cloze', 0, 0, x'0801')", [CLOZE])
        for ord_, name in enumerate(["Hanzi", "Pinyin", "Meaning"]):
            db.execute("INSERT INTO fields VALUES (?,?,?,x'')", [BASIC, ord_, name])
        for ord_, name in enumerate(["Text", "Back Extra"]):
            db.execute("INSERT INTO fields VALUES (?,?,?,x'')", [CLOZE, ord_, name])
        db.execute("INSERT INTO decks VALUES (1, 'Default', 0, 0, x'', x'')")
        db.execute("INSERT INTO decks VALUES (?, ?, 0, 0, x'', x'')", [DECK, deck.replace("::", "\x1f")])
        _notes(db, notes)

    return _sqlite(build)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def media_entries(names) -> bytes:
    """MediaEntries { repeated MediaEntry entries = 1 }, MediaEntry { string name = 1; uint32 size = 2; bytes sha1 = 3 }."""
    message = b""
    for name in names:
        raw = name.encode()
        entry = b"\x0a" + _varint(len(raw)) + raw + b"\x10" + _varint(1234) + b"\x1a\x14" + b"\x00" * 20
        message += b"\x0a" + _varint(len(entry)) + entry
    return message


def package(collection: bytes, modern: bool, media=("dog.jpg",), contents: dict[str, bytes] | None = None) -> bytes:
    """An .apkg; each media file holds `contents[name]` (zstd-compressed in a current package, as
    Anki writes them), else bytes that are no picture."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        if modern:
            z.writestr("collection.anki21b", zstandard.ZstdCompressor().compress(collection))
            placeholder = [("upd", BASIC, "", ["Please update to the latest Anki version", "", ""])]
            z.writestr("collection.anki2", legacy_collection(placeholder))
            z.writestr("meta", b"\x08\x03")  # PackageMetadata { version: 3 }
            z.writestr("media", zstandard.ZstdCompressor().compress(media_entries(media)))
        else:
            z.writestr("collection.anki2", collection)
            z.writestr("media", json.dumps({str(i): n for i, n in enumerate(media)}))
        for i, name in enumerate(media):
            data = (contents or {}).get(name, b"\xff\xd8 not really a picture")
            z.writestr(str(i), zstandard.ZstdCompressor().compress(data) if modern and contents else data)
    return out.getvalue()


NOTES = [
    ("e7#aB1!x", BASIC, "hsk1 food::fruit", ["苹果", "píngguǒ", "<b>apple</b><script>alert(1)</script>"]),
    ("Qp9%xZ", BASIC, "hsk1", ["书", "shū", "book<br>volume"]),
    ("k3@LmN", BASIC, "hsk1", ["水", "shuǐ", 'water <img src="x.png" onerror="alert(1)">']),
    ("cl0ze", CLOZE, "grammar", ["{{c1::北京}}是中国的首都。", "Beijing is the capital."]),
]


def kahoot_xlsx(rows) -> bytes:
    """Kahoot's quiz template: instructions, the header row (row 8 in theirs), then one question a row."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Quiz template"])
    sheet.append(
        [
            "Add questions, at least two answer alternatives, time limit and choose correct answers (at least one). Have fun creating your awesome quiz!"
        ]
    )
    sheet.append(["Remember: questions can have a maximum of 120 characters and answers can have 75 characters max."])
    for _ in range(4):
        sheet.append([])
    sheet.append(
        [
            "",
            "Question - max 120 characters",
            "Answer 1 - max 75 characters",
            "Answer 2 - max 75 characters",
            "Answer 3 - max 75 characters",
            "Answer 4 - max 75 characters",
            "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
            "Correct answer(s) - choose at least one",
        ]
    )
    for n, row in enumerate(rows, 1):
        sheet.append([n, *row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
