"""Read a hand-written YAML file safely, keeping the line and column of every value.

PyYAML's own loaders either run arbitrary tags or lose positions; a teacher
needs `file:line:col` in every error, so we walk the parse events ourselves
and refuse what a bank never needs (aliases, custom tags, huge or deep files).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from quizapp.banks.yamlerrors import explain
from quizapp.core.messages import N_

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20
# Values (every key, text, number, list and mapping) in one file: it bounds the work a file costs,
# stopping the read where it is crossed. A request-sized file of one-line questions (5,373 of them,
# 180,000 values) took 7 s to check and 10 s to preview. The largest bank we ship has 2,355 values;
# 20,000 is some 500 questions with all their fields.
MAX_VALUES = 20_000
# libyaml's parser where PyYAML has it (its wheels do): a third of the time of the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SAFE_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is and what, as a translatable template."""

    line: int
    column: int
    path: str
    message: str
    params: dict = field(default_factory=dict, compare=False)

    def text(self, translate=lambda s: s) -> str:
        return translate(self.message) % self.params


class YamlError(Exception):
    """The file could not be read as YAML at all; carries one Problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.text())
        self.problem = problem


@dataclass
class Located:
    """A YAML value with where it was written (1-based line and column)."""

    value: object
    line: int
    column: int
    keys: dict = field(default_factory=dict)  # for a mapping: key -> (line, column) of the key itself


def _line_column(data: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset into text or bytes."""
    newline = b"\n" if isinstance(data, bytes) else "\n"
    return data.count(newline, 0, offset) + 1, offset - (data.rfind(newline, 0, offset) + 1) + 1


def _where(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _fail(mark, message, path="", **params):
    line, column = _where(mark)
    raise YamlError(Problem(line, column, path, message, params))


def _syntax_error(text: str, exc: yaml.MarkedYAMLError):
    """PyYAML's parser words turned into what is wrong and how to fix it (banks/yamlerrors.py)."""
    mark = exc.problem_mark or exc.context_mark
    (line, column), message, params = explain(
        text, exc.problem, exc.context, _where(mark), _where(exc.context_mark) if exc.context_mark else None
    )
    raise YamlError(Problem(line, column, "", message, params)) from None


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 only, an optional BOM dropped, CRLF taken as LF."""
    if len(data) > MAX_BYTES:
        raise YamlError(
            Problem(
                1,
                1,
                "",
                N_("the file is too large (%(size)s bytes; the limit is %(limit)s)"),
                {"size": len(data), "limit": MAX_BYTES},
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_column(data, exc.start)
        raise YamlError(
            Problem(line, column, "", N_("the file is not UTF-8 text (byte %(byte)s)"), {"byte": hex(data[exc.start])})
        ) from None
    return text.replace("\r\n", "\n")


def _check_events(text: str) -> None:
    """Refuse aliases, anchors, unsafe tags and deep nesting before anything is built."""
    depth = values = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                _fail(event.start_mark, N_("anchors and aliases (& and *) are not allowed in a bank"))
            tag = getattr(event, "tag", None)
            if tag not in _SAFE_TAGS:
                _fail(
                    event.start_mark,
                    N_("the tag %(tag)s is not allowed in a bank"),
                    tag=tag.replace("tag:yaml.org,2002:", "!!"),
                )
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                values += 1
                if values > MAX_VALUES:
                    _fail(
                        event.start_mark,
                        N_(
                            "the file has more than %(limit)s values (keys, texts, numbers "
                            "and lists); split the bank into smaller banks"
                        ),
                        limit=MAX_VALUES,
                    )
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    _fail(
                        event.start_mark,
                        N_("the file is nested too deeply (more than %(limit)s levels)"),
                        limit=MAX_DEPTH,
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        _syntax_error(text, exc)
    except yaml.reader.ReaderError as exc:  # a control character the YAML spec forbids
        line, column = _line_column(text, exc.position)
        raise YamlError(
            Problem(
                line,
                column,
                "",
                N_("the character %(char)s is not allowed in YAML"),
                {"char": f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)},
            )
        ) from None


class _Constructor(yaml.constructor.SafeConstructor):
    pass


# A plain `=` resolves to YAML 1.1's "value" tag, which no constructor knows: it is just the text "=".
_Constructor.add_constructor("tag:yaml.org,2002:value", _Constructor.construct_yaml_str)
MERGE_TAG = "tag:yaml.org,2002:merge"
MAX_NUMBER_CHARS = 100  # longer digits are never a count from an article; Python refuses ints of 4,300+


def _scalar(node, constructor, path: str):
    """A scalar's Python value, or a YamlError at its place: never a traceback for a teacher."""
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and len(node.value) > MAX_NUMBER_CHARS:
        _fail(
            node.start_mark,
            N_(
                "this number is %(length)s characters long; a bank number has at most %(limit)s "
                "(quote it to make it text)"
            ),
            path,
            length=len(node.value),
            limit=MAX_NUMBER_CHARS,
        )
    try:
        return constructor.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        _fail(node.start_mark, N_("cannot read this value: %(problem)s"), path, problem=exc.problem)
    except (ValueError, OverflowError):
        _fail(node.start_mark, N_("cannot read this value as a number"), path)


def _build(node, constructor, path: str = "") -> Located:
    """Located values for a node and everything under it; `path` names it in errors (questions[2].answer)."""
    line, column = _where(node.start_mark)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Located] = {}
        keys: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                _fail(key_node.start_mark, N_("a key must be a plain word"), path)
            if key_node.tag == MERGE_TAG:
                _fail(key_node.start_mark, N_("merge keys (<<) are not allowed in a bank: write the fields out"), path)
            key = str(_scalar(key_node, constructor, path))
            if key in result:
                _fail(
                    key_node.start_mark,
                    N_("the key %(key)s appears twice here: keep one of them (a second one would silently win)"),
                    path,
                    key=key,
                )
            result[key] = _build(value_node, constructor, f"{path}.{key}" if path else key)
            keys[key] = _where(key_node.start_mark)
        return Located(result, line, column, keys)
    if isinstance(node, yaml.SequenceNode):
        return Located([_build(item, constructor, f"{path}[{i}]") for i, item in enumerate(node.value)], line, column)
    if node.tag == MERGE_TAG:  # a lone `<<` as a value is only the text "<<"
        return Located(node.value, line, column)
    return Located(_scalar(node, constructor, path), line, column)


def load(data: bytes) -> Located | None:
    """Parse a bank file into Located values, or raise YamlError with the position."""
    text = decode(data)
    _check_events(text)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:  # pragma: no cover - _check_events saw the same stream
        _syntax_error(text, exc)
    if node is None:
        return None
    return _build(node, _Constructor())


def plain(located):
    """Strip positions: Located tree to plain Python (for hashing and storage)."""
    value = located.value if isinstance(located, Located) else located
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
