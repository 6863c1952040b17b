"""The YAML question-bank format v1: read a file, check every rule, report file:line errors.

Plain Python with no Flask: the command line, the app's first start and (later)
the teachers' pages all call `validate_file`/`validate_bytes` and get the same
answers. Messages are English templates marked with N_ so the web can translate.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.banks.media import MEDIA_KEYS, FolderMedia, MediaSource, Reader
from quizapp.banks.types import QUESTION_TYPES, all_fields
from quizapp.banks.yamlsafe import N_, Located, Problem, YamlError, decode, load, plain
from quizapp.core import readings as reading_rules
from quizapp.core.textsafety import describe, hidden_character

LANGUAGES = ("en", "zh")
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # always fullmatch: `$` lets "q1\n" through
BANK_KEYS = {"bank", "languages", "title", "description", "content_note", "topics", "readings", "questions", "cards"}
QUESTION_KEYS = {
    "id",
    "type",
    "topic",
    "difficulty",
    "prompt",
    "explanation",
    "source",
} | MEDIA_KEYS  # and the types' own
CHOICE_KEYS = set(LANGUAGES) | {"correct"}
CARD_KEYS = {"id", "front", "back", "topic", "source"}


@dataclass
class Bank:
    """A bank that passed validation: plain data, ready to import."""

    id: str
    title: dict
    description: dict | None
    content_note: dict | None
    questions: list[dict]
    cards: list[dict]
    content_hash: str
    topic_labels: dict = field(default_factory=dict)
    source: str = ""  # the YAML text as written, kept with each published version
    languages: tuple[str, ...] = LANGUAGES  # what the bank declares: every text has exactly these
    readings: dict = field(default_factory=dict)  # phrase -> pinyin: corrections of pypinyin (core/readings.py)
    media: dict = field(default_factory=dict)  # path as the bank writes it -> mediacheck.Checked, to store


@dataclass
class Report:
    """The outcome of validating one file: a bank, or the list of problems."""

    path: str
    bank: Bank | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.bank is not None and not self.problems

    def lines(self, translate=lambda s: s) -> list[str]:
        return [
            f"{self.path}:{p.line}:{p.column}: {p.path + ': ' if p.path else ''}{p.text(translate)}"
            for p in self.problems
        ]


class _Checker:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self, media: MediaSource | None = None):
        self.problems: list[Problem] = []
        self.languages = LANGUAGES  # the bank's declared languages: each text needs these and no other
        self.media = Reader(media)  # reads and checks each image and audio file the bank names

    def add(self, at: Located, path: str, message: str, **params) -> None:
        self.problems.append(Problem(at.line, at.column, path, message, params))

    def mapping(self, at: Located, path: str, allowed: set[str], required: tuple[str, ...]) -> dict | None:
        if not isinstance(at.value, dict):
            self.add(at, path, N_("expected a mapping of fields here"))
            return None
        for key in at.value:
            if key not in allowed:
                self.add(
                    Located(None, *at.keys[key]),
                    path,
                    N_("unknown field %(key)s (allowed: %(allowed)s)"),
                    key=repr(key),
                    allowed=", ".join(sorted(allowed)),
                )
        for key in required:
            if key not in at.value:
                self.add(at, path, N_("the field %(key)s is missing"), key=repr(key))
        return at.value

    def text(self, at: Located | None, path: str, extra_keys: set[str] = frozenset()) -> dict | None:
        """A text field: {en: ..., zh: ...} or one scalar meaning the same in every language.

        In a one-language bank (`languages: [en]`) a mapping holds that language only."""
        if at is None:
            return None
        value = at.value
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value).strip()
            if not text:
                self.add(at, path, N_("the text is empty"))
                return None
            return {lang: text for lang in self.languages}
        if not isinstance(value, dict):
            self.add(at, path, N_("expected text: {en: ..., zh: ...} or a single value"))
            return None
        result = {}
        for key, item in value.items():
            if key in LANGUAGES and key not in self.languages:
                self.add(
                    item,
                    f"{path}.{key}",
                    N_("the bank declares its languages as %(languages)s: remove %(key)s or add it to languages"),
                    languages=", ".join(self.languages),
                    key=repr(key),
                )
            elif key not in LANGUAGES and key not in extra_keys:
                self.add(item, f"{path}.{key}", N_("unknown language or field %(key)s (use en and zh)"), key=repr(key))
        for lang in self.languages:
            item = value.get(lang)
            if item is None:
                self.add(at, path, N_("the %(lang)s text is missing"), lang=lang)
            elif isinstance(item.value, bool) or not isinstance(item.value, (str, int, float)):
                self.add(item, f"{path}.{lang}", N_("expected text"))
            elif not str(item.value).strip():
                self.add(item, f"{path}.{lang}", N_("the text is empty"))
            else:
                result[lang] = str(item.value).strip()
        return result if len(result) == len(self.languages) else None

    def ident(self, at: Located | None, path: str) -> str | None:
        if at is None:
            return None
        if not isinstance(at.value, str) or not ID_RE.fullmatch(at.value):
            self.add(
                at,
                path,
                N_("an id uses lowercase letters, digits and hyphens only (got %(value)s)"),
                value=repr(at.value),
            )
            return None
        return at.value

    def topics(self, at: Located | None, path: str) -> list[str]:
        if at is None:
            return []
        items = at.value if isinstance(at.value, list) else [at]
        return [t for i, item in enumerate(items) if (t := self.ident(item, path))]

    def list_of(self, at: Located | None, path: str, minimum: int = 0) -> list[Located]:
        if at is None:
            return []
        if not isinstance(at.value, list):
            self.add(at, path, N_("expected a list"))
            return []
        if len(at.value) < minimum:
            self.add(
                at,
                path,
                N_("expected at least %(minimum)s items (found %(found)s)"),
                minimum=minimum,
                found=len(at.value),
            )
        return at.value


def _hidden_characters(check: _Checker, at: Located, path: str = "") -> None:
    """Refuse invisible and direction-changing characters anywhere in the file's text (keys too):
    a prompt or an accepted answer must be what it looks like (see textsafety)."""
    value = at.value
    if isinstance(value, str):
        found = hidden_character(value, allow_joiners=True)
        if found:
            check.add(
                at,
                path,
                N_(
                    "the text has an invisible or text-direction character, %(char)s, at "
                    "character %(position)s: delete it"
                ),
                char=describe(found[1]),
                position=found[0] + 1,
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if hidden_character(str(key)):
                check.add(
                    Located(None, *at.keys[key]), inner, N_("this key has an invisible or text-direction character")
                )
            _hidden_characters(check, item, inner)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _hidden_characters(check, item, f"{path}[{i}]")


def _hidden_outside_values(check: _Checker, text: str) -> None:
    """The same characters in comments and between values, where no student sees them but they
    can make a line read differently in an editor or a version's view (Trojan Source)."""
    if hidden_character(text, allow_joiners=True) is None:
        return
    for number, line in enumerate(text.split("\n"), 1):
        found = hidden_character(line, allow_joiners=True)
        if found:
            check.add(
                Located(None, number, found[0] + 1),
                "",
                N_("an invisible or text-direction character, %(char)s, is not allowed in a bank: delete it"),
                char=describe(found[1]),
            )


def _question(check: _Checker, at: Located, path: str) -> dict | None:
    keys = QUESTION_KEYS | set(all_fields())
    fields = check.mapping(at, path, keys, ("id", "type", "prompt"))
    if fields is None:
        return None
    before = len(check.problems)
    q: dict = {"id": check.ident(fields.get("id"), f"{path}.id")}
    type_at = fields.get("type")
    kind = None
    if type_at is not None:
        if type_at.value in QUESTION_TYPES:
            kind = QUESTION_TYPES[type_at.value]
        else:
            check.add(
                type_at,
                f"{path}.type",
                N_("unknown question type %(value)s (use one of: %(types)s)"),
                value=repr(type_at.value),
                types=", ".join(QUESTION_TYPES),
            )
    q["type"] = kind.name if kind else None
    q["topics"] = check.topics(fields.get("topic"), f"{path}.topic")
    difficulty = fields.get("difficulty")
    q["difficulty"] = 2
    if difficulty is not None:
        if difficulty.value not in (1, 2, 3) or isinstance(difficulty.value, bool):
            check.add(
                difficulty,
                f"{path}.difficulty",
                N_("difficulty is 1, 2 or 3 (got %(value)s)"),
                value=repr(difficulty.value),
            )
        else:
            q["difficulty"] = difficulty.value
    q["prompt"] = check.text(fields.get("prompt"), f"{path}.prompt")
    check.media.fields(check, fields, path, q)
    if "explanation" in fields:  # optional: imported questions often have none
        q["explanation"] = check.text(fields["explanation"], f"{path}.explanation")
    source = fields.get("source")
    if source is not None:
        if not isinstance(source.value, str) or not source.value.strip():
            check.add(source, f"{path}.source", N_("the source is a quote from the article, as text"))
        else:
            q["source"] = source.value.strip()
    if kind is not None:
        kind.check(check, fields, path, q)
    return q if len(check.problems) == before else None


def _card(check: _Checker, at: Located, path: str) -> dict | None:
    fields = check.mapping(at, path, CARD_KEYS, ("id", "front", "back"))
    if fields is None:
        return None
    before = len(check.problems)
    card = {
        "id": check.ident(fields.get("id"), f"{path}.id"),
        "topics": check.topics(fields.get("topic"), f"{path}.topic"),
        "front": _side(check, fields.get("front"), f"{path}.front"),
        "back": _side(check, fields.get("back"), f"{path}.back"),
    }
    source = fields.get("source")
    if source is not None:
        if not isinstance(source.value, str) or not source.value.strip():
            check.add(source, f"{path}.source", N_("the source is a quote from the article, as text"))
        else:
            card["source"] = source.value.strip()
    return card if len(check.problems) == before else None


def _readings(check: _Checker, at: Located | None) -> dict[str, str]:
    """The bank's `readings:` (phrase -> pinyin with tone marks, one syllable per character, separated
    by spaces): corrections for the names and readings pypinyin gets wrong."""
    if at is None:
        return {}
    if not isinstance(at.value, dict):
        check.add(at, "readings", N_("expected a mapping of Chinese phrases to their pinyin, e.g. 吕频: Lǚ Pín"))
        return {}
    found = {}
    for key, value in at.value.items():
        path = f"readings.{key}"
        if not isinstance(key, str) or not reading_rules.is_chinese(key):
            check.add(
                Located(None, *at.keys[key]),
                path,
                N_("a reading is given for Chinese characters only (got %(value)s)"),
                value=repr(key),
            )
            continue
        if not isinstance(value.value, str) or not value.value.strip():
            check.add(value, path, N_("expected the pinyin as text, syllables separated by spaces, e.g. Lǚ Pín"))
            continue
        syllables = reading_rules.syllables(value.value)
        if len(syllables) != len(key):
            check.add(
                value,
                path,
                N_("%(phrase)s has %(chars)s characters but %(found)s syllables: write one syllable per character"),
                phrase=key,
                chars=len(key),
                found=len(syllables),
            )
        elif not all(reading_rules.valid_syllable(s) for s in syllables):
            check.add(
                value,
                path,
                N_("write pinyin with tone marks (lǚ, not lv3 or lu:3), syllables separated by spaces"),
            )
        else:
            found[key] = " ".join(syllables)
    return found


def _side(check: _Checker, at: Located | None, path: str) -> dict | None:
    """A card side: its text, and beside it (in the same mapping) an image and audio."""
    side = check.text(at, path, extra_keys=MEDIA_KEYS)
    if side is not None and isinstance(at.value, dict):
        check.media.fields(check, at.value, path, side)
    return side


def _languages(check: _Checker, at: Located | None) -> tuple[str, ...]:
    """The bank's `languages`: en, zh or both (the default), in our fixed order."""
    if at is None:
        return LANGUAGES
    items = at.value if isinstance(at.value, list) else None
    found = [item.value for item in items or []]
    if not found or any(lang not in LANGUAGES for lang in found) or len(set(found)) != len(found):
        check.add(
            at,
            "languages",
            N_("languages is a list of en, zh or both, e.g. [en] or [en, zh] (got %(value)s)"),
            value=repr(plain(at))[:60],
        )
        return LANGUAGES
    return tuple(lang for lang in LANGUAGES if lang in found)


def validate_bytes(data: bytes, path: str = "<bank>", media: MediaSource | None = None) -> Report:
    """Check one bank file's bytes; every problem is reported, nothing is imported. `media` is where
    the files its image and audio fields name are read from (none: a bank that names one is refused)."""
    report = Report(path)
    try:
        root = load(data)
    except YamlError as exc:
        report.problems.append(exc.problem)
        return report
    if root is None:
        report.problems.append(Problem(1, 1, "", N_("the file is empty")))
        return report
    check = _Checker(media)
    fields = check.mapping(root, "", BANK_KEYS, ("bank", "title"))
    if fields is None:
        report.problems = check.problems
        return report
    check.languages = _languages(check, fields.get("languages"))
    bank_id = check.ident(fields.get("bank"), "bank")
    check.media.bank_id = bank_id
    title = check.text(fields.get("title"), "title")
    description = check.text(fields.get("description"), "description")
    note = check.text(fields.get("content_note"), "content_note")
    readings = _readings(check, fields.get("readings"))
    labels = {}
    topics_at = fields.get("topics")
    if topics_at is not None:
        if not isinstance(topics_at.value, dict):
            check.add(topics_at, "topics", N_("expected a mapping of topic ids to their names"))
        else:
            for key, label in topics_at.value.items():
                if check.ident(Located(key, *topics_at.keys[key]), f"topics.{key}"):
                    labels[key] = check.text(label, f"topics.{key}")
    # A bank has questions, cards or both (a Quizlet set or an Anki deck is cards only).
    if fields.get("questions") is None and fields.get("cards") is None:
        check.add(root, "", N_("the field %(key)s is missing"), key=repr("questions"))
    questions = [
        _question(check, item, f"questions[{i}]")
        for i, item in enumerate(check.list_of(fields.get("questions"), "questions", 1))
    ]
    cards = [
        _card(check, item, f"cards[{i}]")
        for i, item in enumerate(check.list_of(fields.get("cards"), "cards", 0 if fields.get("questions") else 1))
    ]
    before = len(check.problems)
    _hidden_characters(check, root)
    if len(check.problems) == before:  # values clean: any such character left is in a comment
        _hidden_outside_values(check, decode(data))
    seen: dict[str, str] = {}
    for kind in ("questions", "cards"):
        for i, at in enumerate(check.list_of(fields.get(kind), "")):
            id_at = at.value.get("id") if isinstance(at.value, dict) else None
            if id_at is None or not isinstance(id_at.value, str):
                continue
            if id_at.value in seen:
                check.add(
                    id_at,
                    f"{kind}[{i}].id",
                    N_("the id %(id)s is already used by %(other)s"),
                    id=repr(id_at.value),
                    other=seen[id_at.value],
                )
            else:
                seen[id_at.value] = f"{kind}[{i}]"
    report.problems = sorted(check.problems, key=lambda p: (p.line, p.column))
    if not report.problems:
        files = {name: checked.file for name, checked in check.media.found.items()}
        # A picture replaced under the same path is a change too: its stored name joins the hash.
        canonical = json.dumps(
            [plain(root), files] if files else plain(root), sort_keys=True, ensure_ascii=False, default=str
        )
        report.bank = Bank(
            bank_id,
            title,
            description,
            note,
            questions,
            cards,
            hashlib.sha256(canonical.encode()).hexdigest(),
            labels,
            decode(data),
            check.languages,
            readings,
            dict(check.media.found),
        )
    return report


def validate_file(path: str | Path) -> Report:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        report = Report(str(path))
        report.problems.append(
            Problem(1, 1, "", N_("cannot read the file: %(reason)s"), {"reason": exc.strerror or str(exc)})
        )
        return report
    return validate_bytes(data, str(path), FolderMedia(path.parent))


def bank_files(paths) -> list[Path]:
    """Expand folders to their *.yaml / *.yml files, sorted, so a whole folder is one argument."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:
            found.append(path)
    return found


def validate_all(paths) -> list[Report]:
    """Validate every file and check that no bank id is used by two files."""
    reports = [validate_file(p) for p in bank_files(paths)]
    owners: dict[str, str] = {}
    for report in reports:
        if report.bank:
            other = owners.setdefault(report.bank.id, report.path)
            if other != report.path:
                report.problems.append(
                    Problem(
                        1,
                        1,
                        "bank",
                        N_("the bank id %(id)s is also used by %(other)s"),
                        {"id": repr(report.bank.id), "other": other},
                    )
                )
                report.bank = None
    return reports
