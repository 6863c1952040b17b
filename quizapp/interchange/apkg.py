"""Anki packages: read legacy (collection.anki2 / .anki21, schema 11) and current (collection.anki21b,
zstd-compressed, schema 18) ones; write one with genanki.

Notes become cards, their fields mapped by role (cards.py); cloze notes become cloze questions
(their Back Extra the explanation), or cards with the blanks on the front and the filled text on the
back where their blanks cannot be read as ours; tags become topics; a note's GUID gives its
id, so importing the deck again updates the cards instead of adding copies. A note that quizapp
exported carries its question in the hidden `quizapp` field and comes back as that question.
Fields are HTML: sanitize.to_text keeps their text only. A field's first picture (`<img src>`) and
its first clip (`[sound:x.mp3]`) come with the card side or question, their files taken from the
package's numbered media entries and put in the draft's `media` under `media/<name>`, so they are
checked and stored exactly as a bank zip's files are (bankzip); a file that fails the checks is
left out and listed.
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import tempfile
from collections import Counter
from pathlib import PurePosixPath

from quizapp.banks.media import clean_path
from quizapp.banks.types.cloze import Blank, ClozeError, parse
from quizapp.core import mediacheck
from quizapp.core.mediacheck import MediaError
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
_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_SOUND = re.compile(r"\[sound:([^\]]+)\]")
MAX_MEDIA = 500  # media files read from one package: each is decoded and re-encoded (docs/security.md)
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


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
    """The media files' names, in the package's order."""
    return [name for _member, name in media_members(raw, modern)]


def media_members(raw: bytes, modern: bool) -> list[tuple[str, str]]:
    """(zip member, file name) of each media file: JSON {"0": "name"} in legacy packages; in anki21b
    a zstd-compressed MediaEntries message (repeated MediaEntry entries = 1; MediaEntry.name = 1),
    the n-th entry stored as member "n"."""
    try:
        if not modern:
            listed = json.loads(raw.decode("utf-8") or "{}")
            return [(str(k), str(v)) for k, v in listed.items()] if isinstance(listed, dict) else []
        message = _unzstd(raw, "media")
        names = [
            value.decode("utf-8", "replace")
            for number, wire, entry in _fields(message)
            if number == 1 and wire == 2
            for inner, kind, value in _fields(entry)
            if inner == 1 and kind == 2
        ]
        return [(str(i), name) for i, name in enumerate(names)]
    except (ValueError, UnicodeDecodeError, FormatError):
        return []


class _Media:
    """A package's pictures and clips, read and checked (core/mediacheck, as every upload) the first
    time a note names one; `files` maps the path the bank's YAML names to the checked file."""

    def __init__(self, archive, modern: bool, draft: Draft):
        self.archive, self.modern, self.draft = archive, modern, draft
        present = set(archive.namelist())
        listed = media_members(archive.read("media"), modern) if "media" in present else []
        if len(listed) > MAX_MEDIA:
            draft.skipped.append(
                Note(
                    None,
                    N_("the package holds %(n)s media files; only the first %(limit)s are read"),
                    {"n": len(listed), "limit": MAX_MEDIA},
                )
            )
        self.members = {name: member for member, name in listed[:MAX_MEDIA] if member in present}
        self.taken: dict[str, tuple[str, str] | None] = {}  # Anki's name -> (our path, kind), None if refused
        self.files = draft.media

    def take(self, name: str, kind: str, path: str | None = None) -> str | None:
        """The path a bank names for the package's file `name` (a picture or a clip), or None when
        it is missing or refused (said once in what was skipped)."""
        name = html.unescape(name).strip()
        if name not in self.taken:
            self.taken[name] = self._read(name, path)
        found = self.taken[name]
        if found is None:
            return None
        if found[1] != kind:
            self._skip(mediacheck.NOT_IMAGE if kind == "image" else mediacheck.NOT_AUDIO, name=name)
            return None
        if path and path != found[0]:  # the same file under another path a question names
            self.files[path] = self.files[found[0]]
            return path
        return found[0]

    def _skip(self, message: str, **params) -> None:
        self.draft.skipped.append(Note(None, message, params))

    def _read(self, name: str, path: str | None) -> tuple[str, str] | None:
        member = self.members.get(name)
        if member is None:
            self._skip(N_("%(name)s is named by a note but is not in the package, so it was left out"), name=name)
            return None
        limit = max(mediacheck.MAX_IMAGE_BYTES, mediacheck.MAX_AUDIO_BYTES)
        with self.archive.open(member) as handle:
            data = handle.read(limit + 1)
        if self.modern and data.startswith(ZSTD_MAGIC):  # anki21b packs each media file with zstd too
            import zstandard

            try:
                data = zstandard.ZstdDecompressor().stream_reader(data).read(limit + 1)
            except zstandard.ZstdError:
                self._skip(N_("%(name)s in the package cannot be decompressed, so it was left out"), name=name)
                return None
        try:
            checked = mediacheck.check_any(data, name)
        except MediaError as exc:
            self._skip(exc.message, **exc.params)
            return None
        if path is None:
            stem = slug(PurePosixPath(name).stem, "file")[:60].strip("-") or "file"
            path, n = f"media/{stem}.{checked.ext}", 1
            while path in self.files:
                n += 1
                path = f"media/{stem}-{n}.{checked.ext}"
        self.files[path] = checked  # checked once: the validator takes it as it is (MappedMedia)
        return path, checked.kind

    def unused(self) -> None:
        left = [name for name in self.members if name not in self.taken]
        if left:
            self._skip(
                N_("%(n)s media files no note names were left out: %(names)s"),
                n=len(left),
                names=", ".join(left[:5]),
            )


def _refs(value: str) -> tuple[str | None, str | None]:
    """A field's first picture and first clip (Anki's names for them)."""
    image = _IMG.search(value)
    sound = _SOUND.search(value)
    return (next((g for g in image.groups() if g is not None), None) if image else None), (
        sound.group(1) if sound else None
    )


def _usable(path, media: _Media) -> str | None:
    """A path a question in the package names, if it is one a bank may name (else listed, left out)."""
    try:
        return str(clean_path(str(path or "")))
    except MediaError as exc:
        media._skip(exc.message, **exc.params)
        return None


def _own_media(item: dict, media: _Media) -> None:
    """A note quizapp exported: its question names its files by path; each is read from the package
    by its file name, and a field whose file is missing or refused is dropped (listed as skipped)."""
    for value in [item, *(item.get(k) for k in ("front", "back")), *(item.get("choices") or [])]:
        if not isinstance(value, dict):
            continue
        image = value.get("image")
        if isinstance(image, dict):
            path = _usable(image.get("path"), media)
            if not path or not media.take(PurePosixPath(path).name, "image", path):
                del value["image"]
        audio = value.get("audio")
        if isinstance(audio, dict):
            for lang, clip in list(audio.items()):
                path = _usable(clip.get("path"), media) if isinstance(clip, dict) else None
                if not path or not media.take(PurePosixPath(path).name, "audio", path):
                    del audio[lang]
            if not audio:
                del value["audio"]


def _card_media(card: dict, roles: list[str], values: list[str], languages: list[str], media: _Media) -> None:
    """A card's pictures and clips from its note's fields. A field taken as English, Chinese or pinyin
    is the front; any other (the back, or a field with no text, e.g. "Picture") the back. A picture's
    alt is the card's front (the word it illustrates, in every bank language, which alt must have); a
    clip speaks the field's language (a pinyin field's clip Chinese; otherwise the bank's language,
    Chinese in a bilingual bank), its transcript the field's text, else the front in that language."""
    for i, role in enumerate(roles[: len(values)]):
        if role in ("topics", "guid"):
            continue
        image, sound = _refs(values[i])
        side = card["front"] if role in ("en", "zh", "pinyin") else card["back"]
        if image and "image" not in side:
            path = media.take(image, "image")
            if path:
                side["image"] = {"path": path, "alt": {lang: card["front"][lang] for lang in languages}}
        if sound:
            lang = role if role in ("en", "zh") else "zh" if role == "pinyin" or len(languages) == 2 else languages[0]
            if lang in side.get("audio", {}):
                continue
            path = media.take(sound, "audio")
            if path:
                words = to_text(_SOUND.sub(" ", values[i])) or card["front"].get(lang) or PurePosixPath(path).stem
                side.setdefault("audio", {})[lang] = {"path": path, "transcript": words}


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


def _cloze_media(question: dict, raw: list[str], media: _Media) -> None:
    """A cloze note's first picture, its alt the file's name: the note's text would give the blanks
    away. Its clips are left out (listed): their transcript would be the answers or not the words."""
    for value in raw[:2]:
        image, sound = _refs(value)
        if image and "image" not in question:
            path = media.take(image, "image")
            if path:
                stem = PurePosixPath(html.unescape(image)).stem
                question["image"] = {"path": path, "alt": {lang: stem for lang in question["prompt"]}}
        if sound:
            media.taken.setdefault(html.unescape(sound).strip(), None)
            media._skip(N_("%(name)s, a clip on a cloze note, was left out"), name=sound)


def read(data: bytes, name: str, options: dict | None = None) -> Draft:
    options = options or {}
    archive = open_zip(data, name)
    collection, modern = _collection(archive, name)
    found = _open(collection, name, _Notes)
    draft = Draft({}, detected={"anki": "anki21b" if modern else "legacy"})
    media = _Media(archive, modern, draft)
    fields_of: dict[int, list[str]] = {}  # row position -> the note's fields as Anki wrote them
    roles_by_type = dict(options.get("roles") or {})
    items, plain_rows, cloze_text, used = [], {}, [], set()
    for position, (_nid, guid, mid, tags, flds) in enumerate(found.notes, 1):
        raw = flds.split("\x1f")
        values = [_SOUND.sub(" ", v) for v in raw]  # [sound:x.mp3] is a clip, not text
        type_name, field_names = found.types.get(mid, (str(mid), []))
        topics = [slug(t.replace("::", "-"), "") for t in tags.split()]
        topics = list(dict.fromkeys(t for t in topics if t))
        if "quizapp" in field_names:
            try:
                item = _clean(json.loads(html.unescape(values[field_names.index("quizapp")])))
            except (ValueError, IndexError):
                item = None
            if isinstance(item, dict) and item.get("id"):
                _own_media(item, media)
                items.append((position, item))
                continue
        if any(_CLOZE.search(v) for v in values):
            text = values[0]
            extra = to_text(values[1]) if len(values) > 1 else ""
            question = _cloze_question(to_text(text), extra, guid, topics, used)
            if question:
                _cloze_media(question, raw, media)
                items.append((position, question))
                continue
            front, back = to_text(_cloze(text, False)), to_text(_cloze(text, True))
            row = [front, back + (f"\n{extra}" if extra else ""), guid, " ".join(topics)]
            cloze_text.append((guid, to_text(text)))
            plain_rows.setdefault("Cloze", ([], ["front", "back", "guid", "tags"]))[0].append((position, row))
            continue
        row = [to_text(v) for v in values] + [guid, " ".join(topics)]
        fields_of[position] = raw
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
        if type_name != "Cloze":
            for card in part.bank["cards"]:
                raw = fields_of.get(part.lines.get(card["id"]))
                if raw:
                    _card_media(card, roles, raw, part.bank["languages"], media)
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
    media.unused()
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
        for key, v in value.items():
            if key != "answer":
                _both_languages(v)
