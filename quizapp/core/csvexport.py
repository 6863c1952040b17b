"""CSV files that spreadsheet programs open correctly and safely (no Flask: teach and live both use it).

UTF-8 with a byte-order mark, or Excel shows the Chinese text as mojibake; a text cell that
starts with =, +, -, @ (or a tab, carriage return or line feed) is prefixed with an apostrophe,
or a spreadsheet would run it as a formula (CSV injection). So is one that starts with them
after spaces or invisible characters (a zero-width space or a bidi mark before "=" hides
nothing from every spreadsheet), or with their full-width and small forms (＝＋－＠, ﹦﹢﹣﹫),
which some spreadsheets read as the ASCII ones. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import unicodedata

from quizapp.core.textsafety import is_hidden

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _looks_like_formula(text: str) -> bool:
    if text.startswith(FORMULA_START):
        return True
    rest = text
    while rest and (is_hidden(rest[0]) or rest[0].isspace()):
        rest = rest[1:]
    return unicodedata.normalize("NFKC", rest[:1]).startswith(FORMULA_START)


def cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and _looks_like_formula(value):
        return "'" + value
    return value


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(h) for h in headers])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
