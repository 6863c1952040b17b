"""Anki packages: read legacy (collection.anki2 / .anki21, schema 11) and current (collection.anki21b,
zstd-compressed, schema 18) ones; write one with genanki.

Notes become cards, their fields mapped by role (cards.py); cloze notes become cloze questions
(their Back Extra the explanation), or cards with the blanks on the front and the filled text on the
back where their blanks cannot be read as ours; tags become topics; a note's GUID gives its
id, so importing the deck again updates the cards instead of adding copies. A note that quizapp
exported carries its question in the hidden `quizapp` field and comes back as that question.
Fields are HTML: sanitize.to_text keeps their text only. Media are not imported (listed).
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import tempfile
from collections import Counter

from quizapp.banks.types.cloze import Blank, ClozeError, parse
from quizapp.core.messages import N_
from quizapp.interchange import cards
from quizapp.interchange.common import (
    MAX_UNPACKED,
    Draft,
    FormatError,
    Note,
    open_zip,
    slug,
)
from quizapp.interchange.sanitize import to_text

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")  # newest first, as Anki reads them
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data):
            raise ValueError("truncated varint")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return value, at
        shift += 7


def _fields(data: bytes):
    """(field number, wire type, value) of one protobuf message: a minimal reader for the one
    message we need (Anki's MediaEntries), instead of the protobuf runtime and generated code."""
    at = 0
    while at < len(data):
        key, at = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _varint(data, at)
        elif wire == 2:
            size, at = _varint(data, at)
            value, at = data[at : at + size], at + size
        elif wire == 5:
            value, at = data[at : at + 4], at + 4
        elif wire == 1:
            value, at = data[at : at + 8], at + 8
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, value


def media_names(raw: bytes, modern: bool) -> list[str]:
    """The media list: JSON {"0": "name"} in legacy packages; in anki21b a zstd-compressed
    MediaEntries message (repeated MediaEntry entries = 1; MediaEntry.name = 1)."""
    try:
        if not modern:
            return list(json.loads(raw.decode("utf-8") or "{}").values())
        message = _unzstd(raw, "media")
        return [
            value.decode("utf-8", "replace")
            for number, wire, entry in _fields(message)
            if number == 1 and wire == 2
            for inner, kind, value in _fields(entry)
            if inner == 1 and kind == 2
        ]
    except (ValueError, UnicodeDecodeError, FormatError):
        return []


def _unzstd(data: bytes, name: str) -> bytes:
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(data)
        out = reader.read(MAX_UNPACKED + 1)
    except zstandard.ZstdError as exc:
        raise FormatError(
            N_("%(name)s in the package cannot be decompressed: %(reason)s"), name=name, reason=str(exc)
        ) from None
    if len(out) > MAX_UNPACKED:
        raise FormatError(
            N_("%(name)s unpacks to more than %(limit)s MB: refused"), name=name, limit=MAX_UNPACKED // 1024 // 1024
        )
    return out


def _collection(archive, name: str) -> tuple[bytes, bool]:
    names = set(archive.namelist())
    for member in COLLECTIONS:
        if member in names:
            data = archive.read(member)
            modern = member.endswith("21b")
            return (_unzstd(data, member) if modern else data), modern
    raise FormatError(N_("%(name)s has no Anki collection (collection.anki2, .anki21 or .anki21b)"), name=name)


class _Notes:
    """Note types, their field names and the notes of a collection, whichever schema it has."""

    def __init__(self, db: sqlite3.Connection):
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        self.types: dict[int, tuple[str, list[str]]] = {}
        self.decks: list[str] = []
        if "notetypes" in tables:  # schema 18
            for ntid, name in db.execute("SELECT id, name FROM notetypes"):
                fields = [r[0] for r in db.execute("SELECT name FROM fields WHERE ntid = ? ORDER BY ord", [ntid])]
                self.types[ntid] = (name, fields)
            self.decks = [r[0].replace("\x1f", "::") for r in db.execute("SELECT name FROM decks ORDER BY id")]
        else:  # schema 11: note types and decks are JSON in the one row of col
            models, decks = db.execute("SELECT models, decks FROM col").fetchone()
            for key, model in json.loads(models).items():
                fields = [f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"])]
                self.types[int(key)] = (model["name"], fields)
            self.decks = [d["name"] for d in sorted(json.loads(decks).values(), key=lambda d: d["id"])]
        self.notes = list(db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"))
        used = Counter(r[0] for r in db.execute("SELECT did FROM cards"))
        self.deck = None
        if used and "notetypes" in tables:
            top = used.most_common(1)[0][0]
            row = db.execute("SELECT name FROM decks WHERE id = ?", [top]).fetchone()
            self.deck = row[0].replace("\x1f", "::") if row else None
        elif used:
            decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
            self.deck = decks.get(str(used.most_common(1)[0][0]), {}).get("name")


def _open(sqlite_bytes: bytes, name: str, read):
    if not sqlite_bytes.startswith(b"SQLite format 3\x00"):
        raise FormatError(
            N_("the collection in %(name)s is not an SQLite database, so it is not an Anki package"), name=name
        )
    handle, path = tempfile.mkstemp(suffix=".anki")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(sqlite_bytes)
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return read(db)
        except sqlite3.DatabaseError as exc:
            raise FormatError(
                N_("the collection in %(name)s cannot be read: %(reason)s"), name=name, reason=str(exc)
            ) from None
        finally:
            db.close()
    finally:
        os.unlink(path)


def _clean(value):
    """Every string of a note's stored question as plain text (it came from a file we did not write)."""
    if isinstance(value, str):
        return to_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    return value


def _cloze(text: str, reveal: bool) -> str:
    return _CLOZE.sub(lambda m: m.group(2) if reveal else f"[{m.group(3) or '…'}]", text)


def _cloze_question(text: str, extra: str, guid: str, topics: list[str], used: set[str]) -> dict | None:
    """An Anki cloze note as our cloze question, in the language its text is written in; None when
    its blanks are not ones our format reads (a card is made of it instead)."""
    try:
        if not text.strip() or not any(isinstance(part, Blank) for part in parse(text)):
            return None
    except ClozeError:
        return None
    lang = "zh" if cards.is_chinese(text) else "en"
    question = {"id": cards.guid_id(guid, used), "type": "cloze", "prompt": {lang: text.strip()}}
    if topics:
        question["topic"] = topics
    if extra:
        question["explanation"] = {lang: extra}
    return question


def read(data: bytes, name: str, options: dict | None = None) -> Draft:
    options = options or {}
    archive = open_zip(data, name)
    collection, modern = _collection(archive, name)
    found = _open(collection, name, _Notes)
    draft = Draft({}, detected={"anki": "anki21b" if modern else "legacy"})
    media = media_names(archive.read("media"), modern) if "media" in archive.namelist() else []
    if media:
        draft.skipped.append(
            Note(
                None,
                N_("%(n)s media files (pictures, sounds) are not imported: %(names)s"),
                {"n": len(media), "names": ", ".join(media[:5])},
            )
        )
    roles_by_type = dict(options.get("roles") or {})
    items, plain_rows, cloze_text, used = [], {}, [], set()
    for position, (_nid, guid, mid, tags, flds) in enumerate(found.notes, 1):
        values = flds.split("\x1f")
        type_name, field_names = found.types.get(mid, (str(mid), []))
        topics = [slug(t.replace("::", "-"), "") for t in tags.split()]
        topics = list(dict.fromkeys(t for t in topics if t))
        if "quizapp" in field_names:
            try:
                item = _clean(json.loads(html.unescape(values[field_names.index("quizapp")])))
            except (ValueError, IndexError):
                item = None
            if isinstance(item, dict) and item.get("id"):
                items.append((position, item))
                continue
        if any(_CLOZE.search(v) for v in values):
            text = values[0]
            extra = to_text(values[1]) if len(values) > 1 else ""
            question = _cloze_question(to_text(text), extra, guid, topics, used)
            if question:
                items.append((position, question))
                continue
            front, back = to_text(_cloze(text, False)), to_text(_cloze(text, True))
            row = [front, back + (f"\n{extra}" if extra else ""), guid, " ".join(topics)]
            cloze_text.append((guid, to_text(text)))
            plain_rows.setdefault("Cloze", ([], ["front", "back", "guid", "tags"]))[0].append((position, row))
            continue
        row = [to_text(v) for v in values] + [guid, " ".join(topics)]
        plain_rows.setdefault(type_name, ([], field_names + ["guid", "tags"]))[0].append((position, row))
    draft.detected["note_types"] = {}
    if cloze_text:  # kept as Anki wrote them, to be mended by hand into cloze questions
        draft.comments.append("Anki cloze notes whose blanks could not be read, as written (note GUID: text):")
        draft.comments.extend(f"{guid}: {text}" for guid, text in cloze_text)
    built: list[dict] = []
    languages: set[tuple[str, ...]] = set()
    for type_name, (rows, names) in plain_rows.items():
        if type_name == "Cloze":
            roles = ["en", "back", "guid", "topics"]
            if sum(1 for _p, r in rows if cards.is_chinese(r[0])) > len(rows) / 2:
                roles[0] = "zh"
        else:
            roles = roles_by_type.get(type_name) or cards.guess_roles(
                [r for _p, r in rows],
                [n.lower() if n.lower() in ("pinyin", "tags") else "" for n in names[:-2]] + ["guid", "tags"],
            )
        draft.detected["note_types"][type_name] = {"fields": names, "roles": roles, "sample": rows[0][1]}
        part = Draft({})
        cards.build(rows, roles, "x", "x", part)
        draft.skipped.extend(part.skipped)
        draft.lines.update(part.lines)
        languages.add(tuple(part.bank["languages"]))
        built.extend(part.bank["cards"])
    questions = [item for _p, item in items if item.get("type")]
    own_cards = [item for _p, item in items if not item.get("type")]
    for item in questions + own_cards:
        for key in ("prompt", "front"):
            if isinstance(item.get(key), dict):
                languages.add(tuple(k for k in ("en", "zh") if k in item[key]))
    langs = list(next(iter(languages), ("en", "zh")))
    if len(languages) > 1:  # bilingual notes beside one-language ones (a Chinese cloze note): the one-
        langs = ["en", "zh"]  # language texts then mean the same in both, as a plain value does in our YAML
        for item in built + own_cards + questions:
            _both_languages(item)
    if not (questions or own_cards or built):
        raise FormatError(N_("%(name)s has no note that can be imported"), name=name)
    title = options.get("title") or (
        found.deck
        if found.deck and found.deck != "Default"
        else re.sub(r"\.apkg$", "", name.rsplit("/", 1)[-1], flags=re.I)
    )
    draft.bank = {
        "bank": options.get("bank") or slug(title.split("::")[-1], "anki"),
        "languages": langs,
        "title": {lang: title for lang in langs},
    }
    if questions:
        draft.bank["questions"] = questions
    if own_cards or built:
        draft.bank["cards"] = own_cards + built
    return draft


def _both_languages(value):
    """Every one-language text in an item as the same text in both languages."""
    if isinstance(value, list):
        for v in value:
            _both_languages(v)
    elif isinstance(value, dict):
        if set(value) & {"en", "zh"} and all(isinstance(value.get(k), str) for k in ("en", "zh") if k in value):
            if "type" not in value and "id" not in value:
                one = value.get("en") or value.get("zh")
                value.setdefault("en", one)
                value.setdefault("zh", one)
                return
        for key, v in value.items():
            if key != "answer":
                _both_languages(v)
