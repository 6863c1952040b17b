"""CSV downloads that spreadsheet programs open correctly and safely.

UTF-8 with a byte-order mark, or Excel shows the Chinese text as mojibake; a text cell that
starts with =, +, -, @ (or a tab or carriage return) is prefixed with an apostrophe, or a
spreadsheet would run it as a formula (CSV injection). Numbers are written as numbers.
"""
from __future__ import annotations

import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(h) for h in headers])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
