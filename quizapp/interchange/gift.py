"""Moodle's GIFT format, read and written by Moodle's own grammar (question/format/gift/format.php).

Questions are separated by blank lines; `//` starts a comment line; `$CATEGORY:` sets the category
(its last part becomes our topic); `::name::` names a question (our id); `[html]`, `[moodle]`,
`[plain]`, `[markdown]` give the text's format; `{...}` holds the answers, anywhere in the text
(text after it makes the missing-word form); `\\~ \\= \\# \\{ \\} \\:` are escapes.
"""

from __future__ import annotations

import re
from html import escape

from quizapp.core.messages import N_
from quizapp.interchange.common import (
    Draft,
    FormatError,
    Note,
    category_topic,
    decode_text,
    texts,
    unique_id,
)
from quizapp.interchange.moodle import feedback_text, settle_languages, split_answers
from quizapp.interchange.sanitize import multilang, multilang_html, to_text

_SPECIAL = "~=#{}:"
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.I)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_BLANK = "_____"


def _unescape(text: str) -> str:
    return re.sub(r"\\([~=#{}:n\\])", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL or c == "\\" else c for c in text).replace("\n", "\\n")


def _split_unescaped(text: str, marks: str) -> list[tuple[str, str]]:
    """(mark, text) pieces of an answer block, split before each unescaped mark character."""
    pieces, current, mark, i = [], [], "", 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if c in marks:
            if current or mark:
                pieces.append((mark, "".join(current)))
            mark, current = c, []
        else:
            current.append(c)
        i += 1
    if current or mark:
        pieces.append((mark, "".join(current)))
    return pieces


def _chunks(text: str):
    """(first line, lines) of each question: blank lines separate; comment lines are dropped."""
    chunk, start = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not stripped:
            if chunk:
                yield start, chunk
            chunk = []
            continue
        if not chunk:
            start = number
        chunk.append(line)
    if chunk:
        yield start, chunk


def _braces(block: str, first_line: int) -> tuple[int, int] | None:
    """Where the answer block opens and closes (unescaped braces), or None for a description."""
    opened = None
    i = 0
    while i < len(block):
        c = block[i]
        if c == "\\":
            i += 2
            continue
        if c == "{" and opened is None:
            opened = i
        elif c == "}" and opened is not None:
            return opened, i
        i += 1
    if opened is not None:
        line = first_line + block[:opened].count("\n")
        raise FormatError(N_("a { opens the answers here and is never closed with }"), line=line)
    return None


def _text(raw: str, html: bool) -> dict:
    raw = _unescape(raw.strip())
    return (
        multilang(raw)
        if html or "multilang" in raw
        else {k: v for k, v in {"en": to_text(raw), "zh": to_text(raw)}.items() if v}
    )


def read(data: bytes, name: str, options: dict | None = None) -> Draft:
    options = options or {}
    source = decode_text(data, name).replace("\r\n", "\n")
    draft = Draft({})
    questions, used, category = [], set(), None
    paths = {m.strip() for m in re.findall(r"^\s*\$CATEGORY:(.*)$", source, re.M)}
    for line, lines in _chunks(source):
        block = "\n".join(lines).strip()
        if block.startswith("$CATEGORY:"):
            category = block.split(":", 1)[1].strip().split("\n")[0]
            block = "\n".join(block.split("\n")[1:]).strip()
            if not block:
                continue
        title = None
        found = re.match(r"^::(.*?)(?<!\\)::", block, re.S)
        if found:
            title, block = _unescape(found.group(1)).strip(), block[found.end() :].lstrip()
        fmt = _FORMAT.match(block)
        html = bool(fmt and fmt.group(1).lower() == "html")
        if fmt:
            block = block[fmt.end() :]
        where = _braces(block, line)
        if where is None:
            draft.skipped.append(Note(line, N_("a description (no answers) is not a question; left out")))
            continue
        start, end = where
        before, answers, after = block[:start], block[start + 1 : end].strip(), block[end + 1 :]
        if after.strip():  # the missing-word form: the answers stand for a blank in the text
            after = after.strip()
            prompt_raw = before.rstrip() + " " + _BLANK + ("" if after[0] in ".,;:!?" else " ") + after
        else:
            prompt_raw = before
        prompt = _text(prompt_raw, html)
        question = _answers(answers, html, line, draft)
        if question is None:
            continue
        if not prompt:
            draft.skipped.append(Note(line, N_("a question without text; left out")))
            continue
        question["prompt"] = prompt
        if after.strip() and question["type"] == "text":
            question = _missing_word(question)
        question = {"id": unique_id(title or _text(prompt_raw, html).get("en", "") or f"q{line}", used), **question}
        topic = category_topic(category, paths) if category else None
        if topic:
            question["topic"] = [topic]
        questions.append(question)
        draft.lines[question["id"]] = line
    if not questions:
        raise FormatError(N_("%(name)s has no question that can be imported"), name=name)
    settle_languages(questions, draft, options, name)
    return draft


def _answers(raw: str, html: bool, line: int, draft: Draft) -> dict | None:
    """The answer block as our question fields (no prompt yet), or None with a skipped note."""
    general = None
    if "####" in raw:
        raw, general = raw.split("####", 1)
    raw = raw.strip()
    question: dict = {}
    said: list[tuple[dict, dict]] = []
    upper = raw.split("#", 1)[0].strip().upper()
    if upper in ("T", "TRUE", "F", "FALSE"):
        question = {"type": "true_false", "answer": upper.startswith("T")}
    elif raw.startswith("#"):
        question = _numeric(raw[1:], line, draft)
        if question is None:
            return None
    elif not raw:
        draft.skipped.append(Note(line, N_("an essay question (empty braces) has no form here; left out")))
        return None
    elif "->" in raw:
        draft.skipped.append(Note(line, N_("a matching question has no form here; left out")))
        return None
    else:
        pieces = [(m, t) for m, t in _split_unescaped(raw, "=~") if m]
        right, choices, said = 0, [], []
        for mark, text in pieces:
            parts = _split_unescaped(text, "#")
            body = parts[0][1] if parts and parts[0][0] == "" else ""
            feedback = next((t for m, t in parts if m == "#" and t.strip()), "")
            weight = _WEIGHT.match(body.strip())
            value = float(weight.group(1)) if weight else (100.0 if mark == "=" else 0.0)
            body = body.strip()[weight.end() :] if weight else body
            choice = _text(body, html)
            if not choice:
                continue
            correct = value > 0
            right += correct
            choices.append({**choice, **({"correct": True} if correct else {})})
            if feedback.strip():
                said.append((choice, _text(feedback, html)))
        if pieces and all(m == "=" for m, _t in pieces):
            question = {"type": "text", "answer": split_answers([c.get("en") or c.get("zh") for c in choices])}
        elif right == 0 or len(choices) < 2:
            draft.skipped.append(Note(line, N_("a choice question needs two choices and a right one; left out")))
            return None
        else:
            single = right == 1 and not any(
                _WEIGHT.match(t.strip()) for m, t in pieces if m == "~" and not t.strip().startswith("%-")
            )
            question = {"type": "choice" if single else "multi", "choices": choices}
    explanation = feedback_text(
        _text(general, html) if general else {}, said if upper not in ("T", "TRUE", "F", "FALSE") else []
    )
    if explanation:
        question["explanation"] = explanation
    return question


def _missing_word(question: dict) -> dict:
    """The missing-word form with right answers only ("Two plus two is {=four =4}.") as our cloze: the
    first answer in each language fills the blank, every answer is accepted. With wrong choices (~) it
    stays a choice question; an answer that would break a blank's markup keeps it a text question."""
    answers = question["answer"]
    if any(mark in a for texts_ in answers.values() for a in texts_ for mark in ("{{", "}}", "::")):
        return question
    cloze = {k: v for k, v in question.items() if k != "answer"}
    cloze["type"] = "cloze"
    same = len(set(question["prompt"].values())) == 1  # not multilang: one text, whatever its language
    cloze["prompt"] = {
        lang: text.replace(_BLANK, "{{c1::" + (answers["en"] if same else answers.get(lang) or answers["en"])[0] + "}}")
        for lang, text in question["prompt"].items()
    }
    cloze["accept"] = {"c1": {lang: list(texts_) for lang, texts_ in answers.items()}}
    return cloze


def _numeric(raw: str, line: int, draft: Draft) -> dict | None:
    values = [t for m, t in _split_unescaped(raw, "=") if t.strip()] if raw.lstrip().startswith("=") else [raw]
    found = []
    for text in values:
        text = text.split("#", 1)[0].strip()
        weight = _WEIGHT.match(text)
        if weight:
            if float(weight.group(1)) < 100:  # partly right numbers have no place in our format
                draft.skipped.append(
                    Note(line, N_("a partly right answer (%(answer)s) was left out"), {"answer": text})
                )
                continue
            text = text[weight.end() :]
        try:
            if ".." in text:
                low, high = (float(v) for v in text.split(".."))
                found.append(((low + high) / 2, (high - low) / 2))
            elif ":" in text:
                value, tolerance = (float(v) for v in text.split(":"))
                found.append((value, tolerance))
            else:
                found.append((float(text), 0.0))
        except ValueError:
            draft.skipped.append(Note(line, N_("a numerical answer that is not a number; left out")))
            return None
    if not found:
        draft.skipped.append(Note(line, N_("a numerical question without a right number; left out")))
        return None
    number = lambda v: int(v) if float(v).is_integer() else v  # noqa: E731
    question = {"type": "numeric", "answer": number(found[0][0]), "tolerance": number(found[0][1])}
    also = [number(v) for v, t in found[1:] if t == found[0][1]]
    if also:
        question["also"] = also
    return question


def write(bank: dict) -> tuple[bytes, list[Note]]:
    """The bank's questions as GIFT, both languages in multilang spans ([html]); what GIFT cannot
    hold (order questions, cards) is listed, not written."""
    out, left_out, category = [], [], None
    out.append(f"// {bank['bank']}: exported from quizapp\n")
    for item in bank.get("questions") or []:
        topics = item.get("topic") or []
        topics = [topics] if isinstance(topics, str) else topics
        wanted = f"$course$/top/{bank['bank']}" + (f"/{topics[0]}" if topics else "")
        if wanted != category and any(q.get("topic") for q in bank["questions"]):  # the bank's own category: no topic
            category = wanted
            out.append(f"$CATEGORY: {category}\n")
        html = lambda t: _escape(multilang_html(texts(t)))  # noqa: E731
        kind = item["type"]
        if kind == "choice":
            body = " ".join(("=" if c.get("correct") else "~") + html(c) for c in item["choices"])
        elif kind == "multi":
            right = [c for c in item["choices"] if isinstance(c, dict) and c.get("correct")]
            share = round(100 / len(right), 5)
            share_text = f"{share:g}"
            body = " ".join(
                (f"~%{share_text}%" if isinstance(c, dict) and c.get("correct") else "~%-100%") + html(c)
                for c in item["choices"]
            )
        elif kind == "true_false":
            body = "T" if item["answer"] else "F"
        elif kind == "numeric":
            tol = item.get("tolerance", 0)
            body = "#" + " ".join(f"={v!r}:{tol!r}" for v in [item["answer"], *item.get("also", [])])
        elif kind == "text":
            body = " ".join(
                "=" + _escape(escape(str(a), quote=False))
                for lang in ("en", "zh")
                for a in item["answer"].get(lang, [])
            )
        else:
            left_out.append(Note(None, N_("%(id)s: GIFT has no %(type)s questions"), {"id": item["id"], "type": kind}))
            continue
        general = f" ####{html(item['explanation'])}" if item.get("explanation") else ""
        out.append(f"::{_escape(item['id'])}::[html]{html(item['prompt'])} {{{body}{general}}}\n")
    if bank.get("cards"):
        left_out.append(Note(None, N_("%(n)s flashcards: GIFT has no flashcards"), {"n": len(bank["cards"])}))
    return "\n".join(out).encode("utf-8"), left_out
