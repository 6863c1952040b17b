"""Quizlet exports and Anki's text files: rows of fields with a separator, detected and correctable.

Quizlet's export dialog joins term and definition with a tab, a comma or a custom text, and rows
with a newline, a semicolon or a custom text. Anki's text files start with headers (`#separator:`,
`#html:`, `#tags:`, `#columns:`, `#guid column:`, `#tags column:`) and quote fields as CSV does.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from quizapp.core.messages import N_
from quizapp.interchange import cards
from quizapp.interchange.common import Draft, FormatError, decode_text, slug
from quizapp.interchange.sanitize import to_text

# Anki's names for separators in `#separator:`.
NAMED = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
CANDIDATES = ("\t", " - ", ",", ";", "|", ":")
_HEADER = re.compile(r"#([a-z ]+):(.*)")


def _headers(text: str) -> tuple[dict, list[str], int]:
    """Anki's `#key:value` lines at the top, the remaining lines, and how many lines they took."""
    headers, lines = {}, text.split("\n")
    taken = 0
    for line in lines:
        found = _HEADER.fullmatch(line.rstrip("\r"))
        if not found:
            break
        headers[found.group(1).strip()] = found.group(2).strip()
        taken += 1
    return headers, lines[taken:], taken


def detect(body: str) -> tuple[str, str]:
    """(field separator, row separator): the pair that splits the most rows into two or more fields
    the same way; newline rows unless the text is one line with semicolons (Quizlet's other choice)."""
    row_sep = "\n" if body.strip().count("\n") or ";" not in body else ";"
    rows = [r for r in body.split(row_sep) if r.strip()][:200]
    best, best_score = "\t", -1
    for sep in CANDIDATES:
        if sep == row_sep:
            continue
        counts = [r.count(sep) for r in rows]
        with_it = sum(1 for c in counts if c >= 1)
        steady = max(counts.count(c) for c in set(counts)) if counts else 0
        score = with_it * 2 + steady - (5 if sep == ":" else 0)  # a colon is often inside a definition
        if with_it and score > best_score:
            best, best_score = sep, score
    return best, row_sep


def split_rows(body: str, sep: str, row_sep: str, first_line: int, quoted: bool) -> list[tuple[int, list[str]]]:
    """Rows with the line each starts on. One-character separators with newline rows are read as CSV
    (Anki quotes fields holding the separator or a newline); Quizlet's custom texts are split as is,
    the definition keeping any further separator (Quizlet does not quote)."""
    rows: list[tuple[int, list[str]]] = []
    if quoted and row_sep == "\n" and len(sep) == 1:
        reader = csv.reader(io.StringIO(body), delimiter=sep, quotechar='"', strict=False)
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    rows.append((first_line + reader.line_num - 1, row))
        except csv.Error as exc:
            raise FormatError(
                N_("this file cannot be read: %(reason)s"), line=first_line + reader.line_num, reason=str(exc)
            )
        return rows
    line = first_line
    for raw in body.split(row_sep):
        if raw.strip():
            rows.append((line, raw.strip("\r\n").split(sep)))
        line += raw.count("\n") + (1 if row_sep == "\n" else 0)
    widths = Counter(len(r) for _l, r in rows)
    usual = widths.most_common(1)[0][0] if widths else 0
    # A definition holding the separator (Quizlet does not quote) is one cell again, not extra columns.
    return [(n, r if len(r) <= usual else [*r[: usual - 1], sep.join(r[usual - 1 :])]) for n, r in rows]


def read(data: bytes, name: str, options: dict | None = None) -> Draft:
    """A Quizlet or Anki text export as a bank of cards. `options` may correct what was detected:
    separator, row_separator, roles (one per column), bank, title."""
    options = options or {}
    text = decode_text(data, name).replace("\r\n", "\n")
    headers, lines, taken = _headers(text)
    body = "\n".join(lines)
    sep, row_sep = detect(body)
    if "separator" in headers:
        sep = NAMED.get(headers["separator"].lower(), headers["separator"])
    sep = options.get("separator") or sep
    row_sep = options.get("row_separator") or row_sep
    if sep == row_sep:
        raise FormatError(N_("the field separator and the row separator must differ"))
    quoted = "separator" in headers or '"' in body[:2000]
    rows = split_rows(body, sep, row_sep, taken + 1, quoted)
    html = headers.get("html", "true" if re.search(r"<(br|div|b|i|span|p)\b", body, re.I) else "false") == "true"
    if html:
        rows = [(line, [to_text(cell) for cell in row]) for line, row in rows]
    names = headers.get("columns", "").split(sep) if "columns" in headers else None
    width = max((len(r) for _l, r in rows), default=0)
    if names is None:
        names = [""] * width
    for key, role in (("guid column", "guid"), ("tags column", "topics")):
        if headers.get(key, "").isdigit() and 0 < int(headers[key]) <= width:
            names = names + [""] * (width - len(names))
            names[int(headers[key]) - 1] = role if role != "topics" else "tags"
    roles = options.get("roles") or cards.guess_roles([r for _l, r in rows], names)
    roles = list(roles) + ["skip"] * (width - len(roles))
    draft = Draft(
        {},
        detected={
            "separator": sep,
            "row_separator": row_sep,
            "roles": roles,
            "columns": width,
            "sample": [r for _l, r in rows[:3]],
        },
    )
    base = re.sub(r"\.[A-Za-z0-9]+$", "", name.rsplit("/", 1)[-1])
    try:
        cards.build(rows, roles, options.get("bank") or slug(base, "imported"), options.get("title") or base, draft)
    except FormatError as exc:
        exc.detected = draft.detected  # what was guessed, for the teacher to correct
        raise
    extra = [slug(t, "") for t in headers.get("tags", "").split()]
    if [t for t in extra if t]:
        for card in draft.bank["cards"]:
            card["topic"] = list(dict.fromkeys([*card.get("topic", []), *[t for t in extra if t]]))
    return draft


def write(bank: dict, lang: str = "en", sep: str = "\t") -> bytes:
    """Quizlet's import: one row per card and question, term (front, or prompt) then definition
    (back, or the answer) in one language, tab between, newline after, no header (Quizlet would take
    a header for a card). Tabs and newlines inside a text become spaces, as that import needs."""
    from quizapp.interchange.common import shown_prompt
    from quizapp.interchange.flat import answer_text

    out = io.StringIO()
    for item in bank.get("questions") or []:  # a cloze: its sentence with gaps, then filled in
        out.write(_row(shown_prompt(item), answer_text(item, lang), lang, sep))
    for card in bank.get("cards") or []:
        out.write(_row(card["front"], card["back"], lang, sep))
    return out.getvalue().encode("utf-8")


def _row(front, back, lang: str, sep: str) -> str:
    from quizapp.interchange.common import texts

    cells = [
        texts(front).get(lang) or next(iter(texts(front).values())),
        back if isinstance(back, str) else (texts(back).get(lang) or next(iter(texts(back).values()))),
    ]
    return sep.join(re.sub(r"[\t\n\r]+", " ", c).replace(sep, " ") for c in cells) + "\n"
