"""CSV, TSV and .xlsx: our own table (flat.py), a term/definition table, and Kahoot's quiz template.

Kahoot's spreadsheet template has a few rows of instructions, then a header row (Question - max 120
characters, Answer 1 - max 75 characters ... Answer 4, Time limit (sec), Correct answer(s)) and one
question per row, the correct answers as numbers `1,3`. We read and write it with openpyxl.
"""

from __future__ import annotations

import csv
import io
import re

from quizapp.core.messages import N_
from quizapp.interchange import cards, flat
from quizapp.interchange.common import (
    Draft,
    FormatError,
    Note,
    decode_text,
    is_chinese,
    open_zip,
    slug,
    texts,
    unique_id,
)
from quizapp.interchange.sanitize import defuse

KAHOOT_QUESTION, KAHOOT_ANSWER, KAHOOT_ANSWERS = 120, 75, 4
KAHOOT_TIMES = (5, 10, 20, 30, 60, 90, 120, 240)
KAHOOT_HEADER = [
    "",
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
]


def _base(name: str) -> str:
    return re.sub(r"\.[A-Za-z0-9]+$", "", name.rsplit("/", 1)[-1])


def read_csv(data: bytes, name: str, options: dict | None = None) -> Draft:
    """A CSV or TSV: our table when its header names our columns, else a term/definition table."""
    options = options or {}
    text = decode_text(data, name)
    sep = options.get("separator") or (
        "\t" if name.lower().endswith((".tsv", ".tab")) or text[:2000].count("\t") > text[:2000].count(",") else ","
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise FormatError(N_("this file cannot be read: %(reason)s"), line=reader.line_num, reason=str(exc)) from None
    return _table(rows, name, options, {"separator": sep})


def _table(rows: list[tuple[int, list[str]]], name: str, options: dict, detected: dict) -> Draft:
    rows = [(line, [str(c) if c is not None else "" for c in row]) for line, row in rows]
    rows = [(line, row) for line, row in rows if any(c.strip() for c in row)]
    if not rows:
        raise FormatError(N_("%(name)s has no rows"), name=name)
    bank_id, title = options.get("bank") or slug(_base(name), "imported"), options.get("title") or _base(name)
    if flat.is_ours(rows[0][1]):
        draft = flat.from_rows(rows, bank_id, title)
        draft.detected.update(detected, table="quizapp")
        return draft
    header = [c.strip().lower() for c in rows[0][1]]
    named = any(
        h in ("term", "definition", "front", "back", "en", "zh", "english", "chinese", "pinyin", "tags") for h in header
    )
    body = rows[1:] if named else rows
    names = ["tags" if h == "tags" else "pinyin" if h == "pinyin" else "" for h in header] if named else None
    width = max(len(r) for _l, r in body) if body else 0
    roles = options.get("roles") or cards.guess_roles([r for _l, r in body], names)
    roles = list(roles) + ["skip"] * (width - len(roles))
    draft = Draft(
        {},
        detected={**detected, "roles": roles, "columns": width, "table": "terms", "sample": [r for _l, r in body[:3]]},
    )
    try:
        cards.build(body, roles, bank_id, title, draft)
    except FormatError as exc:
        exc.detected = draft.detected  # what was guessed, for the teacher to correct
        raise
    return draft


def read_xlsx(data: bytes, name: str, options: dict | None = None) -> Draft:
    """An .xlsx: Kahoot's template when a row starts with its Question heading, else a table."""
    import openpyxl

    options = options or {}
    open_zip(data, name)  # refuse a zip bomb before openpyxl unpacks anything
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FormatError(
            N_("%(name)s cannot be read as a spreadsheet: %(reason)s"), name=name, reason=str(exc)[:200]
        ) from None
    sheet = book.worksheets[0]
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        rows.append((number, ["" if c is None else str(c) for c in row]))
        if number > 20_000:
            raise FormatError(N_("%(name)s has more than 20,000 rows"), name=name)
    book.close()
    for index, (_line, row) in enumerate(rows[:30]):
        if any(c.strip().lower().startswith("question - max") for c in row):
            return _kahoot(rows[index:], name, options)
    return _table(rows, name, options, {})


def _cells(row: list[str]):
    return lambda i: defuse(row[i].strip()) if i < len(row) else ""


def _kahoot(rows, name: str, options: dict) -> Draft:
    (_line, header), *body = rows
    at = {
        key: next(i for i, c in enumerate(header) if c.strip().lower().startswith(key))
        for key in ("question", "correct")
    }
    answers = [i for i, c in enumerate(header) if c.strip().lower().startswith("answer ")]
    prompts = " ".join(row[at["question"]] for _l, row in body[:50] if at["question"] < len(row))
    lang = options.get("language") or ("zh" if is_chinese(prompts) else "en")
    title = options.get("title") or _base(name)
    draft = Draft({}, detected={"table": "kahoot", "language": lang})
    questions, used = [], set()
    for line, row in body:
        cell = _cells(row)
        prompt = cell(at["question"])
        if not prompt:
            continue
        choices = [(n + 1, cell(i)) for n, i in enumerate(answers) if cell(i)]
        marks = {int(m) for m in re.findall(r"\d+", cell(at["correct"]))}
        right = [n for n, _t in choices if n in marks]
        if len(choices) < 2 or not right:
            draft.skipped.append(Note(line, N_("a Kahoot question needs two answers and a correct one; left out")))
            continue
        question = {
            "id": unique_id(prompt if slug(prompt, "") else f"q{line}", used),
            "type": "choice" if len(right) == 1 else "multi",
            "prompt": {lang: prompt},
            "choices": [{lang: text, **({"correct": True} if n in marks else {})} for n, text in choices],
        }
        questions.append(question)
        draft.lines[question["id"]] = line
    if not questions:
        raise FormatError(N_("%(name)s has no Kahoot question that can be imported"), name=name)
    draft.bank = {
        "bank": options.get("bank") or slug(title, "kahoot"),
        "languages": [lang],
        "title": {lang: title},
        "questions": questions,
    }
    return draft


def write_csv(bank: dict, sep: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\n").writerows(flat.to_rows(bank))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the byte-order mark makes Excel read UTF-8


def write_kahoot(bank: dict, lang: str = "en") -> tuple[bytes, list[Note]]:
    """Kahoot's template with the bank's choice, multi and true/false questions in one language.
    What does not fit Kahoot's limits is left out and reported (never cut to fit)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["Quiz template"])
    sheet.append(
        ["Add questions, at least two answer alternatives, time limit and choose correct answers (at least one)."]
    )
    sheet.append([])
    sheet.append(KAHOOT_HEADER)
    left_out: list[Note] = []
    number = 0
    for item in bank.get("questions") or []:
        prompt = texts(item["prompt"]).get(lang) or next(iter(texts(item["prompt"]).values()))
        if item["type"] == "true_false":
            answers = [("True", item["answer"] is True), ("False", item["answer"] is False)]
            if lang == "zh":
                answers = [("对", item["answer"] is True), ("错", item["answer"] is False)]
        elif item["type"] in ("choice", "multi"):
            answers = [(flat._in(c, lang), bool(isinstance(c, dict) and c.get("correct"))) for c in item["choices"]]
        else:
            left_out.append(
                Note(None, N_("%(id)s: Kahoot has no %(type)s questions"), {"id": item["id"], "type": item["type"]})
            )
            continue
        if len(prompt) > KAHOOT_QUESTION:
            left_out.append(
                Note(
                    None,
                    N_("%(id)s: the question has %(n)s characters; Kahoot takes %(max)s"),
                    {"id": item["id"], "n": len(prompt), "max": KAHOOT_QUESTION},
                )
            )
            continue
        if len(answers) > KAHOOT_ANSWERS:
            left_out.append(
                Note(
                    None,
                    N_("%(id)s: %(n)s answers; Kahoot takes %(max)s"),
                    {"id": item["id"], "n": len(answers), "max": KAHOOT_ANSWERS},
                )
            )
            continue
        long = [a for a, _r in answers if len(a) > KAHOOT_ANSWER]
        if long:
            left_out.append(
                Note(
                    None,
                    N_("%(id)s: an answer has %(n)s characters; Kahoot takes %(max)s"),
                    {"id": item["id"], "n": len(long[0]), "max": KAHOOT_ANSWER},
                )
            )
            continue
        number += 1
        texts_ = [a for a, _r in answers] + [""] * (KAHOOT_ANSWERS - len(answers))
        correct = ",".join(str(i + 1) for i, (_a, right) in enumerate(answers) if right)
        sheet.append([number, prompt, *texts_, 20, correct])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), left_out
