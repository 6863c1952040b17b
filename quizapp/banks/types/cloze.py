"""A sentence with blanks, written as Anki writes them ({{c1::answer}} or {{c1::answer::hint}}), graded per
blank with the same matching as text questions (core.textmatch).

The bank's prompt holds the answers, so the check stores the prompt with numbered gaps in their place
("In [1], China passed a new [2] …") as `prompt`, which every generic page (results, reports, exports, the
live game's list) shows without knowing the type, and the parsed sentence in `cloze`: per language a list of
texts and blank numbers. `blanks` holds each blank's number, its text per language, hint and accepted answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizapp.banks.types.base import NOTES, SCALAR, AnswerError, Grade, QuestionType, first_node, register, values
from quizapp.core import textmatch
from quizapp.core.messages import N_, UserError

MAX_BLANKS = 20  # distinct blank numbers in one question: a sentence, not a worksheet
_OPEN = re.compile(r"\{\{c(\d+)::")
_BLANK_KEY = re.compile(r"c([1-9][0-9]{0,2})")
_TYPED = re.compile(r"\[([1-9][0-9]{0,2})\] (.+)", re.S)  # one blank's typed answer as reports show it: "[2] law"


@dataclass(frozen=True)
class Blank:
    """One blank of a sentence as written: its number, the answer it hides and the optional hint."""

    number: int
    answer: str
    hint: str = ""


class ClozeError(UserError):
    """A sentence's blanks cannot be read (the bank check reports it at the prompt's line)."""


def parse(text: str) -> list[str | Blank]:
    """A sentence as its texts and blanks, in order: "In {{c1::2020}}, …" -> ["In ", Blank(1, "2020"), ", …"].

    Refuses what Anki would show as a broken card: `{{` that opens no well-formed blank, a blank never
    closed, an empty answer, a blank inside a blank, the number 0."""
    parts: list[str | Blank] = []
    at = 0
    while True:
        start = text.find("{{", at)
        if start < 0:
            break
        opened = _OPEN.match(text, start)
        if not opened:
            raise ClozeError(
                N_("%(text)s does not start a blank: write {{c1::answer}} or {{c1::answer::hint}}"),
                text=repr(text[start : start + 12]),
            )
        end = text.find("}}", opened.end())
        inner_open = text.find("{{", opened.end())
        if end < 0 or 0 <= inner_open < end:
            raise ClozeError(N_("the blank %(text)s is not closed with }}"), text=repr(text[start : start + 20]))
        number = int(opened.group(1))
        if number < 1 or number > 999:
            raise ClozeError(N_("blank numbers start at c1 (got c%(number)s)"), number=opened.group(1))
        answer, _sep, hint = text[opened.end() : end].partition("::")
        if not answer.strip():
            raise ClozeError(N_("the blank c%(number)s is empty: write its answer after c%(number)s::"), number=number)
        if start > at:
            parts.append(text[at:start])
        parts.append(Blank(number, answer.strip(), hint.strip()))
        at = end + 2
    if at < len(text):
        parts.append(text[at:])
    return parts


def gap(number: int) -> str:
    """How a blank shows where its answer must not: a numbered gap."""
    return f"[{number}]"


def gapped(parts: list, shown: dict | None = None) -> str:
    """A parsed sentence as text, each blank a numbered gap unless `shown` gives its text (number -> text)."""
    shown = shown or {}
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            number = part if isinstance(part, int) else part.number
            out.append(shown.get(number, gap(number)))
    return "".join(out)


def _at(fields: dict, lang: str):
    """Where a language's prompt was written (the prompt itself when it is one value for every language)."""
    prompt = fields.get("prompt")
    if prompt is not None and isinstance(prompt.value, dict) and prompt.value.get(lang) is not None:
        return prompt.value[lang]
    return prompt or first_node(fields)


def _texts(item) -> list[str] | None:
    """One or more accepted answers as written (a value or a list of them); None when not that."""
    found = item.value if isinstance(item.value, list) else [item]
    texts = [
        str(v.value).strip()
        for v in found
        if v is not None and v.value is not None and not isinstance(v.value, (dict, list, bool))
    ]
    return texts if found and len(texts) == len(found) and all(texts) else None


@register
class Cloze(QuestionType):
    name = "cloze"
    label = N_("Fill in the blanks")
    accepts_typed = True  # one blank at a time, from the report's "[2] law"
    fields = {
        # More accepted answers per blank, beyond the blank's own text in each language: {c2: {en: [...], zh: [...]}}
        "accept": {
            "type": "object",
            "propertyNames": {"pattern": "^c[1-9][0-9]{0,2}$"},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    lang: {"oneOf": [SCALAR, {"type": "array", "minItems": 1, "items": SCALAR}]}
                    for lang in ("en", "zh")
                },
            },
        },
        "pinyin": {"type": "boolean"},  # whether pinyin typed for a Chinese answer counts
    }

    # ------------------------------------------------------------------ the bank
    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        prompt = q.get("prompt")
        if not prompt:
            return  # the prompt's own problems are reported already
        sentences: dict[str, list] = {}
        for lang in check.languages:
            try:
                parts = parse(prompt[lang])
            except ClozeError as exc:
                check.add(_at(fields, lang), f"{path}.prompt.{lang}", exc.message, **exc.params)
                continue
            if not any(isinstance(p, Blank) for p in parts):
                check.add(
                    _at(fields, lang),
                    f"{path}.prompt.{lang}",
                    N_("a cloze prompt needs at least one blank, written {{c1::answer}}"),
                )
                continue
            sentences[lang] = parts
        if len(sentences) != len(check.languages):
            return
        numbers = {lang: {p.number for p in parts if isinstance(p, Blank)} for lang, parts in sentences.items()}
        every = sorted(set().union(*numbers.values()))
        for lang in check.languages:
            for other in check.languages:
                missing = sorted(numbers[other] - numbers[lang])
                if missing:
                    check.add(
                        _at(fields, lang),
                        f"{path}.prompt.{lang}",
                        N_("the %(other)s prompt has the blank %(blanks)s that the %(lang)s prompt does not"),
                        other=other,
                        lang=lang,
                        blanks=", ".join(f"c{n}" for n in missing),
                    )
        if len(every) > MAX_BLANKS:
            check.add(
                fields["prompt"],
                f"{path}.prompt",
                N_("a cloze question has at most %(limit)s blanks (found %(found)s)"),
                limit=MAX_BLANKS,
                found=len(every),
            )
        blanks = {n: {"n": n, "text": {}, "hint": {}, "accept": {lang: [] for lang in check.languages}} for n in every}
        for lang, parts in sentences.items():
            for part in parts:
                if isinstance(part, Blank):
                    blank = blanks[part.number]
                    blank["text"].setdefault(lang, part.answer)  # a repeated number shows its first text
                    if part.hint:
                        blank["hint"].setdefault(lang, part.hint)
                    if part.answer not in blank["accept"][lang]:
                        blank["accept"][lang].append(part.answer)
        written = cls._check_accept(check, fields, path, blanks)
        pinyin = fields.get("pinyin")
        if pinyin is not None and not isinstance(pinyin.value, bool):
            check.add(
                pinyin, f"{path}.pinyin", N_("pinyin is true or false (got %(value)s)"), value=repr(pinyin.value)[:40]
            )
        if pinyin is not None and pinyin.value is True:
            q["pinyin"] = True
        q["prompt"] = {lang: gapped(parts) for lang, parts in sentences.items()}
        q["cloze"] = {
            lang: [part if isinstance(part, str) else part.number for part in parts]
            for lang, parts in sentences.items()
        }
        q["blanks"] = [blanks[n] for n in every]
        if written:
            q["accept"] = written

    @classmethod
    def _check_accept(cls, check, fields, path, blanks: dict) -> dict:
        """The optional `accept` mapping: more accepted answers for blanks the prompt has, per language.
        Returns it as read (blank -> language -> answers), for a teacher's accepting to add to."""
        accept = fields.get("accept")
        written: dict = {}
        if accept is None:
            return written
        if not isinstance(accept.value, dict):
            check.add(accept, f"{path}.accept", N_("accept maps blanks to more answers: {c1: {en: [...], zh: [...]}}"))
            return written
        for key, item in accept.value.items():
            where = f"{path}.accept.{key}"
            named = _BLANK_KEY.fullmatch(str(key))
            number = int(named.group(1)) if named else None
            if number not in blanks:
                check.add(
                    item,
                    where,
                    N_("accept names %(key)s, which is not a blank of the prompt (its blanks: %(blanks)s)"),
                    key=repr(key),
                    blanks=", ".join(f"c{n}" for n in blanks),
                )
                continue
            if not isinstance(item.value, dict):
                check.add(item, where, N_("list a blank's more answers per language: {en: [...], zh: [...]}"))
                continue
            for lang, answers in item.value.items():
                if lang not in check.languages:
                    check.add(
                        answers,
                        f"{where}.{lang}",
                        N_("unknown language %(key)s (use %(languages)s)"),
                        key=repr(lang),
                        languages=" and ".join(check.languages),
                    )
                    continue
                texts = _texts(answers)
                if texts is None:
                    check.add(
                        answers,
                        f"{where}.{lang}",
                        N_("list the accepted %(lang)s answers as non-empty text"),
                        lang=lang,
                    )
                    continue
                kept = blanks[number]["accept"][lang]
                kept.extend(t for t in texts if t not in kept)
                written.setdefault(f"c{number}", {})[lang] = texts
        return written

    @classmethod
    def key(cls, question):
        keys = [[b["n"], b["accept"]] for b in question.get("blanks", [])]
        return [keys, "pinyin"] if question.get("pinyin") else keys

    @classmethod
    def flashcards(cls, question):
        """One card per blank number, id `<question id>::c<n>` (ids never hold "::", so none clashes):
        the front is the sentence with that blank a gap and the others filled, the back the whole sentence."""
        cards = []
        for blank in question["blanks"]:
            n = blank["n"]
            texts = {lang: {b["n"]: b["text"][lang] for b in question["blanks"]} for lang in question["cloze"]}
            card = {
                "id": f"{question['id']}::c{n}",
                "topics": question["topics"],
                "front": {
                    lang: gapped(parts, {m: t for m, t in texts[lang].items() if m != n})
                    for lang, parts in question["cloze"].items()
                },
                "back": {lang: gapped(parts, texts[lang]) for lang, parts in question["cloze"].items()},
                "question": question["id"],
                "blank": n,
            }
            if question.get("source"):
                card["source"] = question["source"]
            cards.append(card)
        return cards

    # ------------------------------------------------------------------ answering
    @classmethod
    def parse(cls, question, form):
        """One typed answer per blank, from the fields c1, c2, …: {"1": "2020", "2": "civil code"}."""
        answer = {}
        for blank in question["blanks"]:
            found = values(form, f"c{blank['n']}")
            typed = str(found[0]).strip() if found else ""
            if not typed:
                raise AnswerError(N_("Please fill in every blank."))
            if len(typed) > 500:
                raise AnswerError(N_("That answer is too long."))
            answer[str(blank["n"])] = typed
        return answer

    @classmethod
    def marks(cls, question, answer) -> list[tuple[dict, str, textmatch.Match]]:
        """Each blank, what was typed for it and how it matched, in blank order."""
        given = answer if isinstance(answer, dict) else {}
        pinyin = question.get("pinyin", False)
        found = []
        for blank in question["blanks"]:
            typed = str(given.get(str(blank["n"]), ""))
            found.append((blank, typed, textmatch.match(typed, blank["accept"], pinyin=pinyin)))
        return found

    @classmethod
    def reviews(cls, question, answer, grade):
        """Each blank is a flashcard of its own: a quiz answer reviews each blank by whether it was right."""
        return [
            (f"{question['id']}::c{blank['n']}", 1.0 if match.accepted else 0.0, 1.0)
            for blank, _typed, match in cls.marks(question, answer)
        ]

    @classmethod
    def grade(cls, question, answer):
        """The share of blanks right, each matched as a text question matches (either language, one slip,
        pinyin where allowed); the learner is told per blank how it was read (see parts)."""
        marks = cls.marks(question, answer)
        right = sum(1 for _b, _t, m in marks if m.accepted)
        return Grade(round(right / len(marks), 4) if marks else 0.0)

    @classmethod
    def parts(cls, question, answer) -> list[dict]:
        """Per blank, for feedback: its number, what was typed, whether it was right, the note on how it was
        read (an N_ message and parameters, or "") and the blank's text per language (the right answer)."""
        return [
            {
                "n": blank["n"],
                "given": typed,
                "right": match.accepted,
                "note": NOTES[match.how] if match.accepted and match.how else "",
                "note_params": (("answer", match.answer),) if match.how else (),
                "expected": blank["text"],
            }
            for blank, typed, match in cls.marks(question, answer)
        ]

    # ------------------------------------------------------------------ reports and charts
    @classmethod
    def typed_key(cls, question, answer):
        """One blank's typed answer as the report posts it ("[2] law"), folded as textmatch compares:
        "c2:law"; a whole answer has no one key (see wrong_typed)."""
        found = _TYPED.fullmatch(answer.strip()) if isinstance(answer, str) else None
        return f"c{found.group(1)}:{textmatch.key(found.group(2))}" if found else None

    @classmethod
    def wrong_typed(cls, question, answer, described):
        """Each wrong blank on its own, so that a teacher accepts an answer for one blank."""
        return [
            (f"c{blank['n']}:{textmatch.key(typed)}", f"{gap(blank['n'])} {typed}")
            for blank, typed, match in cls.marks(question, answer)
            if typed and not match.accepted
        ]

    @classmethod
    def accepting(cls, question, answer, lang):
        """One more accepted answer for the blank, in `accept` under the language it was typed in."""
        found = _TYPED.fullmatch(answer.strip())
        blank = next((b for b in question["blanks"] if found and b["n"] == int(found.group(1))), None)
        if blank is None:
            return None
        typed = found.group(2).strip()
        if textmatch.match(typed, blank["accept"], pinyin=question.get("pinyin", False)).accepted:
            return None
        if lang not in blank["accept"]:  # a one-language bank: its answers are in that language
            lang = next(iter(blank["accept"]))
        written, name = question.get("accept") or {}, f"c{blank['n']}"
        if not written:
            return ("accept",), {name: {lang: [typed]}}
        if name not in written:
            return ("accept", name), {lang: [typed]}
        return ("accept", name, lang), [*written[name].get(lang, []), typed]

    @classmethod
    def describe(cls, question, answer, lang, gettext):
        """Each blank's typed answer after its number: "[1] 2020 · [2] civil law"."""
        if not isinstance(answer, dict):
            return str(answer)
        return " · ".join(f"{gap(int(n))} {typed}" for n, typed in sorted(answer.items(), key=lambda i: int(i[0])))
