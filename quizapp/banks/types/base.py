"""Question types: each knows its extra bank fields, how to read a submitted answer, and how to grade it.

A registry (name -> class) in the manner of CTFd's challenge types: adding a
question type is adding one class here and one template in templates/types/.
Plain Python, no Flask: answers come in as a mapping of form field -> list of values.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from quizapp.core.messages import N_
from quizapp.core.textnorm import normalize_text, parse_number


@dataclass(frozen=True)
class Grade:
    """How an answer scored; `correct` means full marks."""

    score: float
    max_score: float = 1.0

    @property
    def correct(self) -> bool:
        return self.score >= self.max_score


class AnswerError(ValueError):
    """The submitted form cannot be read as an answer; the message is a translatable template."""


def _values(form, name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    values = getlist(name) if getlist else form.get(name, [])
    return [values] if isinstance(values, str) else list(values)


def _one(form, name: str) -> str:
    values = _values(form, name)
    if not values or not str(values[0]).strip():
        raise AnswerError(N_("Please give an answer."))
    if len(str(values[0])) > 500:
        raise AnswerError(N_("That answer is too long."))
    return str(values[0])


class QuestionType:
    """Base: subclasses set `name`, `fields`, and override check/parse/grade/expected."""

    name = ""
    fields: set[str] = set()  # type-specific bank fields this type accepts
    shuffles = False  # whether choices are shown in a random order

    @classmethod
    def check(cls, check, fields: dict, path: str, q: dict) -> None:
        for key in ("choices", "answer", "tolerance"):
            if key in fields and key not in cls.fields:
                check.add(
                    fields[key],
                    f"{path}.{key}",
                    N_("a %(type)s question has no %(key)s field"),
                    type=repr(cls.name),
                    key=repr(key),
                )

    @classmethod
    def presentation(cls, question: dict, rng: random.Random) -> list[int]:
        """The order in which choices are shown (indices into question['choices'])."""
        order = list(range(len(question.get("choices", []))))
        if cls.shuffles:
            rng.shuffle(order)
        return order

    @classmethod
    def parse(cls, question: dict, form) -> object:
        raise NotImplementedError

    @classmethod
    def grade(cls, question: dict, answer) -> Grade:
        raise NotImplementedError


class _WithChoices(QuestionType):
    fields = {"choices"}
    shuffles = True
    min_correct, max_correct = 1, None

    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        if "choices" not in fields:
            check.add(
                fields.get("prompt") or next(iter(fields.values())),
                path,
                N_("a %(type)s question needs choices"),
                type=repr(cls.name),
            )
            return
        items = check.list_of(fields["choices"], f"{path}.choices", 2)
        choices = []
        for i, item in enumerate(items):
            text = check.text(item, f"{path}.choices[{i}]", extra_keys={"correct"})
            correct = False
            if isinstance(item.value, dict) and "correct" in item.value:
                flag = item.value["correct"]
                if not isinstance(flag.value, bool):
                    check.add(flag, f"{path}.choices[{i}].correct", N_("correct is true or false"))
                elif cls.name == "order":
                    check.add(
                        flag,
                        f"{path}.choices[{i}].correct",
                        N_("an order question lists its items in the right order; it has no correct marks"),
                    )
                correct = flag.value is True
            choices.append({"text": text, "correct": correct})
        q["choices"] = choices
        if cls.name != "order" and len(items) >= 2:
            found = sum(c["correct"] for c in choices)
            if cls.max_correct == 1 and found != 1:
                check.add(
                    fields["choices"],
                    f"{path}.choices",
                    N_('a "choice" question needs exactly one correct choice (found %(found)s)'),
                    found=found,
                )
            elif found < cls.min_correct:
                check.add(
                    fields["choices"],
                    f"{path}.choices",
                    N_('a "multi" question needs at least one correct choice (found 0)'),
                )

    @classmethod
    def _index(cls, question, raw: str) -> int:
        try:
            index = int(raw)
        except (TypeError, ValueError):
            raise AnswerError(N_("That is not one of the choices.")) from None
        if not 0 <= index < len(question["choices"]):
            raise AnswerError(N_("That is not one of the choices."))
        return index


class Choice(_WithChoices):
    name = "choice"
    max_correct = 1

    @classmethod
    def parse(cls, question, form):
        return cls._index(question, _one(form, "answer"))

    @classmethod
    def grade(cls, question, answer):
        return Grade(1.0 if question["choices"][answer]["correct"] else 0.0)


class Multi(_WithChoices):
    name = "multi"

    @classmethod
    def parse(cls, question, form):
        picked = sorted({cls._index(question, raw) for raw in _values(form, "answer")})
        if not picked:
            raise AnswerError(N_("Please pick at least one choice."))
        return picked

    @classmethod
    def grade(cls, question, answer):
        """Moodle-style partial credit: right picks minus wrong picks over the number right, floored at 0."""
        right = {i for i, c in enumerate(question["choices"]) if c["correct"]}
        picked = set(answer)
        score = (len(picked & right) - len(picked - right)) / len(right)
        return Grade(round(max(0.0, score), 4))


class Order(_WithChoices):
    name = "order"

    @classmethod
    def parse(cls, question, form):
        """The form sends, for each item, its position (1..n); we return item indices in that order."""
        n = len(question["choices"])
        positions = {}
        for index in range(n):
            raw = _values(form, f"position-{index}")
            try:
                position = int(raw[0]) if raw else 0
            except ValueError:
                position = 0
            if not 1 <= position <= n:
                raise AnswerError(N_("Give every item a place from 1 to %(count)s."))
            positions[index] = position
        if len(set(positions.values())) != n:
            raise AnswerError(N_("Each place can be used only once."))
        return sorted(positions, key=positions.get)

    @classmethod
    def grade(cls, question, answer):
        return Grade(1.0 if list(answer) == list(range(len(question["choices"]))) else 0.0)


class TrueFalse(QuestionType):
    name = "true_false"
    fields = {"answer"}

    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        answer = fields.get("answer")
        if answer is None or not isinstance(answer.value, bool):
            check.add(
                answer or fields.get("prompt") or next(iter(fields.values())),
                f"{path}.answer",
                N_("a true_false question needs answer: true or answer: false"),
            )
        else:
            q["answer"] = answer.value

    @classmethod
    def parse(cls, question, form):
        raw = _one(form, "answer")
        if raw not in ("true", "false"):
            raise AnswerError(N_("Answer true or false."))
        return raw == "true"

    @classmethod
    def grade(cls, question, answer):
        return Grade(1.0 if answer == question["answer"] else 0.0)


# Bank answers and tolerances lie within ±10^15: beyond any count an article gives, exact as a float
# (2^53 ≈ 9·10^15) and within the 28 digits babel formats. NaN and ±inf never compare as within.
MAX_NUMBER = 10**15


def _bounded(value, low) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= MAX_NUMBER


class Numeric(QuestionType):
    name = "numeric"
    fields = {"answer", "tolerance"}

    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        answer, tolerance = fields.get("answer"), fields.get("tolerance")
        if answer is None or isinstance(answer.value, bool) or not isinstance(answer.value, (int, float)):
            check.add(
                answer or fields.get("prompt") or next(iter(fields.values())),
                f"{path}.answer",
                N_("a numeric question needs a number as its answer (got %(value)s)"),
                value=repr(answer.value)[:40] if answer else "nothing",
            )
        elif not _bounded(answer.value, -MAX_NUMBER):
            check.add(
                answer,
                f"{path}.answer",
                N_("the answer must be a finite number from -%(limit)s to %(limit)s (got %(value)s)"),
                limit="10^15",
                value=repr(answer.value)[:40],
            )
        else:
            q["answer"] = answer.value
        q["tolerance"] = 0
        if tolerance is not None:
            value = tolerance.value
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                check.add(
                    tolerance,
                    f"{path}.tolerance",
                    N_("the tolerance is a number of 0 or more (got %(value)s)"),
                    value=repr(value)[:40],
                )
            elif not _bounded(value, 0):
                check.add(
                    tolerance,
                    f"{path}.tolerance",
                    N_("the tolerance must be a finite number up to %(limit)s (got %(value)s)"),
                    limit="10^15",
                    value=repr(value)[:40],
                )
            else:
                q["tolerance"] = value

    @classmethod
    def parse(cls, question, form):
        """The text as typed and its value; a number too large to be within tolerance of any bank
        answer keeps no value (it is simply wrong), so no float ever becomes inf."""
        raw = _one(form, "answer")
        number = parse_number(raw)
        if number is None or not number.is_finite():
            raise AnswerError(N_("Please type a number, for example 43000, 43,000 or 4.3万."))
        return {"text": raw.strip(), "value": float(number) if abs(number) <= 2 * MAX_NUMBER else None}

    @classmethod
    def grade(cls, question, answer):
        """Right when within the tolerance; anything unreadable or not finite (a bank imported before
        the bounds existed) is simply not right, never an error page."""
        try:
            target, tolerance = Decimal(str(question["answer"])), Decimal(str(question["tolerance"]))
            given = Decimal(str(answer["value"])) if answer.get("value") is not None else None
        except (InvalidOperation, KeyError, TypeError, AttributeError):
            return Grade(0.0)
        if given is None or not all(d.is_finite() for d in (target, tolerance, given)):
            return Grade(0.0)
        return Grade(1.0 if abs(given - target) <= tolerance else 0.0)


class Text(QuestionType):
    name = "text"
    fields = {"answer"}

    @classmethod
    def check(cls, check, fields, path, q):
        super().check(check, fields, path, q)
        answer = fields.get("answer")
        if answer is None or not isinstance(answer.value, dict):
            check.add(
                answer or fields.get("prompt") or next(iter(fields.values())),
                f"{path}.answer",
                N_("a text question needs accepted answers per language: {en: [...], zh: [...]}"),
            )
            return
        accepted = {}
        for key, item in answer.value.items():
            if key not in ("en", "zh"):
                check.add(item, f"{path}.answer.{key}", N_("unknown language %(key)s (use en and zh)"), key=repr(key))
        for lang in ("en", "zh"):
            item = answer.value.get(lang)
            values = item.value if item is not None and isinstance(item.value, list) else [item] if item else []
            texts = [
                str(v.value).strip()
                for v in values
                if v is not None and not isinstance(v.value, (dict, list, bool)) and v.value is not None
            ]
            if item is None or not texts or len(texts) != len(values) or not all(texts):
                check.add(
                    item or answer,
                    f"{path}.answer.{lang}",
                    N_("list the accepted %(lang)s answers as non-empty text"),
                    lang=lang,
                )
            accepted[lang] = texts
        q["answer"] = accepted

    @classmethod
    def parse(cls, question, form):
        return _one(form, "answer").strip()

    @classmethod
    def grade(cls, question, answer):
        """Any accepted answer in any language counts: a student may answer in either."""
        given = normalize_text(answer)
        accepted = {normalize_text(a) for texts in question["answer"].values() for a in texts}
        return Grade(1.0 if given and given in accepted else 0.0)


QUESTION_TYPES: dict[str, type[QuestionType]] = {
    cls.name: cls for cls in (Choice, Multi, TrueFalse, Numeric, Text, Order)
}


def grade(question: dict, form) -> tuple[object, Grade]:
    """Read and grade one submitted form for a question; raises AnswerError on unreadable input."""
    kind = QUESTION_TYPES[question["type"]]
    answer = kind.parse(question, form)
    return answer, kind.grade(question, answer)


def answer_key(question: dict) -> str:
    """What decides a question's grading, as text: two versions with different keys grade the
    same answer differently, so a teacher is warned before publishing such a change."""
    kind = question["type"]
    if kind in ("choice", "multi"):
        key = sorted(
            json.dumps(c["text"], sort_keys=True, ensure_ascii=False) for c in question["choices"] if c["correct"]
        )
    elif kind == "order":
        key = [c["text"] for c in question["choices"]]
    else:
        key = [question.get("answer"), question.get("tolerance")]
    return json.dumps([kind, key], sort_keys=True, ensure_ascii=False, default=str)
