"""Import and export of question banks: Anki, Quizlet / plain text, Moodle GIFT and XML, Kahoot, CSV.

`read` turns an uploaded or pasted file into a Draft (our bank dict plus what was skipped and what
was guessed); `checked` runs bankfile's validator over it, so an import is refused for exactly the
reasons a hand-written bank would be; `write` turns a bank's YAML dict into another tool's file.
"""

from __future__ import annotations

import re

from quizapp.banks.bankfile import Report, validate_bytes
from quizapp.banks.media import MappedMedia
from quizapp.banks.yamlsafe import MAX_VALUES, Problem
from quizapp.core.messages import N_
from quizapp.interchange import apkg, apkgwrite, gift, moodlexml, spreadsheet, textfile
from quizapp.interchange.common import Draft, FormatError, Note, check_size

# What each file name ending is read as.
READERS = {
    ".apkg": apkg.read,
    ".colpkg": apkg.read,
    ".gift": gift.read,
    ".xml": moodlexml.read,
    ".xlsx": spreadsheet.read_xlsx,
    ".csv": spreadsheet.read_csv,
    ".tsv": spreadsheet.read_csv,
    ".txt": textfile.read,
}
# Export formats: name -> (file ending, MIME type).
EXPORTS = {
    "apkg": (".apkg", "application/octet-stream"),
    "moodle": (".xml", "application/xml"),
    "gift": (".gift.txt", "text/plain; charset=utf-8"),
    "kahoot": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (".csv", "text/csv; charset=utf-8"),
    "tsv": (".tsv", "text/tab-separated-values; charset=utf-8"),
    "quizlet": (".quizlet.txt", "text/plain; charset=utf-8"),
}
__all__ = ["EXPORTS", "READERS", "Draft", "FormatError", "Note", "checked", "kind_of", "read", "write"]


def kind_of(name: str, data: bytes) -> str:
    """The reader for a file: by its ending, and for pasted text (no useful name) by its content."""
    lower = name.lower()
    for ending in READERS:
        if lower.endswith(ending):
            if ending == ".txt" and _looks_like_gift(data):
                return ".gift"
            return ending
    if data[:2] == b"PK":
        return ".apkg" if b"collection.anki" in data[:4096] else ".xlsx"
    head = data[:2000].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<?xml") or head.startswith(b"<quiz"):
        return ".xml"
    return ".gift" if _looks_like_gift(data) else ".txt"


def _looks_like_gift(data: bytes) -> bool:
    text = data[:20000].decode("utf-8", "replace")
    return bool(
        re.search(r"(^|\n)\s*(::.+?::|\$CATEGORY:)", text) or re.search(r"\{\s*(=|~|#|T\s*\}|F\s*\}|TRUE|FALSE)", text)
    )


def read(data: bytes, name: str, options: dict | None = None) -> Draft:
    """A file as a draft bank; FormatError (with a line where there is one) when it cannot be read."""
    check_size(data, name)
    reader = READERS[kind_of(name, data)]
    draft = reader(data, name, options or {})
    draft.detected.setdefault("kind", kind_of(name, data))
    return draft


def checked(draft: Draft, name: str, wrap=None) -> Report:
    """The draft through the bank validator; each problem also names the line or row of the
    imported file that the question or card came from. The draft's media (an Anki package's) are
    read as a bank zip's are, `wrap` wrapping their source as bankzip.read_zip's does."""
    source = MappedMedia(draft.media) if draft.media else None
    report = validate_bytes(draft.yaml().encode("utf-8"), name, wrap(source) if wrap and source else source)
    if any(p.params.get("limit") == MAX_VALUES for p in report.problems):  # the YAML's line means nothing here
        report.problems = [
            Problem(
                1,
                1,
                "",
                N_(
                    "%(name)s has %(questions)s questions and %(cards)s cards: more than one bank holds "
                    "(about 1,300 flashcards or 500 questions); import its parts apart"
                ),
                {
                    "name": name,
                    "questions": len(draft.bank.get("questions") or []),
                    "cards": len(draft.bank.get("cards") or []),
                },
            )
        ]
        return report
    for i, problem in enumerate(report.problems):
        found = re.match(r"(questions|cards)\[(\d+)\]", problem.path)
        if not found:
            continue
        items = draft.bank.get(found.group(1)) or []
        index = int(found.group(2))
        line = draft.lines.get(items[index]["id"]) if index < len(items) and isinstance(items[index], dict) else None
        if line:
            report.problems[i] = type(problem)(line, 1, problem.path, problem.message, problem.params)
    return report


def write(
    bank: dict, kind: str, language: str = "en", media: dict[str, bytes] | None = None
) -> tuple[bytes, list[Note]]:
    """A bank (its YAML dict) as another tool's file, and what that file could not hold. Pictures and
    sound go only into an Anki package (`media`: the path the YAML names -> the file's bytes); the
    other formats leave them out (the versions page's zip carries them)."""
    if kind == "apkg":
        data, left = apkgwrite.write(bank, media or {}), []
        media_count = sum(1 for path in _media_paths(bank) if path not in (media or {}))  # files not given
    else:
        data, left = _write(bank, kind, language)
        media_count = _media_count(bank)
    if media_count:
        left = [*left, Note(None, N_("%(n)s pictures and sound clips are left out"), {"n": media_count})]
    return data, left


def _media_count(value) -> int:
    """How many image and audio clips a bank's YAML dict names."""
    if isinstance(value, list):
        return sum(_media_count(item) for item in value)
    if not isinstance(value, dict):
        return 0
    count = 1 if isinstance(value.get("image"), dict) else 0
    audio = value.get("audio")
    count += len(audio) if isinstance(audio, dict) else 0
    return count + sum(_media_count(item) for key, item in value.items() if key not in ("image", "audio"))


def _media_paths(value) -> list[str]:
    """The path of every picture and clip a bank's YAML dict names (once per use)."""
    if isinstance(value, list):
        return [path for item in value for path in _media_paths(item)]
    if not isinstance(value, dict):
        return []
    image, audio = value.get("image"), value.get("audio")
    found = [str(image.get("path"))] if isinstance(image, dict) else []
    found += [str(c.get("path")) for c in audio.values() if isinstance(c, dict)] if isinstance(audio, dict) else []
    return found + [p for key, item in value.items() if key not in ("image", "audio") for p in _media_paths(item)]


def _write(bank: dict, kind: str, language: str) -> tuple[bytes, list[Note]]:
    if kind == "moodle":
        return moodlexml.write(bank)
    if kind == "gift":
        return gift.write(bank)
    if kind == "kahoot":
        return spreadsheet.write_kahoot(bank, language)
    if kind in ("csv", "tsv"):
        return spreadsheet.write_csv(bank, "," if kind == "csv" else "\t"), []
    if kind == "quizlet":
        left = [
            Note(None, N_("%(n)s questions are written as term and answer"), {"n": len(bank.get("questions") or [])})
        ]
        return textfile.write(bank, language), left if bank.get("questions") else []
    raise FormatError(N_("unknown export format %(kind)s"), kind=repr(kind))
