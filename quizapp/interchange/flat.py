"""Our own table of a bank, one row per question or card: what CSV, TSV and a spreadsheet hold.

Columns are named (the first row), so a teacher can edit the table in any spreadsheet and import
it back unchanged. Choices are one per line in their cell, `* ` marking a right one; accepted text
answers are one per line; a card is a row of type `card` (prompt = front, answer = back).
"""

from __future__ import annotations

from quizapp.core.messages import N_
from quizapp.interchange.common import LANGUAGES, Draft, FormatError, Note, bank_languages, cloze_filled, texts
from quizapp.interchange.sanitize import defuse

COLUMNS = [
    "id",
    "type",
    "topic",
    "difficulty",
    "prompt_en",
    "prompt_zh",
    "choices_en",
    "choices_zh",
    "answer_en",
    "answer_zh",
    "tolerance",
    "also",
    "format",
    "pinyin",
    "explanation_en",
    "explanation_zh",
    "source",
]
CHOICE_TYPES = ("choice", "multi", "order")


def _topics(item: dict) -> list[str]:
    topic = item.get("topic")
    return [] if topic is None else [topic] if isinstance(topic, str) else list(topic)


def answer_text(item: dict, lang: str) -> str:
    """A question's right answer as one line of text in a language (for a card's back elsewhere)."""
    kind = item["type"]
    if kind in ("choice", "multi"):
        return "; ".join(_in(c, lang) for c in item["choices"] if isinstance(c, dict) and c.get("correct"))
    if kind == "order":
        return " → ".join(_in(c, lang) for c in item["choices"])
    if kind == "true_false":
        return {"en": "True", "zh": "对"}[lang] if item["answer"] else {"en": "False", "zh": "错"}[lang]
    if kind == "text":
        accepted = item["answer"].get(lang) or next(iter(item["answer"].values()))
        return str(accepted[0] if isinstance(accepted, list) else accepted)
    if kind == "cloze":  # the sentence with its blanks filled in
        return _in(cloze_filled(item), lang)
    return str(item.get("answer", ""))


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


def _in(text, lang: str) -> str:
    found = texts(text)
    return found.get(lang) or next(iter(found.values()), "")


def to_rows(bank: dict) -> list[list[str]]:
    """The bank as a header row and one row per question, then per card."""
    languages = bank_languages(bank)
    rows = [COLUMNS]
    for item in bank.get("questions") or []:
        row = dict.fromkeys(COLUMNS, "")
        row.update(id=item["id"], type=item["type"], topic=" ".join(_topics(item)))
        row["difficulty"] = str(item.get("difficulty", ""))
        for lang in languages:
            row[f"prompt_{lang}"] = _in(item["prompt"], lang)
            if item.get("explanation") is not None:
                row[f"explanation_{lang}"] = _in(item["explanation"], lang)
            if item["type"] in CHOICE_TYPES:
                row[f"choices_{lang}"] = "\n".join(
                    ("* " if isinstance(c, dict) and c.get("correct") else "") + _in(c, lang) for c in item["choices"]
                )
            elif item["type"] == "text":
                accepted = item["answer"].get(lang, [])
                row[f"answer_{lang}"] = "\n".join(map(str, accepted if isinstance(accepted, list) else [accepted]))
            elif item["type"] == "cloze":  # the prompt holds the blanks; more accepted answers as "c2: answer" lines
                row[f"answer_{lang}"] = "\n".join(
                    f"{blank}: {answer}"
                    for blank, more in (item.get("accept") or {}).items()
                    for answer in _listed(more.get(lang, []) if isinstance(more, dict) else [])
                )
        if item["type"] in ("true_false", "numeric"):
            row["answer_en"] = str(item["answer"]).lower() if item["type"] == "true_false" else repr(item["answer"])
        row["tolerance"] = str(item.get("tolerance", ""))
        row["also"] = "; ".join(repr(v) for v in item.get("also", []))
        row["format"] = item.get("format", "")
        row["pinyin"] = "true" if item.get("pinyin") else ""
        row["source"] = item.get("source", "")
        rows.append([row[c] for c in COLUMNS])
    for card in bank.get("cards") or []:
        row = dict.fromkeys(COLUMNS, "")
        row.update(id=card["id"], type="card", topic=" ".join(_topics(card)), source=card.get("source", ""))
        for lang in languages:
            row[f"prompt_{lang}"], row[f"answer_{lang}"] = _in(card["front"], lang), _in(card["back"], lang)
        rows.append([row[c] for c in COLUMNS])
    return rows


def _number(text: str, line: int, column: str):
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise FormatError(N_("%(column)s is not a number: %(value)s"), line=line, column=column, value=text[:40])
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


def _both(cell: dict, langs: list[str]):
    """A reader of one row's per-language columns, e.g. both("prompt") -> {en: ..., zh: ...}."""
    return lambda prefix: {lang: cell[f"{prefix}_{lang}"] for lang in langs if cell.get(f"{prefix}_{lang}")}


def from_rows(rows: list[tuple[int, list[str]]], bank_id: str, title: str) -> Draft:
    """Our table back into a bank dict; the first row names the columns (any order, extra ones ignored)."""
    (_line, header), *body = rows
    index = {name.strip().lower(): i for i, name in enumerate(header)}
    draft = Draft({})
    langs = [
        lang
        for lang in LANGUAGES
        if any(
            row[index[f"prompt_{lang}"]].strip()
            for _l, row in body
            if f"prompt_{lang}" in index and index[f"prompt_{lang}"] < len(row)
        )
    ]
    questions, cards = [], []
    for line, row in body:
        cell = {name: defuse(row[i].strip() if i < len(row) else "") for name, i in index.items()}
        if not any(cell.values()):
            continue
        kind, item = cell.get("type", ""), {"id": cell.get("id", "")}
        both = _both(cell, langs)
        if cell.get("topic"):
            item["topic"] = cell["topic"].split()
        if kind == "card":
            item.update(front=both("prompt"), back=both("answer"))
            if cell.get("source"):
                item["source"] = cell["source"]
            cards.append(item)
            draft.lines[item["id"]] = line
            continue
        item.update(type=kind)
        if cell.get("difficulty"):
            item["difficulty"] = int(_number(cell["difficulty"], line, "difficulty"))
        item["prompt"] = both("prompt")
        if kind in CHOICE_TYPES:
            per_lang = {lang: cell.get(f"choices_{lang}", "").split("\n") for lang in langs}
            count = max((len(v) for v in per_lang.values()), default=0)
            item["choices"] = []
            for i in range(count):
                choice, correct = {}, False
                for lang in langs:
                    text = per_lang[lang][i].strip() if i < len(per_lang[lang]) else ""
                    if text.startswith("* "):
                        text, correct = text[2:].strip(), True
                    if text:
                        choice[lang] = text
                if kind != "order" and correct:
                    choice["correct"] = True
                item["choices"].append(choice)
        elif kind == "true_false":
            item["answer"] = cell.get("answer_en", "").lower() in ("true", "yes", "1", "t")
        elif kind == "numeric":
            item["answer"] = _number(cell.get("answer_en", ""), line, "answer_en")
        elif kind == "text":
            item["answer"] = {
                lang: [a.strip() for a in cell.get(f"answer_{lang}", "").split("\n") if a.strip()] for lang in langs
            }
        elif kind == "cloze":
            accept: dict = {}
            for lang in langs:
                for entry in cell.get(f"answer_{lang}", "").split("\n"):
                    blank, _sep, answer = entry.partition(":")
                    if answer.strip():
                        accept.setdefault(blank.strip(), {}).setdefault(lang, []).append(answer.strip())
            if accept:
                item["accept"] = accept
        else:
            draft.skipped.append(
                Note(line, N_("unknown question type %(type)s, so the row was left out"), {"type": repr(kind)})
            )
            continue
        if cell.get("tolerance"):
            item["tolerance"] = _number(cell["tolerance"], line, "tolerance")
        if cell.get("also"):
            item["also"] = [_number(v.strip(), line, "also") for v in cell["also"].split(";") if v.strip()]
        if cell.get("format"):
            item["format"] = cell["format"]
        if cell.get("pinyin", "").lower() == "true":
            item["pinyin"] = True
        if both("explanation"):
            item["explanation"] = both("explanation")
        if cell.get("source"):
            item["source"] = cell["source"]
        questions.append(item)
        draft.lines[item["id"]] = line
    draft.bank = {"bank": bank_id, "languages": langs, "title": {lang: title for lang in langs}}
    if questions:
        draft.bank["questions"] = questions
    if cards:
        draft.bank["cards"] = cards
    return draft


def is_ours(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return {"id", "type"} <= names and bool(names & {"prompt_en", "prompt_zh"})
