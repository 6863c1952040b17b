"""What every format's reader and writer share: the draft a reader returns, its errors, and texts.

The common intermediate is our own bank dict, the shape of a bank's YAML (`bank`, `languages`,
`title`, `questions`, `cards`): readers produce it, writers take it, and bankfile's validator stays
the one authority on whether it is a bank. Plain Python, no Flask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from quizapp.banks.types.cloze import ClozeError, gapped, parse
from quizapp.core.messages import N_, UserError

LANGUAGES = ("en", "zh")
# An upload is read whole into memory once; 10 MiB holds any realistic deck without media (which we
# skip) and bounds what one request can make the server parse. docs/security.md lists it.
MAX_UPLOAD = 10 * 1024 * 1024
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_TONES = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]|[a-z][1-5]\b", re.I)
_NOT_ID = re.compile(r"[^a-z0-9]+")


class FormatError(UserError):
    """A file that cannot be read as the format it claims: the message, and the line or row (when
    there is one) that the reader can go to. Nothing is imported."""

    def __init__(self, message: str, line: int | None = None, **params):
        super().__init__(message, **params)
        self.line = line
        self.detected: dict = {}  # what the reader had guessed before it failed (separators, columns)

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return where + super().__str__()


@dataclass(frozen=True)
class Note:
    """Something a reader left out or changed, at its line or row: shown in the preview, never silent."""

    line: int | None
    message: str
    params: dict = field(default_factory=dict, compare=False)

    def text(self, translate=lambda s: s) -> str:
        return translate(self.message) % self.params


@dataclass
class Draft:
    """A reader's result: the bank dict, what was skipped (with its line), and what the reader
    guessed (separators, which column is which language) so the preview can offer to correct it."""

    bank: dict
    skipped: list[Note] = field(default_factory=list)
    detected: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # item id -> the line or row it came from
    comments: list[str] = field(default_factory=list)  # kept at the end of the YAML, e.g. Anki's cloze text
    media: dict = field(default_factory=dict)  # path the YAML names (media/x.png) -> its mediacheck.Checked file

    def yaml(self) -> str:
        text = to_yaml(self.bank)
        if self.comments:
            text += "".join("# " + " ".join(c.split()) + "\n" for c in self.comments)
        return text


ORDER = {
    "bank": ["bank", "languages", "title", "description", "content_note", "topics", "questions", "cards"],
    "item": [
        "id",
        "type",
        "topic",
        "difficulty",
        "prompt",
        "front",
        "back",
        "choices",
        "answer",
        "accept",
        "tolerance",
        "also",
        "format",
        "pinyin",
        "explanation",
        "source",
    ],
    "text": ["en", "zh", "correct"],
}


def _ordered(value, kind: str = "bank"):
    """Keys in the order the format's docs write them, so an imported bank reads like a written one."""
    if isinstance(value, list):
        return [_ordered(v, "item" if kind in ("questions", "cards") else "text") for v in value]
    if not isinstance(value, dict):
        return value
    if kind == "accept":  # a cloze's more answers per blank: each blank's languages as written
        return {k: _ordered(v, "raw") for k, v in value.items()}
    if kind == "text" and set(value) == {"en", "zh"} and value["en"] == value["zh"]:
        return value["en"]  # one value that means the same in both languages, as a teacher writes it
    order = ORDER.get(kind, ORDER["text"])
    keys = sorted(value, key=lambda k: order.index(k) if k in order else len(order))
    inner = {"questions": "questions", "cards": "cards", "choices": "text", "answer": "raw", "topics": "raw"}
    inner |= {"accept": "accept"}
    return {k: _ordered(value[k], inner.get(k, "text")) for k in keys}


def to_yaml(bank: dict) -> str:
    """Our bank dict as the YAML a teacher would write, with the schema line editors use."""
    body = yaml.safe_dump(_ordered(bank), allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    return "# yaml-language-server: $schema=../docs/bank.schema.json\n" + body


def shown_prompt(item: dict) -> dict:
    """A question's prompt as a learner sees it before answering: a cloze's blanks as numbered gaps
    (the bank's text holds their answers). For formats that have no cloze (Quizlet's terms)."""
    prompt = texts(item.get("prompt"))
    if item.get("type") != "cloze":
        return prompt
    try:
        return {lang: gapped(parse(text)) for lang, text in prompt.items()}
    except ClozeError:
        return prompt


def cloze_filled(item: dict) -> dict:
    """A cloze question's sentence with every blank's answer in place, per language."""
    prompt = texts(item.get("prompt"))
    try:
        return {
            lang: "".join(p if isinstance(p, str) else p.answer for p in parse(text)) for lang, text in prompt.items()
        }
    except ClozeError:
        return prompt


def is_chinese(text: str) -> bool:
    """Mostly Chinese characters (more of them than Latin letters)."""
    return len(_CJK.findall(text or "")) > len(_LATIN.findall(text or ""))


def is_pinyin(text: str) -> bool:
    """Latin letters with tone marks or tone numbers and no Chinese characters: pīnyīn, ping2 guo3."""
    return bool(text) and not _CJK.search(text) and bool(_TONES.search(text))


def slug(text: str, fallback: str = "item") -> str:
    """An id (lowercase letters, digits, hyphens) from any text, e.g. a deck or file name."""
    found = _NOT_ID.sub("-", (text or "").lower()).strip("-")[:60].strip("-")
    return found or fallback


def unique_id(wanted: str, used: set[str]) -> str:
    wanted = slug(wanted)
    found, n = wanted, 2
    while found in used:
        found, n = f"{wanted}-{n}", n + 1
    used.add(found)
    return found


def texts(value, languages=LANGUAGES) -> dict:
    """A bank text (mapping or one scalar for every language) as {lang: str} over `languages`."""
    if isinstance(value, dict):
        return {lang: str(value[lang]) for lang in languages if value.get(lang) is not None}
    return {lang: str(value) for lang in languages} if value is not None else {}


def bank_languages(bank: dict) -> tuple[str, ...]:
    return tuple(lang for lang in LANGUAGES if lang in (bank.get("languages") or LANGUAGES))


def one_text(parts: dict, languages) -> dict | str:
    """Texts per language as the bank writes them: a mapping of the bank's languages."""
    return {lang: parts[lang] for lang in languages if parts.get(lang)}


def check_size(data: bytes, name: str) -> None:
    if len(data) > MAX_UPLOAD:
        raise FormatError(
            N_("%(name)s is %(size)s MB; files up to %(limit)s MB can be imported"),
            name=name,
            size=f"{len(data) / 1024 / 1024:.1f}",
            limit=MAX_UPLOAD // 1024 // 1024,
        )


def decode_text(data: bytes, name: str) -> str:
    """A text file as UTF-8 (with or without a byte-order mark), or UTF-16 as Excel saves it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FormatError(N_("%(name)s is not UTF-8 text (save it as UTF-8)"), line=line, name=name) from None


# A zip (.apkg, .xlsx) is checked before anything in it is read: a few hundred KB can unpack to
# gigabytes. Limits on the total unpacked size, on one member's ratio and on the member count.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 10_000


def open_zip(data: bytes, name: str):
    """A zip file whose declared sizes are within our limits (the reader then reads no more than
    declared: zipfile checks each member's length and CRC as it reads)."""
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FormatError(N_("%(name)s is not a zip file, as this format must be"), name=name) from None
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    worst = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if len(members) > MAX_MEMBERS or total > MAX_UNPACKED or worst > MAX_RATIO:
        raise FormatError(
            N_("%(name)s unpacks to %(size)s MB (or packs too tightly to be a real file): refused as a zip bomb"),
            name=name,
            size=f"{total / 1024 / 1024:.0f}",
        )
    return archive


def category_topic(path: str, all_paths: set[str]) -> str | None:
    """Our topic for a Moodle category path: its last part, unless it is the course's top or the
    parent of another category in the same file (then its questions are "in no sub-topic")."""
    path = path.strip().rstrip("/")
    if not path or any(other.strip().rstrip("/").startswith(path + "/") for other in all_paths):
        return None
    last = slug(path.split("/")[-1], "")
    return last if last not in ("", "top", "course") else None
