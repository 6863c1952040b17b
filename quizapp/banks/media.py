"""Pictures and sound clips in a bank: the `image` and `audio` fields, and where their files come from.

A bank names its files by a path relative to the bank file (`media/chart.png`); validation reads
each file from a MediaSource, checks it by content (core/mediacheck) and puts, in place of the path,
the name it is stored under (`<sha256>.<ext>`). Sources: a folder (a bank file on disk: the path
must stay inside the bank's folder, symlinks included), a mapping of names to bytes (a zip's
media/ folder, a teacher's uploads), or several tried in turn. No Flask and no database here.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from quizapp.banks.yamlsafe import Located
from quizapp.core import mediacheck
from quizapp.core.mediacheck import Checked, MediaError
from quizapp.core.messages import N_

IMAGE_KEYS = {"path", "alt"}
CLIP_KEYS = {"path", "transcript"}
AUDIO_LANGUAGES = ("en", "zh")
MEDIA_KEYS = {"image", "audio"}
MAX_PATH = 200

# The JSON Schema of the two fields (banks/schema.py and docs/bank.schema.json use these).
PATH_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_PATH,
    "description": "relative to the bank file and inside its folder, e.g. media/chart.png",
}


# types.base.SCALAR (importing it here would be circular: the choice types use these schemas).
SCALAR = {"type": ["string", "number"], "minLength": 1}
# Alt text: like any bank text, {en: ..., zh: ...} or one value meaning the same in both.
ALT_SCHEMA = {
    "oneOf": [
        SCALAR,
        {
            "type": "object",
            "anyOf": [{"required": ["en"]}, {"required": ["zh"]}],
            "additionalProperties": False,
            "properties": {"en": SCALAR, "zh": SCALAR},
        },
    ]
}


def image_schema() -> dict:
    return {
        "type": "object",
        "description": "a PNG, JPEG, WebP or GIF file beside the bank, with alt text in every bank language",
        "required": ["path", "alt"],
        "additionalProperties": False,
        "properties": {"path": PATH_SCHEMA, "alt": ALT_SCHEMA},
    }


def audio_schema() -> dict:
    clip = {
        "type": "object",
        "required": ["path", "transcript"],
        "additionalProperties": False,
        "properties": {"path": PATH_SCHEMA, "transcript": SCALAR},
    }
    return {
        "type": "object",
        "description": "an MP3, OGG, M4A or WAV clip per language it speaks (en, zh), each with its transcript",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {lang: clip for lang in AUDIO_LANGUAGES},
    }


class MediaSource:
    """Where a bank's media paths are read from. `read` returns the file's bytes (to check), or a
    Checked file (one stored already: checked when it was stored, and not re-encoded again, which
    would change a JPEG's bytes on every publish), or raises MediaError. `bank_id` is the id of the
    bank being read, for sources that look up what that bank's versions already use."""

    def read(self, path: str, bank_id: str | None = None) -> bytes | Checked:
        raise MediaError(
            N_("%(name)s cannot be read here: pictures and sound come with a bank file in a folder or a zip"),
            name=path,
        )


def clean_path(path: str) -> PurePosixPath:
    """A bank's media path as parts, refused when it is absolute or climbs with `..`."""
    if not path or len(path) > MAX_PATH or "\\" in path or "\x00" in path:
        raise MediaError(N_("%(name)s is not a usable file path (use forward slashes, e.g. media/x.png)"), name=path)
    pure = PurePosixPath(path)
    if pure.is_absolute() or path.startswith("~") or (len(path) > 1 and path[1] == ":"):
        raise MediaError(N_("%(name)s is an absolute path: write it relative to the bank file"), name=path)
    if ".." in pure.parts:
        raise MediaError(N_("%(name)s climbs out of the bank's folder: keep media beside the bank"), name=path)
    return pure


class FolderMedia(MediaSource):
    """Files beside a bank file on disk: inside `root` (the bank's folder), after following symlinks."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def read(self, path: str, bank_id: str | None = None) -> bytes:
        pure = clean_path(path)
        root = self.root.resolve()
        target = (root / pure).resolve()
        if not target.is_relative_to(root):  # a symlink that leads out of the folder
            raise MediaError(
                N_("%(name)s leads out of the bank's folder (a link): keep media beside the bank"), name=path
            )
        if not target.is_file():
            raise MediaError(N_("%(name)s is not there: the file is missing beside the bank"), name=path)
        limit = max(mediacheck.MAX_IMAGE_BYTES, mediacheck.MAX_AUDIO_BYTES)
        with target.open("rb") as handle:
            return handle.read(limit + 1)  # the check refuses what is over its own limit


class MappedMedia(MediaSource):
    """Files by name: a zip's entries, or a teacher's uploads (name -> bytes, or a function giving them)."""

    def __init__(self, files):
        self.files = files

    def read(self, path: str, bank_id: str | None = None) -> bytes | Checked:
        key = str(clean_path(path))
        found = self.files(key) if callable(self.files) else self.files.get(key)
        if found is None:
            raise MediaError(N_("%(name)s is not there: the file is missing beside the bank"), name=path)
        return found


class FirstOf(MediaSource):
    """Sources tried in turn; the first that has the file gives it (a check's refusal is final)."""

    def __init__(self, *sources: MediaSource):
        self.sources = sources

    def read(self, path: str, bank_id: str | None = None) -> bytes | Checked:
        missing = None
        for source in self.sources:
            try:
                return source.read(path, bank_id)
            except MediaError as exc:
                if "is not there" not in exc.message:
                    raise
                missing = exc
        raise missing or MediaError(N_("%(name)s is not there: the file is missing beside the bank"), name=path)


class Reader:
    """Reads a bank's media fields for one validation: each path is read and checked once, however
    many questions use it; `found` maps each path to its checked file (what an import stores)."""

    def __init__(self, source: MediaSource | None):
        self.source = source or MediaSource()
        self.found: dict[str, Checked] = {}
        self.kinds: dict[str, str] = {}
        self.bank_id: str | None = None  # set once the bank's id is read

    def file(self, check, at: Located, path: str, kind: str) -> Checked | None:
        if not isinstance(at.value, str) or not at.value.strip():
            check.add(at, path, N_("expected a file path, e.g. media/chart.png"))
            return None
        name = at.value.strip()
        if name in self.found:
            if self.kinds[name] != kind:
                check.add(at, path, N_("%(name)s is used as a picture and as a sound clip"), name=name)
                return None
            return self.found[name]
        try:
            found = self.source.read(name, self.bank_id)
            checked = found if isinstance(found, Checked) else mediacheck.check(found, name, kind)
        except MediaError as exc:
            check.add(at, path, exc.message, **exc.params)
            return None
        if checked.kind != kind:
            wrong = mediacheck.NOT_IMAGE if kind == "image" else mediacheck.NOT_AUDIO
            check.add(at, path, wrong, name=name)
            return None
        self.found[name], self.kinds[name] = checked, kind
        return checked

    def image(self, check, at: Located, path: str) -> dict | None:
        fields = check.mapping(at, path, IMAGE_KEYS, ("path", "alt"))
        if fields is None or "path" not in fields or "alt" not in fields:
            return None
        alt = check.text(fields["alt"], f"{path}.alt")
        checked = self.file(check, fields["path"], f"{path}.path", "image")
        if alt is None or checked is None:
            return None
        return {"file": checked.file, "alt": alt, "width": checked.width, "height": checked.height}

    def audio(self, check, at: Located, path: str) -> dict | None:
        if not isinstance(at.value, dict) or not at.value:
            check.add(
                at,
                path,
                N_("audio is a mapping of the clip's language to its file: {zh: {path: ..., transcript: ...}}"),
            )
            return None
        result = {}
        for lang, clip_at in at.value.items():
            where = f"{path}.{lang}"
            if lang not in AUDIO_LANGUAGES:
                check.add(
                    Located(None, *at.keys[lang]),
                    where,
                    N_("unknown audio language %(key)s: a clip is keyed by the language it speaks, en or zh"),
                    key=repr(lang),
                )
                continue
            fields = check.mapping(clip_at, where, CLIP_KEYS, ("path", "transcript"))
            if fields is None or "path" not in fields or "transcript" not in fields:
                continue
            transcript = fields["transcript"]
            words = transcript.value
            if isinstance(words, bool) or not isinstance(words, (str, int, float)) or not str(words).strip():
                check.add(transcript, f"{where}.transcript", N_("the transcript (the words spoken) is missing"))
                continue
            checked = self.file(check, fields["path"], f"{where}.path", "audio")
            if checked is not None:
                result[lang] = {"file": checked.file, "transcript": str(words).strip()}
        return result if len(result) == len(at.value) else None

    def fields(self, check, fields: dict, path: str, into: dict) -> None:
        """`image` and `audio` of one question, choice or card side, read into `into` when present."""
        if "image" in fields:
            image = self.image(check, fields["image"], f"{path}.image")
            if image:
                into["image"] = image
        if "audio" in fields:
            audio = self.audio(check, fields["audio"], f"{path}.audio")
            if audio:
                into["audio"] = audio
