"""PyYAML's syntax errors said for teachers: what is wrong, and how to fix it, at its line and column.

PyYAML speaks of its parser ("expected <block end>, but found '<block mapping start>'"); a
teacher needs "this line is indented differently from the lines beside it". The common problems
(indentation, a tab, an unclosed quote or bracket, a colon in a plain value, text after a
closing quote, a character that cannot start a value, a bad escape) are recognised from the
error's context and problem and from the line itself, in both libyaml's words and the pure-Python
parser's. Anything else keeps PyYAML's words, marked as such. No Flask here.
"""

from __future__ import annotations

import re

from quizapp.core.messages import N_

TAB = N_("a tab character is used for indentation here: YAML indents with spaces only; replace the tab with spaces")
UNCLOSED_QUOTE = N_(
    "the quote %(quote)s opened here is never closed: add the closing %(quote)s at the end of the text "
    "(inside '…' write a ' as ''; inside \"…\" write a \" as \\\")"
)
UNCLOSED_BRACKET = N_("the %(open)s opened here is never closed: add %(close)s where the list or mapping ends")
TEXT_IN_BRACKETS = N_(
    "inside %(open)s…%(close)s a text with a comma, a colon or a bracket must be quoted: put that text "
    'in double quotes, like "Note: this"'
)
COLON_IN_TEXT = N_(
    "this text has a colon followed by a space, which YAML reads as a new key: put the whole text in "
    'double quotes, like prompt: "Note: this"'
)
INDENTED_TOO_FAR = N_(
    "this line is indented further than the line before allows: indent it like the keys beside it "
    "(or end the line before with a colon if this is its value)"
)
INDENTATION = N_(
    "the indentation here does not match the lines above: every key of one item, and every '- ' "
    "of one list, must start in the same column"
)
AFTER_QUOTE = N_(
    "the text goes on after its closing quote: put all of it inside the quotes (inside '…' write a ' as '')"
)
LIST_IN_MAPPING = N_("a list item '- ' where a key was expected: indent it under the key it belongs to")
CANNOT_START = N_("a value cannot start with %(char)s: put the whole text in double quotes")
BAD_ESCAPE = N_(
    "\\%(char)s is not an escape YAML knows: in double quotes write a backslash as \\\\, or use single quotes"
)
NO_COLON = N_(
    "a key needs a colon after it: if this line continues the text above, indent it further than "
    "that key, or put the text in quotes"
)
OTHER = N_("the YAML cannot be read here (the parser says: %(problem)s); check the indentation and quotes")


def _line(text: str, number: int) -> str:
    lines = text.split("\n")
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _char_at(text: str, line: int, column: int) -> str:
    row = _line(text, line)
    return row[column - 1] if 0 < column <= len(row) else ""


def _closed_quote_before(row: str, column: int) -> bool:
    """Whether a quoted value ends on this line before the column: `key: "text" more`."""
    return bool(re.match(r"""^\s*(?:- )?[^:#]+:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')""", row[: column - 1]))


def explain(
    text: str, problem: str, context: str, problem_at: tuple[int, int], context_at: tuple[int, int] | None
) -> tuple[tuple[int, int], str, dict]:
    """((line, column), message template, params) for a MarkedYAMLError's parts (1-based marks)."""
    problem, context = problem or "", context or ""
    line, column = problem_at
    here = _char_at(text, line, column)
    row = _line(text, line)
    if "tab" in problem or here == "\t" or "\t" in row[: len(row) - len(row.lstrip())]:
        return problem_at, TAB, {}
    if "quoted scalar" in context and ("end of stream" in problem or "document" in problem):
        opened = context_at or problem_at
        return opened, UNCLOSED_QUOTE, {"quote": _char_at(text, *opened) or '"'}
    if "escape" in problem:
        return problem_at, BAD_ESCAPE, {"char": here or "?"}
    if "flow sequence" in context or "flow mapping" in context:
        brackets = ("[", "]") if "sequence" in context else ("{", "}")
        opened = context_at or problem_at
        if opened[0] == line:
            return problem_at, TEXT_IN_BRACKETS, {"open": brackets[0], "close": brackets[1]}
        return opened, UNCLOSED_BRACKET, {"open": brackets[0], "close": brackets[1]}
    if "mapping values are not allowed" in problem:
        before = row[: column - 1]
        if re.search(r"\S:\s", before) or re.match(r"^\s*(?:- )?[^:]+:\s+\S", before):
            return problem_at, COLON_IN_TEXT, {}
        return problem_at, INDENTED_TOO_FAR, {}
    if "cannot start any token" in problem:
        return problem_at, CANNOT_START, {"char": here or "?"}
    if "expected ':'" in problem:
        return context_at or problem_at, NO_COLON, {}
    if "block mapping" in context or "block collection" in context or "<block end>" in problem:
        if _closed_quote_before(row, column):
            return problem_at, AFTER_QUOTE, {}
        if row.lstrip().startswith("- ") and "block mapping" in context:
            return problem_at, LIST_IN_MAPPING, {}
        return problem_at, INDENTATION, {}
    return problem_at, OTHER, {"problem": problem or context}
